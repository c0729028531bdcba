// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {

namespace {
constexpr double kGrowth = 1.02;
constexpr int kBuckets = 1400; // 1 µs .. about 10^12 µs
int bucketOf(qint64 micros)
{
    if (micros <= 1)
        return 0;
    return std::min(kBuckets - 1, int(std::log(double(micros)) / std::log(kGrowth)) + 1);
}
double bucketValue(int bucket)
{
    return bucket == 0 ? 1 : std::pow(kGrowth, bucket - 0.5);
}
} // namespace

LatencyHistogram::LatencyHistogram()
    : m_buckets(kBuckets, 0)
{}

void LatencyHistogram::record(qint64 micros)
{
    ++m_buckets[size_t(bucketOf(micros))];
    ++m_count;
    m_max = std::max(m_max, micros);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::reset()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_count = 0;
    m_max = 0;
}

double LatencyHistogram::percentile(double fraction) const
{
    if (m_count == 0)
        return 0;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(fraction * double(m_count))));
    qint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return std::min(bucketValue(int(i)), double(m_max));
    }
    return double(m_max);
}

} // namespace peakwatch
