// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// What Peakwatch accepts on the wire and how it reads it: the three value shapes, every class of bad
// input, the NDJSON file format, ISO 8601 times and exact money.
#include "event_parser.h"
#include "iso_time.h"
#include "json_writer.h"
#include "money.h"
#include "ndjson_reader.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>

#include <memory>
#include <optional>
#include <vector>

using namespace peakwatch;

Q_DECLARE_METATYPE(peakwatch::RejectReason)

namespace {

// Expected times come from Qt, not from the code under test.
qint64 utcMs(int year, int month, int day, int hour, int minute, int second, int ms = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), Qt::UTC).toMSecsSinceEpoch();
}

const qint64 kSampleUpdatedAt = utcMs(2026, 11, 27, 5, 3, 12); // "2026-11-27T00:03:12-05:00"
constexpr qint64 kSampleProductId = 8841726390317;
constexpr char kSampleShop[] = "northwind-apparel.myshopify.com";
// The sample envelope carries both ids; the event id names the event (the same for every subscription).
constexpr char kSampleEventId[] = "98880550-7158-44d4-b7cd-2c97c8a091b5";

QByteArray readSample(const char *name)
{
    QFile file(QString::fromUtf8(PEAKWATCH_SAMPLES_DIR) + u'/' + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open sample %s", qPrintable(file.fileName()));
    return file.readAll();
}

// The samples are pretty-printed; a JSON string cannot hold a raw newline, so dropping them is safe.
QByteArray compact(QByteArray json)
{
    return json.replace('\n', QByteArray());
}

// A JSON string literal for building payloads (the records' own escaper).
QByteArray jsonString(const QByteArray &text)
{
    QByteArray out;
    JsonObjectWriter::appendEscaped(out, std::string_view(text.constData(), size_t(text.size())));
    return out;
}

// One variant of a products/update payload.
struct VariantSpec {
    QByteArray price = "10.00";
    std::optional<qint64> quantity = 1; // nullopt: no inventory_quantity field
    QByteArray management = {};         // raw JSON of inventory_management; empty: no such field
};

// A Shopify products/update payload as Shopify writes it (prices as decimal strings).
QByteArray productsUpdate(qint64 id, const QByteArray &title, const QByteArray &updatedAt,
                          const std::vector<VariantSpec> &variants)
{
    QByteArray out = QByteArrayLiteral("{\"id\":") + QByteArray::number(id) + QByteArrayLiteral(",\"title\":") +
                     jsonString(title) + QByteArrayLiteral(",\"updated_at\":") + jsonString(updatedAt) +
                     QByteArrayLiteral(",\"variants\":[");
    for (size_t i = 0; i < variants.size(); ++i) {
        const VariantSpec &v = variants[i];
        if (i > 0)
            out += ',';
        out += QByteArrayLiteral("{\"id\":") + QByteArray::number(46120031850541 + qint64(i)) +
               QByteArrayLiteral(",\"price\":") + jsonString(v.price);
        if (v.quantity)
            out += QByteArrayLiteral(",\"inventory_quantity\":") + QByteArray::number(*v.quantity);
        if (!v.management.isEmpty())
            out += QByteArrayLiteral(",\"inventory_management\":") + v.management;
        out += '}';
    }
    out += QByteArrayLiteral("]}");
    return out;
}

QByteArray simplePayload(qint64 id = 1001, const QByteArray &updatedAt = "2026-11-27T05:03:12Z")
{
    return productsUpdate(id, "Hoodie", updatedAt, {{"24.00", 5}, {"26.50", 3}});
}

// A payload whose variants array is given as raw JSON.
QByteArray withVariants(const char *variantsJson)
{
    return QByteArrayLiteral(
               "{\"id\":1001,\"title\":\"Hoodie\",\"updated_at\":\"2026-11-27T05:03:12Z\",\"variants\":") +
           QByteArray(variantsJson) + '}';
}

QByteArray envelope(const QByteArray &payload, const QByteArray &metadataJson)
{
    return QByteArrayLiteral("{\"version\":\"0\",\"id\":\"7f4c2a1e-0d3b-4c55-9b7e-2f6a1c9e8d10\","
                             "\"detail-type\":\"shopifyWebhook\",\"time\":\"2026-11-27T05:03:13Z\","
                             "\"detail\":{\"payload\":") +
           payload + QByteArrayLiteral(",\"metadata\":") + metadataJson + QByteArrayLiteral("}}");
}

enum class Buffering { Padded, Exact };

// What one parse produced, copied out of the parser's views.
struct Parsed {
    bool ok = false;
    ProductEvent event;
    QByteArray shop;
    QByteArray title;
    QByteArray handle;
    Rejection rejection;
};

// Parses `value` from a buffer that is either padded for simdjson (capacity >= size + padding, with
// `trailing` bytes after the value as in an NDJSON block) or exactly as long as the value.
Parsed parseValue(EventParser &parser, const QByteArray &value, Buffering buffering, RawMessage message = {},
                  const QByteArray &trailing = {})
{
    QByteArray padded;
    std::unique_ptr<char[]> exact;
    if (buffering == Buffering::Padded) {
        padded = value + trailing + QByteArray(qsizetype(EventParser::padding()), '\0');
        message.value = std::string_view(padded.constData(), size_t(value.size()));
        message.capacity = size_t(padded.size());
    } else {
        exact = std::make_unique<char[]>(size_t(value.size()));
        std::copy(value.begin(), value.end(), exact.get());
        message.value = std::string_view(exact.get(), size_t(value.size()));
        message.capacity = size_t(value.size());
    }
    Parsed out;
    out.ok = parser.parse(message, out.event, out.rejection);
    if (out.ok) {
        out.shop = QByteArray(out.event.shop.data(), qsizetype(out.event.shop.size()));
        out.title = QByteArray(out.event.title.data(), qsizetype(out.event.title.size()));
        out.handle = QByteArray(out.event.handle.data(), qsizetype(out.event.handle.size()));
        out.event.shop = {};
        out.event.title = {};
        out.event.handle = {};
    }
    return out;
}

Parsed parseValue(const QByteArray &value, Buffering buffering = Buffering::Padded, RawMessage message = {})
{
    EventParser parser;
    return parseValue(parser, value, buffering, message);
}

const char *bufferingName(Buffering b)
{
    return b == Buffering::Padded ? "padded buffer" : "exact-size buffer";
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}
QByteArray bytes(std::string_view view)
{
    return QByteArray(view.data(), qsizetype(view.size()));
}

// One message as NdjsonReader hands it out.
struct NdLine {
    QByteArray key;
    QByteArray value;
    qint64 position = 0;
};

} // namespace

Q_DECLARE_METATYPE(QList<NdLine>)

class TstParsing final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sampleShapes_data();
    void sampleShapes();
    void envelopeTopLevelIdIsNotTheProductId();
    void shopPrecedence_data();
    void shopPrecedence();
    void webhookIdPrecedence_data();
    void webhookIdPrecedence();
    void eventIdPrecedence_data();
    void eventIdPrecedence();
    void idsAbove2To53StayExact_data();
    void idsAbove2To53StayExact();
    void trackedRule_data();
    void trackedRule();
    void priceRangeOverVariants();
    void rejects_data();
    void rejects();
    void tooLarge();
    void quantitiesUpTo2To53AreAccepted_data();
    void quantitiesUpTo2To53AreAccepted();
    void eventTimeBound_data();
    void eventTimeBound();
    void sparkRowWithEqualPricesIsAccepted();
    void eventTimeBoundCanBeMovedOrLifted();
    void paddedAndExactBuffersAgree_data();
    void paddedAndExactBuffersAgree();

    void inventoryLevels_data();
    void inventoryLevels();
    void ordersCreate();
    void ordersOfEachApiVersion_data();
    void ordersOfEachApiVersion();
    void variantsBeyondTheFirst100AreCounted();
    void otherTopicsRejectedByName_data();
    void otherTopicsRejectedByName();
    void variantsMapTheirInventoryItems_data();
    void variantsMapTheirInventoryItems();

    void ndjsonLines_data();
    void ndjsonLines();
    void ndjsonLineLongerThanBlock();
    void ndjsonOverlongLineIsReadPastNotHeld_data();
    void ndjsonOverlongLineIsReadPastNotHeld();
    void ndjsonFeedsParser();
    void ndjsonMissingFileNamesPath();
    void kcatRecordsReplayWithTheirHeaders();
    void kcatRecordProblemsAreRejectedByName_data();
    void kcatRecordProblemsAreRejectedByName();

    void isoTime_data();
    void isoTime();
    void isoTimeRejects_data();
    void isoTimeRejects();
    void formatIsoTime_data();
    void formatIsoTime();
    void isoTimeRoundTrip_data();
    void isoTimeRoundTrip();

    void money_data();
    void money();
    void moneyRejects_data();
    void moneyRejects();
    void formatMoney_data();
    void formatMoney();
    void moneyFromSparkDouble();
};

// ---- the three value shapes -------------------------------------------------------------------

void TstParsing::sampleShapes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("shop");
    QTest::addColumn<quint64>("eventId");

    const QByteArray shop(kSampleShop);
    QTest::addRow("raw products/update payload, shop from the Kafka key")
        << readSample("products-update.json") << shop << shop << quint64(0);
    QTest::addRow("EventBridge envelope, shop and event id from detail.metadata")
        << readSample("eventbridge-products-update.json") << QByteArray() << shop << fnv1a64(kSampleEventId);
    QTest::addRow("EventBridge envelope, metadata shop wins over the Kafka key")
        << readSample("eventbridge-products-update.json") << QByteArray("other.myshopify.com") << shop
        << fnv1a64(kSampleEventId);
    QTest::addRow("Spark-output row with prices as numbers")
        << readSample("spark-output-row.json") << shop << shop << quint64(0);
}

void TstParsing::sampleShapes()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, shop);
    QFETCH(quint64, eventId);
    QVERIFY(!value.isEmpty());

    for (const Buffering buffering : {Buffering::Padded, Buffering::Exact}) {
        RawMessage message;
        message.key = view(key);
        const Parsed p = parseValue(value, buffering, message);
        QVERIFY2(p.ok,
                 qPrintable(p.rejection.detail + QLatin1String(" with a ") + QLatin1String(bufferingName(buffering))));
        QCOMPARE(p.event.productId, kSampleProductId);
        QCOMPARE(p.title, QByteArray("Fleece Hoodie"));
        // The Spark job's row has no handle.
        QCOMPARE(p.handle, value.contains("\"handle\"") ? QByteArray("fleece-hoodie") : QByteArray());
        QCOMPARE(p.event.quantity, qint64(17)); // 14 + 3 + 0
        QVERIFY(p.event.tracked);
        QVERIFY(p.event.hasPrice);
        QCOMPARE(p.event.minPrice, Money(240000)); // 24.00
        QCOMPARE(p.event.maxPrice, Money(265000)); // 26.50
        QCOMPARE(p.event.updatedAtMs, kSampleUpdatedAt);
        QCOMPARE(p.shop, shop);
        QCOMPARE(p.event.eventId, eventId);
    }
}

