// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
//
// The engine fed by the three Shopify topics that move stock: products/update (the map and the total over
// locations), inventory_levels/update (one item at one location) and orders/create (what sold).
#include "analyzer.h"
#include "apply_result_name.h"
#include "inventory_engine.h"
#include "sellout_forecast.h"

#include <QDateTime>
#include <QTest>

#include <vector>

using namespace peakwatch;

namespace {

constexpr char kShop[] = "northwind-apparel.myshopify.com";
constexpr qint64 kProduct = 7001234567001;
constexpr qint64 kItemS = 45000000001; // the small size's inventory item
constexpr qint64 kItemM = 45000000002;
constexpr qint64 kWarehouse = 61000000001; // location ids
constexpr qint64 kShopFloor = 61000000002;
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
const qint64 kT0 = QDateTime(QDate(2026, 11, 27), QTime(5, 0), Qt::UTC).toMSecsSinceEpoch();

// A products/update of the product with two variants: S (kItemS) and M (kItemM).
struct ProductUpdate {
    std::vector<VariantStock> variants;
    ParsedMessage message;
    ProductUpdate(qint64 atMs, qint64 small, qint64 medium, quint64 eventId = 0, qint64 productId = kProduct,
                  qint64 itemS = kItemS, qint64 itemM = kItemM)
    {
        variants = {VariantStock{productId * 10 + 1, itemS, small, true},
                    VariantStock{productId * 10 + 2, itemM, medium, true}};
        message.topic = ShopifyTopic::ProductsUpdate;
        ProductEvent &e = message.product;
        e.shop = kShop;
        e.title = "Fleece Hoodie";
        e.productId = productId;
        e.minPrice = e.maxPrice = 540000;
        e.hasPrice = true;
        e.quantity = small + medium;
        e.tracked = true;
        e.updatedAtMs = atMs;
        e.eventId = eventId;
        message.variants = variants;
    }
};

ParsedMessage level(qint64 item, qint64 location, std::optional<qint64> available, qint64 atMs, quint64 eventId = 0)
{
    ParsedMessage m;
    m.topic = ShopifyTopic::InventoryLevelsUpdate;
    m.level.shop = kShop;
    m.level.inventoryItemId = item;
    m.level.locationId = location;
    m.level.available = available.value_or(0);
    m.level.tracked = available.has_value();
    m.level.updatedAtMs = atMs;
    m.level.eventId = eventId;
    return m;
}

// The shop's inventory levels flow: one came already (for an item no product has), so that the products/update that
// come next map their items (InventoryEngine keeps the map only for such shops).
void levelsFlow(InventoryEngine &engine)
{
    engine.apply(level(99999999999, 61000000009, 1, 0));
}

struct Order {
    std::vector<OrderLine> lines;
    ParsedMessage message;
    Order(qint64 orderId, qint64 atMs, std::vector<OrderLine> orderLines)
        : lines(std::move(orderLines))
    {
        message.topic = ShopifyTopic::OrdersCreate;
        message.order.shop = kShop;
        message.order.orderId = orderId;
        message.order.createdAtMs = atMs;
        message.order.lines = lines;
    }
};

OrderLine line(qint64 units, qint64 productId = kProduct)
{
    return OrderLine{productId, productId * 10 + 1, units};
}

using peakwatch::test::resultName;

QString locationsText(const InventoryEngine &engine)
{
    const ProductState *s = engine.find(kShop, kProduct);
    if (!s)
        return QStringLiteral("no product");
    qint64 unreported = 0;
    QStringList parts;
    for (const ProductLocation &l : engine.locationsOf(*s, unreported))
        parts << QStringLiteral("%1:%2")
                     .arg(l.locationId == kWarehouse ? QStringLiteral("warehouse") : QStringLiteral("floor"))
                     .arg(l.available);
    parts << QStringLiteral("unreported:%1").arg(unreported);
    return parts.join(u' ');
}

} // namespace

