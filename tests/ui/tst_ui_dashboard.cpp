// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The dashboard's models, filter, chart and export, offscreen: what a store manager sees of a batch; and the
// Alerts view's model, its alerts as threads.
#include "csv_records.h"
#include "alerts_model.h"
#include "alerts_view.h"
#include "dashboard_view.h"
#include "product_filter_model.h"
#include "product_table_model.h"
#include "row_table.h"
#include "row_text_delegate.h"
#include "stock_chart.h"
#include "ui_format.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QImageReader>
#include <QLineEdit>
#include <QSet>
#include <QAreaSeries>
#include <QDateTime>
#include <QDesktopServices>
#include <QLocale>
#include <QLabel>
#include <QMenu>
#include <QTimer>
#include <QToolButton>
#include <QWheelEvent>
#include <QDateTimeAxis>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QTest>
#include <QValueAxis>

#include <utility>

using namespace peakwatch;
using namespace peakwatch::ui;

namespace {

constexpr qint64 kNow = 1795755600000; // 2026-11-27T05:00:00Z

ProductSnapshot product(qint64 id, qint64 quantity, std::optional<double> rate = {},
                        const char *shop = "a.myshopify.com")
{
    ProductSnapshot s;
    s.shop = shop;
    s.productId = id;
    s.title = "Product " + QByteArray::number(id);
    s.quantity = quantity;
    s.hasPrice = true;
    s.minPrice = 199900;
    s.maxPrice = 249900;
    s.updatedAtMs = kNow;
    s.ratePerHour = rate;
    if (rate && *rate > 0 && quantity > 0) {
        const double hours = double(quantity) / *rate;
        s.selloutAtMs = kNow + qint64(hours * 3600000.0);
        // An 80 % interval as the forecast gives one: earlier and later by a third of the time left.
        s.selloutEarliestMs = kNow + qint64(hours * 2 / 3 * 3600000.0);
        s.selloutLatestMs = kNow + qint64(hours * 4 / 3 * 3600000.0);
    }
    s.status = quantity <= 0 ? ProductStatus::SoldOut : quantity <= 10 ? ProductStatus::Low : ProductStatus::Ok;
    if (s.status == ProductStatus::Ok && s.selloutAtMs && *s.selloutAtMs - kNow < 2 * 3600000)
        s.status = ProductStatus::SellingOut;
    s.confidence = 0.8;
    s.observations = 12;
    return s;
}

LiveBatch batchOf(std::vector<ProductSnapshot> snapshots, qint64 now = kNow)
{
    LiveBatch b;
    b.changed = std::move(snapshots);
    b.stats.watermarkMs = now;
    return b;
}

// Takes the links the application opens (QDesktopServices::setUrlHandler), instead of a browser.
class UrlCatcher final : public QObject {
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

using peakwatch::test::parseCsv;

QString cell(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

// Where a cell's text was drawn: the box around its dark pixels (the table white, the text black).
QRect inkIn(const QImage &image, const QRect &cell)
{
    QRect ink;
    for (int y = cell.top(); y <= cell.bottom(); ++y)
        for (int x = cell.left(); x <= cell.right(); ++x)
            if (qGray(image.pixel(x, y)) < 140)
                ink |= QRect(x, y, 1, 1);
    return ink;
}

// A row table of three cells (left-aligned, right-aligned, too long for its column), white on black.
struct TextTable {
    QStandardItemModel model{1, 3};
    QTableView view;
    TextTable()
    {
        model.setItem(0, 0, new QStandardItem(QStringLiteral("Classic Hoodie")));
        auto *stock = new QStandardItem(QStringLiteral("1,234"));
        stock->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        model.setItem(0, 1, stock);
        model.setItem(0, 2, new QStandardItem(QStringLiteral("A title far too long for the narrow column it is in")));
        view.setModel(&model);
        setUpRowTable(view, QAbstractItemView::SingleSelection);
        view.horizontalHeader()->setStretchLastSection(false);
        view.setShowGrid(false);
        view.setColumnWidth(0, 200);
        view.setColumnWidth(1, 120);
        view.setColumnWidth(2, 90);
        QPalette palette = view.palette();
        palette.setColor(QPalette::Base, Qt::white);
        palette.setColor(QPalette::AlternateBase, Qt::white);
        palette.setColor(QPalette::Text, Qt::black);
        view.setPalette(palette);
        view.resize(480, 120);
    }
    QImage render() { return view.viewport()->grab().toImage(); }
    QRect cellRect(int column) const { return view.visualRect(model.index(0, column)); }
};

// What the chart's axes show: the stream's time from and to, the units from and to.
struct AxisRanges {
    qint64 from = 0, to = 0;
    qreal low = 0, high = 0;
    qint64 span() const { return to - from; }
    qreal units() const { return high - low; }
    bool operator==(const AxisRanges &) const = default;
};

QString describe(const AxisRanges &r)
{
    return QStringLiteral("time %1 to %2 (%3 min), units %4 to %5")
        .arg(QDateTime::fromMSecsSinceEpoch(r.from, Qt::UTC).toString(Qt::ISODateWithMs),
             QDateTime::fromMSecsSinceEpoch(r.to, Qt::UTC).toString(Qt::ISODateWithMs))
        .arg(double(r.span()) / 60000.0)
        .arg(r.low)
        .arg(r.high);
}

char *toString(const AxisRanges &r) // for QCOMPARE, which frees it
{
    return QTest::toString(describe(r));
}

// The dashboard as a store manager has it: product 1 selected, its last hour of stock charted (60 → 30, restocked to
// 60, then 40) with its predicted sell-out two hours on.
struct ChartedDashboard {
    DashboardView view;
    ProductHistory history;
    QDateTimeAxis *time = nullptr;
    QValueAxis *units = nullptr;

    ChartedDashboard()
    {
        view.resize(1100, 700);
        view.show();
        history.product = {"a.myshopify.com", 1};
        history.rules.lowStock = 12;
        const qint64 start = kNow - 3600000;
        history.points = {{start, 60}, {start + 600000, 50}, {start + 1200000, 30}, {start + 1800000, 60}, {kNow, 40}};
        view.applyBatch(batchOf({product(1, 40, 20), product(2, 10)}));
        view.showProduct(history.product);
        LiveBatch batch = batchOf({product(1, 40, 20)});
        batch.histories.push_back(history);
        view.applyBatch(batch);
        time = qobject_cast<QDateTimeAxis *>(chart().chart()->axes(Qt::Horizontal).value(0));
        units = qobject_cast<QValueAxis *>(chart().chart()->axes(Qt::Vertical).value(0));
    }
    StockChart &chart() { return view.chart(); }
    QWidget *viewport() { return view.chart().viewport(); }
    AxisRanges ranges() const
    {
        return {time->min().toMSecsSinceEpoch(), time->max().toMSecsSinceEpoch(), units->min(), units->max()};
    }
    // The middle of the plot area, in the viewport's coordinates.
    QPoint plotCentre() { return chart().mapFromScene(chart().chart()->plotArea().center()); }
    // The stream and stock at a point of the viewport, as the axes read there.
    QPointF valueAt(const QPoint &at)
    {
        return chart().chart()->mapToValue(chart().chart()->mapFromScene(chart().mapToScene(at)));
    }
    void wheel(int delta)
    {
        const QPointF at = plotCentre();
        QWheelEvent event(at, viewport()->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(viewport(), &event);
    }
    // A live batch of the product: the stock `minutes` on, with its history to then.
    void sell(int minutes, qint64 quantity)
    {
        const qint64 at = kNow + minutes * 60000LL;
        history.points.push_back({at, quantity});
        ProductSnapshot now = product(1, quantity, 20);
        now.updatedAtMs = at;
        LiveBatch batch = batchOf({now}, at);
        batch.histories.push_back(history);
        view.applyBatch(batch);
    }
};

} // namespace

class TstUiDashboard final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatsFigures_data();
    void formatsFigures();
    void batchesUpdateRowsAndAppendNewOnes();
    void backorderedProductsSayHowMany();
    void mostRowsChangedIsOneSignal();
    void filtersByTextAndStatus();
    void sortsBySelloutSoonestFirst();
    void sortsEachColumnBothWays_data();
    void sortsEachColumnBothWays();
    void newProductsJoinAtTheEndUntilRefresh();
    void chipsShowOnlyTheirProducts();
    void sortedHeadersAreNeverCut();
    void orderHoldsWhileThePointerIsOverTheTable();
    void summaryLineCountsTheSalesAtRisk();
    void productIdsAreShownSearchedAndOpened();
    void selectionFollowsItsProductThroughSortAndFilter();
    void selectionAndScrollSurviveUpdates();
    void theSelectedProductsUnitsByLocationAreShown();
    void chartShowsStockPredictionThresholdAndRestocks();
    void chartAxesHoldWhileTheDrawingFits();
    void chartFollowsANewSelectionAfterAZoom();
    void emptyChartShowsTheStreamsHour();
    void chartDownsamplesLongHistoriesKeepingRestocks();
    void chartZoomsWithTheWheelAndHomeOrADoubleClickResetsIt();
    void chartZoomsToTheRectangleDraggedOverIt();
    void aClickOnTheChartLeavesItFollowingTheStream();
    void chartPansWithTheRightButtonAndTheArrowKeys();
    void exportChartWritesAPngOfTheChartAsShown();
    void exportsTheTableAsShown();
    void rowTextDrawsWhereTheStyleDoes();
    void rowTextElidesAndKeepsWhatItLaidOut();
    void alertsNewestFirstAndCapped();
    void activatingAnAlertNamesItsProduct();
    void alertsOfAnEpisodeReadAsOneThread_data();
    void alertsOfAnEpisodeReadAsOneThread();
    void alertHistoryIsShownAsThreads();
};

void TstUiDashboard::formatsFigures_data()
{
    QTest::addColumn<qint64>("deltaMs");
    QTest::addColumn<QString>("text");
    QTest::addRow("past is now") << qint64(-60000) << QStringLiteral("now");
    QTest::addRow("under a minute rounds") << qint64(40000) << QStringLiteral("in 1 min");
    QTest::addRow("minutes") << qint64(23 * 60000) << QStringLiteral("in 23 min");
    QTest::addRow("hours pad minutes") << qint64(125 * 60000) << QStringLiteral("in 2 h 05 min");
    QTest::addRow("days") << qint64(3 * 24 * 3600000LL) << QStringLiteral("in 3 days");
}

void TstUiDashboard::formatsFigures()
{
    QFETCH(qint64, deltaMs);
    QFETCH(QString, text);
    QCOMPARE(durationUntil(kNow + deltaMs, kNow), text);
    QCOMPARE(changePerHour(12.5), QStringLiteral("−12.5/h"));
    QCOMPARE(changePerHour(std::nullopt), QString());
    ProductSnapshot s = product(1, 5);
    QCOMPARE(priceRange(s), QStringLiteral("$19.99 – $24.99"));
}

void TstUiDashboard::batchesUpdateRowsAndAppendNewOnes()
{
    ProductTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyBatch(batchOf({product(1, 100, 10), product(2, 50), product(3, 8)}));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, 0, ProductTableModel::Title), QStringLiteral("Product 1"));
    QCOMPARE(cell(model, 0, ProductTableModel::Stock), QStringLiteral("100"));
    QCOMPARE(cell(model, 0, ProductTableModel::SelloutIn), QStringLiteral("in 10 h 00 min"));
    QCOMPARE(cell(model, 2, ProductTableModel::Status), QStringLiteral("Low"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyBatch(batchOf({product(2, 0), product(4, 30)}));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3); // appended at the end: the rows before keep their place
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    QCOMPARE(cell(model, 1, ProductTableModel::Status), QStringLiteral("Sold out"));
    QCOMPARE(cell(model, 1, ProductTableModel::SelloutIn), QStringLiteral("sold out"));
    QCOMPARE(model.rowOf({"a.myshopify.com", 4}), 3);
    QCOMPARE(model.rowOf({"b.myshopify.com", 4}), -1); // the same id in another shop is another product

    // A newer snapshot of a row's product brings all its figures, and a new title replaces the old one.
    const ProductSnapshot again = product(3, 8);
    model.applyBatch(batchOf({again}));
    ProductSnapshot newer = again;
    newer.quantity = 5;
    newer.ratePerHour = 2.5;
    newer.selloutAtMs = kNow + 2 * 3600000;
    newer.status = ProductStatus::SellingOut;
    newer.observations = 30;
    model.applyBatch(batchOf({newer}));
    QCOMPARE(cell(model, 2, ProductTableModel::Stock), QStringLiteral("5"));
    QCOMPARE(cell(model, 2, ProductTableModel::Status), QStringLiteral("Selling out"));
    QCOMPARE(cell(model, 2, ProductTableModel::SelloutIn), QStringLiteral("in 2 h 00 min"));
    QCOMPARE(model.snapshot(2).observations, 30);
    QCOMPARE(model.snapshot(2).ratePerHour, std::optional<double>(2.5));
    ProductSnapshot renamed = newer;
    renamed.title = "Product 3, renamed";
    model.applyBatch(batchOf({renamed}));
    QCOMPARE(cell(model, 2, ProductTableModel::Title), QStringLiteral("Product 3, renamed"));
}

void TstUiDashboard::backorderedProductsSayHowMany()
{
    ProductTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Sold below zero (its variants allow overselling), sold out at zero, and one a little above.
    model.applyBatch(batchOf({product(1, -12, 30), product(2, 0), product(3, 4)}));
    QCOMPARE(cell(model, 0, ProductTableModel::Status), QStringLiteral("Backordered 12"));
    QCOMPARE(cell(model, 0, ProductTableModel::Stock), QLocale().toString(-12)); // the stock itself, as before
    const QString tip = model.index(0, ProductTableModel::Status).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Backordered")) && tip.contains(QStringLiteral("12")), qPrintable(tip));
    QVERIFY2(model.index(0, ProductTableModel::SelloutIn).data(Qt::ToolTipRole).toString().contains(u"12"),
             "the sell-out tooltip should say how many were sold on backorder");
    // For filtering, counting and alerting it is still sold out.
    QCOMPARE(model.index(0, 0).data(ProductTableModel::StatusRole).toInt(), int(ProductStatus::SoldOut));
    QCOMPARE(cell(model, 1, ProductTableModel::Status), QStringLiteral("Sold out"));
    QCOMPARE(cell(model, 2, ProductTableModel::Status), QStringLiteral("Low"));
    // Thousands are grouped as the stock column groups them.
    model.applyBatch(batchOf({product(1, -3479, 300)}));
    QCOMPARE(cell(model, 0, ProductTableModel::Status), QStringLiteral("Backordered ") + QLocale().toString(3479));
}

void TstUiDashboard::mostRowsChangedIsOneSignal()
{
    ProductTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<ProductSnapshot> all;
    for (int i = 0; i < 100; ++i)
        all.push_back(product(i, 100));
    model.applyBatch(batchOf(all));
    std::vector<ProductSnapshot> most(all.begin(), all.begin() + 80);
    for (ProductSnapshot &s : most)
        s.quantity -= 1;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyBatch(batchOf(most));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 99);

