// The load simulator: a deterministic, heavy-tailed catalogue; webhooks shaped exactly as Shopify's
// products/update; sales that never oversell a variant that denies it and move updated_at forward;
// scenarios and the demand they drive; Shopify's delivery faults; the ground truth; run statistics.
#include "catalog.h"
#include "delivery_faults.h"
#include "event_parser.h"
#include "ground_truth.h"
#include "iso_time.h"
#include "money.h"
#include "run_stats.h"
#include "sales_simulator.h"
#include "scenario.h"
#include "webhook_builder.h"
#include "webhook_delivery.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointF>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

using namespace peakwatch;

namespace {

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object: %s", qPrintable(error.errorString()));
    return doc.object();
}

QJsonObject sampleObject()
{
    QFile file(QStringLiteral(PEAKWATCH_SAMPLES_DIR "/products-update.json"));
    if (!file.open(QIODevice::ReadOnly))
        qWarning("cannot read %s", qPrintable(file.fileName()));
    return parseObject(file.readAll());
}

// The exact digits of an integer field in the JSON text, not a double's approximation of them.
bool hasIntegerField(const QByteArray &body, const char *key, qint64 value)
{
    const QByteArray field = '"' + QByteArray(key) + "\":" + QByteArray::number(value);
    return body.contains(QByteArray(field + ',')) || body.contains(QByteArray(field + '}'));
}

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), size_t(bytes.size()));
}

// Parses a webhook body as the analyzer does, with the shop as the Kafka key.
bool parseEvent(EventParser &parser, const sim::SimShop &shop, const QByteArray &body, ProductEvent &event,
                Rejection &rejection)
{
    RawMessage message;
    message.key = view(shop.domain);
    message.value = view(body);
    message.capacity = size_t(body.size()); // no padding: the parser copies
    return parser.parse(message, event, rejection);
}

const sim::SimProduct *findProduct(const sim::SimShop &shop,
                                   const std::function<bool(const sim::SimProduct &)> &matches)
{
    for (const sim::SimProduct &product : shop.products)
        if (matches(product))
            return &product;
    return nullptr;
}

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;

template <typename T> QByteArray errorOf(const Result<T> &result)
{
    return result ? QByteArray() : result.error().toUtf8();
}

// The catalogue a load run makes for a scenario (as LoadRun does).
sim::Catalog catalogFor(const sim::Scenario &s, quint64 seed)
{
    return sim::Catalog::generate({.shops = s.shops,
                                   .productsPerShop = s.productsPerShop,
                                   .seed = seed,
                                   .startMs = s.startAtMs - 60LL * 86400000,
                                   .minVariants = s.minVariants,
                                   .maxVariants = s.maxVariants,
                                   .minStock = s.minStock,
                                   .maxStock = s.maxStock});
}

// A shop's products, the most popular first.
std::vector<const sim::SimProduct *> byPopularity(const sim::SimShop &shop)
{
    std::vector<const sim::SimProduct *> ranked;
    for (const sim::SimProduct &product : shop.products)
        ranked.push_back(&product);
    std::sort(ranked.begin(), ranked.end(),
              [](const sim::SimProduct *a, const sim::SimProduct *b) { return a->popularity > b->popularity; });
    return ranked;
}

// The orders the curve asks for between two offsets (its integral), in one-second steps.
double curveOrders(const sim::Scenario &s, qint64 fromMs, qint64 toMs)
{
    double orders = 0;
    for (qint64 t = fromMs; t < toMs; t += 1000)
        orders += s.ordersPerHourAt(t + 500) * 1000.0 / double(kHour);
    return orders;
}

bool withinRelative(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

// Whether `count` of `n` is what a fraction `f` of them gives, within five standard deviations.
bool aboutFraction(qint64 count, qint64 n, double f, double extraTolerance = 0)
{
    const double expected = f * double(n);
    const double tolerance = 5 * std::sqrt(double(n) * f * (1 - f)) + 1 + extraTolerance * expected;
    return std::abs(double(count) - expected) <= tolerance;
}

// `count` deliveries, each with its own webhook id ("wh-<index>") and body, round the products of a
// small catalogue.
std::vector<sim::WebhookDelivery> makeDeliveries(int count)
{
    const sim::Catalog catalog = sim::Catalog::generate({.shops = 2, .productsPerShop = 20, .seed = 71});
    const qint64 t0 = 1795755600000;
    std::vector<sim::WebhookDelivery> deliveries;
    deliveries.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const sim::SimShop &shop = catalog.shops()[size_t(i) % catalog.shops().size()];
        const sim::SimProduct &product = shop.products[size_t(i / 2) % shop.products.size()];
        sim::WebhookDelivery d;
        d.shop = shop.domain;
        d.updatedAtMs = t0 + qint64(i) * 1000;
        d.body = sim::WebhookBuilder::build(shop, product, d.updatedAtMs);
        d.webhookId = QByteArray("wh-") + QByteArray::number(i);
        d.eventId = QByteArray("ev-") + QByteArray::number(i);
        d.triggeredAtMs = d.updatedAtMs + 250;
        d.productId = product.id;
        deliveries.push_back(std::move(d));
    }
    return deliveries;
}

