// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Alert delivery (issue "Alerts that reach people"): the SQLite outbox, the dispatcher, and the sinks
// against real peers on loopback — the embedded Kafka cluster, a local HTTP server that answers as Slack
// does — a peakwatch-cli killed in the middle of a delivery, and `analyze -e` waiting for what is still to
// be delivered when its stream ends. Which alerts are new (the stream in their ids: a new run's are), and one
// product's episode as one thread (the outbox's episodes and its upgrade of an earlier file, Slack follow-ups,
// a Slack bot's threads).
#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "cli_runner.h"
#include "embedded_cluster.h"
#include "kafka_alert_sink.h"
#include "live_analysis.h"
#include "slack_bot_sink.h"
#include "slack_sink.h"
#include "slack_test_server.h"

#include "catalog.h"
#include "kafka_producer.h"
#include "sales_simulator.h"
#include "webhook_builder.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace peakwatch;

namespace {

constexpr qint64 kEventMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z

Alert alert(int n, AlertRule rule = AlertRule::SellingOut, const QByteArray &shop = "peak-apparel.myshopify.com")
{
    Alert a;
    a.id = "alert-" + QByteArray::number(n).rightJustified(4, '0');
    a.rule = rule;
    a.shop = shop;
    a.productId = 8841726390317 + n;
    a.title = "Fleece Hoodie " + QByteArray::number(n);
    a.quantity = 12;
    a.ratePerHour = 30.0;
    a.selloutAtMs = kEventMs + n * 1000 + 24 * 60 * 1000;
    a.atMs = kEventMs + n * 1000;
    a.message = QStringLiteral("sells out in 24 min");
    return a;
}

std::vector<Alert> alerts(int from, int count)
{
    std::vector<Alert> out;
    for (int n = from; n < from + count; ++n)
        out.push_back(alert(n));
    return out;
}

std::vector<QByteArray> idsOf(const std::vector<Alert> &list)
{
    std::vector<QByteArray> ids;
    for (const Alert &a : list)
        ids.push_back(a.id);
    return ids;
}

using test::SlackAnswer;
using test::SlackTestServer;

// The product titles in the messages a Slack test server answered with 200 ok, in order (each message's
// once: the tests give every alert a title of its own).
QStringList answeredTitles(const SlackTestServer &slack)
{
    QStringList titles;
    for (const test::SlackRequest &r : slack.requests()) {
        if (!r.answered || r.status != 200)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        const QString text = QString::fromUtf8(QJsonDocument(o.value(QStringLiteral("blocks")).toArray()).toJson());
        static const QRegularExpression title(QStringLiteral("Fleece Hoodie \\d+"));
        QStringList inThisMessage; // a message with one alert names it in its header too
        for (auto it = title.globalMatch(text); it.hasNext();)
            inThisMessage << it.next().captured();
        inThisMessage.removeDuplicates();
        titles << inThisMessage;
    }
    return titles;
}

// How many alerts a Slack message carries: one, or what its header counts ("7 products need attention",
// "1 product needs attention (2 alerts)").
int alertsIn(const test::SlackRequest &request)
{
    const QJsonArray blocks = request.json().value(QStringLiteral("blocks")).toArray();
    const QString header =
        blocks.first().toObject().value(QStringLiteral("text")).toObject().value(QStringLiteral("text")).toString();
    static const QRegularExpression group(QStringLiteral("(\\d+) products? needs? attention(?: \\((\\d+) alerts\\))?"));
    const QRegularExpressionMatch m = group.match(header);
    if (!m.hasMatch())
        return 1;
    return m.captured(2).isEmpty() ? m.captured(1).toInt() : m.captured(2).toInt();
}

// peakwatch-cli with an environment variable set (the Slack webhook: never on a command line).
QProcess *startCli(const QStringList &arguments, const QString &variable, const QString &value)
{
    auto *process = new QProcess;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(variable, value);
    process->setProcessEnvironment(environment);
    startInheritingNothing(*process, QStringLiteral(PEAKWATCH_CLI), arguments);
    return process;
}

// A run of peakwatch-cli with the Slack webhook `url` in PW_TEST_SLACK, while this thread's event loop keeps
// serving the Slack test servers; and how long it took.
struct TimedRun : CliResult {
    qint64 elapsedMs = 0;
};

TimedRun runWithSlack(const QStringList &arguments, const QString &url, int timeoutMs = 60000)
{
    TimedRun run;
    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QProcess> process(startCli(arguments, QStringLiteral("PW_TEST_SLACK"), url));
    if (!process->waitForStarted(10000))
        return run;
    process->closeWriteChannel();
    const QDeadlineTimer deadline(timeoutMs);
    while (process->state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10);
    run.elapsedMs = clock.elapsed();
    run.finished = process->state() == QProcess::NotRunning;
    if (!run.finished) {
        process->kill();
        process->waitForFinished(5000);
    }
    run.exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
    run.out = process->readAllStandardOutput();
    run.err = process->readAllStandardError();
    return run;
}

// One products/update per product, `count` products on a topic of their own, each low on stock: one low_stock
// alert each, for "Fleece Hoodie 1" to "Fleece Hoodie <count>". Returns the titles.
QStringList produceLowStock(const QString &bootstrapServers, const QString &topic, int count)
{
    QStringList titles;
    auto producer = KafkaProducer::create(bootstrapServers);
    if (!producer)
        return titles;
    const QByteArray shop = "peak-apparel.myshopify.com";
    const QByteArray name = topic.toUtf8();
    for (int n = 1; n <= count; ++n) {
        const QByteArray title = "Fleece Hoodie " + QByteArray::number(n);
        const QByteArray value = "{\"id\":" + QByteArray::number(8841726390317 + n) + ",\"title\":\"" + title +
                                 "\",\"updated_at\":\"2026-11-27T05:00:00Z\",\"variants\":[{\"price\":\"24.00\","
                                 "\"inventory_quantity\":5}]}";
        if (!(*producer)->produce(std::string_view(name.constData(), size_t(name.size())),
                                  std::string_view(shop.constData(), size_t(shop.size())),
                                  std::string_view(value.constData(), size_t(value.size()))))
            return {};
        titles << QString::fromUtf8(title);
    }
    return (*producer)->flush(10000) ? titles : QStringList();
}

// A port on 127.0.0.1 where nothing listens.
quint16 refusedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QString webhookAt(const QString &origin)
{
    return origin + QString::fromLatin1(SlackTestServer::webhookPath());
}

// Where the first run of analyzeWaitsForWhatFallsDueWithinTheDrainTime posts.
enum class Webhook { TestServer, RefusedPort, UnknownHost };

// A simulated world, the same on every call: 2,000 products/update payloads over 20 products of two shops
// (key: the shop's domain).
QList<std::pair<QByteArray, QByteArray>> simulatedWorld()
{
    auto catalog = sim::Catalog::generate({.shops = 2, .productsPerShop = 10, .seed = 23});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 3000, .seed = 23});
    QList<std::pair<QByteArray, QByteArray>> messages;
    for (int i = 0; i < 2000; ++i) {
        const auto change = simulator.next();
        messages.append({change.shop->domain, sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs)});
    }
    return messages;
}

bool produceWorld(const QString &bootstrapServers, const QString &topic)
{
    auto producer = KafkaProducer::create(bootstrapServers);
    if (!producer)
        return false;
    const QByteArray name = topic.toUtf8();
    for (const auto &[key, value] : simulatedWorld())
        if (!(*producer)->produce(std::string_view(name.constData(), size_t(name.size())),
                                  std::string_view(key.constData(), size_t(key.size())),
                                  std::string_view(value.constData(), size_t(value.size()))))
            return false;
    return (*producer)->flush(10000);
}

// The alerts in peakwatch-cli analyze's output, as the outbox records them.
std::vector<Alert> alertsPrinted(const CliResult &run)
{
    std::vector<Alert> out;
    for (const QByteArray &line : run.outLines()) {
        if (!line.startsWith("{\"type\":\"alert\""))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        Alert a;
        a.id = o.value(QStringLiteral("id")).toString().toUtf8();
        a.rule = alertRuleFromName(o.value(QStringLiteral("rule")).toString()).value_or(AlertRule::LowStock);
        a.shop = o.value(QStringLiteral("shop")).toString().toUtf8();
        a.productId = o.value(QStringLiteral("product_id")).toInteger();
        a.title = o.value(QStringLiteral("title")).toString().toUtf8();
        a.quantity = o.value(QStringLiteral("quantity")).toInteger();
        a.atMs = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODate).toMSecsSinceEpoch();
        a.episode = o.value(QStringLiteral("episode")).toString().toUtf8();
        a.message = o.value(QStringLiteral("message")).toString();
        out.push_back(std::move(a));
    }
    return out;
}

// One product's episode: selling out at 05:14, low on stock at 05:20, sold out at 05:31 (event time), the first
// with the 80 % interval of its predicted sell-out.
std::vector<Alert> episodeOfThree(const QByteArray &episode = "9f2c4e1a7b3d5f60")
{
    const AlertRule rules[] = {AlertRule::SellingOut, AlertRule::LowStock, AlertRule::SoldOut};
    const qint64 minutes[] = {14, 20, 31};
    std::vector<Alert> out;
    for (int i = 0; i < 3; ++i) {
        Alert a = alert(100 + i, rules[i]);
        a.productId = 8841726390317;
        a.title = "Fleece Hoodie";
        a.atMs = kEventMs + minutes[i] * 60 * 1000;
        a.episode = episode;
        out.push_back(a);
    }
    out[0].selloutEarliestMs = kEventMs + 32 * 60 * 1000;
    out[0].selloutLatestMs = kEventMs + 65 * 60 * 1000;
    out[2].quantity = 0;
    out[2].message = QStringLiteral("Fleece Hoodie sold out");
    return out;
}