void TstParsing::envelopeTopLevelIdIsNotTheProductId()
{
    // The envelope's own id (here a number, so it would parse) and time belong to EventBridge.
    QByteArray value = envelope(simplePayload(777, "2026-11-27T05:03:12Z"), "{}");
    value.replace("\"id\":\"7f4c2a1e-0d3b-4c55-9b7e-2f6a1c9e8d10\"", "\"id\":42");
    QVERIFY(value.contains("\"id\":42,"));
    const Parsed p = parseValue(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.productId, qint64(777));
    QCOMPARE(p.event.updatedAtMs, utcMs(2026, 11, 27, 5, 3, 12)); // not the envelope's 05:03:13
    QCOMPARE(p.event.quantity, qint64(8));
}

void TstParsing::shopPrecedence_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("shop");

    const QByteArray raw = simplePayload();
    const QByteArray wrapped = envelope(raw, "{\"X-Shopify-Shop-Domain\":\"meta.myshopify.com\"}");
    const QByteArray key("key.myshopify.com"), header("header.myshopify.com");
    QTest::addRow("header wins over envelope metadata and key") << wrapped << key << header << header;
    QTest::addRow("header wins over key for a raw payload") << raw << key << header << header;
    QTest::addRow("envelope metadata wins over key")
        << wrapped << key << QByteArray() << QByteArray("meta.myshopify.com");
    QTest::addRow("metadata header name is case-insensitive")
        << envelope(raw, "{\"x-shopify-shop-domain\":\"meta.myshopify.com\"}") << key << QByteArray()
        << QByteArray("meta.myshopify.com");
    QTest::addRow("key when there is neither header nor metadata") << raw << key << QByteArray() << key;
    QTest::addRow("key for an envelope without a shop in its metadata")
        << envelope(raw, "{\"X-Shopify-Topic\":\"products/update\"}") << key << QByteArray() << key;
    QTest::addRow("empty when nothing names the shop") << raw << QByteArray() << QByteArray() << QByteArray();
}

void TstParsing::shopPrecedence()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, shop);
    RawMessage message;
    message.key = view(key);
    message.shopDomainHeader = view(header);
    const Parsed p = parseValue(value, Buffering::Padded, message);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.shop, shop);
}

void TstParsing::webhookIdPrecedence_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<quint64>("webhookId");

    const QByteArray raw = simplePayload();
    const QByteArray wrapped = envelope(raw, "{\"X-Shopify-Webhook-Id\":\"meta-id\"}");
    QTest::addRow("header wins over envelope metadata") << wrapped << QByteArray("header-id") << fnv1a64("header-id");
    QTest::addRow("envelope metadata without a header") << wrapped << QByteArray() << fnv1a64("meta-id");
    QTest::addRow("header for a raw payload") << raw << QByteArray("header-id") << fnv1a64("header-id");
    QTest::addRow("zero when nothing names the webhook") << raw << QByteArray() << quint64(0);
}

void TstParsing::eventIdPrecedence_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("eventHeader");
    QTest::addColumn<QByteArray>("webhookHeader");
    QTest::addColumn<quint64>("eventId");

    const QByteArray raw = simplePayload();
    const QByteArray wrapped =
        envelope(raw, "{\"X-Shopify-Webhook-Id\":\"meta-webhook\",\"X-Shopify-Event-Id\":\"meta-event\"}");
    QTest::addRow("the event id header over the webhook id header")
        << raw << QByteArray("event-1") << QByteArray("webhook-1") << fnv1a64("event-1");
    QTest::addRow("the envelope's event id over a webhook id header")
        << wrapped << QByteArray() << QByteArray("webhook-1") << fnv1a64("meta-event");
    QTest::addRow("the event id header over the envelope's")
        << wrapped << QByteArray("event-1") << QByteArray() << fnv1a64("event-1");
    QTest::addRow("the webhook id when no event id is sent")
        << raw << QByteArray() << QByteArray("webhook-1") << fnv1a64("webhook-1");
}

void TstParsing::eventIdPrecedence()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, eventHeader);
    QFETCH(QByteArray, webhookHeader);
    QFETCH(quint64, eventId);
    RawMessage message;
    message.eventIdHeader = view(eventHeader);
    message.webhookIdHeader = view(webhookHeader);
    const Parsed p = parseValue(value, Buffering::Padded, message);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.eventId, eventId);
}

void TstParsing::webhookIdPrecedence()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, header);
    QFETCH(quint64, webhookId);
    RawMessage message;
    message.webhookIdHeader = view(header);
    const Parsed p = parseValue(value, Buffering::Padded, message);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.eventId, webhookId);
}

void TstParsing::idsAbove2To53StayExact_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("id");

    constexpr qint64 above53 = 9007199254740993; // 2^53 + 1: a double rounds it to 2^53
    constexpr qint64 max64 = std::numeric_limits<qint64>::max();
    QTest::addRow("2^53 + 1 in a products/update payload") << simplePayload(above53) << above53;
    QTest::addRow("2^63 - 1 in a products/update payload") << simplePayload(max64) << max64;
    QTest::addRow("2^53 + 1 in an EventBridge envelope") << envelope(simplePayload(above53), "{}") << above53;
    QTest::addRow("2^53 + 1 in a Spark-output row")
        << QByteArray("{\"id\":9007199254740993,\"timestamp\":\"2026-11-27T05:03:12Z\",\"title\":\"x\","
                      "\"minPrice\":1.5,\"maxPrice\":2.5,\"quantity\":4}")
        << above53;
}

void TstParsing::idsAbove2To53StayExact()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, id);
    const Parsed p = parseValue(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.productId, id);
}

void TstParsing::trackedRule_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("tracked");
    QTest::addColumn<qint64>("quantity");

    const QByteArray t = "2026-11-27T05:03:12Z";
    QTest::addRow("variants without inventory_management (API 2024-07+) are tracked")
        << productsUpdate(1, "x", t, {{"1.00", 5}, {"1.00", 7}}) << true << qint64(12);
    QTest::addRow("old payload with inventory_management shopify is tracked")
        << productsUpdate(1, "x", t, {{"1.00", 5, "\"shopify\""}, {"1.00", 7, "\"shopify\""}}) << true << qint64(12);
    QTest::addRow("inventory_management null leaves the variant out of the sum")
        << productsUpdate(1, "x", t, {{"1.00", 5, "\"shopify\""}, {"1.00", 100, "null"}}) << true << qint64(5);
    QTest::addRow("product whose variants are all untracked is untracked")
        << productsUpdate(1, "x", t, {{"1.00", 5, "null"}, {"1.00", 3, "null"}}) << false << qint64(0);
    QTest::addRow("untracked variant may omit inventory_quantity")
        << productsUpdate(1, "x", t, {{"1.00", std::nullopt, "null"}, {"1.00", 4}}) << true << qint64(4);
    QTest::addRow("oversold variants sum with their negative quantities")
        << productsUpdate(1, "x", t, {{"1.00", -3}, {"1.00", 5}, {"1.00", -4}}) << true << qint64(-2);
    QTest::addRow("all variants oversold gives a negative total")
        << productsUpdate(1, "x", t, {{"1.00", -3}, {"1.00", -1, "\"shopify\""}}) << true << qint64(-4);
}

void TstParsing::trackedRule()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, tracked);
    QFETCH(qint64, quantity);
    const Parsed p = parseValue(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.tracked, tracked);
    QCOMPARE(p.event.quantity, quantity);
}

void TstParsing::priceRangeOverVariants()
{
    // Untracked variants still have prices: the range covers every variant.
    const Parsed p = parseValue(
        productsUpdate(1, "x", "2026-11-27T05:03:12Z", {{"19.99", 1}, {"5.125", 1, "null"}, {"120", 1}, {"24.50", 1}}));
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QVERIFY(p.event.hasPrice);
    QCOMPARE(p.event.minPrice, Money(51250));
    QCOMPARE(p.event.maxPrice, Money(1200000));
}

// ---- bad input --------------------------------------------------------------------------------

