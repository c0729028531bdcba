// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli consume, produce, lag and filter on the embedded cluster: what consume writes checked against kcat's
// output of the same topic, what its filters pass against jq's results on the same messages, produce read back
// with kcat, lag against a group kcat consumed and committed with.
#include "cli_runner.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

namespace {

QString program(const char *name)
{
    const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
    if (path.isEmpty())
        qFatal("%s is not installed (scripts/install-deps.sh installs it)", name);
    return path;
}

QList<QByteArray> sortedLines(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    lines.removeAll(QByteArray());
    std::sort(lines.begin(), lines.end());
    return lines;
}

// jq's reading of kcat's records as the object Peakwatch's filters read: the value parsed when it is JSON, the
// headers an object (the last value where a name repeats).
constexpr char kAsFilterInput[] =
    R"({topic, partition, offset, timestamp: .ts, key, )"
    R"(value: (.payload as $p | if $p == null then null else (try ($p | fromjson) catch $p) end), )"
    R"(headers: ((.headers // []) as $h | [range(0; $h | length; 2) | {key: $h[.], value: $h[. + 1]}] )"
    R"(| from_entries)})";

} // namespace

class TstCliBrowse final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void consumeWritesWhatKcatWrites();
    void consumeFiltersPassWhatJqPasses_data();
    void consumeFiltersPassWhatJqPasses();
    void consumeCsvAndValueFormats();
    void consumeStartsAndStopsWhereAsked();
    void consumeByTimeRange();
    void consumeRefusesBadInputClearly_data();
    void consumeRefusesBadInputClearly();
    void produceWritesKeyHeadersAndPartition();
    void produceRefusesValuesThatAreNotJson();
    void lagOfAGroupKcatCommitted();
    void savedFiltersAreSharedAndUsed();

private:
    CliResult kcat(const QStringList &arguments, const QByteArray &input = {})
    {
        return runProgram(program("kcat"), arguments, input);
    }
    CliResult consume(QStringList arguments)
    {
        return runCli(QStringList{QStringLiteral("consume"), QStringLiteral("-b"), m_broker.bootstrap} + arguments);
    }

    CliBroker m_broker;
    QTemporaryDir m_dir;
    QList<QByteArray> m_kcatRecords; // topic "webhooks" as kcat -J reads it
};

