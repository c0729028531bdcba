// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "ground_truth.h"

#include "iso_time.h"
#include "json_writer.h"

#include <algorithm>

namespace peakwatch::sim {

void GroundTruth::record(const SalesSimulator::Change &change)
{
    if (!change.product)
        return;
    if (m_products.empty() || change.atMs < m_startMs)
        m_startMs = m_products.empty() ? change.atMs : std::min(m_startMs, change.atMs);
    Product &p = m_products[change.product];
    if (p.productId == 0) {
        p.shop = change.shop->domain;
        p.productId = change.product->id;
        p.title = change.product->title;
        p.firstEventAtMs = change.atMs;
    }
    p.unitsSold += change.unitsSold;
    p.restocks += change.isRestock ? 1 : 0;
    p.finalStock = change.product->quantity();
    p.lastEventAtMs = change.atMs;
    if (p.finalStock <= 0 && p.soldOutAtMs == 0)
        p.soldOutAtMs = change.atMs;
    else if (p.finalStock > 0)
        p.soldOutAtMs = 0;
}

void GroundTruth::finish(const SalesSimulator &simulator, qint64 endMs)
{
    m_endMs = endMs;
    for (const SimShop &shop : simulator.catalog().shops())
        for (const SimProduct &product : shop.products) {
            auto it = m_products.find(&product);
            if (it != m_products.end())
                it->second.expectedUnitsPerHour = simulator.expectedUnitsPerHour(product);
        }
}

QHash<QPair<QByteArray, qint64>, GroundTruth::Product> GroundTruth::products() const
{
    QHash<QPair<QByteArray, qint64>, Product> out;
    for (const auto &[key, p] : m_products)
        out.insert({p.shop, p.productId}, p);
    return out;
}

QByteArray GroundTruth::toJson() const
{
    std::vector<const Product *> sorted;
    for (const auto &[key, p] : m_products)
        sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const Product *a, const Product *b) {
        return a->shop != b->shop ? a->shop < b->shop : a->productId < b->productId;
    });
    const double hours = std::max<qint64>(1, m_endMs - m_startMs) / 3600000.0;
    QByteArray out =
        "{\"start\":\"" + formatIsoTime(m_startMs) + "\",\"end\":\"" + formatIsoTime(m_endMs) + "\",\"products\":[\n";
    for (size_t i = 0; i < sorted.size(); ++i) {
        const Product &p = *sorted[i];
        {
            JsonObjectWriter w(out);
            w.string("shop", p.shop);
            w.integer("product_id", p.productId);
            w.string("title", p.title);
            w.integer("units_sold", p.unitsSold);
            w.number("rate_per_hour", double(p.unitsSold) / hours);
            w.number("expected_rate_per_hour", p.expectedUnitsPerHour);
            w.integer("final_stock", p.finalStock);
            w.integer("restocks", p.restocks);
            if (p.soldOutAtMs)
                w.string("sold_out_at", formatIsoTime(p.soldOutAtMs));
            else
                w.null("sold_out_at");
        }
        out += i + 1 < sorted.size() ? ",\n" : "\n";
    }
    out += "]}\n";
    return out;
}

} // namespace peakwatch::sim