void TstParsing::rejects_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<RejectReason>("reason");
    QTest::addColumn<QString>("detailPattern"); // what the detail must name

    const auto row = [](const char *name, const QByteArray &value, RejectReason reason, const char *pattern) {
        QTest::addRow("%s", name) << value << reason << QString::fromUtf8(pattern);
    };
    using R = RejectReason;

    row("invalid JSON: truncated object", "{\"id\":1001,\"title\":\"Hoodie\",\"variants\":[", R::InvalidJson,
        "invalid JSON");
    row("invalid JSON: garbage text", "hello, world", R::InvalidJson, "invalid JSON");
    row("invalid JSON: trailing comma", "{\"id\":1001,}", R::InvalidJson, "invalid JSON");
    {
        QByteArray notUtf8 = simplePayload();
        notUtf8.replace("\"Hoodie\"", "\"Hoo\xff"
                                      "die\"");
        QVERIFY(notUtf8.contains('\xff'));
        row("non-UTF-8 byte inside the title", notUtf8, R::NotUtf8, "UTF-8");
    }
    row("JSON array", "[{\"id\":1001}]", R::NotAnObject, "array");
    row("JSON number", "42", R::NotAnObject, "number");
    row("JSON string", "\"products/update\"", R::NotAnObject, "string");
    row("JSON null", "null", R::NotAnObject, "null");
    row("empty value", "", R::InvalidJson, "empty");
    row("whitespace-only value", " \r\n\t", R::InvalidJson, "empty");

    row("id as a string", "{\"id\":\"1001\",\"updated_at\":\"2026-11-27T05:03:12Z\",\"variants\":[]}", R::WrongType,
        "^id\\b");
    row("id as a fraction", "{\"id\":10.5,\"updated_at\":\"2026-11-27T05:03:12Z\",\"variants\":[]}", R::WrongType,
        "^id\\b");
    row("title as a number", "{\"id\":1001,\"title\":7,\"updated_at\":\"2026-11-27T05:03:12Z\",\"variants\":[]}",
        R::WrongType, "^title\\b");
    row("updated_at as a number", "{\"id\":1001,\"updated_at\":1764219792,\"variants\":[]}", R::WrongType,
        "^updated_at\\b");
    row("inventory_quantity as a string", withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":\"5\"}]"),
        R::WrongType, "variants\\[0\\]\\.inventory_quantity");
    row("inventory_quantity null on a tracked variant",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":1},{\"price\":\"1.00\",\"inventory_"
                     "quantity\":null}]"),
        R::WrongType, "variants\\[1\\]\\.inventory_quantity");
    row("variants not an array", withVariants("{\"price\":\"1.00\",\"inventory_quantity\":5}"), R::WrongType,
        "^variants\\b");
    row("variant not an object", withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":5},5]"), R::WrongType,
        "variants\\[1\\]");
    row("price as a boolean", withVariants("[{\"price\":true,\"inventory_quantity\":5}]"), R::WrongType,
        "variants\\[0\\]\\.price");

    row("missing id (a variant id is not the product id)",
        "{\"title\":\"x\",\"updated_at\":\"2026-11-27T05:03:12Z\",\"variants\":[{\"id\":46120031850541,"
        "\"price\":\"1.00\","
        "\"inventory_quantity\":5}]}",
        R::MissingField, "^id\\b");
    row("missing updated_at", "{\"id\":1001,\"variants\":[{\"price\":\"1.00\",\"inventory_quantity\":5}]}",
        R::MissingField, "updated_at");
    row("missing variants", "{\"id\":1001,\"title\":\"x\",\"updated_at\":\"2026-11-27T05:03:12Z\"}", R::MissingField,
        "variants");
    row("missing inventory_quantity on a tracked variant",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":5},{\"price\":\"1.00\"}]"), R::MissingField,
        "variants\\[1\\]\\.inventory_quantity");
    row("missing payload in an EventBridge envelope",
        "{\"id\":\"7f4c2a1e\",\"detail\":{\"metadata\":{\"X-Shopify-Shop-Domain\":\"a.myshopify.com\"}}}",
        R::MissingField, "detail\\.payload");
    row("missing quantity in a Spark-output row",
        "{\"id\":1001,\"timestamp\":\"2026-11-27T05:03:12Z\",\"minPrice\":1.0,\"maxPrice\":2.0}", R::MissingField,
        "quantity");
    row("missing timestamp in a Spark-output row", "{\"id\":1001,\"minPrice\":1.0,\"maxPrice\":2.0,\"quantity\":3}",
        R::MissingField, "timestamp");

    row("id zero", simplePayload(0), R::BadId, "^id\\b.*\\b0\\b");
    row("negative id", simplePayload(-5), R::BadId, "^id\\b.*-5");

    row("price abc", withVariants("[{\"price\":\"abc\",\"inventory_quantity\":5}]"), R::BadPrice,
        "variants\\[0\\]\\.price.*abc");
    row("price 1.2.3",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":5},{\"price\":\"1.2.3\","
                     "\"inventory_quantity\":5}]"),
        R::BadPrice, "variants\\[1\\]\\.price.*1\\.2\\.3");
    row("price inside an envelope names the full path",
        envelope(withVariants("[{\"price\":\"abc\",\"inventory_quantity\":5}]"), "{}"), R::BadPrice,
        "detail\\.payload\\.variants\\[0\\]\\.price");
    row("negative Spark-output price",
        "{\"id\":1001,\"timestamp\":\"2026-11-27T05:03:12Z\",\"minPrice\":-1.0,\"maxPrice\":2.0,\"quantity\":"
        "3}",
        R::BadPrice, "minPrice");

    row("updated_at not a time", simplePayload(1001, "yesterday"), R::BadTimestamp, "^updated_at\\b.*yesterday");
    row("updated_at on February 30", simplePayload(1001, "2026-02-30T10:00:00Z"), R::BadTimestamp,
        "^updated_at\\b.*2026-02-30");
    row("Spark-output timestamp not a time",
        "{\"id\":1001,\"timestamp\":\"soon\",\"minPrice\":1.0,\"maxPrice\":2.0,\"quantity\":3}", R::BadTimestamp,
        "timestamp.*soon");

    row("empty variants array", withVariants("[]"), R::NoVariants, "variants");

    // Quantities stay within ±2^53, so that no sum or difference of them can overflow 64 bits.
    row("variants of -2^63 and -1 (their sum would wrap to 2^63 - 1)",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":-9223372036854775808},"
                     "{\"price\":\"1.00\",\"inventory_quantity\":-1}]"),
        R::QuantityOutOfRange, "variants\\[0\\]\\.inventory_quantity.*-9223372036854775808 is beyond ±2\\^53$");
    row("inventory_quantity beyond 64 bits",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":99999999999999999999}]"), R::QuantityOutOfRange,
        "variants\\[0\\]\\.inventory_quantity");
    row("inventory_quantity of 2^53 + 1",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":9007199254740993}]"), R::QuantityOutOfRange,
        "variants\\[0\\]\\.inventory_quantity.*9007199254740993");
    row("two variants of 2^53 (each in range, their sum is not)",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":9007199254740992},"
                     "{\"price\":\"1.00\",\"inventory_quantity\":9007199254740992}]"),
        R::QuantityOutOfRange, "variants\\[1\\].*sum");
    row("sum below -2^53",
        withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":-9007199254740992},"
                     "{\"price\":\"1.00\",\"inventory_quantity\":-1}]"),
        R::QuantityOutOfRange, "sum");
    row("Spark-output quantity of -2^63",
        "{\"id\":1001,\"timestamp\":\"2026-11-27T05:03:12Z\",\"minPrice\":1.0,\"maxPrice\":2.0,"
        "\"quantity\":-9223372036854775808}",
        R::QuantityOutOfRange, "^quantity\\b");
    row("quantity beyond 2^53 inside an envelope names the full path",
        envelope(withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":18014398509481984}]"), "{}"),
        R::QuantityOutOfRange, "detail\\.payload\\.variants\\[0\\]\\.inventory_quantity");

    // An event dated far ahead would freeze its product: every real update after it would be out of order.
    row("updated_at on 9999-12-31", simplePayload(1001, "9999-12-31T23:59:59Z"), R::FutureTimestamp,
        "^updated_at 9999-12-31T23:59:59Z is more than a day ahead of the clock");
    row("Spark-output timestamp on 9999-12-31",
        "{\"id\":1001,\"timestamp\":\"9999-12-31T00:00:00Z\",\"minPrice\":1.0,\"maxPrice\":2.0,\"quantity\":3}",
        R::FutureTimestamp, "^timestamp 9999-12-31");
    row("updated_at a day ahead of the envelope's X-Shopify-Triggered-At",
        envelope(simplePayload(1001, "2026-11-29T05:03:12Z"),
                 "{\"X-Shopify-Triggered-At\":\"2026-11-27T05:03:12.123Z\"}"),
        R::FutureTimestamp, "^detail\\.payload\\.updated_at .*X-Shopify-Triggered-At 2026-11-27T05:03:12.123Z");

    row("Spark-output row with minPrice above maxPrice",
        "{\"id\":1001,\"timestamp\":\"2026-11-27T05:03:12Z\",\"minPrice\":30.0,\"maxPrice\":20.0,\"quantity\":3}",
        R::PriceRangeInverted, "minPrice 30(\\.0+)? is above maxPrice 20");

    row("object with none of the known keys", "{\"name\":\"x\",\"stock\":[1,2]}", R::UnknownShape, ".");
    row("empty object", "{}", R::UnknownShape, ".");
}

void TstParsing::rejects()
{
    QFETCH(QByteArray, value);
    QFETCH(RejectReason, reason);
    QFETCH(QString, detailPattern);
    const QRegularExpression pattern(detailPattern);
    QVERIFY(pattern.isValid());

    EventParser parser;
    for (const Buffering buffering : {Buffering::Padded, Buffering::Exact}) {
        const Parsed p = parseValue(parser, value, buffering);
        QVERIFY2(!p.ok, bufferingName(buffering));
        QCOMPARE(rejectReasonName(p.rejection.reason), rejectReasonName(reason));
        QVERIFY2(pattern.match(p.rejection.detail).hasMatch(),
                 qPrintable(QLatin1String("detail \"") + p.rejection.detail + QLatin1String("\" does not match ") +
                            detailPattern));

        // Bad input leaves the parser usable for the next message.
        const Parsed next = parseValue(parser, simplePayload(), buffering);
        QVERIFY2(next.ok, qPrintable(next.rejection.detail));
        QCOMPARE(next.event.quantity, qint64(8));
    }
}

void TstParsing::tooLarge()
{
    EventParser parser(1024);
    const QByteArray empty = productsUpdate(1001, "", "2026-11-27T05:03:12Z", {{"24.00", 5}});
    const QByteArray atLimit =
        productsUpdate(1001, QByteArray(1024 - empty.size(), 'x'), "2026-11-27T05:03:12Z", {{"24.00", 5}});
    const QByteArray over =
        productsUpdate(1001, QByteArray(2048 - empty.size(), 'x'), "2026-11-27T05:03:12Z", {{"24.00", 5}});
    QCOMPARE(atLimit.size(), 1024);
    QCOMPARE(over.size(), 2048);

    for (const Buffering buffering : {Buffering::Padded, Buffering::Exact}) {
        const Parsed big = parseValue(parser, over, buffering);
        QVERIFY(!big.ok);
        QCOMPARE(rejectReasonName(big.rejection.reason), rejectReasonName(RejectReason::TooLarge));
        QVERIFY2(big.rejection.detail.contains(QLatin1String("2048")) &&
                     big.rejection.detail.contains(QLatin1String("1024")),
                 qPrintable(big.rejection.detail));

        const Parsed fits = parseValue(parser, atLimit, buffering);
        QVERIFY2(fits.ok, qPrintable(fits.rejection.detail));
        QCOMPARE(fits.title.size(), 1024 - empty.size());
    }
}

void TstParsing::quantitiesUpTo2To53AreAccepted_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("quantity");
    constexpr qint64 k2To53 = qint64(1) << 53;
    QTest::addRow("one variant of 2^53") << withVariants(
                                                "[{\"price\":\"1.00\",\"inventory_quantity\":9007199254740992}]")
                                         << k2To53;
    QTest::addRow("one variant of -2^53")
        << withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":-9007199254740992}]") << -k2To53;
    QTest::addRow("2^53 and -2^53 sum to zero")
        << withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":9007199254740992},"
                        "{\"price\":\"1.00\",\"inventory_quantity\":-9007199254740992}]")
        << qint64(0);
    QTest::addRow("an untracked variant's quantity is not summed")
        << withVariants("[{\"price\":\"1.00\",\"inventory_quantity\":9007199254740992},"
                        "{\"price\":\"1.00\",\"inventory_management\":null,\"inventory_quantity\":5}]")
        << k2To53;
}

