#pragma once

#include <QtGlobal>

#include <optional>

namespace peakwatch {

// Tunables shared by every product's predictor.
struct PredictorParams {
    qint64 windowMs = 15 * 60 * 1000; // time constant of the exponentially weighted rate
    int minObservations = 2;           // sales seen before a rate is given
    double spikeFactor = 4.0;          // a sale above this many times the expected units is capped...
    qint64 spikeFloorUnits = 5;        // ...but never below this many units
    int silentWindows = 3;             // no sale for this many windows clears the prediction
};

// Estimates a product's sales rate from its stock over event time, and from it the sell-out time.
//
// Sales are decreases of tracked stock; increases are restocks, and the interval that holds a restock
// is left out (its sales are unknown), so a restock is never negative sales. The rate is an
// exponentially weighted sum of units sold over an exponentially weighted exposure time: a sale that
// arrives after an interval of dt is spread evenly over that interval, which makes the estimate exact
// for a steady depletion whatever the event spacing. A single sale far above the current rate is
// capped, so one large order does not make a steady product look as if it sells out within minutes.
// Pure value type; 48 bytes per product.
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
    double m_sales = 0;    // decayed units sold
    double m_exposure = 0; // decayed milliseconds observed
    qint64 m_lastAt = 0;
    qint64 m_lastQuantity = 0;
    qint64 m_firstSaleAt = 0;
    qint64 m_lastSaleAt = 0;
    qint32 m_observations = 0;
    bool m_seen = false;
};

} // namespace peakwatch
