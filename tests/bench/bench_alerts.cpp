// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Alert delivery at Black Friday burst sizes, through the real outbox, dispatcher and Kafka sinks.
//
//  1. Recording a burst: AlertDispatcher::submit() of 1, 100, 1,000 and 10,000 alerts into a fresh outbox
//     with two Kafka sinks (two delivery rows per alert): what the desktop's "alert delivery" thread spends
//     recording a burst (AlertWorker, at most 500 alerts a turn). Peer: the same rows written with plain prepared
//     QSqlQuery INSERTs in one transaction into a file with the outbox's own schema and pragmas, the floor of what
//     SQLite through QtSql can do.
//  2. End to end: 20,000 alerts submitted in bursts of 500 until the outbox shows every one delivered to the
//     embedded cluster's alerts topic. Peer: kcat -P producing the same 20,000 records, with the same keys,
//     from a file to another topic of the same cluster.
//
// The machine is shared and absolute times drift, so each figure comes with the ratio to its peer measured in
// the same run, the two sides taking turns to go first; best and median of N runs each.
#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "catalog.h"
#include "embedded_cluster.h"
#include "kafka_alert_sink.h"
#include "product_snapshot.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringBuilder>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <memory>
#include <vector>

using namespace peakwatch;

namespace {

const QString kAlertsTopic = QStringLiteral("alerts");
const QString kSecondTopic = QStringLiteral("alerts-audit");
const QString kKcatTopic = QStringLiteral("alerts-kcat");
constexpr qint64 kBlackFridayMs = 1795755600000; // 2026-11-27T05:00:00Z
constexpr qint64 kLowStock = 10;                 // the default low_stock threshold

// As AlertOutbox::open sets them on its connection.
const char *const kOutboxPragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                      "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"};

// ---------------------------------------------------------------------------------------------------
// Alerts as the rules fire them: stable ids, the rules' message texts, products of a simulated catalogue

