// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Integration: the embedded cluster from `peakwatch-cli broker`, realistic payloads produced with kcat,
// and what `peakwatch-cli analyze` reads back, alone and as a consumer group.
#include "cli_runner.h"

#include "kafka_consumer.h"
#include "kafka_producer.h"
#include "msk_iam_auth.h"
#include "sales_simulator.h"
#include "webhook_builder.h"

#include <QJsonArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>

using namespace peakwatch;

namespace {

using ProductId = QPair<QString, qint64>;

struct Produced {
    QByteArray lines;                       // KEY<TAB>VALUE, one a line
    QHash<ProductId, qint64> finalQuantity; // ground truth
    int events = 0;
};

Produced simulate(int events, quint64 seed, int shops = 3, int products = 40)
{
    auto catalog = sim::Catalog::generate({.shops = shops, .productsPerShop = products, .seed = seed});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 3000, .seed = seed});
    Produced out;
    for (int i = 0; i < events; ++i) {
        const auto change = simulator.next();
        out.lines +=
            change.shop->domain + '\t' + sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs) + '\n';
        out.finalQuantity[{QString::fromUtf8(change.shop->domain), change.product->id}] = change.product->quantity();
        ++out.events;
    }
    return out;
}

QHash<ProductId, QJsonObject> snapshotsOf(const CliResult &r)
{
    QHash<ProductId, QJsonObject> out;
    for (const QByteArray &line : r.outLines()) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("snapshot"))
            out.insert({o.value(QStringLiteral("shop")).toString(), o.value(QStringLiteral("product_id")).toInteger()},
                       o);
    }
    return out;
}

} // namespace

class TstKafka final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void kcatSeesTheEmbeddedCluster();
    void producerServedByCallerDeliversOnCallingThread();
    void mskIamClientsMakeTheirTokenFromTheAwsChain();
    void analyzeReadsEveryProductToTheEnd();
    void aKcatCaptureReplaysAsTheTopicReads();
    void headersAreReadInAnyCase();
    void shopifysTopicsReadFromOneKafkaTopicOrThree();
    void analyzePublishesSnapshotsAndAlertsKeyedByProduct();
    void groupMembersReportEachProductOnce_data();
    void groupMembersReportEachProductOnce();
    void liveAnalyzeStopsCleanlyOnSigterm();
    void unknownTopicIsRuntimeError();
    void unreachableClusterIsRuntimeError();
    void offsetsOvertakenByRetentionAreReportedAsLost();
    void readerOvertakenByTheStreamReadsAgain();

private:
    CliResult kcat(const QStringList &arguments, const QByteArray &input = {})
    {
        return runProgram(m_kcat, arguments, input, 120000);
    }
    void produce(const QString &topic, const QByteArray &lines)
    {
        const CliResult r = kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), topic,
                                  QStringLiteral("-K"), QStringLiteral("\t"), QStringLiteral("-H"),
                                  QStringLiteral("X-Shopify-Topic=products/update")},
                                 lines);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    QProcess m_broker;
    QString m_bootstrap;
    QString m_kcat;
    Produced m_products;
};

void TstKafka::initTestCase()
{
    m_kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    QVERIFY2(!m_kcat.isEmpty(), "kcat is not installed (scripts/install-deps.sh installs it)");
    m_broker.start(
        QStringLiteral(PEAKWATCH_CLI),
        {QStringLiteral("broker"),          QStringLiteral("--brokers"),        QStringLiteral("3"),
         QStringLiteral("--topic"),         QStringLiteral("products:4"),       QStringLiteral("--topic"),
         QStringLiteral("snapshots:2"),     QStringLiteral("--topic"),          QStringLiteral("alerts:2"),
         QStringLiteral("--topic"),         QStringLiteral("small:1"),          QStringLiteral("--topic"),
         QStringLiteral("delivered:2"),     QStringLiteral("--topic"),          QStringLiteral("overtaken:1"),
         QStringLiteral("--topic"),         QStringLiteral("relayed:1"),        QStringLiteral("--topic"),
         QStringLiteral("shopify:2"),       QStringLiteral("--topic"),          QStringLiteral("shopify-products:2"),
         QStringLiteral("--topic"),         QStringLiteral("shopify-levels:2"), QStringLiteral("--topic"),
         QStringLiteral("shopify-orders:1")});
    QVERIFY(m_broker.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_broker.canReadLine(), 15000);
    m_bootstrap = QString::fromUtf8(m_broker.readLine().trimmed());
    QVERIFY2(m_bootstrap.startsWith(QLatin1String("127.0.0.1:")), qPrintable(m_bootstrap));
    QCOMPARE(m_bootstrap.count(u','), 2); // three brokers

    m_products = simulate(3000, 7);
    produce(QStringLiteral("products"), m_products.lines);
}

