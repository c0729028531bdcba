// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Topic search's core: filters in jq's language and their fast path (which must decide exactly as jq does), the
// ways found messages are written, and scans and seeks by time on the embedded cluster.
#include "embedded_cluster.h"
#include "fast_filter.h"
#include "jq_program.h"
#include "kafka_producer.h"
#include "message_filter.h"
#include "message_format.h"
#include "time_seek.h"
#include "topic_scan.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <map>
#include <vector>

using namespace peakwatch;

namespace {

// A message of the corpus, owning its bytes.
struct Sample {
    const char *name;
    QByteArray key;
    bool keyNull = false;
    QByteArray value;
    bool valueNull = false;
    std::vector<std::pair<QByteArray, QByteArray>> headers; // a value "\0null" stands for a null header value
    qint64 timestampMs = 1764230400000;
    int partition = 0;
    qint64 offset = 7;
};

struct HeldView {
    std::vector<HeaderView> headers;
    MessageView view;
};

HeldView viewOf(const Sample &s)
{
    HeldView held;
    for (const auto &[name, value] : s.headers) {
        const bool null = value == QByteArray("\0null", 5);
        held.headers.push_back({std::string_view(name.constData(), size_t(name.size())),
                                BytesView{std::string_view(value.constData(), size_t(value.size())), null}});
    }
    held.view.topic = "shopify-webhooks";
    held.view.partition = s.partition;
    held.view.offset = s.offset;
    held.view.timestampMs = s.timestampMs;
    held.view.timestampType = TopicMessage::TimestampType::CreateTime;
    held.view.key = BytesView{std::string_view(s.key.constData(), size_t(s.key.size())), s.keyNull};
    held.view.value = BytesView{std::string_view(s.value.constData(), size_t(s.value.size())), s.valueNull};
    held.view.headers = held.headers;
    return held;
}

QByteArray sampleProduct()
{
    QFile f(QStringLiteral(PEAKWATCH_SAMPLES_DIR "/products-update.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("products-update.json sample missing");
    return f.readAll();
}

std::vector<Sample> corpus()
{
    const QByteArray shopify = sampleProduct();
    QByteArray deep;
    for (int i = 0; i < 300; ++i)
        deep += "{\"a\":";
    deep += '1';
    for (int i = 0; i < 300; ++i)
        deep += '}';
    const QByteArray nullHeader("\0null", 5);
    std::vector<Sample> out = {
        {"shopify product",
         "peak-apparel.myshopify.com",
         false,
         shopify,
         false,
         {{"X-Shopify-Topic", "products/update"}, {"X-Shopify-Shop-Domain", "peak-apparel.myshopify.com"}}},
        {"small object", "shop.myshopify.com", false, R"({"a":1,"s":"abc","v":[{"q":3},{"q":-2}],"o":{}})", false, {}},
        {"object with a bigger a", "shop.myshopify.com", false, R"({"a":2,"s":"abd","v":[{"q":9}]})", false, {}},
        {"duplicate member", {}, true, R"({"a":1,"a":2})", false, {}},
        {"array", {}, true, "[1,2,3]", false, {}},
        {"json string", {}, true, "\"str\"", false, {}},
        {"json number", {}, true, "123", false, {}},
        {"json null", {}, true, "null", false, {}},
        {"json true", {}, true, "true", false, {}},
        {"plain text", "k", false, "plain text", false, {}},
        {"empty value", "k", false, "", false, {}},
        {"blank value", "k", false, "   ", false, {}},
        {"truncated json", "k", false, R"({"a":)", false, {}},
        {"not utf-8",
         "k",
         false,
         "\xff\xfe"
         "ab",
         false,
         {}},
        {"plus number", "k", false, "+1", false, {}},
        {"leading dot number", "k", false, ".5", false, {}},
        {"nan", "k", false, "nan", false, {}},
        {"unicode escape", "k", false, R"({"x":"\u00e9","s":"a\"b"})", false, {}},
        {"too deep", "k", false, deep, false, {}},
        {"huge number", "k", false, R"({"n":1e400})", false, {}},
        {"big integer", "k", false, R"({"n":12345678901234567890})", false, {}},
        {"float one", "k", false, R"({"n":1.0,"a":1.0})", false, {}},
        {"tombstone", "shop.myshopify.com", false, {}, true, {}},
        {"repeated header", "k", false, R"({"a":1})", false, {{"a", "1"}, {"a", "2"}}},
        {"null header", "k", false, R"({"a":1})", false, {{"X-Shopify-Topic", nullHeader}}},
        {"header not utf-8", "k", false, R"({"a":1})", false, {{"X-Shopify-Topic", "\xff"}}},
        {"key not utf-8", "\xff", false, R"({"a":1})", false, {}},
        {"nested nulls", "k", false, R"({"v":null,"a":null})", false, {}},
        {"string where object expected", "k", false, R"({"v":"text","a":"1"})", false, {}},
    };
    out[1].partition = 1;
    out[2].offset = 2;
    out[5].timestampMs = -1;
    return out;
}

// Filters the fast path takes.
const char *const kFastFilters[] = {
    ".value.a == 1",
    ".value.a != 1",
    ".value.a < 2",
    ".value.a >= 2",
    ".value.a == 1.0",
    ".value.v[0].q < 5",
    ".value.v[-1].q < 0",
    ".value.v[5].q == null",
    ".value[0] == 1",
    ".value == \"str\"",
    ".value == \"plain text\"",
    ".value > 100",
    ".value == null",
    ".value == true",
    ".value.s < \"abd\"",
    ".value.s >= \"abc\"",
    ".value.o > 5",
    ".value.v > \"z\"",
    ".value.n == 12345678901234567890",
    ".value.n == 1",
    ".value.x == \"é\"",
    ".value.x == \"\\u00e9\"",
    ".value.s == \"a\\\"b\"",
    ".value.a == -1",
    ".value.a == - 1",
    ".value.\"a\" == 1",
    ".value[\"a\"] == 1",
    ".value.title == \"Trail Runner 2\"",
    ".value.variants[0].inventory_quantity < 50",
    ".value.variants[1].inventory_quantity >= 0",
    ".value.variants[0].price == \"129.00\"",
    ".value.vendor != \"Peak Apparel\"",
    ".headers[\"X-Shopify-Topic\"] == \"products/update\"",
    ".headers.a == \"2\"",
    ".headers.a == \"1\"",
    ".headers.missing == null",
    ".headers.missing.deeper == null",
    ".headers == null",
    ".key == \"shop.myshopify.com\"",
    ".key == null",
    ".key.x == null",
    ".partition == 0",
    ".offset >= 3",
    ".timestamp > 0",
    ".timestamp == null",
    ".topic == \"shopify-webhooks\"",
    "select(.value.a == 1)",
    " select ( .value.a == 1 ) ",
    ".value.a == 1 and .key != null",
    ".value.a == 1 and .value.s == \"abc\" and .partition == 1",
    "5 > .value.a",
    "\"abc\" == .value.s",
    ".value.a == true",
    ".value.v.q == 1",
    ".value.a.b == 1",
    ".partition.x == 1",
};

// Filters it leaves to jq.
const char *const kJqOnly[] = {
    ".value.a | . == 1",     ".value.a == 1 or .value.b == 2",
    ".value.a == .value.b",  ".value.a",
    ".value.a? == 1",        "\"\\(.key)\" == \"k\"",
    ".value.a == 1 | not",   ".value.a == 1.5e",
    ".[\"value\"] == 1",     ".value.a+1 == 2",
    ".value.a == 1 == true", ".headers.X-Shopify-Topic == 1",
    ".value..a == 1",        "(.value.a == 1)",
};

bool jqPasses(JqProgram &program, const MessageView &m)
{
    return program.evaluate(m) == JqProgram::Verdict::Pass;
}

} // namespace

class TstBrowse final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fastPathTakesTheSimpleComparisons_data();
    void fastPathTakesTheSimpleComparisons();
    void fastPathLeavesTheRestToJq_data();
    void fastPathLeavesTheRestToJq();
    void fastPathDecidesAsJqDoes();
    void filterFollowsJqMinusE_data();
    void filterFollowsJqMinusE();
    void filtersMustAllPass();
    void filterErrorsAreCountedWithTheirPlace();
    void badFiltersNameTheFilterAndJqsReason_data();
    void badFiltersNameTheFilterAndJqsReason();
    void errorColumnPointsAtTheMistake_data();
    void errorColumnPointsAtTheMistake();
    void jsonStringsAreWrittenAsKcatWritesThem();
    void jsonlRecordIsKcatsRecord();
    void csvColumnsAndQuoting();
    void csvColumnsRefuseUnknownNames();
    void scanStartParsesKcatsForms_data();
    void scanStartParsesKcatsForms();

