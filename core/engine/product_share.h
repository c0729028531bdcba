// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

namespace peakwatch {

struct PredictorParams;

// A product's share of its shop's demand: its units sold over the shop's demand (ShopDemand::cumulativeDemand)
// while it was in stock, decayed over the share window of event time; and the sizes of its orders. A share moves
// slowly while the shop's rate follows a surge within minutes, so share x shop demand is a rate for a product
// that has few sales of its own. Time the product spends sold out counts for nothing. Pure value type, no I/O.
class ProductShare final {
public:
    // Feeds the product's next accepted update: `unitsSold` (0 unless stock fell), the shop's cumulative demand
    // after this sale, and the stock it leaves.
    void observe(qint64 atMs, qint64 unitsSold, double shopDemand, qint64 quantity, const PredictorParams &params);

    struct Estimate {
        double share = 0; // of the shop's demand; 0 before the product has sold
        double units = 0; // the product's own units behind it
        double unitsPerSale = 1;
        double squaredUnitsPerSale = 1;
    };
    // As of nowMs, when the shop's cumulative demand is `shopDemand` (what it sold since, while the product stood
    // in stock unsold, counts as exposure with no sale); `shopUnits1/2` are the shop's order size moments, the
    // prior for a product with few sales of its own.
    Estimate estimate(qint64 nowMs, double shopDemand, double shopUnits1, double shopUnits2,
                      const PredictorParams &params) const;

    // The share as of the last update, shrunk towards 0 while little is known (a product's second update moments
    // after its first must not claim the shop), and whether it is in stock: what the product adds to its shop's
    // in-stock share (ShopDemand::updateProduct).
    double currentShare(const PredictorParams &params) const;
    bool inStock() const { return m_inStock; }
    double reportedShare() const { return m_reportedShare; }
    void setReportedShare(double share) { m_reportedShare = share; }

private:
    double m_units = 0, m_exposure = 0;             // decayed over the share window
    double m_sales = 0, m_units1 = 0, m_units2 = 0; // decayed count, sum of units and of squares of sales
    double m_lastDemand = 0;
    double m_reportedShare = 0;
    qint64 m_lastAtMs = 0;
    bool m_inStock = false;
    bool m_seen = false;
};

} // namespace peakwatch
