// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "sellout_forecast.h"

#include "inventory_engine.h"
#include "shop_demand.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {

constexpr double kMsPerHour = 3600.0 * 1000.0;
constexpr double kMaxHours = 24.0 * 365 * 100;
constexpr double kMinShape = 0.05; // below this the beta-prime quantiles run out of doubles

// GSL reports a failed convergence by calling its error handler, which aborts by default: a forecast then has
// no interval instead.
void quietGsl()
{
    static const bool once = [] {
        gsl_set_error_handler_off();
        return true;
    }();
    Q_UNUSED(once);
}

} // namespace

double SelloutForecast::probabilityBy(qint64 atMs) const
{
    if (!selloutAtMs)
        return 0;
    if (scaleMs <= 0) // a point with no distribution: taken as certain
        return *selloutAtMs <= atMs ? 1 : 0;
    if (atMs <= anchorMs)
        return 0;
    quietGsl();
    const double x = double(atMs - anchorMs) / scaleMs;
    const double p = gsl_cdf_beta_P(x / (1 + x), remainingShape, rateShape);
    return std::isfinite(p) ? std::clamp(p, 0.0, 1.0) : 0.0;
}

double SelloutForecast::probabilityBoundBy(qint64 atMs) const
{
    if (!selloutAtMs)
        return 0;
    if (scaleMs <= 0 || atMs <= anchorMs)
        return probabilityBy(atMs);
    // P(X <= xY) <= E[exp(t(xY - X))] = (1 - tx)^-b (1 + t)^-a, smallest at t = (a - bx) / (x (a + b)) when a > bx.
    const double x = double(atMs - anchorMs) / scaleMs;
    const double a = remainingShape, b = rateShape;
    if (!(a > b * x))
        return 1;
    const double t = (a - b * x) / (x * (a + b));
    return std::min(1.0, std::exp(-b * std::log1p(-t * x) - a * std::log1p(t)));
}

void SelloutForecast::fillInterval()
{
    const double tail = (1 - coverage) / 2;
    earliestMs = quantileMs(tail);
    latestMs = quantileMs(1 - tail);
}

std::optional<qint64> SelloutForecast::quantileMs(double p) const
{
    if (!selloutAtMs || scaleMs <= 0)
        return std::nullopt;
    quietGsl();
    double z = gsl_cdf_beta_Pinv(p, remainingShape, rateShape);
    if (!std::isfinite(z) && p > 0 && p < 1) {
        // GSL's inverse does not always converge (NaN for a = 1200, b = 0.5, p = 0.1; 1.4 % of a grid of shapes):
        // bisect its distribution function, which does. 64 halvings reach a double's resolution.
        double low = 0, high = 1;
        for (int i = 0; i < 64; ++i) {
            const double mid = 0.5 * (low + high);
            (gsl_cdf_beta_P(mid, remainingShape, rateShape) < p ? low : high) = mid;
        }
        z = 0.5 * (low + high);
    }
    if (!std::isfinite(z) || z < 0)
        return std::nullopt;
    if (z >= 1)
        return std::nullopt;
    const double ms = scaleMs * z / (1 - z);
    if (!(ms < kMaxHours * kMsPerHour))
        return std::nullopt;
    return anchorMs + qint64(std::llround(ms));
}

SelloutForecast forecastSellout(const ProductState &s, const ShopDemand &shop, const PredictorParams &params,
                                qint64 nowMs, bool withInterval)
{
    SelloutForecast f;
    const auto own = s.predictor.ratePerHour(nowMs, params);
    if (!own)
        return f; // too few sales, or silent for too long
    const ProductShare::Estimate share =
        s.share.estimate(nowMs, shop.cumulativeDemand(), shop.meanUnits(), shop.meanSquaredUnits(), params);
    // Effective sales: units over the units an average unit comes in (E[u^2]/E[u]).
    const double unitsPerSale = std::max(1.0, share.squaredUnitsPerSale / std::max(1e-9, share.unitsPerSale));

    double rate = *own;
    double evidence = s.predictor.evidenceUnits(nowMs, params) / unitsPerSale; // effective sales
    if (const auto shopRate = shop.demandPerHour(nowMs, params);
        shopRate && share.share > 0 && params.shareWeight > 0) {
        // Share x shop demand as a prior worth shareWeight effective sales: the product's own sales outweigh it
        // once they are many. Weighed in log space, so a prior far off moves a well-sold product only a little.
        const double prior = share.share * *shopRate;
        const double a = params.shareWeight;
        const double ownRate = rate;
        rate = std::exp((evidence * std::log(ownRate) + a * std::log(prior)) / (evidence + a));
        // While the recent sales agree with the prior within their noise, the prior's own sales count as evidence
        // too (up to priorMaxSales): a steady product is known better than its last minutes tell. The prior is
        // known no better than the less known of its parts: the share's sales, and the shop's over its short
        // window (in a shop of one product, no more than the product's own recent sales).
        const double shareSales = share.units / unitsPerSale;
        const double shopSales = shop.evidenceUnits(nowMs, params) / unitsPerSale;
        const double priorSales = 1 / (1 / std::max(shareSales, 0.5) + 1 / std::max(shopSales, 0.5));
        const double spread = std::sqrt(1 / std::max(evidence, 0.5) + 1 / priorSales);
        const bool agrees = std::fabs(std::log(ownRate / prior)) <= spread;
        evidence += agrees ? std::max(a, std::min(priorSales, params.priorMaxSales)) : a;
    }
    if (!(rate > 1e-9))
        return f;
    f.ratePerHour = rate;
    if (s.unitsLeft() <= 0)
        return f;
    const double hours = double(s.unitsLeft()) / rate;
    if (hours > kMaxHours)
        return f;
    f.anchorMs = s.updatedAtMs;
    f.selloutAtMs = f.anchorMs + qint64(std::llround(hours * kMsPerHour));

    f.remainingShape = std::max(kMinShape, double(s.unitsLeft()) / unitsPerSale);
    const double drift = params.driftPerHour + params.shopDriftWeight * shop.driftPerHour();
    f.rateShape = std::max(kMinShape, 1.0 / (1.0 / std::max(kMinShape, evidence) + drift * hours));
    // The rate of effective sales is Gamma(rateShape) with mean rate / unitsPerSale.
    f.scaleMs = f.rateShape * unitsPerSale / rate * kMsPerHour;
    f.coverage = params.coverage;
    if (withInterval)
        f.fillInterval();
    return f;
}

} // namespace peakwatch