void TstKafka::cleanupTestCase()
{
    m_broker.terminate(); // SIGTERM: the broker shuts down cleanly
    QVERIFY(m_broker.waitForFinished(15000));
    QCOMPARE(m_broker.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_broker.exitCode(), 0);
}

void TstKafka::kcatSeesTheEmbeddedCluster()
{
    const CliResult r = kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-L")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("3 brokers"), r.out.constData());
    QVERIFY2(r.out.contains("topic \"products\" with 4 partitions"), r.out.constData());
}

void TstKafka::producerServedByCallerDeliversOnCallingThread()
{
    auto created = KafkaProducer::create(m_bootstrap, {}, KafkaProducer::DeliveryReports::ByCaller);
    QVERIFY2(created, qPrintable(created.error()));
    std::unique_ptr<KafkaProducer> producer = std::move(*created);
    QVERIFY(producer->prepareTopic(QStringLiteral("delivered")));
    int delivered = 0;
    bool offThread = false;
    const auto caller = std::this_thread::get_id();
    producer->setDeliveryHandler([&](const KafkaProducer::Delivery &d) {
        delivered += d.ok ? 1 : 0;
        offThread |= std::this_thread::get_id() != caller;
    });
    // Values produced without a copy stay ours until their delivery report.
    std::vector<QByteArray> values;
    for (int i = 0; i < 500; ++i)
        values.push_back(QByteArray::number(i).repeated(100));
    const std::array<KafkaHeader, 1> headers{{{"X-Shopify-Topic", "products/update"}}};
    for (const QByteArray &v : values)
        QVERIFY(
            producer->produce("delivered", "key", {v.constData(), size_t(v.size())}, headers, -1, nullptr, 0, false));
    QTRY_VERIFY_WITH_TIMEOUT((producer->poll(0), producer->inFlight() == 0), 10000);
    QCOMPARE(delivered, 500);
    QVERIFY(!offThread);

    const CliResult r = kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                              QStringLiteral("delivered"), QStringLiteral("-e"), QStringLiteral("-q"),
                              QStringLiteral("-f"), QStringLiteral("%S\n")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outLines().size(), 500);
    for (const QByteArray &line : r.outLines())
        QVERIFY(line.toInt() >= 100);
}

void TstKafka::analyzeReadsEveryProductToTheEnd()
{
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("--bootstrap"), m_bootstrap,
                                QStringLiteral("--topic"), QStringLiteral("products"), QStringLiteral("-e")},
                               {}, 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto snapshots = snapshotsOf(r);
    QCOMPARE(snapshots.size(), m_products.finalQuantity.size());
    for (auto it = m_products.finalQuantity.cbegin(); it != m_products.finalQuantity.cend(); ++it) {
        QVERIFY2(snapshots.contains(it.key()), qPrintable(it.key().first));
        QCOMPARE(snapshots[it.key()].value(QStringLiteral("quantity")).toInteger(), it.value());
    }
    QVERIFY2(
        r.err.contains(
            QStringLiteral("accepted %1, duplicates 0, out of order 0, rejected 0").arg(m_products.events).toUtf8()),
        r.err.constData());
}

