// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The inventory engine's state per (shop, product), its ordering and dedupe rules, and the Analyzer
// that counts what a stream held and publishes snapshots.
#include "analyzer.h"
#include "apply_result_name.h"
#include "heap_trimmer.h"
#include "inventory_engine.h"
#include "iso_time.h"
#include "json_writer.h"
#include "product_snapshot.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace peakwatch;

Q_DECLARE_METATYPE(peakwatch::ApplyResult)
Q_DECLARE_METATYPE(peakwatch::RejectReason)

namespace {

constexpr qint64 kMinute = 60 * 1000;
// 2026-11-27T05:00:00Z, computed by Qt rather than by the code under test.
const qint64 kT0 = QDateTime(QDate(2026, 11, 27), QTime(5, 0), Qt::UTC).toMSecsSinceEpoch();
constexpr char kShop[] = "northwind-apparel.myshopify.com";

using peakwatch::test::resultName;

QString outcomeName(Analyzer::Outcome o)
{
    switch (o) {
    case Analyzer::Outcome::Accepted: return QStringLiteral("Accepted");
    case Analyzer::Outcome::Duplicate: return QStringLiteral("Duplicate");
    case Analyzer::Outcome::OutOfOrder: return QStringLiteral("OutOfOrder");
    case Analyzer::Outcome::Rejected: return QStringLiteral("Rejected");
    case Analyzer::Outcome::Waiting: return QStringLiteral("Waiting");
    }
    return QStringLiteral("?");
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

// An event as the parser hands it to the engine. The views must outlive the apply() call only.
ProductEvent makeEvent(std::string_view shop, qint64 id, qint64 atMs, qint64 quantity,
                       std::string_view title = "Fleece Hoodie", quint64 webhookId = 0)
{
    ProductEvent e;
    e.shop = shop;
    e.title = title;
    e.productId = id;
    e.minPrice = 240000;
    e.maxPrice = 265000;
    e.hasPrice = true;
    e.quantity = quantity;
    e.tracked = true;
    e.updatedAtMs = atMs;
    e.eventId = webhookId;
    return e;
}

// A JSON string literal for building payloads (the records' own escaper).
QByteArray jsonString(const QByteArray &text)
{
    QByteArray out;
    JsonObjectWriter::appendEscaped(out, std::string_view(text.constData(), size_t(text.size())));
    return out;
}

struct VariantSpec {
    QByteArray price = "24.00";
    qint64 quantity = 0;
    bool tracked = true; // false: "inventory_management": null
};

// A Shopify products/update payload, prices as decimal strings.
QByteArray productsUpdate(qint64 id, const QByteArray &title, qint64 updatedAtMs,
                          const std::vector<VariantSpec> &variants)
{
    QByteArray out = QByteArrayLiteral("{\"id\":") + QByteArray::number(id) + QByteArrayLiteral(",\"title\":") +
                     jsonString(title) + QByteArrayLiteral(",\"updated_at\":") +
                     jsonString(formatIsoTime(updatedAtMs)) + QByteArrayLiteral(",\"variants\":[");
    for (size_t i = 0; i < variants.size(); ++i) {
        if (i > 0)
            out += ',';
        out += QByteArrayLiteral("{\"price\":") + jsonString(variants[i].price) +
               QByteArrayLiteral(",\"inventory_quantity\":") + QByteArray::number(variants[i].quantity);
        if (!variants[i].tracked)
            out += QByteArrayLiteral(",\"inventory_management\":null");
        out += '}';
    }
    out += QByteArrayLiteral("]}");
    return out;
}

QByteArray simplePayload(qint64 id, qint64 updatedAtMs, qint64 quantity, const QByteArray &title = "Fleece Hoodie")
{
    return productsUpdate(id, title, updatedAtMs, {{"24.00", quantity}, {"26.50", 0}});
}

// Feeds messages to an Analyzer as a padded buffer, the way NdjsonReader and the consumer do.
struct Feeder {
    Analyzer analyzer;
    std::vector<Alert> alerts;

    Analyzer::Outcome feed(const QByteArray &value, qint64 position, const QByteArray &key = kShop,
                           const QByteArray &webhookId = {}, int partition = -1)
    {
        const QByteArray buffer = value + QByteArray(qsizetype(EventParser::padding()), '\0');
        RawMessage message;
        message.key = view(key);
        message.value = std::string_view(buffer.constData(), size_t(value.size()));
        message.capacity = size_t(buffer.size());
        message.webhookIdHeader = view(webhookId);
        message.partition = partition;
        message.position = position;
        return analyzer.process(message, alerts);
    }
};

// One event in a dedupe scenario, applied to product 1001 of kShop.
struct Step {
    qint64 minute = 0;
    qint64 quantity = 0;
    QByteArray webhookId; // empty: no X-Shopify-Webhook-Id
    ApplyResult expected = ApplyResult::Accepted;
};

} // namespace

Q_DECLARE_METATYPE(std::vector<Step>)

class TstEngine final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stateFollowsLatestAcceptedEvent();
    void sameProductIdInTwoShopsIsTwoProducts();
    void orderingAndDedupe_data();
    void orderingAndDedupe();
    void historyIsBoundedAndInOrder();
    void watermarkIsLatestAcceptedUpdate();
    void sortedProductsByShopThenId();
    void dropPartitionForgetsExactlyThatPartition();
    void heapTrimmerReturnsFreedMemory();

    void analyzerCountsOutcomes();
    void analyzerKeepsFewRejectSamplesPerReason();
    void analyzerContinuesAfterBadMessage();
    void hostileInputLeavesProductIntact_data();
    void hostileInputLeavesProductIntact();
    void analyzerClockBoundsOnlyTheFuture();
    void salesOf2To53AgainAndAgainStayInRange();
    void analyzerSnapshotsSortedByShopThenId();
    void aProductIsForecastAsOfItsShopsLatestEvent();
    void aShopReadAgainAfterItsPartitionCameBackForecastsAsBefore();
    void snapshotRecordFields();
    void snapshotStatus_data();
    void snapshotStatus();
    void snapshotRecordIgnoresNumericLocale();
};