// The index an original delivery of makeDeliveries() was pushed at, from its webhook id.
int pushIndex(const sim::WebhookDelivery &d)
{
    return d.webhookId.startsWith("wh-") ? d.webhookId.mid(3).toInt() : -1;
}

bool isOriginal(const sim::WebhookDelivery &d)
{
    return d.kind != sim::WebhookDelivery::Kind::Duplicate && d.kind != sim::WebhookDelivery::Kind::Malformed;
}

std::vector<sim::WebhookDelivery> runFaults(const sim::DeliveryFaults::Options &options,
                                            const std::vector<sim::WebhookDelivery> &deliveries,
                                            sim::DeliveryFaults::Counts *counts = nullptr)
{
    sim::DeliveryFaults faults(options);
    std::vector<sim::WebhookDelivery> out;
    for (const sim::WebhookDelivery &d : deliveries)
        faults.push(d, out);
    faults.flush(out);
    if (counts)
        *counts = faults.counts();
    return out;
}

} // namespace

class TstSimulator final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void catalogIsDeterministicForASeed();
    void popularityIsAHeavyTailedShare_data();
    void popularityIsAHeavyTailedShare();
    void webhookHasEveryFieldOfShopifysPayload_data();
    void webhookHasEveryFieldOfShopifysPayload();
    void salesNeverOversellAVariantThatDeniesIt();
    void updatedAtIncreasesPerProduct();

    // Scenarios
    void everyBuiltinScenarioLoads_data();
    void everyBuiltinScenarioLoads();
    void blackFridayHasAQuietNightAMidnightSurgeASustainedPeakAndADecay();
    void ordersPerHourInterpolatesLinearlyAndHoldsTheEnds_data();
    void ordersPerHourInterpolatesLinearlyAndHoldsTheEnds();
    void scenarioFileSetsEveryField();
    void scenarioFileCurveReplacesTheBasesCurve();
    void badScenarioFileNamesTheField_data();
    void badScenarioFileNamesTheField();
    void loadTakesABuiltinNameOrAFileAndListsTheBuiltins();

    // Sales driven by a scenario
    void scenarioRunIsDeterministicForASeed();
    void ordersPerHourFollowTheCurve();
    void runEndsAfterTheScenariosDuration_data();
    void runEndsAfterTheScenariosDuration();
    void endlessScenarioKeepsGoing();
    void flashSaleMultipliesTheChosenProducts_data();
    void flashSaleMultipliesTheChosenProducts();
    void scheduledRestocksRaiseSoldOutAndLowProducts();
    void sellOutScenarioEmptiesProductsWithoutOverselling();
    void updatedAtIncreasesPerProductThroughRestocks();
    void expectedUnitsPerHourIsTheDemandAndScalesWithTheCurve();

    // Delivery faults
    void noFaultsPassEveryDeliveryThroughInOrder();
    void duplicatesRedeliverTheSameWebhook_data();
    void duplicatesRedeliverTheSameWebhook();
    void outOfOrderDeliveriesComeOutBehindLaterOnes_data();
    void outOfOrderDeliveriesComeOutBehindLaterOnes();
    void malformedDeliveriesAreExtraAndRejected_data();
    void malformedDeliveriesAreExtraAndRejected();
    void everyOriginalComesOutExactlyOnceAfterFlush();
    void faultsAreDeterministicForASeed();

    // Ground truth
    void groundTruthMatchesTheRun_data();
    void groundTruthMatchesTheRun();

    // Statistics
    void latencyPercentilesWithinTheBucketResolution_data();
    void latencyPercentilesWithinTheBucketResolution();
    void latencyHistogramMergesAndResets();
    void runStatsCountsAndRatesPerInterval();
    void reportJsonCarriesTheRunsFigures_data();
    void reportJsonCarriesTheRunsFigures();
};

