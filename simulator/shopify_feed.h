// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "sales_simulator.h"
#include "scenario.h"
#include "shopify_event.h"
#include "webhook_builder.h"

#include <deque>
#include <functional>
#include <unordered_set>

namespace peakwatch::sim {

// What Shopify sends for each change of the simulated shops, as the scenario says:
// - for a sale, an orders/create;
// - an inventory_levels/update for each location whose units the change moved;
// - a products/update, one for each change, or, with the scenario's coalescing, one for all of a product's changes
//   in a window, sent when the window ends and carrying the product as it stands then.
// No I/O: the caller sends what it is given.
class ShopifyFeed final {
public:
    // One webhook to send; write() writes its body.
    struct Webhook {
        ShopifyTopic topic = ShopifyTopic::ProductsUpdate;
        const SimShop *shop = nullptr;
        const SimProduct *product = nullptr;
        qint64 atMs = 0;     // its event time (updated_at, created_at)
        qint64 sentAtMs = 0; // when Shopify sends it (X-Shopify-Triggered-At)
        // orders/create: the variant bought; inventory_levels/update: the variant and the location.
        const SimVariant *variant = nullptr;
        qint64 units = 0;
        qint64 orderId = 0;
        qint64 orderNumber = 0;
        int location = 0;
    };
    using Sender = std::function<void(const Webhook &)>;

    explicit ShopifyFeed(const Scenario &scenario);

    // The webhooks of one change, in the order Shopify sends them: other products' gathered updates that fell due
    // before it, its order, its levels, then its products/update if one goes out now.
    void change(const SalesSimulator::Change &change, const Sender &send);
    // Every gathered products/update still waiting (the run ends).
    void flush(const Sender &send);

    // Writes the webhook's body into `out` (replacing what it held).
    void write(const Webhook &webhook, QByteArray &out);

private:
    // Sends the gathered updates due by `untilMs` but `keep`'s; returns whether `keep`'s was due too.
    bool flushDue(qint64 untilMs, const SimProduct *keep, const Sender &send);
    void sendProductUpdate(const SimShop &shop, const SimProduct &product, qint64 sentAtMs, const Sender &send);

    bool m_products;
    bool m_levels;
    bool m_orders;
    qint64 m_coalesceMs;
    WebhookWriter m_writer;
    struct Gathering {
        const SimShop *shop;
        const SimProduct *product;
        qint64 dueAtMs;
    };
    std::deque<Gathering> m_gathering; // in due order: changes come in time order, each due a fixed time later
    std::unordered_set<const SimProduct *> m_gathered;
};

} // namespace peakwatch::sim