// The schema of the outbox before episodes were kept, as Peakwatch wrote it.
const char *const kFirstSchema[] = {
    "CREATE TABLE alerts(id TEXT PRIMARY KEY, rule TEXT NOT NULL, shop TEXT NOT NULL, product_id INTEGER NOT NULL,"
    " title TEXT NOT NULL, quantity INTEGER NOT NULL, rate_per_hour REAL, sellout_at INTEGER,"
    " at INTEGER NOT NULL, message TEXT NOT NULL, fired_at INTEGER NOT NULL, acknowledged_at INTEGER)",
    "CREATE INDEX alerts_by_time ON alerts(fired_at, at)",
    "CREATE TABLE deliveries(alert_id TEXT NOT NULL REFERENCES alerts(id), sink TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, error TEXT,"
    " done_at INTEGER, PRIMARY KEY(alert_id, sink))",
    "CREATE INDEX deliveries_by_due ON deliveries(sink, state, due_at)",
    "CREATE TABLE snoozes(shop TEXT NOT NULL, product_id INTEGER NOT NULL, until_at INTEGER NOT NULL,"
    " PRIMARY KEY(shop, product_id))",
    "INSERT INTO alerts VALUES('alert-0001', 'low_stock', 'peak-apparel.myshopify.com', 8841726390318,"
    " 'Fleece Hoodie 1', 7, 12.5, NULL, 1795755601000, 'Fleece Hoodie 1 is low on stock', 1795755700000, NULL)",
    "INSERT INTO alerts VALUES('alert-0002', 'sold_out', 'peak-apparel.myshopify.com', 8841726390319,"
    " 'Fleece Hoodie 2', 0, NULL, NULL, 1795755602000, 'Fleece Hoodie 2 sold out', 1795755800000, 1795755900000)",
    "INSERT INTO deliveries(alert_id, sink, due_at) VALUES('alert-0002', 'slack', 1795755800000)",
};

// How the second reading of tst_alerts::alertsOfAnotherStreamAreNew reads the world.
enum class SecondReading {
    SameTopicAgain,     // a consumer restarting, or a redelivery: the same stream
    GroupMember,        // a member of a consumer group, from the group's start
    OtherTopic,         // the same messages on another topic of the same cluster
    NewCluster,         // a second demo: a new embedded cluster, in the same process, fed the same world
    NewClusterByWindow, // the same, read by the window's live analysis
    SameFileAgain,      // the world as an NDJSON file, replayed twice
    CopyOfTheFile,      // a copy of that file elsewhere
};

} // namespace

Q_DECLARE_METATYPE(peakwatch::test::SlackAnswer)
Q_DECLARE_METATYPE(Webhook)
Q_DECLARE_METATYPE(SecondReading)

class TstAlerts final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outboxKeepsEachDeliveryOnceAcrossReopening();
    void outboxRetriesAndFailures();
    void outboxKeepsAnAlertWithNoTitleOrMessage();
    void outboxHistoryAcknowledgeAndSnooze();
    void outboxPrunesOldAndExcessAlertsButNeverPendingOnes();
    void outboxKeepsEpisodesAndOpensAnEarlierFile_data();
    void outboxKeepsEpisodesAndOpensAnEarlierFile();
    void slackFollowUpsOfAnEpisodeSayWhereTheyStand();
    void slackBotThreadsAnEpisodeAcrossARestart();
    void analyzeThreadsAnEpisodeWithASlackBot();
    void kafkaTopicGetsEachAlertOnceAcrossRestart();
    void alertsOfAnotherStreamAreNew_data();
    void alertsOfAnotherStreamAreNew();
    void slackBurstIsGroupedAtOneMessageASecond();
    void slackRetriesWithBackoffAndRetryAfter();
    void slackBackoffDoublesFromOneSecondToFiveMinutes();
    void slackPermanentErrorStopsRetriesAndPauses();
    void quietHoursHoldPeopleNotTheTopic();
    void snoozedProductReachesNoPerson();
    void killedInTheMiddleOfADeliveryLosesNothingAndRepeatsNothing();
    void settledLooksAheadToWhatFallsDue();
    void analyzeWaitsForWhatFallsDueWithinTheDrainTime_data();
    void analyzeWaitsForWhatFallsDueWithinTheDrainTime();
    void analyzeStopsWaitingOnASignal();
    void analyzeExitsOneWhenADestinationRefusesAlerts();
    void analyzeLeavesWhatQuietHoursHoldWithoutFailing();

private:
    // A topic of its own with `count` products that fire one alert each; returns their titles.
    QStringList lowStockTopic(const QString &topic, int count);

    QTemporaryDir m_dir;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    QString m_kcat;
};

void TstAlerts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    QVERIFY2(!m_kcat.isEmpty(), "kcat is not installed (scripts/install-deps.sh installs it)");
    auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("alerts"), 2}, {QStringLiteral("products"), 2}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    m_cluster = std::move(*cluster);
}

