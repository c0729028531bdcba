// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "money.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace peakwatch {

class InventoryEngine;
struct ProductState;
struct RuleSet;
struct PredictorParams;
struct Alert;

enum class ProductStatus { Ok, Low, SellingOut, SoldOut, Untracked };
QString productStatusName(ProductStatus status); // "ok", "low", "selling_out", "sold_out", "untracked"

// One location's units of a product: the sum over its tracked inventory items there.
struct ProductLocation {
    qint64 locationId = 0;
    qint64 available = 0;
};

// What is shown and published of one product at one moment.
struct ProductSnapshot {
    QByteArray shop;
    qint64 productId = 0;
    QByteArray title;
    QByteArray handle; // the product's URL name in the shop, empty when the payload has none
    Money minPrice = 0;
    Money maxPrice = 0;
    bool hasPrice = false;
    qint64 quantity = 0;
    qint64 updatedAtMs = 0;
    std::optional<double> ratePerHour;
    std::optional<qint64> selloutAtMs; // predicted, or when it sold out for a sold-out product
    // The 80 % interval of a predicted sell-out: it holds the true time in about 80 % of cases
    // (bench_prediction measures it). No latest: not even a slow sale can be ruled out.
    std::optional<qint64> selloutEarliestMs;
    std::optional<qint64> selloutLatestMs;
    ProductStatus status = ProductStatus::Ok;
    double confidence = 0;
    int observations = 0;
    // Where the units are, by location id, once inventory levels have come; `unlocated`: units the latest
    // products/update counts at locations no level has come from yet.
    std::vector<ProductLocation> locations;
    qint64 unlocated = 0;
    // Variants whose stock the products/update did not carry (beyond Shopify's first 100): `quantity` leaves them out.
    qint32 variantsNotSent = 0;
};

// The snapshot of `state`, a product of `engine`, as of `nowMs` (event time), judged by `rules`.
ProductSnapshot makeSnapshot(const InventoryEngine &engine, const ProductState &state, const RuleSet &rules,
                             qint64 nowMs);

// The NDJSON records of DESIGN.md ("type": "snapshot" / "alert"), without a trailing newline.
QByteArray snapshotRecord(const ProductSnapshot &snapshot);
QByteArray alertRecord(const Alert &alert);

// Kafka key of both record kinds: "shop/product_id".
QByteArray productRecordKey(const QByteArray &shop, qint64 productId);

} // namespace peakwatch
