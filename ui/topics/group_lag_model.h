// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "group_lag.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace peakwatch::ui {

// A consumer group's lag, one row a partition: its committed offset, the partition's end, the lag between them,
// and the rate the group consumes at, measured from the change of the committed offset since the read before over
// the time between the two reads. The totals, with an estimate of when the group catches up, come from the
// functions below. A read of the same partitions as the one before keeps the rows (only the figures change), so a
// view's selection and sort stay as they are.
class GroupLagModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Topic, Partition, Committed, End, Lag, Rate, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // the raw figure (the topic's name in its column); -1 where it is not known
    };

    explicit GroupLagModel(QObject *parent = nullptr);

    // A read of the group's lag made at `readAtMs` (milliseconds since the epoch). A read of the group read before
    // gives the rates; a read of another group starts afresh.
    void setLag(const GroupLag &lag, qint64 readAtMs);
    void clear();

    const GroupLag &lag() const { return m_lag; }
    qint64 readAtMs() const { return m_readAtMs; }
    // Over the partitions whose lag is known; how many those are.
    qint64 totalLag() const { return m_lag.totalLag(); }
    int knownLagCount() const;
    // Messages committed a second since the read before, over the partitions read both times; none before a second
    // read.
    std::optional<double> rate(int row) const;
    std::optional<double> totalRate() const { return m_totalRate; }
    // Where the group is heading, from the change of its total lag since the read before: "caught up", "catching up
    // in about 3 min", "keeping pace", "falling behind", "not consuming"; empty while that is not known.
    QString progress() const;

    // "12/s", "0.4/s".
    static QString rateText(double perSecond);
    // "about 20 s", "about 3 min", "about 2 h 05 min".
    static QString aboutDuration(double seconds);
    // The core's words as a sentence: "the cluster does not …" → "The cluster does not ….".
    static QString sentence(const QString &words);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // Why a row's figure is not known; empty when it is.
    QString unknownWhy(int row, int column) const;
    bool samePartitions(const GroupLag &lag) const;

    GroupLag m_lag;
    qint64 m_readAtMs = -1;
    QList<std::optional<double>> m_rates; // by row
    QStringList m_rateWhy;                // by row: why the rate is not known
    std::optional<double> m_totalRate;
    std::optional<qint64> m_lagChange; // of the total lag since the read before, over the partitions read both times
    double m_seconds = 0;              // between the two reads
};

} // namespace peakwatch::ui
