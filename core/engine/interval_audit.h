// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

namespace peakwatch {

// Measures, on the stream itself, how often the sell-out intervals shown held the truth: every product in stock
// whose sell-out is predicted within 6 hours is given a check every 10 minutes of event time (the interval it was
// shown; InventoryEngine), and once event time has passed the interval's latest end, the product's history tells
// whether it sold out before the earliest end, inside, or not by the latest. Judging a sell-out at once would count the
// early misses hours before the late ones. A restock before the sell-out leaves a check unjudged. Pure value type, no
// I/O.
class IntervalAudit final {
public:
    // One judged check: `soldOutAtMs` is when the product sold out (0: not by the latest end).
    void judge(qint64 earliestMs, qint64 latestMs, qint64 soldOutAtMs);

    qint64 judged() const { return m_judged; }
    qint64 early() const { return m_early; } // sold out before the earliest end
    qint64 late() const { return m_late; }   // not sold out by the latest end
    double held() const { return m_judged ? double(m_judged - m_early - m_late) / double(m_judged) : 0; }

private:
    qint64 m_judged = 0, m_early = 0, m_late = 0;
};

} // namespace peakwatch