class TstStockSources : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void levelsMoveTheProductByTheirChange();
    void aLocationsFirstLevelOnlySaysWhereUnitsAre();
    void theSnapshotCarriesTheLocations();
    void aLevelBeforeItsProductWaitsAndIsCounted();
    void aShopsItemMapStartsWithItsFirstLevel();
    void waitingLevelsAreBounded();
    void levelsOutOfOrderOrTwiceChangeNothing();
    void anUntrackedItemStaysUntracked();
    void anOlderProductsUpdateDoesNotUndoNewerLevels();
    void aVariantDeletedTakesItsItemAway();
    void hugeLevelsAtManyLocationsDoNotOverflow();
    void ordersAreTheSalesSignalAndNotCountedTwice();
    void aDecreaseBeforeItsOrderIsCountedOnce();
    void aDecreaseNoOrderExplainsIsAnAdjustment();
    void theSameOrderTwiceIsOneOrder();
    void orderLinesForUnknownProductsWaitForTheirProduct();
    void ordersGiveTheRateWhereStockDecreasesWouldDoubleIt();
    void theAnalyzerAlertsEveryProductOfAnOrder();
    void aPartitionReadAgainAfterADropGivesTheSameState();
};

void TstStockSources::levelsMoveTheProductByTheirChange()
{
    InventoryEngine engine;
    levelsFlow(engine);
    QCOMPARE(resultName(engine.apply(ProductUpdate(kT0, 10, 5).message).result), resultName(ApplyResult::Accepted));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 15);
    // S is at the warehouse only (10), M at the shop floor only (5): once each has reported, the levels are exact.
    engine.apply(level(kItemS, kWarehouse, 10, kT0 + kMinute));
    engine.apply(level(kItemM, kShopFloor, 5, kT0 + kMinute));
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:10 floor:5 unreported:0"));
    const auto applied = engine.apply(level(kItemS, kWarehouse, 7, kT0 + 2 * kMinute));
    QCOMPARE(resultName(applied.result), resultName(ApplyResult::Accepted));
    QCOMPARE(applied.touched.size(), size_t(1));
    QCOMPARE(applied.state->quantity, 12);
    QCOMPARE(applied.state->previousQuantity, 15);
    QCOMPARE(applied.state->updatedAtMs, kT0 + 2 * kMinute);
    engine.apply(level(kItemM, kShopFloor, 9, kT0 + 3 * kMinute)); // a restock on the floor
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 16);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:7 floor:9 unreported:0"));
    // The history has one point per change, in time order.
    const auto history = engine.find(kShop, kProduct)->historyInOrder();
    QCOMPARE(history.size(), size_t(4));
    QCOMPARE(history.back().quantity, 16);
}

void TstStockSources::aLocationsFirstLevelOnlySaysWhereUnitsAre()
{
    // S has 10 units over two locations; the first level from each moves nothing, the next ones do.
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 10, 0).message);
    engine.apply(level(kItemS, kWarehouse, 6, kT0 + kMinute));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 10);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:6 unreported:4"));
    engine.apply(level(kItemS, kShopFloor, 4, kT0 + 2 * kMinute));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 10);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:6 floor:4 unreported:0"));
    engine.apply(level(kItemS, kShopFloor, 1, kT0 + 3 * kMinute));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 7);
    // A products/update coalesced after the change says the same total: nothing moves, the levels stay.
    engine.apply(ProductUpdate(kT0 + 3 * kMinute, 7, 0).message);
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 7);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:6 floor:1 unreported:0"));
    // One that says otherwise (a location changed while its level was lost) is the truth from then on.
    engine.apply(ProductUpdate(kT0 + 4 * kMinute, 9, 0).message);
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 9);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:6 floor:1 unreported:2"));
}

