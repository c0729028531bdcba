// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_builder.h"

#include "iso_time.h"
#include "json_fields.h"

#include <QStringBuilder>

#include <charconv>
#include <cstdio>
#include <cstring>

namespace peakwatch::sim {
using namespace json;

QByteArray WebhookBuilder::shopTime(qint64 ms, int offsetMinutes)
{
    QByteArray out = formatIsoTime((ms / 1000) * 1000 + qint64(offsetMinutes) * 60000);
    out.chop(1); // drop the Z
    const int abs = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    const char suffix[6] = {offsetMinutes < 0 ? '-' : '+', char('0' + abs / 600 % 10), char('0' + abs / 60 % 10), ':',
                            char('0' + abs % 60 / 10),     char('0' + abs % 10)};
    out.append(suffix, 6);
    return out;
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
    write(shop, p, updatedAtMs, out, false);
}

void WebhookBuilder::write(const SimShop &shop, const SimProduct &p, qint64 updatedAtMs, QByteArray &out, bool markers)
{
    const QByteArray created = shopTime(p.createdAtMs, shop.utcOffsetMinutes);
    // In marker mode the values that change from one update to the next are written as markers, from
    // which a template is cut: "\x7fU" the shop-time updated_at, "\x7fG" the UTC one, "\x7fQ" and
    // "\x7fO" a variant's inventory_quantity and old_inventory_quantity.
    const QByteArray updated = markers ? QByteArray("\x7fU") : shopTime(updatedAtMs, shop.utcOffsetMinutes);
    const QByteArray updatedUtc =
        markers ? QByteArray("\x7fG") : formatIsoTime((updatedAtMs / 1000) * 1000).replace("Z", ".000Z");

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
        if (markers) {
            raw(out, "inventory_quantity", "\x7fQ");
            raw(out, "old_inventory_quantity", "\x7fO");
        } else {
            num(out, "inventory_quantity", v.quantity);
            num(out, "old_inventory_quantity", v.previousQuantity);
        }
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

namespace peakwatch::sim {

WebhookWriter::Template WebhookWriter::makeTemplate(const SimShop &shop, const SimProduct &product)
{
    QByteArray marked;
    WebhookBuilder::write(shop, product, 0, marked, true);
    Template t;
    qsizetype start = 0;
    int variant = -1;
    for (qsizetype i = marked.indexOf('\x7f'); i >= 0; i = marked.indexOf('\x7f', start)) {
        t.chunks.emplace_back(marked.constData() + start, size_t(i - start));
        const char kind = marked[i + 1];
        if (kind == 'Q')
            ++variant;
        t.slots.push_back({kind, kind == 'G' ? int(t.slots.size()) : variant});
        start = i + 2;
    }
    t.chunks.emplace_back(marked.constData() + start, size_t(marked.size() - start));
    // The G slots (variant_gids) come after the variants, one per variant, in order.
    int gid = 0;
    for (Slot &slot : t.slots)
        if (slot.kind == 'G')
            slot.variant = gid++;
    for (const std::string &chunk : t.chunks)
        t.fixedBytes += chunk.size();
    return t;
}

void WebhookWriter::write(const SimShop &shop, const SimProduct &product, qint64 updatedAtMs, QByteArray &out)
{
    auto it = m_templates.find(&product);
    if (it == m_templates.end())
        it = m_templates.emplace(&product, makeTemplate(shop, product)).first;
    const Template &t = it->second;

    // The two times, into stack buffers: "2026-11-27T00:03:12-05:00" and "2026-11-27T05:03:12.000Z".
    char updated[kIsoTimeBufferSize + 8];
    int updatedSize = formatIsoTime((updatedAtMs / 1000) * 1000 + qint64(shop.utcOffsetMinutes) * 60000, updated) - 1;
    const int abs = shop.utcOffsetMinutes < 0 ? -shop.utcOffsetMinutes : shop.utcOffsetMinutes;
    const char suffix[6] = {shop.utcOffsetMinutes < 0 ? '-' : '+',
                            char('0' + abs / 600 % 10),
                            char('0' + abs / 60 % 10),
                            ':',
                            char('0' + abs % 60 / 10),
                            char('0' + abs % 10)};
    std::memcpy(updated + updatedSize, suffix, 6);
    updatedSize += 6;
    char utc[kIsoTimeBufferSize + 8];
    int utcSize = formatIsoTime((updatedAtMs / 1000) * 1000, utc) - 1;
    std::memcpy(utc + utcSize, ".000Z", 5);
    utcSize += 5;
    // Render the numbers first, then copy everything once into a buffer of the exact size.
    char numbers[256][24];
    size_t lengths[256];
    size_t total = t.fixedBytes;
    const size_t slotCount = std::min<size_t>(t.slots.size(), 256);
    for (size_t i = 0; i < slotCount; ++i) {
        const Slot &slot = t.slots[i];
        if (slot.kind == 'Q' || slot.kind == 'O') {
            const SimVariant &v = product.variants[size_t(slot.variant)];
            const auto r =
                std::to_chars(numbers[i], numbers[i] + 24, slot.kind == 'Q' ? v.quantity : v.previousQuantity);
            lengths[i] = size_t(r.ptr - numbers[i]);
        } else {
            lengths[i] = size_t(slot.kind == 'U' ? updatedSize : utcSize);
        }
        total += lengths[i];
    }
    out.resize(qsizetype(total));
    char *p = out.data();
    for (size_t i = 0; i < t.chunks.size(); ++i) {
        std::memcpy(p, t.chunks[i].data(), t.chunks[i].size());
        p += t.chunks[i].size();
        if (i >= slotCount)
            continue;
        const Slot &slot = t.slots[i];
        const char *src = slot.kind == 'U' ? updated : slot.kind == 'G' ? utc : numbers[i];
        std::memcpy(p, src, lengths[i]);
        p += lengths[i];
    }
}

} // namespace peakwatch::sim