void TstParsing::quantitiesUpTo2To53AreAccepted()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, quantity);
    const Parsed p = parseValue(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.quantity, quantity);
}

void TstParsing::eventTimeBound_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("clockMs");
    QTest::addColumn<QByteArray>("triggeredAtHeader");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("detailPattern");

    const qint64 clock = utcMs(2026, 11, 27, 12, 0, 0);
    QTest::addRow("a replay of an old file is accepted")
        << simplePayload(1001, "2019-03-01T00:00:00Z") << clock << QByteArray() << true << QString();
    QTest::addRow("23 hours ahead of the clock is accepted (clocks drift, zones confuse)")
        << simplePayload(1001, "2026-11-28T11:00:00Z") << clock << QByteArray() << true << QString();
    QTest::addRow("exactly a day ahead of the clock is accepted")
        << simplePayload(1001, "2026-11-28T12:00:00Z") << clock << QByteArray() << true << QString();
    QTest::addRow("a day and a second ahead of the clock is rejected")
        << simplePayload(1001, "2026-11-28T12:00:01Z") << clock << QByteArray() << false
        << QStringLiteral(
               "^updated_at 2026-11-28T12:00:01Z is more than a day ahead of the clock 2026-11-27T12:00:00Z");
    QTest::addRow("a day ahead of X-Shopify-Triggered-At, though within a day of the clock, is rejected")
        << simplePayload(1001, "2026-11-27T11:00:00Z") << clock << QByteArray("2026-11-26T10:00:00Z") << false
        << QStringLiteral("X-Shopify-Triggered-At 2026-11-26T10:00:00Z");
    QTest::addRow("X-Shopify-Triggered-At far ahead does not lift the clock's bound")
        << simplePayload(1001, "2027-06-01T00:00:00Z") << clock << QByteArray("2027-06-01T00:00:00Z") << false
        << QStringLiteral("ahead of the clock");
    QTest::addRow("an old replay with its X-Shopify-Triggered-At is accepted")
        << simplePayload(1001, "2019-03-01T00:00:00Z") << clock << QByteArray("2019-03-01T00:00:01Z") << true
        << QString();
    QTest::addRow("an unreadable X-Shopify-Triggered-At leaves the clock's bound")
        << simplePayload(1001, "2026-11-27T13:00:00Z") << clock << QByteArray("soon") << true << QString();
}

void TstParsing::eventTimeBound()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, clockMs);
    QFETCH(QByteArray, triggeredAtHeader);
    QFETCH(bool, accepted);
    QFETCH(QString, detailPattern);

    EventParser parser;
    int clockReads = 0;
    parser.setClock([&] {
        ++clockReads;
        return clockMs;
    });
    RawMessage message;
    message.triggeredAtHeader = view(triggeredAtHeader);
    const Parsed p = parseValue(parser, value, Buffering::Padded, message);
    QCOMPARE(p.ok, accepted);
    QVERIFY(clockReads >= 1);
    if (!accepted) {
        QCOMPARE(rejectReasonName(p.rejection.reason), QStringLiteral("future_timestamp"));
        QVERIFY2(QRegularExpression(detailPattern).match(p.rejection.detail).hasMatch(),
                 qPrintable(p.rejection.detail));
    }
    // Within the bound already read, the clock is not read again for each message.
    const int before = clockReads;
    QVERIFY(parseValue(parser, simplePayload(1001, "2019-03-01T00:00:00Z"), Buffering::Padded).ok);
    QCOMPARE(clockReads, before);
}

void TstParsing::eventTimeBoundCanBeMovedOrLifted()
{
    const qint64 clock = utcMs(2026, 11, 27, 12, 0, 0);
    EventParser parser;
    parser.setClock([clock] { return clock; });
    const QByteArray threeDaysAhead = simplePayload(1001, "2026-11-30T12:00:00Z");
    QVERIFY(!parseValue(parser, threeDaysAhead, Buffering::Padded).ok);

    parser.setMaxAheadMs(qint64(96) * 60 * 60 * 1000);
    QVERIFY(parseValue(parser, threeDaysAhead, Buffering::Padded).ok);
    const Parsed far = parseValue(parser, simplePayload(1001, "2026-12-27T12:00:00Z"), Buffering::Padded);
    QVERIFY(!far.ok);
    QVERIFY2(far.rejection.detail.contains(QLatin1String("more than 96 hours ahead of the clock")),
             qPrintable(far.rejection.detail));

    parser.setMaxAheadMs(0); // no bound from the clock
    QVERIFY(parseValue(parser, simplePayload(1001, "9999-12-31T23:59:59Z"), Buffering::Padded).ok);
    // X-Shopify-Triggered-At still bounds a message that carries it.
    RawMessage message;
    const QByteArray triggered("2026-11-27T12:00:00Z");
    message.triggeredAtHeader = view(triggered);
    const Parsed withHeader = parseValue(parser, threeDaysAhead, Buffering::Padded, message);
    QVERIFY(!withHeader.ok);
    QCOMPARE(rejectReasonName(withHeader.rejection.reason), QStringLiteral("future_timestamp"));
}

void TstParsing::sparkRowWithEqualPricesIsAccepted()
{
    const Parsed p =
        parseValue("{\"id\":1001,\"timestamp\":\"2026-11-27T05:03:12Z\",\"minPrice\":20.0,\"maxPrice\":20.0,"
                   "\"quantity\":3}");
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.event.minPrice, p.event.maxPrice);
}

void TstParsing::paddedAndExactBuffersAgree_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addRow("raw payload") << readSample("products-update.json");
    QTest::addRow("EventBridge envelope") << readSample("eventbridge-products-update.json");
    QTest::addRow("Spark-output row") << readSample("spark-output-row.json");
    QTest::addRow("compact payload") << simplePayload();
}

void TstParsing::paddedAndExactBuffersAgree()
{
    QFETCH(QByteArray, value);
    EventParser parser;
    const Parsed exact = parseValue(parser, value, Buffering::Exact);
    QVERIFY2(exact.ok, qPrintable(exact.rejection.detail));
    // In a padded block the value is followed by whatever comes next (here a broken line): the parser
    // must stop at the value's end.
    const Parsed padded = parseValue(parser, value, Buffering::Padded, {}, "\n{\"id\":\"broken");
    QVERIFY2(padded.ok, qPrintable(padded.rejection.detail));

    QCOMPARE(padded.event.productId, exact.event.productId);
    QCOMPARE(padded.title, exact.title);
    QCOMPARE(padded.shop, exact.shop);
    QCOMPARE(padded.event.quantity, exact.event.quantity);
    QCOMPARE(padded.event.minPrice, exact.event.minPrice);
    QCOMPARE(padded.event.maxPrice, exact.event.maxPrice);
    QCOMPARE(padded.event.updatedAtMs, exact.event.updatedAtMs);
    QCOMPARE(padded.event.tracked, exact.event.tracked);
    QCOMPARE(padded.event.eventId, exact.event.eventId);
}

// ---- NDJSON files -----------------------------------------------------------------------------

void TstParsing::ndjsonLines_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QList<NdLine>>("lines");

    QTest::addRow("bare values, one a line")
        << QByteArray("{\"a\":1}\n[2]\n") << QList<NdLine>{{{}, "{\"a\":1}", 1}, {{}, "[2]", 2}};
    QTest::addRow("KEY<TAB>VALUE split at the first tab")
        << QByteArray("a.myshopify.com\t{\"a\":1}\nkey\tv1\tv2\n")
        << QList<NdLine>{{"a.myshopify.com", "{\"a\":1}", 1}, {"key", "v1\tv2", 2}};
    QTest::addRow("a value starting with { keeps its tabs")
        << QByteArray("{\"a\":\t1}\n") << QList<NdLine>{{{}, "{\"a\":\t1}", 1}};
    QTest::addRow("CRLF line ends are stripped")
        << QByteArray("{\"a\":1}\r\nk\t{\"b\":2}\r\n") << QList<NdLine>{{{}, "{\"a\":1}", 1}, {"k", "{\"b\":2}", 2}};
    QTest::addRow("blank lines are skipped but counted") << QByteArray("\n{\"a\":1}\n   \n\t\n\r\n{\"b\":2}\n\n")
                                                         << QList<NdLine>{{{}, "{\"a\":1}", 2}, {{}, "{\"b\":2}", 6}};
    QTest::addRow("last line without a newline")
        << QByteArray("{\"a\":1}\nk\t{\"b\":2}") << QList<NdLine>{{{}, "{\"a\":1}", 1}, {"k", "{\"b\":2}", 2}};
    QTest::addRow("last line without a newline after CRLF lines")
        << QByteArray("{\"a\":1}\r\n{\"b\":2}") << QList<NdLine>{{{}, "{\"a\":1}", 1}, {{}, "{\"b\":2}", 2}};
    QTest::addRow("empty file") << QByteArray() << QList<NdLine>{};
    QTest::addRow("only blank lines") << QByteArray("\n\n  \n") << QList<NdLine>{};
}

void TstParsing::ndjsonLines()
{
    QFETCH(QByteArray, content);
    QFETCH(QList<NdLine>, lines);

    QTemporaryFile file;
    QVERIFY(file.open());
    QCOMPARE(file.write(content), content.size());
    file.close();

    NdjsonReader reader;
    const Status opened = reader.open(file.fileName());
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    RawMessage message;
    for (const NdLine &line : lines) {
        QVERIFY2(reader.next(message), qPrintable(reader.error()));
        QCOMPARE(bytes(message.key), line.key);
        QCOMPARE(bytes(message.value), line.value);
        QCOMPARE(message.position, line.position);
        QCOMPARE(message.partition, -1);
        QVERIFY(message.shopDomainHeader.empty());
        // Handed out in place, padded so that the parser needs no copy.
        QVERIFY(message.capacity >= message.value.size() + EventParser::padding());
    }
    QVERIFY(!reader.next(message));
    QVERIFY(!reader.next(message));
    QVERIFY2(reader.error().isEmpty(), qPrintable(reader.error()));
}