void TstKafka::aKcatCaptureReplaysAsTheTopicReads()
{
    // The topic captured by kcat -J, headers and all, then replayed from the file: the same products, the same
    // quantities, every event accepted once.
    const CliResult capture =
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), QStringLiteral("products"),
              QStringLiteral("-J"), QStringLiteral("-e"), QStringLiteral("-q")});
    QVERIFY2(capture.exitCode == 0, capture.err.constData());
    QCOMPARE(capture.outLines().size(), m_products.events);
    QVERIFY(capture.out.contains("\"headers\":[\"X-Shopify-Topic\",\"products/update\"]"));
    const CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, capture.out, 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto snapshots = snapshotsOf(r);
    QCOMPARE(snapshots.size(), m_products.finalQuantity.size());
    for (auto it = m_products.finalQuantity.cbegin(); it != m_products.finalQuantity.cend(); ++it)
        QCOMPARE(snapshots.value(it.key()).value(QStringLiteral("quantity")).toInteger(), it.value());
    QVERIFY2(
        r.err.contains(
            QStringLiteral("accepted %1, duplicates 0, out of order 0, rejected 0").arg(m_products.events).toUtf8()),
        r.err.constData());
}

void TstKafka::shopifysTopicsReadFromOneKafkaTopicOrThree()
{
    // Shopify's three topics from shops with three locations, as the simulator sends them to one Kafka topic.
    QTemporaryDir dir;
    const QString truthPath = dir.filePath(QStringLiteral("truth.json"));
    const CliResult simulated = runCli({QStringLiteral("simulate"),
                                        QStringLiteral("-b"),
                                        m_bootstrap,
                                        QStringLiteral("-t"),
                                        QStringLiteral("shopify"),
                                        QStringLiteral("--scenario"),
                                        QStringLiteral("black-friday"),
                                        QStringLiteral("--shops"),
                                        QStringLiteral("2"),
                                        QStringLiteral("--products"),
                                        QStringLiteral("4"),
                                        QStringLiteral("--topics"),
                                        QStringLiteral("products/update,inventory_levels/update,orders/create"),
                                        QStringLiteral("--locations"),
                                        QStringLiteral("3"),
                                        QStringLiteral("--coalesce"),
                                        QStringLiteral("10"),
                                        QStringLiteral("--rate"),
                                        QStringLiteral("max"),
                                        QStringLiteral("--events"),
                                        QStringLiteral("1500"),
                                        QStringLiteral("--truth"),
                                        truthPath,
                                        QStringLiteral("--quiet")},
                                       {}, 120000);
    QVERIFY2(simulated.exitCode == 0, simulated.err.constData());
    QFile truthFile(truthPath);
    QVERIFY(truthFile.open(QIODevice::ReadOnly));
    QHash<ProductId, qint64> finalStock;
    for (const QJsonValue v :
         QJsonDocument::fromJson(truthFile.readAll()).object().value(QStringLiteral("products")).toArray()) {
        const QJsonObject p = v.toObject();
        finalStock.insert(
            {p.value(QStringLiteral("shop")).toString(), p.value(QStringLiteral("product_id")).toInteger()},
            p.value(QStringLiteral("final_stock")).toInteger());
    }
    QCOMPARE(finalStock.size(), 8);

    // The same messages split by X-Shopify-Topic over three Kafka topics, each in its own order.
    const CliResult capture =
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), QStringLiteral("shopify"),
              QStringLiteral("-J"), QStringLiteral("-e"), QStringLiteral("-q")});
    QVERIFY2(capture.exitCode == 0, capture.err.constData());
    QHash<QString, QByteArray> byTopic;
    for (const QByteArray &line : capture.outLines()) {
        const QJsonObject record = QJsonDocument::fromJson(line).object();
        const QJsonArray headers = record.value(QStringLiteral("headers")).toArray();
        QString topic;
        for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
            if (headers.at(i).toString() == QLatin1String("X-Shopify-Topic"))
                topic = headers.at(i + 1).toString();
        byTopic[topic] += record.value(QStringLiteral("key")).toString().toUtf8() + '\t' +
                          record.value(QStringLiteral("payload")).toString().toUtf8() + '\n';
    }
    QCOMPARE(byTopic.size(), 3);
    const std::pair<const char *, const char *> split[] = {{"products/update", "shopify-products"},
                                                           {"inventory_levels/update", "shopify-levels"},
                                                           {"orders/create", "shopify-orders"}};
    for (const auto &[shopifyTopic, kafkaTopic] : split) {
        const CliResult r =
            kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-P"), QStringLiteral("-t"),
                  QLatin1String(kafkaTopic), QStringLiteral("-K"), QStringLiteral("\t"), QStringLiteral("-H"),
                  QStringLiteral("X-Shopify-Topic=") + QLatin1String(shopifyTopic)},
                 byTopic.value(QLatin1String(shopifyTopic)));
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    // A malformed order on the orders topic: named by its topic and partition.
    QVERIFY2(
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-P"), QStringLiteral("-t"),
              QStringLiteral("shopify-orders"), QStringLiteral("-H"), QStringLiteral("X-Shopify-Topic=orders/create")},
             "{\"id\":820982911946154508,\"line_items\":[\n")
                .exitCode == 0,
        "kcat -P");

    const QString three = QStringLiteral("shopify-products,shopify-levels,shopify-orders");
    const QList<QStringList> reads{
        {QStringLiteral("-t"), QStringLiteral("shopify")},
        {QStringLiteral("-t"), three},
        {QStringLiteral("-t"), three, QStringLiteral("--group"), QStringLiteral("three-topics")}};
    for (const QStringList &read : reads) {
        const CliResult r = runCli(QStringList{QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap} + read +
                                       QStringList{QStringLiteral("-e")},
                                   {}, 120000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto snapshots = snapshotsOf(r);
        QCOMPARE(snapshots.size(), finalStock.size());
        for (auto it = finalStock.cbegin(); it != finalStock.cend(); ++it) {
            const QJsonObject s = snapshots.value(it.key());
            QVERIFY2(s.value(QStringLiteral("quantity")).toInteger() == it.value(),
                     qPrintable(read.join(u' ') + QStringLiteral(": ") + QString::number(it.key().second)));
            // Read from one topic, each product's first products/update comes after the shop's first levels, so
            // every item is mapped. Read from three, the products topic may run ahead of the levels topic: a product
            // whose last products/update was read before its shop's first level has its levels held until its next
            // one (the quantity is right either way).
            if (read.value(1) != three)
                QVERIFY(s.contains(QStringLiteral("locations")));
        }
        QVERIFY2(r.err.contains("orders "), r.err.constData());
        if (read.value(1) == three)
            QVERIFY2(r.err.contains("rejected 1") && r.err.contains("at partition shopify-orders:0 offset "),
                     r.err.constData());
    }
}