void TstStockSources::theSnapshotCarriesTheLocations()
{
    Analyzer analyzer;
    InventoryEngine &engine = const_cast<InventoryEngine &>(analyzer.engine());
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 10, 5).message);
    // Before any level of the product, the record is as it always was.
    QVERIFY(!snapshotRecord(analyzer.snapshots().front()).contains("locations"));
    engine.apply(level(kItemS, kShopFloor, 4, kT0 + kMinute));
    engine.apply(level(kItemM, kShopFloor, 5, kT0 + kMinute));
    engine.apply(level(kItemS, kWarehouse, 6, kT0 + 2 * kMinute));
    engine.apply(level(kItemS, kWarehouse, 5, kT0 + 3 * kMinute));
    const ProductSnapshot snapshot = analyzer.snapshots().front();
    QCOMPARE(snapshot.quantity, 14);
    QCOMPARE(snapshot.locations.size(), size_t(2));
    const QByteArray record = snapshotRecord(snapshot);
    QVERIFY(!record.contains("variants_not_counted"));
    // A products/update of a product with more variants than Shopify sends in full says how many its stock leaves out.
    ProductUpdate wide(kT0 + 4 * kMinute, 5, 9);
    wide.message.product.variantsNotSent = 50;
    engine.apply(wide.message);
    QVERIFY(snapshotRecord(analyzer.snapshots().front()).contains(R"("variants_not_counted":50)"));
    QVERIFY2(record.contains(R"("locations":[{"location_id":61000000001,"available":5},)"
                             R"({"location_id":61000000002,"available":9}],"unlocated":0)"),
             record.constData());
}

void TstStockSources::aLevelBeforeItsProductWaitsAndIsCounted()
{
    Analyzer analyzer;
    InventoryEngine &engine = const_cast<InventoryEngine &>(analyzer.engine());
    // Two levels before any products/update names the item: one older than the update, one newer.
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 8, kT0 - kMinute)).result),
             resultName(ApplyResult::Waiting));
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 8, kT0 - kMinute)).result),
             resultName(ApplyResult::Duplicate));
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 6, kT0 + kMinute)).result),
             resultName(ApplyResult::Waiting));
    QCOMPARE(engine.items().waiting(), size_t(2));
    QVERIFY(engine.find(kShop, kProduct) == nullptr);
    // The update maps the item: the older level says where its 10 units were, the newer one takes 2 off.
    engine.apply(ProductUpdate(kT0, 10, 3).message);
    QCOMPARE(engine.items().waiting(), size_t(0));
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->quantity, 11);
    QCOMPARE(s->updatedAtMs, kT0);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:6 unreported:5"));
}

void TstStockSources::aShopsItemMapStartsWithItsFirstLevel()
{
    // A shop that sends products/update alone costs no item map. Once its first level comes, the products seen
    // before are mapped by their next products/update; their levels wait until then.
    InventoryEngine engine;
    engine.apply(ProductUpdate(kT0, 10, 5).message);
    QCOMPARE(engine.items().size(), size_t(0));
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 8, kT0 + kMinute)).result),
             resultName(ApplyResult::Waiting));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 15);
    // The products/update that follows the change (Shopify sends one after every change of stock).
    engine.apply(ProductUpdate(kT0 + kMinute, 8, 5).message);
    QCOMPARE(engine.items().size(), size_t(2));
    QCOMPARE(engine.items().waiting(), size_t(0));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 13);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:8 unreported:5"));
    engine.apply(level(kItemS, kWarehouse, 6, kT0 + 2 * kMinute));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 11);
}

void TstStockSources::waitingLevelsAreBounded()
{
    Analyzer analyzer;
    const qint64 over = qint64(InventoryItems::kMaxWaiting) + 25;
    std::vector<Alert> alerts;
    const QByteArray topic("inventory_levels/update");
    const QByteArray shop(kShop);
    for (qint64 i = 0; i < over; ++i) {
        const QByteArray value = R"({"inventory_item_id":)" + QByteArray::number(90000000000 + i) +
                                 R"(,"location_id":61000000001,"available":3,"updated_at":"2026-11-27T05:00:00Z"})" +
                                 QByteArray(64, ' ');
        RawMessage message;
        message.value = std::string_view(value.constData(), size_t(value.size()) - 64);
        message.capacity = size_t(value.size());
        message.topicHeader = std::string_view(topic.constData(), size_t(topic.size()));
        message.shopDomainHeader = std::string_view(shop.constData(), size_t(shop.size()));
        QCOMPARE(int(analyzer.process(message, alerts)), int(Analyzer::Outcome::Waiting));
    }
    QCOMPARE(analyzer.engine().items().waiting(), InventoryItems::kMaxWaiting);
    QCOMPARE(analyzer.engine().items().dropped(), 25);
    QCOMPARE(analyzer.held(), over);
    const QString summary = analyzer.summary();
    QVERIFY2(
        summary.contains(QStringLiteral("accepted 0, duplicates 0, out of order 0, rejected 0; inventory levels 0, "
                                        "20025 held until a products/update named their item (20000 still held, "
                                        "25 dropped: too many held)")),
        qPrintable(summary));
}