void TstAlerts::outboxKeepsEachDeliveryOnceAcrossReopening()
{
    const QString path = m_dir.filePath(QStringLiteral("once.sqlite"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::vector<Alert> three = alerts(1, 3);
    const std::vector<QStringList> toBoth(3, {QStringLiteral("slack"), QStringLiteral("desktop")});
    {
        auto outbox = AlertOutbox::open(path);
        QVERIFY2(outbox, qPrintable(outbox.error()));
        auto added = (*outbox)->add(three, toBoth, now);
        QVERIFY2(added, qPrintable(added.error()));
        QCOMPARE(added->size(), size_t(3));
        QCOMPARE((*outbox)->add(three, toBoth, now)->size(), size_t(0)); // fired again: not new
        auto due = (*outbox)->due(QStringLiteral("slack"), now, 10);
        QCOMPARE(due->size(), size_t(3));
        // Read back whole: ids above 2^53 exact, optional figures kept.
        QCOMPARE(due->front().productId, three.front().productId);
        QCOMPARE(due->front().selloutAtMs, three.front().selloutAtMs);
        QCOMPARE(due->front().ratePerHour, three.front().ratePerHour);
        QCOMPARE(due->front().title, three.front().title);
        QVERIFY((*outbox)->markDelivered(QStringLiteral("slack"), {three[0].id, three[1].id}, now));
        QCOMPARE((*outbox)->due(QStringLiteral("slack"), now, 10)->size(), size_t(1));
    }
    // After a restart (or a crash: every call commits), the same state; the alerts firing again when the
    // stream is read again change nothing.
    auto outbox = AlertOutbox::open(path);
    QVERIFY2(outbox, qPrintable(outbox.error()));
    QCOMPARE((*outbox)->add(three, toBoth, now)->size(), size_t(0));
    const auto slack = (*outbox)->due(QStringLiteral("slack"), now, 10);
    QCOMPARE(slack->size(), size_t(1));
    QCOMPARE(slack->front().id, three[2].id);
    QCOMPARE((*outbox)->due(QStringLiteral("desktop"), now, 10)->size(), size_t(3));
    const AlertOutbox::SinkCounts counts = (*outbox)->counts(QStringLiteral("slack"));
    QCOMPARE(counts.delivered, 2);
    QCOMPARE(counts.pending, 1);
    // A sink added later gets the known alerts too, once.
    QVERIFY((*outbox)->add(three, std::vector<QStringList>(3, {QStringLiteral("kafka:alerts")}), now));
    QCOMPARE((*outbox)->due(QStringLiteral("kafka:alerts"), now, 10)->size(), size_t(3));
}

void TstAlerts::outboxRetriesAndFailures()
{
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("retry.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::vector<Alert> two = alerts(1, 2);
    QVERIFY((*outbox)->add(two, std::vector<QStringList>(2, {QStringLiteral("slack")}), now));
    const QString slack = QStringLiteral("slack");
    QVERIFY((*outbox)->markRetry(slack, idsOf(two), now + 2000, QStringLiteral("Slack: 500")));
    QCOMPARE((*outbox)->due(slack, now, 10)->size(), size_t(0));
    QCOMPARE((*outbox)->nextDueAt(slack), std::optional<qint64>(now + 2000));
    QCOMPARE((*outbox)->due(slack, now + 2000, 10)->size(), size_t(2));
    QCOMPARE((*outbox)->attempts(slack, idsOf(two)), 1);
    QCOMPARE((*outbox)->counts(slack).lastError, QStringLiteral("Slack: 500"));
    QVERIFY((*outbox)->markFailed(slack, {two[0].id}, QStringLiteral("Slack: channel_is_archived"), now));
    // A failed delivery is never handed out again, and a late report cannot turn it into delivered.
    QVERIFY((*outbox)->markDelivered(slack, {two[0].id}, now));
    QCOMPARE((*outbox)->counts(slack).failed, 1);
    QCOMPARE((*outbox)->counts(slack).delivered, 0);
    const auto due = (*outbox)->due(slack, now + 5000, 10);
    QCOMPARE(due->size(), size_t(1));
    QCOMPARE(due->front().id, two[1].id);
}

void TstAlerts::outboxKeepsAnAlertWithNoTitleOrMessage()
{
    // A product without a title (a Spark row may have none) and an alert without a message are recorded and
    // handed out like any other; the batch they came in with is not refused.
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("untitled.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<Alert> batch = alerts(1, 3);
    batch[1].title.clear();
    batch[1].message.clear();
    const QString sink = QStringLiteral("email");
    auto added = (*outbox)->add(batch, std::vector<QStringList>(3, {sink}), now);
    QVERIFY2(added, qPrintable(added.error()));
    QCOMPARE(added->size(), size_t(3));
    const auto due = (*outbox)->due(sink, now, 10);
    QVERIFY(due);
    QCOMPARE(due->size(), size_t(3));
    QVERIFY(due->at(1).title.isEmpty());
    QVERIFY(due->at(1).message.isEmpty());
}

void TstAlerts::outboxHistoryAcknowledgeAndSnooze()
{
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("history.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY((*outbox)->add(alerts(1, 2), std::vector<QStringList>(2, {QStringLiteral("desktop")}), now - 1000));
    QVERIFY((*outbox)->add(alerts(3, 1), {{QStringLiteral("desktop"), QStringLiteral("slack")}}, now));
    QVERIFY((*outbox)->markDelivered(QStringLiteral("slack"), {alert(3).id}, now));
    auto recent = (*outbox)->recent(10);
    QVERIFY2(recent, qPrintable(recent.error()));
    QCOMPARE(recent->size(), size_t(3));
    QCOMPARE(recent->front().alert.id, alert(3).id); // newest first
    QCOMPARE(recent->front().deliveries.size(), size_t(2));
    QCOMPARE(recent->front().deliveries[1].sink, QStringLiteral("slack"));
    QCOMPARE(recent->front().deliveries[1].state, AlertOutbox::DeliveryState::Delivered);
    QCOMPARE((*outbox)->activeCount(now), 3);
    QVERIFY((*outbox)->acknowledge({alert(1).id, alert(3).id}, now));
    QCOMPARE((*outbox)->activeCount(now), 1);
    QVERIFY((*outbox)->recent(10)->front().acknowledgedAtMs.has_value());
    // Yesterday's unacknowledged alerts are not active any more.
    QCOMPARE((*outbox)->activeCount(now + 25LL * 3600 * 1000), 0);

    const Alert a = alert(7);
    QVERIFY(!(*outbox)->snoozedUntil(a.shop, a.productId, now));
    QVERIFY((*outbox)->snooze(a.shop, a.productId, now + 3600 * 1000, now));
    QCOMPARE((*outbox)->snoozedUntil(a.shop, a.productId, now), std::optional<qint64>(now + 3600 * 1000));
    QVERIFY(!(*outbox)->snoozedUntil(a.shop, a.productId, now + 3600 * 1000));
    QVERIFY(!(*outbox)->snoozedUntil(a.shop, a.productId + 1, now));
}

void TstAlerts::outboxPrunesOldAndExcessAlertsButNeverPendingOnes()
{
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("prune.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 day = 24LL * 3600 * 1000;
    const QString slack = QStringLiteral("slack");
    // Twenty days ago: 1..3, delivered; 4, still pending (Slack has been down). Today: 5..14, delivered.
    QVERIFY((*outbox)->add(alerts(1, 4), std::vector<QStringList>(4, {slack}), now - 20 * day));
    QVERIFY((*outbox)->markDelivered(slack, {alert(1).id, alert(2).id, alert(3).id}, now - 20 * day));
    for (int n = 0; n < 10; ++n)
        QVERIFY((*outbox)->add({alert(5 + n)}, {{slack}}, now - 1000 + n)); // one millisecond apart
    QVERIFY((*outbox)->markDelivered(slack, idsOf(alerts(5, 10)), now));
    // Snoozes end in the stream's time; they are forgotten two days after they were made.
    QVERIFY((*outbox)->snooze(alert(1).shop, alert(1).productId, now + day, now - 3 * day));
    QVERIFY((*outbox)->snooze(alert(2).shop, alert(2).productId, now + day, now - day));
    QCOMPARE((*outbox)->alertCount(), 14);

    // Older than 14 days: 1..3 go, with their deliveries; 4 stays while it waits for Slack.
    auto pruned = (*outbox)->prune(now - 14 * day, 1000, now);
    QVERIFY2(pruned, qPrintable(pruned.error()));
    QCOMPARE(*pruned, 3);
    QCOMPARE((*outbox)->alertCount(), 11);
    QCOMPARE((*outbox)->counts(slack).delivered, 10);
    QCOMPARE((*outbox)->counts(slack).pending, 1);
    QVERIFY(!(*outbox)->snoozedUntil(alert(1).shop, alert(1).productId, now)); // made three days ago: gone
    QVERIFY((*outbox)->snoozedUntil(alert(2).shop, alert(2).productId, now));

    // At most the newest 6: 5..8 go (the oldest of today's), in batches of 3; 4 stays, pending.
    pruned = (*outbox)->prune(now - 14 * day, 6, now, 3);
    QCOMPARE(*pruned, 3);
    pruned = (*outbox)->prune(now - 14 * day, 6, now, 3);
    QCOMPARE(*pruned, 1);
    pruned = (*outbox)->prune(now - 14 * day, 6, now, 3);
    QCOMPARE(*pruned, 0);
    const auto recent = (*outbox)->recent(100);
    QCOMPARE(recent->size(), size_t(7));
    QCOMPARE(recent->front().alert.id, alert(14).id);
    QCOMPARE(recent->back().alert.id, alert(4).id);
    QCOMPARE(recent->back().deliveries.front().state, AlertOutbox::DeliveryState::Pending);

    // A pruned alert fired again is new again (its stream read from the start, weeks later).
    auto again = (*outbox)->add({alert(1)}, {{slack}}, now);
    QCOMPARE(again->size(), size_t(1));
}

void TstAlerts::outboxKeepsEpisodesAndOpensAnEarlierFile_data()
{
    QTest::addColumn<bool>("earlierFile");
    QTest::addRow("a new file") << false;
    QTest::addRow("a file of the schema before episodes, with its rows") << true;
}

// The outbox keeps each alert's episode and interval, and gives each its place in the episode's thread; a file an
// earlier Peakwatch wrote opens, keeps its rows and pending deliveries, and takes episodes from then on.
void TstAlerts::outboxKeepsEpisodesAndOpensAnEarlierFile()
{
    QFETCH(bool, earlierFile);
    const QString path = m_dir.filePath(QStringLiteral("episodes-%1.sqlite").arg(earlierFile));
    QFile::remove(path);
    if (earlierFile) {
        const QString connection = QStringLiteral("earlier-outbox");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const char *statement : kFirstSchema)
                QVERIFY2(q.exec(QString::fromLatin1(statement)), qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::vector<Alert> episode = episodeOfThree();
    const QStringList toSlack{QStringLiteral("slack")};
    {
        auto outbox = AlertOutbox::open(path);
        QVERIFY2(outbox, qPrintable(outbox.error()));
        QCOMPARE((*outbox)->alertCount(), earlierFile ? 2 : 0);
        // One by one, as they fire: each is told its place when it is recorded.
        for (size_t i = 0; i < episode.size(); ++i) {
            auto added = (*outbox)->add({episode[i]}, {toSlack}, now + qint64(i));
            QVERIFY2(added, qPrintable(added.error()));
            QCOMPARE(added->size(), size_t(1));
            QCOMPARE(added->front().thread,
                     std::optional(Alert::Thread{int(i) + 1, AlertRule::SellingOut, episode[0].atMs}));
        }
    }
    // Reopened: nothing to upgrade again, everything kept.
    auto outbox = AlertOutbox::open(path);
    QVERIFY2(outbox, qPrintable(outbox.error()));
    QCOMPARE((*outbox)->alertCount(), earlierFile ? 5 : 3);
    auto due = (*outbox)->due(QStringLiteral("slack"), now + 10, 10);
    QVERIFY2(due, qPrintable(due.error()));
    QCOMPARE(due->size(), earlierFile ? size_t(4) : size_t(3));
    if (earlierFile) { // the earlier run's pending delivery is still due, alone in its thread
        QCOMPARE(due->front().id, QByteArray("alert-0002"));
        QVERIFY(due->front().episode.isEmpty());
        QVERIFY(!due->front().thread);
        due->erase(due->begin());
    }
    for (size_t i = 0; i < 3; ++i) {
        QCOMPARE((*due)[i].id, episode[i].id);
        QCOMPARE((*due)[i].episode, episode[i].episode);
        QCOMPARE((*due)[i].selloutEarliestMs, episode[i].selloutEarliestMs);
        QCOMPARE((*due)[i].selloutLatestMs, episode[i].selloutLatestMs);
        QCOMPARE((*due)[i].thread->position, int(i) + 1);
    }
    // Where a sink put the episode's thread comes back with the episode's alerts due for that sink only.
    QVERIFY((*outbox)->setThreadReferences(QStringLiteral("slack"), {{episode[0].episode, "C0TESTALERTS 1.000001"}}));
    QVERIFY((*outbox)->add({episode[2]}, {{QStringLiteral("desktop")}}, now));
    const auto threaded = (*outbox)->due(QStringLiteral("slack"), now + 10, 10);
    QVERIFY2(threaded, qPrintable(threaded.error()));
    for (const Alert &a : *threaded)
        QCOMPARE(a.threadReference, a.episode.isEmpty() ? QByteArray() : QByteArray("C0TESTALERTS 1.000001"));
    QVERIFY((*outbox)->due(QStringLiteral("desktop"), now + 10, 10)->front().threadReference.isEmpty());
    auto recent = (*outbox)->recent(10);
    QVERIFY2(recent, qPrintable(recent.error()));
    QCOMPARE(recent->size(), earlierFile ? size_t(5) : size_t(3));
    QCOMPARE(recent->front().alert.id, episode[2].id); // newest first
    QCOMPARE(recent->front().alert.thread->position, 3);
    QCOMPARE(recent->front().alert.thread->firstRule, AlertRule::SellingOut);
    if (earlierFile) {
        QCOMPARE(recent->back().alert.title, QByteArray("Fleece Hoodie 1"));
        QCOMPARE(recent->back().alert.ratePerHour, std::optional<double>(12.5));
        QVERIFY(!recent->back().alert.thread);
        QVERIFY((*recent)[3].acknowledgedAtMs.has_value()); // alert-0002 was acknowledged
    }
    // Once the episode's alerts are pruned, so is its thread: the same alert recorded again starts afresh.
    std::vector<QByteArray> ids;
    for (const Alert &a : *threaded)
        ids.push_back(a.id);
    QVERIFY((*outbox)->markDelivered(QStringLiteral("slack"), ids, now));
    QVERIFY((*outbox)->markDelivered(QStringLiteral("desktop"), {episode[2].id}, now));
    QVERIFY((*outbox)->prune(now + 1000, 0, now));
    QCOMPARE((*outbox)->alertCount(), 0);
    QVERIFY((*outbox)->add({episode[0]}, {toSlack}, now));
    QVERIFY((*outbox)->due(QStringLiteral("slack"), now + 10, 10)->front().threadReference.isEmpty());
}

// Through the dispatcher to a Slack webhook (the test server): the episode's alerts, firing minutes apart, arrive
// as three messages, the 2nd and 3rd saying where they stand in the episode.
void TstAlerts::slackFollowUpsOfAnEpisodeSayWhereTheyStand()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("thread.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    for (const Alert &a : episodeOfThree()) {
        QVERIFY(dispatcher.submit({a}));
        QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(), 10000);
    }
    const auto &requests = slack.requests();
    QCOMPARE(requests.size(), size_t(3));
    const QString firstAt =
        QDateTime::fromMSecsSinceEpoch(kEventMs + 14 * 60 * 1000, QTimeZone::utc()).toString(QStringLiteral("HH:mm"));
    const QStringList expected{QString(), QStringLiteral("2nd alert since the selling-out warning at ") + firstAt,
                               QStringLiteral("3rd alert since the selling-out warning at ") + firstAt};
    for (size_t i = 0; i < requests.size(); ++i) {
        QCOMPARE(requests[i].status, 200);
        const QString text = requests[i].json().value(QStringLiteral("text")).toString();
        if (expected[qsizetype(i)].isEmpty())
            QVERIFY2(!text.contains(QStringLiteral("alert since")), qPrintable(text));
        else
            QVERIFY2(text.contains(expected[qsizetype(i)]), qPrintable(text));
    }
    QVERIFY2(requests[2]
                 .json()
                 .value(QStringLiteral("text"))
                 .toString()
                 .startsWith(QStringLiteral("Sold out: Fleece Hoodie")),
             qPrintable(requests[2].json().value(QStringLiteral("text")).toString()));
}

// With a bot token and a channel (chat.postMessage answers with the message's ts), one product's episode is one
// Slack thread: the first alert goes to the channel, the follow-ups into its thread, the sold-out one shown in the
// channel too; another product's episode starts a thread of its own; a restart (the same outbox) keeps them.
void TstAlerts::slackBotThreadsAnEpisodeAcrossARestart()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    const QString path = m_dir.filePath(QStringLiteral("bot-threads.sqlite"));
    const SlackBot bot{QString::fromLatin1(SlackTestServer::kBotChannel),
                       QString::fromLatin1(SlackTestServer::kBotToken), slack.apiUrl()};
    const std::vector<Alert> hoodie = episodeOfThree("hoodie-episode");
    std::vector<Alert> beanie = episodeOfThree("beanie-episode");
    for (Alert &a : beanie) {
        a.id += "-beanie";
        a.productId += 1;
        a.title = "Merino Beanie";
    }
    auto deliver = [&](const std::vector<std::vector<Alert>> &groups) {
        auto outbox = AlertOutbox::open(path);
        QVERIFY2(outbox, qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        dispatcher.addSink(std::make_unique<SlackBotSink>(QStringLiteral("slack"), bot));
        for (const std::vector<Alert> &group : groups) {
            QVERIFY(dispatcher.submit(group));
            QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(), 15000);
        }
        QCOMPARE((*outbox)->counts(QStringLiteral("slack")).pending, 0);
    };
    // The hoodie's selling-out warning; then the beanie's, and the hoodie's low stock, together.
    deliver({{hoodie[0]}, {beanie[0], hoodie[1]}});
    if (QTest::currentTestFailed())
        return;
    // Restarted: the hoodie sells out, the beanie runs low.
    deliver({{hoodie[2], beanie[1]}});
    if (QTest::currentTestFailed())
        return;

    const auto &requests = slack.requests();
    QCOMPARE(requests.size(), size_t(5));
    for (const test::SlackRequest &r : requests) {
        QCOMPARE(r.status, 200);
        QVERIFY(!r.postedTs.isEmpty()); // every one posted
        QVERIFY2(SlackTestServer::payloadProblem(r.body).isEmpty(),
                 qPrintable(SlackTestServer::payloadProblem(r.body)));
    }
    auto threadOf = [](const test::SlackRequest &r) { return r.json().value(QStringLiteral("thread_ts")).toString(); };
    auto text = [](const test::SlackRequest &r) { return r.json().value(QStringLiteral("text")).toString(); };
    const QString hoodieThread = QString::fromLatin1(requests[0].postedTs);
    QVERIFY(threadOf(requests[0]).isEmpty());
    QVERIFY2(text(requests[0]).startsWith(QStringLiteral("Selling out: Fleece Hoodie")), qPrintable(text(requests[0])));
    // The beanie's first alert to the channel, then the hoodie's low stock in the hoodie's thread.
    QVERIFY(threadOf(requests[1]).isEmpty());
    QVERIFY2(text(requests[1]).contains(QStringLiteral("Merino Beanie")), qPrintable(text(requests[1])));
    const QString beanieThread = QString::fromLatin1(requests[1].postedTs);
    QCOMPARE(threadOf(requests[2]), hoodieThread);
    QVERIFY2(text(requests[2]).contains(QStringLiteral("2nd alert since the selling-out warning")),
             qPrintable(text(requests[2])));
    QVERIFY(!requests[2].json().value(QStringLiteral("reply_broadcast")).toBool());
    // After the restart: a reply in each thread, oldest alert first; the sold-out one is shown in the channel too.
    QCOMPARE(threadOf(requests[3]), beanieThread);
    QVERIFY2(text(requests[3]).startsWith(QStringLiteral("Low stock: Merino Beanie")), qPrintable(text(requests[3])));
    QCOMPARE(threadOf(requests[4]), hoodieThread);
    QVERIFY2(text(requests[4]).startsWith(QStringLiteral("Sold out: Fleece Hoodie")) &&
                 text(requests[4]).contains(QStringLiteral("3rd alert since the selling-out warning")),
             qPrintable(text(requests[4])));
    QCOMPARE(requests[4].json().value(QStringLiteral("reply_broadcast")).toBool(), true);
    QVERIFY(requests[4].receivedAtMs - requests[3].receivedAtMs >= 950); // a second apart, as Slack takes them
    // The token is nowhere in the outbox.
    for (const QString &file : {path, QString(path + QStringLiteral("-wal"))}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            QVERIFY2(!f.readAll().contains(SlackTestServer::kBotToken),
                     "the bot token must not be stored in the outbox");
    }
}

// peakwatch-cli analyze with a Slack bot (its token in an environment variable): the episode's first alerts go to
// the channel; read again once the product has sold out, the stream fires the same alerts (already delivered) and
// the sold-out one, which goes into their thread. The token shows nowhere.
void TstAlerts::analyzeThreadsAnEpisodeWithASlackBot()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    QVERIFY(m_cluster->createTopic({QStringLiteral("bot-products"), 1}));
    auto producer = KafkaProducer::create(m_cluster->bootstrapServers());
    QVERIFY2(producer, qPrintable(producer.error()));
    auto update = [&](int minute, int quantity) {
        const QByteArray value =
            "{\"id\":8841726390317,\"title\":\"Fleece Hoodie\",\"updated_at\":\"2026-11-27T05:" +
            QByteArray::number(minute).rightJustified(2, '0') +
            ":00Z\",\"variants\":[{\"price\":\"24.00\",\"inventory_quantity\":" + QByteArray::number(quantity) + "}]}";
        return bool((*producer)->produce("bot-products", "peak-apparel.myshopify.com",
                                         std::string_view(value.constData(), size_t(value.size()))));
    };
    for (const auto &[minute, quantity] : {std::pair{0, 40}, {5, 30}, {10, 20}, {15, 8}})
        QVERIFY(update(minute, quantity));
    QVERIFY((*producer)->flush(10000));
    const QString outbox = m_dir.filePath(QStringLiteral("cli-bot.sqlite"));
    const QStringList analyze{QStringLiteral("analyze"),
                              QStringLiteral("-b"),
                              m_cluster->bootstrapServers(),
                              QStringLiteral("-t"),
                              QStringLiteral("bot-products"),
                              QStringLiteral("-e"),
                              QStringLiteral("--slack-bot-token-env"),
                              QStringLiteral("PW_TEST_SLACK_BOT"),
                              QStringLiteral("--slack-channel"),
                              QString::fromLatin1(SlackTestServer::kBotChannel),
                              QStringLiteral("--slack-api-url"),
                              slack.apiUrl().toString(),
                              QStringLiteral("--outbox"),
                              outbox};
    auto run = [&] {
        std::unique_ptr<QProcess> process(
            startCli(analyze, QStringLiteral("PW_TEST_SLACK_BOT"), QString::fromLatin1(SlackTestServer::kBotToken)));
        if (!process->waitForStarted(10000))
            return QByteArray("not started");
        const QDeadlineTimer deadline(60000); // the test's event loop serves the Slack test server meanwhile
        while (process->state() != QProcess::NotRunning && !deadline.hasExpired())
            QTest::qWait(10);
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(5000);
        }
        const QByteArray all = process->readAllStandardOutput() + process->readAllStandardError();
        if (process->exitCode() != 0)
            qWarning().noquote() << all;
        return all;
    };
    const QByteArray first = run();
    QVERIFY2(!first.contains(SlackTestServer::kBotToken), "the bot token reached the output");
    QCOMPARE(slack.requests().size(), size_t(1));                // the episode's first alerts, together, to the channel
    const test::SlackRequest opening = slack.requests().front(); // a copy: the server appends to its list
    QVERIFY(!opening.postedTs.isEmpty());
    QVERIFY(!opening.json().contains(QStringLiteral("thread_ts")));

    QVERIFY(update(20, 0));
    QVERIFY((*producer)->flush(10000));
    const QByteArray second = run();
    QVERIFY2(!second.contains(SlackTestServer::kBotToken), "the bot token reached the output");
    QCOMPARE(slack.requests().size(), size_t(2)); // only what is new: the sold-out alert
    const test::SlackRequest &reply = slack.requests().back();
    QCOMPARE(reply.json().value(QStringLiteral("thread_ts")).toString(), QString::fromLatin1(opening.postedTs));
    QCOMPARE(reply.json().value(QStringLiteral("reply_broadcast")).toBool(), true);
    const QString text = reply.json().value(QStringLiteral("text")).toString();
    QVERIFY2(text.startsWith(QStringLiteral("Sold out: Fleece Hoodie")) &&
                 text.contains(QStringLiteral("alert since the")),
             qPrintable(text));
}

void TstAlerts::kafkaTopicGetsEachAlertOnceAcrossRestart()
{
    const QString path = m_dir.filePath(QStringLiteral("kafka.sqlite"));
    auto deliver = [&](const std::vector<Alert> &batch) {
        auto outbox = AlertOutbox::open(path);
        QVERIFY2(outbox, qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        auto sink = KafkaAlertSink::create(m_cluster->bootstrapServers(), QStringLiteral("alerts"));
        QVERIFY2(sink, qPrintable(sink.error()));
        QCOMPARE((*sink)->name(), QStringLiteral("kafka:alerts"));
        dispatcher.addSink(std::move(*sink));
        QVERIFY(dispatcher.submit(batch));
        QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(), 20000);
        QCOMPARE((*outbox)->counts(QStringLiteral("kafka:alerts")).pending, 0);
    };
    deliver(alerts(1, 40));
    if (QTest::currentTestFailed())
        return;
    // Restarted: the stream read again fires the same 40 alerts, plus 10 new ones.
    deliver(alerts(1, 50));
    if (QTest::currentTestFailed())
        return;

    const CliResult read = runProgram(
        m_kcat, {QStringLiteral("-b"), m_cluster->bootstrapServers(), QStringLiteral("-C"), QStringLiteral("-t"),
                 QStringLiteral("alerts"), QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-K"),
                 QStringLiteral("\t"), QStringLiteral("-f"), QStringLiteral("%k\t%h\t%s\n")});
    QCOMPARE(read.exitCode, 0);
    QSet<QByteArray> ids;
    for (const QByteArray &line : read.outLines()) {
        const QList<QByteArray> fields = line.split('\t');
        QCOMPARE(fields.size(), 3);
        const QJsonObject record = QJsonDocument::fromJson(fields[2]).object();
        const QByteArray id = record.value(QStringLiteral("id")).toString().toUtf8();
        QVERIFY2(!ids.contains(id), id.constData()); // never twice
        ids.insert(id);
        QCOMPARE(record.value(QStringLiteral("type")).toString(), QStringLiteral("alert"));
        QCOMPARE(fields[0], record.value(QStringLiteral("shop")).toString().toUtf8() + '/' +
                                QByteArray::number(record.value(QStringLiteral("product_id")).toInteger()));
        QCOMPARE(fields[1], "peakwatch-alert-id=" + id);
    }
    QCOMPARE(ids.size(), 50);
}

void TstAlerts::alertsOfAnotherStreamAreNew_data()
{
    QTest::addColumn<SecondReading>("second");
    QTest::addColumn<bool>("sameStream");
    QTest::addRow("the same topic of the same cluster read again") << SecondReading::SameTopicAgain << true;
    QTest::addRow("a member of a consumer group") << SecondReading::GroupMember << true;
    QTest::addRow("another topic of the same cluster") << SecondReading::OtherTopic << false;
    QTest::addRow("a new embedded cluster fed the same world") << SecondReading::NewCluster << false;
    QTest::addRow("a new embedded cluster, read by the window") << SecondReading::NewClusterByWindow << false;
    QTest::addRow("the same NDJSON file replayed") << SecondReading::SameFileAgain << true;
    QTest::addRow("a copy of the NDJSON file") << SecondReading::CopyOfTheFile << true;
}

// The issue "alerts of a new run are new": a second demo replays the same simulated world into a new embedded
// cluster, and its alerts must reach the outbox as new, while the same stream read again (a restart, a
// redelivery, another member of the group, the same file replayed) fires alerts the outbox already knows.
void TstAlerts::alertsOfAnotherStreamAreNew()
{
    QFETCH(SecondReading, second);
    QFETCH(bool, sameStream);
    const bool fromFile = second == SecondReading::SameFileAgain || second == SecondReading::CopyOfTheFile;
    auto analyze = [](const QStringList &arguments) {
        const CliResult run = runCli(QStringList{QStringLiteral("analyze")} + arguments, {}, 120000);
        if (run.exitCode != 0)
            qWarning().noquote() << run.err;
        return alertsPrinted(run);
    };

    std::vector<Alert> first, then;
    if (fromFile) {
        const QString path = m_dir.filePath(QStringLiteral("world.ndjson"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (const auto &[key, value] : simulatedWorld())
            file.write(key + '\t' + value + '\n');
        file.close();
        first = analyze({QStringLiteral("--input"), path});
        QString again = path;
        if (second == SecondReading::CopyOfTheFile) {
            again = m_dir.filePath(QStringLiteral("copy/world-again.ndjson"));
            QVERIFY(QDir().mkpath(QFileInfo(again).absolutePath()));
            QFile::remove(again);
            QVERIFY(QFile::copy(path, again));
        }
        then = analyze({QStringLiteral("--input"), again});
    } else {
        auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("products"), 2}});
        QVERIFY2(cluster, qPrintable(cluster.error()));
        QVERIFY(produceWorld((*cluster)->bootstrapServers(), QStringLiteral("products")));
        const QStringList topic{QStringLiteral("-t"), QStringLiteral("products"), QStringLiteral("-e")};
        first = analyze(QStringList{QStringLiteral("-b"), (*cluster)->bootstrapServers()} + topic);
        switch (second) {
        case SecondReading::SameTopicAgain:
            then = analyze(QStringList{QStringLiteral("-b"), (*cluster)->bootstrapServers()} + topic);
            break;
        case SecondReading::GroupMember:
            then = analyze(QStringList{QStringLiteral("-b"), (*cluster)->bootstrapServers(), QStringLiteral("-G"),
                                       QStringLiteral("peakwatch-analysts"), QStringLiteral("-o"),
                                       QStringLiteral("beginning")} +
                           topic);
            break;
        case SecondReading::OtherTopic:
            QVERIFY((*cluster)->createTopic({QStringLiteral("products-again"), 2}));
            QVERIFY(produceWorld((*cluster)->bootstrapServers(), QStringLiteral("products-again")));
            then = analyze({QStringLiteral("-b"), (*cluster)->bootstrapServers(), QStringLiteral("-t"),
                            QStringLiteral("products-again"), QStringLiteral("-e")});
            break;
        case SecondReading::NewCluster:
        case SecondReading::NewClusterByWindow: {
            // The first cluster goes before the second starts, as when the demo is run again: librdkafka's mock
            // cluster then reports the same cluster id as the first did.
            const QByteArray firstIdentity = (*cluster)->identity();
            cluster->reset();
            auto next = EmbeddedCluster::start(1, {{QStringLiteral("products"), 2}});
            QVERIFY2(next, qPrintable(next.error()));
            QVERIFY((*next)->identity() != firstIdentity);
            QVERIFY(produceWorld((*next)->bootstrapServers(), QStringLiteral("products")));
            if (second == SecondReading::NewCluster) {
                then = analyze(QStringList{QStringLiteral("-b"), (*next)->bootstrapServers()} + topic);
                break;
            }
            LiveAnalysis live;
            QObject::connect(&live, &LiveAnalysis::batchReady, &live, [&then](const LiveBatchPtr &batch) {
                then.insert(then.end(), batch->alerts.begin(), batch->alerts.end());
            });
            LiveAnalysis::Options options;
            options.consumer.bootstrapServers = (*next)->bootstrapServers();
            options.consumer.topic = QStringLiteral("products");
            live.start(options);
            QTRY_VERIFY_WITH_TIMEOUT(then.size() >= first.size(), 60000);
            live.stop();
            break;
        }
        case SecondReading::SameFileAgain:
        case SecondReading::CopyOfTheFile: break;
        }
    }
    QVERIFY2(first.size() > 10, qPrintable(QString::number(first.size())));
    QCOMPARE(then.size(), first.size()); // the same world fires the same alerts
    QSet<QByteArray> firstIds;
    for (const Alert &a : first)
        firstIds.insert(a.id);
    QCOMPARE(firstIds.size(), qsizetype(first.size()));
    qsizetype shared = 0;
    for (const Alert &a : then)
        shared += firstIds.contains(a.id);
    QCOMPARE(shared, sameStream ? qsizetype(then.size()) : 0);

    // The outbox (what the Alerts view and every sink read) takes the second reading's alerts as new, or as
    // already seen.
    auto outbox = AlertOutbox::open(
        m_dir.filePath(QStringLiteral("streams-%1.sqlite").arg(QString::fromUtf8(QTest::currentDataTag()))));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE((*outbox)->add(first, std::vector<QStringList>(first.size()), now)->size(), first.size());
    QCOMPARE((*outbox)->add(then, std::vector<QStringList>(then.size()), now + 1000)->size(),
             sameStream ? size_t(0) : then.size());
}

void TstAlerts::slackBurstIsGroupedAtOneMessageASecond()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("burst.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    // 220 alerts in three bursts within half a second: Slack takes about a message a second per webhook,
    // so they go as a few grouped messages, not 220 queued for minutes.
    QVERIFY(dispatcher.submit(alerts(1, 30)));
    QTest::qWait(200);
    QVERIFY(dispatcher.submit(alerts(31, 40)));
    QTest::qWait(200);
    QVERIFY(dispatcher.submit(alerts(71, 150)));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(), 20000);
    const auto &requests = slack.requests();
    QVERIFY2(requests.size() <= 4, qPrintable(QString::number(requests.size())));
    for (size_t i = 1; i < requests.size(); ++i)
        QVERIFY2(requests[i].receivedAtMs - requests[i - 1].receivedAtMs >= 950,
                 qPrintable(QStringLiteral("messages %1 and %2 were %3 ms apart")
                                .arg(i - 1)
                                .arg(i)
                                .arg(requests[i].receivedAtMs - requests[i - 1].receivedAtMs)));
    for (const test::SlackRequest &r : requests)
        QVERIFY2(SlackTestServer::payloadProblem(r.body).isEmpty(),
                 qPrintable(SlackTestServer::payloadProblem(r.body)));
    QStringList titles = answeredTitles(slack);
    QCOMPARE(titles.size(), 220); // every alert, once
    titles.removeDuplicates();
    QCOMPARE(titles.size(), 220);
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).delivered, 220);
}

