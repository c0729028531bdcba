// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The command line's contract: exit codes, one-line errors, what `analyze --input` prints, and what it does with
// hostile input and a careless user (an unreachable cluster, an offset past the end, a secret in -X, a broker gone
// mid-run); what `topics` reports, checked against kcat on the same topics.
#include "csv_records.h"
#include "cli_runner.h"
#include "kafka_producer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

namespace {

QByteArray payload(qint64 id, const char *updatedAt, int quantity, const char *title = "Fleece Hoodie")
{
    return QByteArrayLiteral("{\"id\":") + QByteArray::number(id) + QByteArrayLiteral(",\"title\":\"") + title +
           QByteArrayLiteral("\",\"updated_at\":\"") + updatedAt +
           QByteArrayLiteral("\",\"variants\":[{\"price\":\"24.00\",\"inventory_quantity\":") +
           QByteArray::number(quantity) + QByteArrayLiteral("},{\"price\":\"26.50\",\"inventory_quantity\":0}]}");
}

// A steady seller: 12 updates a minute apart, 2 units each, from 60 down to 38.
QByteArray steadyProduct(const QByteArray &shop, qint64 id, int start = 60)
{
    QByteArray lines;
    for (int i = 0; i < 12; ++i) {
        const QByteArray time =
            QByteArrayLiteral("2026-11-27T05:") + QByteArray::number(10 + i) + QByteArrayLiteral(":00Z");
        lines += shop + '\t' + payload(id, time.constData(), start - 2 * i) + '\n';
    }
    return lines;
}

QJsonObject json(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

// A loopback port nothing listens on: bound, then let go.
quint16 unusedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot bind a loopback port");
    return server.serverPort();
}

// The embedded cluster as a child process (peakwatch-cli broker): the real Kafka protocol on loopback.
// The records of a CSV text, as RFC 4180 reads them (quoted fields may hold commas, quotes and line breaks).
using peakwatch::test::parseCsv;

QList<QByteArray> nonEmptyLines(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

qint64 msSinceEpoch(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// What the topics test cluster holds: each partition's messages by the timestamps the producer set, in offset order.
// orders' partition 0 ends with a message stamped before the one ahead of it (a late event): its last timestamp is
// the last message's, not the latest.
struct ProducedPartition {
    const char *topic;
    int partition;
    QList<const char *> stamps;
};
const QList<ProducedPartition> kProduced = {
    {"orders", 0, {"2026-11-27T05:00:00Z", "2026-11-27T05:01:00Z", "2026-11-27T05:02:00Z", "2026-11-27T05:00:30Z"}},
    {"orders", 1, {"2026-11-27T06:00:00.250Z", "2026-11-27T06:01:00.250Z"}},
    {"orders", 2, {}},
    {"products", 0, {"2026-11-26T23:59:59Z", "2026-11-27T00:00:00Z", "2026-11-27T07:30:00Z"}},
    {"__peakwatch_internal", 0, {"2026-11-27T05:00:00Z"}},
};

// The words of a table line.
QStringList words(const QByteArray &line)
{
    return QString::fromUtf8(line).split(u' ', Qt::SkipEmptyParts);
}

} // namespace

class TstCli final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void usageErrors_data();
    void usageErrors();
    void helpExitsZero_data();
    void helpExitsZero();
    void missingInputFileIsRuntimeError();
    void badRulesFileIsRuntimeErrorNamingTheProblem();
    void analyzePrintsSnapshotsSortedByShopThenProduct();
    void analyzeReadsStandardInput();
    void analyzeSummaryCountsRejectsByReason();
    void analyzePrintsAlertsBeforeSnapshots();
    void analyzePredictsSteadyDepletion();
    void analyzeAppliesRulesFile();
    void idsAbove2To53StayExact();
    void analyzeWritesACsvTableWithFormatCsv();
    void demoFiguresAddUp();

    void analyzeCountsHostileInputByReason_data();
    void analyzeCountsHostileInputByReason();
    void analyzeMaxAheadMovesTheFutureBound_data();
    void analyzeMaxAheadMovesTheFutureBound();
    void unreachableClusterIsOneLineNamingDoctor_data();
    void unreachableClusterIsOneLineNamingDoctor();
    void offsetPastTheEndStartsAtTheEnd();
    void profileImportNeverPrintsAnXSecret_data();
    void profileImportNeverPrintsAnXSecret();
    void gatewayEmbeddedNamesItsTopic();
    void simulateReportsABrokerDownAndGivesUp();

    void topicsJsonMatchesKcat();
    void topicsTableShowsEachPartitionAndATotal();
    void topicsOnlyThoseAskedFor_data();
    void topicsOnlyThoseAskedFor();
    void topicsMissingTopicNamesItAndTheExistingOnes_data();
    void topicsMissingTopicNamesItAndTheExistingOnes();
    void topicsUnreachableClusterIsOneLineNamingDoctor_data();
    void topicsUnreachableClusterIsOneLineNamingDoctor();

private:
    // The embedded cluster with kProduced on it, started by the first test that needs it; its bootstrap servers.
    QString topicsCluster();
    CliResult kcat(const QStringList &arguments);

    std::unique_ptr<CliBroker> m_topicsBroker;
};

void TstCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    const auto row = [](const char *name, QStringList args, const char *mentions) {
        QTest::addRow("%s", name) << args << QString::fromLatin1(mentions);
    };
    row("no command", {}, "missing command");
    row("unknown command", {QStringLiteral("analyse")}, "unknown command");
    row("unknown option", {QStringLiteral("analyze"), QStringLiteral("--nope")}, "nope");
    row("analyze without input", {QStringLiteral("analyze")}, "--input");
    row("input and bootstrap together",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("x"), QStringLiteral("--bootstrap"),
         QStringLiteral("127.0.0.1:9092")},
        "cannot be combined");
    row("bootstrap without topic", {QStringLiteral("analyze"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9")},
        "--topic");
    row("topic without bootstrap", {QStringLiteral("analyze"), QStringLiteral("-t"), QStringLiteral("products")},
        "--bootstrap");
    row("group with a file",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("x"), QStringLiteral("--group"),
         QStringLiteral("g")},
        "--group");
    row("malformed -X",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("x"), QStringLiteral("-X"),
         QStringLiteral("novalue")},
        "key=value");
    row("window of zero minutes",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("x"), QStringLiteral("--window"),
         QStringLiteral("0")},
        "--window");
    row("bad start offset",
        {QStringLiteral("analyze"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("-o"), QStringLiteral("yesterday")},
        "-o yesterday");
    row("stored offset without group",
        {QStringLiteral("analyze"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("-o"), QStringLiteral("stored")},
        "--group");
    row("negative drain timeout",
        {QStringLiteral("analyze"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("--drain-timeout"), QStringLiteral("-1")},
        "--drain-timeout -1");
    row("drain timeout with a file",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("x"), QStringLiteral("--drain-timeout"),
         QStringLiteral("5")},
        "--drain-timeout applies to a topic");
    row("zero brokers", {QStringLiteral("broker"), QStringLiteral("--brokers"), QStringLiteral("0")}, "--brokers");
    row("topic with bad partitions",
        {QStringLiteral("broker"), QStringLiteral("--topic"), QStringLiteral("products:many")}, "NAME:PARTITIONS");
    row("stray argument", {QStringLiteral("broker"), QStringLiteral("extra")}, "unexpected argument");
    row("analyze with an unknown output format",
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-"), QStringLiteral("--format"),
         QStringLiteral("xml")},
        "\"xml\"");
    row("demo with bad time compression",
        {QStringLiteral("demo"), QStringLiteral("--time-compression"), QStringLiteral("fast")}, "--time-compression");
    row("simulate with no target", {QStringLiteral("simulate")}, "--bootstrap");
    row("simulate to Kafka and HTTP at once",
        {QStringLiteral("simulate"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("--webhook-url"), QStringLiteral("http://127.0.0.1:9/")},
        "not both");
    row("simulate with a fraction above 1",
        {QStringLiteral("simulate"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("--duplicates"), QStringLiteral("1.5")},
        "--duplicates 1.5");
    row("simulate with an unknown scenario",
        {QStringLiteral("simulate"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("--scenario"), QStringLiteral("cyber-tuesday")},
        "black-friday");
    row("topics without a cluster", {QStringLiteral("topics")}, "--bootstrap");
    row("topics with an unknown output format",
        {QStringLiteral("topics"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("--format"),
         QStringLiteral("xml")},
        "\"xml\"");
    row("topics with no time to wait",
        {QStringLiteral("topics"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("--timeout"),
         QStringLiteral("0")},
        "--timeout 0");
    row("simulate with a bad rate",
        {QStringLiteral("simulate"), QStringLiteral("-b"), QStringLiteral("127.0.0.1:9"), QStringLiteral("-t"),
         QStringLiteral("p"), QStringLiteral("--rate"), QStringLiteral("fast")},
        "--rate fast");
}

void TstCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const CliResult r = runCli(arguments);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(r.err.count('\n'), 1); // one line on stderr
    QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
}

void TstCli::helpExitsZero_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("top level") << QStringList{QStringLiteral("--help")};
    QTest::addRow("broker") << QStringList{QStringLiteral("broker"), QStringLiteral("--help")};
    QTest::addRow("analyze") << QStringList{QStringLiteral("analyze"), QStringLiteral("--help")};
    QTest::addRow("demo") << QStringList{QStringLiteral("demo"), QStringLiteral("-h")};
    QTest::addRow("topics") << QStringList{QStringLiteral("topics"), QStringLiteral("--help")};
}

void TstCli::helpExitsZero()
{
    QFETCH(QStringList, arguments);
    const CliResult r = runCli(arguments);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Usage: peakwatch-cli"));
    QVERIFY(r.err.isEmpty());
}

void TstCli::missingInputFileIsRuntimeError()
{
    const CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("/nonexistent/events.ndjson")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("/nonexistent/events.ndjson") && r.err.contains("No such file"), r.err.constData());
}

void TstCli::badRulesFileIsRuntimeErrorNamingTheProblem()
{
    QTemporaryDir dir;
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile file(rules);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"defaults": {"low_stock": -3}})");
    file.close();
    const CliResult r = runCli(
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-"), QStringLiteral("--rules"), rules},
        payload(1, "2026-11-27T05:00:00Z", 5));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("defaults.low_stock") && r.err.contains("rules.json"), r.err.constData());
}

