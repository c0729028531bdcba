// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"

#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace peakwatch {

class ReadingClient;

// Where a partition's messages are: from `low` to before `high`.
struct PartitionSpan {
    int partition = 0;
    qint64 low = 0;
    qint64 high = 0;
};

// Finds, in each partition, the first message whose timestamp is at or after a time: the offset a search by time
// starts from. Asks the brokers first (ListOffsets by timestamp, librdkafka's offsets_for_times), checks each answer
// against the messages beside it, and where a broker does not answer, or answers wrongly (the embedded cluster
// answers only for the earliest and the latest offsets), searches by halves over the messages' own timestamps,
// all partitions at once: about log2(messages) fetches of one message. Timestamps are taken to grow with offsets,
// as they do where producers stamp them; where they do not, the answer is an offset whose message is at or after
// the time and whose predecessor is before it. Blocks: call it from a worker thread or the command line.
class TimeSeek final {
public:
    TimeSeek(const QString &bootstrapServers, const KafkaProperties &properties, std::chrono::milliseconds timeout,
             std::function<bool()> interrupted = {});
    ~TimeSeek();
    Q_DISABLE_COPY_MOVE(TimeSeek)

    // For each span (in the same order): the offset, `high` when every message is before `timeMs`. One client, made
    // on the first call, serves every call.
    Result<std::vector<qint64>> offsetsAt(const QString &topic, const std::vector<PartitionSpan> &spans, qint64 timeMs);

    // How the last offsetsAt() went, for tests and notes: the partitions the brokers answered for, and those
    // searched by halves with how many fetches.
    int answeredByBroker() const { return m_answered; }
    int searched() const { return m_searched; }
    int probes() const { return m_probes; }

private:
    struct Probe;
    Status probe(ReadingClient &client, const QString &topic, std::vector<Probe> &probes);

    QString m_bootstrap;
    KafkaProperties m_properties;
    std::chrono::milliseconds m_timeout;
    std::function<bool()> m_interrupted;
    std::unique_ptr<ReadingClient> m_client;
    int m_answered = 0;
    int m_searched = 0;
    int m_probes = 0;
};

} // namespace peakwatch