void TstAlerts::slackRetriesWithBackoffAndRetryAfter()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.enqueue(SlackAnswer::error(500, "internal_error"));
    slack.enqueue(SlackAnswer::rateLimited(2));
    slack.enqueue(SlackAnswer::ok(1500)); // slow, then fine
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("retry-slack.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    QVERIFY(dispatcher.submit(alerts(1, 3)));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && slack.requests().size() == 3, 20000);
    const auto &r = slack.requests();
    QCOMPARE(r[0].status, 500);
    QVERIFY2(r[1].receivedAtMs - r[0].receivedAtMs >= 950, "backs off after a 500");
    QCOMPARE(r[1].status, 429);
    QVERIFY2(r[2].receivedAtMs - r[1].receivedAtMs >= 1950, "honours Retry-After: 2");
    QCOMPARE(r[2].status, 200);
    QCOMPARE(retrying.count(), 2);
    QVERIFY(!retrying.at(0).at(1).toString().contains(QLatin1String(SlackTestServer::kToken)));
    QCOMPARE(answeredTitles(slack).size(), 3);
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).delivered, 3);
    QTest::qWait(1500); // and nothing more
    QCOMPARE(slack.requests().size(), size_t(3));
}

void TstAlerts::slackBackoffDoublesFromOneSecondToFiveMinutes()
{
    // Slack answers 500 twelve times: each retry waits twice as long as the one before, from 1 s, and never more
    // than 5 min. The dispatcher's clock jumps over each wait, so the test takes seconds, not half an hour.
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    constexpr int kFailures = 12;
    for (int i = 0; i < kFailures; ++i)
        slack.enqueue(SlackAnswer::error(500, "internal_error"));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("backoff-cap.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    qint64 offset = 0;
    const auto clock = [&offset] { return QDateTime::currentMSecsSinceEpoch() + offset; };
    dispatcher.setClock(clock);
    std::vector<qint64> waits; // each retry's wait, as the dispatcher set it
    connect(&dispatcher, &AlertDispatcher::retrying, this,
            [&](const QString &, const QString &, qint64 retryAtMs) { waits.push_back(retryAtMs - clock()); });
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    QVERIFY(dispatcher.submit(alerts(701, 1)));
    for (int i = 0; i < kFailures; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(waits.size(), size_t(i + 1), 10000);
        const qint64 expected = std::min<qint64>(qint64(1000) << i, 5 * 60 * 1000);
        QVERIFY2(std::abs(waits.back() - expected) <= 100,
                 qPrintable(QStringLiteral("retry %1 waits %2 ms, not %3").arg(i + 1).arg(waits.back()).arg(expected)));
        offset += waits.back();       // the wait is over
        dispatcher.setQuietHours({}); // and the dispatcher looks again
    }
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && slack.answeredCount() == kFailures + 1, 10000);
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).delivered, 1);
}