// ---- InventoryEngine ---------------------------------------------------------------------------

void TstEngine::stateFollowsLatestAcceptedEvent()
{
    InventoryEngine engine;
    QVERIFY(engine.find(kShop, 1001) == nullptr);

    ProductEvent e = makeEvent(kShop, 1001, kT0, 50, "Fleece Hoodie");
    QCOMPARE(resultName(engine.apply(e, 3).result), resultName(ApplyResult::Accepted));
    e = makeEvent(kShop, 1001, kT0 + kMinute, 47, "Fleece Hoodie (Navy)");
    e.minPrice = 199900;
    e.maxPrice = 299900;
    QCOMPARE(resultName(engine.apply(e, 3).result), resultName(ApplyResult::Accepted));
    e = makeEvent(kShop, 1001, kT0 + 3 * kMinute, 45, "Fleece Hoodie – Sale");
    e.minPrice = 150000;
    e.maxPrice = 150000;
    const auto applied = engine.apply(e, 3);
    QCOMPARE(resultName(applied.result), resultName(ApplyResult::Accepted));

    const ProductState *s = engine.find(kShop, 1001);
    QVERIFY(s != nullptr);
    QCOMPARE(applied.state, s);
    QCOMPARE(engine.size(), size_t(1));
    QCOMPARE(s->key.productId, qint64(1001));
    QCOMPARE(engine.shopName(s->key.shop), QByteArray(kShop));
    QCOMPARE(s->title, QByteArray("Fleece Hoodie – Sale"));
    QCOMPARE(s->minPrice, Money(150000));
    QCOMPARE(s->maxPrice, Money(150000));
    QVERIFY(s->hasPrice);
    QVERIFY(s->tracked);
    QCOMPARE(s->quantity, qint64(45));
    QCOMPARE(s->previousQuantity, qint64(47));
    QCOMPARE(s->updatedAtMs, kT0 + 3 * kMinute);
    QCOMPARE(s->partition, 3);

    const auto history = s->historyInOrder();
    QCOMPARE(history.size(), size_t(3));
    QCOMPARE(history[0].atMs, kT0);
    QCOMPARE(history[0].quantity, qint64(50));
    QCOMPARE(history[1].atMs, kT0 + kMinute);
    QCOMPARE(history[1].quantity, qint64(47));
    QCOMPARE(history[2].atMs, kT0 + 3 * kMinute);
    QCOMPARE(history[2].quantity, qint64(45));

    QVERIFY(engine.find(kShop, 1002) == nullptr);
    QVERIFY(engine.find("other.myshopify.com", 1001) == nullptr);
}

void TstEngine::sameProductIdInTwoShopsIsTwoProducts()
{
    InventoryEngine engine;
    const qint64 id = 8841726390317;
    QCOMPARE(resultName(engine.apply(makeEvent("a.myshopify.com", id, kT0, 10, "A")).result),
             resultName(ApplyResult::Accepted));
    // Same id and updated_at in another shop: not a duplicate.
    QCOMPARE(resultName(engine.apply(makeEvent("b.myshopify.com", id, kT0, 20, "B")).result),
             resultName(ApplyResult::Accepted));
    // An older update in shop b is judged against b's state only.
    QCOMPARE(resultName(engine.apply(makeEvent("a.myshopify.com", id, kT0 + 5 * kMinute, 8, "A")).result),
             resultName(ApplyResult::Accepted));
    QCOMPARE(resultName(engine.apply(makeEvent("b.myshopify.com", id, kT0 + 2 * kMinute, 19, "B")).result),
             resultName(ApplyResult::Accepted));

    QCOMPARE(engine.size(), size_t(2));
    const ProductState *a = engine.find("a.myshopify.com", id);
    const ProductState *b = engine.find("b.myshopify.com", id);
    QVERIFY(a && b && a != b);
    QCOMPARE(a->title, QByteArray("A"));
    QCOMPARE(a->quantity, qint64(8));
    QCOMPARE(a->historyInOrder().size(), size_t(2));
    QCOMPARE(b->title, QByteArray("B"));
    QCOMPARE(b->quantity, qint64(19));
    QCOMPARE(b->updatedAtMs, kT0 + 2 * kMinute);
}

void TstEngine::orderingAndDedupe_data()
{
    QTest::addColumn<std::vector<Step>>("steps");
    using R = ApplyResult;

    QTest::addRow("newer update is accepted") << std::vector<Step>{{0, 50, {}, R::Accepted}, {1, 48, {}, R::Accepted}};
    QTest::addRow("older updated_at is out of order and changes nothing")
        << std::vector<Step>{{0, 50, {}, R::Accepted}, {5, 45, {}, R::Accepted}, {3, 47, {}, R::OutOfOrder}};
    QTest::addRow("same webhook id with a newer updated_at is a duplicate")
        << std::vector<Step>{{0, 50, "w1", R::Accepted}, {1, 48, "w1", R::Duplicate}};
    QTest::addRow("same webhook id with an older updated_at is a duplicate")
        << std::vector<Step>{{0, 50, "w1", R::Accepted}, {5, 45, "w2", R::Accepted}, {3, 47, "w1", R::Duplicate}};
    QTest::addRow("same product and updated_at without webhook id is a duplicate")
        << std::vector<Step>{{0, 50, {}, R::Accepted}, {0, 49, {}, R::Duplicate}};
    QTest::addRow("same product and updated_at with another webhook id is a duplicate")
        << std::vector<Step>{{0, 50, "w1", R::Accepted}, {0, 49, "w2", R::Duplicate}};
    QTest::addRow("old redelivery whose updated_at is in the history is a duplicate") << std::vector<Step>{
        {0, 50, {}, R::Accepted}, {1, 48, {}, R::Accepted}, {2, 46, {}, R::Accepted}, {1, 48, {}, R::Duplicate}};
    QTest::addRow("old redelivery under a new webhook id is still a duplicate")
        << std::vector<Step>{{0, 50, "w1", R::Accepted}, {1, 48, "w2", R::Accepted}, {0, 50, "w9", R::Duplicate}};
    QTest::addRow("older updated_at not in the history is out of order")
        << std::vector<Step>{{0, 50, {}, R::Accepted}, {4, 46, {}, R::Accepted}, {2, 48, {}, R::OutOfOrder}};
    QTest::addRow("a rejected event does not block the next newer one")
        << std::vector<Step>{{0, 50, "w1", R::Accepted}, {0, 50, "w1", R::Duplicate}, {-1, 51, {}, R::OutOfOrder},
                             {1, 49, "w2", R::Accepted}, {2, 40, "w1", R::Duplicate}, {3, 39, "w3", R::Accepted}};
}