    void scanReadsEveryPartitionToItsEnd();
    void scanStartsWhereAsked();
    void scanStopsAtTheCount();
    void scanNamesAMissingTopicOrPartition();
    void timeSeekFindsTheFirstMessageAtOrAfterATime();
    void scanByTimeRangeReadsExactlyTheRange();

private:
    // The embedded cluster with kPartitions partitions of timed messages on topic "timed", made once.
    QString timedCluster();
    std::unique_ptr<EmbeddedCluster> m_cluster;
    // For each partition, the timestamps of its messages by offset.
    std::map<int, std::vector<qint64>> m_stamps;
};

void TstBrowse::fastPathTakesTheSimpleComparisons_data()
{
    QTest::addColumn<QString>("filter");
    for (const char *f : kFastFilters)
        QTest::addRow("%s", f) << QString::fromUtf8(f);
}

void TstBrowse::fastPathTakesTheSimpleComparisons()
{
    QFETCH(QString, filter);
    const QByteArray utf8 = filter.toUtf8();
    QVERIFY(FastFilter::parse(std::string_view(utf8.constData(), size_t(utf8.size()))).has_value());
    QVERIFY2(JqProgram::compile(filter).ok(), "jq must take it too");
}

void TstBrowse::fastPathLeavesTheRestToJq_data()
{
    QTest::addColumn<QString>("filter");
    for (const char *f : kJqOnly)
        QTest::addRow("%s", f) << QString::fromUtf8(f);
}