void TstAlerts::slackPermanentErrorStopsRetriesAndPauses()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.enqueue(SlackAnswer::error(410, "channel_is_archived"));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("refused.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    QVERIFY(dispatcher.submit(alerts(1, 2)));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("channel_is_archived")),
             qPrintable(failed.at(0).at(1).toString()));
    QVERIFY(!failed.at(0).at(1).toString().contains(QLatin1String(SlackTestServer::kToken)));
    // Not retried; later alerts wait (not lost, not refused) until the webhook is set again.
    QVERIFY(dispatcher.submit(alerts(3, 2)));
    QTest::qWait(2500);
    QCOMPARE(slack.requests().size(), size_t(1));
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).failed, 2);
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).pending, 2);
    QCOMPARE(dispatcher.sinkStates().front().pausedBecause, failed.at(0).at(1).toString());
    QCOMPARE(failed.count(), 1);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(), 10000);
    QCOMPARE(slack.requests().size(), size_t(2));
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).delivered, 2);
}

void TstAlerts::quietHoursHoldPeopleNotTheTopic()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("quiet.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    const qint64 realStart = QDateTime::currentMSecsSinceEpoch();
    qint64 offset = QDateTime(QDate::currentDate(), QTime(23, 0)).toMSecsSinceEpoch() - realStart;
    dispatcher.setClock([&offset] { return QDateTime::currentMSecsSinceEpoch() + offset; });
    dispatcher.setQuietHours(QuietHours{22 * 60, 7 * 60});
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    auto kafka = KafkaAlertSink::create(m_cluster->bootstrapServers(), QStringLiteral("alerts"));
    QVERIFY2(kafka, qPrintable(kafka.error()));
    dispatcher.addSink(std::move(*kafka));
    QVERIFY(dispatcher.submit(alerts(501, 3)));
    QTRY_COMPARE_WITH_TIMEOUT((*outbox)->counts(QStringLiteral("kafka:alerts")).delivered, 3, 10000);
    QTest::qWait(1200);
    QCOMPARE(slack.requests().size(), size_t(0)); // 23:00: held
    QVERIFY(dispatcher.settled());                // what is held does not keep a command from ending
    // 07:01 the next morning: what was held goes out together.
    offset = QDateTime(QDate::currentDate().addDays(1), QTime(7, 1)).toMSecsSinceEpoch() - realStart;
    dispatcher.setQuietHours(QuietHours{22 * 60, 7 * 60});
    QTRY_COMPARE_WITH_TIMEOUT(slack.answeredCount(), 1, 10000);
    QCOMPARE(answeredTitles(slack).size(), 3);
}