void TstSimulator::catalogIsDeterministicForASeed()
{
    const sim::Catalog::Options options{.shops = 3, .productsPerShop = 50, .seed = 42};
    const sim::Catalog a = sim::Catalog::generate(options);
    const sim::Catalog b = sim::Catalog::generate(options);
    QCOMPARE(a.productCount(), size_t(150));
    QCOMPARE(b.productCount(), a.productCount());

    // Every field of every product shows in its webhook body, popularity aside.
    const qint64 at = 1795755600000;
    for (size_t s = 0; s < a.shops().size(); ++s) {
        const sim::SimShop &shopA = a.shops()[s];
        const sim::SimShop &shopB = b.shops()[s];
        QCOMPARE(shopB.domain, shopA.domain);
        QCOMPARE(shopB.utcOffsetMinutes, shopA.utcOffsetMinutes);
        for (size_t p = 0; p < shopA.products.size(); ++p) {
            QCOMPARE(shopB.products[p].popularity, shopA.products[p].popularity);
            QCOMPARE(sim::WebhookBuilder::build(shopB, shopB.products[p], at),
                     sim::WebhookBuilder::build(shopA, shopA.products[p], at));
        }
    }

    // Another seed makes another catalogue.
    sim::Catalog::Options otherSeed = options;
    otherSeed.seed = 43;
    const sim::Catalog c = sim::Catalog::generate(otherSeed);
    bool differs = false;
    for (size_t s = 0; s < a.shops().size() && !differs; ++s)
        for (size_t p = 0; p < a.shops()[s].products.size() && !differs; ++p)
            differs = sim::WebhookBuilder::build(c.shops()[s], c.shops()[s].products[p], at) !=
                      sim::WebhookBuilder::build(a.shops()[s], a.shops()[s].products[p], at);
    QVERIFY(differs);
}

void TstSimulator::popularityIsAHeavyTailedShare_data()
{
    QTest::addColumn<int>("productsPerShop");
    QTest::addRow("100 products a shop") << 100;
    QTest::addRow("200 products a shop") << 200;
    QTest::addRow("2000 products a shop") << 2000;
}

void TstSimulator::popularityIsAHeavyTailedShare()
{
    QFETCH(int, productsPerShop);
    const sim::Catalog catalog = sim::Catalog::generate({.shops = 4, .productsPerShop = productsPerShop, .seed = 7});
    QCOMPARE(catalog.shops().size(), size_t(4));
    for (const sim::SimShop &shop : catalog.shops()) {
        std::vector<double> shares;
        for (const sim::SimProduct &product : shop.products) {
            QVERIFY(product.popularity > 0);
            shares.push_back(product.popularity);
        }
        QCOMPARE(int(shares.size()), productsPerShop);
        const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
        QVERIFY2(std::abs(total - 1.0) < 1e-9, qPrintable(QString::number(total, 'g', 17)));

        std::sort(shares.begin(), shares.end(), std::greater<>());
        const size_t top = shares.size() / 10;
        const double topShare = std::accumulate(shares.begin(), shares.begin() + qsizetype(top), 0.0);
        QVERIFY2(topShare > 0.4, qPrintable(QStringLiteral("the top tenth of %1 takes %2 of the popularity")
                                                .arg(QString::fromUtf8(shop.domain))
                                                .arg(topShare)));
    }
}

void TstSimulator::webhookHasEveryFieldOfShopifysPayload_data()
{
    QTest::addColumn<int>("variants");
    QTest::addColumn<qint64>("productId"); // 0: as generated
    QTest::addColumn<qint64>("oversoldBy");
    QTest::addRow("one size, option2 null") << 1 << qint64(0) << qint64(0);
    QTest::addRow("three sizes, as the sample") << 3 << qint64(0) << qint64(0);
    QTest::addRow("two colours in six sizes") << 6 << qint64(0) << qint64(0);
    QTest::addRow("product id above 2^53") << 4 << qint64(9007199254740993) << qint64(0);
    QTest::addRow("oversold: negative inventory_quantity") << 2 << qint64(0) << qint64(3);
}