void TstParsing::ndjsonLineLongerThanBlock()
{
    // The reader reads 4 MiB blocks; a 5 MiB line must come out whole, and the next one after it.
    const QByteArray title(5 << 20, 'x');
    const QByteArray longValue = productsUpdate(1001, title, "2026-11-27T05:03:12Z", {{"24.00", 5}});
    QVERIFY(longValue.size() > (4 << 20));
    const QByteArray shortValue = simplePayload(1002);

    QTemporaryFile file;
    QVERIFY(file.open());
    const QByteArray content = QByteArrayLiteral("a.myshopify.com\t") + longValue + '\n' + shortValue + '\n';
    QCOMPARE(file.write(content), content.size());
    file.close();

    NdjsonReader reader((8 << 20) + NdjsonReader::kKeyAllowance);
    QVERIFY(reader.open(file.fileName()).ok());
    EventParser parser(8 << 20);
    ProductEvent event;
    Rejection rejection;

    RawMessage message;
    QVERIFY2(reader.next(message), qPrintable(reader.error()));
    QCOMPARE(message.position, qint64(1));
    QCOMPARE(bytes(message.key), QByteArray("a.myshopify.com"));
    QCOMPARE(message.value.size(), size_t(longValue.size()));
    QVERIFY(bytes(message.value) == longValue);
    QVERIFY(message.capacity >= message.value.size() + EventParser::padding());
    QVERIFY2(parser.parse(message, event, rejection), qPrintable(rejection.detail));
    QCOMPARE(event.title.size(), size_t(title.size()));
    QCOMPARE(bytes(event.shop), QByteArray("a.myshopify.com"));

    QVERIFY2(reader.next(message), qPrintable(reader.error()));
    QCOMPARE(message.position, qint64(2));
    QCOMPARE(bytes(message.value), shortValue);
    QVERIFY2(parser.parse(message, event, rejection), qPrintable(rejection.detail));
    QCOMPARE(event.productId, qint64(1002));
    QVERIFY(!reader.next(message));
}

void TstParsing::ndjsonOverlongLineIsReadPastNotHeld_data()
{
    QTest::addColumn<int>("lineBytes");
    QTest::addColumn<bool>("newlineAtEnd");
    // The reader's default limit is 1 MiB and 4 KiB; its buffer holds a 4 MiB block.
    QTest::addRow("a line just over the limit") << int(NdjsonReader::kDefaultMaxLineBytes + 1) << true;
    QTest::addRow("a line longer than a block") << (6 << 20) << true;
    QTest::addRow("a 40 MiB line, ten blocks") << (40 << 20) << true;
    QTest::addRow("a 40 MiB last line without a newline") << (40 << 20) << false;
}

void TstParsing::ndjsonOverlongLineIsReadPastNotHeld()
{
    QFETCH(int, lineBytes);
    QFETCH(bool, newlineAtEnd);
    QTemporaryFile file;
    QVERIFY(file.open());
    const QByteArray before = simplePayload(1001);
    QVERIFY(file.write(before + '\n') > 0);
    QByteArray longLine = simplePayload(1002);
    longLine.insert(longLine.indexOf("Hoodie"), QByteArray(lineBytes - longLine.size(), 'x'));
    QCOMPARE(longLine.size(), lineBytes);
    QCOMPARE(file.write(longLine), longLine.size());
    if (newlineAtEnd)
        QVERIFY(file.write(QByteArrayLiteral("\n") + simplePayload(1003) + '\n') > 0);
    file.close();

    NdjsonReader reader;
    QVERIFY(reader.open(file.fileName()).ok());
    const size_t held = reader.bufferBytes();
    QVERIFY(held < (5 << 20)); // a block and padding, whatever comes
    EventParser parser;
    ProductEvent event;
    Rejection rejection;
    RawMessage message;

    QVERIFY(reader.next(message));
    QVERIFY2(parser.parse(message, event, rejection), qPrintable(rejection.detail));
    QCOMPARE(event.productId, qint64(1001));

    QVERIFY2(reader.next(message), qPrintable(reader.error()));
    QCOMPARE(message.position, qint64(2));
    QCOMPARE(message.oversizedBytes, size_t(lineBytes));
    QVERIFY(message.value.empty());
    QVERIFY(!parser.parse(message, event, rejection));
    QCOMPARE(rejectReasonName(rejection.reason), QStringLiteral("too_large"));
    QVERIFY2(rejection.detail.contains(QString::number(lineBytes)), qPrintable(rejection.detail));
    QCOMPARE(reader.bufferBytes(), held);

    if (newlineAtEnd) {
        QVERIFY2(reader.next(message), qPrintable(reader.error()));
        QCOMPARE(message.position, qint64(3));
        QVERIFY2(parser.parse(message, event, rejection), qPrintable(rejection.detail));
        QCOMPARE(event.productId, qint64(1003));
    }
    QVERIFY(!reader.next(message));
    QVERIFY2(reader.error().isEmpty(), qPrintable(reader.error()));
    QCOMPARE(reader.bufferBytes(), held);
}

void TstParsing::ndjsonFeedsParser()
{
    // The three sample shapes as one file, as `kcat -K '\t'` would write them, one of them keyless.
    const QByteArray content = QByteArray(kSampleShop) + '\t' + compact(readSample("products-update.json")) +
                               QByteArrayLiteral("\r\n\r\n") + compact(readSample("eventbridge-products-update.json")) +
                               QByteArrayLiteral("\n") + QByteArray(kSampleShop) + '\t' +
                               compact(readSample("spark-output-row.json"));
    QTemporaryFile file;
    QVERIFY(file.open());
    QCOMPARE(file.write(content), content.size());
    file.close();

    NdjsonReader reader;
    QVERIFY(reader.open(file.fileName()).ok());
    EventParser parser;
    RawMessage message;
    ProductEvent event;
    Rejection rejection;
    QList<qint64> positions;
    while (reader.next(message)) {
        QVERIFY2(parser.parse(message, event, rejection), qPrintable(rejection.detail));
        QCOMPARE(event.productId, kSampleProductId);
        QCOMPARE(event.quantity, qint64(17));
        QCOMPARE(event.updatedAtMs, kSampleUpdatedAt);
        QCOMPARE(bytes(event.shop), QByteArray(kSampleShop));
        positions << message.position;
    }
    QVERIFY2(reader.error().isEmpty(), qPrintable(reader.error()));
    QCOMPARE(positions, (QList<qint64>{1, 3, 4}));
    QCOMPARE(reader.lineNumber(), qint64(4));
}

namespace {

// A Kafka record as `kcat -C -J` writes it (field order and forms as kcat 1.7 writes them).
QByteArray kcatRecord(int partition, qint64 offset, const QList<QByteArray> &headers, const QByteArray *key,
                      const QByteArray &payload)
{
    QJsonArray list;
    for (const QByteArray &h : headers)
        list.append(QString::fromUtf8(h));
    QByteArray line = "{\"topic\":\"shopify-webhooks\",\"partition\":" + QByteArray::number(partition) +
                      ",\"offset\":" + QByteArray::number(offset) +
                      ",\"tstype\":\"create\",\"ts\":1796587464000,\"broker\":2";
    if (!headers.isEmpty())
        line += ",\"headers\":" + QJsonDocument(list).toJson(QJsonDocument::Compact);
    const auto jsonString = [](const QByteArray &text) {
        const QByteArray quoted = QJsonDocument(QJsonArray{QString::fromUtf8(text)}).toJson(QJsonDocument::Compact);
        return quoted.mid(1, quoted.size() - 2);
    };
    line += ",\"key\":" + (key ? jsonString(*key) : QByteArray("null"));
    line += ",\"payload\":" + jsonString(payload) + "}";
    return line;
}

// A message of a file as NdjsonReader hands it out and EventParser takes it, copied out of their buffers.
struct ReadMessage {
    bool accepted = false;
    QString rejection;
    ProductEvent event; // its views are cleared: use shop
    QByteArray shop, key, topicHeader, triggeredAtHeader;
    qint64 createdAtMicros = 0;
    int partition = -1;
    qint64 position = 0;
};

// Every message of `content`, read from a file and parsed; nullopt when the file cannot be written or read.
std::optional<QList<ReadMessage>> readAndParse(const QByteArray &content)
{
    QTemporaryFile file;
    if (!file.open() || file.write(content) != content.size())
        return std::nullopt;
    file.close();
    NdjsonReader reader;
    if (!reader.open(file.fileName()).ok())
        return std::nullopt;
    EventParser parser;
    parser.setMaxAheadMs(0);
    RawMessage message;
    Rejection rejection;
    QList<ReadMessage> read;
    while (reader.next(message)) {
        ReadMessage m;
        m.accepted = parser.parse(message, m.event, rejection);
        m.rejection = m.accepted ? QString() : rejection.detail;
        m.shop = bytes(m.event.shop);
        m.event.shop = m.event.title = m.event.handle = {};
        m.key = bytes(message.key);
        m.topicHeader = bytes(message.topicHeader);
        m.triggeredAtHeader = bytes(message.triggeredAtHeader);
        m.createdAtMicros = message.createdAtMicros;
        m.partition = message.partition;
        m.position = message.position;
        read << m;
    }
    if (!reader.error().isEmpty())
        return std::nullopt;
    return read;
}

} // namespace

void TstParsing::kcatRecordsReplayWithTheirHeaders()
{
    const QByteArray payload = compact(readSample("products-update.json"));
    const QByteArray shop = kSampleShop;
    const QByteArray otherKey = "not-the-shop";
    const QList<QByteArray> lines{
        // Every header Peakwatch reads; the key is not the shop, the header is.
        kcatRecord(2, 4411,
                   {"X-Shopify-Topic", "products/update", "X-Shopify-Shop-Domain", shop, "X-Shopify-Webhook-Id",
                    "b54557e4-wh-1", "X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5",
                    "X-Shopify-Triggered-At", "2026-11-27T05:03:12.000Z", "X-Peakwatch-Created-At", "1796587464000123"},
                   &otherKey, payload),
        // No headers (kcat leaves the member out) and a null key: the envelope names the shop.
        kcatRecord(0, 7, {}, nullptr, compact(readSample("eventbridge-products-update.json"))),
        // A header name in another case, and a repeated name: the last one wins.
        kcatRecord(1, 12, {"x-shopify-shop-domain", "first.myshopify.com", "X-SHOPIFY-SHOP-DOMAIN", shop}, nullptr,
                   payload),
    };
    const auto read = readAndParse(lines.join('\n') + '\n');
    QVERIFY(read);
    QCOMPARE(read->size(), 3);
    const QList<QPair<int, qint64>> where{{2, 4411}, {0, 7}, {1, 12}};
    for (qsizetype i = 0; i < read->size(); ++i) {
        const ReadMessage &m = read->at(i);
        QVERIFY2(m.accepted, qPrintable(m.rejection));
        QCOMPARE(m.event.productId, kSampleProductId);
        QCOMPARE(m.event.quantity, qint64(17));
        QCOMPARE(m.shop, shop);
        QCOMPARE((QPair<int, qint64>{m.partition, m.position}), where[i]);
    }
    const ReadMessage &first = read->front();
    QCOMPARE(first.key, otherKey);
    QCOMPARE(first.topicHeader, QByteArray("products/update"));
    QCOMPARE(first.triggeredAtHeader, QByteArray("2026-11-27T05:03:12.000Z"));
    QCOMPARE(first.createdAtMicros, qint64(1796587464000123));
    // The event id, not the webhook id, names the event.
    QCOMPARE(first.event.eventId, fnv1a64("98880550-7158-44d4-b7cd-2c97c8a091b5"));
}

