#include "webhook_builder.h"

#include "iso_time.h"
#include "json_writer.h"

#include <QStringBuilder>

#include <cstdio>

namespace peakwatch::sim {
namespace {

void str(QByteArray &out, const char *key, const QByteArray &value)
{
    out += '"';
    out += key;
    out += "\":";
    JsonObjectWriter::appendEscaped(out, std::string_view(value.constData(), size_t(value.size())));
    out += ',';
}

void num(QByteArray &out, const char *key, qint64 value)
{
    out += '"';
    out += key;
    out += "\":";
    out += QByteArray::number(value);
    out += ',';
}

void raw(QByteArray &out, const char *key, const char *json)
{
    out += '"';
    out += key;
    out += "\":";
    out += json;
    out += ',';
}

void closeObject(QByteArray &out)
{
    if (out.endsWith(','))
        out.chop(1);
    out += '}';
}

} // namespace

QByteArray WebhookBuilder::shopTime(qint64 ms, int offsetMinutes)
{
    QByteArray utc = formatIsoTime((ms / 1000) * 1000 + qint64(offsetMinutes) * 60000);
    utc.chop(1); // drop the Z
    char suffix[16];
    const int abs = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    std::snprintf(suffix, sizeof suffix, "%c%02d:%02d", offsetMinutes < 0 ? '-' : '+', abs / 60, abs % 60);
    return utc + QByteArray(suffix);
}

QByteArray WebhookBuilder::build(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs)
{
    QByteArray out;
    out.reserve(1024 + qsizetype(product.variants.size()) * 700);
    build(shop, product, updatedAtMs, out);
    return out;
}

void WebhookBuilder::build(const SimShop &shop, const SimProduct &p, qint64 updatedAtMs, QByteArray &out)
{
    const QByteArray created = shopTime(p.createdAtMs, shop.utcOffsetMinutes);
    const QByteArray updated = shopTime(updatedAtMs, shop.utcOffsetMinutes);
    const QByteArray updatedUtc = formatIsoTime((updatedAtMs / 1000) * 1000).replace("Z", ".000Z");

    out += '{';
    str(out, "admin_graphql_api_id", QByteArray("gid://shopify/Product/") + QByteArray::number(p.id));
    str(out, "body_html",
        QByteArray("<p>") + p.title + QByteArray(" by ") + p.vendor + QByteArray(". Limited Black Friday stock.</p>"));
    str(out, "created_at", created);
    str(out, "handle", p.handle);
    num(out, "id", p.id);
    str(out, "product_type", p.productType);
    str(out, "published_at", created);
    str(out, "template_suffix", "");
    str(out, "title", p.title);
    str(out, "updated_at", updated);
    str(out, "vendor", p.vendor);
    str(out, "status", "active");
    str(out, "published_scope", "global");
    str(out, "tags", p.tags);

    out += "\"variants\":[";
    int position = 1;
    for (const SimVariant &v : p.variants) {
        out += '{';
        str(out, "admin_graphql_api_id", QByteArray("gid://shopify/ProductVariant/") + QByteArray::number(v.id));
        str(out, "barcode", "");
        str(out, "compare_at_price", formatMoney(v.compareAtPrice));
        str(out, "created_at", created);
        num(out, "id", v.id);
        str(out, "inventory_policy", v.allowOversell ? "continue" : "deny");
        num(out, "position", position++);
        str(out, "price", formatMoney(v.price));
        num(out, "product_id", p.id);
        str(out, "sku", v.sku);
        raw(out, "taxable", "true");
        str(out, "title", v.title);
        str(out, "updated_at", updated);
        str(out, "option1", v.option1);
        if (v.option2.isEmpty())
            raw(out, "option2", "null");
        else
            str(out, "option2", v.option2);
        raw(out, "option3", "null");
        raw(out, "image_id", "null");
        num(out, "inventory_item_id", v.inventoryItemId);
        num(out, "inventory_quantity", v.quantity);
        num(out, "old_inventory_quantity", v.previousQuantity);
        closeObject(out);
        out += ',';
    }
    if (out.endsWith(','))
        out.chop(1);
    out += "],";

    out += "\"options\":[";
    const QByteArray pid = QByteArray::number(p.id);
    auto option = [&](const char *name, qint64 id, int pos, const std::vector<QByteArray> &values) {
        out += "{\"name\":\"";
        out += name;
        out += "\",\"id\":";
        out += QByteArray::number(id);
        out += ",\"product_id\":";
        out += pid;
        out += ",\"position\":";
        out += QByteArray::number(pos);
        out += ",\"values\":[";
        for (size_t i = 0; i < values.size(); ++i) {
            if (i)
                out += ',';
            JsonObjectWriter::appendEscaped(out, std::string_view(values[i].constData(), size_t(values[i].size())));
        }
        out += "]}";
    };
    option("Color", p.id * 2 + 11000000000000, 1, p.colours);
    if (!p.sizes.empty()) {
        out += ',';
        option("Size", p.id * 2 + 11000000000001, 2, p.sizes);
    }
    out += "],";
    raw(out, "images", "[]");
    raw(out, "image", "null");
    raw(out, "media", "[]");
    out += "\"variant_gids\":[";
    for (size_t i = 0; i < p.variants.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"admin_graphql_api_id\":\"gid://shopify/ProductVariant/";
        out += QByteArray::number(p.variants[i].id);
        out += "\",\"updated_at\":\"";
        out += updatedUtc;
        out += "\"}";
    }
    out += "],";
    raw(out, "has_variants_that_requires_components", "false");
    raw(out, "category", "null");
    closeObject(out);
}

} // namespace peakwatch::sim
