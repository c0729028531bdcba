// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QString>

namespace peakwatch {

// The product's page in the Shopify admin: https://admin.shopify.com/store/<handle>/products/<productId>, the
// handle being the shop's domain without ".myshopify.com". A shop on another domain gets
// https://<shop>/admin/products/<productId>, which Shopify redirects. Empty when the shop is not a domain
// name or the id is not positive.
QString shopifyAdminProductUrl(const QByteArray &shop, qint64 productId);

} // namespace peakwatch
