// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "interval_audit.h"

namespace peakwatch {

void IntervalAudit::judge(qint64 earliestMs, qint64 latestMs, qint64 soldOutAtMs)
{
    ++m_judged;
    m_early += soldOutAtMs != 0 && soldOutAtMs < earliestMs;
    m_late += soldOutAtMs == 0 || soldOutAtMs > latestMs;
}

} // namespace peakwatch