void TstCliBrowse::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    QVERIFY(m_broker.start({QStringLiteral("webhooks:3"), QStringLiteral("timed:2"), QStringLiteral("out:1")}));
    const QString b = m_broker.bootstrap;
    // Shopify products/update webhooks of three shops, with the headers Shopify sends, and what else a topic holds:
    // a value that is not JSON, a tombstone, a key-less message, a repeated header.
    QFile sample(QStringLiteral(PEAKWATCH_SAMPLES_DIR "/products-update.json"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const QJsonObject product = QJsonDocument::fromJson(sample.readAll()).object();
    const char *shops[] = {"peak-apparel.myshopify.com", "trail-co.myshopify.com", "north-gear.myshopify.com"};
    for (int i = 0; i < 30; ++i) {
        QJsonObject p = product;
        p[QStringLiteral("id")] = qint64(8841726390000) + i;
        p[QStringLiteral("title")] = QStringLiteral("Product %1").arg(i);
        QJsonArray variants = p[QStringLiteral("variants")].toArray();
        QJsonObject v = variants.first().toObject();
        v[QStringLiteral("inventory_quantity")] = i % 12;
        variants.replace(0, v);
        p[QStringLiteral("variants")] = variants;
        const QByteArray shop = shops[i % 3];
        const CliResult r =
            runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"),
                    QStringLiteral("webhooks"), QStringLiteral("-k"), QString::fromLatin1(shop), QStringLiteral("-H"),
                    QStringLiteral("X-Shopify-Topic=products/update"), QStringLiteral("-H"),
                    QStringLiteral("X-Shopify-Shop-Domain=") + QLatin1String(shop),
                    QString::fromUtf8(QJsonDocument(p).toJson(QJsonDocument::Compact))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    const QList<QStringList> odd = {
        {QStringLiteral("-k"), QStringLiteral("k"), QStringLiteral("plain text, not JSON")},
        {QStringLiteral("-k"), QStringLiteral("peak-apparel.myshopify.com"), QStringLiteral("--null")},
        {QStringLiteral("{\"id\":1,\"title\":\"no key\",\"variants\":[]}")},
        {QStringLiteral("-H"), QStringLiteral("a=1"), QStringLiteral("-H"), QStringLiteral("a=2"), QStringLiteral("-p"),
         QStringLiteral("2"), QStringLiteral("{\"id\":2,\"note\":\"tab\\tand \\u00e9\"}")},
    };
    for (const QStringList &args : odd) {
        const CliResult r = runCli(QStringList{QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"),
                                               QStringLiteral("webhooks")} +
                                   args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    const CliResult k =
        kcat({QStringLiteral("-C"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("webhooks"),
              QStringLiteral("-J"), QStringLiteral("-e"), QStringLiteral("-q")});
    QCOMPARE(k.exitCode, 0);
    m_kcatRecords = sortedLines(k.out);
    QCOMPARE(m_kcatRecords.size(), 34);
}

void TstCliBrowse::consumeWritesWhatKcatWrites()
{
    const CliResult r = consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-e")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(sortedLines(r.out), m_kcatRecords);
    // The summary on standard error: what was read and what passed.
    QVERIFY2(r.err.contains("consume: 34 messages read"), r.err.constData());
    QVERIFY2(r.err.contains("34 passed; 3 of 3 partitions done"), r.err.constData());
}

void TstCliBrowse::consumeFiltersPassWhatJqPasses_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("atLeast"); // the filter is not trivially empty
    QTest::newRow("low stock") << QStringLiteral(".value.variants[0].inventory_quantity < 5") << 5;
    QTest::newRow("header") << QStringLiteral(".headers[\"X-Shopify-Topic\"] == \"products/update\"") << 30;
    QTest::newRow("shop key") << QStringLiteral(".key == \"trail-co.myshopify.com\"") << 10;
    QTest::newRow("select form") << QStringLiteral("select(.value.title >= \"Product 2\")") << 5;
    QTest::newRow("and") << QStringLiteral(".value.variants[0].inventory_quantity >= 3 and .partition != 1") << 1;
    QTest::newRow("tombstones") << QStringLiteral(".value == null") << 1;
    QTest::newRow("repeated header, last wins") << QStringLiteral(".headers.a == \"2\"") << 1;
    QTest::newRow("not JSON") << QStringLiteral(".value | type == \"string\"") << 1;
    QTest::newRow("jq's functions") << QStringLiteral(".value.variants | length > 1") << 1;
    QTest::newRow("jq's regex") << QStringLiteral(".key // \"\" | test(\"^north\")") << 10;
    QTest::newRow("errors do not pass") << QStringLiteral(".value.id > 8841726390020") << 5;
}

// The same filter through jq, on the objects jq makes of kcat's records, passes the same messages.
void TstCliBrowse::consumeFiltersPassWhatJqPasses()
{
    QFETCH(QString, filter);
    QFETCH(int, atLeast);
    const CliResult ours =
        consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-e"), QStringLiteral("-q"),
                 QStringLiteral("-f"), filter, QStringLiteral("--format"), QStringLiteral("csv"),
                 QStringLiteral("--columns"), QStringLiteral("partition,offset")});
    QVERIFY2(ours.exitCode == 0, ours.err.constData());
    QList<QByteArray> got = sortedLines(QByteArray(ours.out).replace('\r', ""));
    QVERIFY(got.removeOne("partition,offset"));
    const CliResult jq =
        runProgram(program("jq"),
                   {QStringLiteral("-r"), QLatin1String(kAsFilterInput) + QStringLiteral(" | select(") + filter +
                                              QStringLiteral(") | \"\\(.partition),\\(.offset)\"")},
                   m_kcatRecords.join('\n') + '\n');
    QCOMPARE(jq.exitCode == 0 || jq.exitCode == 5, true); // 5: an error on some message, which then does not pass
    const QList<QByteArray> expected = sortedLines(jq.out);
    QCOMPARE(got, expected);
    QVERIFY2(got.size() >= atLeast, qPrintable(QString::number(got.size())));
}

void TstCliBrowse::consumeCsvAndValueFormats()
{
    CliResult r =
        consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-p"), QStringLiteral("2"),
                 QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral(".headers.a != null"),
                 QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--columns"),
                 QStringLiteral("partition,key,.value.note,header:a,headers,timestamp")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.value(0), QByteArray("partition,key,.value.note,header:a,headers,timestamp\r"));
    QVERIFY2(lines.value(1).startsWith("2,,tab\tand \xc3\xa9,2,\"{\"\"a\"\":\"\"2\"\"}\",20"),
             lines.value(1).constData());

    r = consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-e"), QStringLiteral("-q"),
                 QStringLiteral("-f"), QStringLiteral(".value | type == \"string\""), QStringLiteral("--format"),
                 QStringLiteral("value")});
    QCOMPARE(r.out, QByteArray("plain text, not JSON\n"));

    r = consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-e"), QStringLiteral("-q"),
                 QStringLiteral("--format"), QStringLiteral("json")});
    QJsonParseError error;
    const QJsonDocument array = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(array.array().size(), 34);
}

