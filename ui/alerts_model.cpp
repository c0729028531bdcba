#include "alerts_model.h"

#include "ui_format.h"

#include <QApplication>
#include <QDateTime>
#include <QFont>
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

QString deliveryText(const std::vector<AlertOutbox::Delivery> &deliveries)
{
    if (deliveries.empty())
        return QStringLiteral("—");
    QStringList parts;
    for (const AlertOutbox::Delivery &d : deliveries) {
        switch (d.state) {
        case AlertOutbox::DeliveryState::Delivered: parts << d.sink + QStringLiteral(" ✓"); break;
        case AlertOutbox::DeliveryState::Failed: parts << d.sink + QStringLiteral(" ✗ refused"); break;
        case AlertOutbox::DeliveryState::Pending:
            parts << d.sink + (d.attempts > 0 ? QStringLiteral(" retrying") : QStringLiteral(" waiting"));
            break;
        }
    }
    return parts.join(QStringLiteral(" · "));
}

QString deliveryTip(const std::vector<AlertOutbox::Delivery> &deliveries)
{
    QStringList lines;
    for (const AlertOutbox::Delivery &d : deliveries)
        if (!d.error.isEmpty())
            lines << d.sink + QStringLiteral(": ") + d.error;
    if (deliveries.empty())
        return QStringLiteral(
            "Not sent anywhere: no destination was set (Alert delivery…), or its product was snoozed");
    return lines.isEmpty() ? QStringLiteral("Where this alert went: ✓ delivered, waiting, retrying, or ✗ refused")
                           : lines.join(u'\n');
}

} // namespace

AlertsModel::AlertsModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity)
{}

int AlertsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const Alert &a = row.alert;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return QDateTime::fromMSecsSinceEpoch(a.atMs).toString(QStringLiteral("ddd HH:mm:ss"));
        case Rule: return ruleLabel(a.rule);
        case Product: return QString::fromUtf8(a.title);
        case Shop: return QString::fromUtf8(a.shop);
        case Stock: return count(a.quantity);
        case Message: return a.message;
        case State: return row.acknowledgedAtMs ? QStringLiteral("Acknowledged") : QStringLiteral("New");
        case Delivery: return deliveryText(row.deliveries);
        }
        break;
    case Qt::FontRole:
        if (!row.acknowledgedAtMs && index.column() == State) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Rule)
            return statusColor(statusOf(a.rule), QApplication::palette());
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((index.column() == Stock ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == Delivery)
            return deliveryTip(row.deliveries);
        if (index.column() == State)
            return row.acknowledgedAtMs ? QStringLiteral("Acknowledged %1")
                                              .arg(QDateTime::fromMSecsSinceEpoch(*row.acknowledgedAtMs)
                                                       .toString(QStringLiteral("ddd HH:mm")))
                                        : QStringLiteral("Not acknowledged yet: counted in the tray icon");
        return a.message;
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
        static const char *const names[] = {"Time", "Rule", "Product", "Shop", "Stock", "State", "Delivery", "Message"};
        return QString::fromLatin1(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        static const char *const tips[] = {"When the update that fired the alert happened (event time)",
                                           "The alert rule that fired",
                                           "The product; double-click to open it in the dashboard",
                                           "The shop's myshopify.com domain",
                                           "Units in stock when the alert fired",
                                           "New, or acknowledged (select alerts and press Acknowledge)",
                                           "Where the alert went: desktop, Slack, the alerts topic",
                                           "What happened"};
        return QString::fromLatin1(tips[section]);
    }
    return {};
}

void AlertsModel::trimTo(int rows)
{
    if (rows >= int(m_rows.size()))
        return;
    beginRemoveRows({}, rows, int(m_rows.size()) - 1);
    m_rows.resize(size_t(rows));
    endRemoveRows();
}

void AlertsModel::addAlerts(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return;
    const int adding = int(std::min<size_t>(alerts.size(), size_t(m_capacity)));
    trimTo(std::min(int(m_rows.size()), m_capacity - adding));
    beginInsertRows({}, 0, adding - 1);
    for (auto it = alerts.end() - adding; it != alerts.end(); ++it)
        m_rows.push_front({*it, std::nullopt, {}}); // the newest ends up first
    endInsertRows();
}

void AlertsModel::setHistory(const std::vector<AlertOutbox::Entry> &entries)
{
    beginResetModel();
    m_rows.clear();
    for (const AlertOutbox::Entry &e : entries) {
        if (int(m_rows.size()) == m_capacity)
            break;
        m_rows.push_back({e.alert, e.acknowledgedAtMs, e.deliveries});
    }
    endResetModel();
}

void AlertsModel::updateStates(const std::vector<AlertOutbox::Entry> &entries)
{
    QHash<QByteArray, const AlertOutbox::Entry *> byId;
    for (const AlertOutbox::Entry &e : entries)
        byId.insert(e.alert.id, &e);
    int first = -1, last = -1;
    for (int r = 0; r < int(m_rows.size()) && !byId.isEmpty(); ++r) {
        Row &row = m_rows[size_t(r)];
        const AlertOutbox::Entry *e = byId.take(row.alert.id);
        if (!e)
            continue;
        row.acknowledgedAtMs = e->acknowledgedAtMs;
        row.deliveries = e->deliveries;
        first = first < 0 ? r : first;
        last = r;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, State), index(last, Delivery));
}

void AlertsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

ProductRef AlertsModel::productAt(int row) const
{
    const Alert &a = m_rows[size_t(row)].alert;
    return {a.shop, a.productId};
}

} // namespace peakwatch::ui
