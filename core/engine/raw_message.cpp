// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "raw_message.h"

#include <QByteArrayView>

#include <charconv>

namespace peakwatch {
namespace {

bool sameName(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           QByteArrayView(a.data(), qsizetype(a.size()))
                   .compare(QByteArrayView(b.data(), qsizetype(b.size())), Qt::CaseInsensitive) == 0;
}

} // namespace

void takeShopifyHeader(RawMessage &message, std::string_view name, std::string_view value)
{
    if (name.size() < 15 || !sameName(name.substr(0, 2), "X-"))
        return; // every header read here starts "X-" and is longer: most others are passed over at once
    if (sameName(name, "X-Shopify-Shop-Domain"))
        message.shopDomainHeader = value;
    else if (sameName(name, "X-Shopify-Webhook-Id"))
        message.webhookIdHeader = value;
    else if (sameName(name, "X-Shopify-Event-Id"))
        message.eventIdHeader = value;
    else if (sameName(name, "X-Shopify-Topic"))
        message.topicHeader = value;
    else if (sameName(name, "X-Shopify-Triggered-At"))
        message.triggeredAtHeader = value;
    else if (sameName(name, kCreatedAtHeader) &&
             std::from_chars(value.data(), value.data() + value.size(), message.createdAtMicros).ec != std::errc{})
        message.createdAtMicros = 0;
}

} // namespace peakwatch