void TstBrowse::fastPathLeavesTheRestToJq()
{
    QFETCH(QString, filter);
    const QByteArray utf8 = filter.toUtf8();
    QVERIFY(!FastFilter::parse(std::string_view(utf8.constData(), size_t(utf8.size()))).has_value());
}

// Every fast filter on every message of the corpus: where the fast path decides, it decides as jq does; and the
// filter as a whole (fast path, then jq where it cannot decide) passes exactly the messages jq passes.
void TstBrowse::fastPathDecidesAsJqDoes()
{
    const std::vector<Sample> samples = corpus();
    int decided = 0, asked = 0;
    for (const char *text : kFastFilters) {
        const QString filter = QString::fromUtf8(text);
        auto jq = JqProgram::compile(filter);
        QVERIFY2(jq.ok(), text);
        const auto fast = FastFilter::parse(text);
        QVERIFY(fast.has_value());
        auto whole = MessageFilter::compile({filter});
        QVERIFY(whole.ok());
        ParsedValue parsed;
        for (const Sample &s : samples) {
            const HeldView held = viewOf(s);
            const bool expected = jqPasses(**jq, held.view);
            parsed.reset(held.view.value);
            const FastFilter::Verdict verdict = fast->evaluate(held.view, parsed);
            if (verdict == FastFilter::Verdict::AskJq) {
                ++asked;
            } else {
                ++decided;
                QVERIFY2((verdict == FastFilter::Verdict::Pass) == expected,
                         qPrintable(
                             QStringLiteral("%1 on %2: jq says %3").arg(filter, QLatin1String(s.name)).arg(expected)));
            }
            QVERIFY2(whole->matches(held.view) == expected,
                     qPrintable(QStringLiteral("%1 on %2 as a whole").arg(filter, QLatin1String(s.name))));
        }
    }
    // Most are decided without jq, though the corpus is mostly the cases jq must decide: values that are not JSON to
    // simdjson, bytes that are not UTF-8, steps into scalars.
    qInfo("fast path decided %d of %d evaluations; %d were left to jq", decided, decided + asked, asked);
    QVERIFY(decided > asked);
}

