// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_dispatcher.h"
#include "email_sink.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace peakwatch {

// A shop whose alerts go to addresses of their own (a buyer, a supplier) rather than the profile's recipients.
struct ShopRecipients {
    QByteArray shop; // as its webhooks name it: "northwind-apparel.myshopify.com"
    QStringList to;  // mailboxes as checkMailbox() takes them
};

// "northwind-apparel.myshopify.com=buyer@northwind.example" or "shop = a@x.example, Buyer <b@y.example>", the
// form of `analyze --email-shop-to` and of a line of the desktop's per-shop recipients. The shop is taken in lower
// case, without "https://" or a trailing "/". An error says what is wrong with the entry, in words that follow
// "--email-shop-to: " or "Line 2: ".
Result<ShopRecipients> parseShopRecipients(const QString &entry);

// One e-mail sink a dispatcher gets for a profile's recipients.
struct EmailRoute {
    QString sinkName; // "email" for every shop without addresses of its own, "email:<shop>" for one that has
    EmailOptions options;
    AlertDispatcher::Route route;
};

// The sinks that send each shop's alerts to its own addresses and every other shop's to `everyShop` (no such sink
// when it is empty): `base` gives the sender and the digest interval. Entries for the same shop are joined.
std::vector<EmailRoute> emailRoutes(const EmailOptions &base, const QStringList &everyShop,
                                    const std::vector<ShopRecipients> &shops);

} // namespace peakwatch