void TstEngine::orderingAndDedupe()
{
    QFETCH(std::vector<Step>, steps);
    InventoryEngine engine;
    std::vector<const Step *> accepted;
    std::vector<QByteArray> titles;
    titles.reserve(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step &step = steps[i];
        titles.push_back("update " + QByteArray::number(qulonglong(i)));
        ProductEvent e = makeEvent(kShop, 1001, kT0 + step.minute * kMinute, step.quantity, view(titles.back()),
                                   step.webhookId.isEmpty() ? 0 : fnv1a64(view(step.webhookId)));
        e.minPrice = e.maxPrice = Money(10000 * (i + 1)); // each step carries its own price
        const auto applied = engine.apply(e);
        QVERIFY2(applied.state != nullptr, qPrintable(QStringLiteral("step %1").arg(i)));
        QCOMPARE(resultName(applied.result), resultName(step.expected));
        if (step.expected == ApplyResult::Accepted)
            accepted.push_back(&step);
    }

    // The state is exactly what the accepted events made it: rejected ones changed nothing.
    const ProductState *s = engine.find(kShop, 1001);
    QVERIFY(s != nullptr);
    const Step &last = *accepted.back();
    const size_t lastIndex = size_t(&last - steps.data());
    QCOMPARE(s->quantity, last.quantity);
    QCOMPARE(s->updatedAtMs, kT0 + last.minute * kMinute);
    QCOMPARE(s->title, titles[lastIndex]);
    QCOMPARE(s->minPrice, Money(10000 * (lastIndex + 1)));
    QCOMPARE(s->previousQuantity, accepted.size() > 1 ? accepted[accepted.size() - 2]->quantity : last.quantity);
    const auto history = s->historyInOrder();
    QCOMPARE(history.size(), accepted.size());
    for (size_t i = 0; i < accepted.size(); ++i) {
        QCOMPARE(history[i].atMs, kT0 + accepted[i]->minute * kMinute);
        QCOMPARE(history[i].quantity, accepted[i]->quantity);
    }
    qint64 latest = std::numeric_limits<qint64>::min();
    for (const Step *step : accepted)
        latest = std::max(latest, kT0 + step->minute * kMinute);
    QCOMPARE(engine.watermarkMs(), latest);
}

void TstEngine::historyIsBoundedAndInOrder()
{
    InventoryEngine engine(PredictorParams{}, 8);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(resultName(engine.apply(makeEvent(kShop, 1001, kT0 + i * kMinute, 100 - i)).result),
                 resultName(ApplyResult::Accepted));
    const ProductState *s = engine.find(kShop, 1001);
    QVERIFY(s != nullptr);
    QCOMPARE(s->history.size(), size_t(8));
    QCOMPARE(engine.historyPoints(), size_t(8)); // the count stops at the bound too
    QVERIFY(engine.apply(makeEvent(kShop, 1002, kT0, 5)).result == ApplyResult::Accepted);
    QCOMPARE(engine.historyPoints(), size_t(9));
    const auto history = s->historyInOrder();
    QCOMPARE(history.size(), size_t(8));
    for (int i = 0; i < 8; ++i) { // the newest eight: updates 12..19
        QCOMPARE(history[size_t(i)].atMs, kT0 + (12 + i) * kMinute);
        QCOMPARE(history[size_t(i)].quantity, qint64(100 - 12 - i));
    }
    QCOMPARE(s->quantity, qint64(81));
}

void TstEngine::watermarkIsLatestAcceptedUpdate()
{
    InventoryEngine engine;
    const quint64 w1 = fnv1a64("w1");
    QVERIFY(engine.apply(makeEvent(kShop, 1, kT0 + 5 * kMinute, 10, "x", w1)).result == ApplyResult::Accepted);
    QCOMPARE(engine.watermarkMs(), kT0 + 5 * kMinute);
    // Another product's older update is accepted, but does not move event time back.
    QVERIFY(engine.apply(makeEvent(kShop, 2, kT0 + 3 * kMinute, 10)).result == ApplyResult::Accepted);
    QCOMPARE(engine.watermarkMs(), kT0 + 5 * kMinute);
    // Rejected updates never move it, even forward.
    QVERIFY(engine.apply(makeEvent(kShop, 1, kT0 + 9 * kMinute, 9, "x", w1)).result == ApplyResult::Duplicate);
    QCOMPARE(engine.watermarkMs(), kT0 + 5 * kMinute);
    QVERIFY(engine.apply(makeEvent(kShop, 1, kT0 + 4 * kMinute, 9)).result == ApplyResult::OutOfOrder);
    QCOMPARE(engine.watermarkMs(), kT0 + 5 * kMinute);
    QVERIFY(engine.apply(makeEvent(kShop, 2, kT0 + 7 * kMinute, 9)).result == ApplyResult::Accepted);
    QCOMPARE(engine.watermarkMs(), kT0 + 7 * kMinute);
}

