// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "money.h"
#include "reject_log.h"
#include "topic_browser.h"

#include <QList>
#include <QString>

namespace peakwatch {

// One variant of a product webhook: the stock as the engine reads it beside the payload's own words.
struct WebhookVariant {
    qint64 variantId = 0; // 0 when the payload has none
    QString title;        // "Navy / S"
    QString sku;
    QString price;       // as the payload writes it ("24.00"); empty when it has none
    qint64 quantity = 0; // inventory_quantity
    bool tracked = true; // false where inventory_management is present and null (API versions up to 2024-04)

    bool outOfStock() const { return tracked && quantity <= 0; }
};

// One line of an order. product_id and variant_id are 0 for a custom item (no product in the catalogue).
struct WebhookOrderLine {
    qint64 productId = 0;
    qint64 variantId = 0;
    QString title;        // the product's title when it was ordered
    QString variantTitle; // "Forest / S"; empty for a product without options
    qint64 quantity = 0;
    QString price; // a unit's price as the payload writes it
};

// What a Kafka message is as a Shopify webhook Peakwatch reads, and what the engine makes of it: for the Topics
// view's detail pane. The figures the pipeline uses (stock, tracking, order lines, times) are the engine's own
// parser's; the words it does not keep (variant titles, SKUs, prices as written, vendor, status, order name) are
// read from the same JSON alongside.
struct WebhookReading {
    enum class Kind {
        None,           // not a webhook: other JSON, text or binary
        Product,        // products/update or products/create
        SparkRow,       // a row of the Spark job's output (id, timestamp, title, minPrice, maxPrice, quantity)
        InventoryLevel, // inventory_levels/update
        Order,          // orders/create
        OtherTopic,     // a Shopify webhook of a topic Peakwatch does not read, or of no shape it knows
    };

    Kind kind = Kind::None;
    QString topic;           // X-Shopify-Topic (a header or the envelope's metadata); empty when the message names none
    bool inEnvelope = false; // inside an Amazon EventBridge envelope (detail.payload, detail.metadata)
    QString apiVersion;      // X-Shopify-API-Version, when the message carries it
    QString shop;            // the header, else the envelope's metadata, else the Kafka key

    bool accepted = false; // the engine reads it; otherwise `rejection` says why not
    Rejection rejection;
    QString engineReading; // one line: how the engine reads the message, or why it rejects it

    // Product and SparkRow
    qint64 productId = 0;
    QString title;
    QString vendor;
    QString status;   // "active", "draft", "archived"
    QString adminUrl; // the product in the Shopify admin; empty without a shop or an id
    QList<WebhookVariant> variants;
    // The engine's sum over tracked variants (a Spark row's quantity); meaningful only when accepted.
    qint64 quantity = 0;
    bool tracked = false; // at least one tracked variant (as the engine reads it)
    bool hasPrice = false;
    Money minPrice = 0;
    Money maxPrice = 0;
    qint32 variantsNotSent = 0; // listed in variant_gids beyond the variants sent in full

    // InventoryLevel
    qint64 inventoryItemId = 0;
    qint64 locationId = 0;
    qint64 available = 0;
    bool availableTracked = true; // available is null for an item whose inventory is not tracked

    // Order
    qint64 orderId = 0;
    QString orderName; // "#1003"
    QList<WebhookOrderLine> lines;

    // When, as the payload writes it: updated_at, created_at or a Spark row's timestamp.
    QString eventTime;
    // The same time as the engine reads it, in milliseconds since the epoch; -1 when it rejects the message.
    qint64 eventTimeMs = -1;

    bool isWebhook() const { return kind != Kind::None; }
};

// Reads `message` as a Shopify webhook: raw or inside an EventBridge envelope, or a Spark-output row. A message is
// one when the engine accepts it, when it says it is one (an X-Shopify-Topic header, an envelope), or when it has a
// webhook's shape (variants, line_items, inventory_item_id and location_id, Spark's columns); any other message
// reads as Kind::None. Event times are not bounded by the clock, so that old and simulated streams read as they
// would have when they were written. One message at a time; no I/O.
WebhookReading readWebhook(const TopicMessage &message);

} // namespace peakwatch