void TstBrowse::filterFollowsJqMinusE_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("passes");
    QTest::newRow("true") << QStringLiteral("true") << true;
    QTest::newRow("false") << QStringLiteral("false") << false;
    QTest::newRow("null") << QStringLiteral("null") << false;
    QTest::newRow("a number") << QStringLiteral("0") << true;
    QTest::newRow("no output") << QStringLiteral("empty") << false;
    QTest::newRow("last output decides") << QStringLiteral("true, false") << false;
    QTest::newRow("last output true") << QStringLiteral("false, true") << true;
    QTest::newRow("error") << QStringLiteral(".value.a.b") << false;
    QTest::newRow("the value itself") << QStringLiteral(".value") << true;
    QTest::newRow("jq's own functions") << QStringLiteral(".value | has(\"a\")") << true;
}

void TstBrowse::filterFollowsJqMinusE()
{
    QFETCH(QString, filter);
    QFETCH(bool, passes);
    const Sample s{"x", "k", false, R"({"a":1})", false, {}};
    const HeldView held = viewOf(s);
    auto f = MessageFilter::compile({filter});
    QVERIFY(f.ok());
    QCOMPARE(f->matches(held.view), passes);
}

void TstBrowse::filtersMustAllPass()
{
    const Sample one{"x", "k", false, R"({"a":1,"b":2})", false, {}};
    const Sample other{"y", "k", false, R"({"a":1,"b":3})", false, {}};
    auto f = MessageFilter::compile({QStringLiteral(".value.a == 1"), QStringLiteral(".value.b | . == 2")});
    QVERIFY(f.ok());
    QVERIFY(f->matches(viewOf(one).view));
    QVERIFY(!f->matches(viewOf(other).view));
    QCOMPARE(f->expressions().size(), 2);
    QVERIFY(f->fastEvaluations() > 0);
    QVERIFY(f->jqEvaluations() > 0);
}

void TstBrowse::filterErrorsAreCountedWithTheirPlace()
{
    auto f = MessageFilter::compile({QStringLiteral(".value | .id > 1")});
    QVERIFY(f.ok());
    Sample text{"t", "k", false, "plain text", false, {}};
    text.partition = 2;
    text.offset = 41;
    QVERIFY(!f->matches(viewOf(text).view));
    QVERIFY(!f->matches(viewOf(text).view));
    QCOMPARE(f->errorCount(), 2);
    QVERIFY2(f->firstError().startsWith(QLatin1String("partition 2 offset 41: Cannot index string with")),
             qPrintable(f->firstError()));
}

void TstBrowse::badFiltersNameTheFilterAndJqsReason_data()
{
    QTest::addColumn<QStringList>("filters");
    QTest::addColumn<QString>("says");
    QTest::newRow("syntax") << QStringList{QStringLiteral(".value ==== 1")}
                            << QStringLiteral("filter .value ==== 1: syntax error");
    QTest::newRow("second of two") << QStringList{QStringLiteral(".key"), QStringLiteral(".value | nosuch")}
                                   << QStringLiteral("filter 2 (.value | nosuch): nosuch/0 is not defined");
    QTest::newRow("empty") << QStringList{QStringLiteral("  ")} << QStringLiteral("filter 1 is empty");
}

void TstBrowse::badFiltersNameTheFilterAndJqsReason()
{
    QFETCH(QStringList, filters);
    QFETCH(QString, says);
    auto f = MessageFilter::compile(filters);
    QVERIFY(!f.ok());
    QVERIFY2(f.error().startsWith(says), qPrintable(f.error()));
}

void TstBrowse::errorColumnPointsAtTheMistake_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("from"); // the column lies in [from, to]
    QTest::addColumn<int>("to");
    QTest::newRow("one = too many") << QStringLiteral(".value ==== 1") << 8 << 11;
    QTest::newRow("a stray character") << QStringLiteral(".value.a == 1 ; 2") << 15 << 15;
    QTest::newRow("an undefined name") << QStringLiteral(".value | nosuch") << 10 << 10;
    QTest::newRow("unclosed bracket") << QStringLiteral(".value[0 == 1") << 1 << 13;
    QTest::newRow("a good filter") << QStringLiteral(".value.a == 1") << 0 << 0;
}