void TstAlerts::snoozedProductReachesNoPerson()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("snooze.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    // Snoozed for an hour of the stream's time (the alerts' own, in 2026's Black Friday), whatever the clock says.
    const Alert snoozed = alert(601);
    QVERIFY((*outbox)->snooze(snoozed.shop, snoozed.productId, snoozed.atMs + 3600 * 1000,
                              QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(dispatcher.submit({snoozed, alert(602)}));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && slack.answeredCount() == 1, 10000);
    QCOMPARE(answeredTitles(slack), QStringList{QStringLiteral("Fleece Hoodie 602")});
    // The same product an hour later in the stream: the snooze has ended, a person is told.
    Alert later = alert(601);
    later.id = "alert-0601-later";
    later.atMs = snoozed.atMs + 3600 * 1000;
    QVERIFY(dispatcher.submit({later}));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && slack.answeredCount() == 2, 10000);
    QCOMPARE(answeredTitles(slack).value(1), QStringLiteral("Fleece Hoodie 601"));
    // Still in the history, with no delivery to a person.
    const auto history = (*outbox)->recent(10);
    const auto it = std::find_if(history->begin(), history->end(),
                                 [&](const AlertOutbox::Entry &e) { return e.alert.id == snoozed.id; });
    QVERIFY(it != history->end());
    QVERIFY(it->deliveries.empty());
}

