#pragma once

#include <QtGlobal>

#include <optional>

namespace peakwatch {

class IntervalCalibration;
struct PredictorParams;
struct ProductState;
class ShopDemand;

// When one product will sell out, with an 80 % interval, from its own sales, its share of its shop's sales and
// the shop's rate (see PredictorParams).
//
// The rate: share x the shop's rate, the share taken from the product's recent sales over a prior at its
// long-run share. The uncertainty: the rate is Gamma distributed, with the product's own units of evidence as
// its shape (counted in "effective sales": units over the units a sale carries, E[u^2]/E[u], so one 12-unit
// order weighs as what it is, not as 12 customers), widened by how far demand drifts over the time ahead.
// The remaining stock then sells over a Gamma time given the rate. Together, the time to sell out is
// scale x X / Y with X ~ Gamma(remaining sales) and Y ~ Gamma(rate evidence): a beta-prime distribution, whose
// quantiles and probabilities come from the regularised incomplete beta function (GSL).
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

    // P(sold out by atMs); 0 without a forecast; 0 or 1 for a point forecast with no distribution (scaleMs 0).
    double probabilityBy(qint64 atMs) const;
    // The time by which it is sold out with probability p, when there is a forecast.
    std::optional<qint64> quantileMs(double p) const;
};

// The interval is read at `calibration`'s levels, or at the coverage's tails without one.
SelloutForecast forecastSellout(const ProductState &state, const ShopDemand &shop, const PredictorParams &params,
                                qint64 nowMs, const IntervalCalibration *calibration = nullptr);

} // namespace peakwatch
