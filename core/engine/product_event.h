// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "money.h"

#include <QtGlobal>

#include <string_view>

namespace peakwatch {

// One products/update, reduced to what the engine keeps: the Spark job's columns plus identity.
// The string views point into the parser's or the caller's buffers: valid until the next parse.
struct ProductEvent {
    std::string_view shop;   // shop domain, empty when the message names none
    std::string_view title;  // UTF-8
    std::string_view handle; // the product's URL name in the shop ("classic-hoodie"), empty when not sent
    qint64 productId = 0;
    Money minPrice = 0;
    Money maxPrice = 0;
    bool hasPrice = false;
    qint64 quantity = 0;  // sum of inventory_quantity over tracked variants
    bool tracked = false; // at least one tracked variant
    // Variants listed in variant_gids beyond those in `variants`: Shopify sends the first 100 in full, the rest without
    // their stock, so `quantity` leaves them out.
    qint32 variantsNotSent = 0;
    qint64 updatedAtMs = 0;
    // Which event this is: a hash of X-Shopify-Event-Id (one event, whichever subscription delivered it), else of
    // X-Shopify-Webhook-Id (one delivery); 0 when the message carries neither.
    quint64 eventId = 0;
};

// 64-bit FNV-1a: a stable hash for webhook ids and keys.
constexpr quint64 fnv1a64(std::string_view data)
{
    quint64 h = 14695981039346656037ull;
    for (const char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h == 0 ? 1 : h; // 0 means "no id"
}

} // namespace peakwatch