void TstCli::analyzePrintsSnapshotsSortedByShopThenProduct()
{
    const QByteArray input = QByteArrayLiteral("b.myshopify.com\t") + payload(30, "2026-11-27T05:00:00Z", 50) + '\n' +
                             QByteArrayLiteral("a.myshopify.com\t") + payload(20, "2026-11-27T05:00:00Z", 50) + '\n' +
                             QByteArrayLiteral("a.myshopify.com\t") + payload(10, "2026-11-27T05:00:00Z", 50) + '\n' +
                             QByteArrayLiteral("b.myshopify.com\t") + payload(10, "2026-11-27T05:00:00Z", 50) + '\n';
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("in.ndjson"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(input);
    file.close();
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), path});
    QCOMPARE(r.exitCode, 0);
    const auto lines = r.outLines();
    QCOMPARE(lines.size(), 4);
    const QList<QPair<QString, qint64>> expected{{QStringLiteral("a.myshopify.com"), 10},
                                                 {QStringLiteral("a.myshopify.com"), 20},
                                                 {QStringLiteral("b.myshopify.com"), 10},
                                                 {QStringLiteral("b.myshopify.com"), 30}};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject o = json(lines[i]);
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("snapshot"));
        QCOMPARE(o.value(QStringLiteral("shop")).toString(), expected[i].first);
        QCOMPARE(o.value(QStringLiteral("product_id")).toInteger(), expected[i].second);
        QCOMPARE(o.value(QStringLiteral("quantity")).toInteger(), 50);
        QCOMPARE(o.value(QStringLiteral("min_price")).toDouble(), 24.0);
        QCOMPARE(o.value(QStringLiteral("max_price")).toDouble(), 26.5);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QVERIFY(o.value(QStringLiteral("rate_per_hour")).isNull());
        QVERIFY(o.value(QStringLiteral("sellout_at")).isNull());
    }
    QVERIFY2(r.err.contains("accepted 4, duplicates 0, out of order 0, rejected 0"), r.err.constData());
}