void TstParsing::kcatRecordProblemsAreRejectedByName_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("detail");

    const QByteArray payload = compact(readSample("products-update.json"));
    QByteArray good = kcatRecord(0, 1, {}, nullptr, payload);
    QTest::addRow("no payload") << QByteArray(R"({"topic":"t","partition":0,"offset":1,"key":null})")
                                << QStringLiteral("kcat -J record: payload is missing");
    QTest::addRow("a null payload (a tombstone)")
        << QByteArray(R"({"topic":"t","partition":0,"offset":1,"key":null,"payload":null})")
        << QStringLiteral("the value is empty");
    QTest::addRow("a payload that is not a string")
        << QByteArray(R"({"topic":"t","partition":0,"offset":1,"key":null,"payload":{"id":1}})")
        << QStringLiteral("kcat -J record: payload: expected a string or null");
    QTest::addRow("a key that is a number")
        << QByteArray(R"({"topic":"t","partition":0,"offset":1,"key":12,"payload":"{}"})")
        << QStringLiteral("kcat -J record: key: expected a string or null");
    QTest::addRow("a header without its value")
        << QByteArray(R"({"topic":"t","partition":0,"offset":1,"headers":["X-Shopify-Topic"],"payload":"{}"})")
        << QStringLiteral("kcat -J record: headers: a name without a value");
    QTest::addRow("a header name that is null")
        << QByteArray(R"({"topic":"t","partition":0,"offset":1,"headers":[null,"x"],"payload":"{}"})")
        << QStringLiteral("kcat -J record: headers: a header name is null");
    QTest::addRow("no offset") << QByteArray(R"({"topic":"t","partition":0,"payload":"{}"})")
                               << QStringLiteral("kcat -J record: partition and offset are missing");
    QTest::addRow("cut short") << good.left(good.size() / 2)
                               << QStringLiteral("kcat -J record: not a complete JSON object");
}

void TstParsing::kcatRecordProblemsAreRejectedByName()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, detail);
    // The bad record between two good ones: it is rejected with what is wrong, and the good ones are read as ever.
    const QByteArray good =
        kcatRecord(3, 10, {"X-Shopify-Shop-Domain", kSampleShop}, nullptr, compact(readSample("products-update.json")));
    const auto read = readAndParse(good + '\n' + line + '\n' + good + '\n');
    QVERIFY(read);
    QList<bool> accepted;
    QString rejectedWith;
    for (const ReadMessage &m : *read) {
        accepted << m.accepted;
        rejectedWith += m.rejection;
    }
    QCOMPARE(accepted, (QList<bool>{true, false, true}));
    QVERIFY2(rejectedWith.startsWith(detail), qPrintable(rejectedWith));
}

namespace {

// Shopify's documented inventory_levels/update example (an inventory item id above 2^53).
constexpr char kLevelExample[] =
    R"({"inventory_item_id":271878346596884015,"location_id":24826418,"available":6,)"
    R"("updated_at":"2021-12-31T19:00:00-05:00",)"
    R"("admin_graphql_api_id":"gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015"})";

// orders/create in the shape Shopify documents, trimmed to what a line item holds: a product's variant bought
// twice, and a custom item (no product) once.
constexpr char kOrderExample[] =
    R"({"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508",)"
    R"("created_at":"2026-11-27T00:03:11-05:00","currency":"USD","financial_status":"paid","location_id":null,)"
    R"("name":"#9999",)"
    R"("line_items":[{"id":866550311766439020,"fulfillable_quantity":2,"gift_card":false,"grams":567,)"
    R"("name":"Fleece Hoodie - M","price":"24.00","product_exists":true,"product_id":8841726390317,"quantity":2,)"
    R"("requires_shipping":true,"sku":"FH-M","title":"Fleece Hoodie","variant_id":46120031850542,)"
    R"("variant_title":"M","vendor":"Peak Apparel"},)"
    R"({"id":141249953214522974,"fulfillable_quantity":1,"gift_card":false,"grams":0,"name":"Gift wrapping",)"
    R"("price":"5.00","product_exists":false,"product_id":null,"quantity":1,"title":"Gift wrapping",)"
    R"("variant_id":null}],"updated_at":"2026-11-27T00:03:12-05:00"})";

struct ParsedAny {
    bool ok = false;
    ParsedMessage message;
    std::vector<OrderLine> lines; // copies: the spans die with the parser
    std::vector<VariantStock> variants;
    QByteArray levelShop; // the views may point into the parser, gone after the parse
    Rejection rejection;
};

ParsedAny parseAny(const QByteArray &value, RawMessage raw = {})
{
    EventParser parser;
    parser.setMaxAheadMs(0);
    const QByteArray padded = value + QByteArray(qsizetype(EventParser::padding()), '\0');
    raw.value = std::string_view(padded.constData(), size_t(value.size()));
    raw.capacity = size_t(padded.size());
    ParsedAny out;
    out.ok = parser.parse(raw, out.message, out.rejection);
    out.lines.assign(out.message.order.lines.begin(), out.message.order.lines.end());
    out.variants.assign(out.message.variants.begin(), out.message.variants.end());
    out.levelShop = bytes(out.message.level.shop);
    out.message.level.shop = {};
    // The product's numbers stay; its views (shop, title, handle) point into the parser.
    out.message.product.shop = out.message.product.title = out.message.product.handle = {};
    out.message.order.shop = {};
    out.message.order.lines = {};
    out.message.variants = {};
    return out;
}

} // namespace

void TstParsing::inventoryLevels_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("topicHeader");
    QTest::addColumn<bool>("tracked");
    QTest::addColumn<qint64>("available");

    QTest::addRow("Shopify's example, known by its shape")
        << QByteArray(kLevelExample) << QByteArray() << true << qint64(6);
    QTest::addRow("Shopify's example with X-Shopify-Topic")
        << QByteArray(kLevelExample) << QByteArray("inventory_levels/update") << true << qint64(6);
    QTest::addRow("an untracked item: available is null")
        << QByteArray(kLevelExample).replace("\"available\":6", "\"available\":null") << QByteArray() << false
        << qint64(0);
    QTest::addRow("inside an EventBridge envelope, the topic from its metadata")
        << envelope(kLevelExample, R"({"X-Shopify-Topic":"inventory_levels/update",)"
                                   R"("X-Shopify-Shop-Domain":"peak-apparel.myshopify.com"})")
        << QByteArray() << true << qint64(6);
    QTest::addRow("oversold: a negative level")
        << QByteArray(kLevelExample).replace("\"available\":6", "\"available\":-3") << QByteArray() << true
        << qint64(-3);
}

void TstParsing::inventoryLevels()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, topicHeader);
    QFETCH(bool, tracked);
    QFETCH(qint64, available);
    RawMessage raw;
    raw.key = "peak-apparel.myshopify.com";
    raw.topicHeader = view(topicHeader);
    raw.eventIdHeader = "0e8b3f4a-event";
    const ParsedAny p = parseAny(value, raw);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.message.topic, ShopifyTopic::InventoryLevelsUpdate);
    const InventoryLevelEvent &level = p.message.level;
    QCOMPARE(level.inventoryItemId, qint64(271878346596884015)); // exact above 2^53
    QCOMPARE(level.locationId, qint64(24826418));
    QCOMPARE(level.tracked, tracked);
    QCOMPARE(level.available, available);
    QCOMPARE(level.updatedAtMs, qint64(1640995200000)); // 2022-01-01T00:00:00Z
    QCOMPARE(p.levelShop, QByteArray("peak-apparel.myshopify.com"));
    QCOMPARE(level.eventId, fnv1a64("0e8b3f4a-event"));
}

void TstParsing::ordersCreate()
{
    RawMessage raw;
    raw.shopDomainHeader = "peak-apparel.myshopify.com";
    raw.topicHeader = "orders/create";
    const ParsedAny p = parseAny(kOrderExample, raw);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.message.topic, ShopifyTopic::OrdersCreate);
    QCOMPARE(p.message.order.orderId, qint64(820982911946154508));
    QCOMPARE(p.message.order.createdAtMs, qint64(1795755791000)); // 2026-11-27T05:03:11Z
    QCOMPARE(p.lines.size(), size_t(2));
    QCOMPARE(p.lines[0].productId, qint64(8841726390317));
    QCOMPARE(p.lines[0].variantId, qint64(46120031850542));
    QCOMPARE(p.lines[0].quantity, qint64(2));
    QCOMPARE(p.lines[1].productId, qint64(0)); // the custom item
    QCOMPARE(p.lines[1].quantity, qint64(1));

    // Known by its shape too, without the header.
    QCOMPARE(parseAny(kOrderExample).message.topic, ShopifyTopic::OrdersCreate);
    // X-Shopify-Triggered-At dates an order that carries no created_at.
    QByteArray undated = kOrderExample;
    undated.replace("\"created_at\":\"2026-11-27T00:03:11-05:00\",", "");
    RawMessage triggered = raw;
    triggered.triggeredAtHeader = "2026-11-27T05:03:15.250Z";
    const ParsedAny dated = parseAny(undated, triggered);
    QVERIFY2(dated.ok, qPrintable(dated.rejection.detail));
    QCOMPARE(dated.message.order.createdAtMs, qint64(1795755795250));
    const ParsedAny unknown = parseAny(undated, raw);
    QVERIFY(!unknown.ok);
    QCOMPARE(unknown.rejection.detail, QStringLiteral("created_at is missing"));
}