void TstAlerts::killedInTheMiddleOfADeliveryLosesNothingAndRepeatsNothing()
{
    // A Black Friday stream of 3,000 updates over 120 products, on the embedded cluster.
    auto catalog = sim::Catalog::generate({.shops = 3, .productsPerShop = 40, .seed = 17});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 3000, .seed = 17});
    auto producer = KafkaProducer::create(m_cluster->bootstrapServers());
    QVERIFY2(producer, qPrintable(producer.error()));
    for (int i = 0; i < 3000; ++i) {
        const auto change = simulator.next();
        const QByteArray value = sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs);
        QVERIFY((*producer)->produce(
            "products", std::string_view(change.shop->domain.constData(), size_t(change.shop->domain.size())),
            std::string_view(value.constData(), size_t(value.size()))));
    }
    QVERIFY((*producer)->flush(10000));
    const QStringList analyze{QStringLiteral("analyze"), QStringLiteral("-b"), m_cluster->bootstrapServers(),
                              QStringLiteral("-t"), QStringLiteral("products")};
    // The alerts the stream fires, from a run that delivers nothing.
    const CliResult reference = runCli(analyze + QStringList{QStringLiteral("-e")}, {}, 120000);
    QVERIFY2(reference.exitCode == 0, reference.err.constData());
    QSet<QByteArray> fired;
    for (const QByteArray &line : reference.outLines())
        if (line.startsWith("{\"type\":\"alert\""))
            fired.insert(QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toString().toUtf8());
    QVERIFY2(fired.size() > 20, qPrintable(QString::number(fired.size())));

    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.enqueue(SlackAnswer::ok());
    slack.enqueue(SlackAnswer::ok(20000)); // the second message hangs: the process is killed waiting for it
    const QString outbox = m_dir.filePath(QStringLiteral("crash.sqlite"));
    const QStringList delivering =
        analyze + QStringList{QStringLiteral("--slack-webhook-env"), QStringLiteral("PW_TEST_SLACK"),
                              QStringLiteral("--outbox"), outbox};
    const QString url = slack.webhookUrl().toString();
    std::unique_ptr<QProcess> first(startCli(delivering, QStringLiteral("PW_TEST_SLACK"), url));
    QVERIFY(first->waitForStarted(10000));
    QVERIFY2(slack.waitForRequests(2, 30000), first->readAllStandardError().constData());
    first->kill(); // SIGKILL, in the middle of the second delivery
    QVERIFY(first->waitForFinished(10000));
    QCOMPARE(first->exitStatus(), QProcess::CrashExit);
    QTRY_VERIFY_WITH_TIMEOUT(slack.requests()[1].clientGone, 5000);
    const int deliveredBeforeTheKill = alertsIn(slack.requests()[0]);

    // Started again (it reads the stream again and fires the same alerts): what was delivered is not sent
    // again, what the kill interrupted is.
    std::unique_ptr<QProcess> second(
        startCli(delivering + QStringList{QStringLiteral("-e")}, QStringLiteral("PW_TEST_SLACK"), url));
    QVERIFY(second->waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(second->state() == QProcess::NotRunning, 60000);
    const QByteArray errors = second->readAllStandardError();
    QVERIFY2(second->exitCode() == 0, errors.constData());
    QVERIFY2(!errors.contains(SlackTestServer::kToken), "the webhook's token reached the output");

    int answered = 0;
    for (const test::SlackRequest &r : slack.requests())
        if (r.answered && r.status == 200)
            answered += alertsIn(r);
    QCOMPARE(answered, int(fired.size())); // every alert arrived, and none twice
    QVERIFY(deliveredBeforeTheKill < int(fired.size()));
    auto store = AlertOutbox::open(outbox);
    QVERIFY2(store, qPrintable(store.error()));
    const AlertOutbox::SinkCounts counts = (*store)->counts(QStringLiteral("slack"));
    QCOMPARE(counts.delivered, fired.size());
    QCOMPARE(counts.pending, 0);
    for (const QString &path : {outbox, QString(outbox + QStringLiteral("-wal"))}) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            QVERIFY2(!file.readAll().contains(SlackTestServer::kToken),
                     "the webhook URL must not be stored in the outbox");
    }
}

QStringList TstAlerts::lowStockTopic(const QString &topic, int count)
{
    if (Status s = m_cluster->createTopic({topic, 1}); !s) {
        qWarning().noquote() << s.error();
        return {};
    }
    return produceLowStock(m_cluster->bootstrapServers(), topic, count);
}

void TstAlerts::settledLooksAheadToWhatFallsDue()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.enqueue(SlackAnswer::rateLimited(2));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("settled.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), slack.webhookUrl()));
    QVERIFY(dispatcher.submit(alerts(1, 2)));
    QTRY_COMPARE_WITH_TIMEOUT(retrying.count(), 1, 10000);
    const qint64 retryAt = retrying.at(0).at(2).toLongLong();
    const qint64 left = retryAt - QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(left > 1000, qPrintable(QString::number(left))); // Retry-After: 2
    // Nothing is due now, but the retry falls due within 3 s and not within 0.5 s.
    QVERIFY(dispatcher.settled());
    QVERIFY(dispatcher.settled(500));
    QVERIFY(!dispatcher.settled(3000));
    const AlertDispatcher::SinkState state = dispatcher.sinkStates().front();
    QCOMPARE(state.counts.pending, 2);
    QVERIFY(!state.sending);
    QCOMPARE(state.nextAttemptAtMs, std::optional<qint64>(retryAt));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(3000), 10000); // sent then, and delivered
    QCOMPARE((*outbox)->counts(QStringLiteral("slack")).delivered, 2);
    QCOMPARE(dispatcher.sinkStates().front().nextAttemptAtMs, std::nullopt);
}

void TstAlerts::analyzeWaitsForWhatFallsDueWithinTheDrainTime_data()
{
    // What the first run meets, how long it may wait (--drain-timeout), and whether it delivers everything
    // itself (exit 0). When it does not (exit 1), a second run against a Slack that answers ok sends the rest.
    QTest::addColumn<Webhook>("webhook");
    QTest::addColumn<QList<SlackAnswer>>("answers");
    QTest::addColumn<int>("drainSeconds");
    QTest::addColumn<bool>("deliveredAtOnce");
    QTest::addColumn<QString>("why"); // what the first run says of what it leaves, when it leaves some
    // How the second run reads the stream: again from the start (firing the same alerts, none new), or from its
    // end (firing none).
    QTest::addColumn<QStringList>("nextRunReads");
    const QStringList again;
    const QStringList fromTheEnd{QStringLiteral("-o"), QStringLiteral("end")};

    const auto server = Webhook::TestServer;
    QTest::addRow("429 Retry-After 1 on the first post, then ok")
        << server << QList<SlackAnswer>{SlackAnswer::rateLimited(1)} << 20 << true << QString() << again;
    QTest::addRow("500 on the first post, then ok")
        << server << QList<SlackAnswer>{SlackAnswer::error(500, "internal_error")} << 20 << true << QString() << again;
    QTest::addRow("an answer 1.5 s late, within the drain time")
        << server << QList<SlackAnswer>{SlackAnswer::ok(1500)} << 20 << true << QString() << again;
    QTest::addRow("an answer later than the drain time") << server << QList<SlackAnswer>{SlackAnswer::ok(6000)} << 1
                                                         << false << QStringLiteral("unanswered") << fromTheEnd;
    QTest::addRow("429 Retry-After 4, beyond the drain time: the next run waits for it")
        << server << QList<SlackAnswer>{SlackAnswer::rateLimited(4)} << 1 << false << QStringLiteral("rate_limited")
        << again;
    QTest::addRow("a refused port") << Webhook::RefusedPort << QList<SlackAnswer>{} << 2 << false
                                    << QStringLiteral("Connection refused") << fromTheEnd;
    QTest::addRow("a host name that does not resolve")
        << Webhook::UnknownHost << QList<SlackAnswer>{} << 2 << false << QStringLiteral("not found") << again;
    QTest::addRow("--drain-timeout 0 does not wait for a Slack that does not answer")
        << server << QList<SlackAnswer>{SlackAnswer::never()} << 0 << false << QString() << fromTheEnd;
}