void TstStockSources::levelsOutOfOrderOrTwiceChangeNothing()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 10, 0).message);
    engine.apply(level(kItemS, kWarehouse, 10, kT0 + kMinute, 77));
    engine.apply(level(kItemS, kWarehouse, 8, kT0 + 3 * kMinute));
    // The same event id from a second subscription, the same level again, and an older one.
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 10, kT0 + kMinute, 77)).result),
             resultName(ApplyResult::Duplicate));
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 8, kT0 + 3 * kMinute)).result),
             resultName(ApplyResult::Duplicate));
    QCOMPARE(resultName(engine.apply(level(kItemS, kWarehouse, 9, kT0 + 2 * kMinute)).result),
             resultName(ApplyResult::OutOfOrder));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 8);
    // Another location reporting an older time is not out of order: locations keep their own clocks.
    QCOMPARE(resultName(engine.apply(level(kItemS, kShopFloor, 0, kT0 + 2 * kMinute)).result),
             resultName(ApplyResult::Accepted));
    QCOMPARE(engine.find(kShop, kProduct)->updatedAtMs, kT0 + 3 * kMinute);
}

void TstStockSources::anUntrackedItemStaysUntracked()
{
    InventoryEngine engine;
    levelsFlow(engine);
    ProductUpdate update(kT0, 4, 0);
    update.variants.pop_back(); // S alone
    update.message.variants = update.variants;
    engine.apply(update.message);
    QVERIFY(engine.find(kShop, kProduct)->tracked);
    // Shopify stops tracking S: available is null.
    engine.apply(level(kItemS, kWarehouse, std::nullopt, kT0 + kMinute));
    const ProductState *s = engine.find(kShop, kProduct);
    QVERIFY(!s->tracked);
    QCOMPARE(s->quantity, 0);
    qint64 unreported = 0;
    QVERIFY(engine.locationsOf(*s, unreported).empty());
    // And a later update that says so too keeps it untracked.
    ProductUpdate untracked(kT0 + 2 * kMinute, 0, 0);
    untracked.variants.pop_back();
    untracked.variants[0].tracked = false;
    untracked.message.variants = untracked.variants;
    engine.apply(untracked.message);
    QVERIFY(!engine.find(kShop, kProduct)->tracked);
}

void TstStockSources::anOlderProductsUpdateDoesNotUndoNewerLevels()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 10, 5).message);
    engine.apply(level(kItemS, kWarehouse, 10, kT0 + kMinute));
    engine.apply(level(kItemS, kWarehouse, 4, kT0 + 5 * kMinute));
    // A products/update from between the two levels (delivered late): its title and M's count are taken, S's
    // total is not (a level is newer).
    ProductUpdate late(kT0 + 3 * kMinute, 9, 6);
    late.message.product.title = "Fleece Hoodie (organic)";
    QCOMPARE(resultName(engine.apply(late.message).result), resultName(ApplyResult::Accepted));
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->title, QByteArray("Fleece Hoodie (organic)"));
    QCOMPARE(s->quantity, 4 + 6);
    QCOMPARE(s->updatedAtMs, kT0 + 5 * kMinute);
    // An update older than the product's latest products/update is out of order.
    QCOMPARE(resultName(engine.apply(ProductUpdate(kT0 + 2 * kMinute, 1, 1).message).result),
             resultName(ApplyResult::OutOfOrder));
}

void TstStockSources::aVariantDeletedTakesItsItemAway()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 10, 5).message);
    ProductUpdate withoutM(kT0 + kMinute, 10, 0);
    withoutM.variants.pop_back();
    withoutM.message.variants = withoutM.variants;
    engine.apply(withoutM.message);
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 10);
    // M's item is no longer the product's: its level waits rather than moving the product.
    QCOMPARE(resultName(engine.apply(level(kItemM, kShopFloor, 50, kT0 + 2 * kMinute)).result),
             resultName(ApplyResult::Waiting));
    QCOMPARE(engine.find(kShop, kProduct)->quantity, 10);
}