void TstCliBrowse::consumeStartsAndStopsWhereAsked()
{
    auto offsets = [&](QStringList args) {
        const CliResult r = consume(QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-q"),
                                                QStringLiteral("--format"), QStringLiteral("csv"),
                                                QStringLiteral("--columns"), QStringLiteral("partition,offset")} +
                                    args);
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        QList<QByteArray> lines = QByteArray(r.out).replace('\r', "").split('\n');
        lines.removeFirst();
        lines.removeAll(QByteArray());
        return lines;
    };
    // The last two of partition 0, as kcat -o -2 reads them.
    const CliResult k = kcat({QStringLiteral("-C"), QStringLiteral("-b"), m_broker.bootstrap, QStringLiteral("-t"),
                              QStringLiteral("webhooks"), QStringLiteral("-p"), QStringLiteral("0"),
                              QStringLiteral("-o"), QStringLiteral("-2"), QStringLiteral("-e"), QStringLiteral("-q"),
                              QStringLiteral("-f"), QStringLiteral("%p,%o\\n")});
    QCOMPARE(offsets({QStringLiteral("-p"), QStringLiteral("0"), QStringLiteral("-o"), QStringLiteral("-2"),
                      QStringLiteral("-e")}),
             sortedLines(k.out));
    QCOMPARE(offsets({QStringLiteral("-p"), QStringLiteral("1"), QStringLiteral("-o"), QStringLiteral("3"),
                      QStringLiteral("-c"), QStringLiteral("2")}),
             (QList<QByteArray>{"1,3", "1,4"}));
    QVERIFY(offsets({QStringLiteral("-o"), QStringLiteral("end"), QStringLiteral("-e")}).isEmpty());
    // -c without -e stops at the count; -e without -c at every partition's end.
    QCOMPARE(offsets({QStringLiteral("-c"), QStringLiteral("5")}).size(), 5);
}

void TstCliBrowse::consumeByTimeRange()
{
    // Twelve messages over two partitions, each stamped by the producer when it was sent, a little apart.
    const QString b = m_broker.bootstrap;
    for (int i = 0; i < 12; ++i) {
        const CliResult r =
            runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("timed"),
                    QStringLiteral("-p"), QString::number(i % 2), QStringLiteral("{\"i\":%1}").arg(i)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QTest::qWait(30);
    }
    const CliResult all =
        kcat({QStringLiteral("-C"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("timed"),
              QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("%p,%o,%T\\n")});
    QList<std::tuple<int, qint64, qint64>> messages;
    for (const QByteArray &line : sortedLines(all.out)) {
        const QList<QByteArray> f = line.split(',');
        messages.append({f[0].toInt(), f[1].toLongLong(), f[2].toLongLong()});
    }
    QCOMPARE(messages.size(), 12);
    QList<qint64> stamps;
    for (const auto &m : messages)
        stamps << std::get<2>(m);
    std::sort(stamps.begin(), stamps.end());
    const qint64 from = stamps[3], until = stamps[8];
    const auto iso = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); };
    const CliResult r =
        consume({QStringLiteral("-t"), QStringLiteral("timed"), QStringLiteral("-e"), QStringLiteral("--from-time"),
                 iso(from), QStringLiteral("--until-time"), iso(until), QStringLiteral("--format"),
                 QStringLiteral("csv"), QStringLiteral("--columns"), QStringLiteral("partition,offset")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QList<QByteArray> got = sortedLines(QByteArray(r.out).replace('\r', ""));
    got.removeOne("partition,offset");
    QList<QByteArray> expected;
    for (const auto &[p, o, t] : messages)
        if (t >= from && t <= until)
            expected << QByteArray::number(p) + ',' + QByteArray::number(o);
    std::sort(expected.begin(), expected.end());
    QCOMPARE(got, expected);
    QVERIFY2(r.err.contains("by halves"), r.err.constData()); // the embedded cluster does not answer by time
}

void TstCliBrowse::consumeRefusesBadInputClearly_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says");
    QTest::newRow("filter syntax") << QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"),
                                                  QStringLiteral("-f"), QStringLiteral(".value ==== 1")}
                                   << 2 << QStringLiteral("filter .value ==== 1: syntax error");
    QTest::newRow("stored without a group")
        << QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-o"), QStringLiteral("stored")}
        << 2 << QStringLiteral("-o stored needs the consumer group");
    QTest::newRow("bad start") << QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-o"),
                                              QStringLiteral("first")}
                               << 2 << QStringLiteral("-o: \"first\" is not a start");
    QTest::newRow("bad time") << QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"),
                                             QStringLiteral("--from-time"), QStringLiteral("yesterday")}
                              << 2 << QStringLiteral("--from-time yesterday: expected a time in ISO 8601");
    QTest::newRow("range backwards") << QStringList{QStringLiteral("-t"),
                                                    QStringLiteral("webhooks"),
                                                    QStringLiteral("--from-time"),
                                                    QStringLiteral("2026-11-27T10:00:00Z"),
                                                    QStringLiteral("--until-time"),
                                                    QStringLiteral("2026-11-27T09:00:00Z")}
                                     << 2 << QStringLiteral("--until-time is before --from-time");
    QTest::newRow("bad column") << QStringList{QStringLiteral("-t"),        QStringLiteral("webhooks"),
                                               QStringLiteral("--format"),  QStringLiteral("csv"),
                                               QStringLiteral("--columns"), QStringLiteral("offset,vaule")}
                                << 2 << QStringLiteral("--columns: unknown column \"vaule\"");
    QTest::newRow("no topic") << QStringList{} << 2 << QStringLiteral("consume needs a topic");
    QTest::newRow("missing topic") << QStringList{QStringLiteral("-t"), QStringLiteral("nosuch"), QStringLiteral("-e")}
                                   << 1 << QStringLiteral("topic nosuch does not exist on");
    QTest::newRow("missing partition") << QStringList{QStringLiteral("-t"), QStringLiteral("webhooks"),
                                                      QStringLiteral("-p"), QStringLiteral("9"), QStringLiteral("-e")}
                                       << 1
                                       << QStringLiteral(
                                              "topic webhooks has no partition 9 (it has partitions 0 to 2)");
}