    // A few scattered rows: one signal per contiguous range.
    changed.clear();
    model.applyBatch(batchOf({all[10], all[11], all[12], all[50]}));
    QCOMPARE(changed.count(), 2);
}

void TstUiDashboard::filtersByTextAndStatus()
{
    ProductTableModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyBatch(batchOf({product(1, 100), product(2, 5), product(3, 0), product(4, 40, 1, "b.myshopify.com")}));
    QCOMPARE(filter.rowCount(), 4);
    filter.setText(QStringLiteral("b.MYSHOPIFY"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setText(QStringLiteral("product 2"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setText(QString());
    std::bitset<5> urgent;
    urgent.set(size_t(ProductStatus::SoldOut));
    urgent.set(size_t(ProductStatus::Low));
    filter.setStatuses(urgent);
    QCOMPARE(filter.rowCount(), 2);
    // A product that sells out while filtered to urgent ones appears at the next refresh.
    model.applyBatch(batchOf({product(1, 0)}));
    filter.refresh();
    QCOMPARE(filter.rowCount(), 3);
}

void TstUiDashboard::sortsBySelloutSoonestFirst()
{
    ProductTableModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyBatch(batchOf({product(1, 100, 10), product(2, 50), product(3, 100, 50)}));
    filter.sort(ProductTableModel::SelloutIn, Qt::AscendingOrder);
    QCOMPARE(cell(filter, 0, ProductTableModel::Title), QStringLiteral("Product 3")); // 2 h
    QCOMPARE(cell(filter, 1, ProductTableModel::Title), QStringLiteral("Product 1")); // 10 h
    QCOMPARE(cell(filter, 2, ProductTableModel::Title), QStringLiteral("Product 2")); // no prediction: last
    // Live: product 2 starts selling fast. Its figures change at once; it moves to the top at the next
    // refresh (the dashboard's, once a second), not on every change.
    model.applyBatch(batchOf({product(2, 50, 100)}));
    QCOMPARE(cell(filter, 2, ProductTableModel::SelloutIn), QStringLiteral("in 30 min"));
    filter.refresh();
    QCOMPARE(cell(filter, 0, ProductTableModel::Title), QStringLiteral("Product 2"));
}

void TstUiDashboard::sortsEachColumnBothWays_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QStringList>("titles");
    // Product 1: 100 at 10/h; 2: 50, no rate, b's shop; 3: 0 sold out; 4: 100 at 50/h, title in capitals.
    const auto asc = int(Qt::AscendingOrder), desc = int(Qt::DescendingOrder);
    QTest::addRow("title, any case") << int(ProductTableModel::Title) << asc
                                     << QStringList{QStringLiteral("Product 1"), QStringLiteral("Product 2"),
                                                    QStringLiteral("Product 3"), QStringLiteral("PRODUCT 4")};
    QTest::addRow("title descending") << int(ProductTableModel::Title) << desc
                                      << QStringList{QStringLiteral("PRODUCT 4"), QStringLiteral("Product 3"),
                                                     QStringLiteral("Product 2"), QStringLiteral("Product 1")};
    QTest::addRow("shop, ties in first-seen order")
        << int(ProductTableModel::Shop) << asc
        << QStringList{QStringLiteral("Product 1"), QStringLiteral("Product 3"), QStringLiteral("PRODUCT 4"),
                       QStringLiteral("Product 2")};
    QTest::addRow("shop descending, ties still in first-seen order")
        << int(ProductTableModel::Shop) << desc
        << QStringList{QStringLiteral("Product 2"), QStringLiteral("Product 1"), QStringLiteral("Product 3"),
                       QStringLiteral("PRODUCT 4")};
    QTest::addRow("stock") << int(ProductTableModel::Stock) << asc
                           << QStringList{QStringLiteral("Product 3"), QStringLiteral("Product 2"),
                                          QStringLiteral("Product 1"), QStringLiteral("PRODUCT 4")};
    QTest::addRow("selling fastest first") << int(ProductTableModel::ChangePerHour) << asc
                                           << QStringList{QStringLiteral("PRODUCT 4"), QStringLiteral("Product 1"),
                                                          QStringLiteral("Product 2"), QStringLiteral("Product 3")};
    QTest::addRow("sell-out soonest first, then sold out, none last")
        << int(ProductTableModel::SelloutAt) << asc
        << QStringList{QStringLiteral("PRODUCT 4"), QStringLiteral("Product 1"), QStringLiteral("Product 3"),
                       QStringLiteral("Product 2")};
    QTest::addRow("sell-out latest first, none first")
        << int(ProductTableModel::SelloutIn) << desc
        << QStringList{QStringLiteral("Product 2"), QStringLiteral("Product 3"), QStringLiteral("Product 1"),
                       QStringLiteral("PRODUCT 4")};
    QTest::addRow("status, most urgent last") << int(ProductTableModel::Status) << asc
                                              << QStringList{QStringLiteral("Product 1"), QStringLiteral("Product 2"),
                                                             QStringLiteral("PRODUCT 4"), QStringLiteral("Product 3")};
}

void TstUiDashboard::sortsEachColumnBothWays()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QStringList, titles);
    ProductTableModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ProductSnapshot capitals = product(4, 100, 50);
    capitals.title = "PRODUCT 4";
    model.applyBatch(batchOf({product(1, 100, 10), product(2, 50, {}, "b.myshopify.com"), product(3, 0), capitals}));
    filter.sort(column, Qt::SortOrder(order));
    QStringList shown;
    for (int row = 0; row < filter.rowCount(); ++row)
        shown << cell(filter, row, ProductTableModel::Title);
    QCOMPARE(shown, titles);
}

void TstUiDashboard::newProductsJoinAtTheEndUntilRefresh()
{
    ProductTableModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyBatch(batchOf({product(1, 100, 10), product(2, 100, 20)}));
    filter.sort(ProductTableModel::SelloutIn, Qt::AscendingOrder);
    QCOMPARE(cell(filter, 0, ProductTableModel::Title), QStringLiteral("Product 2"));
    QSignalSpy inserted(&filter, &QAbstractItemModel::rowsInserted);
    // A new product selling fastest of all, and one the status filter hides.
    std::bitset<5> shown;
    shown.set();
    shown.reset(size_t(ProductStatus::SoldOut));
    filter.setStatuses(shown);
    model.applyBatch(batchOf({product(3, 100, 90), product(4, 0)}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(filter.rowCount(), 3);
    QCOMPARE(cell(filter, 2, ProductTableModel::Title), QStringLiteral("Product 3"));
    filter.refresh();
    QCOMPARE(cell(filter, 0, ProductTableModel::Title), QStringLiteral("Product 3"));
    QCOMPARE(filter.rowCount(), 3);
    filter.setStatuses(std::bitset<5>().set());
    QCOMPARE(filter.rowCount(), 4);
    QCOMPARE(cell(filter, 3, ProductTableModel::Title), QStringLiteral("Product 4"));
}

void TstUiDashboard::chipsShowOnlyTheirProducts()
{
    DashboardView view;
    // Two selling out (2 h at most), one low, one sold out, one in stock.
    view.applyBatch(batchOf({product(1, 100, 80), product(2, 100, 60), product(3, 8), product(4, 0), product(5, 500)}));
    QToolButton &sellingOut = view.statusChip(ProductStatus::SellingOut);
    QToolButton &soldOut = view.statusChip(ProductStatus::SoldOut);
    QCOMPARE(sellingOut.text(), QStringLiteral("Selling out 2"));
    QVERIFY(!sellingOut.isChecked()); // nothing filtered: no chip pressed
    QCOMPARE(view.filter().rowCount(), 5);

    // A click shows only its products, and the chip stays pressed.
    QTest::mouseClick(&sellingOut, Qt::LeftButton);
    QVERIFY(sellingOut.isChecked());
    QCOMPARE(view.filter().rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(cell(view.filter(), row, ProductTableModel::Status), QStringLiteral("Selling out"));
    // Another chip replaces it; Ctrl+click adds to it.
    QTest::mouseClick(&soldOut, Qt::LeftButton);
    QVERIFY(!sellingOut.isChecked());
    QCOMPARE(view.filter().rowCount(), 1);
    QTest::mouseClick(&sellingOut, Qt::LeftButton, Qt::ControlModifier);
    QVERIFY(sellingOut.isChecked() && soldOut.isChecked());
    QCOMPARE(view.filter().rowCount(), 3);
    // One click on a pressed chip returns to all.
    QTest::mouseClick(&soldOut, Qt::LeftButton);
    QVERIFY(!soldOut.isChecked() && !sellingOut.isChecked());
    QCOMPARE(view.filter().rowCount(), 5);
    // Showing a product hidden by a chip clears the chips.
    QTest::mouseClick(&soldOut, Qt::LeftButton);
    view.showProduct({"a.myshopify.com", 5});
    QVERIFY(!soldOut.isChecked());
    QCOMPARE(view.filter().rowCount(), 5);
}

void TstUiDashboard::sortedHeadersAreNeverCut()
{
    DashboardView view;
    view.resize(1440, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QHeaderView &header = *view.table().horizontalHeader();
    // Every column but the last (it stretches) has room for its name and the sort arrow beside it.
    for (int c = 0; c < ProductTableModel::ColumnCount - 1; ++c) {
        view.table().sortByColumn(c, Qt::AscendingOrder);
        QVERIFY2(header.sectionSize(c) >= header.sectionSizeHint(c),
                 qPrintable(QStringLiteral("%1: %2 px for %3")
                                .arg(view.model().headerData(c, Qt::Horizontal).toString())
                                .arg(header.sectionSize(c))
                                .arg(header.sectionSizeHint(c))));
    }
}

void TstUiDashboard::orderHoldsWhileThePointerIsOverTheTable()
{
    DashboardView view;
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *resort = view.findChild<QTimer *>(QStringLiteral("resortTimer"));
    QVERIFY(resort);
    view.applyBatch(batchOf({product(1, 100, 10), product(2, 100, 20)}));
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 2"));

    // The pointer comes over the rows: product 1 starts selling fastest, but the rows stay where they are.
    QEvent enter(QEvent::Enter);
    QCoreApplication::sendEvent(view.table().viewport(), &enter);
    QVERIFY(view.orderHeld());
    view.applyBatch(batchOf({product(1, 100, 500)}, kNow + 1000));
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 2"));
    // However long the pointer rests there (it has not moved since it came), and the count says why.
    QTest::qWait(1500);
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 2"));
    QVERIFY2(view.findChild<QLabel *>(QStringLiteral("shownCount"))->text().contains(QLatin1String("order held")),
             qPrintable(view.findChild<QLabel *>(QStringLiteral("shownCount"))->text()));
    // It leaves: the next tick sorts.
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(view.table().viewport(), &leave);
    QVERIFY(!view.orderHeld());
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 1"));

    // A selection being extended holds the rows too: Ctrl (or Shift) down, then a button down.
    view.applyBatch(batchOf({product(2, 100, 900)}, kNow + 2000));
    QTest::keyPress(&view.table(), Qt::Key_Control, Qt::ControlModifier);
    QVERIFY(view.orderHeld());
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 1"));
    QTest::keyRelease(&view.table(), Qt::Key_Control, Qt::NoModifier);
    QVERIFY(!view.orderHeld());
    const QPoint below = view.table().viewport()->rect().bottomLeft() + QPoint(10, -10); // under the rows
    QTest::mousePress(view.table().viewport(), Qt::LeftButton, Qt::NoModifier, below);
    QVERIFY(view.orderHeld());
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 1"));
    QTest::mouseRelease(view.table().viewport(), Qt::LeftButton, Qt::NoModifier, below);
    QVERIFY(!view.orderHeld());
    QVERIFY(QMetaObject::invokeMethod(resort, "timeout"));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Title), QStringLiteral("Product 2"));
}

void TstUiDashboard::summaryLineCountsTheSalesAtRisk()
{
    DashboardView view;
    view.setAlertHorizon(2 * 3600 * 1000);
    // Product 1: 100 units at 200/h (30 min), $19.99 to $24.99, so $22.49 a unit: $4,498/h. Product 2: 100 at
    // 80/h (1 h 15 min), $1,799.20/h. Product 3 sells out in 10 h; 4 is sold out; 5 has no rate.
    view.applyBatch(
        batchOf({product(1, 100, 200), product(2, 100, 80), product(3, 100, 10), product(4, 0, 50), product(5, 100)}));
    const QString text = view.summaryText();
    QVERIFY2(text.contains(QStringLiteral("within the hour: <b>1</b> product, <b>$4,498/h</b>")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("within 2 h (the alert horizon): <b>2</b>, <b>$6,297/h</b>")),
             qPrintable(text));
    // Live: product 2 speeds up to 150/h (40 min).
    view.applyBatch(batchOf({product(2, 100, 150)}, kNow));
    QVERIFY2(view.summaryText().contains(QStringLiteral("within the hour: <b>2</b> products, <b>$7,872/h</b>")),
             qPrintable(view.summaryText()));
}

void TstUiDashboard::productIdsAreShownSearchedAndOpened()
{
    DashboardView view;
    ProductSnapshot gloves = product(632910392, 40);
    gloves.title = "Everyday Gloves";
    gloves.handle = "everyday-gloves";
    ProductSnapshot twin = product(632910393, 12);
    twin.title = "Everyday Gloves";
    twin.handle = "everyday-gloves-1";
    view.applyBatch(batchOf({gloves, twin, product(7, 5, {}, "not a domain")}));
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::ProductId), QStringLiteral("632910392"));
    // The twins' handles tell them apart, in a column of their own.
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::Handle), QStringLiteral("everyday-gloves"));
    QCOMPARE(cell(view.filter(), 1, ProductTableModel::Handle), QStringLiteral("everyday-gloves-1"));
    QVERIFY(view.table().columnWidth(ProductTableModel::Handle) >=
            view.table().fontMetrics().horizontalAdvance(QStringLiteral("everyday-gloves-1")));
    // Found by id (exactly) and by handle.
    view.filter().setText(QStringLiteral("632910393"));
    QCOMPARE(view.filter().rowCount(), 1);
    QCOMPARE(cell(view.filter(), 0, ProductTableModel::ProductId), QStringLiteral("632910393"));
    view.filter().setText(QStringLiteral("gloves-1"));
    QCOMPARE(view.filter().rowCount(), 1);
    view.filter().setText(QString());

    // The row's menu opens the product's page in the Shopify admin.
    UrlCatcher opened;
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &opened, "open");
    std::unique_ptr<QMenu> menu(view.productMenu(view.filter().index(0, 0)));
    QAction *open = menu->actions().value(0);
    QCOMPARE(open->text(), QStringLiteral("Open in Shopify admin"));
    open->trigger();
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    QCOMPARE(opened.urls, QList<QUrl>{QUrl(QStringLiteral("https://admin.shopify.com/store/a/products/632910392"))});
    // A shop that is no domain gets no link.
    std::unique_ptr<QMenu> none(view.productMenu(view.filter().index(2, 0)));
    QVERIFY(!none->actions().value(0)->isEnabled());
}

