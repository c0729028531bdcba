// The desktop at Black Friday load (issue: the desktop): the real main window, offscreen, watching the
// embedded cluster while the simulator feeds it N events/s over M products. Reports the UI thread's
// longest stall, how often the table and chart refresh, the achieved event rate, and peak memory (and its
// growth, to show it stays bounded). The peer, in the same run: the same batches applied to a plain
// QStandardItemModel behind a sorted QTableView (the usual way), timed on the same UI thread.
//
// Usage: bench_ui [--rate 50000] [--shops 10] [--products-per-shop 2000] [--seconds 60]
#include "dashboard_view.h"
#include "live_analysis.h"
#include "main_window.h"
#include "product_table_model.h"
#include "simulator_controller.h"
#include "simulator_view.h"
#include "stock_chart.h"
#include "ui_format.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

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

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QApplication::setOrganizationName(QStringLiteral("PeakwatchBench"));

    QCommandLineParser parser;
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Events per second."), QStringLiteral("N"),
                                  QStringLiteral("50000"));
    const QCommandLineOption shops(QStringLiteral("shops"), QStringLiteral("Shops."), QStringLiteral("N"),
                                   QStringLiteral("10"));
    const QCommandLineOption products(QStringLiteral("products-per-shop"), QStringLiteral("Products per shop."),
                                      QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Measured seconds."),
                                     QStringLiteral("N"), QStringLiteral("60"));
    parser.addOptions({rate, shops, products, seconds});
    parser.addHelpOption();
    parser.process(app);
    const double eventsPerSecond = parser.value(rate).toDouble();
    const int measuredSeconds = parser.value(seconds).toInt();

    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    if (Status s = window.connectTo(ui::MainWindow::embeddedName()); !s) {
        std::fprintf(stderr, "bench_ui: %s\n", qPrintable(s.error()));
        return 1;
    }
    ui::SimulationRequest request;
    request.scenario = QStringLiteral("black-friday");
    request.skipMs = 120 * 60 * 1000;
    request.bootstrapServers = window.bootstrapServers();
    request.eventsPerSecond = eventsPerSecond;
    request.shops = parser.value(shops).toInt();
    request.productsPerShop = parser.value(products).toInt();
    if (Status s = window.simulator().controller().start(request); !s) {
        std::fprintf(stderr, "bench_ui: %s\n", qPrintable(s.error()));
        return 1;
    }

    // Two products selected, so the chart redraws as their histories arrive.
    int chartRedraws = 0;
    QTimer select;
    select.setSingleShot(true);
    QObject::connect(&select, &QTimer::timeout, &window, [&window] {
        QTableView &table = window.dashboard().table();
        table.selectRow(0);
        table.selectionModel()->select(table.model()->index(1, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
    });
    select.start(3000);

    // The UI thread's stalls: a 5 ms timer, and the longest gap between its ticks beyond 5 ms.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0, longestStall = 0, warmupEndMs = 5000;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.elapsed();
        if (lastTick > warmupEndMs)
            longestStall = std::max(longestStall, now - lastTick - 5);
        lastTick = now;
    });
    probe.start(5);

    // Refreshes and events, per second, after the warm-up.
    quint64 batchesAtStart = 0;
    qint64 acceptedAtStart = 0, lastAccepted = 0, lastLag = 0, rssAtStart = 0;
    int chartProducts = 0;
    std::vector<qint64> rssSamples;
    QTimer sample;
    QObject::connect(&sample, &QTimer::timeout, &app, [&] {
        rssSamples.push_back(memoryKiB("VmRSS:"));
        chartProducts = std::max(chartProducts, window.dashboard().chart().productCount());
    });
    sample.start(1000);

    // The peer: the same batches, applied to a plain model on the same thread, timed.
    PlainTable plain;
    qint64 plainLongestMs = 0, oursLongestMs = 0;
    double plainTotalMs = 0, oursTotalMs = 0;
    int batches = 0;
    QObject::connect(&window, &ui::MainWindow::batchApplied, &app, [&](const LiveBatchPtr &batch, qint64 micros) {
        lastAccepted = batch->stats.accepted;
        lastLag = batch->stats.lag;
        if (!batch->histories.empty())
            ++chartRedraws;
        if (clock.elapsed() < warmupEndMs)
            return;
        ++batches;
        oursLongestMs = std::max<qint64>(oursLongestMs, micros / 1000);
        oursTotalMs += micros / 1000.0;
        QElapsedTimer t;
        t.start();
        plain.apply(*batch);
        const qint64 plainMs = t.nsecsElapsed() / 1000000;
        plainLongestMs = std::max(plainLongestMs, plainMs);
        plainTotalMs += t.nsecsElapsed() / 1e6;
    });
    QTimer::singleShot(warmupEndMs, &app, [&] {
        batchesAtStart = window.batchesReceived();
        acceptedAtStart = lastAccepted;
        rssAtStart = memoryKiB("VmRSS:");
        chartRedraws = 0;
    });
    QTimer::singleShot(warmupEndMs + measuredSeconds * 1000LL, &app, &QApplication::quit);
    QApplication::exec();

    const double measured = double(measuredSeconds);
    const double refreshPerSecond = double(window.batchesReceived() - batchesAtStart) / measured;
    const double achieved = double(lastAccepted - acceptedAtStart) / measured;
    const qint64 peak = memoryKiB("VmHWM:");
    const qint64 rssEnd = rssSamples.empty() ? 0 : rssSamples.back();
    window.simulator().controller().stop();

    std::printf("Desktop under load: target %.0f events/s over %d products, %d s measured after %lld s warm-up\n",
                eventsPerSecond, request.shops * request.productsPerShop, measuredSeconds,
                static_cast<long long>(warmupEndMs / 1000));
    std::printf("  achieved %.0f events/s analysed, consumer lag at the end %lld\n", achieved,
                static_cast<long long>(lastLag));
    std::printf("  UI thread: longest stall %lld ms; table refreshes %.1f/s; chart redraws %.1f/s (%d products "
                "charted)\n",
                static_cast<long long>(longestStall), refreshPerSecond, chartRedraws / measured, chartProducts);
    std::printf("  applying a batch: ours mean %.2f ms, longest %lld ms; plain QStandardItemModel mean %.2f ms, "
                "longest %lld ms (%d batches)\n",
                batches ? oursTotalMs / batches : 0.0, static_cast<long long>(oursLongestMs),
                batches ? plainTotalMs / batches : 0.0, static_cast<long long>(plainLongestMs), batches);
    std::printf("  memory: peak %.1f MiB; resident %.1f MiB after warm-up, %.1f MiB at the end\n", peak / 1024.0,
                rssAtStart / 1024.0, rssEnd / 1024.0);
    std::printf("BENCH ui_events_per_s %.0f\nBENCH ui_longest_stall_ms %lld\nBENCH ui_refresh_per_s %.1f\n"
                "BENCH ui_chart_redraws_per_s %.1f\nBENCH ui_batch_mean_ms %.2f\nBENCH plain_batch_mean_ms %.2f\n"
                "BENCH plain_over_ours_batch %.1f\nBENCH ui_peak_mib %.1f\nBENCH ui_rss_growth_mib %.1f\n",
                achieved, static_cast<long long>(longestStall), refreshPerSecond, chartRedraws / measured,
                batches ? oursTotalMs / batches : 0.0, batches ? plainTotalMs / batches : 0.0,
                oursTotalMs > 0 ? plainTotalMs / oursTotalMs : 0.0, peak / 1024.0, (rssEnd - rssAtStart) / 1024.0);
    return 0;
}