void TstCli::analyzeReadsStandardInput()
{
    const CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")},
               payload(7, "2026-11-27T05:00:00Z", 3) + "\r\n\r\n" + payload(7, "2026-11-27T05:01:00Z", 2));
    QCOMPARE(r.exitCode, 0);
    const auto lines = r.outLines();
    QVERIFY(!lines.isEmpty());
    const QJsonObject snapshot = json(lines.last());
    QCOMPARE(snapshot.value(QStringLiteral("quantity")).toInteger(), 2);
    QCOMPARE(snapshot.value(QStringLiteral("updated_at")).toString(), QStringLiteral("2026-11-27T05:01:00Z"));
    QCOMPARE(snapshot.value(QStringLiteral("status")).toString(), QStringLiteral("low"));
}

void TstCli::analyzeSummaryCountsRejectsByReason()
{
    QByteArray input;
    input += payload(1, "2026-11-27T05:00:00Z", 50) + '\n';
    input += "{\"id\": 1, broken\n";
    input += "[1, 2, 3]\n";
    input += payload(1, "2026-11-27T05:00:00Z", 50) + '\n'; // duplicate
    input += payload(1, "2026-11-27T04:00:00Z", 80) + '\n'; // out of order
    input += QByteArrayLiteral("{\"id\":2,\"updated_at\":\"2026-11-27T05:00:00Z\",\"variants\":[{\"price\":\"abc\","
                               "\"inventory_quantity\":1}]}\n");
    input += payload(2, "2026-11-27T05:00:00Z", 9) + '\n'; // good after bad
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(
                 "accepted 2, duplicates 1, out of order 1, rejected 3 (invalid_json 1, not_an_object 1, bad_price 1)"),
             r.err.constData());
    QVERIFY2(r.err.contains("rejected invalid_json at line 2"), r.err.constData());
    QVERIFY2(r.err.contains("rejected bad_price at line 6: variants[0].price: \"abc\" is not a decimal price"),
             r.err.constData());
    QCOMPARE(r.outLines().size(), 3); // the low_stock alert of product 2, then two snapshots
}

void TstCli::analyzePrintsAlertsBeforeSnapshots()
{
    QByteArray input = payload(5, "2026-11-27T05:00:00Z", 40) + '\n' + payload(5, "2026-11-27T05:05:00Z", 8) + '\n' +
                       payload(5, "2026-11-27T05:10:00Z", 0) + '\n';
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 0);
    const auto lines = r.outLines();
    QStringList kinds, rules;
    for (const QByteArray &line : lines) {
        const QJsonObject o = json(line);
        kinds << o.value(QStringLiteral("type")).toString();
        rules << o.value(QStringLiteral("rule")).toString();
    }
    QCOMPARE(kinds.last(), QStringLiteral("snapshot"));
    QCOMPARE(kinds.count(QStringLiteral("snapshot")), 1);
    QVERIFY2(rules.contains(QStringLiteral("low_stock")), qPrintable(rules.join(u',')));
    QVERIFY2(rules.contains(QStringLiteral("sold_out")), qPrintable(rules.join(u',')));
    const QJsonObject soldOut = json(lines[rules.indexOf(QStringLiteral("sold_out"))]);
    for (const char *field : {"id", "rule", "shop", "product_id", "title", "quantity", "sellout_at", "at", "message"})
        QVERIFY2(soldOut.contains(QLatin1String(field)), field);
    QCOMPARE(soldOut.value(QStringLiteral("at")).toString(), QStringLiteral("2026-11-27T05:10:00Z"));
    QCOMPARE(json(lines.last()).value(QStringLiteral("status")).toString(), QStringLiteral("sold_out"));
}

void TstCli::analyzePredictsSteadyDepletion()
{
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")},
                               steadyProduct("s.myshopify.com", 42));
    QCOMPARE(r.exitCode, 0);
    const QJsonObject snapshot = json(r.outLines().last());
    // 2 units a minute = 120 an hour; 38 left at 05:21 sell out 19 minutes later, at 05:40.
    QVERIFY2(qAbs(snapshot.value(QStringLiteral("rate_per_hour")).toDouble() - 120) < 12, r.out.constData());
    QCOMPARE(snapshot.value(QStringLiteral("sellout_at")).toString(), QStringLiteral("2026-11-27T05:40:00Z"));
    QCOMPARE(snapshot.value(QStringLiteral("status")).toString(), QStringLiteral("selling_out"));
}

void TstCli::analyzeAppliesRulesFile()
{
    QTemporaryDir dir;
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile file(rules);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"defaults": {"low_stock": 45, "sellout_horizon_minutes": 5, "rules": ["low_stock"]}})");
    file.close();
    const CliResult r = runCli(
        {QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-"), QStringLiteral("--rules"), rules},
        steadyProduct("s.myshopify.com", 42));
    QCOMPARE(r.exitCode, 0);
    const auto lines = r.outLines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(json(lines[0]).value(QStringLiteral("rule")).toString(), QStringLiteral("low_stock"));
    QCOMPARE(json(lines[0]).value(QStringLiteral("quantity")).toInteger(), 44);
    QCOMPARE(json(lines[1]).value(QStringLiteral("status")).toString(),
             QStringLiteral("low")); // 19 min > 5 min horizon
}

void TstCli::idsAbove2To53StayExact()
{
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")},
                               payload(9007199254740993, "2026-11-27T05:00:00Z", 50));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("\"product_id\":9007199254740993,"), r.out.constData());
}

