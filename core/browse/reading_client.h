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
    rd_kafka_t *handle() const { return m_rk; }
    // Why the cluster did not answer, in words: the last broker failure librdkafka logged, when there is one.
    QString silence(std::chrono::milliseconds waited) const;

private:
    rd_kafka_t *m_rk = nullptr;
    BrokerFailureLog m_brokerFailures;
};

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
