// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The desktop at Black Friday load (issue: the desktop): the real main window, offscreen, watching the
// embedded cluster while the simulator feeds it N events/s over M products. Reports the UI thread's
// longest stall, how often the table and chart refresh, the achieved event rate, and peak memory (and its
// growth, to show it stays bounded). The peer, in the same run: the same batches applied to a plain
// QStandardItemModel behind a sorted QTableView (the usual way), timed on the same UI thread; and the
// machine's floor, a plain thread waking every 5 ms beside the window (tests/bench/wakeup_floor).
//
// Usage: bench_ui [--rate 50000] [--shops 10] [--products-per-shop 2000] [--seconds 60] [--peer-seconds N]
#include "alert_center.h"
#include "dashboard_view.h"
#include "heap_trimmer.h"
#include "live_analysis.h"
#include "main_window.h"
#include "product_table_model.h"
#include "simulator_controller.h"
#include "simulator_view.h"
#include "stock_chart.h"
#include "thread_priority.h"
#include "ui_format.h"
#include "wakeup_floor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <optional>

#include <malloc.h>
#include <fcntl.h>
#include <unistd.h>

using namespace peakwatch;

namespace {

qint64 memoryKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

// The usual way: one QStandardItem per cell, setText on every change, a sorting proxy in front.
class PlainTable {
public:
    PlainTable()
    {
        m_model.setColumnCount(ui::ProductTableModel::ColumnCount);
        m_proxy.setSourceModel(&m_model);
        m_proxy.setDynamicSortFilter(true);
        m_view.setModel(&m_proxy);
        m_view.setSortingEnabled(true);
        m_view.sortByColumn(ui::ProductTableModel::SelloutIn, Qt::AscendingOrder);
        m_view.resize(1200, 700);
        m_view.show();
    }
    void apply(const LiveBatch &batch)
    {
        for (const ProductSnapshot &s : batch.changed) {
            const auto key = qMakePair(s.shop, s.productId);
            int row = m_rows.value(key, -1);
            if (row < 0) {
                row = m_model.rowCount();
                m_rows.insert(key, row);
                QList<QStandardItem *> items;
                for (int c = 0; c < ui::ProductTableModel::ColumnCount; ++c)
                    items.append(new QStandardItem);
                m_model.appendRow(items);
            }
            const QString texts[] = {QString::fromUtf8(s.title),
                                     QString::fromUtf8(s.shop),
                                     QString::number(s.quantity),
                                     ui::changePerHour(s.ratePerHour),
                                     s.selloutAtMs ? ui::durationUntil(*s.selloutAtMs, batch.stats.watermarkMs)
                                                   : QString(),
                                     s.selloutAtMs ? ui::clockTime(*s.selloutAtMs, batch.stats.watermarkMs) : QString(),
                                     ui::priceRange(s),
                                     ui::statusLabel(s.status)};
            for (int c = 0; c < ui::ProductTableModel::ColumnCount; ++c)
                m_model.item(row, c)->setText(texts[c]);
        }
    }

private:
    QStandardItemModel m_model;
    QSortFilterProxyModel m_proxy;
    QTableView m_view;
    QHash<QPair<QByteArray, qint64>, int> m_rows;
};

// How long the calling thread has waited, in all, for a core while it was ready to run (the kernel's
// run-queue wait, /proc/thread-self/schedstat: "on-cpu-ns run-queue-wait-ns slices").
// Opened once a thread and read again from its start: opening it at every tick cost the UI thread 4 % of
// its time.
qint64 runQueueWaitNs()
{
    thread_local const int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    char text[128];
    const ssize_t n = fd >= 0 ? ::pread(fd, text, sizeof text - 1, 0) : -1;
    if (n <= 0)
        return 0;
    text[n] = '\0';
    long long onCpu = 0, waiting = 0;
    return std::sscanf(text, "%lld %lld", &onCpu, &waiting) == 2 ? waiting : 0;
}

// Times each event the UI thread handles at the top level, to name what a long stall was spent on: one long
// event, or many short ones in a row. Other threads' events pass untimed.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 && m_profiling && event->type() == QEvent::Paint && QThread::currentThread() == thread()) {
            QElapsedTimer t; // a widget's paint inside a window's repaint: which widgets the repaints cost
            t.start();
            const bool handled = QApplication::notify(receiver, event);
            QByteArray widget = QByteArray("  painting ") + receiver->metaObject()->className();
            if (receiver->parent()) // a viewport: say whose
                widget += QByteArray(" of ") + receiver->parent()->metaObject()->className();
            widget += " in " + m_outer;
            m_costs[widget].add(t.nsecsElapsed() / 1000);
            return handled;
        }
        if (m_depth > 0 || !m_tracing || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event); // m_depth is the UI thread's alone
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const int type = int(event->type());
        QByteArray what = QByteArray(receiver->metaObject()->className()) + ' ' + receiver->objectName().toUtf8();
        if (receiver->objectName().isEmpty() && receiver->parent()) // an unnamed timer: say whose it is
            what += QByteArray(" of ") + receiver->parent()->metaObject()->className() + ' ' +
                    receiver->parent()->objectName().toUtf8();
        m_outer = what + ' ' + QByteArray::number(type);
        const bool handled = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 us = t.nsecsElapsed() / 1000;
        m_busyUs += us;
        if (us >= 2000)
            m_sinceTick += what + ' ' + QByteArray::number(type) + '=' + QByteArray::number(us / 1000) + "ms ";
        if (us >= 20000)
            std::fprintf(stderr, "long event: %lld ms, %s, event type %d\n", static_cast<long long>(us / 1000),
                         what.constData(), type);
        if (m_profiling)
            m_costs[what + " type " + QByteArray::number(type)].add(us);
        return handled;
    }
    // Where the UI thread's time went while profiling: the costliest kinds of event, by their total.
    void setProfiling(bool on) { m_profiling = on && m_tracing; }
    void printProfile(double seconds) const
    {
        if (m_costs.isEmpty())
            return;
        std::vector<std::pair<QByteArray, EventCost>> costs(m_costs.keyValueBegin(), m_costs.keyValueEnd());
        std::sort(costs.begin(), costs.end(),
                  [](const auto &a, const auto &b) { return a.second.totalUs > b.second.totalUs; });
        std::fprintf(stderr, "UI thread's events by total time (ms a second, count a second, mean, longest):\n");
        for (size_t i = 0; i < std::min<size_t>(25, costs.size()); ++i) {
            const EventCost &c = costs[i].second;
            std::fprintf(stderr, "  %7.2f ms/s %7.1f/s mean %6.2f ms longest %6.1f ms  %s\n",
                         double(c.totalUs) / 1000.0 / seconds, double(c.count) / seconds,
                         double(c.totalUs) / 1000.0 / double(c.count), double(c.longestUs) / 1000.0,
                         costs[i].first.constData());
        }
    }
    // At each tick of the stall probe: what the UI thread did since the previous tick, when the gap was long.
    // Where it was not busy, the kernel's figures tell why: time waiting for a core (waitMs) and time the
    // machine's virtual cores were not running at all (steal, /proc/stat). trimMs: how long the heap trim that
    // ended in the gap took, or -1 when none did.
    void tick(qint64 gapMs, qint64 atMs, qint64 waitMs, qint64 trimMs)
    {
        if (!m_tracing)
            return;
        const qint64 stealTicks = machineStealTicks();
        if (gapMs >= 40) {
            std::fprintf(stderr, "gap %lld ms at t=%lld: busy %lld ms, waiting for a core %lld ms, steal %lld ms; %s\n",
                         static_cast<long long>(gapMs), static_cast<long long>(atMs),
                         static_cast<long long>(m_busyUs / 1000), static_cast<long long>(waitMs),
                         static_cast<long long>((stealTicks - m_stealTicks) * 1000 / sysconf(_SC_CLK_TCK)),
                         m_sinceTick.constData());
            if (trimMs >= 0)
                std::fprintf(stderr, "  a heap trim ended in this gap; it took %lld ms\n",
                             static_cast<long long>(trimMs));
        }
        m_stealTicks = stealTicks;
        m_busyUs = 0;
        m_sinceTick.clear();
    }
    void setTracing(bool on) { m_tracing = on; }