void TstCli::analyzeWritesACsvTableWithFormatCsv()
{
    // A steady seller, a product oversold by 12, and a title with a comma and quotes (and an id above 2^53).
    QByteArray input = steadyProduct("s.myshopify.com", 42);
    input += QByteArrayLiteral("a.myshopify.com\t") + payload(8, "2026-11-27T05:00:00Z", 30) + '\n';
    input += QByteArrayLiteral("a.myshopify.com\t") + payload(8, "2026-11-27T05:20:00Z", -12) + '\n';
    input += QByteArrayLiteral("a.myshopify.com\t") +
             payload(9007199254740993, "2026-11-27T05:00:00Z", 50, R"(Scarf, \"wool\")") + '\n';
    const CliResult csv = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-"),
                                  QStringLiteral("--format"), QStringLiteral("csv")},
                                 input);
    QCOMPARE(csv.exitCode, 0);
    const QList<QStringList> rows = parseCsv(csv.out);
    // The header once, then one row per product sorted by shop, then product id; no alert records.
    QCOMPARE(rows.size(), 4);
    const QStringList header{
        QStringLiteral("shop"),       QStringLiteral("product_id"),       QStringLiteral("title"),
        QStringLiteral("status"),     QStringLiteral("quantity"),         QStringLiteral("change_per_hour"),
        QStringLiteral("sellout_at"), QStringLiteral("sellout_earliest"), QStringLiteral("sellout_latest"),
        QStringLiteral("min_price"),  QStringLiteral("max_price"),        QStringLiteral("updated_at"),
        QStringLiteral("handle")};
    QCOMPARE(rows[0], header);
    QCOMPARE(rows[1].mid(0, 5),
             (QStringList{QStringLiteral("a.myshopify.com"), QStringLiteral("8"), QStringLiteral("Fleece Hoodie"),
                          QStringLiteral("sold_out"), QStringLiteral("-12")}));
    // Sold out (then backordered) at the update that took it to -12.
    QCOMPARE(rows[1].value(6), QStringLiteral("2026-11-27T05:20:00Z"));
    QCOMPARE(rows[2], (QStringList{QStringLiteral("a.myshopify.com"), QStringLiteral("9007199254740993"),
                                   QStringLiteral("Scarf, \"wool\""), QStringLiteral("ok"), QStringLiteral("50"),
                                   QString(), QString(), QString(), QString(), QStringLiteral("24.00"),
                                   QStringLiteral("26.50"), QStringLiteral("2026-11-27T05:00:00Z"), QString()}));
    QVERIFY2(csv.out.contains(",\"Scarf, \"\"wool\"\"\",ok,"), csv.out.constData());
    // 2 units a minute: selling about 120 an hour, 38 left at 05:21 sell out at 05:40.
    const QStringList steady = rows[3];
    QCOMPARE(steady.mid(0, 5),
             (QStringList{QStringLiteral("s.myshopify.com"), QStringLiteral("42"), QStringLiteral("Fleece Hoodie"),
                          QStringLiteral("selling_out"), QStringLiteral("38")}));
    bool isNumber = false;
    const double change = steady.value(5).toDouble(&isNumber);
    QVERIFY2(isNumber && qAbs(change + 120) < 12, qPrintable(steady.value(5)));
    QCOMPARE(steady.value(6), QStringLiteral("2026-11-27T05:40:00Z"));
    QCOMPARE(steady.value(11), QStringLiteral("2026-11-27T05:21:00Z"));

    // Every row says what the NDJSON snapshot record of the same run says.
    const CliResult ndjson = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, input);
    QCOMPARE(ndjson.exitCode, 0);
    QList<QJsonObject> snapshots;
    for (const QByteArray &line : ndjson.outLines())
        if (const QJsonObject o = json(line); o.value(QStringLiteral("type")).toString() == QLatin1String("snapshot"))
            snapshots << o;
    QCOMPARE(snapshots.size(), rows.size() - 1);
    QVERIFY2(ndjson.outLines().size() > snapshots.size(), "the NDJSON run should hold alerts the CSV leaves out");
    for (qsizetype i = 0; i < snapshots.size(); ++i) {
        const QJsonObject &o = snapshots[i];
        const QStringList &row = rows[i + 1];
        QCOMPARE(row[0], o.value(QStringLiteral("shop")).toString());
        QCOMPARE(row[2], o.value(QStringLiteral("title")).toString());
        QCOMPARE(row[3], o.value(QStringLiteral("status")).toString());
        QCOMPARE(row[4].toLongLong(), o.value(QStringLiteral("quantity")).toInteger());
        QCOMPARE(row[6], o.value(QStringLiteral("sellout_at")).toString()); // null reads as ""
        const QJsonValue rate = o.value(QStringLiteral("rate_per_hour"));
        if (rate.isNull())
            QCOMPARE(row[5], QString());
        else
            QVERIFY2(qAbs(row[5].toDouble() + rate.toDouble()) < 0.01, qPrintable(row[5]));
        const QJsonArray interval = o.value(QStringLiteral("sellout_interval")).toArray();
        QCOMPARE(row[7], interval.at(0).toString());
        QCOMPARE(row[8], interval.at(1).toString());
    }
    QVERIFY2(csv.err.contains("accepted 15"), csv.err.constData());
}