void TstEngine::sortedProductsByShopThenId()
{
    // Shops are first seen out of name order, ids out of numeric (and text) order.
    const std::vector<std::pair<QByteArray, qint64>> input{
        {"b.myshopify.com", 10},  {"a.myshopify.com", 9007199254740993}, {"b.myshopify.com", 9},
        {"c.myshopify.com", 1},   {"a.myshopify.com", 9007199254740992}, {"a-b.myshopify.com", 5},
        {"a.myshopify.com", 100}, {"b.myshopify.com", 8841726390317},
    };
    InventoryEngine engine;
    for (const auto &[shop, id] : input)
        QVERIFY(engine.apply(makeEvent(view(shop), id, kT0, 5)).result == ApplyResult::Accepted);

    auto expected = input;
    std::sort(expected.begin(), expected.end());
    const auto sorted = engine.sortedProducts();
    QCOMPARE(sorted.size(), expected.size());
    for (size_t i = 0; i < sorted.size(); ++i) {
        QCOMPARE(engine.shopName(sorted[i]->key.shop), expected[i].first);
        QCOMPARE(sorted[i]->key.productId, expected[i].second);
    }

    size_t visited = 0;
    engine.forEach([&](const ProductState &) { ++visited; });
    QCOMPARE(visited, input.size());
}

void TstEngine::dropPartitionForgetsExactlyThatPartition()
{
    InventoryEngine engine;
    const auto apply = [&](const char *shop, qint64 id, qint64 minute, int partition) {
        return engine.apply(makeEvent(shop, id, kT0 + minute * kMinute, 5), partition).result;
    };
    QVERIFY(apply("a.myshopify.com", 1, 0, 0) == ApplyResult::Accepted);
    QVERIFY(apply("a.myshopify.com", 2, 0, 1) == ApplyResult::Accepted);
    QVERIFY(apply("b.myshopify.com", 3, 0, 1) == ApplyResult::Accepted);
    QVERIFY(apply("b.myshopify.com", 4, 0, 2) == ApplyResult::Accepted);
    QVERIFY(apply("c.myshopify.com", 5, 0, 1) == ApplyResult::Accepted);
    QVERIFY(apply("c.myshopify.com", 5, 1, 2) == ApplyResult::Accepted); // last seen on partition 2
    QCOMPARE(engine.size(), size_t(5));
    QCOMPARE(engine.historyPoints(), size_t(6));

    QCOMPARE(engine.dropPartition(1), size_t(2));
    QCOMPARE(engine.size(), size_t(3));
    QCOMPARE(engine.historyPoints(), size_t(4)); // the dropped products' points go with them
    QVERIFY(engine.find("a.myshopify.com", 2) == nullptr);
    QVERIFY(engine.find("b.myshopify.com", 3) == nullptr);
    QVERIFY(engine.find("a.myshopify.com", 1) != nullptr);
    QVERIFY(engine.find("b.myshopify.com", 4) != nullptr);
    QVERIFY(engine.find("c.myshopify.com", 5) != nullptr);
    QCOMPARE(engine.find("c.myshopify.com", 5)->historyInOrder().size(), size_t(2));

    QCOMPARE(engine.dropPartition(1), size_t(0));
    QCOMPARE(engine.dropPartition(7), size_t(0));
    QCOMPARE(engine.size(), size_t(3));

    // A dropped product is rebuilt from scratch by whoever sees it next.
    QVERIFY(apply("a.myshopify.com", 2, 0, 1) == ApplyResult::Accepted);
    QCOMPARE(engine.find("a.myshopify.com", 2)->historyInOrder().size(), size_t(1));
}

// ---- Analyzer ----------------------------------------------------------------------------------

void TstEngine::analyzerCountsOutcomes()
{
    using O = Analyzer::Outcome;
    Feeder f;
    const QByteArray badPrice = productsUpdate(1001, "x", kT0 + 9 * kMinute, {{"abc", 3}});
    const std::vector<std::pair<O, O>> outcomes{
        {f.feed(simplePayload(1001, kT0, 50), 1), O::Accepted},
        {f.feed(simplePayload(1001, kT0, 50), 2), O::Duplicate},
        {f.feed(simplePayload(1001, kT0 + 2 * kMinute, 48), 3, kShop, "w1"), O::Accepted},
        {f.feed(simplePayload(1001, kT0 + 3 * kMinute, 47), 4, kShop, "w1"), O::Duplicate},
        {f.feed(simplePayload(1001, kT0 + kMinute, 49), 5), O::OutOfOrder},
        {f.feed("{\"id\":1001,", 6), O::Rejected},
        {f.feed(badPrice, 7), O::Rejected},
        {f.feed(simplePayload(1002, kT0, 10), 8), O::Accepted},
        {f.feed("[1,2]", 9), O::Rejected},
        {f.feed("not json", 10), O::Rejected},
    };
    for (const auto &[got, want] : outcomes)
        QCOMPARE(outcomeName(got), outcomeName(want));

    const Analyzer &a = f.analyzer;
    QCOMPARE(a.accepted(), qint64(3));
    QCOMPARE(a.duplicates(), qint64(2));
    QCOMPARE(a.outOfOrder(), qint64(1));
    QCOMPARE(a.rejects().total(), qint64(4));
    QCOMPARE(a.rejects().count(RejectReason::InvalidJson), qint64(2));
    QCOMPARE(a.rejects().count(RejectReason::BadPrice), qint64(1));
    QCOMPARE(a.rejects().count(RejectReason::NotAnObject), qint64(1));
    QCOMPARE(a.rejects().count(RejectReason::WrongType), qint64(0));
    QCOMPARE(a.engine().find(kShop, 1001)->quantity, qint64(48));

    const QString summary = a.summary();
    for (const char *part : {"accepted 3", "duplicates 2", "out of order 1", "rejected 4", "invalid_json 2",
                             "bad_price 1", "not_an_object 1"})
        QVERIFY2(summary.contains(QLatin1String(part)),
                 qPrintable(summary + QLatin1String(" lacks ") + QLatin1String(part)));
    QVERIFY2(!summary.contains(QLatin1String("wrong_type")), qPrintable(summary));
}

