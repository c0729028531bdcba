// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "raw_message.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <optional>
#include <functional>
#include <mutex>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <vector>

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_partition_list_s rd_kafka_topic_partition_list_t;

namespace peakwatch {

struct ConsumerOptions {
    enum class Start { Beginning, End, Stored, Offset };

    QString bootstrapServers;
    // The topic, or several separated by commas ("shopify-products,shopify-inventory,shopify-orders"): read as one
    // stream whose partitions are numbered across them in that order (see KafkaConsumer::partitionName).
    QString topic;
    QString group;                  // empty: read the partitions directly, no group
    Start start = Start::Beginning; // Stored: the group's committed offsets, else the beginning
    qint64 offset = 0;              // with Start::Offset
    bool stopAtEnd = false;         // stop once every assigned partition has reached its end (kcat -e)
    KafkaProperties properties;     // -X key=value, applied last
    int batchSize = 2000;

    // Parses kcat's -o values: beginning, end, stored, or an offset.
    static Result<Start> parseStart(const QString &text, qint64 &offset);
};

// Receives what the consumer reads, on the consumer's thread.
class ConsumerHandler {
public:
    virtual ~ConsumerHandler() = default;
    // The stream read (kafkaStreamOrigin() of the cluster's identity and the topic), once start() has found the
    // topic: on the thread that called start(), before the consumer's thread begins and so before any batch.
    virtual void onStreamOrigin(const QByteArray &origin) { Q_UNUSED(origin) }
    // A batch of messages, in offset order per partition; the views are valid during the call.
    virtual void onMessages(const std::vector<RawMessage> &batch) = 0;
    // The group took these partitions away: forget what came from them.
    virtual void onPartitionsRevoked(const QList<int> &partitions) { Q_UNUSED(partitions) }
    // Data on a partition was lost before it could be read (retention overtook the consumer).
    virtual void onDataLost(const QString &description) { Q_UNUSED(description) }
    // Something a person should know that is neither an error nor lost data ("-o 999999 is past the end: starting
    // at the end"); on the thread that called start(), or the consumer's.
    virtual void onNotice(const QString &text) { Q_UNUSED(text) }
    // After every poll, at least every 100 ms: for periodic work such as publishing.
    virtual void onIdle() {}
};

// A Kafka consumer on its own thread: joins a group or reads the topic's partitions directly, from the
// beginning, the end, the stored offsets or an offset, and hands batches to a handler. A gap (an offset
// that is no longer on the broker) is reported as lost data, never skipped silently.
class KafkaConsumer final {
public:
    KafkaConsumer(ConsumerOptions options, ConsumerHandler &handler);
    ~KafkaConsumer(); // stops and joins
    Q_DISABLE_COPY_MOVE(KafkaConsumer)

    // Connects, checks the topic exists, and starts the thread. The error says what failed.
    Status start();
    // Asks the thread to stop; it commits (in a group), closes and ends. During start(), ends its wait for
    // the cluster within a fraction of a second. Thread-safe.
    void requestStop();
    // Blocks until the thread has ended.
    void wait();

    // Called on the consumer thread once the loop has ended, for whatever reason.
    void setFinishedCallback(std::function<void()> callback) { m_onFinished = std::move(callback); }

    bool reachedEnd() const { return m_reachedEnd.load(); }
    qint64 consumed() const { return m_consumed.load(std::memory_order_relaxed); }
    QString fatalError() const;                             // empty unless the loop ended on an error
    int partitionCount() const { return m_partitionCount; } // over all the topics read
    // A stream partition as people name it: "3" when one topic is read, "orders:1" when several are.
    QString partitionName(int streamPartition) const;
    // What start() found this consumer reads (see stream_origin.h); empty before.
    const QByteArray &streamOrigin() const { return m_streamOrigin; }
    // Messages on the assigned partitions not yet read: the brokers' high watermarks less the positions,
    // as of the last fetch (measured twice a second). Thread-safe.
    qint64 lag() const { return m_lag.load(std::memory_order_relaxed); }

private:
    void run(std::stop_token stop);
    void handleError(const void *message);
    void recoverLostOffset(const char *topic, int partition, qint64 offset);
    // The stream's numbering of a Kafka partition, and back.
    int streamPartition(const char *topic, int partition) const;
    std::pair<const QByteArray *, int> kafkaPartition(int streamPartition) const;
    void onRebalance(int err, rd_kafka_topic_partition_list_t *partitions);
    void setStartOffsets(rd_kafka_topic_partition_list_t *partitions);
    void setFatal(const QString &message);
    bool commitPositions(); // false when a rebalance refused the commit
    void measureLag();

    ConsumerOptions m_options;
    ConsumerHandler &m_handler;
    rd_kafka_t *m_rk = nullptr;
    std::jthread m_thread;
    std::function<void()> m_onFinished;
    std::set<int> m_assigned;
    std::set<int> m_atEnd;
    std::map<int, int> m_lossStreak; // by partition: losses since a message was last read from it
    bool m_closing = false;
    std::optional<std::chrono::steady_clock::time_point> m_lastAssignment; // since the last revoke
    int m_partitionCount = 0;
    std::vector<QByteArray> m_topics;  // as given
    std::vector<int> m_firstPartition; // of each topic in the stream's numbering
    QByteArray m_streamOrigin;
    std::atomic<bool> m_reachedEnd{false};
    std::atomic<bool> m_stopRequested{false}; // also ends start()'s wait for the cluster
    std::atomic<qint64> m_consumed{0};
    std::atomic<qint64> m_lag{0};
    std::chrono::steady_clock::time_point m_lagMeasuredAt;
    mutable std::mutex m_errorMutex;
    QString m_fatalError;
    QString m_lastBrokerFailure; // librdkafka's last word on a broker it could not reach (its FAIL log line)
};

} // namespace peakwatch
