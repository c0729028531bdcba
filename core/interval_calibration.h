#pragma once

#include <QtGlobal>

#include <optional>

namespace peakwatch {

// Keeps the sell-out interval honest on the stream it is shown on: the forecast's distribution comes from a
// model (Gamma rate, drift), and a model is wrong in ways no fixed formula knows. So every product in stock is
// given a check now and then: the interval it was shown. Once event time has passed the interval's latest end,
// the product's history tells whether it sold out before the earliest end, inside, or not by the latest, and the
// quantile levels intervals are read at move so that each tail is missed as often as it should be (adaptive
// conformal inference: each miss widens its side a little, each hit narrows it a little less). Settling a
// sell-out at once would count the early misses hours before the late ones, and learn too narrow an upper end.
// A restock before the sell-out settles nothing. Pure value type, no I/O.
class IntervalCalibration final {
public:
    explicit IntervalCalibration(double coverage = 0.8);

    // The quantile levels to read the earliest and the latest sell-out at.
    double lowerLevel() const { return m_lower; }
    double upperLevel() const { return m_upper; }

    // Settles one check: `soldOutAtMs` is when the product sold out (0: not by the latest end).
    void settle(qint64 earliestMs, qint64 latestMs, qint64 soldOutAtMs);

    qint64 settled() const { return m_settled; }
    qint64 early() const { return m_early; }
    qint64 late() const { return m_late; }

private:
    double m_tail;
    double m_lower;
    double m_upper;
    qint64 m_settled = 0, m_early = 0, m_late = 0;
};

} // namespace peakwatch
