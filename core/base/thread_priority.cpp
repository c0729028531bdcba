// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "thread_priority.h"

#include <atomic>
#include <cerrno>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace peakwatch {
namespace {

constexpr int kBackgroundNice = 5;
std::atomic<bool> g_yield{false};

} // namespace

void setBackgroundThreadsYield(bool yield)
{
    g_yield = yield;
}

bool backgroundThreadsYield()
{
    return g_yield;
}

void yieldToTheWindow()
{
    if (!g_yield)
        return;
#ifdef __linux__
    // On Linux a nice value belongs to one thread (its id, not the process's): this one only.
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && now < kBackgroundNice)
        setpriority(PRIO_PROCESS, tid, kBackgroundNice);
#endif
}

} // namespace peakwatch