void TstBrowse::errorColumnPointsAtTheMistake()
{
    QFETCH(QString, filter);
    QFETCH(int, from);
    QFETCH(int, to);
    const int column = JqProgram::errorColumn(filter);
    QVERIFY2(column >= from && column <= to, qPrintable(QString::number(column)));
    if (from > 0) {
        auto compiled = MessageFilter::compile({filter});
        QVERIFY(!compiled);
        QVERIFY2(compiled.error().endsWith(QStringLiteral("; at column %1").arg(column)), qPrintable(compiled.error()));
    }
}

void TstBrowse::jsonStringsAreWrittenAsKcatWritesThem()
{
    QByteArray out;
    MessageWriter::appendJsonString(out, "a\bb\fc\x1f"
                                         "d\x7f"
                                         "e/f\"g\\h\ni\tj");
    QCOMPARE(out, QByteArray(R"("a\bb\fc\u001Fd)"
                             "\x7f"
                             R"(e/f\"g\\h\ni\tj")"));
    out.clear();
    MessageWriter::appendJsonString(out, "\xff\xfe"
                                         "ab");
    QCOMPARE(out, QByteArray("\"\xef\xbf\xbd\xef\xbf\xbd"
                             "ab\"")); // U+FFFD for each byte that is not UTF-8
}

void TstBrowse::jsonlRecordIsKcatsRecord()
{
    Sample s{"x", {}, true, R"({"a":1})", false, {{"X-Shopify-Topic", "products/update"}, {"h2", "v"}}};
    s.partition = 2;
    s.offset = 0;
    s.timestampMs = 1796618558659;
    HeldView held = viewOf(s);
    held.view.broker = 2;
    MessageWriter writer(MessageFormat::Jsonl);
    QByteArray out;
    writer.append(out, held.view);
    QCOMPARE(out,
             QByteArray(R"({"topic":"shopify-webhooks","partition":2,"offset":0,"tstype":"create",)"
                        R"("ts":1796618558659,"broker":2,"headers":["X-Shopify-Topic","products/update","h2","v"],)"
                        R"("key":null,"payload":"{\"a\":1}"})"
                        "\n"));
    MessageWriter json(MessageFormat::Json);
    QByteArray array = json.begin();
    json.append(array, held.view);
    json.append(array, held.view);
    array += json.end();
    QCOMPARE(array.count("\"topic\""), 2);
    QVERIFY(array.startsWith("[\n") && array.endsWith("\n]\n"));
}

void TstBrowse::csvColumnsAndQuoting()
{
    Sample s{"x",   "shop,1",
             false, R"({"title":"Say \"hi\"","variants":[{"q":3},{"q":4}],"o":{"k":[1]}})",
             false, {{"X-Shopify-Topic", "products/update"}, {"X-Shopify-Topic", "products/create"}}};
    s.timestampMs = 1764230400123;
    const QStringList columns = {
        QStringLiteral("partition"), QStringLiteral("offset"),         QStringLiteral("timestamp"),
        QStringLiteral("key"),       QStringLiteral(".value.title"),   QStringLiteral(".value.variants[1].q"),
        QStringLiteral(".value.o"),  QStringLiteral(".value.missing"), QStringLiteral("header:X-Shopify-Topic"),
        QStringLiteral("headers")};
    QVERIFY(MessageWriter::checkColumns(columns));
    MessageWriter writer(MessageFormat::Csv, columns);
    QByteArray out = writer.begin();
    writer.append(out, viewOf(s).view);
    QCOMPARE(out, QByteArray("partition,offset,timestamp,key,.value.title,.value.variants[1].q,.value.o,"
                             ".value.missing,header:X-Shopify-Topic,headers\r\n"
                             "0,7,2025-11-27T08:00:00.123Z,\"shop,1\",\"Say \"\"hi\"\"\",4,\"{\"\"k\"\":[1]}\",,"
                             "products/create,\"{\"\"X-Shopify-Topic\"\":\"\"products/create\"\"}\"\r\n"));
}

