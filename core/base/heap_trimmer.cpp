// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "heap_trimmer.h"

#include "thread_priority.h"

#include <malloc.h>
#include <pthread.h>

namespace peakwatch {

HeapTrimmer::HeapTrimmer(std::chrono::milliseconds interval)
    : m_thread([this, interval](std::stop_token stop) { run(stop, interval); })
{}

HeapTrimmer::~HeapTrimmer() = default; // the thread's stop request wakes its wait

void HeapTrimmer::run(std::stop_token stop, std::chrono::milliseconds interval)
{
    pthread_setname_np(pthread_self(), "heap trimmer");
    yieldToTheWindow();
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
        m_wake.wait_for(lock, stop, interval, [] { return false; });
        if (stop.stop_requested())
            break;
        const auto start = std::chrono::steady_clock::now();
        trimNow();
        const qint64 tookUs =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
        m_lastTrimUs.store(tookUs, std::memory_order_relaxed);
        if (tookUs > m_longestTrimUs.load(std::memory_order_relaxed))
            m_longestTrimUs.store(tookUs, std::memory_order_relaxed); // the only writer
        m_trims.fetch_add(1, std::memory_order_relaxed);
    }
}

bool HeapTrimmer::trimNow()
{
    return malloc_trim(0) == 1;
}

} // namespace peakwatch
