#pragma once

#include "catalog.h"

#include <QByteArray>

namespace peakwatch::sim {

// Builds products/update webhook bodies shaped exactly as Shopify sends them (API 2026-10): every
// field of a real payload, prices as decimal strings, 64-bit ids, admin_graphql_api_id and
// variant_gids, times in the shop's offset. A few KB each, more with many variants.
class WebhookBuilder final {
public:
    // Appends the body for `product` as it stands (its variants' quantities, updated at `updatedAtMs`).
    static void build(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs, QByteArray &out);
    static QByteArray build(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs);

    // "2026-11-27T00:03:12-05:00"
    static QByteArray shopTime(qint64 msSinceEpoch, int utcOffsetMinutes);
};

} // namespace peakwatch::sim