void TstStockSources::hugeLevelsAtManyLocationsDoNotOverflow()
{
    InventoryEngine engine;
    levelsFlow(engine);
    constexpr qint64 kMax = qint64(1) << 53; // the parser's bound on one count
    engine.apply(ProductUpdate(kT0, kMax, kMax).message);
    for (int i = 0; i < 2000; ++i) {
        engine.apply(level(kItemS, kWarehouse + i, kMax, kT0 + 2 * i + 1));
        engine.apply(level(kItemM, kWarehouse + i, -kMax, kT0 + 2 * i + 2));
    }
    for (int i = 0; i < 2000; ++i)
        engine.apply(level(kItemS, kWarehouse + i, -kMax, kT0 + 10000 + i));
    const ProductState *s = engine.find(kShop, kProduct);
    QVERIFY(s->quantity >= -(qint64(1) << 61) && s->quantity <= (qint64(1) << 61));
    qint64 unreported = 0;
    const auto locations = engine.locationsOf(*s, unreported);
    QCOMPARE(locations.size(), size_t(2000));
}

void TstStockSources::ordersAreTheSalesSignalAndNotCountedTwice()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 30, 0).message);
    engine.apply(level(kItemS, kWarehouse, 30, kT0 + kSecond));
    QVERIFY(!engine.ordersFlow(0));
    // An order of 3 at 10:01, its level 2 s later.
    const auto placed = engine.apply(Order(5001, kT0 + kMinute, {line(3)}).message);
    QCOMPARE(resultName(placed.result), resultName(ApplyResult::Accepted));
    QVERIFY(engine.ordersFlow(0));
    QCOMPARE(placed.touched.size(), size_t(1));
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->predictor.observations(), 1);
    QCOMPARE(s->pendingOrderUnits, 3);
    QCOMPARE(s->unitsLeft(), 27); // the stock is not taken off yet, the forecast counts from 27 already
    engine.apply(level(kItemS, kWarehouse, 27, kT0 + kMinute + 2 * kSecond));
    QCOMPARE(s->quantity, 27);
    QCOMPARE(s->pendingOrderUnits, 0);
    QCOMPARE(s->predictor.observations(), 1); // not a second sale
    // The same when the coalesced products/update follows instead of a level.
    engine.apply(Order(5002, kT0 + 2 * kMinute, {line(2)}).message);
    engine.apply(ProductUpdate(kT0 + 2 * kMinute + 5 * kSecond, 25, 0).message);
    QCOMPARE(s->quantity, 25);
    QCOMPARE(s->pendingOrderUnits, 0);
    QCOMPARE(s->predictor.observations(), 2);
    QCOMPARE(engine.adjustedUnits(), 0);
}

void TstStockSources::aDecreaseBeforeItsOrderIsCountedOnce()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 30, 0).message);
    engine.apply(level(kItemS, kWarehouse, 30, kT0 + kSecond / 2)); // all of S is at the warehouse
    engine.apply(Order(6000, kT0 + kSecond, {line(1)}).message);    // the shop's orders flow
    engine.apply(level(kItemS, kWarehouse, 29, kT0 + 2 * kSecond));
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->predictor.observations(), 1);
    // The level of the next order comes first: no sale yet, and the order then explains it.
    engine.apply(level(kItemS, kWarehouse, 25, kT0 + kMinute));
    QCOMPARE(s->predictor.observations(), 1);
    QCOMPARE(s->unexplainedDecrease, 4);
    engine.apply(Order(6001, kT0 + kMinute - kSecond, {line(4)}).message);
    QCOMPARE(s->predictor.observations(), 2);
    QCOMPARE(s->unexplainedDecrease, 0);
    QCOMPARE(s->pendingOrderUnits, 0);
    QCOMPARE(s->unitsLeft(), 25);
}

