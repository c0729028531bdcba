// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "shopify_event.h"

#include <QByteArray>
#include <QtGlobal>

namespace peakwatch::sim {

// One webhook as Shopify delivers it: the body and what goes into its headers.
struct WebhookDelivery {
    enum class Kind { Original, Duplicate, Late, Malformed };

    ShopifyTopic topic = ShopifyTopic::ProductsUpdate; // X-Shopify-Topic
    QByteArray shop;
    QByteArray body;
    QByteArray webhookId;     // X-Shopify-Webhook-Id: the same on a redelivery
    QByteArray eventId;       // X-Shopify-Event-Id
    qint64 triggeredAtMs = 0; // X-Shopify-Triggered-At
    qint64 productId = 0;
    qint64 updatedAtMs = 0;
    Kind kind = Kind::Original;
};

inline constexpr char kShopifyApiVersion[] = "2026-10";

} // namespace peakwatch::sim
