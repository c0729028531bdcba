// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <optional>
#include <string_view>

namespace peakwatch {

// Tunables shared by every product's predictor. The defaults were chosen on the tuning runs of
// tests/bench/bench_prediction and judged on its report runs (docs/benchmarks.md).
struct PredictorParams {
    qint64 windowMs = 15 * 60 * 1000; // time constant of the exponentially weighted rate
    int minObservations = 2;          // sales seen before a rate is given
    double maxGrowth = 1.8;           // one sale can raise the rate at most this many times
    int silentWindows = 3;            // no sale for this many windows clears the prediction

    // The forecast (sellout_forecast.h): the product's own rate over a prior of share x shop demand, and its
    // uncertainty.
    qint64 shopWindowMs = 10 * 60 * 1000;      // time constant of the shop's rate
    qint64 shareWindowMs = 8 * 60 * 60 * 1000; // time constant of a product's share of the shop's demand
    double sharePseudoExposure = 100;          // shop units with no sale a product's share starts from
    double priorMaxSales = 100;                // effective sales a prior that agrees counts as, at most
    double shareWeight = 4;                    // effective sales the prior weighs as (0: the own rate alone)
    double driftPerHour = 0.05;                // variance of a product's log rate added per hour ahead...
    double shopDriftWeight = 1;                // ...plus this much of the shop's own (ShopDemand::driftPerHour)
    double coverage = 0.8;                     // of the sell-out interval

    // Sets a constant by its name in the benchmark ("window_minutes", "share_prior_units", ...); false for an
    // unknown name.
    bool set(std::string_view name, double value);
};

// Estimates a product's sales rate from its stock over event time, and from it the sell-out time.
//
// Sales are decreases of tracked stock. The rate is an exponentially weighted sum of units sold over an
// exponentially weighted exposure time: the units of a sale are spread evenly over the time since the
// previous sale, which makes the estimate exact for a steady depletion whatever the event spacing.
// Updates that leave the stock as it was change nothing (the time since the last sale runs on).
// Increases are restocks, never negative sales: a restock may hide sales made before it, so the next
// sale is read either as sold since the previous sale or as sold since the restock (with the time
// before the restock left out), whichever agrees better with the current rate. One sale can raise the
// rate at most maxGrowth times, so one large order does not make a steady product look as if it sells
// out within minutes, while a real surge is followed within a few sales.
// Pure value type, about 80 bytes per product.
class SelloutPredictor final {
public:
    // Feeds the product's next accepted state, in event-time order. Where sales are counted from orders
    // (`decreasesAreSales` false), a decrease is not a sale: it only moves the stock.
    void observe(qint64 atMs, qint64 quantity, const PredictorParams &params, bool decreasesAreSales = true);
    // An order's units for the product, placed at `atMs`: a sale, counted as it is made.
    void observeSale(qint64 atMs, qint64 units, const PredictorParams &params);

    // Units per hour as of `nowMs` (silence since the last event counts as no sales); nullopt when
    // there are too few sales, or none for `silentWindows` windows.
    std::optional<double> ratePerHour(qint64 nowMs, const PredictorParams &params) const;

    // Last event time + quantity / rate; nullopt without a rate or when not above zero.
    std::optional<qint64> selloutAtMs(qint64 nowMs, const PredictorParams &params) const;

    // 0..1: grows with the number of sales seen (full at 5) and the time they span (full at 10 min).
    double confidence() const;

    // Units sold behind the rate as of nowMs (decayed as the rate is): the rate's evidence.
    double evidenceUnits(qint64 nowMs, const PredictorParams &params) const;

    int observations() const { return m_observations; }
    qint64 lastSaleAtMs() const { return m_lastSaleAt; }

private:
    void addSale(qint64 atMs, qint64 periodStartMs, double units, const PredictorParams &params);
    std::optional<double> currentRatePerMs(const PredictorParams &params) const;

    double m_sales = 0;    // decayed units sold, as of m_anchorAt
    double m_exposure = 0; // decayed milliseconds observed, as of m_anchorAt
    qint64 m_anchorAt = 0; // the last sale, or the first observation
    qint64 m_restockAt = 0;
    bool m_restockSinceAnchor = false;
    qint64 m_lastAt = 0;
    qint64 m_lastQuantity = 0;
    qint64 m_firstSaleAt = 0;
    qint64 m_lastSaleAt = 0;
    float m_meanOrderUnits = 1; // units per sale, smoothed
    qint32 m_observations = 0;
    bool m_seen = false;
};

} // namespace peakwatch
