// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "sellout_predictor.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {
constexpr double kMsPerHour = 3600.0 * 1000.0;
} // namespace

bool PredictorParams::set(std::string_view name, double value)
{
    constexpr double kMinute = 60 * 1000;
    if (name == "window_minutes")
        windowMs = qint64(value * kMinute);
    else if (name == "min_observations")
        minObservations = int(value);
    else if (name == "max_growth")
        maxGrowth = value;
    else if (name == "silent_windows")
        silentWindows = int(value);
    else if (name == "shop_window_minutes")
        shopWindowMs = qint64(value * kMinute);
    else if (name == "share_window_minutes")
        shareWindowMs = qint64(value * kMinute);
    else if (name == "share_pseudo_exposure")
        sharePseudoExposure = value;
    else if (name == "prior_max_sales")
        priorMaxSales = value;
    else if (name == "share_weight")
        shareWeight = value;
    else if (name == "drift_per_hour")
        driftPerHour = value;
    else if (name == "shop_drift_weight")
        shopDriftWeight = value;
    else if (name == "coverage")
        coverage = value;
    else
        return false;
    return true;
}

void SelloutPredictor::observeSale(qint64 atMs, qint64 units, const PredictorParams &params)
{
    if (units <= 0)
        return;
    if (!m_seen) {
        m_seen = true;
        m_anchorAt = m_lastAt = atMs;
    }
    // Orders of several products arrive a little out of time order: the sale is placed no earlier than the last.
    const qint64 at = std::max(atMs, m_anchorAt);
    addSale(at, m_anchorAt, double(units), params);
    m_lastAt = std::max(m_lastAt, at);
}

void SelloutPredictor::observe(qint64 atMs, qint64 quantity, const PredictorParams &params, bool decreasesAreSales)
{
    if (!m_seen) {
        m_seen = true;
        m_anchorAt = m_lastAt = atMs;
        m_lastQuantity = quantity;
        return;
    }
    const qint64 delta = m_lastQuantity - quantity;
    if (delta > 0 && decreasesAreSales) {
        qint64 periodStart = m_anchorAt;
        const auto rate = currentRatePerMs(params);
        if (m_restockSinceAnchor && rate) {
            // Sold since the previous sale, or only since the restock (which then hid earlier sales)?
            const double sinceSale = double(delta) / double(std::max<qint64>(1, atMs - m_anchorAt));
            const double sinceRestock = double(delta) / double(std::max<qint64>(1, atMs - m_restockAt));
            if (std::fabs(std::log(sinceRestock / *rate)) < std::fabs(std::log(sinceSale / *rate))) {
                const double decay = std::exp(-double(m_restockAt - m_anchorAt) / double(params.windowMs));
                m_sales *= decay; // the time before the restock is left out
                m_exposure *= decay;
                periodStart = m_restockAt;
            }
        }
        addSale(atMs, periodStart, double(delta), params);
    } else if (delta < 0) {
        m_restockAt = atMs;
        m_restockSinceAnchor = true;
    }
    m_lastAt = std::max(m_lastAt, atMs);
    m_lastQuantity = quantity;
}

std::optional<double> SelloutPredictor::currentRatePerMs(const PredictorParams &params) const
{
    if (m_observations < params.minObservations || m_exposure <= 0)
        return std::nullopt;
    const double rate = m_sales / m_exposure;
    return rate > 0 ? std::optional<double>(rate) : std::nullopt;
}

void SelloutPredictor::addSale(qint64 atMs, qint64 periodStartMs, double units, const PredictorParams &params)
{
    const double window = double(params.windowMs);
    const double dt = double(std::max<qint64>(0, atMs - periodStartMs));
    const double decay = std::exp(-dt / window);
    // Spread the units evenly over the period they were sold in.
    const double weight = dt > 0 ? window / dt * (1 - decay) : 1.0;
    const double exposure = m_exposure * decay + window * (1 - decay);
    if (const auto rate = currentRatePerMs(params)) {
        // Cap the units so the rate grows at most maxGrowth times, but never below what the current
        // rate sells over the period.
        const double growthCap = (params.maxGrowth * *rate * exposure - m_sales * decay) / weight;
        units = std::min(units, std::max(*rate * dt, growthCap));
    }
    m_sales = m_sales * decay + units * weight;
    m_exposure = exposure;
    m_meanOrderUnits = m_observations == 0 ? float(units) : float(0.8 * m_meanOrderUnits + 0.2 * units);
    if (m_observations == 0)
        m_firstSaleAt = atMs;
    ++m_observations;
    m_lastSaleAt = atMs;
    m_anchorAt = atMs;
    m_restockSinceAnchor = false;
}

std::optional<double> SelloutPredictor::ratePerHour(qint64 nowMs, const PredictorParams &params) const
{
    if (m_observations < params.minObservations || m_exposure <= 0)
        return std::nullopt;
    if (nowMs - m_lastSaleAt >= params.silentWindows * params.windowMs)
        return std::nullopt;
    // The time since the last sale counts as exposure with no sales once it is longer than the current
    // rate usually takes to the next sale (a typical order's units): before that, no sale is no news.
    const double window = double(params.windowMs);
    const double untilNextSale = m_meanOrderUnits * m_exposure / m_sales;
    const double gap = std::max(0.0, double(nowMs - m_anchorAt) - untilNextSale);
    const double decay = std::exp(-gap / window);
    const double exposure = m_exposure * decay + window * (1 - decay);
    const double rate = m_sales * decay / exposure * kMsPerHour;
    if (!(rate > 1e-9))
        return std::nullopt;
    return rate;
}

double SelloutPredictor::evidenceUnits(qint64 nowMs, const PredictorParams &params) const
{
    return m_sales * std::exp(-double(std::max<qint64>(0, nowMs - m_anchorAt)) / double(params.windowMs));
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