void TstCli::demoFiguresAddUp()
{
    // Fast, so that webhooks are in flight when the run ends: the closing line must count them all or say where
    // the difference is.
    const CliResult r = runCli({QStringLiteral("demo"), QStringLiteral("--duration"), QStringLiteral("3"),
                                QStringLiteral("--time-compression"), QStringLiteral("600")},
                               {}, 60000);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    const QByteArray last = r.outLines().value(r.outLines().size() - 1);
    static const QRegularExpression closing(QStringLiteral(
        R"(^demo: produced (\d+) webhooks(?: \((\d+) of them not analysed: [^)]*\))?; accepted (\d+), duplicates (\d+), )"
        R"(out of order (\d+), rejected (\d+)(?: \([^)]*\))?(?:; inventory levels \d+(?:, (\d+) held)?)?)"));
    const QRegularExpressionMatch m = closing.match(QString::fromUtf8(last));
    QVERIFY2(m.hasMatch(), last.constData());
    const qint64 produced = m.captured(1).toLongLong();
    const qint64 notAnalysed = m.captured(2).toLongLong(); // 0 when the line says nothing of it
    const qint64 analysed = m.captured(3).toLongLong() + m.captured(4).toLongLong() + m.captured(5).toLongLong() +
                            m.captured(6).toLongLong() + m.captured(7).toLongLong(); // levels held count once
    QVERIFY2(produced > 100, last.constData());
    QVERIFY2(produced == analysed + notAnalysed, last.constData());
}

// ---- hostile input and a careless user ----------------------------------------------------------------------

void TstCli::analyzeCountsHostileInputByReason_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("detail");
    QTest::addRow("variants of -2^63 and -1")
        << QByteArrayLiteral(
               "{\"id\":7,\"updated_at\":\"2026-11-27T05:01:00Z\",\"variants\":[{\"price\":\"1.00\","
               "\"inventory_quantity\":-9223372036854775808},{\"price\":\"1.00\",\"inventory_quantity\":-1}]}")
        << QStringLiteral("quantity_out_of_range") << QStringLiteral("variants[0].inventory_quantity");
    QTest::addRow("an event dated 9999-12-31")
        << payload(7, "9999-12-31T00:00:00Z", 1) << QStringLiteral("future_timestamp")
        << QStringLiteral("more than a day ahead of the clock");
    QTest::addRow("a Spark-output row with minPrice above maxPrice")
        << QByteArrayLiteral("{\"id\":7,\"timestamp\":\"2026-11-27T05:01:00Z\",\"title\":\"x\",\"minPrice\":9.5,"
                             "\"maxPrice\":2.0,\"quantity\":3}")
        << QStringLiteral("min_price_above_max") << QStringLiteral("minPrice 9.5");
    QTest::addRow("a 3 MiB line") << QByteArray(3 << 20, 'x') << QStringLiteral("too_large")
                                  << QStringLiteral("3145728 bytes");
}

void TstCli::analyzeCountsHostileInputByReason()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    QFETCH(QString, detail);
    const QByteArray input =
        payload(7, "2026-11-27T05:00:00Z", 30) + '\n' + line + '\n' + payload(7, "2026-11-27T05:02:00Z", 28) + '\n';
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 0);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QStringLiteral("accepted 2, duplicates 0, out of order 0, rejected 1 (") % reason %
                          QStringLiteral(" 1)")),
             r.err.constData());
    QVERIFY2(err.contains(QStringLiteral("rejected ") % reason % QStringLiteral(" at line 2: ")), r.err.constData());
    QVERIFY2(err.contains(detail), r.err.constData());
    // The product goes on from the update after the hostile one.
    const QJsonObject snapshot = json(r.outLines().last());
    QCOMPARE(snapshot.value(QStringLiteral("quantity")).toInteger(), 28);
    QCOMPARE(snapshot.value(QStringLiteral("updated_at")).toString(), QStringLiteral("2026-11-27T05:02:00Z"));
}

void TstCli::analyzeMaxAheadMovesTheFutureBound_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("summary");
    QTest::addRow("by default a day") << QStringList{}
                                      << QStringLiteral("accepted 0, duplicates 0, out of order 0, rejected 1 "
                                                        "(future_timestamp 1)");
    QTest::addRow("--max-ahead 0 lifts it (a simulation dated ahead)")
        << QStringList{QStringLiteral("--max-ahead"), QStringLiteral("0")}
        << QStringLiteral("accepted 1, duplicates 0, out of order 0, rejected 0");
}

void TstCli::analyzeMaxAheadMovesTheFutureBound()
{
    QFETCH(QStringList, options);
    QFETCH(QString, summary);
    const CliResult r =
        runCli(QStringList{QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")} + options,
               payload(7, "2099-11-27T05:00:00Z", 5));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(summary.toUtf8()), r.err.constData());
}

void TstCli::unreachableClusterIsOneLineNamingDoctor_data()
{
    QTest::addColumn<bool>("verbose");
    QTest::addRow("by default") << false;
    QTest::addRow("with --verbose, librdkafka's lines through the logging category") << true;
}

void TstCli::unreachableClusterIsOneLineNamingDoctor()
{
    QFETCH(bool, verbose);
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(unusedPort());
    QStringList args{QStringLiteral("analyze"), QStringLiteral("-b"), bootstrap, QStringLiteral("-t"),
                     QStringLiteral("products")};
    if (verbose)
        args << QStringLiteral("--verbose");
    const CliResult r = runCli(args);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(!err.contains(QStringLiteral("%3|")), r.err.constData()); // never librdkafka's own printing
    const QList<QByteArray> lines = nonEmptyLines(r.err);
    // The one line of the command's own (with --verbose, librdkafka's lines come around it).
    QByteArray last;
    for (const QByteArray &line : lines)
        if (line.startsWith("peakwatch-cli: "))
            last = line;
    const QByteArray b = bootstrap.toUtf8();
    QVERIFY2(
        last.contains(QByteArray("cannot reach the Kafka cluster at " + b + ": broker " + b + ": connection refused")),
        r.err.constData());
    QVERIFY2(last.contains(QByteArray("peakwatch-cli doctor -b " + b)), r.err.constData());
    if (verbose) {
        QVERIFY2(err.contains(QStringLiteral("FAIL: ")) && err.contains(QStringLiteral("Connection refused")),
                 r.err.constData());
    } else {
        QCOMPARE(lines.size(), 1);
    }
}