void TstEngine::hostileInputLeavesProductIntact_data()
{
    QTest::addColumn<QByteArray>("hostile");
    QTest::addColumn<RejectReason>("reason");
    const QByteArray time = formatIsoTime(kT0 + kMinute);
    QTest::addRow("variants of -2^63 and -1 (would wrap to 2^63 - 1 in stock)")
        << QByteArrayLiteral("{\"id\":1001,\"title\":\"x\",\"updated_at\":\"") + time +
               QByteArrayLiteral("\",\"variants\":[{\"price\":\"1.00\",\"inventory_quantity\":-9223372036854775808},"
                                 "{\"price\":\"1.00\",\"inventory_quantity\":-1}]}")
        << RejectReason::QuantityOutOfRange;
    QTest::addRow("variants of 2^62 and 2^62 (would overflow a sale's difference)")
        << QByteArrayLiteral("{\"id\":1001,\"title\":\"x\",\"updated_at\":\"") + time +
               QByteArrayLiteral("\",\"variants\":[{\"price\":\"1.00\",\"inventory_quantity\":4611686018427387904},"
                                 "{\"price\":\"1.00\",\"inventory_quantity\":4611686018427387904}]}")
        << RejectReason::QuantityOutOfRange;
    QTest::addRow("an event dated 9999-12-31 (would make every later update out of order)")
        << simplePayload(1001, *parseIsoTime("9999-12-31T23:59:59Z"), 40) << RejectReason::FutureTimestamp;
    QTest::addRow("a Spark-output row with minPrice above maxPrice")
        << QByteArrayLiteral("{\"id\":1001,\"timestamp\":\"") + time +
               QByteArrayLiteral("\",\"title\":\"x\",\"minPrice\":30.0,\"maxPrice\":20.0,\"quantity\":40}")
        << RejectReason::PriceRangeInverted;
}

void TstEngine::hostileInputLeavesProductIntact()
{
    QFETCH(QByteArray, hostile);
    QFETCH(RejectReason, reason);
    using O = Analyzer::Outcome;
    Feeder f;
    QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0, 50), 1)), outcomeName(O::Accepted));
    QCOMPARE(outcomeName(f.feed(hostile, 2)), outcomeName(O::Rejected));
    QCOMPARE(f.analyzer.rejects().count(reason), qint64(1));
    QCOMPARE(f.analyzer.rejects().total(), qint64(1));
    QVERIFY2(f.analyzer.summary().contains(rejectReasonName(reason)), qPrintable(f.analyzer.summary()));
    // The product is as it was, and the next real update is taken.
    QCOMPARE(f.analyzer.engine().find(kShop, 1001)->quantity, qint64(50));
    QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0 + 5 * kMinute, 45), 3)), outcomeName(O::Accepted));
    const ProductState *state = f.analyzer.engine().find(kShop, 1001);
    QCOMPARE(state->quantity, qint64(45));
    QCOMPARE(state->updatedAtMs, kT0 + 5 * kMinute);
    QCOMPARE(f.analyzer.accepted(), qint64(2));
    QCOMPARE(f.analyzer.outOfOrder(), qint64(0));
    QCOMPARE(f.analyzer.engine().watermarkMs(), kT0 + 5 * kMinute);
    for (const Alert &alert : f.alerts)
        QVERIFY2(alert.quantity >= 0 && alert.quantity <= 50, qPrintable(alert.message));
}

void TstEngine::analyzerClockBoundsOnlyTheFuture()
{
    using O = Analyzer::Outcome;
    Feeder f;
    qint64 nowMs = kT0;
    f.analyzer.setClock([&nowMs] { return nowMs; });
    // A replay of old data is never bounded; two days ahead of "now" is.
    QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0 - 400 * 24 * 60 * kMinute, 60), 1)), outcomeName(O::Accepted));
    QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0 + 2 * 24 * 60 * kMinute, 50), 2)), outcomeName(O::Rejected));
    QCOMPARE(f.analyzer.rejects().count(RejectReason::FutureTimestamp), qint64(1));
    // Once the clock has moved on, the same event is in time.
    nowMs = kT0 + 2 * 24 * 60 * kMinute;
    QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0 + 2 * 24 * 60 * kMinute, 50), 3)), outcomeName(O::Accepted));
}

void TstEngine::salesOf2To53AgainAndAgainStayInRange()
{
    // Each sale is as large as a quantity may be; together they pass 2^63 thousandths of a unit in the shop's demand.
    Feeder f;
    constexpr qint64 k2To53 = qint64(1) << 53;
    for (int i = 0; i < 3000; ++i)
        QCOMPARE(outcomeName(f.feed(simplePayload(1001, kT0 + i * 1000, i % 2 == 0 ? k2To53 : 0), i + 1)),
                 outcomeName(Analyzer::Outcome::Accepted));
    const ProductState *state = f.analyzer.engine().find(kShop, 1001);
    QCOMPARE(state->quantity, qint64(0));
    const auto shopRate =
        f.analyzer.engine().shopDemand(*state).demandPerHour(kT0 + 3000 * 1000, f.analyzer.engine().predictorParams());
    QVERIFY(!shopRate || (std::isfinite(*shopRate) && *shopRate >= 0));
    for (const Alert &alert : f.alerts)
        QVERIFY2(!alert.message.contains(QLatin1String("selling -")), qPrintable(alert.message));
}