void TstCliBrowse::consumeRefusesBadInputClearly()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    const CliResult r = consume(arguments);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    QVERIFY(r.out.isEmpty() || r.out.startsWith("partition"));
}

void TstCliBrowse::produceWritesKeyHeadersAndPartition()
{
    const QString b = m_broker.bootstrap;
    CliResult r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"),
                          QStringLiteral("out"), QStringLiteral("-k"), QStringLiteral("shop.myshopify.com"),
                          QStringLiteral("-H"), QStringLiteral("X-Shopify-Topic=orders/create"), QStringLiteral("-H"),
                          QStringLiteral("X-Empty="), QStringLiteral("--json"), QStringLiteral("{\"id\":450789469}")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("out partition 0 offset 0\n"));
    QFile lines(m_dir.filePath(QStringLiteral("lines.ndjson")));
    QVERIFY(lines.open(QIODevice::WriteOnly));
    lines.write("{\"n\":1}\n\n{\"n\":2}\r\n{\"n\":3}");
    lines.close();
    r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("out"),
                QStringLiteral("--file"), lines.fileName(), QStringLiteral("--lines")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("out: 3 messages delivered\n"));
    const CliResult k =
        kcat({QStringLiteral("-C"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("out"),
              QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("%k|%h|%s\\n")});
    QCOMPARE(k.out, QByteArray("shop.myshopify.com|X-Shopify-Topic=orders/create,X-Empty=|{\"id\":450789469}\n"
                               "||{\"n\":1}\n||{\"n\":2}\n||{\"n\":3}\n"));
}