void TstParsing::otherTopicsRejectedByName_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("topicHeader");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("detail");

    QTest::addRow("a topic Peakwatch does not read")
        << QByteArray(kOrderExample) << QByteArray("orders/paid") << int(RejectReason::UnknownShape)
        << QStringLiteral("topic orders/paid is not one Peakwatch reads (products/update, products/create, "
                          "inventory_levels/update, orders/create)");
    QTest::addRow("a level without its location")
        << QByteArray(R"({"inventory_item_id":271878346596884015,"available":6,"updated_at":"2021-12-31T19:00:00Z"})")
        << QByteArray("inventory_levels/update") << int(RejectReason::MissingField)
        << QStringLiteral("location_id is missing");
    QTest::addRow("a level at no location")
        << QByteArray(kLevelExample).replace("\"location_id\":24826418", "\"location_id\":null")
        << QByteArray("inventory_levels/update") << int(RejectReason::MissingField)
        << QStringLiteral("location_id is null: a level is at a location");
    QTest::addRow("a level given as text")
        << QByteArray(kLevelExample).replace("\"available\":6", "\"available\":\"6\"") << QByteArray()
        << int(RejectReason::WrongType) << QStringLiteral("available: expected an integer");
    QTest::addRow("location id zero") << QByteArray(kLevelExample).replace("24826418", "0") << QByteArray()
                                      << int(RejectReason::BadId)
                                      << QStringLiteral("location_id: 0 is not a location id");
    QTest::addRow("a line item returning units")
        << QByteArray(kOrderExample).replace("\"quantity\":1,", "\"quantity\":-1,") << QByteArray("orders/create")
        << int(RejectReason::QuantityOutOfRange)
        << QStringLiteral("line_items[1].quantity: -1 is not a number of units sold");
    QTest::addRow("a line item without its quantity")
        << QByteArray(kOrderExample).replace("\"quantity\":2,", "") << QByteArray("orders/create")
        << int(RejectReason::MissingField) << QStringLiteral("line_items[0].quantity is missing");
}

void TstParsing::otherTopicsRejectedByName()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, topicHeader);
    QFETCH(int, reason);
    QFETCH(QString, detail);
    RawMessage raw;
    raw.topicHeader = view(topicHeader);
    const ParsedAny p = parseAny(value, raw);
    QVERIFY(!p.ok);
    QCOMPARE(p.rejection.detail, detail);
    QCOMPARE(int(p.rejection.reason), reason);
}

void TstParsing::ordersOfEachApiVersion_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("orderId");
    QTest::addColumn<qint64>("units"); // over its lines with a product
    // API 2023-07: gateway, total_price_usd and processing_method still on the order; line items carry
    // fulfillment_service and variant_inventory_management; location_id null.
    QTest::addRow("2023-07")
        << QByteArray(R"({"id":5312345678901,"email":"jon@example.com","created_at":"2023-11-24T00:03:11-05:00",)"
                      R"("gateway":"shopify_payments","total_price":"48.00","total_price_usd":"48.00",)"
                      R"("processing_method":"direct","location_id":null,"currency":"USD","name":"#1021",)"
                      R"("line_items":[{"id":13456789012345,"variant_id":46120031850541,"title":"Fleece Hoodie",)"
                      R"("quantity":2,"sku":"FH-S","variant_title":"S","vendor":"Peak Apparel",)"
                      R"("fulfillment_service":"manual","product_id":8841726390317,"requires_shipping":true,)"
                      R"("taxable":true,"gift_card":false,"name":"Fleece Hoodie - S","variant_inventory_management":)"
                      R"("shopify","properties":[],"product_exists":true,"fulfillable_quantity":2,"grams":567,)"
                      R"("price":"24.00","total_discount":"0.00","fulfillment_status":null}]})")
        << qint64(5312345678901) << qint64(2);
    // API 2026-04: price sets, current_quantity, no gateway; an id above 2^53, and a gift card line without a
    // product (a custom item).
    QTest::addRow("2026-04")
        << QByteArray(R"({"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508",)"
                      R"("created_at":"2026-11-27T00:03:11-05:00","confirmation_number":"8XK2HZQ4A",)"
                      R"("current_total_price":"79.00","current_total_price_set":{"shop_money":{"amount":"79.00",)"
                      R"("currency_code":"USD"},"presentment_money":{"amount":"79.00","currency_code":"USD"}},)"
                      R"("payment_gateway_names":["shopify_payments"],"location_id":null,"name":"#9999",)"
                      R"("line_items":[{"id":866550311766439020,"admin_graphql_api_id":"gid://shopify/LineItem/)"
                      R"(866550311766439020","current_quantity":3,"fulfillable_quantity":3,"product_id":)"
                      R"(9007199254740993,"variant_id":9007199254741001,"quantity":3,"price":"19.00",)"
                      R"("price_set":{"shop_money":{"amount":"19.00","currency_code":"USD"}},"sku":"MB-NAVY",)"
                      R"("title":"Merino Beanie","variant_title":"Navy","discount_allocations":[],"duties":[],)"
                      R"("tax_lines":[]},{"id":866550311766439021,"gift_card":true,"product_id":null,)"
                      R"("variant_id":null,"quantity":1,"price":"22.00","title":"Gift card"}]})")
        << qint64(820982911946154508) << qint64(3);
}

void TstParsing::ordersOfEachApiVersion()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, orderId);
    QFETCH(qint64, units);
    RawMessage raw;
    raw.shopDomainHeader = "peak-apparel.myshopify.com";
    const ParsedAny p = parseAny(value, raw); // by its shape: no X-Shopify-Topic
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.message.topic, ShopifyTopic::OrdersCreate);
    QCOMPARE(p.message.order.orderId, orderId);
    qint64 sold = 0;
    for (const OrderLine &line : p.lines)
        if (line.productId != 0)
            sold += line.quantity;
    QCOMPARE(sold, units);
}

void TstParsing::variantsBeyondTheFirst100AreCounted()
{
    // A product of 150 variants: the first 100 in full, all 150 in variant_gids.
    QByteArray value = R"({"id":8841726390317,"title":"Sock Pack","updated_at":"2026-11-27T05:03:12Z","variants":[)";
    QByteArray gids = R"("variant_gids":[)";
    for (int i = 0; i < 150; ++i) {
        const QByteArray id = QByteArray::number(46120031850000 + i);
        if (i < 100)
            value += (i ? "," : "") + QByteArray(R"({"id":)") + id + R"(,"price":"9.00","inventory_quantity":2,)" +
                     R"("inventory_item_id":)" + QByteArray::number(48220199720000 + i) + '}';
        gids += (i ? "," : "") + QByteArray(R"({"admin_graphql_api_id":"gid://shopify/ProductVariant/)") + id +
                R"(","updated_at":"2026-11-27T05:03:12.000Z"})";
    }
    value += "]," + gids + "]}";
    const ParsedAny p = parseAny(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.variants.size(), size_t(100));
    QCOMPARE(p.message.product.quantity, qint64(200));
    QCOMPARE(p.message.product.variantsNotSent, 50);
    // variant_gids that is not a list is named.
    const ParsedAny bad = parseAny(R"({"id":8841726390317,"title":"x","updated_at":"2026-11-27T05:03:12Z",)"
                                   R"("variants":[{"price":"1.00","inventory_quantity":1}],"variant_gids":7})");
    QVERIFY(!bad.ok);
    QVERIFY2(bad.rejection.detail.startsWith(QStringLiteral("variant_gids: expected an array")),
             qPrintable(bad.rejection.detail));
}

void TstParsing::variantsMapTheirInventoryItems_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QList<qint64>>("items");
    QTest::addColumn<QList<bool>>("tracked");

    // API 2025-10 (the sample): variants carry inventory_item_id, no inventory_management.
    QTest::addRow("2025-10") << compact(readSample("products-update.json"))
                             << QList<qint64>{48220199723309, 48220199723310, 48220199723311}
                             << QList<bool>{true, true, true};
    // API 2023-07: inventory_management, fulfillment_service, grams and weight; a null inventory_management is an
    // untracked variant, whose quantity does not count.
    QTest::addRow("2023-07")
        << QByteArray(
               R"({"id":8841726390317,"title":"Fleece Hoodie","updated_at":"2023-11-24T05:03:12Z","variants":[)"
               R"({"id":46120031850541,"price":"24.00","inventory_quantity":14,"inventory_management":"shopify",)"
               R"("fulfillment_service":"manual","grams":567,"weight":0.567,"weight_unit":"kg",)"
               R"("inventory_item_id":48220199723309,"old_inventory_quantity":15},)"
               R"({"id":46120031850542,"price":"24.00","inventory_quantity":0,"inventory_management":null,)"
               R"("fulfillment_service":"manual","grams":567,"weight":0.567,"weight_unit":"kg",)"
               R"("inventory_item_id":48220199723310,"old_inventory_quantity":0}]})")
        << QList<qint64>{48220199723309, 48220199723310} << QList<bool>{true, false};
    // API 2024-04, the last with inventory_management: a variant sold by a fulfillment service
    // ("amazon_marketplace_web") is tracked by it; one with inventory_management null is not.
    QTest::addRow("2024-04")
        << QByteArray(
               R"({"id":8841726390317,"title":"Fleece Hoodie","updated_at":"2024-11-29T05:03:12-05:00","status":"active",)"
               R"("variants":[{"id":46120031850541,"product_id":8841726390317,"price":"24.00","compare_at_price":null,)"
               R"("inventory_policy":"deny","inventory_quantity":9,"old_inventory_quantity":10,)"
               R"("inventory_management":"amazon_marketplace_web","fulfillment_service":"amazon_marketplace_web",)"
               R"("grams":567,"weight":1.25,"weight_unit":"lb","requires_shipping":true,)"
               R"("inventory_item_id":48220199723309,"admin_graphql_api_id":"gid://shopify/ProductVariant/46120031850541"},)"
               R"({"id":46120031850542,"product_id":8841726390317,"price":"26.50","inventory_policy":"continue",)"
               R"("inventory_quantity":-2,"inventory_management":null,"fulfillment_service":"manual","grams":0,)"
               R"("weight":0.0,"weight_unit":"lb","requires_shipping":false,"inventory_item_id":48220199723310}],)"
               R"("variant_gids":[{"admin_graphql_api_id":"gid://shopify/ProductVariant/46120031850541",)"
               R"("updated_at":"2024-11-29T10:03:12.000Z"}]})")
        << QList<qint64>{48220199723309, 48220199723310} << QList<bool>{true, false};
    // API 2026-04: no inventory_management nor fulfillment_service, grams or weight on variants; the product carries
    // has_variants_that_requires_components and its category. Ids above 2^53 stay exact.
    QTest::addRow("2026-04")
        << QByteArray(R"({"admin_graphql_api_id":"gid://shopify/Product/9007199254740993","id":9007199254740993,)"
                      R"("title":"Merino Beanie","handle":"merino-beanie","updated_at":"2026-11-27T00:03:12-05:00",)"
                      R"("status":"active","has_variants_that_requires_components":false,"category":null,)"
                      R"("variants":[{"admin_graphql_api_id":"gid://shopify/ProductVariant/9007199254741001",)"
                      R"("id":9007199254741001,"price":"19.00","compare_at_price":"28.50","inventory_policy":"deny",)"
                      R"("inventory_quantity":31,"old_inventory_quantity":32,"inventory_item_id":9007199254741101,)"
                      R"("taxable":true,"position":1,"option1":"Navy","option2":null,"option3":null,"image_id":null}],)"
                      R"("variant_gids":[{"admin_graphql_api_id":"gid://shopify/ProductVariant/9007199254741001",)"
                      R"("updated_at":"2026-11-27T05:03:12.000Z"}]})")
        << QList<qint64>{9007199254741101} << QList<bool>{true};
}

