// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "latency_histogram.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <atomic>
#include <mutex>
#include <vector>

namespace peakwatch::sim {

using peakwatch::LatencyHistogram;

// What a load run did, safe to update from the sink's threads and read once a second.
class RunStats final {
public:
    struct Interval {
        double seconds = 0; // since the run started
        qint64 sent = 0;    // totals so far
        qint64 acknowledged = 0;
        qint64 errors = 0;
        qint64 rejected = 0;
        qint64 retries = 0;
        double sentPerSecond = 0; // over the last interval
        double ackedPerSecond = 0;
        double p50Ms = 0; // over the last interval
        double p99Ms = 0;
    };

    RunStats();
    void start();

    void sent() { m_sent.fetch_add(1, std::memory_order_relaxed); }
    void acknowledged(qint64 latencyMicros);
    void failed() { m_errors.fetch_add(1, std::memory_order_relaxed); }     // gave up: not delivered
    void rejected() { m_rejected.fetch_add(1, std::memory_order_relaxed); } // refused for good (4xx)
    void retried() { m_retries.fetch_add(1, std::memory_order_relaxed); }

    qint64 sentCount() const { return m_sent.load(); }
    qint64 acknowledgedCount() const { return m_acknowledged.load(); }
    qint64 errorCount() const { return m_errors.load(); }
    qint64 rejectedCount() const { return m_rejected.load(); }
    qint64 settled() const { return m_acknowledged.load() + m_errors.load() + m_rejected.load(); }

    // Figures for the interval since the previous call.
    Interval tick();
    // The final report as JSON; `extra` is spliced in as more fields (already encoded, without braces).
    QByteArray reportJson(const QByteArray &extra = {}) const;
    // Percentiles over the whole run, in milliseconds.
    double totalPercentileMs(double fraction) const;

private:
    std::atomic<qint64> m_sent{0};
    std::atomic<qint64> m_acknowledged{0};
    std::atomic<qint64> m_errors{0};
    std::atomic<qint64> m_rejected{0};
    std::atomic<qint64> m_retries{0};
    mutable std::mutex m_mutex;
    LatencyHistogram m_interval;
    LatencyHistogram m_total;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    qint64 m_lastSent = 0;
    qint64 m_lastAcked = 0;
};

} // namespace peakwatch::sim
