// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "sales_simulator.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <unordered_map>

namespace peakwatch::sim {

// What really happened to each product during a run, to check the analysis against: units sold, the
// demand model's rate at the end, the final stock and, where it happened, when it sold out.
class GroundTruth final {
public:
    struct Product {
        QByteArray shop;
        qint64 productId = 0;
        QByteArray title;
        qint64 unitsSold = 0;
        qint64 restocks = 0;
        qint64 finalStock = 0;
        qint64 firstEventAtMs = 0;
        qint64 lastEventAtMs = 0;
        qint64 soldOutAtMs = 0;          // 0 when it did not (or was restocked since)
        double expectedUnitsPerHour = 0; // the demand model's rate at the end of the run
    };

    // Call for every change the simulator made (whether or not it was delivered).
    void record(const SalesSimulator::Change &change);
    // Takes the demand model's rates at the end of the run.
    void finish(const SalesSimulator &simulator, qint64 endMs);

    // By (shop domain, product id).
    QHash<QPair<QByteArray, qint64>, Product> products() const;
    qint64 startMs() const { return m_startMs; }
    qint64 endMs() const { return m_endMs; }

    // {"start": ..., "end": ..., "products": [{"shop", "product_id", "title", "units_sold",
    //  "rate_per_hour" (over the run), "expected_rate_per_hour" (the model's, at the end),
    //  "final_stock", "restocks", "sold_out_at" (or null)}]}, sorted by shop then product id.
    QByteArray toJson() const;

private:
    std::unordered_map<const SimProduct *, Product> m_products; // by the catalogue's product: no hashing of names
    qint64 m_startMs = 0;
    qint64 m_endMs = 0;
};

} // namespace peakwatch::sim