void TstKafka::headersAreReadInAnyCase()
{
    // A relay that lower-cases header names (as HTTP/2 does): the shop still comes from the header, not the key,
    // and the same event delivered twice under two webhook ids counts once, live as from a capture.
    const QByteArray value =
        "{\"id\":8841726390317,\"title\":\"Fleece Hoodie\",\"updated_at\":\"2026-11-27T05:00:00Z\","
        "\"variants\":[{\"price\":\"24.00\",\"inventory_quantity\":5}]}";
    for (const char *webhookId : {"wh-1", "wh-2"}) {
        const CliResult r =
            kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-P"), QStringLiteral("-t"),
                  QStringLiteral("relayed"), QStringLiteral("-k"), QStringLiteral("not-a-shop"), QStringLiteral("-H"),
                  QStringLiteral("x-shopify-shop-domain=peak-apparel.myshopify.com"), QStringLiteral("-H"),
                  QStringLiteral("x-shopify-event-id=evt-8841726390317"), QStringLiteral("-H"),
                  QStringLiteral("x-shopify-webhook-id=") + QLatin1String(webhookId)},
                 value + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    const CliResult live = runCli({QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"),
                                   QStringLiteral("relayed"), QStringLiteral("-e")},
                                  {}, 120000);
    const CliResult capture =
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), QStringLiteral("relayed"),
              QStringLiteral("-J"), QStringLiteral("-e"), QStringLiteral("-q")});
    const CliResult replayed =
        runCli({QStringLiteral("analyze"), QStringLiteral("--input"), QStringLiteral("-")}, capture.out, 120000);
    for (const CliResult &r : {live, replayed}) {
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto snapshots = snapshotsOf(r);
        QCOMPARE(snapshots.size(), 1);
        QVERIFY(snapshots.contains({QStringLiteral("peak-apparel.myshopify.com"), 8841726390317}));
        QVERIFY2(r.err.contains("accepted 1, duplicates 1"), r.err.constData());
    }
}

