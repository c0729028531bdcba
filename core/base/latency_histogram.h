// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <vector>

namespace peakwatch {

// Latencies in microseconds in log-spaced buckets (2 % apart): percentiles without keeping samples.
class LatencyHistogram final {
public:
    LatencyHistogram();
    void record(qint64 micros);
    void merge(const LatencyHistogram &other);
    void reset();
    qint64 count() const { return m_count; }
    // The latency at or below which `fraction` (0..1) of the samples are, in microseconds; 0 when empty.
    double percentile(double fraction) const;
    double maxMicros() const { return double(m_max); }

private:
    std::vector<qint64> m_buckets;
    qint64 m_count = 0;
    qint64 m_max = 0;
};

} // namespace peakwatch