void TstCli::offsetPastTheEndStartsAtTheEnd()
{
    CliBroker broker;
    QVERIFY(broker.start({QStringLiteral("products:2")}));
    const CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("-b"), broker.bootstrap, QStringLiteral("-t"),
                QStringLiteral("products"), QStringLiteral("-o"), QStringLiteral("999999"), QStringLiteral("-e")});
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QStringLiteral("offset 999999 is past the end of products (partition 0 at 0, partition 1 "
                                         "at 0): starting at the end")),
             r.err.constData());
    QCOMPARE(err.count(QStringLiteral("past the end")), 1);
    QVERIFY2(!err.contains(QStringLiteral("data lost")) && !err.contains(QStringLiteral("retention")),
             r.err.constData());
}

void TstCli::profileImportNeverPrintsAnXSecret_data()
{
    QTest::addColumn<QString>("property");
    QTest::addColumn<QString>("secret");
    QTest::addRow("a JAAS login module librdkafka has no use for")
        << QStringLiteral("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                          "username=\"alice\" password=\"hunter2-plain\";")
        << QStringLiteral("hunter2-plain");
    QTest::addRow("a short password, unquoted")
        << QStringLiteral("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                          "username=alice password=pw9;")
        << QStringLiteral("pw9");
    QTest::addRow("a secret librdkafka refuses")
        << QStringLiteral("ssl.key.password=") + QString(4000, u'k') << QString(4000, u'k');
    QTest::addRow("an unknown property holding a secret")
        << QStringLiteral("my.client.secret=s3cr3t-value") << QStringLiteral("s3cr3t-value");
}

void TstCli::profileImportNeverPrintsAnXSecret()
{
    QFETCH(QString, property);
    QFETCH(QString, secret);
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PEAKWATCH_CLI),
                  {QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("shop"), QStringLiteral("-b"),
                   QStringLiteral("127.0.0.1:9092"), QStringLiteral("-X"), property, QStringLiteral("--verbose")});
    QVERIFY(process.waitForFinished(30000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    QVERIFY2(!out.contains(secret), qPrintable(out));
    QVERIFY2(!out.isEmpty(), "the import says what it did");
}

void TstCli::gatewayEmbeddedNamesItsTopic()
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PEAKWATCH_TEST_SECRET"), QStringLiteral("not-a-real-secret"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PEAKWATCH_CLI),
                  {QStringLiteral("gateway"), QStringLiteral("--embedded"), QStringLiteral("--listen"),
                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--topic"), QStringLiteral("webhooks"),
                   QStringLiteral("--secret-env"), QStringLiteral("PEAKWATCH_TEST_SECRET")});
    QVERIFY(process.waitForStarted(10000));
    QByteArray err;
    for (int i = 0; i < 300 && !err.contains("Ctrl+C"); ++i) {
        process.waitForReadyRead(100);
        err += process.readAllStandardError();
    }
    process.terminate();
    process.waitForFinished(20000);
    err += process.readAllStandardError();
    QVERIFY2(QRegularExpression(QStringLiteral("producing to webhooks at 127\\.0\\.0\\.1:\\d+"))
                 .match(QString::fromUtf8(err))
                 .hasMatch(),
             err.constData());
    QVERIFY2(!err.contains("producing to ;"), err.constData());
}

void TstCli::simulateReportsABrokerDownAndGivesUp()
{
    CliBroker broker;
    QVERIFY(broker.start({QStringLiteral("products:2")}));
    QProcess simulate;
    simulate.start(QStringLiteral(PEAKWATCH_CLI),
                   {QStringLiteral("simulate"), QStringLiteral("-b"), broker.bootstrap, QStringLiteral("-t"),
                    QStringLiteral("products"), QStringLiteral("--rate"), QStringLiteral("200"),
                    QStringLiteral("--duration"), QStringLiteral("600"), QStringLiteral("--give-up-after"),
                    QStringLiteral("3")});
    QVERIFY(simulate.waitForStarted(10000));
    // Delivering first: wait for a statistics line that counts acknowledgements.
    QByteArray err;
    for (int i = 0;
         i < 200 && !QRegularExpression(QStringLiteral("acked [1-9]")).match(QString::fromUtf8(err)).hasMatch(); ++i) {
        simulate.waitForReadyRead(100);
        err += simulate.readAllStandardError();
    }
    QVERIFY2(err.contains("acked"), err.constData());
    // The broker goes down hard.
    broker.process.kill();
    QVERIFY(broker.process.waitForFinished(10000));
    QElapsedTimer sinceDown;
    sinceDown.start();
    QVERIFY2(simulate.waitForFinished(40000), "simulate does not give up");
    err += simulate.readAllStandardError();
    QVERIFY2(sinceDown.elapsed() < 30000, qPrintable(QString::number(sinceDown.elapsed())));
    QCOMPARE(simulate.exitStatus(), QProcess::NormalExit);
    QCOMPARE(simulate.exitCode(), 1);
    // Said while it happened, then given up on with the bound named.
    QVERIFY2(err.contains("simulate: cannot deliver: broker 127.0.0.1:"), err.constData());
    QByteArray gaveUp;
    for (const QByteArray &line : nonEmptyLines(err))
        if (line.startsWith("peakwatch-cli: "))
            gaveUp = line;
    QVERIFY2(gaveUp.contains("gave up: no webhook delivered for") && gaveUp.contains("--give-up-after 3") &&
                 gaveUp.contains("peakwatch-cli doctor"),
             err.constData());
    QVERIFY2(!err.contains("%3|"), err.constData());
}

QString TstCli::topicsCluster()
{
    if (m_topicsBroker)
        return m_topicsBroker->bootstrap;
    auto broker = std::make_unique<CliBroker>();
    if (!broker->start(
            {QStringLiteral("orders:3"), QStringLiteral("products:1"), QStringLiteral("__peakwatch_internal:1")}))
        return {};
    auto producer = peakwatch::KafkaProducer::create(broker->bootstrap);
    if (!producer)
        return {};
    qint64 sent = 0;
    for (const ProducedPartition &p : kProduced) {
        for (const char *stamp : p.stamps) {
            const QByteArray value = QByteArrayLiteral("message ") + QByteArray::number(sent++);
            if (!(*producer)->produce(p.topic, "key", {value.constData(), size_t(value.size())}, {}, p.partition,
                                      nullptr, msSinceEpoch(stamp)))
                return {};
        }
    }
    if (!(*producer)->flush(10000) || (*producer)->delivered() != sent)
        return {};
    m_topicsBroker = std::move(broker);
    return m_topicsBroker->bootstrap;
}