void TstKafka::analyzePublishesSnapshotsAndAlertsKeyedByProduct()
{
    QTemporaryDir outboxDir; // a fresh outbox: alerts delivered by an earlier run are not sent again
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"),
                                QStringLiteral("products"), QStringLiteral("-e"), QStringLiteral("--output-topic"),
                                QStringLiteral("snapshots"), QStringLiteral("--alerts-topic"), QStringLiteral("alerts"),
                                QStringLiteral("--outbox"), outboxDir.filePath(QStringLiteral("outbox.sqlite"))},
                               {}, 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    int alertsPrinted = 0;
    for (const QByteArray &line : r.outLines())
        alertsPrinted += line.startsWith("{\"type\":\"alert\"");
    QVERIFY(alertsPrinted > 0);

    const CliResult alerts =
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), QStringLiteral("alerts"),
              QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-K"), QStringLiteral("\t")});
    QCOMPARE(alerts.exitCode, 0);
    QCOMPARE(alerts.outLines().size(), alertsPrinted);

    const CliResult published = kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"),
                                      QStringLiteral("snapshots"), QStringLiteral("-e"), QStringLiteral("-q"),
                                      QStringLiteral("-K"), QStringLiteral("\t")});
    QCOMPARE(published.exitCode, 0);
    QHash<QByteArray, QJsonObject> latest;
    for (const QByteArray &line : published.outLines()) {
        const qsizetype tab = line.indexOf('\t');
        QVERIFY(tab > 0);
        const QJsonObject o = QJsonDocument::fromJson(line.mid(tab + 1)).object();
        QCOMPARE(line.left(tab), o.value(QStringLiteral("shop")).toString().toUtf8() + '/' +
                                     QByteArray::number(o.value(QStringLiteral("product_id")).toInteger()));
        latest.insert(line.left(tab), o);
    }
    QCOMPARE(latest.size(), m_products.finalQuantity.size());
    for (auto it = m_products.finalQuantity.cbegin(); it != m_products.finalQuantity.cend(); ++it) {
        const QByteArray key = it.key().first.toUtf8() + '/' + QByteArray::number(it.key().second);
        QCOMPARE(latest.value(key).value(QStringLiteral("quantity")).toInteger(), it.value());
    }
}

void TstKafka::groupMembersReportEachProductOnce_data()
{
    QTest::addColumn<int>("members");
    QTest::addRow("two members, four partitions") << 2;
    QTest::addRow("five members, four partitions: one has none") << 5;
}

