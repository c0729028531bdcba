// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topic_list_model.h"

#include <QLocale>
#include <QStringBuilder>

namespace peakwatch::ui {

TopicListModel::TopicListModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

bool TopicListModel::sameShape(const QList<TopicInfo> &topics) const
{
    if (topics.size() != m_topics.size())
        return false;
    for (qsizetype i = 0; i < topics.size(); ++i)
        if (topics[i].name != m_topics[i].name || topics[i].partitions.size() != m_topics[i].partitions.size())
            return false;
    return true;
}

void TopicListModel::setTopics(const QList<TopicInfo> &topics)
{
    if (!sameShape(topics)) {
        beginResetModel();
        m_topics = topics;
        endResetModel();
        return;
    }
    m_topics = topics;
    if (m_topics.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, 0), index(int(m_topics.size()) - 1, ColumnCount - 1));
    for (qsizetype t = 0; t < m_topics.size(); ++t) {
        const int n = int(m_topics[t].partitions.size());
        if (n > 0) {
            const QModelIndex parent = index(int(t), 0);
            Q_EMIT dataChanged(index(0, 0, parent), index(n - 1, ColumnCount - 1, parent));
        }
    }
}

void TopicListModel::updatePartition(const QString &topic, int partition, qint64 low, qint64 high)
{
    const QModelIndex topicRow = topicIndex(topic);
    const QModelIndex partitionRow = partitionIndex(topic, partition);
    if (!partitionRow.isValid() || low < 0 || high < low)
        return;
    PartitionInfo &p = m_topics[topicRow.row()].partitions[partitionRow.row()];
    if (p.low == low && p.high == high && p.error.isEmpty())
        return;
    p.low = low;
    p.high = high;
    p.error.clear();
    Q_EMIT dataChanged(partitionRow.siblingAtColumn(Messages), partitionRow.siblingAtColumn(Offsets));
    Q_EMIT dataChanged(topicRow.siblingAtColumn(Messages), topicRow.siblingAtColumn(Messages));
}

void TopicListModel::clear()
{
    beginResetModel();
    m_topics.clear();
    endResetModel();
}

QModelIndex TopicListModel::topicIndex(const QString &topic, int column) const
{
    for (qsizetype t = 0; t < m_topics.size(); ++t)
        if (m_topics[t].name == topic)
            return index(int(t), column);
    return {};
}

QModelIndex TopicListModel::partitionIndex(const QString &topic, int partition, int column) const
{
    const QModelIndex parent = topicIndex(topic);
    if (!parent.isValid())
        return {};
    const QList<PartitionInfo> &partitions = m_topics[parent.row()].partitions;
    for (qsizetype p = 0; p < partitions.size(); ++p)
        if (partitions[p].partition == partition)
            return index(int(p), column, parent);
    return {};
}

QModelIndex TopicListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex TopicListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !isPartition(child))
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int TopicListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_topics.size());
    if (isPartition(parent) || parent.column() != 0)
        return 0;
    return int(m_topics[parent.row()].partitions.size());
}

int TopicListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

const TopicInfo &TopicListModel::topicOf(const QModelIndex &index) const
{
    return m_topics[isPartition(index) ? qsizetype(index.internalId() - 1) : qsizetype(index.row())];
}

QVariant TopicListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const TopicInfo &topic = topicOf(index);
    const QLocale locale;
    if (!isPartition(index)) {
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case Name: return topic.name;
            case Partitions: return locale.toString(topic.partitions.size());
            case Messages: return locale.toString(topic.messageCount());
            default: return {};
            }
        case Qt::ToolTipRole:
            if (!topic.error.isEmpty())
                return QStringLiteral("Topic %1: %2").arg(topic.name, topic.error);
            return QStringLiteral("Topic %1: %2 partitions, %3 messages")
                .arg(topic.name, locale.toString(topic.partitions.size()), locale.toString(topic.messageCount()));
        case Qt::TextAlignmentRole:
            if (index.column() != Name)
                return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            return {};
        case TopicRole: return topic.name;
        case PartitionRole: return -1;
        default: return {};
        }
    }
    const PartitionInfo &p = topic.partitions[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return QStringLiteral("Partition %1").arg(p.partition);
        case Messages: return p.offsetsKnown() ? locale.toString(p.messageCount()) : QStringLiteral("?");
        case Offsets:
            if (!p.offsetsKnown())
                return QStringLiteral("?");
            return p.high > p.low ? QString::number(p.low) % QStringLiteral("–") % QString::number(p.high - 1)
                                  : QStringLiteral("empty");
        default: return {};
        }
    case Qt::ToolTipRole:
        if (!p.offsetsKnown())
            return QStringLiteral("Partition %1 of %2: %3").arg(p.partition).arg(topic.name, p.error);
        return QStringLiteral("Partition %1 of %2: %3 messages, earliest offset %4, next offset %5")
            .arg(p.partition)
            .arg(topic.name, locale.toString(p.messageCount()))
            .arg(p.low)
            .arg(p.high);
    case Qt::TextAlignmentRole:
        if (index.column() != Name)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case TopicRole: return topic.name;
    case PartitionRole: return p.partition;
    case LowOffsetRole: return p.low;
    case HighOffsetRole: return p.high;
    default: return {};
    }
}

QVariant TopicListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name: return QStringLiteral("Topic");
        case Partitions: return QStringLiteral("Partitions");
        case Messages: return QStringLiteral("Messages");
        case Offsets: return QStringLiteral("Offsets");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Messages:
            return QStringLiteral("Messages on the brokers: the high watermark less the earliest offset "
                                  "(an upper bound for compacted or transactional topics)");
        case Offsets: return QStringLiteral("The earliest and the latest offset of a partition");
        default: return {};
        }
    }
    return {};
}

} // namespace peakwatch::ui
