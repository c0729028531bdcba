// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "product_event.h"

#include <QtGlobal>

#include <span>
#include <string_view>

namespace peakwatch {

// The Shopify webhook topics Peakwatch reads; each changes or explains stock.
enum class ShopifyTopic : quint8 {
    ProductsUpdate,        // a product's variants, prices and (summed over locations) stock
    InventoryLevelsUpdate, // one inventory item's available units at one location
    OrdersCreate,          // what a customer bought: the sales signal itself
};

// One variant of a products/update, as the item -> variant -> product map needs it.
struct VariantStock {
    qint64 variantId = 0;       // 0 when the payload has no id (a Spark row has no variants at all)
    qint64 inventoryItemId = 0; // 0 when the payload has none
    qint64 quantity = 0;        // inventory_quantity: the sum over the item's locations
    bool tracked = true;        // false when inventory_management is present and null (up to API 2024-04)
};

// inventory_levels/update: the absolute available units of one item at one location. It names no product.
struct InventoryLevelEvent {
    std::string_view shop;
    qint64 inventoryItemId = 0;
    qint64 locationId = 0;
    qint64 available = 0;
    bool tracked = true; // available is null for an item whose inventory is not tracked
    qint64 updatedAtMs = 0;
    quint64 eventId = 0; // as ProductEvent::eventId
};

// One line of an order. product_id and variant_id are 0 for a custom item (no product in the catalogue).
struct OrderLine {
    qint64 productId = 0;
    qint64 variantId = 0;
    qint64 quantity = 0;
};

// orders/create: units sold, when the order was placed.
struct OrderEvent {
    std::string_view shop;
    qint64 orderId = 0;
    qint64 createdAtMs = 0;
    std::span<const OrderLine> lines;
    quint64 eventId = 0; // as ProductEvent::eventId
};

// One message as the parser read it: the topic says which of the three is filled. The views and spans point
// into the parser's or the caller's buffers: valid until the next parse.
struct ParsedMessage {
    ShopifyTopic topic = ShopifyTopic::ProductsUpdate;
    ProductEvent product;
    std::span<const VariantStock> variants; // products/update: its variants in the payload's order
    InventoryLevelEvent level;
    OrderEvent order;
};

// "products/update", "inventory_levels/update", "orders/create".
std::string_view shopifyTopicName(ShopifyTopic topic);

} // namespace peakwatch
