// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <optional>

namespace peakwatch {

struct PredictorParams;
struct ProductState;
class ShopDemand;

// When one product will sell out, with an 80 % interval (DESIGN.md "Prediction"; tests/bench/bench_prediction
// measures both against the truth).
//
// The rate: the product's own recent rate (SelloutPredictor), blended in log space with a prior, its share of the
// shop's demand (ProductShare) times the shop's demand now (ShopDemand), which weighs as shareWeight sales: a
// product with few sales follows its shop through a surge, one with many follows itself.
// The uncertainty: the rate is Gamma distributed with the product's evidence as its shape, counted in effective
// sales (units over E[u^2]/E[u], so one 12-unit order weighs as what it is, not as 12 customers), plus the
// prior's own sales while the recent ones agree with it (as many as both the share and the shop's short-window
// rate rest on); widened by how far demand may move over the time ahead
// (a floor per hour, plus how much the shop's demand moved lately). The remaining stock then sells over a Gamma
// time given the rate. Together the time to sell out is scale x X / Y, X ~ Gamma(remaining sales),
// Y ~ Gamma(rate evidence): a beta-prime distribution, whose quantiles and probabilities come from the
// regularised incomplete beta function (GSL).
struct SelloutForecast {
    std::optional<double> ratePerHour;
    std::optional<qint64> selloutAtMs; // point: anchor + stock / rate
    std::optional<qint64> earliestMs;  // the 80 % interval (10th and 90th percentiles)
    std::optional<qint64> latestMs;

    // The distribution behind the interval, when there is one.
    qint64 anchorMs = 0;
    double scaleMs = 0;
    double remainingShape = 0;
    double rateShape = 0;

    double coverage = 0.8;

    // Sets earliestMs and latestMs from the distribution.
    void fillInterval();
    // An upper bound of probabilityBy(atMs) that costs a few logarithms (Chernoff's): when it is below what a rule
    // asks, the exact probability need not be worked out.
    double probabilityBoundBy(qint64 atMs) const;
    // P(sold out by atMs); 0 without a forecast; 0 or 1 for a point forecast with no distribution (scaleMs 0).
    double probabilityBy(qint64 atMs) const;
    // The time by which it is sold out with probability p, when there is a forecast.
    std::optional<qint64> quantileMs(double p) const;
};

// Without `withInterval` the earliest and latest ends are left out (quantileMs gives them on demand): the
// analysis of every update needs only the distribution.
SelloutForecast forecastSellout(const ProductState &state, const ShopDemand &shop, const PredictorParams &params,
                                qint64 nowMs, bool withInterval = true);

} // namespace peakwatch
