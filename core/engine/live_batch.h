// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "inventory_engine.h"
#include "product_snapshot.h"
#include "reject_log.h"

#include <QMetaType>

#include <memory>
#include <vector>

namespace peakwatch {

// A product as the dashboard names it: shop domain and product id.
struct ProductRef {
    QByteArray shop;
    qint64 productId = 0;
    bool operator==(const ProductRef &) const = default;
};

// The stock history of one watched product, oldest first, with what its chart needs besides.
struct ProductHistory {
    ProductRef product;
    std::vector<HistoryPoint> points;
    RuleSet rules; // the thresholds it is judged by
};

// The stream's figures as of a batch.
struct LiveStats {
    qint64 accepted = 0;
    qint64 duplicates = 0;
    qint64 outOfOrder = 0;
    qint64 rejected = 0;
    qint64 consumed = 0;
    double eventsPerSecond = 0; // accepted, over the last second or so
    qint64 lag = 0;             // messages on the broker not yet read
    qint64 watermarkMs = 0;     // the latest event time: "now" for the predictions
    qint64 products = 0;
    qint64 historyPoints = 0; // stock history points kept over all products
};

// The rejected messages kept for a person to look at, by reason.
struct RejectSummary {
    struct Entry {
        RejectReason reason;
        qint64 count = 0;
        QList<RejectLog::Sample> samples;
    };
    std::vector<Entry> entries; // only the reasons seen
};

// What the analysis hands the UI at most ~10 times a second: one immutable batch.
struct LiveBatch {
    quint64 sequence = 0;
    std::vector<ProductSnapshot> changed;         // products whose figures changed since the previous batch
    std::vector<Alert> alerts;                    // fired since the previous batch, oldest first
    std::vector<ProductHistory> histories;        // the watched products
    std::shared_ptr<const RejectSummary> rejects; // set when rejections were added since the previous batch
    LiveStats stats;
};

using LiveBatchPtr = std::shared_ptr<const LiveBatch>;

} // namespace peakwatch

Q_DECLARE_METATYPE(peakwatch::LiveBatchPtr)
