// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alerts_model.h"

#include "ui_format.h"

#include <QApplication>
#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <QStringBuilder>

#include <algorithm>
#include <numeric>
#include <tuple>

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

// "Sell-out likely between 00:32 and 01:05 (80 % interval)", where the alert has a predicted interval.
QString intervalText(const Alert &a)
{
    if (!a.selloutEarliestMs)
        return {};
    return QStringLiteral("Sell-out likely between ") % clockTime(*a.selloutEarliestMs, a.atMs) %
           (a.selloutLatestMs ? QStringLiteral(" and ") % clockTime(*a.selloutLatestMs, a.atMs)
                              : QStringLiteral(" and later")) %
           QStringLiteral(" (80 % interval)");
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
    // A follow-up of a thread says where it stands: "— 3rd alert since the selling-out warning at 00:14".
    auto followUp = [&]() -> QString {
        const int position = positionOf(index.row());
        if (position <= 1)
            return {};
        if (a.thread)
            return episodeFollowUpText(position, a.thread->firstRule, clockTime(a.thread->firstAtMs, a.atMs));
        int first = index.row();
        while (first > 0 && !startsThread(first))
            --first;
        const Alert &head = m_rows[size_t(first)].alert;
        return episodeFollowUpText(position, head.rule, clockTime(head.atMs, a.atMs));
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(a.atMs), QStringLiteral("ddd d MMM HH:mm:ss"));
        case Rule: return ruleLabel(a.rule);
        case Product:
            return startsThread(index.row()) ? QString::fromUtf8(a.title)
                                             : QStringLiteral("    ↳ ") % QString::fromUtf8(a.title);
        case Shop: return QString::fromUtf8(a.shop);
        case Stock: return count(a.quantity);
        case Message: {
            const QString thread = followUp();
            return thread.isEmpty() ? a.message : a.message % QStringLiteral(" — ") % thread;
        }
        case State: return row.acknowledgedAtMs ? QStringLiteral("Acknowledged") : QStringLiteral("New");
        case Delivery: return row.statesKnown ? deliveryText(row.deliveries) : QStringLiteral("recording…");
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
            return row.statesKnown
                       ? deliveryTip(row.deliveries)
                       : QStringLiteral("Being recorded in the alert outbox: where it goes shows in a moment");
        if (index.column() == State)
            return row.acknowledgedAtMs
                       ? QStringLiteral("Acknowledged %1")
                             .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(*row.acknowledgedAtMs),
                                                     QStringLiteral("ddd d MMM HH:mm")))
                       : QStringLiteral("Not acknowledged yet: counted in the tray icon");
        {
            QStringList lines{a.message};
            if (const QString interval = intervalText(a); !interval.isEmpty())
                lines << interval;
            if (const QString thread = followUp(); !thread.isEmpty())
                lines << QStringLiteral("The ") % thread;
            return lines.join(u'\n');
        }
    case ShopRole: return a.shop;
    case ProductIdRole: return a.productId;
    case RuleRole: return int(a.rule);
    case EpisodeRole: return threadKey(a);
    case ThreadPositionRole: return positionOf(index.row());
    case IdRole: return a.id;
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

bool AlertsModel::startsThread(int row) const
{
    return row == 0 || threadKey(m_rows[size_t(row) - 1].alert) != threadKey(m_rows[size_t(row)].alert);
}

int AlertsModel::positionOf(int row) const
{
    const Alert &a = m_rows[size_t(row)].alert;
    if (a.thread)
        return a.thread->position;
    int position = 1;
    for (int r = row; r > 0 && !startsThread(r); --r)
        ++position;
    return position;
}

void AlertsModel::arrangeThreads(bool announce)
{
    // A thread's place: when its newest alert happened (the stream's time), then when it arrived: alerts of a
    // stream read again after others (another connection, the demo once more) take their place by time.
    // Within a thread, the order the alerts fired in.
    // Each row's thread key and its thread's newest alert are found once, not in every comparison: a burst of
    // 5,000 alerts sorts tens of thousands of rows, and hashing keys in the comparator held the window 60 to 150 ms.
    const size_t count = m_rows.size();
    std::vector<QByteArray> keys(count);
    QHash<QByteArray, std::pair<qint64, quint64>> newest;
    for (size_t i = 0; i < count; ++i) {
        keys[i] = threadKey(m_rows[i].alert);
        std::pair<qint64, quint64> &n = newest[keys[i]];
        n = std::max(n, std::pair{m_rows[i].alert.atMs, m_rows[i].sequence});
    }
    std::vector<std::pair<qint64, quint64>> threadNewest(count);
    for (size_t i = 0; i < count; ++i)
        threadNewest[i] = newest.value(keys[i]);
    std::vector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int l, int r) {
        const auto li = size_t(l), ri = size_t(r);
        if (keys[li] != keys[ri])
            return threadNewest[li] != threadNewest[ri] ? threadNewest[li] > threadNewest[ri] : keys[li] < keys[ri];
        const Row &a = m_rows[li];
        const Row &b = m_rows[ri];
        return std::tie(a.alert.atMs, a.sequence) < std::tie(b.alert.atMs, b.sequence);
    });
    bool moved = false;
    for (size_t i = 0; i < order.size() && !moved; ++i)
        moved = order[i] != int(i);
    if (!moved)
        return;
    if (announce)
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::deque<Row> arranged;
    std::vector<int> newRow(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        newRow[size_t(order[i])] = int(i);
        arranged.push_back(std::move(m_rows[size_t(order[i])]));
    }
    m_rows = std::move(arranged);
    if (!announce)
        return;
    const QModelIndexList persistent = persistentIndexList();
    QModelIndexList moves;
    moves.reserve(persistent.size());
    for (const QModelIndex &old : persistent)
        moves << index(newRow[size_t(old.row())], old.column());
    changePersistentIndexList(persistent, moves);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
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
    // Added on top, then arranged into their threads; the threads that fired least recently go past capacity.
    const int adding = int(std::min<size_t>(alerts.size(), size_t(m_capacity)));
    beginInsertRows({}, 0, adding - 1);
    for (auto it = alerts.end() - adding; it != alerts.end(); ++it)
        m_rows.push_front({*it, std::nullopt, {}, ++m_sequence}); // the newest ends up first
    endInsertRows();
    arrangeThreads(true);
    trimTo(m_capacity);
}

void AlertsModel::setHistory(const std::vector<AlertOutbox::Entry> &entries)
{
    beginResetModel();
    m_rows.clear();
    const size_t taken = std::min(entries.size(), size_t(m_capacity));
    m_sequence += taken;
    for (size_t i = 0; i < taken; ++i) { // newest first
        const AlertOutbox::Entry &e = entries[i];
        m_rows.push_back({e.alert, e.acknowledgedAtMs, e.deliveries, m_sequence - i, true});
    }
    arrangeThreads(false);
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
        row.statesKnown = true;
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
