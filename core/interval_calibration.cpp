#include "interval_calibration.h"

#include <algorithm>

namespace peakwatch {
namespace {
constexpr double kStep = 0.005; // how far one settled check moves a level
constexpr double kMinLevel = 0.001;
} // namespace

IntervalCalibration::IntervalCalibration(double coverage)
    : m_tail((1 - coverage) / 2)
    , m_lower(m_tail)
    , m_upper(1 - m_tail)
{}

void IntervalCalibration::settle(qint64 earliestMs, qint64 latestMs, qint64 soldOutAtMs)
{
    const bool early = soldOutAtMs != 0 && soldOutAtMs < earliestMs;
    const bool late = soldOutAtMs == 0 || soldOutAtMs > latestMs;
    ++m_settled;
    m_early += early;
    m_late += late;
    m_lower = std::clamp(m_lower - kStep * ((early ? 1.0 : 0.0) - m_tail), kMinLevel, 0.5);
    m_upper = std::clamp(m_upper + kStep * ((late ? 1.0 : 0.0) - m_tail), 0.5, 1 - kMinLevel);
}

} // namespace peakwatch