void TstStockSources::aDecreaseNoOrderExplainsIsAnAdjustment()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 30, 0).message);
    engine.apply(level(kItemS, kWarehouse, 30, kT0 + kSecond / 2)); // all of S is at the warehouse
    engine.apply(Order(7000, kT0 + kSecond, {line(1)}).message);
    engine.apply(level(kItemS, kWarehouse, 29, kT0 + 2 * kSecond));
    // Five damaged units written off at the warehouse: no order follows.
    engine.apply(level(kItemS, kWarehouse, 24, kT0 + kMinute));
    engine.apply(level(kItemS, kWarehouse, 24, kT0 + 30 * kMinute)); // a later level ends the matching window
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->predictor.observations(), 1);
    QCOMPARE(engine.adjustedUnits(), 5);
    QCOMPARE(s->quantity, 24);
}

void TstStockSources::theSameOrderTwiceIsOneOrder()
{
    InventoryEngine engine;
    levelsFlow(engine);
    engine.apply(ProductUpdate(kT0, 30, 0).message);
    QCOMPARE(resultName(engine.apply(Order(8000, kT0 + kMinute, {line(2)}).message).result),
             resultName(ApplyResult::Accepted));
    QCOMPARE(resultName(engine.apply(Order(8000, kT0 + kMinute, {line(2)}).message).result),
             resultName(ApplyResult::Duplicate));
    QCOMPARE(engine.find(kShop, kProduct)->pendingOrderUnits, 2);
    QCOMPARE(engine.find(kShop, kProduct)->predictor.observations(), 1);
}

void TstStockSources::orderLinesForUnknownProductsWaitForTheirProduct()
{
    Analyzer analyzer;
    InventoryEngine &engine = const_cast<InventoryEngine &>(analyzer.engine());
    engine.apply(ProductUpdate(kT0, 30, 0).message);
    // A line of the known product, two of a product whose first products/update is still to come, and a custom
    // item (no product id).
    constexpr qint64 kLater = 7009999999999;
    const auto applied = engine.apply(Order(9000, kT0 + kMinute, {line(1), line(2, kLater), line(5, 0)}).message);
    QCOMPARE(applied.touched.size(), size_t(1));
    engine.apply(Order(9001, kT0 + 2 * kMinute, {line(3, kLater)}).message);
    QCOMPARE(engine.orderLinesWaiting(), size_t(2));
    QCOMPARE(engine.customOrderLines(), 1);
    QVERIFY(engine.find(kShop, kLater) == nullptr);
    // Its products/update comes, its stock already without those 5 units: two sales, nothing left to take off.
    engine.apply(ProductUpdate(kT0 + 3 * kMinute, 45, 0, 0, kLater, kItemS + 7, kItemM + 7).message);
    const ProductState *later = engine.find(kShop, kLater);
    QCOMPARE(later->predictor.observations(), 2);
    QCOMPARE(later->pendingOrderUnits, 0);
    QCOMPARE(later->unitsLeft(), 45);
    QCOMPARE(engine.orderLinesWaiting(), size_t(0));
    QCOMPARE(engine.orderLinesHeld(), 2);
    QVERIFY2(analyzer.summary().contains(
                 QStringLiteral("2 lines waited for their product's first products/update, 0 still waiting")),
             qPrintable(analyzer.summary()));
}

void TstStockSources::ordersGiveTheRateWhereStockDecreasesWouldDoubleIt()
{
    // One unit a minute for an hour: each order followed by its level and by the coalesced products/update.
    // Counting the level's decrease and the order would read two an hour... a minute.
    InventoryEngine engine;
    levelsFlow(engine);
    qint64 stock = 500;
    engine.apply(ProductUpdate(kT0, stock, 0).message);
    engine.apply(level(kItemS, kWarehouse, stock, kT0 + kSecond));
    for (int i = 1; i <= 60; ++i) {
        const qint64 at = kT0 + i * kMinute;
        engine.apply(Order(10000 + i, at, {line(1)}).message);
        --stock;
        engine.apply(level(kItemS, kWarehouse, stock, at + 2 * kSecond));
        engine.apply(ProductUpdate(at + 20 * kSecond, stock, 0).message);
    }
    const ProductState *s = engine.find(kShop, kProduct);
    QCOMPARE(s->quantity, 440);
    const auto rate = s->predictor.ratePerHour(kT0 + 60 * kMinute + 20 * kSecond, engine.predictorParams());
    QVERIFY(rate);
    QVERIFY2(*rate > 50 && *rate < 70, qPrintable(QString::number(*rate)));
    const SelloutForecast f =
        forecastSellout(*s, engine.shopDemand(*s), engine.predictorParams(), s->updatedAtMs, false);
    QVERIFY(f.selloutAtMs);
    const double hours = double(*f.selloutAtMs - s->updatedAtMs) / (3600.0 * 1000);
    QVERIFY2(hours > 440 / 70.0 && hours < 440 / 50.0, qPrintable(QString::number(hours)));
}