CliResult TstCli::kcat(const QStringList &arguments)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (program.isEmpty())
        qFatal("kcat is not installed (scripts/install-deps.sh installs it)");
    return runProgram(program, arguments);
}

void TstCli::topicsJsonMatchesKcat()
{
    const QString bootstrap = topicsCluster();
    QVERIFY2(!bootstrap.isEmpty(), "the test cluster did not start");
    const CliResult r = runCli({QStringLiteral("topics"), QStringLiteral("-b"), bootstrap, QStringLiteral("--format"),
                                QStringLiteral("json")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QHash<QString, QJsonObject> ours;
    QStringList order;
    for (const QByteArray &line : r.outLines()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
        order << doc.object().value(QLatin1String("name")).toString();
        ours.insert(order.last(), doc.object());
    }
    // Every topic but the internal one, in name order.
    QCOMPARE(order, (QStringList{QStringLiteral("orders"), QStringLiteral("products")}));

    // kcat's metadata: the same topics with the same partitions.
    const CliResult metadata = kcat({QStringLiteral("-L"), QStringLiteral("-b"), bootstrap, QStringLiteral("-J")});
    QCOMPARE(metadata.exitCode, 0);
    const QJsonArray kcatTopics = json(metadata.out).value(QLatin1String("topics")).toArray();
    QStringList kcatNames;
    for (const QJsonValue &topicValue : kcatTopics) {
        const QJsonObject kcatTopic = topicValue.toObject();
        const QString name = kcatTopic.value(QLatin1String("topic")).toString();
        if (name.startsWith(QLatin1String("__")))
            continue;
        kcatNames << name;
        QVERIFY2(ours.contains(name), qPrintable(name));
        QList<int> kcatPartitions;
        for (const QJsonValue &p : kcatTopic.value(QLatin1String("partitions")).toArray())
            kcatPartitions << p.toObject().value(QLatin1String("partition")).toInt();
        std::sort(kcatPartitions.begin(), kcatPartitions.end());
        const QJsonArray partitions = ours.value(name).value(QLatin1String("partitions")).toArray();
        QList<int> ourPartitions;
        qint64 total = 0;
        for (const QJsonValue &p : partitions)
            ourPartitions << p.toObject().value(QLatin1String("partition")).toInt();
        QCOMPARE(ourPartitions, kcatPartitions);

        // Each partition read whole by kcat: its offsets, count and the timestamps of its first and last messages.
        for (const QJsonValue &value : partitions) {
            const QJsonObject p = value.toObject();
            const int partition = p.value(QLatin1String("partition")).toInt();
            const QString where = name % QStringLiteral(" partition ") % QString::number(partition);
            const CliResult read =
                kcat({QStringLiteral("-C"), QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), name,
                      QStringLiteral("-p"), QString::number(partition), QStringLiteral("-o"),
                      QStringLiteral("beginning"), QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-J")});
            QCOMPARE(read.exitCode, 0);
            QList<QJsonObject> messages;
            for (const QByteArray &line : read.outLines())
                messages << json(line);
            QVERIFY2(!p.contains(QLatin1String("error")), qPrintable(where));
            QCOMPARE(p.value(QLatin1String("messages")).toInteger(-1), qint64(messages.size()));
            total += messages.size();
            const auto timestamp = [&](const char *key) {
                const QJsonValue v = p.value(QLatin1String(key));
                return v.isNull() ? qint64(-1)
                                  : QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
            };
            if (messages.isEmpty()) {
                QCOMPARE(p.value(QLatin1String("first_offset")).toInteger(-1), 0);
                QVERIFY2(p.value(QLatin1String("last_offset")).isNull(), qPrintable(where));
                QVERIFY2(p.value(QLatin1String("first_timestamp")).isNull(), qPrintable(where));
                QVERIFY2(p.value(QLatin1String("last_timestamp")).isNull(), qPrintable(where));
                continue;
            }
            const QJsonObject &first = messages.first();
            const QJsonObject &last = messages.last();
            QCOMPARE(p.value(QLatin1String("first_offset")).toInteger(-1),
                     first.value(QLatin1String("offset")).toInteger());
            QCOMPARE(p.value(QLatin1String("last_offset")).toInteger(-1),
                     last.value(QLatin1String("offset")).toInteger());
            QCOMPARE(timestamp("first_timestamp"), first.value(QLatin1String("ts")).toInteger());
            QCOMPARE(timestamp("last_timestamp"), last.value(QLatin1String("ts")).toInteger());
            // And kcat read what the test produced: the timestamps set, in order.
            for (const ProducedPartition &produced : kProduced) {
                if (QLatin1String(produced.topic) != name || produced.partition != partition)
                    continue;
                QCOMPARE(qsizetype(messages.size()), produced.stamps.size());
                QCOMPARE(first.value(QLatin1String("ts")).toInteger(), msSinceEpoch(produced.stamps.first()));
                QCOMPARE(last.value(QLatin1String("ts")).toInteger(), msSinceEpoch(produced.stamps.last()));
            }
        }
        QCOMPARE(ours.value(name).value(QLatin1String("messages")).toInteger(-1), total);
    }
    kcatNames.sort();
    QCOMPARE(kcatNames, order);
}

void TstCli::topicsTableShowsEachPartitionAndATotal()
{
    const QString bootstrap = topicsCluster();
    QVERIFY2(!bootstrap.isEmpty(), "the test cluster did not start");
    const CliResult r = runCli({QStringLiteral("topics"), QStringLiteral("-b"), bootstrap});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QList<QByteArray> lines = r.out.split('\n');
    const QStringList header{QStringLiteral("partition"), QStringLiteral("first"),     QStringLiteral("offset"),
                             QStringLiteral("last"),      QStringLiteral("offset"),    QStringLiteral("messages"),
                             QStringLiteral("first"),     QStringLiteral("timestamp"), QStringLiteral("last"),
                             QStringLiteral("timestamp")};
    const QList<QStringList> expected{
        {QStringLiteral("orders"), QStringLiteral("(3"), QStringLiteral("partitions)")},
        header,
        {QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("3"), QStringLiteral("4"),
         QStringLiteral("2026-11-27T05:00:00Z"), QStringLiteral("2026-11-27T05:00:30Z")},
        {QStringLiteral("1"), QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
         QStringLiteral("2026-11-27T06:00:00.250Z"), QStringLiteral("2026-11-27T06:01:00.250Z")},
        {QStringLiteral("2"), QStringLiteral("0"), QStringLiteral("-"), QStringLiteral("0"), QStringLiteral("empty")},
        {QStringLiteral("total"), QStringLiteral("6"), QStringLiteral("2026-11-27T05:00:00Z"),
         QStringLiteral("2026-11-27T06:01:00.250Z")},
        {},
        {QStringLiteral("products"), QStringLiteral("(1"), QStringLiteral("partition)")},
        header,
        {QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("2"), QStringLiteral("3"),
         QStringLiteral("2026-11-26T23:59:59Z"), QStringLiteral("2026-11-27T07:30:00Z")},
        {QStringLiteral("total"), QStringLiteral("3"), QStringLiteral("2026-11-26T23:59:59Z"),
         QStringLiteral("2026-11-27T07:30:00Z")},
        {},
    };
    QCOMPARE(lines.size(), expected.size());
    for (qsizetype i = 0; i < lines.size(); ++i)
        QCOMPARE(words(lines[i]), expected[i]);
    // The columns line up under their headings.
    QCOMPARE(lines[2].indexOf("2026-11-27T05:00:30Z"), lines[1].indexOf("last timestamp"));
    const qsizetype messagesEnd = lines[1].indexOf("messages") + qsizetype(std::strlen("messages"));
    QCOMPARE(lines[4].mid(messagesEnd - 3, 4), QByteArray("  0 ")); // numbers aligned right
}

void TstCli::topicsOnlyThoseAskedFor_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("topics");
    const QString t = QStringLiteral("-t");
    QTest::addRow("one topic") << QStringList{t, QStringLiteral("products")} << QStringList{QStringLiteral("products")};
    QTest::addRow("two, in the order asked") << QStringList{t, QStringLiteral("products,orders")}
                                             << QStringList{QStringLiteral("products"), QStringLiteral("orders")};
    QTest::addRow("one asked twice") << QStringList{t, QStringLiteral("orders"), t, QStringLiteral("orders")}
                                     << QStringList{QStringLiteral("orders")};
    QTest::addRow("an internal topic, when named") << QStringList{t, QStringLiteral("__peakwatch_internal")}
                                                   << QStringList{QStringLiteral("__peakwatch_internal")};
}

void TstCli::topicsOnlyThoseAskedFor()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, topics);
    const QString bootstrap = topicsCluster();
    QVERIFY2(!bootstrap.isEmpty(), "the test cluster did not start");
    const CliResult r = runCli(QStringList{QStringLiteral("topics"), QStringLiteral("-b"), bootstrap,
                                           QStringLiteral("--format"), QStringLiteral("json")} +
                               arguments);
    QCOMPARE(r.exitCode, 0);
    QStringList names;
    for (const QByteArray &line : r.outLines())
        names << json(line).value(QLatin1String("name")).toString();
    QCOMPARE(names, topics);
}