void TstBrowse::csvColumnsRefuseUnknownNames()
{
    const Status s = MessageWriter::checkColumns({QStringLiteral("offset"), QStringLiteral("vaule")});
    QVERIFY(!s);
    QVERIFY2(s.error().startsWith(QLatin1String("unknown column \"vaule\"")), qPrintable(s.error()));
}

void TstBrowse::scanStartParsesKcatsForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind"); // -1: refused
    QTest::addColumn<qint64>("value");
    QTest::newRow("beginning") << QStringLiteral("beginning") << int(ScanStart::Kind::Beginning) << qint64(0);
    QTest::newRow("end") << QStringLiteral("end") << int(ScanStart::Kind::End) << qint64(0);
    QTest::newRow("stored") << QStringLiteral("stored") << int(ScanStart::Kind::Stored) << qint64(0);
    QTest::newRow("offset") << QStringLiteral("412") << int(ScanStart::Kind::Offset) << qint64(412);
    QTest::newRow("from the end") << QStringLiteral("-100") << int(ScanStart::Kind::FromEnd) << qint64(100);
    QTest::newRow("nonsense") << QStringLiteral("start") << -1 << qint64(0);
}

void TstBrowse::scanStartParsesKcatsForms()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(qint64, value);
    auto start = ScanStart::parse(text);
    if (kind < 0) {
        QVERIFY(!start);
        QVERIFY(start.error().contains(QLatin1String("beginning, end, stored")));
        return;
    }
    QVERIFY(start.ok());
    QCOMPARE(int(start->kind), kind);
    QCOMPARE(start->value, value);
}

namespace {

constexpr int kPartitions = 3;
constexpr int kPerPartition = 300;
constexpr qint64 kFirstStamp = 1764230400000; // 2025-11-27T08:00:00Z

} // namespace

QString TstBrowse::timedCluster()
{
    if (m_cluster)
        return m_cluster->bootstrapServers();
    auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("timed"), kPartitions}});
    if (!cluster)
        return {};
    auto producer = KafkaProducer::create((*cluster)->bootstrapServers());
    if (!producer)
        return {};
    // Partition p holds kPerPartition messages a second apart (p seconds later than partition 0), and runs of
    // equal stamps every 50 messages, as a batch of one request gets.
    for (int p = 0; p < kPartitions; ++p) {
        std::vector<qint64> &stamps = m_stamps[p];
        for (int i = 0; i < kPerPartition; ++i) {
            const int second = i % 50 == 1 ? i - 1 : i; // messages 50k and 50k + 1 share their stamp
            const qint64 stamp = kFirstStamp + qint64(p) * 1000 + qint64(second) * 1000;
            stamps.push_back(stamp);
            const QByteArray value =
                QByteArray(R"({"i":)") + QByteArray::number(i) + R"(,"p":)" + QByteArray::number(p) + '}';
            if (!(*producer)->produce("timed", "k", {value.constData(), size_t(value.size())}, {}, p, nullptr, stamp))
                return {};
        }
    }
    if (!(*producer)->flush(10000) || (*producer)->delivered() != kPartitions * kPerPartition)
        return {};
    m_cluster = std::move(*cluster);
    return m_cluster->bootstrapServers();
}

