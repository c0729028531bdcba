// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "catalog.h"

#include <QByteArray>

#include <string>
#include <unordered_map>
#include <vector>

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

private:
    friend class WebhookWriter;
    static void write(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs, QByteArray &out,
                      bool markers);
};

// The same bodies as WebhookBuilder, byte for byte, written fast for load runs: each product's body is
// cut once into a template, and each update only fills in its times and quantities.
class WebhookWriter final {
public:
    // Replaces `out` with the body for `product` as it stands, updated at `updatedAtMs`.
    void write(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs, QByteArray &out);

private:
    struct Slot {
        char kind;   // U, G, Q or O
        int variant; // for Q, O and G
    };
    struct Template {
        std::vector<std::string> chunks; // one more than slots
        std::vector<Slot> slots;
        size_t fixedBytes = 0;
    };
    static Template makeTemplate(const SimShop &shop, const SimProduct &product);
    std::unordered_map<const SimProduct *, Template> m_templates;
};

} // namespace peakwatch::sim
