// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "kafka_properties.h"
#include "result.h"
#include "topic_browser.h"

#include <QList>
#include <QString>

#include <chrono>
#include <functional>

typedef struct rd_kafka_s rd_kafka_t;

namespace peakwatch {

// A librdkafka consumer that reads assigned partitions and never joins a group nor commits: the tool searches,
// seeks and consumes with. Its group id is a private one unless `group` names one (to read that group's committed
// offsets). Errors are messages, never skipped offsets (auto.offset.reset=error); a partition's end is reported.
class ReadingClient final {
public:
    ReadingClient() = default;
    ~ReadingClient();
    Q_DISABLE_COPY_MOVE(ReadingClient)

    // `tuning` comes first and `properties` after it (so a user's -X wins), then what the reading relies on.
    Status open(const QString &bootstrapServers, const KafkaProperties &tuning, const KafkaProperties &properties,
                const QString &group = {});
    // Instead of a consumer, a client for requests alone (metadata, offsets, the admin API's group requests): a
    // producer's handle that never produces, which needs no consumer close.
    Status openForRequests(const QString &bootstrapServers, const KafkaProperties &properties);
    rd_kafka_t *handle() const { return m_rk; }
    // Why the cluster did not answer, in words: the last broker failure librdkafka logged, when there is one.
    QString silence(std::chrono::milliseconds waited) const;

private:
    Status create(int type, const QString &bootstrapServers, const KafkaProperties &all);

    rd_kafka_t *m_rk = nullptr;
    bool m_consumer = false;
    BrokerFailureLog m_brokerFailures;
};

// Fills in `low` and `high` of every partition of `topics` (or its `error`): ListOffsets for the earliest and the
// latest offsets, as rd_kafka_query_watermark_offsets() asks for one partition, but one request per broker for all
// of them. `attempt` runs each request, given the milliseconds it may wait: once, or again as the caller's patience
// allows. Returns the error of a request that failed as a whole.
using OffsetsAttempt = std::function<int(const std::function<int(int)> &request)>;
int readPartitionOffsets(rd_kafka_t *rk, QList<TopicInfo> &topics, const OffsetsAttempt &attempt);
// The same, each request waiting at most `timeout` once.
int readPartitionOffsets(rd_kafka_t *rk, QList<TopicInfo> &topics, std::chrono::milliseconds timeout);

// "topic products has no partition 7 (it has partitions 0 to 2)", for a topic of `partitions` partitions.
QString noSuchPartition(const QString &topic, qint64 partition, qsizetype partitions);

// A message's timestamp type as librdkafka gives it (rd_kafka_timestamp_type_t).
TopicMessage::TimestampType timestampTypeOf(int librdkafkaType);

// A topic's partitions, in order, as the cluster lists them; the error names a topic that does not exist. All topics
// are asked for, not the one: a metadata request that names a topic creates it on a cluster that creates topics on
// demand (the embedded one does).
Result<QList<int>> topicPartitions(rd_kafka_t *rk, const QString &topic, const QString &bootstrapServers,
                                   std::chrono::milliseconds timeout);
// The same with a client of its own, for a command that has none yet (produce, before it writes).
Result<QList<int>> topicPartitions(const QString &bootstrapServers, const KafkaProperties &properties,
                                   const QString &topic, std::chrono::milliseconds timeout);

} // namespace peakwatch