void TstKafka::groupMembersReportEachProductOnce()
{
    QFETCH(int, members);
    const QStringList args{QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"),
                           QStringLiteral("products"), QStringLiteral("--group"),
                           QStringLiteral("peakwatch-test-%1").arg(members), QStringLiteral("-e"),
                           // The embedded cluster waits a whole session timeout for a member that left
                           // before it completes a rebalance (a real broker acts on the LeaveGroup).
                           QStringLiteral("-X"), QStringLiteral("session.timeout.ms=6000"), QStringLiteral("-X"),
                           QStringLiteral("heartbeat.interval.ms=500")};
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < members; ++i) {
        processes.push_back(std::make_unique<QProcess>());
        processes.back()->start(QStringLiteral(PEAKWATCH_CLI), args);
    }
    QHash<ProductId, QJsonObject> reported;
    for (const auto &process : processes) {
        QVERIFY(process->waitForFinished(120000));
        QCOMPARE(process->exitCode(), 0);
        CliResult r;
        r.out = process->readAllStandardOutput();
        const auto snapshots = snapshotsOf(r);
        for (auto it = snapshots.cbegin(); it != snapshots.cend(); ++it) {
            QVERIFY2(!reported.contains(it.key()),
                     qPrintable(QStringLiteral("reported twice: %1/%2").arg(it.key().first).arg(it.key().second)));
            reported.insert(it.key(), it.value());
        }
    }
    QCOMPARE(reported.size(), m_products.finalQuantity.size());
    for (auto it = m_products.finalQuantity.cbegin(); it != m_products.finalQuantity.cend(); ++it)
        QCOMPARE(reported[it.key()].value(QStringLiteral("quantity")).toInteger(), it.value());
}

void TstKafka::liveAnalyzeStopsCleanlyOnSigterm()
{
    // Without -e, analyze runs until SIGINT or SIGTERM, then reports what it has, as on a live stream.
    QProcess analyze;
    analyze.start(QStringLiteral(PEAKWATCH_CLI), {QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap,
                                                  QStringLiteral("-t"), QStringLiteral("products")});
    QVERIFY(analyze.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += analyze.readAllStandardOutput()).contains("\"type\":\"alert\""), 30000);
    QTest::qWait(1500); // let it reach the end of the topic
    analyze.terminate();
    QVERIFY(analyze.waitForFinished(30000));
    QCOMPARE(analyze.exitStatus(), QProcess::NormalExit);
    QCOMPARE(analyze.exitCode(), 0);
    CliResult r;
    r.out = out + analyze.readAllStandardOutput();
    QCOMPARE(snapshotsOf(r).size(), m_products.finalQuantity.size());
    QVERIFY(analyze.readAllStandardError().contains(QByteArray("accepted " + QByteArray::number(m_products.events))));
}

void TstKafka::unknownTopicIsRuntimeError()
{
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"),
                                QStringLiteral("no-such-topic"), QStringLiteral("-e")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("topic no-such-topic does not exist") && r.err.contains("products"), r.err.constData());
}

void TstKafka::unreachableClusterIsRuntimeError()
{
    QTcpServer probe; // find a free port, then close it so nothing listens there
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString address = QStringLiteral("127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    const CliResult r = runCli({QStringLiteral("analyze"), QStringLiteral("-b"), address, QStringLiteral("-t"),
                                QStringLiteral("products"), QStringLiteral("-e")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QByteArray("cannot reach the Kafka cluster at " + address.toUtf8())), r.err.constData());
}