void TstBrowse::scanReadsEveryPartitionToItsEnd()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TopicScan scan(bootstrap, {});
    ScanRequest request;
    request.topic = QStringLiteral("timed");
    request.stopAtEnd = true;
    MessageFilter all;
    std::map<int, std::vector<qint64>> seen;
    QList<ScanProgress> progress;
    auto summary = scan.run(
        request, all,
        [&](const MessageView &m) {
            seen[m.partition].push_back(m.offset);
            return true;
        },
        [&](const ScanProgress &p) { progress.append(p); });
    QVERIFY2(summary.ok(), summary ? "" : qPrintable(summary.error()));
    QCOMPARE(summary->progress.scanned, qint64(kPartitions * kPerPartition));
    QCOMPARE(summary->progress.matched, qint64(kPartitions * kPerPartition));
    QCOMPARE(summary->progress.total, qint64(kPartitions * kPerPartition));
    QCOMPARE(summary->progress.partitionsDone, kPartitions);
    QCOMPARE(summary->ended, ScanSummary::Ended::AtEnd);
    for (int p = 0; p < kPartitions; ++p) {
        QCOMPARE(seen[p].size(), size_t(kPerPartition));
        QVERIFY(std::is_sorted(seen[p].begin(), seen[p].end()));
        QCOMPARE(seen[p].front(), 0);
    }
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().scanned, summary->progress.scanned);

    // Through a filter: only what passes reaches onMatch; all is still read.
    auto odd = MessageFilter::compile({QStringLiteral(".value.i >= 290")});
    QVERIFY(odd.ok());
    qint64 matched = 0;
    summary = scan.run(request, *odd, [&](const MessageView &) { return ++matched, true; });
    QVERIFY(summary.ok());
    QCOMPARE(matched, qint64(kPartitions * 10));
    QCOMPARE(summary->progress.scanned, qint64(kPartitions * kPerPartition));
}

void TstBrowse::scanStartsWhereAsked()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TopicScan scan(bootstrap, {});
    MessageFilter all;
    auto offsets = [&](const ScanRequest &request, ScanSummary *out = nullptr) {
        std::map<int, std::vector<qint64>> seen;
        auto summary = scan.run(request, all, [&](const MessageView &m) {
            seen[m.partition].push_back(m.offset);
            return true;
        });
        if (!summary)
            qWarning("%s", qPrintable(summary.error()));
        else if (out)
            *out = *summary;
        return seen;
    };
    ScanRequest request;
    request.topic = QStringLiteral("timed");
    request.stopAtEnd = true;

    request.start = {ScanStart::Kind::FromEnd, 4};
    request.partitions = {1};
    auto seen = offsets(request);
    QCOMPARE(seen.size(), size_t(1));
    QCOMPARE(seen[1], (std::vector<qint64>{296, 297, 298, 299}));

    request.start = {ScanStart::Kind::Offset, 298};
    request.partitions = {0, 2};
    seen = offsets(request);
    QCOMPARE(seen[0], (std::vector<qint64>{298, 299}));
    QCOMPARE(seen[2], (std::vector<qint64>{298, 299}));

    ScanSummary summary;
    request.start = {ScanStart::Kind::Offset, 5000};
    seen = offsets(request, &summary);
    QVERIFY(seen.empty());
    QCOMPARE(summary.notes.size(), 2);
    QCOMPARE(summary.notes.first(), QStringLiteral("partition 0: offset 5000 is past its end, 300"));

    request.start = {ScanStart::Kind::End, 0};
    request.partitions.clear();
    seen = offsets(request, &summary);
    QVERIFY(seen.empty());
    QCOMPARE(summary.progress.total, 0);
}

void TstBrowse::scanStopsAtTheCount()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TopicScan scan(bootstrap, {});
    MessageFilter all;
    ScanRequest request;
    request.topic = QStringLiteral("timed");
    request.maxMatches = 25; // without stopAtEnd: the count alone ends it
    qint64 got = 0;
    auto summary = scan.run(request, all, [&](const MessageView &) { return ++got, true; });
    QVERIFY(summary.ok());
    QCOMPARE(got, 25);
    QCOMPARE(summary->ended, ScanSummary::Ended::Count);

    // onMatch can stop it as well, and an interruption ends a scan that would follow the topic forever.
    got = 0;
    request.maxMatches = -1;
    summary = scan.run(request, all, [&](const MessageView &) { return ++got < 3; });
    QVERIFY(summary.ok());
    QCOMPARE(got, 3);
    QCOMPARE(summary->ended, ScanSummary::Ended::Interrupted);
    QElapsedTimer clock;
    clock.start();
    summary = scan.run(
        request, all, [](const MessageView &) { return true; }, {}, [&] { return clock.elapsed() > 1500; });
    QVERIFY(summary.ok());
    QCOMPARE(summary->ended, ScanSummary::Ended::Interrupted);
    QCOMPARE(summary->progress.scanned, qint64(kPartitions * kPerPartition));
}