void TstUiDashboard::selectionFollowsItsProductThroughSortAndFilter()
{
    ProductTableModel model;
    ProductFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyBatch(batchOf({product(1, 100, 10), product(2, 100, 20), product(3, 5, 1)}));
    filter.sort(ProductTableModel::SelloutIn, Qt::AscendingOrder);
    QItemSelectionModel selection(&filter);
    const QModelIndex product1 = filter.mapFromSource(model.index(0, 0));
    selection.select(product1, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    // Product 1 becomes the fastest seller: it moves to the top at the refresh, still selected.
    model.applyBatch(batchOf({product(1, 100, 500)}));
    filter.refresh();
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().front().row(), 0);
    QCOMPARE(cell(filter, 0, ProductTableModel::Title), QStringLiteral("Product 1"));
    // Filtered out, the selection goes; the other rows are still where the filter puts them.
    filter.setText(QStringLiteral("product 3"));
    QVERIFY(selection.selectedRows().isEmpty());
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.mapToSource(filter.index(0, 0)).row(), 2);
}

void TstUiDashboard::theSelectedProductsUnitsByLocationAreShown()
{
    const QLocale before;
    QLocale::setDefault(QLocale::c());
    const auto restore = qScopeGuard([&before] { QLocale::setDefault(before); });
    DashboardView view;
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *label = view.findChild<QLabel *>(QStringLiteral("locations"));
    QVERIFY(label);
    // Product 1 from a shop whose levels come; product 2 from one that sends products/update only.
    ProductSnapshot located = product(1, 1215, 30);
    located.locations = {{68400000000, 172}, {68400000001, 431}};
    located.unlocated = 612;
    view.applyBatch(batchOf({located, product(2, 40, 3)}));
    QVERIFY(label->isHidden());
    view.showProduct({"a.myshopify.com", 1});
    QTRY_VERIFY(label->isVisible());
    QCOMPARE(label->text(), QStringLiteral("Units by location: location 68400000000: 172 \u00b7 location "
                                           "68400000001: 431 \u00b7 612 at locations that have not reported yet"));
    // A level moves the product on: the line follows without a new selection.
    located.quantity = 1213;
    located.locations[1].available = 429;
    view.applyBatch(batchOf({located}));
    QVERIFY(label->text().contains(QStringLiteral("68400000001: 429")));
    // A product with more variants than Shopify sends in full: the line says what its stock leaves out.
    located.variantsNotSent = 50;
    view.applyBatch(batchOf({located}));
    QVERIFY2(label->text().endsWith(QStringLiteral("\nThe stock leaves out 50 variants: Shopify sends the first 100 "
                                                   "in full, the rest without their stock")),
             qPrintable(label->text()));
    located.variantsNotSent = 0;
    view.applyBatch(batchOf({located}));
    // Another product without levels: no line. Both selected: the line of the one with levels, titled.
    view.showProduct({"a.myshopify.com", 2});
    QTRY_VERIFY(label->isHidden());
    view.table().selectAll();
    QTRY_VERIFY(label->isVisible());
    QVERIFY2(label->text().startsWith(QStringLiteral("Product 1, by location: location 68400000000")),
             qPrintable(label->text()));
    QVERIFY(!label->text().contains(u'\n'));
}

