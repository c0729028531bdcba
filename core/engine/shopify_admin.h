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

// A shop as Shopify names it in X-Shopify-Shop-Domain: "my-shop.myshopify.com", in lower case: labels of letters,
// digits and hyphens, at least two of them, at most 253 characters.
bool isShopDomain(const QString &shop);

} // namespace peakwatch
