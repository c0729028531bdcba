#pragma once

#include <QtGlobal>

#include <optional>

namespace peakwatch {

// Tunables shared by every product's predictor.
struct PredictorParams {
    qint64 windowMs = 15 * 60 * 1000; // time constant of the exponentially weighted rate
    int minObservations = 2;          // sales seen before a rate is given
    double maxGrowth = 1.8;           // one sale can raise the rate at most this many times
    int silentWindows = 3;            // no sale for this many windows clears the prediction
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
    // Feeds the product's next accepted state, in event-time order.
    void observe(qint64 atMs, qint64 quantity, const PredictorParams &params);

    // Units per hour as of `nowMs` (silence since the last event counts as no sales); nullopt when
    // there are too few sales, or none for `silentWindows` windows.
    std::optional<double> ratePerHour(qint64 nowMs, const PredictorParams &params) const;

    // Last event time + quantity / rate; nullopt without a rate or when not above zero.
    std::optional<qint64> selloutAtMs(qint64 nowMs, const PredictorParams &params) const;

    // 0..1: grows with the number of sales seen (full at 5) and the time they span (full at 10 min).
    double confidence() const;

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
