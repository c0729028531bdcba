// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "email_recipients.h"

#include "email_message.h"
#include "shopify_admin.h"

#include <QRegularExpression>
#include <QStringBuilder>

#include <map>
#include <set>

namespace peakwatch {

Result<ShopRecipients> parseShopRecipients(const QString &entry)
{
    const QString form = QStringLiteral("write it as shop.myshopify.com=buyer@example.com");
    const qsizetype eq = entry.indexOf(u'=');
    if (eq < 0)
        return Error{QStringLiteral("\"") % entry.trimmed().left(200) % QStringLiteral("\" names no address: ") % form};
    QString shop = entry.left(eq).trimmed().toLower();
    if (shop.startsWith(QLatin1StringView("https://")))
        shop = shop.mid(8);
    while (shop.endsWith(u'/'))
        shop.chop(1);
    if (shop.isEmpty())
        return Error{QStringLiteral("no shop before \"=\": ") % form};
    if (!isShopDomain(shop))
        return Error{QStringLiteral("\"") % shop.left(200) %
                     QStringLiteral("\" is not a shop's domain: write it as its webhooks name it, such as "
                                    "my-shop.myshopify.com")};
    static const QRegularExpression separator(QStringLiteral("[,;]"));
    ShopRecipients out{shop.toUtf8(), {}};
    for (const QString &part : entry.mid(eq + 1).split(separator, Qt::SkipEmptyParts)) {
        const QString mailbox = part.trimmed();
        if (mailbox.isEmpty())
            continue;
        if (Status check = checkMailbox(mailbox); !check)
            return Error{QStringLiteral("a recipient for ") % shop % QStringLiteral(": ") % check.error()};
        out.to << mailbox;
    }
    if (out.to.isEmpty())
        return Error{QStringLiteral("no address for ") % shop % QStringLiteral(": ") % form};
    return out;
}

std::vector<EmailRoute> emailRoutes(const EmailOptions &base, const QStringList &everyShop,
                                    const std::vector<ShopRecipients> &shops)
{
    std::map<QByteArray, QStringList> byShop;
    for (const ShopRecipients &entry : shops)
        for (const QString &to : entry.to)
            if (!byShop[entry.shop].contains(to))
                byShop[entry.shop] << to;

    std::vector<EmailRoute> routes;
    std::set<QByteArray> own;
    for (const auto &entry : byShop) {
        const QByteArray shop = entry.first; // a copy the route keeps
        EmailOptions options = base;
        options.to = entry.second;
        own.insert(shop);
        routes.push_back({QStringLiteral("email:") + QString::fromUtf8(shop), options,
                          [shop](const Alert &a) { return a.shop == shop; }});
    }
    if (!everyShop.isEmpty()) {
        EmailOptions options = base;
        options.to = everyShop;
        routes.push_back({QStringLiteral("email"), options, [own](const Alert &a) { return !own.contains(a.shop); }});
    }
    return routes;
}

} // namespace peakwatch
