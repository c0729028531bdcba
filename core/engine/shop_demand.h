// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "sellout_predictor.h"

#include <QtGlobal>

#include <array>
#include <optional>

namespace peakwatch {

// What a whole shop sells: its rate over a short window (hundreds of orders an hour make it follow a surge
// within minutes), its cumulative units (the yardstick a product's share is measured in), and the size of its
// orders. Fed with every sale of every product of the shop, in event-time order. Pure value type, no I/O.
class ShopDemand final {
public:
    void observeSale(qint64 atMs, qint64 units, const PredictorParams &params);
    // Any accepted update of the shop, sale or not: starts the clock of the shop's rate.
    void observe(qint64 atMs, const PredictorParams &params);

    // The shop's demand an hour as of nowMs (cumulativeDemand's rate; silence counts as no sales, as for one
    // product).
    std::optional<double> demandPerHour(qint64 nowMs, const PredictorParams &params) const;
    // The units demandPerHour() rests on: the shop's sales in its window, weighed as its rate weighs them.
    double evidenceUnits(qint64 nowMs, const PredictorParams &params) const;
    // How much the shop's demand moves that no forecast of the present sees coming: the variance of the change of
    // its log demand over an hour, as it has been lately (a surge makes it large, a steady day small), with the
    // noise of counting taken out. Per hour.
    double driftPerHour() const { return m_drift; }

    // Units sold since the shop was first seen.
    double cumulativeUnits() const { return m_cumulative; }
    // The same counted as demand: each sale over the share of the shop's demand that was in stock then, so that a
    // product's share of it does not grow as other products sell out (their demand is lost, not moved).
    double cumulativeDemand() const { return m_demand; }
    // The share of the shop's demand in stock now (1 while nothing is known).
    double inStockShare() const;
    // A product's long-run share and whether it is in stock changed (from the old values it last reported).
    void updateProduct(double oldShare, bool oldInStock, double newShare, bool newInStock);
    // Units per sale, mean and mean of squares, over the shop's recent sales.
    double meanUnits() const { return m_units1; }
    double meanSquaredUnits() const { return m_units2; }

private:
    static PredictorParams shopParams(const PredictorParams &params);

    // The shop's rate is a product's rate estimator fed with the shop's demand as one falling stock (minus the
    // demand so far, in thousandths): the same handling of order sizes, silence and surges, over the shop's
    // window.
    SelloutPredictor m_rate;
    void sampleDrift(qint64 atMs, const PredictorParams &params);
    struct Sample {
        qint64 atMs;
        double logDemand;
    };
    std::array<Sample, 8> m_samples{}; // every 10 minutes or more, newest at m_sampleNext - 1
    size_t m_sampleCount = 0, m_sampleNext = 0;
    double m_drift = 0;
    bool m_driftSeen = false;
    double m_cumulative = 0;
    double m_demand = 0;
    double m_shareAll = 0;     // sum of the products' long-run shares
    double m_shareInStock = 0; // ... of those in stock
    double m_units1 = 1, m_units2 = 1;
    qint64 m_lastAtMs = 0;
    bool m_seen = false;
};

} // namespace peakwatch
