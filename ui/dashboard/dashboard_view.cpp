// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "dashboard_view.h"

#include "location_breakdown.h"

#include "chart_export.h"
#include "product_filter_model.h"
#include "product_table_model.h"
#include "row_table.h"
#include "steady_text.h"
#include "stock_chart.h"
#include "ui_format.h"

#include "shopify_admin.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QMenu>
#include <QStringBuilder>
#include <QUrl>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSplitter>
#include <QStyle>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

constexpr int kMaxChartedProducts = 6;
constexpr qint64 kChartIntervalMs = 180; // the chart redraws five or six times a second, never more

// The status filter buttons, most urgent first.
constexpr std::array<ProductStatus, 5> kStatusOrder{ProductStatus::SoldOut, ProductStatus::SellingOut,
                                                    ProductStatus::Low, ProductStatus::Ok, ProductStatus::Untracked};

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ProductTableModel(this))
    , m_filter(new ProductFilterModel(this))
    , m_search(new QLineEdit(this))
    , m_shown(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_locations(new QLabel(this))
    , m_table(new QTableView(this))
    , m_chart(new StockChart(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_resort(new QTimer(this))
    , m_chartTimer(new QTimer(this))
{
    m_filter->setSourceModel(m_model);

    m_search->setPlaceholderText(QStringLiteral("Filter by product or shop  (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(QStringLiteral("Shows only the products whose title or shop contains this text"));
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateCounts();
    });
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(find);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 2);
    // A chip shows only its products and stays pressed while it does; a second click shows all again.
    // Ctrl+click adds a status to those shown.
    for (size_t i = 0; i < kStatusOrder.size(); ++i) {
        auto *button = new QToolButton(this);
        button->setCheckable(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setObjectName(QStringLiteral("statusChip_") % productStatusName(kStatusOrder[i]));
        button->setToolTip(QStringLiteral("Show only the products that are: %1. Click again to show all; Ctrl+click "
                                          "to show more than one status")
                               .arg(statusLabel(kStatusOrder[i]).toLower()));
        connect(button, &QToolButton::clicked, this, [this, i] { onChipClicked(i); });
        m_statusButtons[i] = button;
        top->addWidget(button);
    }
    top->addWidget(m_shown, 1, Qt::AlignRight);
    auto *exportCsv = new QToolButton(this);
    exportCsv->setText(QStringLiteral("Export CSV…"));
    exportCsv->setToolTip(QStringLiteral("Save the table as shown (filtered and sorted) as a CSV file"));
    connect(exportCsv, &QToolButton::clicked, this, &DashboardView::chooseExportTable);
    auto *exportPng = new QToolButton(this);
    exportPng->setText(QStringLiteral("Export chart…"));
    exportPng->setToolTip(QStringLiteral("Save the chart as a PNG image"));
    connect(exportPng, &QToolButton::clicked, this, &DashboardView::chooseExportChart);
    top->addWidget(exportCsv);
    top->addWidget(exportPng);

    m_summary->setObjectName(QStringLiteral("salesAtRisk"));
    m_shown->setObjectName(QStringLiteral("shownCount"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setToolTip(QStringLiteral("Products still in stock whose predicted sell-out falls within the hour, and "
                                         "those the alert rules judge to be selling out within their horizon; and the "
                                         "sales an hour they carry (sales rate × the middle of the price range), "
                                         "which stop when they sell out"));

    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ProductTableModel::SelloutIn, Qt::AscendingOrder);
    setUpRowTable(*m_table, QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int em = m_table->fontMetrics().averageCharWidth();
    m_table->setColumnWidth(ProductTableModel::Title, 30 * em);
    m_table->setColumnWidth(ProductTableModel::Shop, 30 * em);
    // Shopify's ids have 13 digits today: room for 14, never cut.
    m_table->setColumnWidth(ProductTableModel::ProductId,
                            m_table->fontMetrics().horizontalAdvance(QStringLiteral("00000000000000")) + em * 2);
    m_table->setColumnWidth(ProductTableModel::Handle, 20 * em);
    m_table->setColumnWidth(ProductTableModel::Stock, 9 * em);
    m_table->setColumnWidth(ProductTableModel::ChangePerHour, 11 * em);
    m_table->setColumnWidth(ProductTableModel::SelloutIn, 16 * em);
    m_table->setColumnWidth(ProductTableModel::SelloutAt, 13 * em);
    m_table->setColumnWidth(ProductTableModel::Price, 18 * em);
    // A sorted column's header carries an arrow beside its name: room for both, so "Change/h" is never cut. The
    // header's own size hint, with the arrow's width added where the style leaves it out for unsorted sections.
    QHeaderView &header = *m_table->horizontalHeader();
    const int arrow = header.style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, &header) +
                      header.style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, &header);
    for (int c = 0; c < ProductTableModel::ColumnCount - 1; ++c)
        m_table->setColumnWidth(c, std::max(m_table->columnWidth(c), header.sectionSizeHint(c) + arrow));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DashboardView::onSelectionChanged);
    m_table->viewport()->installEventFilter(this);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &DashboardView::showTableMenu);

    auto *upper = new QWidget(this);
    auto *upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addWidget(m_summary);
    upperLayout->addLayout(top);
    upperLayout->addWidget(m_table, 1);
    m_splitter->addWidget(upper);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_chart, 1);
    m_locations->setObjectName(QStringLiteral("locations"));
    m_locations->setWordWrap(true);
    m_locations->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_locations->hide();
    lowerLayout->addWidget(m_locations);
    m_splitter->addWidget(lower);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({440, 330}); // until the user's own sizes are restored

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);
    updateCounts();

    // Rows move to their sorted place once a second, not on every change (see ProductFilterModel).
    m_resort->setObjectName(QStringLiteral("resortTimer"));
    m_resort->setInterval(1000);
    connect(m_resort, &QTimer::timeout, this, [this] {
        if (m_changedSinceSort && !orderHeld()) {
            m_changedSinceSort = false;
            m_filter->refresh();
            updateCounts();
        }
    });
    m_chartTimer->setObjectName(QStringLiteral("chartTimer"));
    m_chartTimer->setSingleShot(true);
    connect(m_chartTimer, &QTimer::timeout, this, [this] {
        if (m_chartStale)
            redrawChart();
    });
    m_resort->start();
}