void TstStockSources::theAnalyzerAlertsEveryProductOfAnOrder()
{
    // Two products in one order, each with a few units left: the order's one message is evaluated for both.
    AlertRules rules;
    Analyzer analyzer(rules);
    InventoryEngine &engine = const_cast<InventoryEngine &>(analyzer.engine());
    engine.apply(ProductUpdate(kT0, 3, 0, 0, kProduct).message);
    engine.apply(ProductUpdate(kT0, 3, 0, 0, kProduct + 1, kItemS + 100, kItemM + 100).message);
    analyzer.setTrackChanges(true);
    // Orders through the analyzer's parser: orders/create payloads as Shopify sends them.
    const QByteArray payload = QByteArray(R"({"id":820982911946154508,"created_at":"2026-11-27T05:02:00Z",)"
                                          R"("line_items":[{"product_id":)") +
                               QByteArray::number(kProduct) + R"(,"variant_id":1,"quantity":3},{"product_id":)" +
                               QByteArray::number(kProduct + 1) + R"(,"variant_id":2,"quantity":3}]})";
    QByteArray topicHeader("orders/create");
    QByteArray shopHeader(kShop);
    RawMessage message;
    message.value = std::string_view(payload.constData(), size_t(payload.size()));
    message.topicHeader = std::string_view(topicHeader.constData(), size_t(topicHeader.size()));
    message.shopDomainHeader = std::string_view(shopHeader.constData(), size_t(shopHeader.size()));
    std::vector<Alert> alerts;
    QCOMPARE(int(analyzer.process(message, alerts)), int(Analyzer::Outcome::Accepted));
    QCOMPARE(analyzer.accepted(ShopifyTopic::OrdersCreate), 1);
    QCOMPARE(analyzer.takeChangedSnapshots().size(), size_t(2));
    QVERIFY2(analyzer.summary().contains(QStringLiteral("orders 1")), qPrintable(analyzer.summary()));
}

void TstStockSources::aPartitionReadAgainAfterADropGivesTheSameState()
{
    // A consumer group hands the partition to another member and back: the engine drops its products, then reads
    // the partition from its start again. Items, held levels and orders go with them.
    InventoryEngine engine;
    const int partition = 2;
    auto readPartition = [&] {
        QStringList results;
        auto note = [&](const InventoryEngine::Applied &a) { results << resultName(a.result); };
        note(engine.apply(level(kItemM, kShopFloor, 5, kT0 - kMinute), partition)); // held: M not named yet
        note(engine.apply(ProductUpdate(kT0, 10, 5).message, partition));
        note(engine.apply(level(kItemS, kWarehouse, 10, kT0 + kMinute), partition));
        note(engine.apply(Order(4242, kT0 + 2 * kMinute, {line(3)}).message, partition));
        note(engine.apply(level(kItemS, kWarehouse, 7, kT0 + 2 * kMinute + kSecond), partition));
        note(engine.apply(ProductUpdate(kT0 + 3 * kMinute, 7, 5).message, partition));
        return results;
    };
    const QStringList first = readPartition();
    const ProductState before = *engine.find(kShop, kProduct);
    QCOMPARE(engine.dropPartition(partition), size_t(1));
    QCOMPARE(engine.items().size(), size_t(0));
    QCOMPARE(readPartition(), first);
    const ProductState *after = engine.find(kShop, kProduct);
    QCOMPARE(after->quantity, before.quantity);
    QCOMPARE(after->predictor.observations(), before.predictor.observations());
    QCOMPARE(after->predictor.observations(), 1);
    QCOMPARE(locationsText(engine), QStringLiteral("warehouse:7 floor:5 unreported:0"));
}

QTEST_GUILESS_MAIN(TstStockSources)
#include "tst_stock_sources.moc"