void TstEngine::analyzerKeepsFewRejectSamplesPerReason()
{
    Feeder f;
    const int n = RejectLog::kSamplesPerReason + 3;
    for (int line = 1; line <= n; ++line)
        QVERIFY(f.feed("{\"truncated\":", line) == Analyzer::Outcome::Rejected);
    for (qint64 offset = 4411; offset < 4414; ++offset)
        QVERIFY(f.feed(productsUpdate(1001, "x", kT0, {{"1.2.3", 3}}), offset, kShop, {}, 3) ==
                Analyzer::Outcome::Rejected);

    const RejectLog &log = f.analyzer.rejects();
    QCOMPARE(log.count(RejectReason::InvalidJson), qint64(n));
    const auto &json = log.samples(RejectReason::InvalidJson);
    QCOMPARE(json.size(), qsizetype(RejectLog::kSamplesPerReason));
    for (qsizetype i = 0; i < json.size(); ++i) { // the first ones, in order
        QCOMPARE(json[i].position, qint64(i + 1));
        QCOMPARE(json[i].partition, -1);
        QVERIFY(!json[i].detail.isEmpty());
    }
    QCOMPARE(RejectLog::where(json[0]), QStringLiteral("line 1"));

    QCOMPARE(log.count(RejectReason::BadPrice), qint64(3));
    const auto &price = log.samples(RejectReason::BadPrice);
    QCOMPARE(price.size(), qsizetype(3));
    QCOMPARE(price[0].partition, 3);
    QCOMPARE(price[0].position, qint64(4411));
    QCOMPARE(price[2].position, qint64(4413));
    QVERIFY2(price[0].detail.contains(QLatin1String("price")) && price[0].detail.contains(QLatin1String("1.2.3")),
             qPrintable(price[0].detail));
    QCOMPARE(RejectLog::where(price[0]), QStringLiteral("partition 3 offset 4411"));
    QVERIFY(log.samples(RejectReason::MissingField).isEmpty());
}

void TstEngine::analyzerContinuesAfterBadMessage()
{
    Feeder f;
    QVERIFY(f.feed(simplePayload(1, kT0, 30), 1) == Analyzer::Outcome::Accepted);
    QVERIFY(f.feed("{\"id\":2,\"title\":\"Beanie\",\"variants\":[{\"price\":", 2) == Analyzer::Outcome::Rejected);
    QVERIFY(f.feed(QByteArray("{\"id\":2,\"title\":\"Bea\xff"
                              "nie\"}"),
                   3) == Analyzer::Outcome::Rejected);
    QVERIFY(f.feed(productsUpdate(2, "Beanie", kT0, {}), 4) == Analyzer::Outcome::Rejected);
    QVERIFY(f.feed(simplePayload(2, kT0 + kMinute, 12, "Beanie"), 5) == Analyzer::Outcome::Accepted);
    QVERIFY(f.feed(simplePayload(1, kT0 + 2 * kMinute, 28), 6) == Analyzer::Outcome::Accepted);

    QCOMPARE(f.analyzer.accepted(), qint64(3));
    QCOMPARE(f.analyzer.rejects().total(), qint64(3));
    QCOMPARE(f.analyzer.rejects().count(RejectReason::InvalidJson), qint64(1));
    QCOMPARE(f.analyzer.rejects().count(RejectReason::NotUtf8), qint64(1));
    QCOMPARE(f.analyzer.rejects().count(RejectReason::NoVariants), qint64(1));
    const auto snapshots = f.analyzer.snapshots();
    QCOMPARE(snapshots.size(), size_t(2));
    QCOMPARE(snapshots[0].productId, qint64(1));
    QCOMPARE(snapshots[0].quantity, qint64(28));
    QCOMPARE(snapshots[1].productId, qint64(2));
    QCOMPARE(snapshots[1].title, QByteArray("Beanie"));
    QCOMPARE(snapshots[1].quantity, qint64(12));
}

void TstEngine::analyzerSnapshotsSortedByShopThenId()
{
    Feeder f;
    const std::vector<std::pair<QByteArray, qint64>> input{
        {"b.myshopify.com", 20}, {"a.myshopify.com", 9007199254740993}, {"b.myshopify.com", 3}, {"a.myshopify.com", 7},
        {"c.myshopify.com", 1},
    };
    qint64 line = 0;
    for (const auto &[shop, id] : input)
        QVERIFY(f.feed(simplePayload(id, kT0, 40), ++line, shop) == Analyzer::Outcome::Accepted);

    auto expected = input;
    std::sort(expected.begin(), expected.end());
    const auto snapshots = f.analyzer.snapshots();
    QCOMPARE(snapshots.size(), expected.size());
    for (size_t i = 0; i < snapshots.size(); ++i) {
        QCOMPARE(snapshots[i].shop, expected[i].first);
        QCOMPARE(snapshots[i].productId, expected[i].second);
    }
}

void TstEngine::aProductIsForecastAsOfItsShopsLatestEvent()
{
    // One reader of both shops, and one of shop a's partition alone (a consumer group's member): shop a's
    // products are forecast alike, though shop b's stream runs on for three hours after a's last event.
    Feeder both, aAlone;
    const QByteArray a = "a.myshopify.com", b = "b.myshopify.com";
    qint64 line = 0;
    for (int i = 0; i <= 6; ++i) {
        const QByteArray fromA = simplePayload(1, kT0 + i * 5 * kMinute, 60 - 5 * i);
        QVERIFY(both.feed(fromA, ++line, a) == Analyzer::Outcome::Accepted);
        QVERIFY(aAlone.feed(fromA, line, a) == Analyzer::Outcome::Accepted);
    }
    for (int i = 0; i <= 36; ++i)
        QVERIFY(both.feed(simplePayload(2, kT0 + i * 5 * kMinute, 500 - i), ++line, b) == Analyzer::Outcome::Accepted);
    QCOMPARE(both.analyzer.engine().watermarkMs(), kT0 + 3 * 60 * kMinute);

    const ProductSnapshot grouped = aAlone.analyzer.snapshots().front();
    const ProductSnapshot single = both.analyzer.snapshots().front();
    QCOMPARE(single.shop, a);
    QCOMPARE(snapshotRecord(single), snapshotRecord(grouped));
    // As of a's last event (30 minutes in, 30 units left at 60 an hour), not of b's three hours of stream.
    QVERIFY(single.ratePerHour && *single.ratePerHour > 30);
    QVERIFY(single.selloutAtMs && *single.selloutAtMs > kT0 + 30 * kMinute &&
            *single.selloutAtMs < kT0 + 3 * 60 * kMinute);
}