void DashboardView::applyBatch(const LiveBatch &batch)
{
    const int rowsBefore = m_model->rowCount();
    m_model->applyBatch(batch);
    if (m_model->rowCount() != rowsBefore)
        m_table->doItemsLayout(); // now, not after the repaint the batch asks for: one repaint, not two
    m_changedSinceSort = m_changedSinceSort || !batch.changed.empty();
    if (m_chart->productCount() == 0)
        m_chart->setStreamTime(m_model->nowMs());
    if (!batch.histories.empty()) {
        // Keep what arrived for the products still selected; newer histories replace older ones.
        const std::vector<ProductRef> selected = selectedProducts();
        for (const ProductHistory &h : batch.histories) {
            if (std::find(selected.begin(), selected.end(), h.product) == selected.end())
                continue;
            auto it = std::find_if(m_histories.begin(), m_histories.end(),
                                   [&](const ProductHistory &old) { return old.product == h.product; });
            if (it == m_histories.end())
                m_histories.push_back(h);
            else
                *it = h;
        }
        // Five or six times a second: a chart is costlier to lay out than the table.
        m_chartStale = true;
        const qint64 sinceDrawn = QDateTime::currentMSecsSinceEpoch() - m_chartDrawnAtMs;
        if (sinceDrawn >= kChartIntervalMs)
            redrawChart();
        else if (!m_chartTimer->isActive())
            m_chartTimer->start(int(kChartIntervalMs - sinceDrawn));
    }
    if (!m_selected.empty())
        updateLocations();
    updateCounts();
}

void DashboardView::clear()
{
    m_model->clear();
    m_histories.clear();
    m_selected.clear();
    m_chart->clearProducts();
    m_locations->clear();
    m_locations->hide();
    updateCounts();
}

std::vector<ProductRef> DashboardView::selectedProducts() const
{
    std::vector<ProductRef> out;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const QModelIndex source = m_filter->mapToSource(index);
        const ProductSnapshot &s = m_model->snapshot(source.row());
        out.push_back({s.shop, s.productId});
        if (int(out.size()) == kMaxChartedProducts)
            break;
    }
    return out;
}

void DashboardView::showProduct(const ProductRef &product)
{
    const int row = m_model->rowOf(product);
    if (row < 0)
        return;
    QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) { // hidden by a filter: show everything
        m_search->clear();
        showOnlyStatuses({});
        index = m_filter->mapFromSource(m_model->index(row, 0));
    }
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    // Coming from another tab, the table is laid out only once shown: scroll again then, to where the row is
    // by then.
    QTimer::singleShot(0, m_table, [table = m_table, row = QPersistentModelIndex(index)] {
        if (row.isValid())
            table->scrollTo(row, QAbstractItemView::PositionAtCenter);
    });
    m_table->setFocus();
}

