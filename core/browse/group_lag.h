// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

namespace peakwatch {

struct PartitionLag {
    QString topic;
    int partition = 0;
    qint64 committed = -1; // the group's committed offset; -1 when it has committed none
    qint64 end = -1;       // the partition's end offset (high watermark)
    QString error;         // why a figure is missing, when one is

    // Messages written and not yet consumed by the group: end - committed, or -1 when either is unknown.
    qint64 lag() const { return committed >= 0 && end >= 0 ? std::max<qint64>(0, end - committed) : -1; }
};

struct GroupLag {
    QString group;
    QString state;                  // "Stable", "Empty", …; empty when the cluster does not describe groups
    int members = -1;               // -1 when not known
    QList<PartitionLag> partitions; // by topic, then partition
    QStringList notes;              // what could not be learnt, in words

    qint64 totalLag() const; // over the partitions whose lag is known
};

struct GroupListing {
    QString group;
    QString state; // empty when not known
};

// A consumer group's committed offsets against the partitions' ends: its lag, partition by partition. With `topics`
// empty, the topics are those the group has committed offsets for (the cluster's OffsetFetch for all topics); with
// topics named, every partition of each, committed or not. The group's state and members come from
// DescribeGroups; a cluster that does not answer it (the embedded one) is said so in `notes`, not an error.
// Blocks: call it from a worker thread or the command line.
Result<GroupLag> readGroupLag(const QString &bootstrapServers, const KafkaProperties &properties, const QString &group,
                              const QStringList &topics, std::chrono::milliseconds timeout);

// As readGroupLag() without topics, also where the cluster does not say which topics the group has committed
// offsets for (the embedded one): there every topic of the cluster but the internal ones is asked, and those the
// group has committed no offset on are left out. What the desktop's lag view reads. Blocks, as readGroupLag().
Result<GroupLag> readGroupLagOnCommittedTopics(const QString &bootstrapServers, const KafkaProperties &properties,
                                               const QString &group, std::chrono::milliseconds timeout);

// The cluster's consumer groups (ListGroups), in name order. The error says plainly when the cluster does not list
// them.
Result<QList<GroupListing>> listGroups(const QString &bootstrapServers, const KafkaProperties &properties,
                                       std::chrono::milliseconds timeout);

} // namespace peakwatch