QString minutesText(qint64 ms)
{
    const qint64 minutes = (ms + 30 * 1000) / (60 * 1000);
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(std::max<qint64>(minutes, 0));
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

class AlertFactory final {
public:
    AlertFactory()
        : m_catalog(sim::Catalog::generate({.shops = 10, .productsPerShop = 2000, .seed = 20261127}))
    {}

    // Alerts number first .. first + count - 1: each its own product, rule and event time, so every id differs.
    std::vector<Alert> make(qint64 first, qint64 count) const
    {
        std::vector<Alert> alerts;
        alerts.reserve(size_t(count));
        const auto &shops = m_catalog.shops();
        for (qint64 k = first; k < first + count; ++k) {
            const sim::SimShop &shop = shops[size_t(k) % shops.size()];
            const sim::SimProduct &product = shop.products[size_t(k / qint64(shops.size())) % shop.products.size()];
            const QString title = QString::fromUtf8(product.title);
            Alert a;
            a.shop = shop.domain;
            a.productId = product.id;
            a.title = product.title;
            a.atMs = kBlackFridayMs + k * 37; // a distinct event time per alert
            const qint64 rate = 20 + (k * 7919) % 380;
            // Selling out 40 %, low stock 30 %, sold out 20 %, restocked 10 %, in every shop.
            switch ((k / 10 + 3 * k) % 10) {
            case 0:
            case 1:
            case 2:
            case 3: {
                // Within the 2 h horizon: at most 60 left, selling at least 60 an hour.
                const qint64 fast = 60 + (k * 7919) % 340;
                a.rule = AlertRule::SellingOut;
                a.quantity = kLowStock + 1 + (k * 31) % 50;
                a.ratePerHour = double(fast) + 0.25;
                a.selloutAtMs = a.atMs + a.quantity * 3600 * 1000 / fast;
                a.message = title % QStringLiteral(" will sell out in about ") % minutesText(*a.selloutAtMs - a.atMs) %
                            QStringLiteral(" (%1 left, selling %2 an hour)").arg(a.quantity).arg(fast);
                break;
            }
            case 4:
            case 5:
            case 6:
                a.rule = AlertRule::LowStock;
                a.quantity = 1 + k % kLowStock;
                a.ratePerHour = double(rate) + 0.5;
                a.selloutAtMs = a.atMs + a.quantity * 3600 * 1000 / rate;
                a.message =
                    title % QStringLiteral(" is low on stock: %1 left (threshold %2)").arg(a.quantity).arg(kLowStock);
                break;
            case 7:
            case 8:
                a.rule = AlertRule::SoldOut;
                a.quantity = 0;
                a.ratePerHour = double(rate);
                a.selloutAtMs = a.atMs;
                a.message = title % QStringLiteral(" sold out");
                break;
            default:
                a.rule = AlertRule::Restocked;
                a.quantity = 50 + (k * 13) % 350;
                a.message = title % QStringLiteral(" restocked: %1 in stock (was %2)").arg(a.quantity).arg(k % 5);
                break;
            }
            a.id = alertId({}, a.rule, a.shop, a.productId, a.atMs);
            alerts.push_back(std::move(a));
        }
        return alerts;
    }

private:
    sim::Catalog m_catalog;
};

// ---------------------------------------------------------------------------------------------------
// Figures

struct Figures {
    double best = 0;
    double median = 0;
};

Figures figuresOf(std::vector<double> values)
{
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return {values.front(), n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2};
}

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Wall and CPU time of one side's run, in milliseconds; CPU time drifts less with other work on the machine.
struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

// Lets new producers finish starting up (connections, the idempotent producer's id) before anything is timed,
// as in the application, where the sinks are set up long before a burst.
void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

// ---------------------------------------------------------------------------------------------------
// 1. Recording a burst

std::unique_ptr<KafkaAlertSink> kafkaSink(const QString &bootstrap, const QString &topic)
{
    auto sink = KafkaAlertSink::create(bootstrap, topic);
    if (!sink)
        qFatal("cannot create the Kafka alert sink for %s: %s", qPrintable(topic), qPrintable(sink.error()));
    return std::move(*sink);
}

// submit() of the burst into a fresh outbox with two Kafka sinks; milliseconds.
Timing submitBurst(const QString &path, const QString &bootstrap, const std::vector<Alert> &alerts)
{
    Timing timing;
    {
        auto outbox = AlertOutbox::open(path);
        if (!outbox)
            qFatal("%s", qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        dispatcher.addSink(kafkaSink(bootstrap, kAlertsTopic));
        dispatcher.addSink(kafkaSink(bootstrap, kSecondTopic));
        settle(200); // and the sinks' first pump: nothing pending yet

        QElapsedTimer clock;
        const double cpuStart = threadCpuMs();
        clock.start();
        const auto added = dispatcher.submit(alerts);
        timing = {msSince(clock), threadCpuMs() - cpuStart};

        if (!added)
            qFatal("submit failed: %s", qPrintable(added.error()));
        if (added->size() != alerts.size())
            qFatal("submit recorded %zu of %zu alerts as new", added->size(), alerts.size());
        for (const auto &state : dispatcher.sinkStates())
            if (state.counts.pending != qint64(alerts.size()))
                qFatal("%s has %lld pending deliveries, expected %zu", qPrintable(state.name),
                       static_cast<long long>(state.counts.pending), alerts.size());
        // The dispatcher goes before anything is sent: this part times the recording only.
    }
    removeDatabaseFiles(path);
    return timing;
}

// The outbox's schema, read from a file AlertOutbox::open created, so that the floor writes the same tables.
QStringList outboxSchema(const QString &path)
{
    QStringList schema;
    {
        auto outbox = AlertOutbox::open(path);
        if (!outbox)
            qFatal("%s", qPrintable(outbox.error()));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-schema"));
        db.setDatabaseName(path);
        if (!db.open())
            qFatal("cannot open %s: %s", qPrintable(path), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")))
            qFatal("cannot read the outbox schema: %s", qPrintable(q.lastError().text()));
        while (q.next())
            schema << q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-schema"));
    removeDatabaseFiles(path);
    if (schema.size() < 3)
        qFatal("the outbox schema has %lld statements", static_cast<long long>(schema.size()));
    return schema;
}

// The same rows (each alert, and a pending delivery of it to each sink) with plain prepared INSERTs in one
// transaction; milliseconds.
Timing writeFloor(const QString &path, const QStringList &schema, const std::vector<Alert> &alerts,
                  const QStringList &sinks)
{
    static int opened = 0;
    const QString connection = QStringLiteral("bench-floor-%1").arg(++opened);
    Timing timing;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open())
            qFatal("cannot open %s: %s", qPrintable(path), qPrintable(db.lastError().text()));
        QSqlQuery setup(db);
        for (const char *pragma : kOutboxPragmas)
            if (!setup.exec(QString::fromLatin1(pragma)))
                qFatal("%s: %s", pragma, qPrintable(setup.lastError().text()));
        if (!setup.exec(QStringLiteral("PRAGMA journal_mode")) || !setup.next() ||
            setup.value(0).toString() != QLatin1String("wal"))
            qFatal("the floor's database is not in WAL mode");
        for (const QString &statement : schema)
            if (!setup.exec(statement))
                qFatal("%s: %s", qPrintable(statement), qPrintable(setup.lastError().text()));
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        settle(200); // as the submit side waits for its sinks: both write after the same pause

        QElapsedTimer clock;
        const double cpuStart = threadCpuMs();
        clock.start();
        if (!db.transaction())
            qFatal("cannot begin: %s", qPrintable(db.lastError().text()));
        QSqlQuery alert(db);
        alert.prepare(QStringLiteral("INSERT INTO alerts(id, rule, shop, product_id, title, quantity, rate_per_hour, "
                                     "sellout_at, at, message, fired_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
        QSqlQuery delivery(db);
        delivery.prepare(QStringLiteral("INSERT INTO deliveries(alert_id, sink, due_at) VALUES (?,?,?)"));
        for (const Alert &a : alerts) {
            const QString id = QString::fromUtf8(a.id);
            alert.addBindValue(id);
            alert.addBindValue(alertRuleName(a.rule));
            alert.addBindValue(QString::fromUtf8(a.shop));
            alert.addBindValue(a.productId);
            alert.addBindValue(QString::fromUtf8(a.title));
            alert.addBindValue(a.quantity);
            alert.addBindValue(a.ratePerHour ? QVariant(*a.ratePerHour) : QVariant(QMetaType::fromType<double>()));
            alert.addBindValue(a.selloutAtMs ? QVariant(*a.selloutAtMs) : QVariant(QMetaType::fromType<qint64>()));
            alert.addBindValue(a.atMs);
            alert.addBindValue(a.message);
            alert.addBindValue(nowMs);
            if (!alert.exec())
                qFatal("insert: %s", qPrintable(alert.lastError().text()));
            for (const QString &sink : sinks) {
                delivery.addBindValue(id);
                delivery.addBindValue(sink);
                delivery.addBindValue(nowMs);
                if (!delivery.exec())
                    qFatal("insert: %s", qPrintable(delivery.lastError().text()));
            }
        }
        if (!db.commit())
            qFatal("cannot commit: %s", qPrintable(db.lastError().text()));
        timing = {msSince(clock), threadCpuMs() - cpuStart};

        QSqlQuery check(db);
        if (!check.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM alerts), (SELECT COUNT(*) FROM deliveries)")) ||
            !check.next() || check.value(0).toLongLong() != qint64(alerts.size()) ||
            check.value(1).toLongLong() != qint64(alerts.size()) * sinks.size())
            qFatal("the floor did not write every row");
    }
    QSqlDatabase::removeDatabase(connection);
    removeDatabaseFiles(path);
    return timing;
}

// ---------------------------------------------------------------------------------------------------
// 2. End to end

// Times each event the main thread handles at the top level, apart from those sent to one object (the feeder that
// submits the bursts): what the dispatcher and its sink do on the thread between submits.
class TimedApplication final : public QCoreApplication {
public:
    using QCoreApplication::QCoreApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!m_timing || m_depth > 0 || QThread::currentThread() != thread())
            return QCoreApplication::notify(receiver, event);
        ++m_depth;
        QElapsedTimer clock;
        clock.start();
        const bool handled = QCoreApplication::notify(receiver, event);
        --m_depth;
        if (receiver != m_excluded)
            m_longestMs = std::max(m_longestMs, msSince(clock));
        return handled;
    }
    void startTiming(const QObject *excluded)
    {
        m_excluded = excluded;
        m_longestMs = 0;
        m_timing = true;
    }
    double stopTiming()
    {
        m_timing = false;
        return m_longestMs;
    }

private:
    bool m_timing = false;
    int m_depth = 0;
    const QObject *m_excluded = nullptr;
    double m_longestMs = 0;
};

struct DeliveryRun {
    double seconds = 0;
    double medianSubmitMs = 0;  // of one burst
    double longestSubmitMs = 0; // of one burst
    double longestEventMs = 0;  // the dispatcher's and the sink's work in one event, between submits
    qint64 longestStallMs = 0;  // the thread's longest gap beyond a 5 ms timer's period, from first submit to done
};

// Submits the bursts one per event-loop turn (the dispatcher works in between, as between the desktop's batches)
// and runs the loop until the outbox shows every alert delivered to the alerts topic.
DeliveryRun deliverAll(const QString &path, const QString &bootstrap, const std::vector<std::vector<Alert>> &bursts,
                       qint64 total)
{
    DeliveryRun run;
    {
        auto outbox = AlertOutbox::open(path);
        if (!outbox)
            qFatal("%s", qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        auto sink = kafkaSink(bootstrap, kAlertsTopic);
        const QString name = sink->name();
        dispatcher.addSink(std::move(sink));
        settle(200);

        QEventLoop loop;
        qint64 delivered = 0;
        int retries = 0;
        QObject::connect(&dispatcher, &AlertDispatcher::delivered, &loop, [&](const QString &, int alerts) {
            delivered += alerts;
            if (delivered >= total)
                loop.quit();
        });
        QObject::connect(&dispatcher, &AlertDispatcher::retrying, &loop, [&] { ++retries; });
        QObject::connect(&dispatcher, &AlertDispatcher::sinkFailed, &loop, [&](const QString &, const QString &error) {
            qFatal("the alerts topic refused alerts: %s", qPrintable(error));
        });

        QElapsedTimer clock;
        size_t next = 0;
        std::vector<double> submitMs;
        QTimer feeder;
        QObject::connect(&feeder, &QTimer::timeout, &loop, [&] {
            if (next >= bursts.size()) {
                feeder.stop();
                return;
            }
            QElapsedTimer t;
            t.start();
            const auto added = dispatcher.submit(bursts[next++]);
            submitMs.push_back(msSince(t));
            if (!added)
                qFatal("submit failed: %s", qPrintable(added.error()));
        });
        qint64 lastTick = 0;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        QObject::connect(&probe, &QTimer::timeout, &loop, [&] {
            const qint64 now = clock.elapsed();
            run.longestStallMs = std::max(run.longestStallMs, now - lastTick - 5);
            lastTick = now;
        });
        bool timedOut = false;
        QTimer::singleShot(120000, &loop, [&] {
            timedOut = true;
            loop.quit();
        });

        auto *app = static_cast<TimedApplication *>(QCoreApplication::instance());
        app->startTiming(&feeder);
        clock.start();
        feeder.start(0);
        probe.start(5);
        loop.exec();
        QElapsedTimer settling;
        settling.start();
        while (!timedOut && !dispatcher.settled() && settling.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
        run.seconds = double(clock.nsecsElapsed()) / 1e9;
        run.longestEventMs = app->stopTiming();
        probe.stop();
        run.medianSubmitMs = figuresOf(submitMs).median;
        run.longestSubmitMs = submitMs.empty() ? 0 : *std::max_element(submitMs.begin(), submitMs.end());

        const AlertOutbox::SinkCounts counts = (*outbox)->counts(name);
        if (timedOut || counts.pending != 0 || counts.delivered != total || counts.failed != 0)
            qFatal("after %.1f s: %lld pending, %lld delivered, %lld failed of %lld (%d retries; %s)", run.seconds,
                   static_cast<long long>(counts.pending), static_cast<long long>(counts.delivered),
                   static_cast<long long>(counts.failed), static_cast<long long>(total), retries,
                   qPrintable(counts.lastError));
    }
    removeDatabaseFiles(path);
    return run;
}

// key<TAB>alert record, one a line, as kcat -P -K '\t' reads them.
void writeKcatInput(const QString &path, const std::vector<Alert> &alerts)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s: %s", qPrintable(path), qPrintable(file.errorString()));
    QByteArray out;
    for (const Alert &a : alerts) {
        const QByteArray record = alertRecord(a);
        if (record.contains('\n') || record.contains('\t'))
            qFatal("an alert record holds a tab or a newline: %s", record.constData());
        out += productRecordKey(a.shop, a.productId) + '\t' + record + '\n';
    }
    if (file.write(out) != out.size())
        qFatal("cannot write %s: %s", qPrintable(path), qPrintable(file.errorString()));
}

// Wall seconds of kcat -P from start to exit (it exits once the cluster acknowledged everything).
double runKcat(const QString &kcat, const QString &bootstrap, const QString &input)
{
    // The sink's producer settings; one header of the same name and size on every record (kcat -H sets one
    // value for all lines, the sink sends each alert's id).
    const QStringList args = {QStringLiteral("-P"),
                              QStringLiteral("-b"),
                              bootstrap,
                              QStringLiteral("-t"),
                              kKcatTopic,
                              QStringLiteral("-K"),
                              QStringLiteral("\t"),
                              QStringLiteral("-H"),
                              QStringLiteral("peakwatch-alert-id=0123456789abcdef01234567"),
                              QStringLiteral("-X"),
                              QStringLiteral("enable.idempotence=true"),
                              QStringLiteral("-X"),
                              QStringLiteral("linger.ms=5"),
                              QStringLiteral("-X"),
                              QStringLiteral("message.timeout.ms=30000"),
                              QStringLiteral("-l"),
                              input};
    QProcess producer;
    QElapsedTimer clock;
    clock.start();
    producer.start(kcat, args);
    if (!producer.waitForFinished(120000) || producer.exitStatus() != QProcess::NormalExit || producer.exitCode() != 0)
        qFatal("kcat -P failed: %s", producer.readAllStandardError().constData());
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const QByteArray err = producer.readAllStandardError();
    if (err.contains("Delivery failed") || err.contains("Failed to produce"))
        qFatal("kcat -P reported: %s", err.constData());
    return seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    TimedApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_alerts"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Alert delivery at Black Friday burst sizes: AlertDispatcher::submit() against plain QSqlQuery "
                       "INSERTs, and end to end to Kafka against kcat -P."));
    parser.addHelpOption();
    const QCommandLineOption burstsOption(QStringLiteral("bursts"),
                                          QStringLiteral("Burst sizes to record (default 1,100,1000,10000)."),
                                          QStringLiteral("N,N,..."), QStringLiteral("1,100,1000,10000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Runs of each side and measurement (default 5)."),
                                        QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption e2eOption(QStringLiteral("e2e-alerts"),
                                       QStringLiteral("Alerts delivered end to end (default 20000; 0 skips it)."),
                                       QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption e2eBurstOption(QStringLiteral("e2e-burst"),
                                            QStringLiteral("Alerts per submit end to end (default 500)."),
                                            QStringLiteral("N"), QStringLiteral("500"));
    const QCommandLineOption workdirOption(
        QStringLiteral("workdir"),
        QStringLiteral("Where the outbox files go (default: a temporary directory, removed at the end)."),
        QStringLiteral("DIR"));
    parser.addOptions({burstsOption, runsOption, e2eOption, e2eBurstOption, workdirOption});
    parser.process(app);

    std::vector<qint64> burstSizes;
    for (const QString &text : parser.value(burstsOption).split(u',', Qt::SkipEmptyParts))
        if (const qint64 n = text.toLongLong(); n > 0)
            burstSizes.push_back(n);
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const qint64 e2eAlerts = parser.value(e2eOption).toLongLong();
    const qint64 e2eBurst = parser.value(e2eBurstOption).toLongLong();
    if (burstSizes.empty() || e2eAlerts < 0 || e2eBurst <= 0) {
        std::fprintf(stderr, "bench_alerts: --bursts, --e2e-alerts and --e2e-burst must be positive\n");
        return 2;
    }

    QTemporaryDir tempDir;
    QString workdir = parser.value(workdirOption);
    if (workdir.isEmpty()) {
        if (!tempDir.isValid())
            qFatal("cannot create a temporary directory");
        workdir = tempDir.path();
    } else if (!QDir().mkpath(workdir)) {
        qFatal("cannot create %s", qPrintable(workdir));
    }
    const QDir dir(workdir);

    auto cluster = EmbeddedCluster::start(1, {{kAlertsTopic, 6}, {kSecondTopic, 6}, {kKcatTopic, 6}});
    if (!cluster)
        qFatal("%s", qPrintable(cluster.error()));
    const QString bootstrap = (*cluster)->bootstrapServers();
    const AlertFactory factory;
    const QStringList schema = outboxSchema(dir.filePath(QStringLiteral("schema.sqlite")));
    const QStringList sinkNames = {QStringLiteral("kafka:") + kAlertsTopic, QStringLiteral("kafka:") + kSecondTopic};

    std::printf("embedded cluster: 1 broker, %s; outbox files in %s\n", qPrintable(bootstrap), qPrintable(workdir));
    std::printf("recording bursts: AlertDispatcher::submit() with 2 Kafka sinks, next to plain QSqlQuery INSERTs "
                "(%d runs each, alternating)\n",
                runs);
    std::fflush(stdout);

    struct BurstResult {
        qint64 size = 0;
        Figures ours, floor, oursCpu, floorCpu;
    };
    std::vector<BurstResult> burstResults;
    int file = 0;
    for (const qint64 size : burstSizes) {
        const std::vector<Alert> alerts = factory.make(0, size);
        std::vector<double> ours, floor, oursCpu, floorCpu;
        const auto add = [](std::vector<double> &wall, std::vector<double> &cpu, const Timing &t) {
            wall.push_back(t.wallMs);
            cpu.push_back(t.cpuMs);
        };
        for (int i = 0; i < runs; ++i) {
            const QString oursPath = dir.filePath(QStringLiteral("outbox-%1.sqlite").arg(++file));
            const QString floorPath = dir.filePath(QStringLiteral("floor-%1.sqlite").arg(file));
            const bool oursFirst = i % 2 == 0;
            if (oursFirst)
                add(ours, oursCpu, submitBurst(oursPath, bootstrap, alerts));
            add(floor, floorCpu, writeFloor(floorPath, schema, alerts, sinkNames));
            if (!oursFirst)
                add(ours, oursCpu, submitBurst(oursPath, bootstrap, alerts));
            std::printf("  burst %6lld, run %d (%s first): submit %9.3f ms (cpu %9.3f), plain INSERTs %9.3f ms "
                        "(cpu %9.3f)\n",
                        static_cast<long long>(size), i + 1, oursFirst ? "submit" : "INSERTs", ours.back(),
                        oursCpu.back(), floor.back(), floorCpu.back());
            std::fflush(stdout);
        }
        burstResults.push_back({size, figuresOf(ours), figuresOf(floor), figuresOf(oursCpu), figuresOf(floorCpu)});
    }

    Figures oursSeconds, kcatSeconds;
    DeliveryRun worst;
    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (e2eAlerts > 0) {
        std::printf("end to end: %lld alerts in bursts of %lld to topic %s, next to kcat -P of the same records to "
                    "%s (%d runs each, alternating)\n",
                    static_cast<long long>(e2eAlerts), static_cast<long long>(e2eBurst), qPrintable(kAlertsTopic),
                    qPrintable(kKcatTopic), runs);
        std::fflush(stdout);
        const std::vector<Alert> alerts = factory.make(1000000, e2eAlerts);
        std::vector<std::vector<Alert>> bursts;
        for (qint64 i = 0; i < e2eAlerts; i += e2eBurst)
            bursts.emplace_back(alerts.begin() + i, alerts.begin() + std::min(i + e2eBurst, e2eAlerts));
        const QString input = dir.filePath(QStringLiteral("alerts.tsv"));
        writeKcatInput(input, alerts);
        if (kcat.isEmpty())
            std::printf("  kcat is not on the PATH: no peer for this part\n");

        std::vector<double> ours, peer, submitMedians;
        for (int i = 0; i < runs; ++i) {
            const QString path = dir.filePath(QStringLiteral("e2e-%1.sqlite").arg(i + 1));
            const bool oursFirst = i % 2 == 0;
            if (!oursFirst && !kcat.isEmpty())
                peer.push_back(runKcat(kcat, bootstrap, input));
            const DeliveryRun run = deliverAll(path, bootstrap, bursts, e2eAlerts);
            ours.push_back(run.seconds);
            submitMedians.push_back(run.medianSubmitMs);
            worst.longestSubmitMs = std::max(worst.longestSubmitMs, run.longestSubmitMs);
            worst.longestEventMs = std::max(worst.longestEventMs, run.longestEventMs);
            worst.longestStallMs = std::max(worst.longestStallMs, run.longestStallMs);
            if (oursFirst && !kcat.isEmpty())
                peer.push_back(runKcat(kcat, bootstrap, input));
            std::printf("  run %d (%s first): dispatcher %.3f s (submit of %lld: median %.1f ms, longest %.1f ms; "
                        "longest delivery event %.1f ms; longest stall of the thread %lld ms), kcat -P %.3f s\n",
                        i + 1, oursFirst ? "dispatcher" : "kcat", run.seconds, static_cast<long long>(e2eBurst),
                        run.medianSubmitMs, run.longestSubmitMs, run.longestEventMs,
                        static_cast<long long>(run.longestStallMs), peer.empty() ? 0.0 : peer.back());
            std::fflush(stdout);
        }
        QFile::remove(input);
        oursSeconds = figuresOf(ours);
        kcatSeconds = figuresOf(peer);
        worst.medianSubmitMs = figuresOf(submitMedians).median;
    }

    std::printf("\nRecording a burst (submit: outbox rows for 2 sinks, committed), best / median of %d:\n", runs);
    std::printf("  %8s %22s %10s %10s %22s %10s %15s %9s\n", "alerts", "submit ms", "cpu ms", "alerts/s",
                "plain INSERTs ms", "cpu ms", "ratio", "cpu ratio");
    for (const BurstResult &r : burstResults)
        std::printf("  %8lld %10.3f / %9.3f %10.3f %10.0f %10.3f / %9.3f %10.3f %7.2f / %5.2f %9.2f\n",
                    static_cast<long long>(r.size), r.ours.best, r.ours.median, r.oursCpu.median,
                    double(r.size) / r.ours.median * 1000, r.floor.best, r.floor.median, r.floorCpu.median,
                    r.ours.best / r.floor.best, r.ours.median / r.floor.median, r.oursCpu.median / r.floorCpu.median);
    std::printf("  (wall best / median; cpu: the thread's CPU time, median; alerts/s at the median wall time;\n"
                "   ratio = submit / plain INSERTs, wall best / median, and cpu median)\n");
    const auto rate = [&](double seconds) { return seconds > 0 ? double(e2eAlerts) / seconds : 0.0; };
    if (e2eAlerts > 0) {
        std::printf("\nEnd to end, %lld alerts in bursts of %lld, best / median of %d:\n",
                    static_cast<long long>(e2eAlerts), static_cast<long long>(e2eBurst), runs);
        std::printf(
            "  dispatcher to Kafka, until the outbox shows all delivered: %.3f / %.3f s, %.0f / %.0f alerts/s\n",
            oursSeconds.best, oursSeconds.median, rate(oursSeconds.best), rate(oursSeconds.median));
        std::printf(
            "  on the thread: submit of %lld, median %.1f ms, longest %.1f ms; the dispatcher's and sink's work "
            "in one event, longest %.1f ms; longest stall (5 ms timer) %lld ms\n",
            static_cast<long long>(e2eBurst), worst.medianSubmitMs, worst.longestSubmitMs, worst.longestEventMs,
            static_cast<long long>(worst.longestStallMs));
        if (kcatSeconds.best > 0)
            std::printf("  kcat -P, same records, same cluster: %.3f / %.3f s, %.0f / %.0f records/s; ratio "
                        "dispatcher / kcat (alerts/s): %.2f / %.2f\n",
                        kcatSeconds.best, kcatSeconds.median, rate(kcatSeconds.best), rate(kcatSeconds.median),
                        kcatSeconds.best / oursSeconds.best, kcatSeconds.median / oursSeconds.median);
    }
    std::printf("\n");

    // Machine-readable: one "BENCH name value" line each.
    for (const BurstResult &r : burstResults) {
        const long long n = static_cast<long long>(r.size);
        std::printf("BENCH submit_%lld_ms_best %.3f\n", n, r.ours.best);
        std::printf("BENCH submit_%lld_ms_median %.3f\n", n, r.ours.median);
        std::printf("BENCH submit_%lld_cpu_ms_median %.3f\n", n, r.oursCpu.median);
        std::printf("BENCH submit_%lld_alerts_per_s %.0f\n", n, double(r.size) / r.ours.median * 1000);
        std::printf("BENCH inserts_%lld_ms_best %.3f\n", n, r.floor.best);
        std::printf("BENCH inserts_%lld_ms_median %.3f\n", n, r.floor.median);
        std::printf("BENCH inserts_%lld_cpu_ms_median %.3f\n", n, r.floorCpu.median);
        std::printf("BENCH ratio_submit_over_inserts_%lld_best %.2f\n", n, r.ours.best / r.floor.best);
        std::printf("BENCH ratio_submit_over_inserts_%lld_median %.2f\n", n, r.ours.median / r.floor.median);
        std::printf("BENCH ratio_submit_over_inserts_%lld_cpu_median %.2f\n", n, r.oursCpu.median / r.floorCpu.median);
    }
    if (e2eAlerts > 0) {
        std::printf("BENCH e2e_alerts_per_s_best %.0f\n", rate(oursSeconds.best));
        std::printf("BENCH e2e_alerts_per_s_median %.0f\n", rate(oursSeconds.median));
        std::printf("BENCH e2e_submit_%lld_median_ms %.1f\n", static_cast<long long>(e2eBurst), worst.medianSubmitMs);
        std::printf("BENCH e2e_longest_submit_ms %.1f\n", worst.longestSubmitMs);
        std::printf("BENCH e2e_longest_delivery_event_ms %.1f\n", worst.longestEventMs);
        std::printf("BENCH e2e_longest_stall_ms %lld\n", static_cast<long long>(worst.longestStallMs));
        if (kcatSeconds.best > 0) {
            std::printf("BENCH kcat_records_per_s_best %.0f\n", rate(kcatSeconds.best));
            std::printf("BENCH kcat_records_per_s_median %.0f\n", rate(kcatSeconds.median));
            std::printf("BENCH ratio_e2e_over_kcat_best %.2f\n", kcatSeconds.best / oursSeconds.best);
            std::printf("BENCH ratio_e2e_over_kcat_median %.2f\n", kcatSeconds.median / oursSeconds.median);
        }
    }
    return 0;
}
