// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli demo: the whole pipeline on the embedded cluster, printing live figures.
#include "cli_support.h"

#include "analyzer.h"
#include "embedded_cluster.h"
#include "iso_time.h"
#include "kafka_consumer.h"
#include "kafka_sink.h"
#include "load_run.h"
#include "run_stats.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>
#include <QElapsedTimer>
#include <QStringBuilder>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <chrono>
#include <limits>

namespace peakwatch::cli {
namespace {

constexpr char kTopic[] = "products";
constexpr int kPartitions = 6;
constexpr qint64 kDrainMs = 5000; // at most this long, at the end, for the webhooks in flight to be analysed

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
    void onDataLost(const QString &description) override
    {
        std::printf("data lost: %s\n", qPrintable(description));
        m_lostData = true;
    }
    bool lostData() const { return m_lostData.load(); }
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
    std::atomic<bool> m_lostData{false};
};

} // namespace

int runDemo(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop after this many seconds (default: run until Ctrl+C)."),
                                      QStringLiteral("SECONDS"), QStringLiteral("0"));
    const QCommandLineOption compression(QStringLiteral("time-compression"),
                                         QStringLiteral("Simulated seconds per real second (default 60: an hour of "
                                                        "sales a minute)."),
                                         QStringLiteral("X"), QStringLiteral("60"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the synthetic shops (default 1)."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    parser.addOptions({duration, compression, seed});
    const int parsed = parseCommandLine(
        parser, arguments, QStringLiteral("demo [--duration SECONDS] [--time-compression X] [--seed N]"),
        QStringLiteral("Start the embedded Kafka cluster, feed it a time-compressed Black Friday (an hour of sales "
                       "a minute, from ten to midnight: the surge, then the peak) of Shopify products/update webhooks, "
                       "analyse the stream and print live figures: "
                       "events per second, products selling out, sold out and low, and the soonest sell-outs."));
    if (parsed >= 0)
        return parsed;
    KafkaProperties properties;
    int exitCode = 0;
    if (!kafkaProperties(parser, properties, exitCode))
        return exitCode;
    qint64 seconds = 0, seedValue = 1;
    double timeCompression = 60;
    if (!integerOption(parser, duration, 0, 365LL * 86400, seconds, exitCode) ||
        !numberOption(parser, compression, 0.001, 100000, timeCompression, exitCode) ||
        !integerOption(parser, seed, 0, std::numeric_limits<qint64>::max(), seedValue, exitCode))
        return exitCode;

    auto cluster = EmbeddedCluster::start(1, {{QString::fromLatin1(kTopic), kPartitions}});
    if (!cluster)
        return fail(kExitRuntimeError, cluster.error());
    const QString bootstrap = (*cluster)->bootstrapServers();
    std::printf("Embedded Kafka cluster at %s, topic %s (%d partitions); Ctrl+C to stop.\n"
                "Feeding it Black Friday from 23:50 New York time, %g simulated seconds a second. "
                "Try: kcat -b %s -C -t %s -o -1 -e\n",
                qPrintable(bootstrap), kTopic, kPartitions, timeCompression, qPrintable(bootstrap), kTopic);
    std::fflush(stdout);

    // The simulator's Black Friday, from ten minutes before the midnight surge.
    sim::RunStats stats;
    auto sink = sim::KafkaSink::create(bootstrap, QString::fromLatin1(kTopic), stats, properties);
    if (!sink)
        return fail(kExitRuntimeError, sink.error());
    sim::LoadRun::Options load;
    load.scenario = sim::Scenario::builtin(QStringLiteral("black-friday"))->skipped(110 * 60 * 1000);
    load.scenario.timeCompression = timeCompression;
    load.scenario.useShopifysTopics(); // as a shop with three locations sends its stock
    load.seed = quint64(seedValue);
    load.drainTimeoutMs = kDrainMs;
    Analyzer analyzer;
    analyzer.setMaxAheadMs(0); // the demo's own simulated timeline, on its own cluster: not bounded by today's date
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
    sim::LoadRun feeder(load, **sink, stats);
    feeder.start();

    bool fed = false; // the feeder has stopped and what it sent is acknowledged (or its wait timed out)
    QObject::connect(&feeder, &sim::LoadRun::finished, qApp, [&fed] { fed = true; });
    bool interrupted = false;
    SignalWatcher watcher([&interrupted](int) {
        interrupted = true;
        QCoreApplication::quit();
    });
    if (seconds > 0)
        QTimer::singleShot(std::chrono::seconds(seconds), qApp, &QCoreApplication::quit);
    QCoreApplication::exec();

    // Shut down in reverse order of start-up. First the webhooks in flight reach the cluster and the analysis reads
    // them (for a few seconds at most; a second Ctrl+C ends the wait), so that the last figures count the same
    // webhooks; then the consumer stops, then the producer.
    interrupted = false;
    feeder.stop();
    QElapsedTimer draining;
    draining.start();
    while (!interrupted && draining.elapsed() < kDrainMs && (!fed || consumer.consumed() < stats.acknowledgedCount()) &&
           consumer.fatalError().isEmpty()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    consumer.requestStop();
    consumer.wait();
    sink->reset(); // waits for the last acknowledgements: the produced count is final after this
    if (const QString error = consumer.fatalError(); !error.isEmpty())
        return fail(kExitRuntimeError, error);
    const qint64 produced = stats.acknowledgedCount();
    QString unread;
    if (const qint64 notRead = produced - consumer.consumed(); notRead > 0)
        unread = QStringLiteral(" (%1 of them not analysed: %2)")
                     .arg(notRead)
                     .arg(handler.lostData() ? QStringLiteral("lost, as reported above, or still on their way")
                                             : QStringLiteral("still on their way when the analysis stopped"));
    std::printf("demo: produced %lld webhooks%s; %s\n", static_cast<long long>(produced), qPrintable(unread),
                qPrintable(analyzer.summary()));
    return kExitOk;
}

} // namespace peakwatch::cli
