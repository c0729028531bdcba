// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Load runs and their sinks against real peers on loopback: an HTTP server that answers as a webhook
// receiver under load does (429 with Retry-After, 503, 401), and the embedded Kafka cluster.
#include "embedded_cluster.h"
#include "http_sink.h"
#include "kafka_consumer.h"
#include "kafka_sink.h"
#include "load_run.h"
#include "run_stats.h"
#include "shopify_hmac.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QSignalSpy>
#include <QTest>

#include <mutex>

using namespace peakwatch;

namespace {

const QByteArray kSecret = QByteArrayLiteral("shpss_load_test_secret");

// A receiver that answers the first requests of each webhook as configured, then 200.
class Receiver final {
public:
    Receiver()
    {
        m_server.route(QStringLiteral("/webhooks"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) { return answer(request); });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/webhooks").arg(m_port)); }

    QList<QHttpServerResponse::StatusCode> script; // answers to give to each webhook's attempts, in order
    QHash<QByteArray, int> attempts;               // by webhook id
    QHash<QByteArray, qint64> firstAttemptAt;
    QHash<QByteArray, qint64> lastAttemptAt;
    int badSignatures = 0;
    int missingHeaders = 0;
    QElapsedTimer clock;

private:
    QHttpServerResponse answer(const QHttpServerRequest &request)
    {
        if (!clock.isValid())
            clock.start();
        const QByteArray id = request.value("X-Shopify-Webhook-Id");
        if (!verifyShopifyHmac(kSecret, request.body(), request.value("X-Shopify-Hmac-Sha256")))
            ++badSignatures;
        for (const char *header : {"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version",
                                   "X-Shopify-Triggered-At", "X-Shopify-Event-Id", "X-Peakwatch-Created-At"})
            if (request.value(header).isEmpty())
                ++missingHeaders;
        const int attempt = attempts[id]++;
        if (attempt == 0)
            firstAttemptAt[id] = clock.elapsed();
        lastAttemptAt[id] = clock.elapsed();
        const auto status = attempt < script.size() ? script[attempt] : QHttpServerResponse::StatusCode::Ok;
        QHttpServerResponse response(status);
        if (status == QHttpServerResponse::StatusCode::TooManyRequests)
            response.setHeader("Retry-After", "1");
        return response;
    }

    QHttpServer m_server;
    quint16 m_port = 0;
};

sim::Scenario smallScenario()
{
    sim::Scenario s = *sim::Scenario::builtin(QStringLiteral("ordinary-day"));
    s.shops = 2;
    s.productsPerShop = 20;
    return s;
}

} // namespace

class TstLoad final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void httpSinkSignsAndRetries_data();
    void httpSinkSignsAndRetries();
    void rateIsKept();
    void kafkaSinkDeliversWithHeadersAndIsDeterministic();
};

void TstLoad::httpSinkSignsAndRetries_data()
{
    using S = QHttpServerResponse::StatusCode;
    QTest::addColumn<QList<S>>("script");
    QTest::addColumn<int>("attemptsEach");
    QTest::addColumn<bool>("acknowledged");
    QTest::addRow("accepted at once") << QList<S>{} << 1 << true;
    QTest::addRow("429 with Retry-After, then accepted") << QList<S>{S::TooManyRequests} << 2 << true;
    QTest::addRow("503 twice, then accepted") << QList<S>{S::ServiceUnavailable, S::ServiceUnavailable} << 3 << true;
    QTest::addRow("401 is final, never retried") << QList<S>{S::Unauthorized} << 1 << false;
}

