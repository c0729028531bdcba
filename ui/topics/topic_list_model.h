// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "topic_browser.h"

#include <QAbstractItemModel>
#include <QList>

namespace peakwatch::ui {

// The cluster's topics as a tree: each topic with its partition count and messages, and under it its
// partitions with their offsets (low–high) and message counts.
class TopicListModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Partitions, Messages, Offsets, ColumnCount };
    enum Role {
        TopicRole = Qt::UserRole + 1, // the topic's name, on topic and partition rows
        PartitionRole,                // the partition, -1 on a topic row
        LowOffsetRole,                // a partition's earliest offset
        HighOffsetRole,               // a partition's high watermark
    };

    explicit TopicListModel(QObject *parent = nullptr);

    // Replaces the topics; when the topics and their partitions are the same as before only the
    // figures change (the view keeps its expansion and selection).
    void setTopics(const QList<TopicInfo> &topics);
    // The newest offsets of one partition, learnt from a page or the live tail.
    void updatePartition(const QString &topic, int partition, qint64 low, qint64 high);
    void clear();

    const QList<TopicInfo> &topics() const { return m_topics; }
    QModelIndex topicIndex(const QString &topic, int column = Name) const;
    QModelIndex partitionIndex(const QString &topic, int partition, int column = Name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // internalId: 0 on topic rows, the topic's row + 1 on partition rows.
    static bool isPartition(const QModelIndex &index) { return index.internalId() != 0; }
    const TopicInfo &topicOf(const QModelIndex &index) const;
    bool sameShape(const QList<TopicInfo> &topics) const;

    QList<TopicInfo> m_topics;
};

} // namespace peakwatch::ui
