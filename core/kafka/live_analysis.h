// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "analyzer.h"
#include "kafka_consumer.h"
#include "live_batch.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace peakwatch {

// The live analysis of a topic for a window: a Kafka consumer thread parses and analyses the stream, and
// at most every `intervalMs` hands the UI thread one immutable batch of what changed (batchReady, queued).
// A new batch is made only once the previous one has been delivered, so a busy UI never queues more than
// one; changes keep accumulating meanwhile. Within every `fullRefreshMs` every product is sent again, a
// slice with each batch, because predictions move with time even for products that sell nothing.
class LiveAnalysis final : public QObject {
    Q_OBJECT
public:
    struct Options {
        ConsumerOptions consumer;
        AlertRules rules;
        PredictorParams params;
        int intervalMs = 100;
        int fullRefreshMs = 2000;
        // How far ahead of the wall clock an event time may be (Analyzer::setMaxAheadMs); 0: no bound, for the
        // embedded cluster, whose simulated stream may be dated ahead of today.
        qint64 maxAheadMs = 24 * 60 * 60 * 1000;
    };

    explicit LiveAnalysis(QObject *parent = nullptr);
    ~LiveAnalysis() override; // stops and joins
    Q_DISABLE_COPY_MOVE(LiveAnalysis)

    // Starts connecting, on a thread of its own: the caller's (the UI's) never waits for the cluster.
    // connected() follows once the topic is found and reading has begun, or finished() with what failed.
    void start(Options options);
    // Stops the consumer (bounded: it closes, then joins; while still connecting, that ends first, within
    // librdkafka's metadata timeout). No batch and no signal of this run arrive after this returns.
    void stop();
    bool isRunning() const { return m_consumer != nullptr; } // connecting or reading
    // Products whose stock history goes with every batch (the chart's selection). Thread-safe.
    void setWatched(std::vector<ProductRef> products);
    // New alert rules (the rules editor), applied from the next messages on. Thread-safe.
    void setRules(AlertRules rules);

Q_SIGNALS:
    void connected();
    void batchReady(const peakwatch::LiveBatchPtr &batch);
    void dataLost(const QString &description);
    // The consumer ended on its own: `error` says why, empty when it reached the end it was asked to.
    void finished(const QString &error);

private:
    class Handler;
    std::unique_ptr<Handler> m_handler;
    std::unique_ptr<KafkaConsumer> m_consumer;
    std::jthread m_connecting; // KafkaConsumer::start(), which waits for the cluster
    std::shared_ptr<std::atomic<bool>> m_batchPending;
    std::mutex m_watchedMutex;
    std::vector<ProductRef> m_watched;
    std::atomic<bool> m_watchedChanged{false};
    std::optional<AlertRules> m_newRules; // under m_watchedMutex, taken by the consumer thread
    std::atomic<bool> m_rulesChanged{false};
    quint64 m_generation = 0; // of start() and stop(), in this object's thread
    friend class Handler;
};

} // namespace peakwatch
