#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

// The machine's own floor for a thread that wakes every 5 ms: a plain thread at the UI thread's priority,
// with no event loop and no work, sleeping 5 ms at a time (as cyclictest does with --policy=other). Its
// late wake-ups are what the scheduler alone costs in that run; a UI thread can do no better than that.
class WakeupFloor {
public:
    static constexpr int kPhases = 4;

    // phase: which of the caller's phases each late wake-up counts in (read at every wake-up).
    explicit WakeupFloor(const std::atomic<int> &phase, bool tracing);
    ~WakeupFloor();
    WakeupFloor(const WakeupFloor &) = delete;
    WakeupFloor &operator=(const WakeupFloor &) = delete;

    // Per phase, in ms beyond the 5 ms sleep: the longest, the one a given fraction of wake-ups stayed
    // under, and how many were later than a bound. Call after stop().
    void stop();
    int64_t longest(int phase) const;
    int64_t percentile(int phase, double fraction) const;
    int64_t over(int phase, int64_t ms) const;

private:
    void run();

    const std::atomic<int> &m_phase;
    const bool m_tracing;
    std::atomic<bool> m_stop{false};
    std::vector<std::vector<int64_t>> m_counts; // per phase: wake-ups late by each number of ms (capped at 5 s)
    std::thread m_thread;
};