private:
    static qint64 machineStealTicks()
    {
        QFile file(QStringLiteral("/proc/stat")); // "cpu user nice system idle iowait irq softirq steal ..."
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        const QList<QByteArray> fields = file.readLine().simplified().split(' ');
        return fields.size() >= 9 ? fields[8].toLongLong() : 0;
    }

    struct EventCost {
        qint64 count = 0;
        qint64 totalUs = 0;
        qint64 longestUs = 0;
        void add(qint64 us)
        {
            ++count;
            totalUs += us;
            longestUs = std::max(longestUs, us);
        }
    };
    QHash<QByteArray, EventCost> m_costs;
    QByteArray m_outer;
    bool m_profiling = false;
    int m_depth = 0;
    bool m_tracing = false;
    qint64 m_stealTicks = 0;
    qint64 m_busyUs = 0;
    QByteArray m_sinceTick;
};

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    const bool tracing = qEnvironmentVariableIsSet("BENCH_UI_TRACE");
    app.setTracing(tracing);
    setBackgroundThreadsYield(!qEnvironmentVariableIsSet("BENCH_UI_EQUAL_THREADS")); // as the desktop does
    const bool trimHeap = !qEnvironmentVariableIsSet("BENCH_UI_NO_TRIM");            // as the desktop does
    std::optional<HeapTrimmer> trimmer;
    if (trimHeap)
        trimmer.emplace();
    QTemporaryDir workDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, workDir.path());
    QApplication::setOrganizationName(QStringLiteral("PeakwatchBench"));

    QCommandLineParser parser;
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Events per second."), QStringLiteral("N"),
                                  QStringLiteral("50000"));
    const QCommandLineOption shops(QStringLiteral("shops"), QStringLiteral("Shops."), QStringLiteral("N"),
                                   QStringLiteral("10"));
    const QCommandLineOption products(QStringLiteral("products-per-shop"), QStringLiteral("Products per shop."),
                                      QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Measured seconds of ours."),
                                     QStringLiteral("N"), QStringLiteral("60"));
    const QCommandLineOption peer(QStringLiteral("peer-seconds"),
                                  QStringLiteral("Seconds of the peer (default: a third of ours, at least 10)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({rate, shops, products, seconds, peer});
    parser.addHelpOption();
    parser.process(app);
    const double eventsPerSecond = parser.value(rate).toDouble();
    const int measuredSeconds = parser.value(seconds).toInt();
    const int peerSeconds =
        parser.value(peer).toInt() > 0 ? parser.value(peer).toInt() : std::max(10, measuredSeconds / 3);
    const qint64 warmupMs = 5000;

    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    if (Status s = window.connectTo(ui::MainWindow::embeddedName()); !s) {
        std::fprintf(stderr, "bench_ui: %s\n", qPrintable(s.error()));
        return 1;
    }
    // An endless steady peak, so that the run never ends with the scenario.
    const QString scenario = workDir.filePath(QStringLiteral("endless-peak.json"));
    QFile file(scenario);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(R"({"name": "endless-peak", "base": "black-friday", "curve": [{"at_minutes": 0,
                      "orders_per_hour": 18000}], "duration_minutes": 0, "restock_chance": 0.2})") < 0)
        return 1;
    file.close();
    ui::SimulationRequest request;
    request.scenario = scenario;
    request.bootstrapServers = window.bootstrapServers();
    request.eventsPerSecond = eventsPerSecond;
    request.shops = parser.value(shops).toInt();
    request.productsPerShop = parser.value(products).toInt();
    if (Status s = window.simulator().controller().start(request); !s) {
        std::fprintf(stderr, "bench_ui: %s\n", qPrintable(s.error()));
        return 1;
    }

    if (tracing)
        QObject::connect(&window.simulator().controller(), &ui::SimulatorController::progress, &app,
                         [](const sim::RunStats::Interval &i) {
                             std::fprintf(stderr, "simulator: sent %.0f/s acked %.0f/s p99 %.1f ms errors %lld\n",
                                          i.sentPerSecond, i.ackedPerSecond, i.p99Ms, static_cast<long long>(i.errors));
                         });
    // Two products selected, so that the chart redraws as their histories arrive.
    QTimer::singleShot(3000, &window, [&window] {
        if (qEnvironmentVariableIsSet("BENCH_UI_NO_CHART"))
            return;
        QTableView &table = window.dashboard().table();
        table.selectRow(0);
        table.selectionModel()->select(table.model()->index(1, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
    });

    // The UI thread's stalls: a 5 ms timer, and the longest gap between its ticks beyond 5 ms, per phase:
    // warm-up, ours (the main window), then the peer (a plain model fed the same stream).
    enum Phase { WarmUp, Ours, Plain, Done };
    std::atomic<int> phase{WarmUp};
    QElapsedTimer clock;
    clock.start();
    WakeupFloor floor(phase, tracing); // the machine's floor, same run
    qint64 lastTick = 0, lastWaitNs = runQueueWaitNs(), lastTrims = 0;
    LateTicks stalls;                                     // per phase: gaps between ticks beyond 5 ms
    std::array<qint64, 4> longestWaitNs{}, totalWaitNs{}; // per phase: waits for a core
    QTimer probe;
    probe.setObjectName(QStringLiteral("probe"));
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed(), waitNs = runQueueWaitNs(), trims = trimmer ? trimmer->trims() : 0;
        const size_t p = size_t(phase.load());
        if (lastTick > 0) {
            const qint64 stall = std::max<qint64>(0, now - lastTick - 5);
            stalls.record(int(p), stall);
            longestWaitNs[p] = std::max(longestWaitNs[p], waitNs - lastWaitNs);
            totalWaitNs[p] += waitNs - lastWaitNs;
            app.tick(stall, now, (waitNs - lastWaitNs) / 1000000,
                     trims != lastTrims ? trimmer->lastTrimUs() / 1000 : -1);
        }
        lastTrims = trims;
        lastTick = now;
        lastWaitNs = waitNs;
    });
    probe.start(5);

    qint64 acceptedAtStart = 0, acceptedAtPeer = 0, lastAccepted = 0, lastLag = 0, rssAtStart = 0, rssEnd = 0;
    qint64 lastHistoryPoints = 0, alertsFired = 0, oursPeakRss = 0;
    struct Heap {
        size_t inUse = 0;
        qint64 historyPoints = 0;
    } heapAtStart, heapEnd;
    const auto heapNow = [&] {
        const struct mallinfo2 m = mallinfo2();
        return Heap{m.uordblks + m.hblkhd, lastHistoryPoints};
    };
    int ourBatches = 0, chartRedraws = 0, chartProducts = 0, plainBatches = 0;
    double oursTotalMs = 0, plainTotalMs = 0;
    QTimer sample;
    sample.setObjectName(QStringLiteral("sample"));
    QObject::connect(&sample, &QTimer::timeout, &app, [&] {
        chartProducts = std::max(chartProducts, window.dashboard().chart().productCount());
        if (phase == Ours)
            oursPeakRss = std::max(oursPeakRss, memoryKiB("VmRSS:"));
        if (tracing) {
            // The heap's figure once a minute only: mallinfo2() walks every arena's free lists under their locks,
            // tens of milliseconds on this thread once the heap is fragmented.
            static int samples = 0;
            static Heap heap;
            if (samples++ % 60 == 0)
                heap = heapNow();
            std::fprintf(stderr,
                         "t=%lld phase=%d accepted=%lld lag=%lld rss=%lld KiB history points %lld alerts %lld, "
                         "waiting to be recorded %lld trims %lld (last %lld ms); heap in use %zu KiB (this minute)\n",
                         static_cast<long long>(clock.elapsed()), int(phase), static_cast<long long>(lastAccepted),
                         static_cast<long long>(lastLag), static_cast<long long>(memoryKiB("VmRSS:")),
                         static_cast<long long>(lastHistoryPoints), static_cast<long long>(alertsFired),
                         static_cast<long long>(window.alertCenter().backlog()),
                         static_cast<long long>(trimmer ? trimmer->trims() : 0),
                         static_cast<long long>(trimmer ? trimmer->lastTrimUs() / 1000 : 0), heap.inUse / 1024);
        }
    });
    sample.start(1000);
    // Messages the embedded cluster dropped before the reader got to them (it keeps ~4.3 MB a partition:
    // under 200 ms of this load), as the reader reports them.
    qint64 lost = 0, losses = 0;
    QObject::connect(&window.analysis(), &LiveAnalysis::dataLost, &app, [&](const QString &description) {
        static const QRegularExpression count(QStringLiteral("(\\d+) messages lost"));
        ++losses;
        lost += count.match(description).captured(1).toLongLong();
        if (tracing)
            std::fprintf(stderr, "lost: %s\n", qPrintable(description));
    });
    QObject::connect(&window, &ui::MainWindow::batchApplied, &app, [&](const LiveBatchPtr &batch, qint64 micros) {
        lastAccepted = batch->stats.accepted;
        lastLag = batch->stats.lag;
        lastHistoryPoints = batch->stats.historyPoints;
        alertsFired += qint64(batch->alerts.size());
        if (phase != Ours)
            return;
        ++ourBatches;
        oursTotalMs += double(micros) / 1000.0;
    });

    // The peer, in its own phase on the same thread: the window stops taking batches, a plain model takes them.
    PlainTable plain;
    QTimer::singleShot(warmupMs, &app, [&] {
        heapAtStart = heapNow(); // before the phase: mallinfo2() may take tens of milliseconds
        phase = Ours;
        app.setProfiling(true);
        chartRedraws = -window.dashboard().chart().redraws();
        acceptedAtStart = lastAccepted;
        rssAtStart = memoryKiB("VmRSS:");
    });
    QTimer::singleShot(warmupMs + measuredSeconds * 1000LL, &app, [&] {
        phase = Plain;
        app.setProfiling(false);
        app.printProfile(double(measuredSeconds));
        chartRedraws += window.dashboard().chart().redraws();
        acceptedAtPeer = lastAccepted;
        rssEnd = memoryKiB("VmRSS:");
        heapEnd = heapNow(); // in the peer's phase
        QObject::disconnect(&window.analysis(), &LiveAnalysis::batchReady, &window, nullptr);
        QObject::connect(&window.analysis(), &LiveAnalysis::batchReady, &app, [&](const LiveBatchPtr &batch) {
            lastAccepted = batch->stats.accepted;
            QElapsedTimer t;
            t.start();
            plain.apply(*batch);
            plainTotalMs += double(t.nsecsElapsed()) / 1e6;
            ++plainBatches;
        });
    });
    QTimer::singleShot(warmupMs + (measuredSeconds + peerSeconds) * 1000LL, &app, [&] {
        phase = Done;
        QApplication::quit();
    });
    QApplication::exec();
    floor.stop();
    window.simulator().controller().stop();

    const double measured = double(measuredSeconds);
    const double achieved = double(acceptedAtPeer - acceptedAtStart) / measured;
    const double oursMean = ourBatches ? oursTotalMs / ourBatches : 0.0;
    const double plainMean = plainBatches ? plainTotalMs / plainBatches : 0.0;
    const qint64 peak = memoryKiB("VmHWM:");
    std::printf("Desktop under load: target %.0f events/s over %d products; %d s measured after %lld s of warm-up, "
                "then %d s of the peer\n",
                eventsPerSecond, request.shops * request.productsPerShop, measuredSeconds,
                static_cast<long long>(warmupMs / 1000), peerSeconds);
    std::printf("  achieved %.0f events/s analysed; consumer lag at the end %lld; %lld messages lost to the "
                "embedded cluster's retention in %lld gaps\n",
                achieved, static_cast<long long>(lastLag), static_cast<long long>(lost),
                static_cast<long long>(losses));
    std::printf("  ours: UI stalls p99.9 %lld ms, %lld over 50 ms; peer: p99.9 %lld ms, %lld over 50 ms\n",
                static_cast<long long>(stalls.percentile(Ours, 0.999)), static_cast<long long>(stalls.over(Ours, 50)),
                static_cast<long long>(stalls.percentile(Plain, 0.999)),
                static_cast<long long>(stalls.over(Plain, 50)));
    std::printf("  ours: longest UI stall %lld ms; table refreshes %.1f/s; chart redraws %.1f/s (%d products "
                "charted); a batch takes %.2f ms on average\n",
                static_cast<long long>(stalls.longest(Ours)), ourBatches / measured, chartRedraws / measured,
                chartProducts, oursMean);
    std::printf("  peer, a plain QStandardItemModel behind a sorted view: longest UI stall %lld ms; refreshes %.1f/s; "
                "a batch takes %.2f ms on average\n",
                static_cast<long long>(stalls.longest(Plain)), plainBatches / double(peerSeconds), plainMean);
    std::printf("  ours: the UI thread waited for a core %.0f ms in all (%.2f %% of the time), at most %.1f ms "
                "between two ticks\n",
                double(totalWaitNs[Ours]) / 1e6, double(totalWaitNs[Ours]) / 1e7 / measured,
                double(longestWaitNs[Ours]) / 1e6);
    std::printf("  the machine's floor, a plain thread waking every 5 ms beside ours: longest late wake-up %lld ms, "
                "p99.9 %lld ms, %lld over 50 ms\n",
                static_cast<long long>(floor.late().longest(Ours)),
                static_cast<long long>(floor.late().percentile(Ours, 0.999)),
                static_cast<long long>(floor.late().over(Ours, 50)));
    std::printf(
        "  memory: peak %.1f MiB (ours %.1f MiB); resident %.1f MiB after warm-up, %.1f MiB at the end of ours; "
        "freed memory returned to the system: %s\n",
        double(peak) / 1024.0, double(oursPeakRss) / 1024.0, double(rssAtStart) / 1024.0, double(rssEnd) / 1024.0,
        trimHeap ? "yes" : "no (BENCH_UI_NO_TRIM)");
    if (trimmer)
        std::printf("  heap trims: %lld, the longest %.1f ms (on the trimmer's own thread)\n",
                    static_cast<long long>(trimmer->trims()), double(trimmer->longestTrimUs()) / 1000.0);
    std::printf("  heap in use %.1f -> %.1f MiB; stock history points %lld -> %lld "
                "(at most %lld)\n",
                double(heapAtStart.inUse) / 1048576.0, double(heapEnd.inUse) / 1048576.0,
                static_cast<long long>(heapAtStart.historyPoints), static_cast<long long>(heapEnd.historyPoints),
                static_cast<long long>(parser.value(shops).toLongLong() * parser.value(products).toLongLong() *
                                       InventoryEngine::kDefaultHistoryCapacity));
    if (trimmer)
        std::printf("BENCH ui_longest_trim_ms %.1f\n", double(trimmer->longestTrimUs()) / 1000.0);
    std::printf("BENCH ui_ours_peak_rss_mib %.1f\nBENCH ui_heap_in_use_end_mib %.1f\n"
                "BENCH ui_history_points_end %lld\n",
                double(oursPeakRss) / 1024.0, double(heapEnd.inUse) / 1048576.0,
                static_cast<long long>(heapEnd.historyPoints));
    std::printf("BENCH ui_core_wait_longest_ms %.1f\nBENCH ui_core_wait_total_ms %.0f\n",
                double(longestWaitNs[Ours]) / 1e6, double(totalWaitNs[Ours]) / 1e6);
    std::printf("BENCH floor_longest_ms %lld\nBENCH floor_over_50ms %lld\n",
                static_cast<long long>(floor.late().longest(Ours)),
                static_cast<long long>(floor.late().over(Ours, 50)));
    std::printf("BENCH ui_messages_lost %lld\n", static_cast<long long>(lost));
    std::printf("BENCH ui_stall_p999_ms %lld\nBENCH ui_stalls_over_50ms %lld\n",
                static_cast<long long>(stalls.percentile(Ours, 0.999)), static_cast<long long>(stalls.over(Ours, 50)));
    std::printf("BENCH ui_events_per_s %.0f\nBENCH ui_longest_stall_ms %lld\nBENCH plain_longest_stall_ms %lld\n"
                "BENCH ui_refresh_per_s %.1f\nBENCH ui_chart_redraws_per_s %.1f\nBENCH ui_batch_mean_ms %.2f\n"
                "BENCH plain_batch_mean_ms %.2f\nBENCH plain_over_ours_batch %.1f\nBENCH ui_peak_mib %.1f\n"
                "BENCH ui_rss_growth_mib %.1f\n",
                achieved, static_cast<long long>(stalls.longest(Ours)), static_cast<long long>(stalls.longest(Plain)),
                ourBatches / measured, chartRedraws / measured, oursMean, plainMean,
                oursMean > 0 ? plainMean / oursMean : 0.0, double(peak) / 1024.0, double(rssEnd - rssAtStart) / 1024.0);
    return 0;
}