void TstKafka::offsetsOvertakenByRetentionAreReportedAsLost()
{
    // The embedded cluster keeps only the newest ~4.3 MB of a partition: 2,500 payloads of ~3 KB overrun it.
    const Produced many = simulate(2500, 11);
    produce(QStringLiteral("small"), many.lines);
    const CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"),
                QStringLiteral("small"), QStringLiteral("-o"), QStringLiteral("0"), QStringLiteral("-e")},
               {}, 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("data lost: partition 0: offset 0 is no longer on the broker"), r.err.constData());
    // The count is the truth: the messages before the broker's earliest offset, as kcat finds it, and every
    // message after it was read.
    const CliResult earliest =
        kcat({QStringLiteral("-b"), m_bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), QStringLiteral("small"),
              QStringLiteral("-o"), QStringLiteral("beginning"), QStringLiteral("-c"), QStringLiteral("1"),
              QStringLiteral("-f"), QStringLiteral("%o\\n")});
    QVERIFY2(earliest.exitCode == 0, earliest.err.constData());
    bool ok = false;
    const qint64 firstKept = earliest.out.trimmed().toLongLong(&ok);
    QVERIFY2(ok && firstKept > 0 && firstKept < 2500, earliest.out.constData());
    const QRegularExpression lost(QStringLiteral("; (\\d+) messages lost, resuming at offset (\\d+)"));
    const QRegularExpressionMatch m = lost.match(QString::fromUtf8(r.err));
    QVERIFY2(m.hasMatch(), r.err.constData());
    QCOMPARE(m.captured(1).toLongLong(), firstKept);
    QCOMPARE(m.captured(2).toLongLong(), firstKept);
    const QRegularExpression counts(
        QStringLiteral("accepted (\\d+), duplicates (\\d+), out of order (\\d+), rejected (\\d+)"));
    const QRegularExpressionMatch c = counts.match(QString::fromUtf8(r.err));
    QVERIFY2(c.hasMatch(), r.err.constData());
    const qint64 read = c.captured(1).toLongLong() + c.captured(2).toLongLong() + c.captured(3).toLongLong() +
                        c.captured(4).toLongLong();
    QCOMPARE(read + firstKept, qint64(2500));
}