void DashboardView::onSelectionChanged()
{
    const std::vector<ProductRef> selected = selectedProducts();
    std::erase_if(m_histories, [&](const ProductHistory &h) {
        return std::find(selected.begin(), selected.end(), h.product) == selected.end();
    });
    const bool same = selected == m_selected; // rows that moved with sorting are still the same products
    m_selected = selected;
    redrawChart();
    if (!same)
        Q_EMIT selectionChanged(selected);
}

namespace {
constexpr size_t kMaxLocationLines = 4;
} // namespace

void DashboardView::updateLocations()
{
    // The units by location of the products selected, and what their stock leaves out, a line each (titled when
    // there are several), for as many as the chart draws.
    QStringList lines;
    for (size_t i = 0; i < m_selected.size() && i < kMaxLocationLines; ++i) {
        const int row = m_model->rowOf(m_selected[i]);
        if (row < 0)
            continue;
        const ProductSnapshot snapshot = m_model->snapshot(row);
        const QString title = m_selected.size() == 1 ? QString() : QString::fromUtf8(snapshot.title);
        if (const QString line = locationBreakdown(snapshot); !line.isEmpty())
            lines << (title.isEmpty() ? QStringLiteral("Units by location: ")
                                      : title + QStringLiteral(", by location: ")) +
                         line;
        if (const QString note = uncountedVariantsNote(snapshot); !note.isEmpty())
            lines << (title.isEmpty() ? note : title + QStringLiteral(": ") + note);
    }
    const QString locations = lines.join(u'\n');
    if (locations != m_locations->text())
        m_locations->setText(locations);
    m_locations->setVisible(!locations.isEmpty());
}

void DashboardView::redrawChart()
{
    m_chartStale = false;
    m_chartDrawnAtMs = QDateTime::currentMSecsSinceEpoch();
    updateLocations();
    if (m_histories.empty()) {
        m_chart->clearProducts();
        return;
    }
    std::vector<ProductSnapshot> snapshots;
    for (const ProductHistory &h : m_histories)
        if (const int row = m_model->rowOf(h.product); row >= 0)
            snapshots.push_back(m_model->snapshot(row));
    m_chart->setProducts(m_histories, snapshots, m_model->nowMs());
}

void DashboardView::updateStatusFilter()
{
    std::bitset<5> shown;
    for (size_t i = 0; i < kStatusOrder.size(); ++i)
        shown.set(size_t(kStatusOrder[i]), m_statusButtons[i]->isChecked());
    m_filter->setStatuses(shown.none() ? std::bitset<5>().set() : shown);
    updateCounts();
}

void DashboardView::onChipClicked(size_t chip)
{
    // The button has toggled itself. Without Ctrl it is the only status shown, or, clicked while on, none is.
    if (!(QGuiApplication::keyboardModifiers() & Qt::ControlModifier)) {
        const bool on = m_statusButtons[chip]->isChecked();
        for (QToolButton *button : m_statusButtons)
            button->setChecked(false);
        m_statusButtons[chip]->setChecked(on);
    }
    updateStatusFilter();
}

void DashboardView::showOnlyStatuses(const std::vector<ProductStatus> &statuses)
{
    for (size_t i = 0; i < kStatusOrder.size(); ++i)
        m_statusButtons[i]->setChecked(std::find(statuses.begin(), statuses.end(), kStatusOrder[i]) != statuses.end());
    updateStatusFilter();
}

QToolButton &DashboardView::statusChip(ProductStatus status)
{
    const auto i = size_t(std::find(kStatusOrder.begin(), kStatusOrder.end(), status) - kStatusOrder.begin());
    return *m_statusButtons[i];
}

bool DashboardView::orderHeld() const
{
    // A click and a Ctrl+click must land on the rows the person saw: the order holds while the pointer is
    // over the rows, while a button is down, and while Ctrl or Shift (extending a selection) is held. The count
    // above the table says "order held" meanwhile, and the rows take their sorted places once it leaves.
    return m_pointerOverTable || QGuiApplication::mouseButtons() != Qt::NoButton ||
           (QGuiApplication::keyboardModifiers() & (Qt::ControlModifier | Qt::ShiftModifier));
}

bool DashboardView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport()) {
        if (event->type() == QEvent::Enter || event->type() == QEvent::Leave) {
            m_pointerOverTable = event->type() == QEvent::Enter;
            updateCounts();
        }
    }
    return QWidget::eventFilter(watched, event);
}

void DashboardView::setAlertHorizon(qint64 horizonMs)
{
    m_horizonMs = horizonMs;
    updateSummary();
}

QString DashboardView::summaryText() const
{
    return m_summary->text();
}

