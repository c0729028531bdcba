#include "alerts_view.h"

#include "alerts_model.h"
#include "row_table.h"
#include "ui_format.h"

#include <QHBoxLayout>
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
    setUpRowTable(*m_table, QAbstractItemView::SingleSelection);
    m_table->setColumnWidth(AlertsModel::Time, 130);
    m_table->setColumnWidth(AlertsModel::Rule, 100);
    m_table->setColumnWidth(AlertsModel::Product, 260);
    m_table->setColumnWidth(AlertsModel::Shop, 230);
    m_table->setColumnWidth(AlertsModel::Stock, 70);
    m_table->setToolTip(QStringLiteral("Double-click an alert, or press Enter, to open its product"));
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT productActivated(m_model->productAt(m_filter->mapToSource(index).row()));
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
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

void AlertsView::updateCount()
{
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    m_count->setText(shown == all ? QStringLiteral("%1 alerts").arg(count(all))
                                  : QStringLiteral("%1 of %2 alerts").arg(count(shown), count(all)));
}

} // namespace peakwatch::ui