void TstSimulator::webhookHasEveryFieldOfShopifysPayload()
{
    QFETCH(int, variants);
    QFETCH(qint64, productId);
    QFETCH(qint64, oversoldBy);

    const sim::Catalog catalog =
        sim::Catalog::generate({.shops = 2, .productsPerShop = 100, .seed = 3, .minVariants = 1, .maxVariants = 6});
    const sim::SimShop &shop = catalog.shops().front();
    const sim::SimProduct *found =
        findProduct(shop, [&](const sim::SimProduct &p) { return int(p.variants.size()) == variants; });
    QVERIFY(found);
    sim::SimProduct product = *found;
    if (productId != 0) {
        product.id = productId;
        product.variants.front().id = productId * 1000 + 7; // a variant id far above 2^53 too
    }
    if (oversoldBy != 0) {
        for (sim::SimVariant &v : product.variants)
            v.allowOversell = true;
        product.variants.back().quantity = -oversoldBy;
    }
    const qint64 updatedAtMs = 1795755792584; // 2026-11-27T05:03:12.584Z: Shopify's times have whole seconds
    const QByteArray body = sim::WebhookBuilder::build(shop, product, updatedAtMs);

    // With QJsonDocument: the same fields as Shopify's sample, at the top level and in each variant.
    const QJsonObject sample = sampleObject();
    QVERIFY(!sample.isEmpty());
    const QJsonObject sampleVariant = sample.value(QStringLiteral("variants")).toArray().first().toObject();
    const QJsonObject sampleOption = sample.value(QStringLiteral("options")).toArray().first().toObject();
    const QJsonObject sampleGid = sample.value(QStringLiteral("variant_gids")).toArray().first().toObject();
    const QJsonObject json = parseObject(body);
    QCOMPARE(json.keys(), sample.keys());
    QCOMPARE(json.value(QStringLiteral("id")).toInteger(), product.id);
    QCOMPARE(json.value(QStringLiteral("title")).toString(), QString::fromUtf8(product.title));
    QCOMPARE(json.value(QStringLiteral("admin_graphql_api_id")).toString(),
             QStringLiteral("gid://shopify/Product/") + QString::number(product.id));
    // The exact digits are in the text, not a double's approximation.
    QVERIFY(hasIntegerField(body, "id", product.id));

    const QJsonArray jsonVariants = json.value(QStringLiteral("variants")).toArray();
    QCOMPARE(jsonVariants.size(), qsizetype(product.variants.size()));
    static const QRegularExpression decimal(QStringLiteral("^[0-9]+\\.[0-9]{2,4}$"));
    for (qsizetype i = 0; i < jsonVariants.size(); ++i) {
        const sim::SimVariant &expected = product.variants[size_t(i)];
        const QJsonObject variant = jsonVariants.at(i).toObject();
        QCOMPARE(variant.keys(), sampleVariant.keys());
        for (const QString &key : {QStringLiteral("price"), QStringLiteral("compare_at_price")}) {
            const QJsonValue price = variant.value(key);
            QVERIFY2(price.isString(), qPrintable(key));
            QVERIFY2(decimal.match(price.toString()).hasMatch(), qPrintable(key + u' ' + price.toString()));
        }
        QCOMPARE(parseMoney(view(variant.value(QStringLiteral("price")).toString().toUtf8())),
                 std::optional<Money>(expected.price));
        QCOMPARE(parseMoney(view(variant.value(QStringLiteral("compare_at_price")).toString().toUtf8())),
                 std::optional<Money>(expected.compareAtPrice));
        QCOMPARE(variant.value(QStringLiteral("id")).toInteger(), expected.id);
        QCOMPARE(variant.value(QStringLiteral("product_id")).toInteger(), product.id);
        QCOMPARE(variant.value(QStringLiteral("inventory_item_id")).toInteger(), expected.inventoryItemId);
        QCOMPARE(variant.value(QStringLiteral("inventory_quantity")).toInteger(), expected.quantity);
        QCOMPARE(variant.value(QStringLiteral("inventory_policy")).toString(),
                 expected.allowOversell ? QStringLiteral("continue") : QStringLiteral("deny"));
        QVERIFY(hasIntegerField(body, "id", expected.id));
    }
    for (const QJsonValue option : json.value(QStringLiteral("options")).toArray())
        QCOMPARE(option.toObject().keys(), sampleOption.keys());
    const QJsonArray gids = json.value(QStringLiteral("variant_gids")).toArray();
    QCOMPARE(gids.size(), qsizetype(product.variants.size()));
    for (const QJsonValue gid : gids) {
        QCOMPARE(gid.toObject().keys(), sampleGid.keys());
        // The same instant, in UTC here and in the shop's offset at the top level.
        QCOMPARE(parseIsoTime(view(gid.toObject().value(QStringLiteral("updated_at")).toString().toUtf8())),
                 std::optional<qint64>(updatedAtMs / 1000 * 1000));
    }

    // With the analyzer's parser: the columns the engine keeps.
    EventParser parser;
    ProductEvent event;
    Rejection rejection;
    QVERIFY2(parseEvent(parser, shop, body, event, rejection), qPrintable(rejection.detail));
    QCOMPARE(event.productId, product.id);
    QCOMPARE(event.shop, view(shop.domain));
    QCOMPARE(event.title, view(product.title));
    QCOMPARE(event.updatedAtMs, updatedAtMs / 1000 * 1000);
    QVERIFY(event.tracked);
    QCOMPARE(event.quantity, product.quantity());
    const auto [minPrice, maxPrice] =
        std::minmax_element(product.variants.begin(), product.variants.end(),
                            [](const sim::SimVariant &a, const sim::SimVariant &b) { return a.price < b.price; });
    QVERIFY(event.hasPrice);
    QCOMPARE(event.minPrice, minPrice->price);
    QCOMPARE(event.maxPrice, maxPrice->price);
    if (oversoldBy != 0)
        QVERIFY(hasIntegerField(body, "inventory_quantity", -oversoldBy));
}