void TstCli::topicsMissingTopicNamesItAndTheExistingOnes_data()
{
    QTest::addColumn<QString>("asked");
    QTest::addColumn<QString>("missing");
    QTest::addRow("a topic the cluster lacks") << QStringLiteral("nope") << QStringLiteral("nope");
    QTest::addRow("one of two") << QStringLiteral("orders,nope") << QStringLiteral("nope");
    QTest::addRow("an internal name") << QStringLiteral("__nope") << QStringLiteral("__nope");
}

void TstCli::topicsMissingTopicNamesItAndTheExistingOnes()
{
    QFETCH(QString, asked);
    QFETCH(QString, missing);
    const QString bootstrap = topicsCluster();
    QVERIFY2(!bootstrap.isEmpty(), "the test cluster did not start");
    const CliResult r =
        runCli({QStringLiteral("topics"), QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), asked});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(r.err.count('\n'), 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QStringLiteral("topic ") % missing % QStringLiteral(" does not exist on ") % bootstrap),
             r.err.constData());
    // The topics it has, the internal one left out.
    QVERIFY2(err.contains(QStringLiteral("its topics: orders, products\n")), r.err.constData());
}

void TstCli::topicsUnreachableClusterIsOneLineNamingDoctor_data()
{
    QTest::addColumn<QString>("format");
    QTest::addRow("table") << QStringLiteral("table");
    QTest::addRow("json") << QStringLiteral("json");
}

void TstCli::topicsUnreachableClusterIsOneLineNamingDoctor()
{
    QFETCH(QString, format);
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(unusedPort());
    QElapsedTimer clock;
    clock.start();
    const CliResult r = runCli({QStringLiteral("topics"), QStringLiteral("-b"), bootstrap, QStringLiteral("--format"),
                                format, QStringLiteral("--timeout"), QStringLiteral("2")});
    QVERIFY(r.finished);
    QVERIFY2(clock.elapsed() < 15000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(nonEmptyLines(r.err).size(), 1);
    const QByteArray b = bootstrap.toUtf8();
    const QByteArray reason =
        "cannot reach the Kafka cluster at " + b + " within 2 s: broker " + b + ": connection refused";
    QVERIFY2(r.err.contains(reason), r.err.constData());
    QVERIFY2(r.err.contains(QByteArray("peakwatch-cli doctor -b " + b)), r.err.constData());
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