void TstUiDashboard::selectionAndScrollSurviveUpdates()
{
    DashboardView view;
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QAbstractItemModelTester tester(&view.filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<ProductSnapshot> all;
    for (int i = 0; i < 2000; ++i)
        all.push_back(product(i + 1, 500 + i % 37, 5 + i % 11));
    view.applyBatch(batchOf(all));
    QCOMPARE(view.filter().rowCount(), 2000);
    view.table().sortByColumn(ProductTableModel::Title, Qt::AscendingOrder);
    view.table().verticalScrollBar()->setValue(400);
    view.showProduct({"a.myshopify.com", 777});
    const int scroll = view.table().verticalScrollBar()->value();
    QSignalSpy watched(&view, &DashboardView::selectionChanged);

    // Thirty batches of changed figures (and a few new products): the same product stays selected and
    // the view does not jump.
    for (int b = 0; b < 30; ++b) {
        std::vector<ProductSnapshot> changed;
        for (int i = b; i < 2000; i += 3) {
            ProductSnapshot s = all[size_t(i)];
            s.quantity -= b;
            s.ratePerHour = 5 + (i + b) % 13;
            changed.push_back(s);
        }
        changed.push_back(product(5000 + b, 10));
        view.applyBatch(batchOf(changed, kNow + b * 1000));
    }
    const std::vector<ProductRef> selected = view.selectedProducts();
    QCOMPARE(selected.size(), size_t(1));
    QCOMPARE(selected[0].productId, qint64(777));
    QCOMPARE(view.table().verticalScrollBar()->value(), scroll);
    QCOMPARE(watched.count(), 0); // updates are not selection changes
}

void TstUiDashboard::chartShowsStockPredictionThresholdAndRestocks()
{
    DashboardView view;
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.applyBatch(batchOf({product(1, 40, 20), product(2, 10)}));
    QSignalSpy watched(&view, &DashboardView::selectionChanged);
    view.showProduct({"a.myshopify.com", 1});
    QCOMPARE(watched.count(), 1);
    QCOMPARE(watched.at(0).at(0).value<std::vector<ProductRef>>().size(), size_t(1));

    LiveBatch batch = batchOf({product(1, 40, 20)});
    ProductHistory history;
    history.product = {"a.myshopify.com", 1};
    history.rules.lowStock = 12;
    const qint64 start = kNow - 3600000;
    // 60 → 50 → 30, restock to 60, then 40.
    history.points = {{start, 60}, {start + 600000, 50}, {start + 1200000, 30}, {start + 1800000, 60}, {kNow, 40}};
    batch.histories.push_back(history);
    view.applyBatch(batch);

    StockChart &chart = view.chart();
    QTRY_COMPARE(chart.productCount(), 1); // at most five redraws a second
    const auto stock = chart.seriesNamed(QStringLiteral("Product 1"));
    QCOMPARE(stock.size(), 1);
    auto *line = qobject_cast<QLineSeries *>(stock[0]);
    QVERIFY(line);
    QCOMPARE(line->count(), 9); // five points, each after the first preceded by a step
    QCOMPARE(line->at(8), QPointF(qreal(kNow), 40));
    const auto predicted = chart.seriesNamed(QStringLiteral("Predicted: "));
    QCOMPARE(predicted.size(), 1);
    auto *path = qobject_cast<QLineSeries *>(predicted[0]);
    QCOMPARE(path->at(1), QPointF(qreal(kNow + 2 * 3600000), 0)); // 40 units at 20/h
    QCOMPARE(chart.seriesNamed(QStringLiteral("80 % interval: ")).size(), 1);
    // The band is the snapshot's 80 % interval: from now and the stock, to zero at its earliest and latest ends.
    auto *band = qobject_cast<QAreaSeries *>(chart.seriesNamed(QStringLiteral("80 % interval: "))[0]);
    QCOMPARE(band->upperSeries()->count(), 2);
    QCOMPARE(band->lowerSeries()->count(), 2);
    QCOMPARE(band->upperSeries()->at(0), QPointF(qreal(kNow), 40));
    QCOMPARE(band->upperSeries()->at(1), QPointF(qreal(kNow + 8 * 3600000 / 3), 0));
    QCOMPARE(band->lowerSeries()->at(1), QPointF(qreal(kNow + 4 * 3600000 / 3), 0));
    const auto threshold = chart.seriesNamed(QStringLiteral("Low stock (12)"));
    QCOMPARE(threshold.size(), 1);
    QCOMPARE(qobject_cast<QLineSeries *>(threshold[0])->at(0).y(), 12.0);
    auto *restocks = qobject_cast<QScatterSeries *>(chart.seriesNamed(QStringLiteral("Restock: "))[0]);
    QCOMPARE(restocks->count(), 1);
    QCOMPARE(restocks->at(0), QPointF(qreal(start + 1800000), 60));

    // Deselecting clears the chart.
    view.table().clearSelection();
    QCOMPARE(chart.productCount(), 0);
}

void TstUiDashboard::chartAxesHoldWhileTheDrawingFits()
{
    StockChart chart;
    ProductHistory history;
    history.product = {"a.myshopify.com", 1};
    history.rules.lowStock = 10;
    const qint64 start = kNow - 3600000;
    history.points = {{start, 100}, {kNow, 80}};
    const ProductSnapshot snapshot = product(1, 80); // no sales rate: no predicted path
    chart.setProducts({history}, {snapshot}, kNow);
    auto *time = qobject_cast<QDateTimeAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
    auto *units = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(time && units);
    const QDateTime from = time->min();
    const QDateTime to = time->max();
    const qreal top = units->max();
    QCOMPARE(from.toMSecsSinceEpoch(), start);
    QVERIFY(to.toMSecsSinceEpoch() >= kNow);
    QVERIFY(top >= 100);

    // A minute later, one sale on: what is drawn still fits, so the axes stay where they are.
    history.points.push_back({kNow + 60000, 79});
    chart.setProducts({history}, {snapshot}, kNow + 60000);
    QCOMPARE(time->min(), from);
    QCOMPARE(time->max(), to);
    QCOMPARE(units->max(), top);

    // Half an hour on, restocked to 300: both axes move to take it in.
    history.points.push_back({kNow + 1800000, 300});
    chart.setProducts({history}, {snapshot}, kNow + 1800000);
    QCOMPARE(time->min().toMSecsSinceEpoch(), start);
    QVERIFY(time->max().toMSecsSinceEpoch() >= kNow + 1800000);
    QVERIFY(units->max() >= 300);
}

void TstUiDashboard::chartFollowsANewSelectionAfterAZoom()
{
    StockChart chart;
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    ProductHistory first;
    first.product = {"a.myshopify.com", 1};
    first.rules.lowStock = 10;
    first.points = {{kNow - 3600000, 100}, {kNow, 80}};
    chart.setProducts({first}, {product(1, 80)}, kNow);
    auto *time = qobject_cast<QDateTimeAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(time);
    // Zoomed in on the first product's stock, then another is selected whose stock is five hours on.
    QTest::keyClick(&chart, Qt::Key_Equal);
    QTest::keyClick(&chart, Qt::Key_Equal);
    ProductHistory second = first;
    second.product = {"a.myshopify.com", 2};
    second.points = {{kNow + 5 * 3600000, 40}, {kNow + 6 * 3600000, 30}};
    chart.setProducts({second}, {product(2, 30)}, kNow + 6 * 3600000);
    // The chart shows it, not an empty window of the first one's time.
    QVERIFY(time->min().toMSecsSinceEpoch() <= kNow + 5 * 3600000);
    QVERIFY(time->max().toMSecsSinceEpoch() >= kNow + 6 * 3600000);

    // A wheel zoom, then a product of the same title as the one drawn (two "Everyday Gloves" of one shop) whose
    // stock lies a day later: still a new product, so the whole of it is shown.
    ProductSnapshot gloves = product(2, 30);
    gloves.title = "Everyday Gloves";
    chart.setProducts({second}, {gloves}, kNow + 6 * 3600000);
    const auto span = [&] { return time->max().toMSecsSinceEpoch() - time->min().toMSecsSinceEpoch(); };
    const qint64 whole = span();
    const QPointF middle(400, 200);
    QWheelEvent wheel(middle, chart.viewport()->mapToGlobal(middle), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(chart.viewport(), &wheel);
    QVERIFY2(span() < whole, qPrintable(QStringLiteral("%1 ms, zoomed: %2 ms").arg(whole).arg(span())));
    ProductHistory twin = second;
    twin.product = {"a.myshopify.com", 3};
    twin.points = {{kNow + 30 * 3600000LL, 60}, {kNow + 31 * 3600000LL, 55}};
    ProductSnapshot twinGloves = product(3, 55);
    twinGloves.title = "Everyday Gloves";
    chart.setProducts({twin}, {twinGloves}, kNow + 31 * 3600000LL);
    QVERIFY(time->min().toMSecsSinceEpoch() <= kNow + 30 * 3600000LL);
    QVERIFY(time->max().toMSecsSinceEpoch() >= kNow + 31 * 3600000LL);
    // Its labels name the day where the axis spans more than one (here it may or may not, by the machine's zone).
    const bool oneDay = time->min().date() == time->max().date();
    QCOMPARE(time->format(), oneDay ? QStringLiteral("HH:mm") : QStringLiteral("ddd HH:mm"));
    chart.setProducts({first, twin}, {product(1, 80), twinGloves}, kNow + 31 * 3600000LL);
    QCOMPARE(time->format(), QStringLiteral("ddd HH:mm")); // over a day and a half: two days at least
}

void TstUiDashboard::emptyChartShowsTheStreamsHour()
{
    DashboardView view;
    view.applyBatch(batchOf({product(1, 100, 10)}, kNow));
    auto *time = qobject_cast<QDateTimeAxis *>(view.chart().chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(time);
    QCOMPARE(time->max().toMSecsSinceEpoch(), kNow); // the stream's time, not the clock's (days later)
    QCOMPARE(time->min().toMSecsSinceEpoch(), kNow - 3600000);
    QVERIFY(time->titleText().startsWith(QStringLiteral("Stream time")));
    // Same-day times are bare; others carry their date.
    QCOMPARE(clockTime(kNow + 60000, kNow),
             QDateTime::fromMSecsSinceEpoch(kNow + 60000).toString(QStringLiteral("HH:mm")));
    QCOMPARE(
        clockTime(kNow + 2 * 86400000LL, kNow),
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(kNow + 2 * 86400000LL), QStringLiteral("ddd d MMM HH:mm")));
}

void TstUiDashboard::chartDownsamplesLongHistoriesKeepingRestocks()
{
    StockChart chart;
    ProductHistory history;
    history.product = {"a.myshopify.com", 1};
    // 5,000 updates: a steady fall with a restock every 1,000, and one deep dip that must stay visible.
    qint64 quantity = 2000;
    for (int i = 0; i < 5000; ++i) {
        quantity = i % 1000 == 999 ? 2000 : quantity - 1;
        history.points.push_back({kNow - 5000000 + i * 1000LL, i == 2500 ? 3 : quantity});
    }
    chart.setProducts({history}, {product(1, quantity)}, kNow);
    auto *line = qobject_cast<QLineSeries *>(chart.seriesNamed(QStringLiteral("Product 1")).value(0));
    QVERIFY(line);
    QVERIFY2(line->count() <= 2 * 302 + 1, qPrintable(QString::number(line->count())));
    qreal lowest = 1e9;
    for (const QPointF &p : line->points())
        lowest = std::min(lowest, p.y());
    QCOMPARE(lowest, 3.0); // the dip survives
    QCOMPARE(line->at(line->count() - 1), QPointF(qreal(kNow), qreal(quantity)));
    auto *restocks = qobject_cast<QScatterSeries *>(chart.seriesNamed(QStringLiteral("Restock: ")).value(0));
    QCOMPARE(restocks->count(), 6); // every increase in the whole history: five restocks and the way up from the dip
}

// README: "zoom with the wheel or a rectangle, ... Home to reset". Wheel up zooms in on both axes, wheel down out; the
// zoom holds while the product's figures go on arriving; Home, or a double click, shows the whole drawing again.
void TstUiDashboard::chartZoomsWithTheWheelAndHomeOrADoubleClickResetsIt()
{
    ChartedDashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QTRY_COMPARE(d.chart().productCount(), 1);
    QVERIFY(d.time && d.units);
    const AxisRanges whole = d.ranges();
    // The fitted view: the hour of stock and the predicted sell-out band, units from 0 over the highest (60).
    QCOMPARE(whole.from, kNow - 3600000);
    QVERIFY2(whole.to >= kNow + 8 * 3600000 / 3, qPrintable(describe(whole)));
    QCOMPARE(whole.low, 0.0);
    QVERIFY2(whole.high >= 60, qPrintable(describe(whole)));

    d.wheel(120);
    const AxisRanges in = d.ranges();
    QVERIFY2(in.span() < whole.span() * 0.9 && in.units() < whole.units() * 0.9, qPrintable(describe(in)));
    // About the middle: the zoomed window lies inside the whole one.
    QVERIFY2(in.from > whole.from && in.to < whole.to && in.low > whole.low && in.high < whole.high,
             qPrintable(describe(in)));
    d.wheel(120);
    QVERIFY2(d.ranges().span() < in.span(), qPrintable(describe(d.ranges())));

    // Figures go on arriving: the view the person zoomed to stays.
    const AxisRanges zoomed = d.ranges();
    d.sell(1, 39);
    QTRY_COMPARE(d.chart().redraws(), 2); // at most five redraws a second
    QCOMPARE(d.ranges(), zoomed);

    // Wheel down: out, past the whole drawing.
    for (int i = 0; i < 3; ++i)
        d.wheel(-120);
    const AxisRanges out = d.ranges();
    QVERIFY2(out.span() > whole.span() && out.units() > whole.units(), qPrintable(describe(out)));

    // Home: the whole drawing, as fitted before any zoom (the minute sold since is inside it).
    QTest::keyClick(&d.chart(), Qt::Key_Home);
    QCOMPARE(d.ranges(), whole);
    // And live again: a restock above the units axis takes it in.
    d.sell(2, 500);
    QTRY_COMPARE(d.chart().redraws(), 3);
    QVERIFY2(d.ranges().high >= 500, qPrintable(describe(d.ranges())));

    // A double click resets as Home does.
    const AxisRanges live = d.ranges();
    d.wheel(120);
    QVERIFY(d.ranges() != live);
    // What a double click brings: a click, then the second press as a double click, then its release.
    QTest::mouseClick(d.viewport(), Qt::LeftButton, Qt::NoModifier, d.plotCentre());
    QTest::mouseDClick(d.viewport(), Qt::LeftButton, Qt::NoModifier, d.plotCentre());
    QTest::mouseRelease(d.viewport(), Qt::LeftButton, Qt::NoModifier, d.plotCentre());
    QCOMPARE(d.ranges(), live);
}

// A rectangle dragged with the left button: the axes then show what was inside it, and Home the whole drawing again.
void TstUiDashboard::chartZoomsToTheRectangleDraggedOverIt()
{
    ChartedDashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QTRY_COMPARE(d.chart().productCount(), 1);
    const AxisRanges whole = d.ranges();
    const QRect plot = d.chart().mapFromScene(d.chart().chart()->plotArea()).boundingRect();
    const QPoint from = plot.topLeft() + QPoint(plot.width() / 5, plot.height() / 4);
    const QPoint to = plot.topLeft() + QPoint(plot.width() / 2, plot.height() * 3 / 4);
    const QPointF topLeft = d.valueAt(from), bottomRight = d.valueAt(to);
    QTest::mousePress(d.viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(d.viewport(), (from + to) / 2);
    QTest::mouseMove(d.viewport(), to);
    QTest::mouseRelease(d.viewport(), Qt::LeftButton, Qt::NoModifier, to);
    const AxisRanges in = d.ranges();
    // Within a pixel's worth of where the rectangle's corners were.
    const qreal msPerPixel = qreal(whole.span()) / plot.width(), unitsPerPixel = whole.units() / plot.height();
    const auto near = [](qreal a, qreal b, qreal tolerance) { return std::abs(a - b) <= tolerance; };
    QVERIFY2(near(qreal(in.from), topLeft.x(), 2 * msPerPixel) && near(qreal(in.to), bottomRight.x(), 2 * msPerPixel),
             qPrintable(QStringLiteral("%1; the rectangle: time %2 to %3")
                            .arg(describe(in))
                            .arg(qint64(topLeft.x()))
                            .arg(qint64(bottomRight.x()))));
    QVERIFY2(near(in.high, topLeft.y(), 2 * unitsPerPixel) && near(in.low, bottomRight.y(), 2 * unitsPerPixel),
             qPrintable(QStringLiteral("%1; the rectangle: units %2 to %3")
                            .arg(describe(in))
                            .arg(bottomRight.y())
                            .arg(topLeft.y())));
    // Figures go on arriving: the view the rectangle chose stays.
    d.sell(1, 39);
    QTRY_COMPARE(d.chart().redraws(), 2);
    QCOMPARE(d.ranges(), in);
    QTest::keyClick(&d.chart(), Qt::Key_Home);
    QCOMPARE(d.ranges(), whole);
}

// To use the arrow keys the person clicks the chart first: a click is no zoom, and the chart goes on taking in the
// stream's new figures.
void TstUiDashboard::aClickOnTheChartLeavesItFollowingTheStream()
{
    ChartedDashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QTRY_COMPARE(d.chart().productCount(), 1);
    const AxisRanges whole = d.ranges();
    QTest::mouseClick(d.viewport(), Qt::LeftButton, Qt::NoModifier, d.plotCentre());
    QCOMPARE(d.ranges(), whole);
    // Five hours on, restocked to 500: both axes move to take it in.
    d.sell(5 * 60, 500);
    QTRY_COMPARE(d.chart().redraws(), 2);
    const AxisRanges after = d.ranges();
    QVERIFY2(after.to >= kNow + 5 * 3600000 && after.high >= 500, qPrintable(describe(after)));
}

// Panning moves the view without changing its size: dragging with the right button takes the drawing with the
// pointer; the arrow keys move it one way each. Home shows the whole drawing again, on both axes.
void TstUiDashboard::chartPansWithTheRightButtonAndTheArrowKeys()
{
    ChartedDashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QTRY_COMPARE(d.chart().productCount(), 1);
    const AxisRanges whole = d.ranges();
    const QRect plot = d.chart().mapFromScene(d.chart().chart()->plotArea()).boundingRect();
    const qreal msPerPixel = qreal(whole.span()) / plot.width(), unitsPerPixel = whole.units() / plot.height();
    const auto near = [](qreal a, qreal b, qreal tolerance) { return std::abs(a - b) <= tolerance; };

    // Dragged 200 px to the left: later times come into view, as far as the drag went.
    const QPoint start = d.plotCentre();
    QTest::mousePress(d.viewport(), Qt::RightButton, Qt::NoModifier, start);
    QTest::mouseMove(d.viewport(), start - QPoint(100, 0));
    QTest::mouseMove(d.viewport(), start - QPoint(200, 0));
    QTest::mouseRelease(d.viewport(), Qt::RightButton, Qt::NoModifier, start - QPoint(200, 0));
    AxisRanges panned = d.ranges();
    QVERIFY2(near(qreal(panned.from - whole.from), 200 * msPerPixel, 2 * msPerPixel), qPrintable(describe(panned)));
    QVERIFY2(near(qreal(panned.span()), qreal(whole.span()), 2), qPrintable(describe(panned)));
    QCOMPARE(panned.low, whole.low);
    QCOMPARE(panned.high, whole.high);
    // Then 60 px down: higher stock comes into view.
    const AxisRanges across = panned;
    QTest::mousePress(d.viewport(), Qt::RightButton, Qt::NoModifier, start);
    QTest::mouseMove(d.viewport(), start + QPoint(0, 60));
    QTest::mouseRelease(d.viewport(), Qt::RightButton, Qt::NoModifier, start + QPoint(0, 60));
    panned = d.ranges();
    QVERIFY2(near(panned.low - across.low, 60 * unitsPerPixel, 2 * unitsPerPixel), qPrintable(describe(panned)));
    QVERIFY2(near(panned.units(), across.units(), 0.01), qPrintable(describe(panned)));
    QCOMPARE(panned.from, across.from);

    // The arrow keys, once a click has given the chart the focus.
    d.view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&d.view));
    QTest::mouseClick(d.viewport(), Qt::LeftButton, Qt::NoModifier, start);
    QTRY_VERIFY(d.chart().hasFocus());
    const auto key = [&d](Qt::Key k) {
        const AxisRanges before = d.ranges();
        QTest::keyClick(d.view.focusWidget(), k);
        return std::pair{before, d.ranges()};
    };
    auto [before, after] = key(Qt::Key_Left);
    QVERIFY2(after.from < before.from && after.low == before.low, qPrintable(describe(after)));
    QVERIFY2(near(qreal(after.span()), qreal(before.span()), 2), qPrintable(describe(after)));
    std::tie(before, after) = key(Qt::Key_Right);
    QVERIFY2(after.from > before.from && after.low == before.low, qPrintable(describe(after)));
    std::tie(before, after) = key(Qt::Key_Up);
    QVERIFY2(after.low > before.low && after.from == before.from, qPrintable(describe(after)));
    QVERIFY2(near(after.units(), before.units(), 0.01), qPrintable(describe(after)));
    std::tie(before, after) = key(Qt::Key_Down);
    QVERIFY2(after.low < before.low && after.from == before.from, qPrintable(describe(after)));
    key(Qt::Key_Up);
    key(Qt::Key_Up);
    QVERIFY2(d.ranges().low > whole.low, qPrintable(describe(d.ranges())));

    QTest::keyClick(d.view.focusWidget(), Qt::Key_Home);
    QCOMPARE(d.ranges(), whole);
}

// README: "Export ... the chart as PNG". Export chart…, then a file named in its dialog: a PNG of the chart at its size
// on screen, with the product's line drawn where the chart shows it.
void TstUiDashboard::exportChartWritesAPngOfTheChartAsShown()
{
    ChartedDashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QTRY_COMPARE(d.chart().productCount(), 1);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("stock.png"));
    QToolButton *exportChart = nullptr;
    for (QToolButton *button : d.view.findChildren<QToolButton *>())
        if (button->text() == QStringLiteral("Export chart…"))
            exportChart = button;
    QVERIFY(exportChart);

    // The file dialog, as the person answers it: the folder chosen, the name typed, then Return.
    bool answered = false;
    QElapsedTimer waited;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        auto *name = dialog ? dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")) : nullptr;
        if (!name)
            return;
        if (answered) { // the dialog stayed open: closed, so that the test fails rather than waits
            if (waited.hasExpired(5000))
                dialog->reject();
            return;
        }
        answered = true;
        waited.start();
        dialog->setDirectory(dir.path());
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("stock.png"));
        QTest::keyClick(name, Qt::Key_Return);
    });
    answer.start();
    QTest::mouseClick(exportChart, Qt::LeftButton); // returns once the dialog is answered
    answer.stop();
    QVERIFY(answered);
    QVERIFY(!QApplication::activeModalWidget());

    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    QVERIFY(file.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));
    file.close();
    QImageReader reader(path);
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage image = reader.read();
    QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
    QCOMPARE(image.size(), d.chart().size() * d.chart().devicePixelRatio());
    // Not blank: the chart's background, its text, and the product's line in its colour (#1f6feb) where the line is.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    const auto line = qobject_cast<QLineSeries *>(d.chart().seriesNamed(QStringLiteral("Product 1")).value(0));
    QVERIFY(line);
    const auto lineColourNear = [&image](const QPoint &at) {
        for (int dy = -3; dy <= 3; ++dy)
            for (int dx = -3; dx <= 3; ++dx) {
                const QColor c = image.pixelColor(at + QPoint(dx, dy));
                if (std::abs(c.red() - 0x1f) < 24 && std::abs(c.green() - 0x6f) < 24 && std::abs(c.blue() - 0xeb) < 24)
                    return true;
            }
        return false;
    };
    // Halfway along the first flat step of the line (60 units for ten minutes).
    const QPointF onLine((line->at(0).x() + line->at(1).x()) / 2, line->at(0).y());
    const QPoint at =
        d.viewport()->mapTo(&d.chart(), d.chart().mapFromScene(d.chart().chart()->mapToPosition(onLine, line))) *
        d.chart().devicePixelRatio();
    QVERIFY2(lineColourNear(at), qPrintable(QStringLiteral("no line at %1,%2").arg(at.x()).arg(at.y())));
}

