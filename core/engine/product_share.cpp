// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "product_share.h"

#include "sellout_predictor.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {
constexpr double kOrderSizePriorSales = 5; // a product's order sizes lean on the shop's until it has this many
} // namespace

void ProductShare::observe(qint64 atMs, qint64 unitsSold, double shopDemand, qint64 quantity,
                           const PredictorParams &params)
{
    if (!m_seen) {
        m_seen = true;
        m_lastAtMs = atMs;
        m_lastDemand = shopDemand;
        m_inStock = quantity > 0;
        return;
    }
    const double decay = std::exp(-double(std::max<qint64>(0, atMs - m_lastAtMs)) / double(params.shareWindowMs));
    const double units = double(std::max<qint64>(0, unitsSold));
    // The shop's demand since the previous update, when the product could be bought; its own sale always counts.
    const double exposure = std::max(units, m_inStock ? shopDemand - m_lastDemand : 0.0);
    m_units = m_units * decay + units;
    m_exposure = m_exposure * decay + exposure;
    if (units > 0) {
        m_sales = m_sales * decay + 1;
        m_units1 = m_units1 * decay + units;
        m_units2 = m_units2 * decay + units * units;
    }
    m_lastAtMs = std::max(m_lastAtMs, atMs);
    m_lastDemand = std::max(m_lastDemand, shopDemand);
    m_inStock = quantity > 0;
}

double ProductShare::currentShare(const PredictorParams &params) const
{
    return m_units / (m_exposure + params.sharePseudoExposure);
}

ProductShare::Estimate ProductShare::estimate(qint64 nowMs, double shopDemand, double shopUnits1, double shopUnits2,
                                              const PredictorParams &params) const
{
    Estimate e;
    const double decay = std::exp(-double(std::max<qint64>(0, nowMs - m_lastAtMs)) / double(params.shareWindowMs));
    const double pending = m_inStock ? std::max(0.0, shopDemand - m_lastDemand) : 0.0;
    const double units = m_units * decay, exposure = m_exposure * decay + pending;
    if (exposure > 0 && units > 0)
        e.share = units / exposure;
    e.units = units;
    const double sales = m_sales * decay;
    const double w = kOrderSizePriorSales;
    e.unitsPerSale = (m_units1 * decay + w * shopUnits1) / (sales + w);
    e.squaredUnitsPerSale = (m_units2 * decay + w * shopUnits2) / (sales + w);
    return e;
}

} // namespace peakwatch