void TstBrowse::scanNamesAMissingTopicOrPartition()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TopicScan scan(bootstrap, {});
    MessageFilter all;
    ScanRequest request;
    request.topic = QStringLiteral("no-such-topic");
    request.stopAtEnd = true;
    request.timeout = std::chrono::seconds(5);
    auto summary = scan.run(request, all, [](const MessageView &) { return true; });
    QVERIFY(!summary);
    QVERIFY2(summary.error().startsWith(QLatin1String("topic no-such-topic does not exist on")),
             qPrintable(summary.error()));
    request.topic = QStringLiteral("timed");
    request.partitions = {7};
    summary = scan.run(request, all, [](const MessageView &) { return true; });
    QVERIFY(!summary);
    QCOMPARE(summary.error(), QStringLiteral("topic timed has no partition 7 (it has partitions 0 to 2)"));
}

void TstBrowse::timeSeekFindsTheFirstMessageAtOrAfterATime()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TimeSeek seek(bootstrap, {}, std::chrono::seconds(10));
    std::vector<PartitionSpan> spans;
    for (int p = 0; p < kPartitions; ++p)
        spans.push_back({p, 0, kPerPartition});
    const qint64 times[] = {kFirstStamp - 1,       kFirstStamp,           kFirstStamp + 1,
                            kFirstStamp + 50'500,  kFirstStamp + 51'000,  kFirstStamp + 149'999,
                            kFirstStamp + 299'000, kFirstStamp + 301'000, kFirstStamp + 10'000'000};
    for (const qint64 t : times) {
        auto offsets = seek.offsetsAt(QStringLiteral("timed"), spans, t);
        QVERIFY2(offsets.ok(), offsets ? "" : qPrintable(offsets.error()));
        for (int p = 0; p < kPartitions; ++p) {
            const std::vector<qint64> &stamps = m_stamps[p];
            const auto first = std::find_if(stamps.begin(), stamps.end(), [&](qint64 s) { return s >= t; });
            QCOMPARE((*offsets)[size_t(p)], qint64(first - stamps.begin()));
        }
        // The embedded cluster answers by timestamp wrongly (with the end): every partition is searched by halves,
        // in about log2(300) rounds.
        QCOMPARE(seek.answeredByBroker() + seek.searched(), kPartitions);
        QVERIFY2(seek.probes() <= kPartitions * 12, qPrintable(QString::number(seek.probes())));
    }
}

void TstBrowse::scanByTimeRangeReadsExactlyTheRange()
{
    const QString bootstrap = timedCluster();
    QVERIFY(!bootstrap.isEmpty());
    TopicScan scan(bootstrap, {});
    MessageFilter all;
    ScanRequest request;
    request.topic = QStringLiteral("timed");
    request.fromTimeMs = kFirstStamp + 100'000;
    request.untilTimeMs = kFirstStamp + 120'000;
    // Without stopAtEnd: the range's end ends each partition.
    std::map<int, std::vector<qint64>> seen;
    auto summary = scan.run(request, all, [&](const MessageView &m) {
        if (m.timestampMs < request.fromTimeMs || m.timestampMs > request.untilTimeMs)
            qWarning("message out of the range: partition %d offset %lld", m.partition, m.offset);
        seen[m.partition].push_back(m.offset);
        return true;
    });
    QVERIFY2(summary.ok(), summary ? "" : qPrintable(summary.error()));
    QCOMPARE(summary->ended, ScanSummary::Ended::AtEnd);
    QVERIFY(summary->seek.contains(QLatin1String("by halves")));
    for (int p = 0; p < kPartitions; ++p) {
        std::vector<qint64> expected;
        const std::vector<qint64> &stamps = m_stamps[p];
        for (size_t i = 0; i < stamps.size(); ++i)
            if (stamps[i] >= request.fromTimeMs && stamps[i] <= request.untilTimeMs)
                expected.push_back(qint64(i));
        QCOMPARE(seen[p], expected);
    }
}

QTEST_GUILESS_MAIN(TstBrowse)
#include "tst_browse.moc"
