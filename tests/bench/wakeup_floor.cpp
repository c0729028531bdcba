#include "wakeup_floor.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace {

constexpr int64_t kIntervalNs = 5'000'000;
constexpr size_t kMaxMs = 5000;

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
    , m_counts(kPhases, std::vector<int64_t>(kMaxMs + 1, 0))
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
        const int phase = std::clamp(m_phase.load(std::memory_order_relaxed), 0, kPhases - 1);
        ++m_counts[size_t(phase)][size_t(std::min<int64_t>(lateMs, kMaxMs))];
        if (m_tracing && lateMs >= 40)
            std::fprintf(stderr, "floor: woke %lld ms late at t=%lld\n", static_cast<long long>(lateMs),
                         static_cast<long long>((now - start) / 1'000'000));
    }
}

int64_t WakeupFloor::longest(int phase) const
{
    const std::vector<int64_t> &counts = m_counts[size_t(phase)];
    for (size_t ms = counts.size(); ms-- > 0;)
        if (counts[ms] > 0)
            return int64_t(ms);
    return 0;
}

int64_t WakeupFloor::percentile(int phase, double fraction) const
{
    const std::vector<int64_t> &counts = m_counts[size_t(phase)];
    int64_t total = 0;
    for (const int64_t c : counts)
        total += c;
    int64_t seen = 0;
    for (size_t ms = 0; ms < counts.size(); ++ms) {
        seen += counts[ms];
        if (double(seen) >= fraction * double(total))
            return int64_t(ms);
    }
    return int64_t(counts.size() - 1);
}

int64_t WakeupFloor::over(int phase, int64_t ms) const
{
    int64_t n = 0;
    const std::vector<int64_t> &counts = m_counts[size_t(phase)];
    for (size_t i = size_t(ms) + 1; i < counts.size(); ++i)
        n += counts[i];
    return n;
}
