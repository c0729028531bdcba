// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "result.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;

namespace peakwatch {

struct KafkaHeader {
    std::string_view name;
    std::string_view value;
};

// A Kafka producer with delivery reports, served by its own polling thread or, for a single producing
// thread that wants every allocation and release on one thread, by that thread calling poll().
// produce() is thread-safe and never blocks for long: when librdkafka's queue is full it waits for
// deliveries for up to the queue timeout, then reports the message as not accepted.
class KafkaProducer final {
public:
    struct Delivery {
        bool ok = false;
        QString error; // when !ok
        int partition = -1;
        qint64 offset = -1;
        void *opaque = nullptr; // what produce() was given
    };
    // Runs on the polling thread, or in poll(), produce() and flush() with DeliveryReports::ByCaller.
    using DeliveryHandler = std::function<void(const Delivery &)>;
    enum class DeliveryReports { OwnThread, ByCaller };

    static Result<std::unique_ptr<KafkaProducer>> create(const QString &bootstrapServers,
                                                         const KafkaProperties &properties = {},
                                                         DeliveryReports reports = DeliveryReports::OwnThread);
    ~KafkaProducer(); // flushes for up to 10 s, then stops
    Q_DISABLE_COPY_MOVE(KafkaProducer)

    void setDeliveryHandler(DeliveryHandler handler);

    // Copies key, value and headers. `partition` -1 lets the partitioner choose by key.
    // With `copyValue` false the value is not copied: it must stay valid until its delivery report.
    Status produce(std::string_view topic, std::string_view key, std::string_view value,
                   std::span<const KafkaHeader> headers = {}, int partition = -1, void *opaque = nullptr,
                   qint64 timestampMs = 0, bool copyValue = true);

    // Looks the topic up now, so the first messages do not wait for librdkafka's next metadata refresh
    // (up to a second), and says plainly when the cluster does not have it.
    Status prepareTopic(const QString &topic, int timeoutMs = 10000);

    // Serves the delivery reports that are ready, waiting up to `timeoutMs` for the first (ByCaller only).
    void poll(int timeoutMs);
    // Waits up to `timeoutMs` for every message to be delivered; true if none is left.
    bool flush(int timeoutMs);

    qint64 delivered() const { return m_delivered.load(std::memory_order_relaxed); }
    qint64 failed() const { return m_failed.load(std::memory_order_relaxed); }
    int inFlight() const;
    QString lastError() const;
    // What librdkafka last said about a broker it could not reach, if nothing was delivered since ("127.0.0.1:9/
    // bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused …"); empty while deliveries go through.
    QString brokerFailure() const;
    // Drops every message not yet delivered (each reported as failed), so that a producer given up on stops at once.
    void purge();
    rd_kafka_t *handle() const { return m_rk; }

private:
    KafkaProducer() = default;
    static void onDeliveryReport(rd_kafka_t *, const void *message, void *opaque);

    rd_kafka_t *m_rk = nullptr;
    rd_kafka_topic_t *topicHandle(std::string_view topic); // created once per topic

    std::mutex m_topicsMutex;
    std::vector<rd_kafka_topic_t *> m_topics; // kept until the producer is destroyed
    std::jthread m_poller;                    // not started with DeliveryReports::ByCaller
    bool m_callerPolls = false;
    DeliveryHandler m_handler;
    std::atomic<qint64> m_delivered{0};
    std::atomic<qint64> m_failed{0};
    mutable std::mutex m_errorMutex;
    QString m_lastError;
    QString m_bootstrap;
    QString m_brokerFailure;            // under m_errorMutex
    std::atomic<bool> m_failing{false}; // m_brokerFailure is set: cleared by the next delivery
};

} // namespace peakwatch