void TstEngine::aShopReadAgainAfterItsPartitionCameBackForecastsAsBefore()
{
    // A consumer group's member loses shop a's partition in a rebalance and is given it back: it reads it again
    // from the start, and forecasts as a member that only ever read it once.
    Feeder again, once;
    const QByteArray a = "a.myshopify.com", b = "b.myshopify.com";
    const auto readA = [&](Feeder &f) {
        for (int i = 0; i <= 6; ++i)
            QVERIFY(f.feed(simplePayload(1 + i % 2, kT0 + i * 5 * kMinute, 60 - 5 * i), i + 1, a, {}, 0) ==
                    Analyzer::Outcome::Accepted);
    };
    readA(again);
    for (int i = 0; i <= 3; ++i)
        QVERIFY(again.feed(simplePayload(9, kT0 + i * 7 * kMinute, 300 - i), 100 + i, b, {}, 1) ==
                Analyzer::Outcome::Accepted);
    QCOMPARE(again.analyzer.dropPartition(0), size_t(2));
    readA(again);
    readA(once);
    const auto ofShopA = [&a](const Analyzer &analyzer) {
        QByteArrayList records;
        for (const ProductSnapshot &s : analyzer.snapshots())
            if (s.shop == a)
                records << snapshotRecord(s);
        return records;
    };
    QCOMPARE(ofShopA(again.analyzer).size(), qsizetype(2));
    QCOMPARE(ofShopA(again.analyzer), ofShopA(once.analyzer));
}

void TstEngine::snapshotRecordFields()
{
    Feeder f;
    const qint64 id = 9007199254740993; // 2^53 + 1: a double would make it ...992
    const QByteArray title = "Fleece \"Navy\" Hoodie \\ Größe M – 50% off";
    const QByteArray payload =
        productsUpdate(id, title, kT0 + 3 * kMinute + 12 * 1000, {{"24.00", 14}, {"24.00", 3}, {"26.50", 0}});
    QVERIFY(f.feed(payload, 1) == Analyzer::Outcome::Accepted);

    const auto snapshots = f.analyzer.snapshots();
    QCOMPARE(snapshots.size(), size_t(1));
    const QByteArray record = snapshotRecord(snapshots[0]);
    QVERIFY2(!record.endsWith('\n'), record.constData());
    QVERIFY2(record.contains("\"product_id\":9007199254740993"), record.constData());

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(record, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + QLatin1String(": ") + QString::fromUtf8(record)));
    QVERIFY(doc.isObject());
    const QJsonObject o = doc.object();
    for (const char *key : {"type", "shop", "product_id", "title", "min_price", "max_price", "quantity", "updated_at",
                            "rate_per_hour", "sellout_at", "status"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value(QLatin1String("type")).toString(), QStringLiteral("snapshot"));
    QCOMPARE(o.value(QLatin1String("shop")).toString(), QString::fromLatin1(kShop));
    QVERIFY(o.value(QLatin1String("product_id")).isDouble());
    QCOMPARE(o.value(QLatin1String("title")).toString(), QString::fromUtf8(title));
    QCOMPARE(o.value(QLatin1String("min_price")).toDouble(), 24.0);
    QCOMPARE(o.value(QLatin1String("max_price")).toDouble(), 26.5);
    QCOMPARE(o.value(QLatin1String("quantity")).toInteger(), qint64(17));
    QCOMPARE(o.value(QLatin1String("updated_at")).toString(), QStringLiteral("2026-11-27T05:03:12Z"));
    QVERIFY(o.value(QLatin1String("rate_per_hour")).isNull()); // one event: no rate yet
    QVERIFY(o.value(QLatin1String("sellout_at")).isNull());
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("ok"));
}

void TstEngine::snapshotStatus_data()
{
    QTest::addColumn<QList<qint64>>("quantities"); // one update a minute from kT0
    QTest::addColumn<bool>("tracked");
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("hasRate");
    QTest::addColumn<qint64>("selloutMinute"); // -1: sellout_at is null; -2: any time after the last update

    QTest::addRow("all variants untracked")
        << QList<qint64>{5} << false << QStringLiteral("untracked") << false << qint64(-1);
    QTest::addRow("untracked even when it sells")
        << QList<qint64>{100, 90, 80} << false << QStringLiteral("untracked") << false << qint64(-1);
    QTest::addRow("zero stock is sold out since that update")
        << QList<qint64>{3, 0} << true << QStringLiteral("sold_out") << false << qint64(1);
    QTest::addRow("sold out since the first of several zero updates")
        << QList<qint64>{3, 0, 0} << true << QStringLiteral("sold_out") << false << qint64(1);
    QTest::addRow("oversold is sold out")
        << QList<qint64>{2, -3} << true << QStringLiteral("sold_out") << false << qint64(1);
    QTest::addRow("at the low-stock threshold is low")
        << QList<qint64>{10} << true << QStringLiteral("low") << false << qint64(-1);
    QTest::addRow("above the low-stock threshold is ok")
        << QList<qint64>{11} << true << QStringLiteral("ok") << false << qint64(-1);
    QTest::addRow("restocked after selling out is ok")
        << QList<qint64>{1, 0, 100} << true << QStringLiteral("ok") << false << qint64(-1);
    QTest::addRow("steady seller about to run out is selling out")
        << QList<qint64>{100, 90, 80} << true << QStringLiteral("selling_out") << true << qint64(-2);
}

