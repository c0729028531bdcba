// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "shop_demand.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {
constexpr double kOrderSizeSmoothing = 0.02; // each sale moves the order-size moments by 2 %
constexpr double kMilli = 1000;              // the rate estimator counts whole units: feed it thousandths
// The most thousandths fed to the rate estimator: its differences stay far inside 64 bits whatever the sales (a
// shop selling 2^53 units again and again would pass 2^63 thousandths).
constexpr double kMaxMilliUnits = 0x1p60;
} // namespace

PredictorParams ShopDemand::shopParams(const PredictorParams &params)
{
    PredictorParams shop = params;
    shop.windowMs = params.shopWindowMs;
    shop.silentWindows =
        std::max(params.silentWindows, int(params.shareWindowMs / std::max<qint64>(1, params.shopWindowMs)) + 1);
    return shop;
}

void ShopDemand::observe(qint64 atMs, const PredictorParams &params)
{
    if (m_seen)
        return;
    m_seen = true;
    m_lastAtMs = atMs;
    m_rate.observe(atMs, 0, shopParams(params));
}

void ShopDemand::observeSale(qint64 atMs, qint64 units, const PredictorParams &params)
{
    observe(atMs, params);
    if (units <= 0)
        return;
    const double u = double(units);
    if (m_cumulative == 0) {
        m_units1 = u;
        m_units2 = u * u;
    } else {
        m_units1 += kOrderSizeSmoothing * (u - m_units1);
        m_units2 += kOrderSizeSmoothing * (u * u - m_units2);
    }
    m_cumulative += u;
    m_demand += u / inStockShare();
    // The shop's products each keep their own clock (Shopify's updated_at), so its sales arrive a little out of
    // time order: the shop's clock only moves forward.
    m_lastAtMs = std::max(m_lastAtMs, atMs);
    const double milliUnits = m_demand * kMilli;
    const double fed = milliUnits < kMaxMilliUnits ? milliUnits : kMaxMilliUnits; // NaN too
    m_rate.observe(m_lastAtMs, -qint64(std::llround(fed)), shopParams(params));
    sampleDrift(m_lastAtMs, params);
}

void ShopDemand::sampleDrift(qint64 atMs, const PredictorParams &params)
{
    constexpr qint64 kSpacingMs = 10 * 60 * 1000;
    constexpr qint64 kSpanMs = 60 * 60 * 1000;
    constexpr double kSmoothing = 0.2; // each sample's weight in the running variance
    if (m_sampleCount > 0 &&
        atMs - m_samples[(m_sampleNext + m_samples.size() - 1) % m_samples.size()].atMs < kSpacingMs)
        return;
    const auto demand = demandPerHour(atMs, params);
    if (!demand || !(*demand > 0))
        return;
    const Sample now{atMs, std::log(*demand)};
    // The newest sample at least an hour old: the change since, over the hours between.
    for (size_t back = 1; back <= m_sampleCount; ++back) {
        const Sample &then = m_samples[(m_sampleNext + m_samples.size() - back) % m_samples.size()];
        if (atMs - then.atMs < kSpanMs)
            continue;
        const double hours = double(atMs - then.atMs) / double(kSpanMs);
        const double change = now.logDemand - then.logDemand;
        // Each end is a rate counted from about a window's units, in orders of several units: their noise (the
        // variance of a count of orders, E[u^2]/E[u] units each) is not drift.
        const double window = double(params.shopWindowMs) / double(kSpanMs);
        const double unitsPerSale = std::max(1.0, m_units2 / std::max(1e-9, m_units1));
        const double perEnd = std::max(1.0, std::exp(then.logDemand) * window / unitsPerSale);
        const double perNow = std::max(1.0, *demand * window / unitsPerSale);
        const double variance = std::max(0.0, change * change - 1 / perEnd - 1 / perNow) / hours;
        m_drift = m_driftSeen ? m_drift + kSmoothing * (variance - m_drift) : variance;
        m_driftSeen = true;
        break;
    }
    m_samples[m_sampleNext] = now;
    m_sampleNext = (m_sampleNext + 1) % m_samples.size();
    m_sampleCount = std::min(m_sampleCount + 1, m_samples.size());
}

double ShopDemand::inStockShare() const
{
    constexpr double kFloor = 0.05; // never read a sale as more than 20 times its demand
    if (!(m_shareAll > 0))
        return 1;
    return std::clamp(m_shareInStock / m_shareAll, kFloor, 1.0);
}

void ShopDemand::updateProduct(double oldShare, bool oldInStock, double newShare, bool newInStock)
{
    m_shareAll += newShare - oldShare;
    m_shareInStock += (newInStock ? newShare : 0) - (oldInStock ? oldShare : 0);
    m_shareAll = std::max(0.0, m_shareAll);
    m_shareInStock = std::clamp(m_shareInStock, 0.0, m_shareAll);
}

std::optional<double> ShopDemand::demandPerHour(qint64 nowMs, const PredictorParams &params) const
{
    const auto rate = m_rate.ratePerHour(nowMs, shopParams(params));
    return rate ? std::optional<double>(*rate / kMilli) : std::nullopt;
}

double ShopDemand::evidenceUnits(qint64 nowMs, const PredictorParams &params) const
{
    return m_rate.evidenceUnits(nowMs, shopParams(params)) / kMilli;
}

} // namespace peakwatch
