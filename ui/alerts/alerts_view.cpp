// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alerts_view.h"

#include "alerts_model.h"
#include "row_table.h"
#include "ui_format.h"

#include "shopify_admin.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QUrl>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QMenu>
#include <QToolButton>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace peakwatch::ui {

AlertsView::AlertsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new AlertsModel(10000, this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_acknowledge(new QToolButton(this))
    , m_snooze(new QToolButton(this))
{
    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(-1);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_search->setPlaceholderText(QStringLiteral("Filter alerts by product, shop or rule"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(QStringLiteral("Shows only the alerts whose text contains this"));
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text);
        updateCount();
    });

    m_table->setModel(m_filter);
    setUpRowTable(*m_table, QAbstractItemView::ExtendedSelection);
    m_table->setColumnWidth(AlertsModel::Time, 130);
    m_table->setColumnWidth(AlertsModel::Rule, 100);
    m_table->setColumnWidth(AlertsModel::Product, 260);
    m_table->setColumnWidth(AlertsModel::Shop, 230);
    m_table->setColumnWidth(AlertsModel::Stock, 70);
    m_table->setColumnWidth(AlertsModel::State, 110);
    m_table->setColumnWidth(AlertsModel::Delivery, 200);
    m_table->setToolTip(QStringLiteral("Double-click an alert, or press Enter, to open its product"));
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT productActivated(m_model->productAt(m_filter->mapToSource(index).row()));
    });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_table->indexAt(at);
        if (!index.isValid())
            return;
        std::unique_ptr<QMenu> menu(alertMenu(index));
        menu->exec(m_table->viewport()->mapToGlobal(at));
    });

    m_acknowledge->setText(QStringLiteral("Acknowledge"));
    m_acknowledge->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_acknowledge->setToolTip(QStringLiteral("Mark the selected alerts as seen (Ctrl+K): they no longer count in "
                                             "the tray icon"));
    connect(m_acknowledge, &QToolButton::clicked, this,
            [this] { Q_EMIT acknowledgeRequested(selectedIds(), streamTime()); });
    m_snooze->setText(QStringLiteral("Snooze"));
    m_snooze->setPopupMode(QToolButton::InstantPopup);
    m_snooze->setToolTip(QStringLiteral("No desktop or Slack alerts for the selected products for a while; they "
                                        "are still recorded here and sent to the alerts topic"));
    auto *menu = new QMenu(m_snooze);
    for (const auto &[label, hours] : {std::pair{"For 1 hour", 1}, {"For 4 hours", 4}, {"For 24 hours", 24}}) {
        const qint64 ms = qint64(hours) * 3600 * 1000;
        menu->addAction(QString::fromLatin1(label), this, [this, ms] { snoozeSelected(streamTime() + ms); });
    }
    menu->addAction(QStringLiteral("Until tomorrow 08:00"), this, [this] {
        const QDate today = QDateTime::fromMSecsSinceEpoch(streamTime()).date();
        snoozeSelected(QDateTime(today.addDays(1), QTime(8, 0)).toMSecsSinceEpoch());
    });
    m_snooze->setMenu(menu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlertsView::updateButtons);
    updateButtons();

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_acknowledge);
    top->addWidget(m_snooze);
    top->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    updateCount();
}

void AlertsView::addAlerts(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return;
    m_model->addAlerts(alerts);
    updateCount();
}

void AlertsView::clear()
{
    m_model->clear();
    updateCount();
}

std::vector<QByteArray> AlertsView::selectedIds() const
{
    std::vector<QByteArray> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->alert(m_filter->mapToSource(index).row()).id);
    return ids;
}

qint64 AlertsView::streamTime() const
{
    return m_streamNowMs > 0 ? m_streamNowMs : QDateTime::currentMSecsSinceEpoch();
}

QMenu *AlertsView::alertMenu(const QModelIndex &index)
{
    const ProductRef product = m_model->productAt(m_filter->mapToSource(index).row());
    auto *menu = new QMenu(this);
    menu->addAction(QStringLiteral("Show the product in the dashboard"), this,
                    [this, product] { Q_EMIT productActivated(product); });
    const QString url = shopifyAdminProductUrl(product.shop, product.productId);
    QAction *open =
        menu->addAction(QStringLiteral("Open in Shopify admin"), this, [url] { QDesktopServices::openUrl(QUrl(url)); });
    open->setEnabled(!url.isEmpty());
    return menu;
}

void AlertsView::snoozeSelected(qint64 untilMs)
{
    std::vector<ProductRef> products;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const ProductRef product = m_model->productAt(m_filter->mapToSource(index).row());
        if (std::find(products.begin(), products.end(), product) == products.end())
            products.push_back(product);
    }
    if (!products.empty())
        Q_EMIT snoozeRequested(products, untilMs);
}

void AlertsView::updateButtons()
{
    const bool any = m_table->selectionModel()->hasSelection();
    m_acknowledge->setEnabled(any);
    m_snooze->setEnabled(any);
}

void AlertsView::updateCount()
{
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    m_count->setText(shown == all ? QStringLiteral("%1 alerts").arg(count(all))
                                  : QStringLiteral("%1 of %2 alerts").arg(count(shown), count(all)));
}

} // namespace peakwatch::ui
