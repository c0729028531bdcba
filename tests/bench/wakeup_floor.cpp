// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "wakeup_floor.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace {

constexpr int64_t kIntervalNs = 5'000'000;

int64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

WakeupFloor::WakeupFloor(const std::atomic<int> &phase, bool tracing)
    : m_phase(phase)
    , m_tracing(tracing)
    , m_thread([this] { run(); })
{}

WakeupFloor::~WakeupFloor()
{
    stop();
}

void WakeupFloor::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void WakeupFloor::run()
{
    const int64_t start = monotonicNs();
    int64_t last = start;
    const timespec interval{0, long(kIntervalNs)};
    while (!m_stop) {
        nanosleep(&interval, nullptr);
        const int64_t now = monotonicNs();
        const int64_t lateMs = std::max<int64_t>(0, (now - last - kIntervalNs) / 1'000'000);
        last = now;
        m_late.record(std::clamp(m_phase.load(std::memory_order_relaxed), 0, LateTicks::kPhases - 1), lateMs);
        if (m_tracing && lateMs >= 40)
            std::fprintf(stderr, "floor: woke %lld ms late at t=%lld\n", static_cast<long long>(lateMs),
                         static_cast<long long>((now - start) / 1'000'000));
    }
}