void TstUiDashboard::exportsTheTableAsShown()
{
    DashboardView view;
    // Figures a display would dress up: thousands, a negative stock, a fractional rate, a price, a time.
    ProductSnapshot big = product(1, 12345);
    big.ratePerHour = 1234.5;
    big.selloutAtMs = kNow + 15 * 60000; // 05:15 UTC
    big.selloutEarliestMs = kNow + 10 * 60000;
    big.selloutLatestMs = std::nullopt; // not even a slow sale ruled out
    big.status = ProductStatus::SellingOut;
    big.minPrice = 1239900; // $123.99
    big.maxPrice = 1239900;
    ProductSnapshot backordered = product(5, -2867, 304.25);
    backordered.selloutAtMs = kNow - 3600000; // sold out at 04:00 UTC
    ProductSnapshot odd = product(9, 3);
    odd.title = "Scarf, \"wool\"";
    odd.ratePerHour = 0.0;
    ProductSnapshot untracked = product(7, 0);
    untracked.status = ProductStatus::Untracked;
    untracked.hasPrice = false;
    view.applyBatch(batchOf({big, backordered, odd, untracked}));
    view.filter().sort(ProductTableModel::Stock, Qt::AscendingOrder);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("products.csv"));
    QVERIFY(view.exportTable(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();
    const QString text = QString::fromUtf8(bytes);
    QVERIFY2(!text.contains(QChar(0x2212)), "a Unicode minus sign in the export");
    QVERIFY2(!text.contains(u'$'), "a currency symbol in the export");
    QVERIFY2(!text.contains(QStringLiteral("/h")), "a unit in the export");
    QVERIFY(bytes.endsWith('\n'));

    const QList<QStringList> rows = parseCsv(bytes);
    QCOMPARE(rows.size(), 5);
    QCOMPARE(rows[0].join(u','),
             QStringLiteral("shop,product_id,title,status,quantity,change_per_hour,sellout_at,"
                            "sellout_earliest,sellout_latest,min_price,max_price,updated_at,handle"));
    // In the table's order (stock, lowest first; the untracked product last), each a record of data.
    QCOMPARE(rows[1],
             (QStringList{QStringLiteral("a.myshopify.com"), QStringLiteral("5"), QStringLiteral("Product 5"),
                          QStringLiteral("sold_out"), QStringLiteral("-2867"), QStringLiteral("-304.25"),
                          QStringLiteral("2026-11-27T04:00:00Z"), QString(), QString(), QStringLiteral("19.99"),
                          QStringLiteral("24.99"), QStringLiteral("2026-11-27T05:00:00Z"), QString()}));
    QCOMPARE(rows[2], (QStringList{QStringLiteral("a.myshopify.com"), QStringLiteral("9"),
                                   QStringLiteral("Scarf, \"wool\""), QStringLiteral("low"), QStringLiteral("3"),
                                   QStringLiteral("0"), QString(), QString(), QString(), QStringLiteral("19.99"),
                                   QStringLiteral("24.99"), QStringLiteral("2026-11-27T05:00:00Z"), QString()}));
    QCOMPARE(rows[3], (QStringList{QStringLiteral("a.myshopify.com"), QStringLiteral("1"), QStringLiteral("Product 1"),
                                   QStringLiteral("selling_out"), QStringLiteral("12345"), QStringLiteral("-1234.5"),
                                   QStringLiteral("2026-11-27T05:15:00Z"), QStringLiteral("2026-11-27T05:10:00Z"),
                                   QString(), QStringLiteral("123.99"), QStringLiteral("123.99"),
                                   QStringLiteral("2026-11-27T05:00:00Z"), QString()}));
    QCOMPARE(rows[4].value(3), QStringLiteral("untracked"));
    QCOMPARE(rows[4].value(4), QString()); // no stock figure, rather than a 0 that reads as sold out
    QCOMPARE(rows[4].value(9), QString());
    // The title's comma and quotes are quoted as RFC 4180 says.
    QVERIFY2(bytes.contains("a.myshopify.com,9,\"Scarf, \"\"wool\"\"\",low,3,"), bytes.constData());

    // Filtered: only the rows shown.
    view.filter().setText(QStringLiteral("scarf"));
    QVERIFY(view.exportTable(path));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> filtered = parseCsv(file.readAll());
    file.close();
    QCOMPARE(filtered.size(), 2);
    QCOMPARE(filtered[1].value(1), QStringLiteral("9"));
    QVERIFY(!view.exportTable(dir.filePath(QStringLiteral("missing/dir/x.csv"))));
}

void TstUiDashboard::rowTextDrawsWhereTheStyleDoes()
{
    TextTable table;
    table.view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table.view));
    QVERIFY(qobject_cast<RowTextDelegate *>(table.view.itemDelegate()));
    const QImage cached = table.render();
    QStyledItemDelegate styled;
    table.view.setItemDelegate(&styled);
    const QImage drawnByStyle = table.render();
    for (const int column : {0, 1}) { // left-aligned, then right-aligned
        const QRect ours = inkIn(cached, table.cellRect(column));
        const QRect style = inkIn(drawnByStyle, table.cellRect(column));
        QVERIFY2(!ours.isEmpty() && !style.isEmpty(), qPrintable(QStringLiteral("column %1 has no text").arg(column)));
        QVERIFY2(qAbs(ours.left() - style.left()) <= 2 && qAbs(ours.right() - style.right()) <= 2 &&
                     qAbs(ours.top() - style.top()) <= 2 && qAbs(ours.bottom() - style.bottom()) <= 2,
                 qPrintable(QStringLiteral("column %1: text at %2,%3 to %4,%5, the style's at %6,%7 to %8,%9")
                                .arg(column)
                                .arg(ours.left())
                                .arg(ours.top())
                                .arg(ours.right())
                                .arg(ours.bottom())
                                .arg(style.left())
                                .arg(style.top())
                                .arg(style.right())
                                .arg(style.bottom())));
    }
    table.view.setItemDelegate(nullptr);
}

