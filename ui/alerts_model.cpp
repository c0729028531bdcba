#include "alerts_model.h"

#include "ui_format.h"

#include <QApplication>
#include <QDateTime>
#include <QPalette>

namespace peakwatch::ui {
namespace {

ProductStatus statusOf(AlertRule rule)
{
    switch (rule) {
    case AlertRule::LowStock: return ProductStatus::Low;
    case AlertRule::SellingOut: return ProductStatus::SellingOut;
    case AlertRule::SoldOut: return ProductStatus::SoldOut;
    default: return ProductStatus::Ok;
    }
}

QString ruleLabel(AlertRule rule)
{
    switch (rule) {
    case AlertRule::LowStock: return QStringLiteral("Low stock");
    case AlertRule::SellingOut: return QStringLiteral("Selling out");
    case AlertRule::SoldOut: return QStringLiteral("Sold out");
    case AlertRule::Restocked: return QStringLiteral("Restocked");
    default: return alertRuleName(rule);
    }
}

} // namespace

AlertsModel::AlertsModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity)
{}

int AlertsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &a = m_alerts[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return QDateTime::fromMSecsSinceEpoch(a.atMs).toString(QStringLiteral("ddd HH:mm:ss"));
        case Rule: return ruleLabel(a.rule);
        case Product: return QString::fromUtf8(a.title);
        case Shop: return QString::fromUtf8(a.shop);
        case Stock: return count(a.quantity);
        case Message: return a.message;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Rule)
            return statusColor(statusOf(a.rule), QApplication::palette());
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((index.column() == Stock ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::ToolTipRole: return a.message;
    case ShopRole: return a.shop;
    case ProductIdRole: return a.productId;
    case RuleRole: return int(a.rule);
    default: break;
    }
    return {};
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static const char *const names[] = {"Time", "Rule", "Product", "Shop", "Stock", "Message"};
        return QString::fromLatin1(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        static const char *const tips[] = {"When the update that fired the alert happened (event time)",
                                           "The alert rule that fired",
                                           "The product; double-click to open it in the dashboard",
                                           "The shop's myshopify.com domain",
                                           "Units in stock when the alert fired",
                                           "What happened"};
        return QString::fromLatin1(tips[section]);
    }
    return {};
}

void AlertsModel::addAlerts(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return;
    const int adding = int(std::min<size_t>(alerts.size(), size_t(m_capacity)));
    const int keep = std::min(int(m_alerts.size()), m_capacity - adding);
    if (keep < int(m_alerts.size())) {
        beginRemoveRows({}, keep, int(m_alerts.size()) - 1);
        m_alerts.resize(size_t(keep));
        endRemoveRows();
    }
    beginInsertRows({}, 0, adding - 1);
    for (auto it = alerts.end() - adding; it != alerts.end(); ++it)
        m_alerts.push_front(*it); // the newest ends up first
    endInsertRows();
}

void AlertsModel::clear()
{
    beginResetModel();
    m_alerts.clear();
    endResetModel();
}

ProductRef AlertsModel::productAt(int row) const
{
    const Alert &a = m_alerts[size_t(row)];
    return {a.shop, a.productId};
}

} // namespace peakwatch::ui