void TstEngine::snapshotStatus()
{
    QFETCH(QList<qint64>, quantities);
    QFETCH(bool, tracked);
    QFETCH(QString, status);
    QFETCH(bool, hasRate);
    QFETCH(qint64, selloutMinute);

    Feeder f;
    for (qsizetype i = 0; i < quantities.size(); ++i) {
        const QByteArray payload =
            productsUpdate(1001, "Fleece Hoodie", kT0 + i * kMinute, {{"24.00", quantities[i], tracked}});
        QVERIFY(f.feed(payload, i + 1) == Analyzer::Outcome::Accepted);
    }
    const auto snapshots = f.analyzer.snapshots();
    QCOMPARE(snapshots.size(), size_t(1));
    const ProductSnapshot &snap = snapshots[0];
    QCOMPARE(productStatusName(snap.status), status);
    QCOMPARE(snap.ratePerHour.has_value(), hasRate);

    const QByteArray record = snapshotRecord(snap);
    const QJsonObject o = QJsonDocument::fromJson(record).object();
    QVERIFY2(!o.isEmpty(), record.constData());
    QCOMPARE(o.value(QLatin1String("status")).toString(), status);
    QCOMPARE(o.value(QLatin1String("rate_per_hour")).isDouble(), hasRate);
    const qint64 lastUpdate = kT0 + (quantities.size() - 1) * kMinute;
    if (selloutMinute == -1) {
        QVERIFY2(o.value(QLatin1String("sellout_at")).isNull(), record.constData());
    } else {
        const QByteArray text = o.value(QLatin1String("sellout_at")).toString().toLatin1();
        const auto at = parseIsoTime(view(text));
        QVERIFY2(at.has_value(), record.constData());
        if (selloutMinute >= 0)
            QCOMPARE(*at, kT0 + selloutMinute * kMinute);
        else
            QVERIFY2(*at > lastUpdate, record.constData());
    }
}

void TstEngine::snapshotRecordIgnoresNumericLocale()
{
    // QCoreApplication adopts the user's locale (setlocale(LC_ALL, "")); under de_DE a printf-style
    // "%g" writes 12,5, which is not JSON.
    // A German locale, installed or else compiled here from Debian's locale sources (the package locales) into a
    // directory of the test's own: the test runs under a decimal comma on every machine, never skipped.
    const std::string saved = std::setlocale(LC_NUMERIC, nullptr);
    const QByteArray savedLocPath = qgetenv("LOCPATH");
    const bool hadLocPath = qEnvironmentVariableIsSet("LOCPATH");
    const auto restore = qScopeGuard([&] {
        std::setlocale(LC_NUMERIC, saved.c_str());
        if (hadLocPath)
            qputenv("LOCPATH", savedLocPath);
        else
            qunsetenv("LOCPATH");
    });
    QTemporaryDir locales;
    const char *found = nullptr;
    for (const char *name : {"de_DE.UTF-8", "de_DE.utf8"})
        if (std::setlocale(LC_NUMERIC, name)) {
            found = name;
            break;
        }
    if (!found) {
        QVERIFY(locales.isValid());
        QProcess localedef;
        localedef.start(QStringLiteral("localedef"),
                        {QStringLiteral("-i"), QStringLiteral("de_DE"), QStringLiteral("-f"), QStringLiteral("UTF-8"),
                         locales.filePath(QStringLiteral("de_DE.UTF-8"))});
        QVERIFY2(localedef.waitForFinished(60'000) && localedef.exitCode() == 0,
                 qPrintable(QStringLiteral("localedef -i de_DE -f UTF-8 failed (the Debian package locales brings its "
                                           "sources): ") +
                            QString::fromLocal8Bit(localedef.readAllStandardError())));
        qputenv("LOCPATH", QFile::encodeName(locales.path()));
        found = std::setlocale(LC_NUMERIC, "de_DE.UTF-8") ? "de_DE.UTF-8 (compiled here)" : nullptr;
    }
    QVERIFY2(found, "no German locale could be set");
    QCOMPARE(std::localeconv()->decimal_point, ",");
    // The trap itself: under this locale printf's %g writes a comma.
    char printed[16];
    std::snprintf(printed, sizeof printed, "%g", 12.5);
    QCOMPARE(QByteArray(printed), QByteArray("12,5"));

    ProductSnapshot snap;
    snap.shop = kShop;
    snap.productId = 1001;
    snap.title = "Fleece Hoodie";
    snap.minPrice = 240000;
    snap.maxPrice = 265000;
    snap.hasPrice = true;
    snap.quantity = 40;
    snap.updatedAtMs = kT0;
    snap.ratePerHour = 12.5;
    snap.selloutAtMs = kT0 + 3 * 60 * kMinute;
    snap.status = ProductStatus::Ok;
    snap.confidence = 0.75;
    snap.observations = 4;

    const QByteArray record = snapshotRecord(snap);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(record, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(QLatin1String(found) + QLatin1String(": ") + QString::fromUtf8(record)));
    QCOMPARE(o.value(QLatin1String("rate_per_hour")).toDouble(), 12.5);
    QCOMPARE(o.value(QLatin1String("min_price")).toDouble(), 24.0);
}

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace

void TstEngine::heapTrimmerReturnsFreedMemory()
{
#ifdef PEAKWATCH_SANITIZED
    QSKIP("AddressSanitizer's allocator replaces glibc's, which the trimmer trims");
#endif
    // What a busy thread frees stays in its arena: a block still in use above the freed ones keeps glibc from
    // shrinking the arena, so the freed pages stay resident until they are trimmed.
    constexpr size_t kBlock = 4096, kBlocks = 24 * 1024; // 96 MiB
    std::thread([] {
        std::vector<char *> blocks(kBlocks);
        for (char *&b : blocks) {
            b = static_cast<char *>(std::malloc(kBlock));
            QVERIFY(b != nullptr);
            for (size_t i = 0; i < kBlock; i += 512)
                static_cast<volatile char *>(b)[i] = char(i); // resident
        }
        for (size_t i = 0; i < kBlocks; ++i)
            if (i % 64 != 63)
                std::free(blocks[i]);
        // Every 64th block stays allocated on purpose: the leak is the fragmentation under test.
    }).join();
    const qint64 before = residentKiB();
    QVERIFY(before > 0);
    HeapTrimmer trimmer(std::chrono::milliseconds(20));
    QTRY_VERIFY_WITH_TIMEOUT(trimmer.trims() >= 1, 5000);
    const qint64 after = residentKiB();
    qInfo("resident %lld KiB before the trim, %lld KiB after", before, after);
    QVERIFY2(before - after > 64 * 1024, "the trimmer released less than 64 of the 94 MiB freed");
}

QTEST_GUILESS_MAIN(TstEngine)
#include "tst_engine.moc"