void TstUiDashboard::rowTextElidesAndKeepsWhatItLaidOut()
{
    TextTable table;
    table.view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table.view));
    auto *delegate = qobject_cast<RowTextDelegate *>(table.view.itemDelegate());
    QVERIFY(delegate);
    const QImage first = table.render();
    // The long title is drawn inside its column, not past it.
    const QRect narrow = table.cellRect(2);
    const QRect ink = inkIn(first, QRect(narrow.left(), narrow.top(), first.width() - narrow.left(), narrow.height()));
    QVERIFY(!ink.isEmpty());
    QVERIFY2(
        ink.right() <= narrow.right(),
        qPrintable(QStringLiteral("text reaches x=%1, the column ends at %2").arg(ink.right()).arg(narrow.right())));
    // Three texts, the long one also in its elided form; a second repaint lays out nothing new.
    const qsizetype laidOut = delegate->cachedTexts();
    QCOMPARE(laidOut, 4);
    const QImage second = table.render();
    QCOMPARE(delegate->cachedTexts(), laidOut);
    QCOMPARE(second, first);
    // A changed figure is laid out once more, and drawn.
    table.model.item(0, 1)->setText(QStringLiteral("1,233"));
    const QImage third = table.render();
    QCOMPARE(delegate->cachedTexts(), laidOut + 1);
    QVERIFY(third != first);
}

