// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "group_lag_model.h"

#include <QHash>
#include <QLocale>
#include <QStringBuilder>

#include <algorithm>
#include <cmath>

namespace peakwatch::ui {
namespace {

// What a cell shows for a figure that is not known; its tooltip says why.
QString unknown()
{
    return QStringLiteral("—");
}

QString offset(qint64 n)
{
    return n >= 0 ? QString::number(n) : unknown();
}

} // namespace

GroupLagModel::GroupLagModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

bool GroupLagModel::samePartitions(const GroupLag &lag) const
{
    if (lag.group != m_lag.group || lag.partitions.size() != m_lag.partitions.size())
        return false;
    for (qsizetype i = 0; i < lag.partitions.size(); ++i)
        if (lag.partitions[i].topic != m_lag.partitions[i].topic ||
            lag.partitions[i].partition != m_lag.partitions[i].partition)
            return false;
    return true;
}

void GroupLagModel::setLag(const GroupLag &lag, qint64 readAtMs)
{
    // The read before, partition by partition: the rates are the change since then, for the same group only.
    const bool again = m_readAtMs >= 0 && lag.group == m_lag.group;
    const double seconds = again ? double(readAtMs - m_readAtMs) / 1000.0 : 0.0;
    QHash<QPair<QString, int>, PartitionLag> before;
    if (again)
        for (const PartitionLag &p : std::as_const(m_lag.partitions))
            before.insert({p.topic, p.partition}, p);

    QList<std::optional<double>> rates;
    QStringList rateWhy;
    qint64 committedChange = 0;
    qint64 lagChange = 0;
    bool rateKnown = false;
    bool lagChangeKnown = false;
    for (const PartitionLag &p : lag.partitions) {
        const auto previous = before.constFind({p.topic, p.partition});
        std::optional<double> rate;
        QString why;
        if (!again)
            why = tr("Known from the next read: the messages the group commits between two reads, over the time "
                     "between them");
        else if (seconds <= 0)
            why = tr("Read twice at the same time");
        else if (previous == before.constEnd())
            why = tr("Not read before: known from the next read");
        else if (p.committed < 0 || previous->committed < 0)
            why = tr("The group had not committed an offset here at both reads");
        else if (p.committed < previous->committed)
            why = tr("The group's committed offset moved back, from %1 to %2: its offsets were reset")
                      .arg(previous->committed)
                      .arg(p.committed);
        else {
            rate = double(p.committed - previous->committed) / seconds;
            committedChange += p.committed - previous->committed;
            rateKnown = true;
        }
        if (seconds > 0 && previous != before.constEnd() && p.lag() >= 0 && previous->lag() >= 0) {
            lagChange += p.lag() - previous->lag();
            lagChangeKnown = true;
        }
        rates << rate;
        rateWhy << why;
    }

    const auto apply = [&] {
        m_lag = lag;
        m_readAtMs = readAtMs;
        m_rates = rates;
        m_rateWhy = rateWhy;
        m_seconds = seconds;
        m_totalRate = rateKnown ? std::optional<double>(double(committedChange) / seconds) : std::nullopt;
        m_lagChange = lagChangeKnown ? std::optional<qint64>(lagChange) : std::nullopt;
    };
    if (!samePartitions(lag)) {
        beginResetModel();
        apply();
        endResetModel();
        return;
    }
    // The same rows: only the figures that changed are announced, as one range.
    int first = -1;
    int last = -1;
    for (int row = 0; row < int(lag.partitions.size()); ++row) {
        const PartitionLag &now = lag.partitions[row];
        const PartitionLag &was = m_lag.partitions[row];
        if (now.committed != was.committed || now.end != was.end || now.error != was.error ||
            rates[row] != m_rates[row] || rateWhy[row] != m_rateWhy[row]) {
            if (first < 0)
                first = row;
            last = row;
        }
    }
    apply();
    if (first >= 0)
        Q_EMIT dataChanged(index(first, Committed), index(last, ColumnCount - 1));
}

void GroupLagModel::clear()
{
    beginResetModel();
    m_lag = {};
    m_readAtMs = -1;
    m_rates.clear();
    m_rateWhy.clear();
    m_totalRate.reset();
    m_lagChange.reset();
    m_seconds = 0;
    endResetModel();
}

int GroupLagModel::knownLagCount() const
{
    return int(std::count_if(m_lag.partitions.cbegin(), m_lag.partitions.cend(),
                             [](const PartitionLag &p) { return p.lag() >= 0; }));
}

std::optional<double> GroupLagModel::rate(int row) const
{
    return row >= 0 && row < m_rates.size() ? m_rates[row] : std::nullopt;
}

QString GroupLagModel::progress() const
{
    if (knownLagCount() == 0)
        return {};
    const qint64 lag = totalLag();
    if (lag == 0)
        return tr("caught up");
    if (!m_lagChange)
        return {};
    if (*m_lagChange > 0)
        return tr("falling behind");
    if (!m_totalRate)
        return {};
    if (*m_totalRate <= 0)
        return tr("not consuming");
    if (*m_lagChange == 0)
        return tr("keeping pace");
    // The lag shrinks by what the group consumes less what is written meanwhile: as it did since the read before.
    const double shrinkPerSecond = double(-*m_lagChange) / m_seconds;
    return tr("catching up in %1").arg(aboutDuration(double(lag) / shrinkPerSecond));
}

QString GroupLagModel::rateText(double perSecond)
{
    const QLocale locale;
    if (perSecond == 0)
        return QStringLiteral("0/s");
    if (perSecond < 10)
        return locale.toString(perSecond, 'f', 1) % QStringLiteral("/s");
    return locale.toString(qint64(std::llround(perSecond))) % QStringLiteral("/s");
}

QString GroupLagModel::aboutDuration(double seconds)
{
    if (seconds < 59.5)
        return tr("about %1 s").arg(std::max<qint64>(1, std::llround(seconds)));
    const qint64 minutes = std::llround(seconds / 60);
    if (minutes < 60)
        return tr("about %1 min").arg(minutes);
    if (minutes < 48 * 60)
        return tr("about %1 h %2 min").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
    return tr("about %1 days").arg(std::llround(seconds / 86400));
}

QString GroupLagModel::sentence(const QString &words)
{
    if (words.isEmpty())
        return words;
    QString out = words.at(0).toUpper() + words.mid(1);
    if (!out.endsWith(u'.'))
        out += u'.';
    return out;
}

int GroupLagModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lag.partitions.size());
}

int GroupLagModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString GroupLagModel::unknownWhy(int row, int column) const
{
    const PartitionLag &p = m_lag.partitions[row];
    // The core keeps one reason: about the end when that is unknown, else about the committed offset.
    const QString committedWhy = p.committed >= 0 ? QString()
                                 : p.end >= 0 && !p.error.isEmpty()
                                     ? sentence(p.error)
                                     : tr("Group %1 has committed no offset on partition %2 of %3.")
                                           .arg(m_lag.group)
                                           .arg(p.partition)
                                           .arg(p.topic);
    const QString endWhy = p.end >= 0 ? QString() : sentence(p.error);
    switch (column) {
    case Committed: return committedWhy;
    case End: return endWhy;
    case Lag: return !committedWhy.isEmpty() ? committedWhy : endWhy;
    case Rate: return m_rates[row] ? QString() : sentence(m_rateWhy[row]);
    default: return {};
    }
}

QVariant GroupLagModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row();
    const PartitionLag &p = m_lag.partitions[row];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Topic: return p.topic;
        case Partition: return QString::number(p.partition);
        case Committed: return offset(p.committed);
        case End: return offset(p.end);
        case Lag: return p.lag() >= 0 ? QLocale().toString(p.lag()) : unknown();
        case Rate: return m_rates[row] ? rateText(*m_rates[row]) : unknown();
        default: return {};
        }
    case Qt::ToolTipRole: {
        if (QString why = unknownWhy(row, index.column()); !why.isEmpty())
            return why;
        if (index.column() == Lag)
            return tr("%1 messages written to partition %2 of %3 that group %4 has not consumed")
                .arg(QLocale().toString(p.lag()))
                .arg(p.partition)
                .arg(p.topic, m_lag.group);
        if (index.column() == Rate)
            return tr("Messages committed a second over the %1 s since the read before")
                .arg(QLocale().toString(m_seconds, 'f', 1));
        return {};
    }
    case Qt::TextAlignmentRole:
        if (index.column() != Topic)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SortRole:
        switch (index.column()) {
        case Topic: return p.topic;
        case Partition: return p.partition;
        case Committed: return p.committed;
        case End: return p.end;
        case Lag: return p.lag();
        case Rate: return m_rates[row].value_or(-1.0);
        default: return {};
        }
    default: return {};
    }
}

QVariant GroupLagModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Topic: return tr("Topic");
        case Partition: return tr("Partition");
        case Committed: return tr("Committed");
        case End: return tr("End");
        case Lag: return tr("Lag");
        case Rate: return tr("Rate");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Committed: return tr("The offset the group committed: the next one it reads");
        case End: return tr("The partition's end offset (its high watermark): the offset of the next message written");
        case Lag: return tr("Messages written and not yet consumed by the group: the end less the committed offset");
        case Rate:
            return tr("Messages the group committed a second since the read before: the change of its committed "
                      "offset over the time between the reads");
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && section != Topic)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    return {};
}

} // namespace peakwatch::ui