void TstCliBrowse::produceRefusesValuesThatAreNotJson()
{
    const QString b = m_broker.bootstrap;
    CliResult r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"),
                          QStringLiteral("out"), QStringLiteral("--json"), QStringLiteral("{\"id\":")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the value is not JSON") && r.err.contains("nothing sent"), r.err.constData());
    r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("out"),
                QStringLiteral("-H"), QStringLiteral("novalue"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("-H novalue: expected NAME=VALUE"), r.err.constData());
    r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("nosuch"),
                QStringLiteral("x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("topic nosuch does not exist on"), r.err.constData());
    r = runCli({QStringLiteral("produce"), QStringLiteral("-b"), b, QStringLiteral("-t"), QStringLiteral("out"),
                QStringLiteral("-p"), QStringLiteral("4"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("topic out has no partition 4 (it has partition 0)"), r.err.constData());
    // Neither left a topic behind.
    r = runCli({QStringLiteral("topics"), QStringLiteral("-b"), b, QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(!r.out.contains("\"nosuch\""), r.out.constData());
}

void TstCliBrowse::lagOfAGroupKcatCommitted()
{
    const QString b = m_broker.bootstrap;
    // kcat's balanced consumer reads 7 messages of "webhooks" as group "reorder-service" and commits them.
    const CliResult k = kcat({QStringLiteral("-b"), b, QStringLiteral("-G"), QStringLiteral("reorder-service"),
                              QStringLiteral("-X"), QStringLiteral("auto.offset.reset=earliest"), QStringLiteral("-c"),
                              QStringLiteral("7"), QStringLiteral("-q"), QStringLiteral("webhooks")});
    QCOMPARE(k.exitCode, 0);
    CliResult r =
        runCli({QStringLiteral("lag"), QStringLiteral("-b"), b, QStringLiteral("-G"), QStringLiteral("reorder-service"),
                QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject lag = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(lag[QStringLiteral("group")].toString(), QStringLiteral("reorder-service"));
    const QJsonArray partitions = lag[QStringLiteral("partitions")].toArray();
    QCOMPARE(partitions.size(), 3);
    qint64 committed = 0, end = 0, total = 0;
    for (const QJsonValue &v : partitions) {
        const QJsonObject p = v.toObject();
        end += p[QStringLiteral("end")].toInteger();
        if (!p[QStringLiteral("committed")].isNull()) {
            committed += p[QStringLiteral("committed")].toInteger();
            QCOMPARE(p[QStringLiteral("lag")].toInteger(),
                     p[QStringLiteral("end")].toInteger() - p[QStringLiteral("committed")].toInteger());
            total += p[QStringLiteral("lag")].toInteger();
        }
    }
    QCOMPARE(end, 34);
    QVERIFY2(committed >= 7, r.out.constData()); // kcat commits what it read, perhaps a little more it fetched
    QCOMPARE(lag[QStringLiteral("lag")].toInteger(), total);
    // The embedded cluster neither lists nor describes groups: said plainly, the lag still shown.
    QVERIFY2(r.err.contains("does not list consumer groups"), r.err.constData());

    r = runCli({QStringLiteral("lag"), QStringLiteral("-b"), b, QStringLiteral("-G"), QStringLiteral("reorder-service"),
                QStringLiteral("-t"), QStringLiteral("webhooks")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("group reorder-service\n  topic     partition  committed  end  lag\n"),
             r.out.constData());
    QVERIFY2(r.out.contains("  total"), r.out.constData());

    r = runCli(
        {QStringLiteral("lag"), QStringLiteral("-b"), b, QStringLiteral("-G"), QStringLiteral("reorder-service")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("name them with -t"), r.err.constData());
    r = runCli({QStringLiteral("lag"), QStringLiteral("-b"), b});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the cluster does not list consumer groups"), r.err.constData());
}

void TstCliBrowse::savedFiltersAreSharedAndUsed()
{
    CliResult r = runCli({QStringLiteral("filter"), QStringLiteral("save"), QStringLiteral("low stock"),
                          QStringLiteral(".value.variants[0].inventory_quantity < 3"),
                          QStringLiteral(".headers[\"X-Shopify-Topic\"] == \"products/update\"")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = runCli({QStringLiteral("filter"), QStringLiteral("save"), QStringLiteral("broken"), QStringLiteral(".a ==")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("syntax error"), r.err.constData());
    r = runCli({QStringLiteral("filter"), QStringLiteral("list")});
    QCOMPARE(r.out, QByteArray("low stock\t.value.variants[0].inventory_quantity < 3 ; "
                               ".headers[\"X-Shopify-Topic\"] == \"products/update\"\n"));
    r = consume({QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("-e"), QStringLiteral("-q"),
                 QStringLiteral("--saved-filter"), QStringLiteral("low stock"), QStringLiteral("--format"),
                 QStringLiteral("value")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> values = sortedLines(r.out);
    QCOMPARE(values.size(), 9); // inventory_quantity i % 12 below 3: i = 0, 1, 2, 12, 13, 14, 24, 25, 26
    r = consume(
        {QStringLiteral("-t"), QStringLiteral("webhooks"), QStringLiteral("--saved-filter"), QStringLiteral("nope")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no filter is saved as \"nope\"; saved: low stock"), r.err.constData());
    r = runCli({QStringLiteral("filter"), QStringLiteral("remove"), QStringLiteral("low stock")});
    QCOMPARE(r.exitCode, 0);
    r = runCli({QStringLiteral("filter"), QStringLiteral("list")});
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TstCliBrowse)
#include "tst_cli_browse.moc"