void TstUiDashboard::alertsNewestFirstAndCapped()
{
    AlertsModel model(5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<Alert> alerts;
    for (int i = 0; i < 3; ++i) {
        Alert a;
        a.id = QByteArray::number(i);
        a.rule = AlertRule::LowStock;
        a.shop = "a.myshopify.com";
        a.productId = i;
        a.title = "Product " + QByteArray::number(i);
        a.atMs = kNow + i;
        alerts.push_back(a);
    }
    model.addAlerts(alerts);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.alert(0).id, QByteArray("2")); // newest first
    for (Alert &a : alerts)
        a.id += "b";
    model.addAlerts(alerts);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.alert(0).id, QByteArray("2b")); // at the same time, the one that came later first
    QCOMPARE(model.alert(1).id, QByteArray("2"));
    QCOMPARE(model.alert(4).id, QByteArray("0b")); // the oldest, "0", went

    // Another connection's stream, read after, with alerts from earlier in the day: they take their place by
    // their time, under the newer ones, not on top because they came last.
    Alert earlier = alerts[1];
    earlier.id = "earlier";
    earlier.productId = 99;
    earlier.atMs = kNow + 1;
    model.addAlerts({earlier});
    QStringList times;
    for (int row = 0; row < model.rowCount(); ++row)
        times << QString::number(model.alert(row).atMs - kNow);
    QCOMPARE(times, (QStringList{QStringLiteral("2"), QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("1"),
                                 QStringLiteral("1")}));
    QCOMPARE(model.alert(2).id, QByteArray("earlier"));
    // Each time with its date and second, and the delivery said to be unknown until the outbox has answered.
    QCOMPARE(model.index(0, AlertsModel::Time).data().toString(),
             QLocale().toString(QDateTime::fromMSecsSinceEpoch(kNow + 2), QStringLiteral("ddd d MMM HH:mm:ss")));
    QVERIFY(model.index(0, AlertsModel::Time).data().toString().contains(QStringLiteral("Nov")));
    QCOMPARE(model.index(0, AlertsModel::Delivery).data().toString(), QStringLiteral("recording…"));
    AlertOutbox::Entry recorded;
    recorded.alert = model.alert(0);
    model.updateStates({recorded});
    QCOMPARE(model.index(0, AlertsModel::Delivery).data().toString(), QStringLiteral("—"));
    QVERIFY(model.index(0, AlertsModel::Delivery)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(QStringLiteral("Not sent anywhere")));
}