void TstKafka::readerOvertakenByTheStreamReadsAgain()
{
    // A stream of ~10 MB/s into a partition of which the embedded cluster keeps ~4.3 MB: a reader that stalls
    // once for 1.5 s finds its offset gone, and the earliest one gone again by the time it fetches. It must
    // report the loss and read again, not chase the retention edge for ever.
    auto created = KafkaProducer::create(m_bootstrap, {{"linger.ms", "5"}});
    QVERIFY2(created, qPrintable(created.error()));
    std::unique_ptr<KafkaProducer> producer = std::move(*created);
    QVERIFY(producer->prepareTopic(QStringLiteral("overtaken")));
    std::atomic<bool> producing{true};
    std::jthread writer([&] {
        const QByteArray value(3000, 'x');
        while (producing) {
            for (int i = 0; i < 30; ++i)
                (void)producer->produce("overtaken", "key", {value.constData(), size_t(value.size())});
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    const auto stopWriting = qScopeGuard([&] {
        producing = false;
        writer.join();
    });

    struct Reader final : ConsumerHandler {
        std::atomic<qint64> read{0};
        std::atomic<int> losses{0};
        std::atomic<qint64> readAtFirstLoss{-1};
        bool stalled = false;
        QStringList reports; // on the consumer's thread until it has stopped
        void onMessages(const std::vector<RawMessage> &batch) override
        {
            if (!std::exchange(stalled, true))
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            read += qint64(batch.size());
        }
        void onDataLost(const QString &description) override
        {
            if (losses++ == 0)
                readAtFirstLoss = read.load();
            reports << description;
        }
    } reader;
    // librdkafka fetches ahead while the handler stalls: with at most 1 MB fetched ahead, the stall holds the
    // reader back as a slow reader is held back.
    KafkaConsumer consumer({.bootstrapServers = m_bootstrap,
                            .topic = QStringLiteral("overtaken"),
                            .properties = {{"queued.max.messages.kbytes", "1024"}}},
                           reader);
    QVERIFY(consumer.start());
    QTRY_VERIFY_WITH_TIMEOUT(reader.losses > 0, 15000);
    // After the loss it reads on: ten seconds of the stream's worth within 15 s.
    QTRY_VERIFY_WITH_TIMEOUT(reader.read - reader.readAtFirstLoss > 10000, 15000);
    consumer.requestStop();
    consumer.wait();
    QVERIFY2(consumer.fatalError().isEmpty(), qPrintable(consumer.fatalError()));
    QVERIFY2(
        reader.reports.first().contains(QLatin1String("is no longer on the broker (retention overtook the reader)")),
        qPrintable(reader.reports.first()));
    QVERIFY2(reader.losses < 20, qPrintable(reader.reports.join(u'\n')));
}

void TstKafka::mskIamClientsMakeTheirTokenFromTheAwsChain()
{
    // A client configured for MSK's IAM listener makes its SASL/OAUTHBEARER token itself, on librdkafka's
    // background thread, from the AWS credentials chain: here the environment, in a private home.
    QTemporaryDir home;
    const QByteArray savedHome = qgetenv("HOME");
    qputenv("HOME", home.path().toUtf8());
    qputenv("AWS_ACCESS_KEY_ID", "AKIDPEAKWATCHTEST");
    qputenv("AWS_SECRET_ACCESS_KEY", "peakwatch-test-secret-key-0123456789");
    const KafkaProperties iam{{"security.protocol", "SASL_PLAINTEXT"},
                              {"sasl.mechanisms", "OAUTHBEARER"},
                              {"sasl.oauthbearer.config", mskIamOauthbearerConfig(QStringLiteral("us-east-1"))}};
    QVERIFY(wantsMskIam(iam));
    {
        auto producer = KafkaProducer::create(m_bootstrap, iam);
        QVERIFY2(producer, qPrintable(producer.error()));
        QTRY_VERIFY2_WITH_TIMEOUT(lastMskIamRefresh().startsWith(QLatin1String("token for AKIDPEAKWATCHTEST")),
                                  qPrintable(lastMskIamRefresh()), 10000);
        QVERIFY(lastMskIamRefresh().contains(QLatin1String("UTC")));
    }
    // Without credentials: the refresh fails, saying what is missing, and the secret never shows.
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
    {
        auto producer = KafkaProducer::create(m_bootstrap, iam);
        QVERIFY2(producer, qPrintable(producer.error()));
        QTRY_VERIFY2_WITH_TIMEOUT(lastMskIamRefresh().startsWith(QLatin1String("MSK IAM: ")),
                                  qPrintable(lastMskIamRefresh()), 10000);
        QVERIFY2(lastMskIamRefresh().contains(QLatin1String("credentials")), qPrintable(lastMskIamRefresh()));
        QVERIFY(!lastMskIamRefresh().contains(QLatin1String("peakwatch-test-secret-key")));
    }
    // Keys of the connection's own (the desktop reads them from the keychain) sign without any in the chain;
    // the configuration names them by a reference that shows nothing of them.
    {
        AwsCredentials keys;
        keys.accessKeyId = QStringLiteral("AKIDFROMKEYCHAIN01");
        keys.secretAccessKey = QStringLiteral("keychain-secret-key-0123456789");
        KafkaProperties withKeys = iam;
        const QByteArray reference = registerMskIamKeys(keys);
        QVERIFY(!reference.contains("AKID") && !reference.contains("keychain-secret"));
        useMskIamKeys(withKeys, reference);
        QCOMPARE(withKeys.last().second,
                 mskIamOauthbearerConfig(QStringLiteral("us-east-1")) + " aws_keys=" + reference);
        auto producer = KafkaProducer::create(m_bootstrap, withKeys);
        QVERIFY2(producer, qPrintable(producer.error()));
        QTRY_VERIFY2_WITH_TIMEOUT(lastMskIamRefresh().startsWith(QLatin1String("token for AKIDFROMKEYCHAIN01")),
                                  qPrintable(lastMskIamRefresh()), 10000);
    }
    {
        KafkaProperties unknown = iam;
        useMskIamKeys(unknown, "kunknown");
        auto producer = KafkaProducer::create(m_bootstrap, unknown);
        QVERIFY2(producer, qPrintable(producer.error()));
        QTRY_VERIFY2_WITH_TIMEOUT(lastMskIamRefresh().contains(QLatin1String("AWS keys of this connection are not "
                                                                             "loaded")),
                                  qPrintable(lastMskIamRefresh()), 10000);
    }
    qputenv("HOME", savedHome);
}

QTEST_GUILESS_MAIN(TstKafka)
#include "tst_kafka.moc"