void DashboardView::updateSummary()
{
    // Sales an hour a product carries: its rate times the middle of its price range, in the shop's currency.
    qint64 withinHour = 0, withinHorizon = 0;
    double hourSales = 0, horizonSales = 0;
    const qint64 nowMs = m_model->nowMs();
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const ProductSnapshot &s = m_model->snapshot(r);
        if (s.status == ProductStatus::SoldOut || s.status == ProductStatus::Untracked || !s.selloutAtMs)
            continue;
        const double price = double(s.minPrice + (s.maxPrice - s.minPrice) / 2) / double(kMoneyScale);
        const double sales = s.hasPrice ? s.ratePerHour.value_or(0) * price : 0;
        if (*s.selloutAtMs - nowMs <= 3600 * 1000) {
            ++withinHour;
            hourSales += sales;
        }
        if (s.status == ProductStatus::SellingOut) {
            ++withinHorizon;
            horizonSales += sales;
        }
    }
    const QString horizon = m_horizonMs % 3600000 == 0 ? QStringLiteral("%1 h").arg(m_horizonMs / 3600000)
                                                       : QStringLiteral("%1 min").arg(m_horizonMs / 60000);
    const auto money = [](double amount) -> QString { return QStringLiteral("$") % count(qRound64(amount)); };
    setSteadyText(m_summary,
                  QStringLiteral("Sell out within the hour: <b>%1</b> %2, <b>%3/h</b> in sales &nbsp;·&nbsp; "
                                 "selling out within %4 (the alert horizon): <b>%5</b>, <b>%6/h</b>")
                      .arg(count(withinHour), withinHour == 1 ? QStringLiteral("product") : QStringLiteral("products"),
                           money(hourSales), horizon, count(withinHorizon), money(horizonSales)));
}

void DashboardView::updateCounts()
{
    std::array<qint64, 5> counts{};
    for (int r = 0; r < m_model->rowCount(); ++r)
        ++counts[size_t(m_model->snapshot(r).status)];
    for (size_t i = 0; i < kStatusOrder.size(); ++i)
        setSteadyText(m_statusButtons[i], QStringLiteral("%1 %2").arg(statusLabel(kStatusOrder[i]),
                                                                      count(counts[size_t(kStatusOrder[i])])));
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    const QString held = orderHeld() && m_changedSinceSort ? QStringLiteral(" · order held") : QString();
    setSteadyText(m_shown, (shown == all ? QStringLiteral("%1 products").arg(count(all))
                                         : QStringLiteral("%1 of %2 products").arg(count(shown), count(all))) %
                               held);
    m_shown->setToolTip(held.isEmpty() ? QString()
                                       : QStringLiteral("Rows keep their place while the pointer is over the table, so "
                                                        "that a click lands on the product you see; they move to their "
                                                        "sorted place when it leaves"));
    updateSummary();
}

void DashboardView::showTableMenu(const QPoint &at)
{
    const QModelIndex index = m_table->indexAt(at);
    if (!index.isValid())
        return;
    std::unique_ptr<QMenu> menu(productMenu(index));
    menu->exec(m_table->viewport()->mapToGlobal(at));
}

QMenu *DashboardView::productMenu(const QModelIndex &index)
{
    const ProductSnapshot &s = m_model->snapshot(m_filter->mapToSource(index).row());
    auto *menu = new QMenu(this);
    const QString url = shopifyAdminProductUrl(s.shop, s.productId);
    QAction *open = menu->addAction(QStringLiteral("Open in Shopify admin"));
    open->setEnabled(!url.isEmpty());
    connect(open, &QAction::triggered, this, [url] { QDesktopServices::openUrl(QUrl(url)); });
    const QString id = QString::number(s.productId);
    menu->addAction(QStringLiteral("Copy product ID"), this, [id] { QGuiApplication::clipboard()->setText(id); });
    if (!s.handle.isEmpty()) {
        const QString handle = QString::fromUtf8(s.handle);
        menu->addAction(QStringLiteral("Copy handle"), this,
                        [handle] { QGuiApplication::clipboard()->setText(handle); });
    }
    return menu;
}

Status DashboardView::exportTable(const QString &path) const
{
    return exportProductsCsv(*m_filter, *m_model, path);
}

Status DashboardView::exportChart(const QString &path)
{
    return exportPng(*m_chart, path);
}

void DashboardView::chooseExportTable()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the table"),
                                                      dir + QStringLiteral("/peakwatch-products.csv"),
                                                      QStringLiteral("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (Status s = exportTable(path); !s)
        QMessageBox::warning(this, QStringLiteral("Export failed"), s.error());
}

void DashboardView::chooseExportChart()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the chart"),
                                                      dir + QStringLiteral("/peakwatch-stock.png"),
                                                      QStringLiteral("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (Status s = exportChart(path); !s)
        QMessageBox::warning(this, QStringLiteral("Export failed"), s.error());
}

} // namespace peakwatch::ui
