// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "stock_webhooks.h"

#include "json_fields.h"
#include "webhook_builder.h"

namespace peakwatch::sim {
using namespace json;
namespace {

// {"shop_money":{"amount":"24.00","currency_code":"USD"},"presentment_money":{…}}
QByteArray priceSet(Money amount)
{
    const QByteArray money = R"({"amount":")" + formatMoney(amount) + R"(","currency_code":"USD"})";
    return R"({"shop_money":)" + money + R"(,"presentment_money":)" + money + '}';
}

void moneyFields(QByteArray &out, const char *name, Money amount)
{
    str(out, name, formatMoney(amount));
    const QByteArray setName = QByteArray(name) + "_set";
    raw(out, setName.constData(), priceSet(amount).constData());
}

} // namespace

void writeOrderWebhook(const SimShop &shop, const SimProduct &product, const SimVariant &variant, qint64 units,
                       qint64 orderId, qint64 orderNumber, qint64 atMs, QByteArray &out)
{
    const QByteArray at = WebhookBuilder::shopTime(atMs, shop.utcOffsetMinutes);
    const QByteArray id = QByteArray::number(orderId);
    // 32 hex digits that look random, the same for the same order.
    const QByteArray token = QByteArray::number(quint64(orderId) * 0x9E3779B97F4A7C15ull, 16).rightJustified(16, '0') +
                             QByteArray::number(quint64(orderId) * 0xC2B2AE3D27D4EB4Full, 16).rightJustified(16, '0');
    const Money total = variant.price * units;
    const QByteArray email = "customer" + QByteArray::number(orderNumber) + "@example.com";
    const qint64 lineId = orderId / 3 + variant.id % 1000;

    out.clear();
    out += '{';
    num(out, "id", orderId);
    str(out, "admin_graphql_api_id", "gid://shopify/Order/" + id);
    raw(out, "app_id", "580111");
    raw(out, "browser_ip", "null");
    raw(out, "buyer_accepts_marketing", "false");
    raw(out, "cancel_reason", "null");
    raw(out, "cancelled_at", "null");
    str(out, "cart_token", token.left(24));
    num(out, "checkout_id", orderId / 2);
    str(out, "checkout_token", token);
    raw(out, "closed_at", "null");
    str(out, "confirmation_number", token.left(9).toUpper());
    raw(out, "confirmed", "true");
    str(out, "contact_email", email);
    str(out, "created_at", at);
    str(out, "currency", "USD");
    moneyFields(out, "current_subtotal_price", total);
    moneyFields(out, "current_total_discounts", 0);
    moneyFields(out, "current_total_price", total);
    moneyFields(out, "current_total_tax", 0);
    str(out, "customer_locale", "en-US");
    str(out, "email", email);
    raw(out, "estimated_taxes", "false");
    str(out, "financial_status", "paid");
    raw(out, "fulfillment_status", "null");
    str(out, "landing_site", "/products/" + product.handle);
    raw(out, "location_id", "null");
    str(out, "name", "#" + QByteArray::number(orderNumber));
    raw(out, "note", "null");
    raw(out, "note_attributes", "[]");
    num(out, "number", orderNumber - 1000);
    num(out, "order_number", orderNumber);
    str(out, "order_status_url", "https://" + shop.domain + "/orders/" + token + "/authenticate");
    raw(out, "payment_gateway_names", R"(["shopify_payments"])");
    str(out, "presentment_currency", "USD");
    str(out, "processed_at", at);
    raw(out, "reference", "null");
    raw(out, "referring_site", "null");
    str(out, "source_name", "web");
    moneyFields(out, "subtotal_price", total);
    str(out, "tags", "");
    raw(out, "taxes_included", "false");
    raw(out, "test", "false");
    str(out, "token", token);
    moneyFields(out, "total_discounts", 0);
    moneyFields(out, "total_line_items_price", total);
    moneyFields(out, "total_outstanding", 0);
    moneyFields(out, "total_price", total);
    moneyFields(out, "total_shipping_price", 0);
    moneyFields(out, "total_tax", 0);
    num(out, "total_weight", 450 * units);
    str(out, "updated_at", at);
    raw(out, "user_id", "null");
    raw(out, "discount_codes", "[]");
    raw(out, "fulfillments", "[]");
    raw(out, "refunds", "[]");
    raw(out, "shipping_lines", "[]");
    raw(out, "tax_lines", "[]");

    out += "\"line_items\":[{";
    num(out, "id", lineId);
    str(out, "admin_graphql_api_id", "gid://shopify/LineItem/" + QByteArray::number(lineId));
    raw(out, "attributed_staffs", "[]");
    num(out, "current_quantity", units);
    num(out, "fulfillable_quantity", units);
    str(out, "fulfillment_service", "manual");
    raw(out, "fulfillment_status", "null");
    raw(out, "gift_card", "false");
    num(out, "grams", 450);
    str(out, "name", product.title + " - " + variant.title);
    moneyFields(out, "price", variant.price);
    raw(out, "product_exists", "true");
    num(out, "product_id", product.id);
    raw(out, "properties", "[]");
    num(out, "quantity", units);
    raw(out, "requires_shipping", "true");
    str(out, "sku", variant.sku);
    raw(out, "taxable", "true");
    str(out, "title", product.title);
    moneyFields(out, "total_discount", 0);
    num(out, "variant_id", variant.id);
    str(out, "variant_inventory_management", "shopify");
    str(out, "variant_title", variant.title);
    str(out, "vendor", product.vendor);
    raw(out, "tax_lines", "[]");
    raw(out, "duties", "[]");
    raw(out, "discount_allocations", "[]");
    closeObject(out);
    out += "],";
    closeObject(out);
}

void writeInventoryLevelWebhook(const SimShop &shop, const SimVariant &variant, int location, qint64 atMs,
                                QByteArray &out)
{
    const qint64 locationId = shop.locations[size_t(location)];
    out.clear();
    out += '{';
    num(out, "inventory_item_id", variant.inventoryItemId);
    num(out, "location_id", locationId);
    num(out, "available", variant.stockAt[size_t(location)]);
    str(out, "updated_at", WebhookBuilder::shopTime(atMs, shop.utcOffsetMinutes));
    str(out, "admin_graphql_api_id",
        "gid://shopify/InventoryLevel/" + QByteArray::number(locationId) +
            "?inventory_item_id=" + QByteArray::number(variant.inventoryItemId));
    closeObject(out);
}

} // namespace peakwatch::sim
