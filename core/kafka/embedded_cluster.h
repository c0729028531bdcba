// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace peakwatch {

// librdkafka's Kafka-protocol mock cluster: real brokers on loopback sockets that any Kafka client
// (kcat too) can talk to. The embedded default for the demo, and what the tests run against.
// Limits (librdkafka 2.0): keeps only the newest ~4.3 MB of each partition; no ListGroups,
// DescribeGroups, CreateTopics or DescribeConfigs; ListOffsets by earliest and latest only.
class EmbeddedCluster final {
public:
    struct Topic {
        QString name;
        int partitions = 1;
    };

    // Each start makes an identity of its own and shows it to every Kafka client as a topic named this prefix and
    // the identity (hidden as internal, "__"): librdkafka's mock cluster reports its address in memory as its
    // cluster id, the same for every cluster started in one process, and a client cannot tell two demos apart
    // by it. (See clusterIdentity() in kafka_consumer.cpp.)
    static constexpr char kIdentityTopicPrefix[] = "__peakwatch_embedded_";

    // Starts `brokers` brokers and creates `topics`.
    static Result<std::unique_ptr<EmbeddedCluster>> start(int brokers, const QList<Topic> &topics = QList<Topic>());
    ~EmbeddedCluster();
    Q_DISABLE_COPY_MOVE(EmbeddedCluster)

    // "127.0.0.1:PORT,127.0.0.1:PORT,..."
    QString bootstrapServers() const;
    // This start's own identity (32 hex digits), as its identity topic shows it.
    const QByteArray &identity() const { return m_identity; }
    int brokerCount() const { return m_brokers; }
    Status createTopic(const Topic &topic);
    // Takes broker `id` (1 to brokerCount(), in the order of bootstrapServers()) down or back up. A broker that is
    // down refuses connections; its partitions keep their leader, and the metadata still advertises it.
    Status setBrokerUp(int id, bool up);

    // Parses "NAME" or "NAME:PARTITIONS" as given on the command line.
    static Result<Topic> parseTopic(const QString &text);

private:
    EmbeddedCluster() = default;
    rd_kafka_t *m_handle = nullptr;
    rd_kafka_mock_cluster_t *m_cluster = nullptr;
    int m_brokers = 0;
    QByteArray m_identity;
};

} // namespace peakwatch
