// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "late_ticks.h"

#include <atomic>
#include <thread>

// The machine's own floor for a thread that wakes every 5 ms: a plain thread at the UI thread's priority,
// with no event loop and no work, sleeping 5 ms at a time (as cyclictest does with --policy=other). Its
// late wake-ups are what the scheduler alone costs in that run; a UI thread can do no better than that.
class WakeupFloor {
public:
    // phase: which of the caller's phases each late wake-up counts in (read at every wake-up).
    explicit WakeupFloor(const std::atomic<int> &phase, bool tracing);
    ~WakeupFloor();
    WakeupFloor(const WakeupFloor &) = delete;
    WakeupFloor &operator=(const WakeupFloor &) = delete;

    void stop();
    // Per phase, how late each wake-up came beyond the 5 ms sleep. Read after stop().
    const LateTicks &late() const { return m_late; }

private:
    void run();

    const std::atomic<int> &m_phase;
    const bool m_tracing;
    std::atomic<bool> m_stop{false};
    LateTicks m_late;
    std::thread m_thread;
};