void TstAlerts::analyzeExitsOneWhenADestinationRefusesAlerts()
{
    // Slack answers that the webhook is gone: the alerts are refused for good. The run neither waits out the
    // drain time for them nor exits 0: exit 1, and its last line says who refused and why.
    const QString topic = QStringLiteral("refused");
    QCOMPARE(lowStockTopic(topic, 4).size(), 4);
    const QString outbox = m_dir.filePath(topic + QStringLiteral(".sqlite"));
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    for (int i = 0; i < 4; ++i)
        slack.enqueue(SlackAnswer::error(404, "no_service"));
    const TimedRun run = runWithSlack(
        {QStringLiteral("analyze"), QStringLiteral("-b"), m_cluster->bootstrapServers(), QStringLiteral("-t"), topic,
         QStringLiteral("-e"), QStringLiteral("--slack-webhook-env"), QStringLiteral("PW_TEST_SLACK"),
         QStringLiteral("--outbox"), outbox, QStringLiteral("--drain-timeout"), QStringLiteral("60")},
        slack.webhookUrl().toString());
    QVERIFY2(run.finished, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.elapsedMs < 40'000, qPrintable(QString::number(run.elapsedMs))); // not the 60 s drain time
    const QByteArray last = run.err.trimmed().split('\n').last();
    QVERIFY2(last.contains("slack refused alerts: ") && last.contains("no_service"), run.err.constData());
    QVERIFY2(!run.err.contains(SlackTestServer::kToken), "the webhook's token reached the output");
    QVERIFY2(!slack.requests().empty(), run.err.constData());
}

void TstAlerts::analyzeWaitsForWhatFallsDueWithinTheDrainTime()
{
    QFETCH(Webhook, webhook);
    QFETCH(QList<SlackAnswer>, answers);
    QFETCH(int, drainSeconds);
    QFETCH(bool, deliveredAtOnce);
    QFETCH(QString, why);
    QFETCH(QStringList, nextRunReads);

    static int row = 0;
    const QString topic = QStringLiteral("drain-%1").arg(++row);
    const QStringList titles = lowStockTopic(topic, 4);
    QCOMPARE(titles.size(), 4);
    const QString outbox = m_dir.filePath(topic + QStringLiteral(".sqlite"));
    const QStringList analyze{QStringLiteral("analyze"),
                              QStringLiteral("-b"),
                              m_cluster->bootstrapServers(),
                              QStringLiteral("-t"),
                              topic,
                              QStringLiteral("-e"),
                              QStringLiteral("--slack-webhook-env"),
                              QStringLiteral("PW_TEST_SLACK"),
                              QStringLiteral("--outbox"),
                              outbox};

    SlackTestServer first;
    QVERIFY2(first.listen(), qPrintable(first.errorString()));
    for (const SlackAnswer &answer : answers)
        first.enqueue(answer);
    QString url = first.webhookUrl().toString();
    if (webhook == Webhook::RefusedPort) {
        const quint16 port = refusedPort();
        QVERIFY(port != 0);
        url = webhookAt(QStringLiteral("http://127.0.0.1:%1").arg(port));
    } else if (webhook == Webhook::UnknownHost) {
        url = webhookAt(QStringLiteral("https://hooks.peakwatch-test.invalid")); // .invalid never resolves
    }
    const TimedRun run =
        runWithSlack(analyze + QStringList{QStringLiteral("--drain-timeout"), QString::number(drainSeconds)}, url);
    QVERIFY2(run.finished, run.err.constData());
    QVERIFY2(!run.err.contains(SlackTestServer::kToken), "the webhook's token reached the output");

    if (deliveredAtOnce) {
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(!run.err.contains("still pending"), run.err.constData());
        // It waited for the retry or the answer, then ended once everything was delivered, well before the end of
        // the drain time.
        QVERIFY2(run.elapsedMs < (drainSeconds - 5) * 1000, qPrintable(QString::number(run.elapsedMs)));
        const auto &r = first.requests();
        if (answers.front().status != 200) {
            QVERIFY2(r.size() >= 2, run.err.constData());
            QVERIFY2(r[1].receivedAtMs - r[0].receivedAtMs >= 950, "the retry came before its time");
        }
        QStringList sent = answeredTitles(first);
        sent.sort();
        QCOMPARE(sent, titles);
        return;
    }

    QVERIFY2(run.exitCode == 1, run.err.constData());
    // Bounded by the drain time (the Kafka part of the run takes a second or two; a loaded machine more).
    QVERIFY2(run.elapsedMs < drainSeconds * 1000 + 10000, qPrintable(QString::number(run.elapsedMs)));
    const QByteArray last = run.err.trimmed().split('\n').last();
    QVERIFY2(last.contains("4 alerts still pending for slack ("), run.err.constData());
    QVERIFY2(last.contains(outbox.toUtf8()) && last.contains("go out on the next run"), run.err.constData());
    QVERIFY2(last.contains(why.toUtf8()), run.err.constData());
    QVERIFY2(answeredTitles(first).isEmpty(), run.err.constData());
    qint64 rateLimitedAtMs = 0;
    if (!first.requests().empty() && first.requests().front().status == 429)
        rateLimitedAtMs = first.requests().front().answeredAtMs;
    {
        auto store = AlertOutbox::open(outbox);
        QVERIFY2(store, qPrintable(store.error()));
        QCOMPARE((*store)->counts(QStringLiteral("slack")).pending, 4);
    }

    // The next run sends them, each once, as soon as they are due (after the Retry-After when Slack asked for
    // one, though this run starts within it), whether its stream fires the same alerts again or none.
    SlackTestServer second;
    QVERIFY2(second.listen(), qPrintable(second.errorString()));
    const TimedRun next =
        runWithSlack(analyze + nextRunReads + QStringList{QStringLiteral("--drain-timeout"), QStringLiteral("20")},
                     second.webhookUrl().toString());
    QVERIFY2(next.finished && next.exitCode == 0, next.err.constData());
    QCOMPARE(next.out.count("\"type\":\"alert\""), nextRunReads.isEmpty() ? 4 : 0);
    QVERIFY2(!next.err.contains("still pending"), next.err.constData());
    QVERIFY2(next.elapsedMs < 15000, qPrintable(QString::number(next.elapsedMs)));
    QVERIFY(!second.requests().empty());
    if (rateLimitedAtMs > 0) // Retry-After: 4, and the next run started well within it
        QVERIFY2(second.requests().front().receivedAtMs - rateLimitedAtMs >= 3950,
                 qPrintable(QString::number(second.requests().front().receivedAtMs - rateLimitedAtMs)));
    QStringList sent = answeredTitles(first) + answeredTitles(second);
    sent.sort();
    QCOMPARE(sent, titles);
    auto store = AlertOutbox::open(outbox);
    QVERIFY2(store, qPrintable(store.error()));
    QCOMPARE((*store)->counts(QStringLiteral("slack")).pending, 0);
    QCOMPARE((*store)->counts(QStringLiteral("slack")).delivered, 4);
}

void TstAlerts::analyzeStopsWaitingOnASignal()
{
    const QString topic = QStringLiteral("drain-signal");
    QCOMPARE(lowStockTopic(topic, 3).size(), 3);
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.setDefaultAnswer(SlackAnswer::never());
    std::unique_ptr<QProcess> process(
        startCli({QStringLiteral("analyze"), QStringLiteral("-b"), m_cluster->bootstrapServers(), QStringLiteral("-t"),
                  topic, QStringLiteral("-e"), QStringLiteral("--slack-webhook-env"), QStringLiteral("PW_TEST_SLACK"),
                  QStringLiteral("--outbox"), m_dir.filePath(QStringLiteral("signal.sqlite"))},
                 QStringLiteral("PW_TEST_SLACK"), slack.webhookUrl().toString()));
    QVERIFY(process->waitForStarted(10000));
    // The stream has ended and the run waits (up to the default 30 s) for Slack's answer.
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += process->readAllStandardError()).contains("waiting up to"), 20000);
    QVERIFY2(err.contains("for 3 alerts still to be delivered"), err.constData());
    QElapsedTimer clock;
    clock.start();
    process->terminate(); // SIGTERM
    QTRY_VERIFY_WITH_TIMEOUT(process->state() == QProcess::NotRunning, 10000);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    err += process->readAllStandardError();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 1);
    QVERIFY2(err.contains("3 alerts still pending for slack (a message still unanswered"), err.constData());
}

void TstAlerts::analyzeLeavesWhatQuietHoursHoldWithoutFailing()
{
    const QString topic = QStringLiteral("drain-quiet");
    QCOMPARE(lowStockTopic(topic, 2).size(), 2);
    // Quiet hours from an hour ago to two hours from now, local time.
    const QTime now = QTime::currentTime();
    QFile rules(m_dir.filePath(QStringLiteral("quiet-rules.json")));
    QVERIFY(rules.open(QIODevice::WriteOnly));
    rules.write(QStringLiteral(R"({"quiet_hours": {"from": "%1", "to": "%2"}})")
                    .arg(now.addSecs(-3600).toString(QStringLiteral("HH:mm")),
                         now.addSecs(2 * 3600).toString(QStringLiteral("HH:mm")))
                    .toUtf8());
    rules.close();
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    const QString outbox = m_dir.filePath(QStringLiteral("quiet-cli.sqlite"));
    const TimedRun run = runWithSlack({QStringLiteral("analyze"), QStringLiteral("-b"), m_cluster->bootstrapServers(),
                                       QStringLiteral("-t"), topic, QStringLiteral("-e"), QStringLiteral("--rules"),
                                       rules.fileName(), QStringLiteral("--slack-webhook-env"),
                                       QStringLiteral("PW_TEST_SLACK"), QStringLiteral("--outbox"), outbox},
                                      slack.webhookUrl().toString());
    QVERIFY2(run.finished, run.err.constData());
    // Held as asked: no failure, no wait, and said so.
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("2 alerts for slack held by quiet hours for "), run.err.constData());
    QVERIFY2(run.elapsedMs < 20000, qPrintable(QString::number(run.elapsedMs)));
    QCOMPARE(slack.requests().size(), size_t(0));
    auto store = AlertOutbox::open(outbox);
    QVERIFY2(store, qPrintable(store.error()));
    QCOMPARE((*store)->counts(QStringLiteral("slack")).pending, 2);
}

QTEST_GUILESS_MAIN(TstAlerts)
#include "tst_alerts.moc"
