// peakwatch-cli demo: the whole pipeline on the embedded cluster, printing live figures.
#include "cli_support.h"

#include "analyzer.h"
#include "embedded_cluster.h"
#include "iso_time.h"
#include "kafka_consumer.h"
#include "kafka_producer.h"
#include "sales_simulator.h"
#include "webhook_builder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>
#include <QElapsedTimer>
#include <QStringBuilder>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <thread>

namespace peakwatch::cli {
namespace {

constexpr char kTopic[] = "products";
constexpr int kPartitions = 6;
constexpr int kCompression = 60; // a simulated hour every real minute

// Produces a time-compressed peak of products/update webhooks to the embedded cluster.
class DemoFeeder final {
public:
    DemoFeeder(KafkaProducer &producer, int eventsPerSecond, quint64 seed)
        : m_producer(producer)
        , m_catalog(sim::Catalog::generate(
              {.shops = 3, .productsPerShop = 200, .seed = seed, .minStock = 10, .maxStock = 120}))
        , m_simulator(m_catalog, {.ordersPerHour = double(eventsPerSecond) * 3600 / kCompression, .seed = seed})
        , m_rate(eventsPerSecond)
    {}

    void start()
    {
        m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
    }
    void stop()
    {
        m_thread.request_stop();
        if (m_thread.joinable())
            m_thread.join();
    }
    qint64 produced() const { return m_produced.load(); }

private:
    void run(std::stop_token stop)
    {
        QElapsedTimer clock;
        clock.start();
        qint64 sent = 0;
        QByteArray body;
        while (!stop.stop_requested()) {
            const qint64 due = clock.elapsed() * m_rate / 1000;
            for (; sent < due && !stop.stop_requested(); ++sent) {
                const auto change = m_simulator.next();
                body.clear();
                sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs, body);
                const QByteArray webhookId = m_simulator.newWebhookId();
                const QByteArray triggeredAt = formatIsoTime(change.atMs);
                const QByteArray &shop = change.shop->domain;
                const std::vector<KafkaHeader> headers{
                    {"X-Shopify-Topic", "products/update"},
                    {"X-Shopify-Shop-Domain", {shop.constData(), size_t(shop.size())}},
                    {"X-Shopify-Webhook-Id", {webhookId.constData(), size_t(webhookId.size())}},
                    {"X-Shopify-Triggered-At", {triggeredAt.constData(), size_t(triggeredAt.size())}},
                    {"X-Shopify-API-Version", "2026-10"}};
                Status s = m_producer.produce(kTopic, {shop.constData(), size_t(shop.size())},
                                              {body.constData(), size_t(body.size())}, headers);
                if (!s)
                    std::fprintf(stderr, "demo: %s\n", qPrintable(s.error()));
                else
                    ++m_produced;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    KafkaProducer &m_producer;
    sim::Catalog m_catalog;
    sim::SalesSimulator m_simulator;
    int m_rate;
    std::atomic<qint64> m_produced{0};
    std::jthread m_thread;
};

QString minutesFromNow(qint64 ms)
{
    const qint64 minutes = std::max<qint64>(0, (ms + 30000) / 60000);
    if (minutes < 1)
        return QStringLiteral("under a minute");
    return minutes < 60 ? QStringLiteral("%1 min").arg(minutes)
                        : QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

// Prints the live figures once a second, on the consumer thread.
class DemoHandler final : public ConsumerHandler {
public:
    explicit DemoHandler(Analyzer &analyzer)
        : m_analyzer(analyzer)
    {
        m_clock.start();
        m_lastPrint.start();
    }

    void onMessages(const std::vector<RawMessage> &batch) override
    {
        for (const RawMessage &message : batch) {
            m_analyzer.process(message, m_alerts);
            m_alertCount += qint64(m_alerts.size());
            m_alerts.clear();
        }
    }
    void onDataLost(const QString &description) override { std::printf("data lost: %s\n", qPrintable(description)); }
    void onIdle() override
    {
        if (m_lastPrint.elapsed() < 1000)
            return;
        const double seconds = m_lastPrint.restart() / 1000.0;
        const qint64 accepted = m_analyzer.accepted();
        const double perSecond = (accepted - m_lastAccepted) / seconds;
        m_lastAccepted = accepted;

        int sellingOut = 0, soldOut = 0, low = 0;
        std::vector<ProductSnapshot> soonest;
        for (ProductSnapshot &s : m_analyzer.snapshots()) {
            switch (s.status) {
            case ProductStatus::SellingOut:
                ++sellingOut;
                soonest.push_back(std::move(s));
                break;
            case ProductStatus::SoldOut: ++soldOut; break;
            case ProductStatus::Low: ++low; break;
            default: break;
            }
        }
        const qint64 now = m_analyzer.engine().watermarkMs();
        const QString simTime =
            accepted == 0
                ? QStringLiteral("--- --:--")
                : QDateTime::fromMSecsSinceEpoch(now, QTimeZone(-5 * 3600)).toString(QStringLiteral("ddd HH:mm"));
        std::printf("[%4llds] %s EST | %lld events (%.0f/s) | %zu products: %d selling out, %d sold out, %d low | %lld "
                    "alerts\n",
                    static_cast<long long>(m_clock.elapsed() / 1000), qPrintable(simTime),
                    static_cast<long long>(accepted), perSecond, m_analyzer.engine().size(), sellingOut, soldOut, low,
                    static_cast<long long>(m_alertCount));
        if (++m_ticks % 5 == 0 && !soonest.empty()) {
            std::sort(soonest.begin(), soonest.end(),
                      [](const ProductSnapshot &a, const ProductSnapshot &b) { return a.selloutAtMs < b.selloutAtMs; });
            std::printf("        soonest to sell out:\n");
            for (size_t i = 0; i < std::min<size_t>(5, soonest.size()); ++i) {
                const ProductSnapshot &s = soonest[i];
                std::printf("          %-28s %-34s %4lld left  %5.0f/h  out in %s\n", s.title.left(28).constData(),
                            s.shop.constData(), static_cast<long long>(s.quantity), s.ratePerHour.value_or(0),
                            qPrintable(minutesFromNow(*s.selloutAtMs - now)));
            }
        }
        std::fflush(stdout);
    }

private:
    Analyzer &m_analyzer;
    std::vector<Alert> m_alerts;
    QElapsedTimer m_clock;
    QElapsedTimer m_lastPrint;
    qint64 m_lastAccepted = 0;
    qint64 m_alertCount = 0;
    int m_ticks = 0;
};

} // namespace

int runDemo(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop after this many seconds (default: run until Ctrl+C)."),
                                      QStringLiteral("SECONDS"), QStringLiteral("0"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Webhooks per second (default 300)."),
                                  QStringLiteral("N"), QStringLiteral("300"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the synthetic shops (default 1)."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    parser.addOptions({duration, rate, seed});
    const int parsed = parseCommandLine(
        parser, arguments, QStringLiteral("demo [--duration SECONDS] [--rate N] [--seed N]"),
        QStringLiteral("Start the embedded Kafka cluster, feed it a time-compressed Black Friday (an hour of sales "
                       "a minute) of Shopify products/update webhooks, analyse the stream and print live figures: "
                       "events per second, products selling out, sold out and low, and the soonest sell-outs."));
    if (parsed >= 0)
        return parsed;
    KafkaProperties properties;
    int exitCode = 0;
    if (!kafkaProperties(parser, properties, exitCode))
        return exitCode;
    bool ok1 = false, ok2 = false, ok3 = false;
    const int seconds = parser.value(duration).toInt(&ok1);
    const int eventsPerSecond = parser.value(rate).toInt(&ok2);
    const quint64 seedValue = parser.value(seed).toULongLong(&ok3);
    if (!ok1 || seconds < 0)
        return fail(kExitUsageError,
                    QStringLiteral("--duration ") % parser.value(duration) % QStringLiteral(": expected seconds"));
    if (!ok2 || eventsPerSecond < 1 || eventsPerSecond > 1000000)
        return fail(kExitUsageError,
                    QStringLiteral("--rate ") % parser.value(rate) % QStringLiteral(": expected 1 to 1000000"));
    if (!ok3)
        return fail(kExitUsageError,
                    QStringLiteral("--seed ") % parser.value(seed) % QStringLiteral(": expected a number"));

    auto cluster = EmbeddedCluster::start(1, {{QString::fromLatin1(kTopic), kPartitions}});
    if (!cluster)
        return fail(kExitRuntimeError, cluster.error());
    const QString bootstrap = (*cluster)->bootstrapServers();
    std::printf(
        "Embedded Kafka cluster at %s, topic %s (%d partitions); Ctrl+C to stop.\n"
        "Feeding it Black Friday at %d webhooks/s, an hour of sales every minute. Try: kcat -b %s -C -t %s -o -1 -e\n",
        qPrintable(bootstrap), kTopic, kPartitions, eventsPerSecond, qPrintable(bootstrap), kTopic);
    std::fflush(stdout);

    auto producer = KafkaProducer::create(bootstrap, properties);
    if (!producer)
        return fail(kExitRuntimeError, producer.error());
    Analyzer analyzer;
    DemoHandler handler(analyzer);
    ConsumerOptions options;
    options.bootstrapServers = bootstrap;
    options.topic = QString::fromLatin1(kTopic);
    options.properties = properties;
    KafkaConsumer consumer(options, handler);
    consumer.setFinishedCallback(
        [] { QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection); });
    if (Status s = consumer.start(); !s)
        return fail(kExitRuntimeError, s.error());
    DemoFeeder feeder(**producer, eventsPerSecond, seedValue);
    feeder.start();

    SignalWatcher watcher([](int) { QCoreApplication::quit(); });
    if (seconds > 0)
        QTimer::singleShot(seconds * 1000, qApp, &QCoreApplication::quit);
    QCoreApplication::exec();

    // Shut down in reverse order of start-up.
    feeder.stop();
    consumer.requestStop();
    consumer.wait();
    producer->reset();
    if (const QString error = consumer.fatalError(); !error.isEmpty())
        return fail(kExitRuntimeError, error);
    std::printf("demo: produced %lld webhooks; %s\n", static_cast<long long>(feeder.produced()),
                qPrintable(analyzer.summary()));
    return kExitOk;
}

} // namespace peakwatch::cli
