// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "run_stats.h"

#include "json_writer.h"

#include <algorithm>
#include <cmath>

namespace peakwatch::sim {
RunStats::RunStats()
{
    m_clock.start();
}

void RunStats::start()
{
    m_clock.restart();
    m_lastTickMs = 0;
}

void RunStats::acknowledged(qint64 latencyMicros)
{
    m_acknowledged.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    m_interval.record(latencyMicros);
}

RunStats::Interval RunStats::tick()
{
    Interval out;
    const qint64 now = m_clock.elapsed();
    const double dt = std::max<qint64>(1, now - m_lastTickMs) / 1000.0;
    m_lastTickMs = now;
    out.seconds = now / 1000.0;
    out.sent = m_sent.load();
    out.acknowledged = m_acknowledged.load();
    out.errors = m_errors.load();
    out.rejected = m_rejected.load();
    out.retries = m_retries.load();
    out.sentPerSecond = double(out.sent - m_lastSent) / dt;
    out.ackedPerSecond = double(out.acknowledged - m_lastAcked) / dt;
    m_lastSent = out.sent;
    m_lastAcked = out.acknowledged;
    std::lock_guard lock(m_mutex);
    out.p50Ms = m_interval.percentile(0.5) / 1000.0;
    out.p99Ms = m_interval.percentile(0.99) / 1000.0;
    m_total.merge(m_interval);
    m_interval.reset();
    return out;
}

double RunStats::totalPercentileMs(double fraction) const
{
    std::lock_guard lock(m_mutex);
    LatencyHistogram all = m_total;
    all.merge(m_interval);
    return all.percentile(fraction) / 1000.0;
}

QByteArray RunStats::reportJson(const QByteArray &extra) const
{
    const double seconds = std::max<qint64>(1, m_clock.elapsed()) / 1000.0;
    QByteArray out;
    {
        JsonObjectWriter w(out);
        w.string("type", std::string_view("report"));
        w.number("seconds", seconds);
        w.integer("sent", m_sent.load());
        w.integer("acknowledged", m_acknowledged.load());
        w.integer("errors", m_errors.load());
        w.integer("rejected", m_rejected.load());
        w.integer("retries", m_retries.load());
        w.number("sent_per_second", double(m_sent.load()) / seconds);
        w.number("acknowledged_per_second", double(m_acknowledged.load()) / seconds);
        w.number("latency_p50_ms", totalPercentileMs(0.5));
        w.number("latency_p99_ms", totalPercentileMs(0.99));
        w.fields(std::string_view(extra.constData(), size_t(extra.size())));
    }
    return out;
}

} // namespace peakwatch::sim