void TstParsing::variantsMapTheirInventoryItems()
{
    QFETCH(QByteArray, value);
    QFETCH(QList<qint64>, items);
    QFETCH(QList<bool>, tracked);
    const ParsedAny p = parseAny(value);
    QVERIFY2(p.ok, qPrintable(p.rejection.detail));
    QCOMPARE(p.message.product.variantsNotSent, 0); // variant_gids, where there is one, names the same variants
    QCOMPARE(p.message.topic, ShopifyTopic::ProductsUpdate);
    QCOMPARE(qsizetype(p.variants.size()), items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        QCOMPARE(p.variants[size_t(i)].inventoryItemId, items[i]);
        QCOMPARE(p.variants[size_t(i)].tracked, tracked[i]);
        QVERIFY(p.variants[size_t(i)].variantId > 0);
    }
}

void TstParsing::ndjsonMissingFileNamesPath()
{
    const QString path = QStringLiteral("/nonexistent-peakwatch-dir/missing-input.ndjson");
    NdjsonReader reader;
    const Status status = reader.open(path);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(path), qPrintable(status.error()));
}

// ---- ISO 8601 times ---------------------------------------------------------------------------

void TstParsing::isoTime_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms");

    QTest::addRow("UTC with Z") << QByteArray("2026-11-27T05:03:12Z") << kSampleUpdatedAt;
    QTest::addRow("negative offset") << QByteArray("2026-11-27T00:03:12-05:00") << kSampleUpdatedAt;
    QTest::addRow("positive offset with minutes") << QByteArray("2026-11-27T10:33:12+05:30") << kSampleUpdatedAt;
    QTest::addRow("zero offset") << QByteArray("2026-11-27T05:03:12+00:00") << kSampleUpdatedAt;
    QTest::addRow("no offset is UTC") << QByteArray("2026-11-27T05:03:12") << kSampleUpdatedAt;
    QTest::addRow("milliseconds") << QByteArray("2026-11-27T05:03:12.584Z") << kSampleUpdatedAt + 584;
    QTest::addRow("one fractional digit with offset")
        << QByteArray("2026-11-27T00:03:12.5-05:00") << kSampleUpdatedAt + 500;
    QTest::addRow("microseconds are truncated to milliseconds")
        << QByteArray("2026-11-27T05:03:12.000999Z") << kSampleUpdatedAt;
    QTest::addRow("offset crosses the year") << QByteArray("2026-12-31T23:30:00-01:00") << utcMs(2027, 1, 1, 0, 30, 0);
    QTest::addRow("leap day") << QByteArray("2024-02-29T12:00:00Z") << utcMs(2024, 2, 29, 12, 0, 0);
    QTest::addRow("leap day in a year divisible by 400")
        << QByteArray("2000-02-29T00:00:00Z") << utcMs(2000, 2, 29, 0, 0, 0);
    QTest::addRow("the epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(0);
    QTest::addRow("before the epoch") << QByteArray("1969-12-31T23:59:59.999Z") << qint64(-1);
}

void TstParsing::isoTime()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    const auto parsed = parseIsoTime(view(text));
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, ms);
}

void TstParsing::isoTimeRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("February 30") << QByteArray("2026-02-30T00:00:00Z");
    QTest::addRow("February 29 in a common year") << QByteArray("2026-02-29T00:00:00Z");
    QTest::addRow("February 29 in a century year") << QByteArray("2100-02-29T00:00:00Z");
    QTest::addRow("April 31") << QByteArray("2026-04-31T00:00:00Z");
    QTest::addRow("month 13") << QByteArray("2026-13-01T00:00:00Z");
    QTest::addRow("month 0") << QByteArray("2026-00-10T00:00:00Z");
    QTest::addRow("day 0") << QByteArray("2026-11-00T00:00:00Z");
    QTest::addRow("hour 24") << QByteArray("2026-11-27T24:00:00Z");
    QTest::addRow("minute 60") << QByteArray("2026-11-27T05:60:00Z");
    QTest::addRow("garbage") << QByteArray("yesterday at noon");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("date without time") << QByteArray("2026-11-27");
    QTest::addRow("trailing text") << QByteArray("2026-11-27T05:03:12Zjunk");
    QTest::addRow("offset without minutes") << QByteArray("2026-11-27T05:03:12+05");
    QTest::addRow("offset hour 24") << QByteArray("2026-11-27T05:03:12+24:00");
    QTest::addRow("decimal point without digits") << QByteArray("2026-11-27T05:03:12.Z");
    QTest::addRow("slashes instead of dashes") << QByteArray("2026/11/27T05:03:12Z");
    QTest::addRow("two-digit year") << QByteArray("26-11-27T05:03:12Z");
}

void TstParsing::isoTimeRejects()
{
    QFETCH(QByteArray, text);
    const auto parsed = parseIsoTime(view(text));
    QVERIFY2(!parsed.has_value(), qPrintable(QString::number(parsed.value_or(0))));
}

void TstParsing::formatIsoTime_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("whole seconds have no fraction") << kSampleUpdatedAt << QByteArray("2026-11-27T05:03:12Z");
    QTest::addRow("milliseconds") << kSampleUpdatedAt + 584 << QByteArray("2026-11-27T05:03:12.584Z");
    QTest::addRow("milliseconds keep leading zeros") << kSampleUpdatedAt + 7 << QByteArray("2026-11-27T05:03:12.007Z");
    QTest::addRow("the epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00Z");
    QTest::addRow("one millisecond before the epoch") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999Z");
    QTest::addRow("leap day") << utcMs(2024, 2, 29, 23, 59, 59) << QByteArray("2024-02-29T23:59:59Z");
}

void TstParsing::formatIsoTime()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, text);
    QCOMPARE(peakwatch::formatIsoTime(ms), text);
}

void TstParsing::isoTimeRoundTrip_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addRow("sample update") << kSampleUpdatedAt;
    QTest::addRow("with milliseconds") << kSampleUpdatedAt + 999;
    QTest::addRow("end of a leap year") << utcMs(2024, 12, 31, 23, 59, 59, 1);
    QTest::addRow("far future") << utcMs(2399, 3, 1, 0, 0, 0);
    QTest::addRow("before the epoch") << utcMs(1969, 7, 20, 20, 17, 40);
}

void TstParsing::isoTimeRoundTrip()
{
    QFETCH(qint64, ms);
    const QByteArray text = peakwatch::formatIsoTime(ms);
    const auto parsed = parseIsoTime(view(text));
    QVERIFY2(parsed.has_value(), text.constData());
    QCOMPARE(*parsed, ms);
    // And Qt reads the same instant from it.
    QCOMPARE(QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs).toMSecsSinceEpoch(), ms);
}

// ---- money ------------------------------------------------------------------------------------

void TstParsing::money_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("value");
    QTest::addRow("two decimals") << QByteArray("24.00") << qint64(240000);
    QTest::addRow("half") << QByteArray("26.50") << qint64(265000);
    QTest::addRow("three decimals") << QByteArray("0.125") << qint64(1250);
    QTest::addRow("four decimals") << QByteArray("0.0001") << qint64(1);
    QTest::addRow("integer") << QByteArray("1999") << qint64(19990000);
    QTest::addRow("zero") << QByteArray("0.00") << qint64(0);
    QTest::addRow("negative") << QByteArray("-5.5") << qint64(-55000);
    QTest::addRow("zeros past the fourth decimal") << QByteArray("12.34560") << qint64(123456);
    QTest::addRow("large amount") << QByteArray("123456789.99") << qint64(1234567899900);
}

void TstParsing::money()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, value);
    const auto parsed = parseMoney(view(text));
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, value);
}

void TstParsing::moneyRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("only a point") << QByteArray(".");
    QTest::addRow("only a minus") << QByteArray("-");
    QTest::addRow("exponent") << QByteArray("1e5");
    QTest::addRow("a fifth decimal would be rounded") << QByteArray("12.34567");
    QTest::addRow("letters") << QByteArray("abc");
    QTest::addRow("two points") << QByteArray("1.2.3");
    QTest::addRow("decimal comma") << QByteArray("24,00");
    QTest::addRow("leading space") << QByteArray(" 24.00");
    QTest::addRow("trailing space") << QByteArray("24.00 ");
    QTest::addRow("currency sign") << QByteArray("$24.00");
    QTest::addRow("double minus") << QByteArray("--5");
    QTest::addRow("too large for 64 bits") << QByteArray("99999999999999999999.00");
}

void TstParsing::moneyRejects()
{
    QFETCH(QByteArray, text);
    const auto parsed = parseMoney(view(text));
    QVERIFY2(!parsed.has_value(), qPrintable(QString::number(parsed.value_or(0))));
}

void TstParsing::formatMoney_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("two decimals") << qint64(245000) << QByteArray("24.50");
    QTest::addRow("whole amount keeps two decimals") << qint64(240000) << QByteArray("24.00");
    QTest::addRow("three decimals") << qint64(1250) << QByteArray("0.125");
    QTest::addRow("four decimals") << qint64(1) << QByteArray("0.0001");
    QTest::addRow("zero") << qint64(0) << QByteArray("0.00");
    QTest::addRow("negative") << qint64(-55000) << QByteArray("-5.50");
    QTest::addRow("negative below one") << qint64(-1250) << QByteArray("-0.125");
    QTest::addRow("integer") << qint64(19990000) << QByteArray("1999.00");
}

void TstParsing::formatMoney()
{
    QFETCH(qint64, value);
    QFETCH(QByteArray, text);
    QCOMPARE(peakwatch::formatMoney(value), text);
    // What is written reads back to the same amount.
    const auto parsed = parseMoney(view(text));
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, value);
}

void TstParsing::moneyFromSparkDouble()
{
    QCOMPARE(moneyFromDouble(24.0).value_or(-1), Money(240000));
    QCOMPARE(moneyFromDouble(26.5).value_or(-1), Money(265000));
    QCOMPARE(moneyFromDouble(19.99).value_or(-1), Money(199900)); // 19.99 is not exact as a double
    QVERIFY(!moneyFromDouble(std::numeric_limits<double>::quiet_NaN()).has_value());
    QVERIFY(!moneyFromDouble(std::numeric_limits<double>::infinity()).has_value());
    QVERIFY(!moneyFromDouble(1e300).has_value());
}

QTEST_GUILESS_MAIN(TstParsing)
#include "tst_parsing.moc"
