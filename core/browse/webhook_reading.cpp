// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_reading.h"

#include "event_parser.h"
#include "iso_time.h"
#include "raw_message.h"
#include "shopify_admin.h"
#include "shopify_event.h"

#include <simdjson.h>

#include <QStringBuilder>

#include <string_view>

namespace peakwatch {
namespace {

namespace dom = simdjson::dom;
using Kind = WebhookReading::Kind;

QString utf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

bool sameName(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), qsizetype(a.size()), b.data(), qsizetype(b.size())) == 0;
}

std::string_view bytesView(const QByteArray &bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

bool has(dom::object object, std::string_view key)
{
    dom::element element;
    return object[key].get(element) == simdjson::SUCCESS;
}

// A field as text: a string as written, a number or a boolean as JSON writes it; empty when absent or null.
QString textOf(dom::object object, std::string_view key)
{
    dom::element element;
    if (object[key].get(element) != simdjson::SUCCESS)
        return {};
    std::string_view text;
    int64_t integer = 0;
    uint64_t unsignedInteger = 0;
    double number = 0;
    bool boolean = false;
    if (element.get_string().get(text) == simdjson::SUCCESS)
        return utf8(text);
    if (element.get_int64().get(integer) == simdjson::SUCCESS)
        return QString::number(integer);
    if (element.get_uint64().get(unsignedInteger) == simdjson::SUCCESS)
        return QString::number(unsignedInteger);
    if (element.get_double().get(number) == simdjson::SUCCESS)
        return QString::number(number);
    if (element.get_bool().get(boolean) == simdjson::SUCCESS)
        return boolean ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

// An integer field; 0 when absent, null or not an integer (ids are never 0).
qint64 integerOf(dom::object object, std::string_view key)
{
    int64_t value = 0;
    if (object[key].get_int64().get(value) != simdjson::SUCCESS)
        return 0;
    return value;
}

bool isNullField(dom::object object, std::string_view key)
{
    dom::element element;
    return object[key].get(element) == simdjson::SUCCESS && element.is_null();
}

// The members of an array field that are objects, in order (the engine rejects a message with any other member).
std::vector<dom::object> objectsOf(dom::object object, std::string_view key)
{
    std::vector<dom::object> out;
    dom::array array;
    if (object[key].get_array().get(array) != simdjson::SUCCESS)
        return out;
    for (dom::element element : array) {
        dom::object member;
        if (element.get_object().get(member) == simdjson::SUCCESS)
            out.push_back(member);
    }
    return out;
}

// The header-like values of an EventBridge envelope's detail.metadata, its names in any case.
struct Metadata {
    std::string_view topic;
    std::string_view shop;
    std::string_view apiVersion;
};

Metadata metadataOf(dom::object metadata)
{
    Metadata out;
    for (const dom::key_value_pair field : metadata) {
        std::string_view value;
        if (field.value.get_string().get(value) != simdjson::SUCCESS)
            continue;
        if (sameName(field.key, "X-Shopify-Topic"))
            out.topic = value;
        else if (sameName(field.key, "X-Shopify-Shop-Domain"))
            out.shop = value;
        else if (sameName(field.key, "X-Shopify-API-Version"))
            out.apiVersion = value;
    }
    return out;
}

Kind kindOfTopic(std::string_view topic)
{
    if (sameName(topic, "products/update") || sameName(topic, "products/create"))
        return Kind::Product;
    if (sameName(topic, "inventory_levels/update"))
        return Kind::InventoryLevel;
    if (sameName(topic, "orders/create"))
        return Kind::Order;
    return Kind::OtherTopic;
}

bool hasSparkColumns(dom::object payload)
{
    return has(payload, "minPrice") || has(payload, "maxPrice") ||
           (has(payload, "id") && has(payload, "timestamp") && has(payload, "quantity"));
}

// The kind a payload's shape says, in the engine's order: a level, an order, a product, a Spark row.
Kind kindOfShape(dom::object payload)
{
    if (has(payload, "inventory_item_id") && has(payload, "location_id"))
        return Kind::InventoryLevel;
    if (has(payload, "line_items"))
        return Kind::Order;
    if (has(payload, "variants"))
        return Kind::Product;
    if (hasSparkColumns(payload))
        return Kind::SparkRow;
    return Kind::None;
}

QString timeText(qint64 ms)
{
    return QString::fromLatin1(formatIsoTime(ms));
}

QString moneyText(Money value)
{
    return QString::fromLatin1(formatMoney(value));
}

QString ofShop(const QString &shop)
{
    return shop.isEmpty() ? QString() : QStringLiteral(" of ") % shop;
}

QString priceRangeText(const WebhookReading &r)
{
    if (!r.hasPrice)
        return QStringLiteral("no price");
    if (r.minPrice == r.maxPrice)
        return QStringLiteral("price ") % moneyText(r.minPrice);
    return QStringLiteral("prices ") % moneyText(r.minPrice) % QStringLiteral(" to ") % moneyText(r.maxPrice);
}

// How the engine reads an accepted message, in one line.
QString acceptedWords(const WebhookReading &r)
{
    switch (r.kind) {
    case Kind::Product: {
        qsizetype tracked = 0;
        for (const WebhookVariant &v : r.variants)
            tracked += v.tracked ? 1 : 0;
        QString words = QStringLiteral("The engine reads it as products/update: product ") %
                        QString::number(r.productId) % ofShop(r.shop) % QStringLiteral(" at ") %
                        timeText(r.eventTimeMs) % QStringLiteral(", ");
        if (!r.tracked)
            words += QStringLiteral("untracked (no variant tracks its stock), so it gets no prediction");
        else
            words += QString::number(r.quantity) % QStringLiteral(" in stock over ") % QString::number(tracked) %
                     QStringLiteral(" tracked of ") % QString::number(r.variants.size()) % QStringLiteral(" variants");
        words += QStringLiteral(", ") % priceRangeText(r) % u'.';
        if (r.variantsNotSent > 0)
            words += QStringLiteral(" The stock of ") % QString::number(r.variantsNotSent) %
                     QStringLiteral(" more variants (in variant_gids, not sent in full) is not in the sum.");
        return words;
    }
    case Kind::SparkRow:
        return QStringLiteral("The engine reads it as a Spark-output row: product ") % QString::number(r.productId) %
               ofShop(r.shop) % QStringLiteral(" at ") % timeText(r.eventTimeMs) % QStringLiteral(", ") %
               QString::number(r.quantity) % QStringLiteral(" in stock, ") % priceRangeText(r) % u'.';
    case Kind::InventoryLevel:
        return QStringLiteral("The engine reads it as inventory_levels/update: inventory item ") %
               QString::number(r.inventoryItemId) % QStringLiteral(" at location ") % QString::number(r.locationId) %
               ofShop(r.shop) % QStringLiteral(" at ") % timeText(r.eventTimeMs) %
               (r.availableTracked ? QStringLiteral(" has ") % QString::number(r.available) %
                                         QStringLiteral(" available (a level, not a change)")
                                   : QStringLiteral(" is not tracked (available is null)")) %
               QStringLiteral("; the engine finds the item's product through that product's products/update.");
    case Kind::Order: {
        qint64 units = 0;
        int custom = 0;
        for (const WebhookOrderLine &line : r.lines) {
            units += line.quantity;
            custom += line.productId == 0 ? 1 : 0;
        }
        QString words = QStringLiteral("The engine reads it as orders/create: order ") % QString::number(r.orderId) %
                        ofShop(r.shop) % QStringLiteral(" at ") % timeText(r.eventTimeMs) % QStringLiteral(", ") %
                        QString::number(units) % QStringLiteral(" units sold over ") % QString::number(r.lines.size()) %
                        QStringLiteral(" lines");
        if (custom > 0)
            words += QStringLiteral("; ") % QString::number(custom) %
                     QStringLiteral(" custom lines (no product) count toward the shop's demand only");
        return words % u'.';
    }
    case Kind::None:
    case Kind::OtherTopic: break;
    }
    return {};
}

// The payload's words for a product or a Spark row: what the engine does not keep, and the stock as written.
void readProductWords(dom::object payload, WebhookReading &r)
{
    r.productId = integerOf(payload, "id");
    r.title = textOf(payload, "title");
    r.vendor = textOf(payload, "vendor");
    r.status = textOf(payload, "status");
    r.eventTime = textOf(payload, r.kind == Kind::SparkRow ? "timestamp" : "updated_at");
    for (const dom::object v : objectsOf(payload, "variants")) {
        WebhookVariant variant;
        variant.variantId = integerOf(v, "id");
        variant.title = textOf(v, "title");
        variant.sku = textOf(v, "sku");
        variant.price = textOf(v, "price");
        variant.quantity = integerOf(v, "inventory_quantity");
        variant.tracked = !isNullField(v, "inventory_management");
        r.variants.append(variant);
    }
}

void readLevelWords(dom::object payload, WebhookReading &r)
{
    r.inventoryItemId = integerOf(payload, "inventory_item_id");
    r.locationId = integerOf(payload, "location_id");
    r.available = integerOf(payload, "available");
    r.availableTracked = !isNullField(payload, "available");
    r.eventTime = textOf(payload, "updated_at");
}

void readOrderWords(dom::object payload, WebhookReading &r)
{
    r.orderId = integerOf(payload, "id");
    r.orderName = textOf(payload, "name");
    r.eventTime = textOf(payload, "created_at");
    for (const dom::object l : objectsOf(payload, "line_items")) {
        WebhookOrderLine line;
        line.productId = integerOf(l, "product_id");
        line.variantId = integerOf(l, "variant_id");
        line.title = textOf(l, "title");
        line.variantTitle = textOf(l, "variant_title");
        line.quantity = integerOf(l, "quantity");
        line.price = textOf(l, "price");
        r.lines.append(line);
    }
}

// The engine's figures over the payload's: ids, stock, tracking, order lines and times as the pipeline reads them.
void takeEngineReading(const ParsedMessage &parsed, WebhookReading &r)
{
    switch (parsed.topic) {
    case ShopifyTopic::ProductsUpdate: {
        const ProductEvent &e = parsed.product;
        r.productId = e.productId;
        r.title = utf8(e.title);
        r.shop = utf8(e.shop);
        r.quantity = e.quantity;
        r.tracked = e.tracked;
        r.hasPrice = e.hasPrice;
        r.minPrice = e.minPrice;
        r.maxPrice = e.maxPrice;
        r.variantsNotSent = e.variantsNotSent;
        r.eventTimeMs = e.updatedAtMs;
        if (size_t(r.variants.size()) == parsed.variants.size()) {
            for (qsizetype i = 0; i < r.variants.size(); ++i) {
                const VariantStock &stock = parsed.variants[size_t(i)];
                WebhookVariant &variant = r.variants[i];
                variant.variantId = stock.variantId;
                variant.tracked = stock.tracked;
                if (stock.tracked) // an untracked variant's count is not stock: the engine keeps 0
                    variant.quantity = stock.quantity;
            }
        }
        break;
    }
    case ShopifyTopic::InventoryLevelsUpdate: {
        const InventoryLevelEvent &e = parsed.level;
        r.inventoryItemId = e.inventoryItemId;
        r.locationId = e.locationId;
        r.available = e.available;
        r.availableTracked = e.tracked;
        r.shop = utf8(e.shop);
        r.eventTimeMs = e.updatedAtMs;
        break;
    }
    case ShopifyTopic::OrdersCreate: {
        const OrderEvent &e = parsed.order;
        r.orderId = e.orderId;
        r.shop = utf8(e.shop);
        r.eventTimeMs = e.createdAtMs;
        if (size_t(r.lines.size()) == e.lines.size()) {
            for (qsizetype i = 0; i < r.lines.size(); ++i) {
                const OrderLine &line = e.lines[size_t(i)];
                r.lines[i].productId = line.productId;
                r.lines[i].variantId = line.variantId;
                r.lines[i].quantity = line.quantity;
            }
        }
        break;
    }
    }
}

} // namespace

WebhookReading readWebhook(const TopicMessage &message)
{
    WebhookReading r;
    if (message.valueIsNull || message.value.isEmpty())
        return r;

    // The headers the engine reads, and whether the message says it comes from Shopify at all.
    RawMessage raw;
    raw.key = message.keyIsNull ? std::string_view() : bytesView(message.key);
    raw.partition = message.partition;
    raw.position = message.offset;
    bool shopifyHeaders = false;
    std::string_view apiVersionHeader;
    for (const MessageHeader &h : message.headers) {
        if (h.valueIsNull)
            continue;
        const std::string_view name = bytesView(h.name);
        takeShopifyHeader(raw, name, bytesView(h.value));
        shopifyHeaders = shopifyHeaders || sameName(name.substr(0, 10), "x-shopify-");
        if (sameName(name, "X-Shopify-API-Version"))
            apiVersionHeader = bytesView(h.value);
    }

    if (message.valueTruncated()) {
        // The browser kept the first bytes only: the engine would read the whole value, which is not here. Past the
        // engine's own limit it is rejected for its size alone.
        if (!shopifyHeaders || size_t(message.valueSize) <= EventParser::kDefaultMaxValueBytes)
            return r;
        r.kind = raw.topicHeader.empty() ? Kind::OtherTopic : kindOfTopic(raw.topicHeader);
        r.topic = utf8(raw.topicHeader);
        r.apiVersion = utf8(apiVersionHeader);
        r.rejection = {RejectReason::TooLarge, QStringLiteral("the value is %1 bytes, over the limit of %2")
                                                   .arg(message.valueSize)
                                                   .arg(EventParser::kDefaultMaxValueBytes)};
        r.engineReading = QStringLiteral("The engine rejects it (") % rejectReasonName(r.rejection.reason) %
                          QStringLiteral("): ") % r.rejection.detail % u'.';
        return r;
    }

    // One padded copy serves both parsers: the engine's reads it in place.
    const simdjson::padded_string padded(message.value.constData(), size_t(message.value.size()));
    raw.value = std::string_view(padded.data(), padded.size());
    raw.capacity = padded.size() + EventParser::padding();

    EventParser parser;
    parser.setMaxAheadMs(0); // a browser shows old and simulated streams as they were read
    ParsedMessage parsed;
    r.accepted = parser.parse(raw, parsed, r.rejection);

    // The payload's own words, for what the engine does not keep.
    dom::parser json;
    dom::element root;
    dom::object top;
    dom::object payload; // the top level, or an envelope's detail.payload; read only when hasPayload
    bool hasPayload = false;
    Metadata metadata;
    bool envelopeClaims = false;
    const bool isObject =
        json.parse(padded).get(root) == simdjson::SUCCESS && root.get_object().get(top) == simdjson::SUCCESS;
    if (isObject) {
        dom::element detail;
        if (top["detail"].get(detail) != simdjson::SUCCESS) {
            payload = top;
            hasPayload = true;
        } else {
            r.inEnvelope = true;
            dom::object detailObject;
            if (detail.get_object().get(detailObject) == simdjson::SUCCESS) {
                hasPayload = detailObject["payload"].get_object().get(payload) == simdjson::SUCCESS;
                dom::object metadataObject;
                if (detailObject["metadata"].get_object().get(metadataObject) == simdjson::SUCCESS)
                    metadata = metadataOf(metadataObject);
                envelopeClaims = has(detailObject, "payload") || has(detailObject, "metadata");
            }
            std::string_view detailType;
            envelopeClaims = envelopeClaims || (top["detail-type"].get_string().get(detailType) == simdjson::SUCCESS &&
                                                detailType == "shopifyWebhook");
        }
    }
    const std::string_view topic = !raw.topicHeader.empty() ? raw.topicHeader : metadata.topic;
    const Kind shape = hasPayload ? kindOfShape(payload) : Kind::None;

    if (r.accepted) {
        switch (parsed.topic) {
        case ShopifyTopic::ProductsUpdate:
            r.kind =
                hasPayload && !has(payload, "variants") && hasSparkColumns(payload) ? Kind::SparkRow : Kind::Product;
            break;
        case ShopifyTopic::InventoryLevelsUpdate: r.kind = Kind::InventoryLevel; break;
        case ShopifyTopic::OrdersCreate: r.kind = Kind::Order; break;
        }
    } else if (!topic.empty()) {
        r.kind = kindOfTopic(topic);
        if (r.kind == Kind::Product && shape == Kind::SparkRow)
            r.kind = Kind::SparkRow;
    } else if (shape != Kind::None) {
        r.kind = shape;
    } else if (shopifyHeaders || envelopeClaims) {
        r.kind = Kind::OtherTopic;
    } else {
        r.kind = Kind::None;
        r.inEnvelope = false;
        r.rejection = {};
        return r; // not a webhook: the engine's words about it would be noise
    }
    r.inEnvelope = r.inEnvelope && (envelopeClaims || r.accepted);
    r.topic = utf8(topic);
    r.apiVersion = utf8(!apiVersionHeader.empty() ? apiVersionHeader : metadata.apiVersion);
    // The shop as the engine takes it: the header, then the envelope's metadata, then the key.
    r.shop = utf8(!raw.shopDomainHeader.empty() ? raw.shopDomainHeader
                  : !metadata.shop.empty()      ? metadata.shop
                                                : raw.key);

    if (hasPayload) {
        switch (r.kind) {
        case Kind::Product:
        case Kind::SparkRow: readProductWords(payload, r); break;
        case Kind::InventoryLevel: readLevelWords(payload, r); break;
        case Kind::Order: readOrderWords(payload, r); break;
        case Kind::None:
        case Kind::OtherTopic: break;
        }
    }
    if (r.accepted)
        takeEngineReading(parsed, r);
    if (r.kind == Kind::Product || r.kind == Kind::SparkRow)
        r.adminUrl = shopifyAdminProductUrl(r.shop.toUtf8(), r.productId);

    r.engineReading = r.accepted ? acceptedWords(r)
                                 : QStringLiteral("The engine rejects it (") % rejectReasonName(r.rejection.reason) %
                                       QStringLiteral("): ") % r.rejection.detail % u'.';
    return r;
}

} // namespace peakwatch