void TstSimulator::salesNeverOversellAVariantThatDeniesIt()
{
    // Little stock, many orders: products sell out, some are restocked, a few may oversell.
    sim::Catalog catalog = sim::Catalog::generate({.shops = 2,
                                                   .productsPerShop = 100,
                                                   .seed = 11,
                                                   .minVariants = 1,
                                                   .maxVariants = 6,
                                                   .minStock = 0,
                                                   .maxStock = 6});
    qint64 oversellVariants = 0;
    for (const sim::SimShop &shop : catalog.shops())
        for (const sim::SimProduct &product : shop.products)
            for (const sim::SimVariant &v : product.variants)
                oversellVariants += v.allowOversell;
    QVERIFY2(oversellVariants > 0, "the catalogue should hold variants that allow overselling");

    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 50000, .restockChance = 0.05, .seed = 11});
    EventParser parser;
    ProductEvent event;
    Rejection rejection;
    QByteArray body;
    qint64 restocks = 0, soldOutVariants = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto change = simulator.next();
        QVERIFY(change.shop && change.product);
        QVERIFY(change.unitsSold >= 0);
        if (change.unitsSold == 0)
            ++restocks;
        for (const sim::SimVariant &v : change.product->variants) {
            if (!v.allowOversell)
                QVERIFY2(v.quantity >= 0, qPrintable(QStringLiteral("variant %1 of product %2 at %3")
                                                         .arg(v.id)
                                                         .arg(change.product->id)
                                                         .arg(v.quantity)));
            soldOutVariants += v.quantity == 0;
        }
        // What the webhook says is what the simulator holds.
        body.clear();
        sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs, body);
        QVERIFY2(parseEvent(parser, *change.shop, body, event, rejection), qPrintable(rejection.detail));
        QCOMPARE(event.quantity, change.product->quantity());
    }
    QVERIFY2(restocks > 0, "sold-out products should be restocked now and then");
    QVERIFY2(soldOutVariants > 0, "variants should sell out");
    for (const sim::SimShop &shop : catalog.shops())
        for (const sim::SimProduct &product : shop.products)
            for (const sim::SimVariant &v : product.variants)
                QVERIFY(v.allowOversell || v.quantity >= 0);
}

void TstSimulator::updatedAtIncreasesPerProduct()
{
    sim::Catalog catalog = sim::Catalog::generate({.shops = 3, .productsPerShop = 50, .seed = 5});
    // Orders far closer together than a second: updated_at has whole seconds and must still increase.
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 3600000, .seed = 5});
    EventParser parser;
    ProductEvent event;
    Rejection rejection;
    QByteArray body;
    QHash<qint64, qint64> lastAt;
    qint64 previousNow = simulator.nowMs();
    int repeatedProducts = 0;
    for (int i = 0; i < 20000; ++i) {
        const auto change = simulator.next();
        QVERIFY(simulator.nowMs() > previousNow);
        previousNow = simulator.nowMs();
        QCOMPARE(change.atMs % 1000, qint64(0));
        QCOMPARE(change.product->updatedAtMs, change.atMs);
        const auto it = lastAt.constFind(change.product->id);
        if (it != lastAt.constEnd()) {
            ++repeatedProducts;
            QVERIFY2(change.atMs > *it,
                     qPrintable(
                         QStringLiteral("product %1: %2 after %3").arg(change.product->id).arg(change.atMs).arg(*it)));
        }
        lastAt.insert(change.product->id, change.atMs);
        // The webhook's updated_at, in the shop's offset, is the same instant.
        body.clear();
        sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs, body);
        QVERIFY2(parseEvent(parser, *change.shop, body, event, rejection), qPrintable(rejection.detail));
        QCOMPARE(event.updatedAtMs, change.atMs);
    }
    QVERIFY(repeatedProducts > 10000);
}

QTEST_GUILESS_MAIN(TstSimulator)
#include "tst_simulator.moc"
