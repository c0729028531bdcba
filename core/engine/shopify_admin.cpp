// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "shopify_admin.h"

#include <QRegularExpression>
#include <QStringBuilder>

namespace peakwatch {
namespace {

constexpr QLatin1StringView kMyShopify(".myshopify.com");

} // namespace

bool isShopDomain(const QString &shop)
{
    static const QRegularExpression domain(
        QStringLiteral("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"));
    return shop.size() <= 253 && domain.match(shop).hasMatch();
}

QString shopifyAdminProductUrl(const QByteArray &shop, qint64 productId)
{
    static const QRegularExpression domain(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                                                          "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"));
    const QString host = QString::fromUtf8(shop).toLower();
    if (productId <= 0 || host.size() > 253 || !domain.match(host).hasMatch())
        return {};
    const QString id = QString::number(productId);
    if (host.endsWith(kMyShopify) && host.size() > kMyShopify.size() &&
        !host.left(host.size() - kMyShopify.size()).contains(u'.'))
        return QStringLiteral("https://admin.shopify.com/store/") % host.left(host.size() - kMyShopify.size()) %
               QStringLiteral("/products/") % id;
    return QStringLiteral("https://") % host % QStringLiteral("/admin/products/") % id;
}

} // namespace peakwatch
