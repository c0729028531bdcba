// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "catalog.h"

#include <QByteArray>

namespace peakwatch::sim {

// The bodies of the two other topics that move stock, shaped as Shopify sends them (API 2026-10).

// orders/create: an order of `units` of one variant, placed at `atMs`, paid, not yet fulfilled: the order's
// fields, its one line item with prices as decimal strings and price sets, and 64-bit ids throughout.
void writeOrderWebhook(const SimShop &shop, const SimProduct &product, const SimVariant &variant, qint64 units,
                       qint64 orderId, qint64 orderNumber, qint64 atMs, QByteArray &out);

// inventory_levels/update: the variant's available units at the shop's location `location` (an index into
// SimShop::locations), updated at `atMs`.
void writeInventoryLevelWebhook(const SimShop &shop, const SimVariant &variant, int location, qint64 atMs,
                                QByteArray &out);

} // namespace peakwatch::sim