void TstLoad::httpSinkSignsAndRetries()
{
    QFETCH(QList<QHttpServerResponse::StatusCode>, script);
    QFETCH(int, attemptsEach);
    QFETCH(bool, acknowledged);
    Receiver receiver;
    receiver.script = script;
    sim::RunStats stats;
    sim::HttpSink sink({.url = receiver.url(), .secret = kSecret, .connections = 8, .maxBackoffMs = 2000}, stats);
    sim::LoadRun::Options options{
        .scenario = smallScenario(), .seed = 3, .pace = sim::LoadRun::Pace::Max, .maxEvents = 40};
    sim::LoadRun run(options, sink, stats);
    QSignalSpy finished(&run, &sim::LoadRun::finished);
    run.start();
    QVERIFY(finished.wait(60000));

    QCOMPARE(receiver.attempts.size(), 40);
    for (auto it = receiver.attempts.cbegin(); it != receiver.attempts.cend(); ++it)
        QCOMPARE(it.value(), attemptsEach);
    QCOMPARE(receiver.badSignatures, 0);
    QCOMPARE(receiver.missingHeaders, 0);
    QCOMPARE(stats.acknowledgedCount(), acknowledged ? 40 : 0);
    QCOMPARE(stats.rejectedCount(), acknowledged ? 0 : 40);
    QCOMPARE(stats.errorCount(), 0);
    if (script.contains(QHttpServerResponse::StatusCode::TooManyRequests)) {
        // Retry-After: 1 was honoured.
        for (auto it = receiver.firstAttemptAt.cbegin(); it != receiver.firstAttemptAt.cend(); ++it)
            QVERIFY2(receiver.lastAttemptAt[it.key()] - it.value() >= 950, it.key().constData());
    }
}

void TstLoad::rateIsKept()
{
    auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("rate"), 4}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    sim::RunStats stats;
    auto sink = sim::KafkaSink::create((*cluster)->bootstrapServers(), QStringLiteral("rate"), stats);
    QVERIFY2(sink, qPrintable(sink.error()));
    sim::LoadRun::Options options{.scenario = smallScenario(),
                                  .seed = 4,
                                  .pace = sim::LoadRun::Pace::Rate,
                                  .eventsPerSecond = 400,
                                  .maxDurationMs = 2500};
    sim::LoadRun run(options, **sink, stats);
    QSignalSpy finished(&run, &sim::LoadRun::finished);
    run.start();
    QVERIFY(finished.wait(30000));
    QVERIFY2(qAbs(run.events() - 1000) <= 60, qPrintable(QString::number(run.events())));
    QCOMPARE(stats.acknowledgedCount(), run.events());
}

void TstLoad::kafkaSinkDeliversWithHeadersAndIsDeterministic()
{
    auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("a"), 3}, {QStringLiteral("b"), 3}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    // Two runs with the same seed, each to its own topic, then read back.
    for (const QString &topic : {QStringLiteral("a"), QStringLiteral("b")}) {
        sim::RunStats stats;
        auto sink = sim::KafkaSink::create((*cluster)->bootstrapServers(), topic, stats);
        QVERIFY2(sink, qPrintable(sink.error()));
        sim::LoadRun run({.scenario = smallScenario(), .seed = 7, .pace = sim::LoadRun::Pace::Max, .maxEvents = 300},
                         **sink, stats);
        QSignalSpy finished(&run, &sim::LoadRun::finished);
        run.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(stats.acknowledgedCount(), 300);
    }
    struct Collector final : ConsumerHandler {
        std::mutex mutex;
        QMap<QByteArray, QByteArray> byWebhookId; // webhook id -> key + body
        int missingHeaders = 0;
        void onMessages(const std::vector<RawMessage> &batch) override
        {
            std::lock_guard lock(mutex);
            for (const RawMessage &m : batch) {
                if (m.webhookIdHeader.empty() || m.shopDomainHeader != m.key || m.createdAtMicros <= 0)
                    ++missingHeaders;
                byWebhookId.insert(QByteArray(m.webhookIdHeader.data(), qsizetype(m.webhookIdHeader.size())),
                                   QByteArray(m.key.data(), qsizetype(m.key.size())) + '\t' +
                                       QByteArray(m.value.data(), qsizetype(m.value.size())));
            }
        }
    };
    QMap<QByteArray, QByteArray> seen[2];
    for (int i = 0; i < 2; ++i) {
        Collector collector;
        ConsumerOptions options{.bootstrapServers = (*cluster)->bootstrapServers(),
                                .topic = i == 0 ? QStringLiteral("a") : QStringLiteral("b"),
                                .stopAtEnd = true};
        KafkaConsumer consumer(options, collector);
        QVERIFY(consumer.start().ok());
        consumer.wait();
        QCOMPARE(collector.missingHeaders, 0);
        seen[i] = collector.byWebhookId;
    }
    QCOMPARE(seen[0].size(), 300);
    QCOMPARE(seen[1], seen[0]); // same seed: the same webhooks, ids and bodies
}

QTEST_GUILESS_MAIN(TstLoad)
#include "tst_load.moc"
