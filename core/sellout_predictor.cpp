#include "sellout_predictor.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {
constexpr double kMsPerHour = 3600.0 * 1000.0;
} // namespace

void SelloutPredictor::observe(qint64 atMs, qint64 quantity, const PredictorParams &params)
{
    if (!m_seen) {
        m_seen = true;
        m_lastAt = atMs;
        m_lastQuantity = quantity;
        return;
    }
    const double window = double(params.windowMs);
    const double dt = double(std::max<qint64>(0, atMs - m_lastAt));
    const double decay = std::exp(-dt / window);
    const qint64 delta = m_lastQuantity - quantity;

    if (delta > 0) {
        double units = double(delta);
        if (m_observations >= params.minObservations && m_exposure > 0) {
            // Cap a sale far above what the current rate would sell over the interval.
            const double expected = m_sales / m_exposure * std::max(dt, window / 10);
            units = std::min(units, std::max(params.spikeFactor * expected, double(params.spikeFloorUnits)));
        }
        // Spread the units evenly over the interval they were sold in.
        const double weight = dt > 0 ? window / dt * (1 - decay) : 1.0;
        m_sales = m_sales * decay + units * weight;
        m_exposure = m_exposure * decay + window * (1 - decay);
        if (m_observations == 0)
            m_firstSaleAt = atMs;
        ++m_observations;
        m_lastSaleAt = atMs;
    } else if (delta == 0) {
        m_sales *= decay;
        m_exposure = m_exposure * decay + window * (1 - decay);
    } else {
        // A restock: what sold during this interval is unknown, so the interval is left out.
        m_sales *= decay;
        m_exposure *= decay;
    }
    m_lastAt = std::max(m_lastAt, atMs);
    m_lastQuantity = quantity;
}

std::optional<double> SelloutPredictor::ratePerHour(qint64 nowMs, const PredictorParams &params) const
{
    if (m_observations < params.minObservations || m_exposure <= 0)
        return std::nullopt;
    if (nowMs - m_lastSaleAt >= params.silentWindows * params.windowMs)
        return std::nullopt;
    const double window = double(params.windowMs);
    const double gap = double(std::max<qint64>(0, nowMs - m_lastAt));
    const double decay = std::exp(-gap / window);
    const double exposure = m_exposure * decay + window * (1 - decay);
    const double rate = m_sales * decay / exposure * kMsPerHour;
    if (!(rate > 1e-9))
        return std::nullopt;
    return rate;
}

std::optional<qint64> SelloutPredictor::selloutAtMs(qint64 nowMs, const PredictorParams &params) const
{
    if (m_lastQuantity <= 0)
        return std::nullopt;
    const auto rate = ratePerHour(nowMs, params);
    if (!rate)
        return std::nullopt;
    const double hours = double(m_lastQuantity) / *rate;
    if (hours > 24.0 * 365 * 100)
        return std::nullopt;
    return m_lastAt + qint64(std::llround(hours * kMsPerHour));
}

double SelloutPredictor::confidence() const
{
    if (m_observations == 0)
        return 0;
    const double byCount = std::min(1.0, m_observations / 5.0);
    const double bySpan = std::min(1.0, double(m_lastSaleAt - m_firstSaleAt) / (10 * 60 * 1000.0));
    return byCount * bySpan;
}

} // namespace peakwatch