void TstUiDashboard::activatingAnAlertNamesItsProduct()
{
    AlertsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    Alert a;
    a.id = "x";
    a.rule = AlertRule::SellingOut;
    a.shop = "a.myshopify.com";
    a.productId = 42;
    a.title = "Sneaker";
    view.addAlerts({a});
    QSignalSpy activated(&view, &AlertsView::productActivated);
    view.table().setCurrentIndex(view.table().model()->index(0, 0));
    view.table().setFocus();
    QTest::keyClick(&view.table(), Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).value<ProductRef>().productId, qint64(42));

    // The alert's menu opens the product in the dashboard, or its page in the Shopify admin.
    std::unique_ptr<QMenu> menu(view.alertMenu(view.table().model()->index(0, 0)));
    QAction *dashboard = menu->actions().value(0);
    QCOMPARE(dashboard->text(), QStringLiteral("Show the product in the dashboard"));
    dashboard->trigger();
    QCOMPARE(activated.count(), 2);
    QAction *admin = nullptr;
    for (QAction *action : menu->actions())
        if (action->text() == QLatin1String("Open in Shopify admin"))
            admin = action;
    QVERIFY(admin && admin->isEnabled());
    UrlCatcher opened;
    QDesktopServices::setUrlHandler(QStringLiteral("https"), &opened, "open");
    admin->trigger();
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    QCOMPARE(opened.urls, QList<QUrl>{QUrl(QStringLiteral("https://admin.shopify.com/store/a/products/42"))});
}

namespace {

// An alert of product `product`'s episode `episode`, `minute` minutes after kNow.
Alert threadAlert(const QByteArray &id, AlertRule rule, qint64 product, const QByteArray &episode, int minute)
{
    Alert a;
    a.id = id;
    a.rule = rule;
    a.shop = "peak-apparel.myshopify.com";
    a.productId = product;
    a.title = product == 1 ? "Fleece Hoodie" : "Merino Beanie";
    a.atMs = kNow + minute * 60 * 1000;
    a.episode = episode;
    a.message = QString::fromUtf8(a.title) + QStringLiteral(" alert");
    return a;
}

// The column's texts, top to bottom, joined with "|".
QString column(const AlertsModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, column).data(role).toString();
    return out.join(u'|');
}

} // namespace

void TstUiDashboard::alertsOfAnEpisodeReadAsOneThread_data()
{
    QTest::addColumn<bool>("oneBatch");
    QTest::addRow("alerts arriving one by one") << false;
    QTest::addRow("alerts arriving in one batch") << true;
}

// The alerts of one product's episode read as one thread: its first alert on top, the follow-ups under it in the
// order they fired, each saying where it stands; the thread with the newest alert first. Selections follow the
// alerts they selected while threads move.
void TstUiDashboard::alertsOfAnEpisodeReadAsOneThread()
{
    QFETCH(bool, oneBatch);
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Alert sellingOut = threadAlert("h1", AlertRule::SellingOut, 1, "hoodie-1", 14);
    sellingOut.selloutEarliestMs = kNow + 32 * 60 * 1000;
    sellingOut.selloutLatestMs = kNow + 65 * 60 * 1000;
    const std::vector<Alert> fired{sellingOut, threadAlert("b1", AlertRule::LowStock, 2, "beanie-1", 15),
                                   threadAlert("h2", AlertRule::LowStock, 1, "hoodie-1", 20),
                                   threadAlert("h3", AlertRule::SoldOut, 1, "hoodie-1", 31)};
    if (oneBatch) {
        model.addAlerts(fired);
    } else {
        for (const Alert &a : fired)
            model.addAlerts({a});
    }
    QCOMPARE(column(model, 0, AlertsModel::IdRole), QStringLiteral("h1|h2|h3|b1"));
    QCOMPARE(column(model, 0, AlertsModel::ThreadPositionRole), QStringLiteral("1|2|3|1"));
    QCOMPARE(column(model, AlertsModel::Product),
             QStringLiteral("Fleece Hoodie|    ↳ Fleece Hoodie|    ↳ Fleece Hoodie|Merino Beanie"));
    const QString firstAt = QDateTime::fromMSecsSinceEpoch(kNow + 14 * 60 * 1000).toString(QStringLiteral("HH:mm"));
    QCOMPARE(model.index(2, AlertsModel::Message).data().toString(),
             QStringLiteral("Fleece Hoodie alert — 3rd alert since the selling-out warning at ") + firstAt);
    QCOMPARE(model.index(0, AlertsModel::Message).data().toString(), QStringLiteral("Fleece Hoodie alert"));
    // The predicted sell-out's interval, where the alert has one.
    const QString tip = model.index(0, AlertsModel::Message).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Sell-out likely between ") +
                          QDateTime::fromMSecsSinceEpoch(kNow + 32 * 60 * 1000).toString(QStringLiteral("HH:mm")) +
                          QStringLiteral(" and ") +
                          QDateTime::fromMSecsSinceEpoch(kNow + 65 * 60 * 1000).toString(QStringLiteral("HH:mm"))),
             qPrintable(tip));
    QVERIFY(!model.index(3, AlertsModel::Message).data(Qt::ToolTipRole).toString().contains(QStringLiteral("likely")));

    // The beanie's episode goes on: its thread moves to the top, and the selection stays with the hoodie's sold-out.
    QItemSelectionModel selection(&model);
    selection.select(model.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    model.addAlerts({threadAlert("b2", AlertRule::SoldOut, 2, "beanie-1", 40)});
    QCOMPARE(column(model, 0, AlertsModel::IdRole), QStringLiteral("b1|b2|h1|h2|h3"));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(model.alert(selection.selectedRows().front().row()).id, QByteArray("h3"));
    QCOMPARE(model.productAt(1).productId, qint64(2));
    QCOMPARE(model.index(1, AlertsModel::Message).data().toString(),
             QStringLiteral("Merino Beanie alert — 2nd alert since the low-stock warning at ") +
                 QDateTime::fromMSecsSinceEpoch(kNow + 15 * 60 * 1000).toString(QStringLiteral("HH:mm")));

    // A restock starts a new episode: a thread of its own.
    model.addAlerts({threadAlert("h4", AlertRule::SellingOut, 1, "hoodie-2", 90)});
    QCOMPARE(column(model, 0, AlertsModel::IdRole), QStringLiteral("h4|b1|b2|h1|h2|h3"));
    QCOMPARE(model.index(0, AlertsModel::Product).data().toString(), QStringLiteral("Fleece Hoodie"));

    // Acknowledging and delivery states reach the rows wherever their threads are.
    AlertOutbox::Entry entry;
    entry.alert = model.alert(4);
    entry.acknowledgedAtMs = kNow;
    entry.deliveries.push_back({QStringLiteral("slack"), AlertOutbox::DeliveryState::Delivered, 1, {}});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateStates({entry});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(4, AlertsModel::State).data().toString(), QStringLiteral("Acknowledged"));
    QCOMPARE(model.index(4, AlertsModel::Delivery).data().toString(), QStringLiteral("slack ✓"));
    QCOMPARE(model.alert(4).id, QByteArray("h2"));
}

// The history from the outbox (newest first, each alert with its place in its thread) is shown as threads, the
// places as the outbox counted them; an alert recorded before episodes were kept is a thread of its own.
void TstUiDashboard::alertHistoryIsShownAsThreads()
{
    AlertsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<AlertOutbox::Entry> entries;
    auto entry = [&](Alert a, int position) {
        a.thread = Alert::Thread{position, AlertRule::SellingOut, kNow + 14 * 60 * 1000};
        entries.push_back({a, 0, std::nullopt, {}});
    };
    entry(threadAlert("h3", AlertRule::SoldOut, 1, "hoodie-1", 31), 3); // newest first, as recent() reads
    Alert older = threadAlert("old", AlertRule::LowStock, 2, {}, 25);
    entries.push_back({older, 0, std::nullopt, {}});
    entry(threadAlert("h2", AlertRule::LowStock, 1, "hoodie-1", 20), 2);
    model.setHistory(entries); // the hoodie's first alert was pruned: its follow-ups still count from it
    QCOMPARE(column(model, 0, AlertsModel::IdRole), QStringLiteral("h2|h3|old"));
    QCOMPARE(column(model, 0, AlertsModel::ThreadPositionRole), QStringLiteral("2|3|1"));
    QCOMPARE(column(model, AlertsModel::Product), QStringLiteral("Fleece Hoodie|    ↳ Fleece Hoodie|Merino Beanie"));
    QVERIFY(model.index(0, AlertsModel::Message).data().toString().contains(QStringLiteral("2nd alert since")));
    QCOMPARE(model.index(2, AlertsModel::Message).data().toString(), QStringLiteral("Merino Beanie alert"));
}

QTEST_MAIN(TstUiDashboard)
#include "tst_ui_dashboard.moc"
