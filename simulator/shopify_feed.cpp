// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "shopify_feed.h"

#include "stock_webhooks.h"

#include <limits>

namespace peakwatch::sim {

ShopifyFeed::ShopifyFeed(const Scenario &scenario)
    : m_products(scenario.sendsProductUpdates)
    , m_levels(scenario.sendsInventoryLevels)
    , m_orders(scenario.sendsOrders)
    , m_coalesceMs(scenario.sendsProductUpdates ? scenario.coalesceMs : 0)
{}

void ShopifyFeed::sendProductUpdate(const SimShop &shop, const SimProduct &product, qint64 sentAtMs, const Sender &send)
{
    send({.topic = ShopifyTopic::ProductsUpdate,
          .shop = &shop,
          .product = &product,
          .atMs = product.updatedAtMs,
          .sentAtMs = sentAtMs});
}

bool ShopifyFeed::flushDue(qint64 untilMs, const SimProduct *keep, const Sender &send)
{
    bool keepIsDue = false;
    while (!m_gathering.empty() && m_gathering.front().dueAtMs <= untilMs) {
        const Gathering g = m_gathering.front();
        m_gathering.pop_front();
        m_gathered.erase(g.product);
        if (g.product == keep)
            keepIsDue = true; // it goes out after the change being made, carrying it
        else
            sendProductUpdate(*g.shop, *g.product, g.dueAtMs, send);
    }
    return keepIsDue;
}

void ShopifyFeed::change(const SalesSimulator::Change &c, const Sender &send)
{
    const SimShop &shop = *c.shop;
    const SimProduct &product = *c.product;
    const bool productIsDue = m_coalesceMs > 0 && flushDue(c.atMs, &product, send);
    if (m_orders && !c.isRestock && c.variant)
        send({.topic = ShopifyTopic::OrdersCreate,
              .shop = &shop,
              .product = &product,
              .atMs = c.atMs,
              .sentAtMs = c.atMs,
              .variant = c.variant,
              .units = c.unitsSold,
              .orderId = c.orderId,
              .orderNumber = c.orderNumber});
    if (m_levels)
        for (const SalesSimulator::LocationChange &l : c.locations)
            send({.topic = ShopifyTopic::InventoryLevelsUpdate,
                  .shop = &shop,
                  .product = &product,
                  .atMs = c.atMs,
                  .sentAtMs = c.atMs,
                  .variant = l.variant,
                  .location = l.location});
    if (!m_products)
        return;
    if (m_coalesceMs <= 0 || productIsDue) {
        sendProductUpdate(shop, product, c.atMs, send);
        return;
    }
    if (m_gathered.insert(&product).second)
        m_gathering.push_back({&shop, &product, c.atMs + m_coalesceMs});
}

void ShopifyFeed::flush(const Sender &send)
{
    flushDue(std::numeric_limits<qint64>::max(), nullptr, send);
}

void ShopifyFeed::write(const Webhook &w, QByteArray &out)
{
    switch (w.topic) {
    case ShopifyTopic::ProductsUpdate: m_writer.write(*w.shop, *w.product, w.atMs, out); return;
    case ShopifyTopic::OrdersCreate:
        writeOrderWebhook(*w.shop, *w.product, *w.variant, w.units, w.orderId, w.orderNumber, w.atMs, out);
        return;
    case ShopifyTopic::InventoryLevelsUpdate:
        writeInventoryLevelWebhook(*w.shop, *w.variant, w.location, w.atMs, out);
        return;
    }
}

} // namespace peakwatch::sim
