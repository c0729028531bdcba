// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

// How late a periodic tick came, per phase of a benchmark: a histogram in whole milliseconds (capped at
// 5 s), from which the longest, a percentile and the count over a bound are read.
class LateTicks {
public:
    static constexpr int kPhases = 4;

    LateTicks()
    {
        for (auto &counts : m_counts)
            counts.assign(kMaxMs + 1, 0);
    }
    void record(int phase, int64_t lateMs)
    {
        ++m_counts[size_t(phase)][size_t(std::clamp<int64_t>(lateMs, 0, int64_t(kMaxMs)))];
    }
    int64_t longest(int phase) const
    {
        const std::vector<int64_t> &counts = m_counts[size_t(phase)];
        for (size_t ms = counts.size(); ms-- > 0;)
            if (counts[ms] > 0)
                return int64_t(ms);
        return 0;
    }
    // The lateness that this fraction of the phase's ticks stayed within.
    int64_t percentile(int phase, double fraction) const
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
    int64_t over(int phase, int64_t ms) const
    {
        int64_t n = 0;
        const std::vector<int64_t> &counts = m_counts[size_t(phase)];
        for (size_t i = size_t(ms) + 1; i < counts.size(); ++i)
            n += counts[i];
        return n;
    }

private:
    static constexpr size_t kMaxMs = 5000;
    std::array<std::vector<int64_t>, kPhases> m_counts;
};
