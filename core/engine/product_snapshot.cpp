// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "product_snapshot.h"

#include "alert_rules.h"
#include "inventory_engine.h"
#include "iso_time.h"
#include "json_writer.h"
#include "sellout_forecast.h"

namespace peakwatch {

QString productStatusName(ProductStatus status)
{
    switch (status) {
    case ProductStatus::Ok: return QStringLiteral("ok");
    case ProductStatus::Low: return QStringLiteral("low");
    case ProductStatus::SellingOut: return QStringLiteral("selling_out");
    case ProductStatus::SoldOut: return QStringLiteral("sold_out");
    case ProductStatus::Untracked: return QStringLiteral("untracked");
    }
    return QStringLiteral("ok");
}

namespace {

// When the current sold-out stretch began, from the history.
qint64 soldOutSince(const ProductState &s)
{
    const auto history = s.historyInOrder();
    qint64 since = s.updatedAtMs;
    for (auto it = history.rbegin(); it != history.rend() && it->quantity <= 0; ++it)
        since = it->atMs;
    return since;
}

// "sellout_interval": ["earliest", "latest" or null], or null without an interval.
void writeInterval(JsonObjectWriter &w, std::optional<qint64> earliestMs, std::optional<qint64> latestMs)
{
    if (!earliestMs) {
        w.null("sellout_interval");
        return;
    }
    const QByteArray latest = latestMs ? '"' + formatIsoTime(*latestMs) + '"' : QByteArray("null");
    const QByteArray interval = "[\"" + formatIsoTime(*earliestMs) + "\"," + latest + ']';
    w.raw("sellout_interval", std::string_view(interval.constData(), size_t(interval.size())));
}

} // namespace

ProductSnapshot makeSnapshot(const InventoryEngine &engine, const ProductState &s, const RuleSet &rules, qint64 nowMs)
{
    ProductSnapshot snap;
    snap.shop = engine.shopName(s.key.shop);
    snap.productId = s.key.productId;
    snap.title = s.title;
    snap.handle = s.handle;
    snap.minPrice = s.minPrice;
    snap.maxPrice = s.maxPrice;
    snap.hasPrice = s.hasPrice;
    snap.quantity = s.quantity;
    snap.updatedAtMs = s.updatedAtMs;
    snap.observations = s.predictor.observations();
    snap.confidence = s.predictor.confidence();
    snap.locations = engine.locationsOf(s, snap.unlocated);
    snap.variantsNotSent = s.variantsNotSent;
    if (!s.tracked) {
        snap.status = ProductStatus::Untracked;
        return snap;
    }
    const SelloutForecast forecast = forecastSellout(s, engine.shopDemand(s), engine.predictorParams(), nowMs);
    snap.ratePerHour = forecast.ratePerHour;
    if (s.quantity <= 0) {
        snap.status = ProductStatus::SoldOut;
        snap.selloutAtMs = soldOutSince(s);
        return snap;
    }
    snap.selloutAtMs = forecast.selloutAtMs;
    snap.selloutEarliestMs = forecast.earliestMs;
    snap.selloutLatestMs = forecast.latestMs;
    if (snap.selloutAtMs && *snap.selloutAtMs - std::max(nowMs, s.updatedAtMs) <= rules.horizonMs)
        snap.status = ProductStatus::SellingOut;
    else if (s.quantity <= rules.lowStock)
        snap.status = ProductStatus::Low;
    return snap;
}

QByteArray productRecordKey(const QByteArray &shop, qint64 productId)
{
    return shop + '/' + QByteArray::number(productId);
}

QByteArray snapshotRecord(const ProductSnapshot &s)
{
    QByteArray out;
    out.reserve(320);
    {
        JsonObjectWriter w(out);
        w.string("type", std::string_view("snapshot"));
        w.string("shop", s.shop);
        w.integer("product_id", s.productId);
        w.string("title", s.title);
        if (!s.handle.isEmpty())
            w.string("handle", s.handle);
        if (s.hasPrice) {
            const QByteArray minPrice = formatMoney(s.minPrice), maxPrice = formatMoney(s.maxPrice);
            w.raw("min_price", std::string_view(minPrice.constData(), size_t(minPrice.size())));
            w.raw("max_price", std::string_view(maxPrice.constData(), size_t(maxPrice.size())));
        } else {
            w.null("min_price");
            w.null("max_price");
        }
        w.integer("quantity", s.quantity);
        w.string("updated_at", formatIsoTime(s.updatedAtMs));
        if (s.ratePerHour)
            w.number("rate_per_hour", *s.ratePerHour);
        else
            w.null("rate_per_hour");
        if (s.selloutAtMs)
            w.string("sellout_at", formatIsoTime(*s.selloutAtMs));
        else
            w.null("sellout_at");
        writeInterval(w, s.selloutEarliestMs, s.selloutLatestMs);
        w.string("status", productStatusName(s.status));
        w.number("confidence", s.confidence);
        w.integer("observations", s.observations);
        if (!s.locations.empty()) {
            QByteArray locations = "[";
            for (const ProductLocation &l : s.locations) {
                if (locations.size() > 1)
                    locations += ',';
                locations += "{\"location_id\":" + QByteArray::number(l.locationId) +
                             ",\"available\":" + QByteArray::number(l.available) + '}';
            }
            locations += ']';
            w.raw("locations", std::string_view(locations.constData(), size_t(locations.size())));
            w.integer("unlocated", s.unlocated);
        }
        if (s.variantsNotSent > 0)
            w.integer("variants_not_counted", s.variantsNotSent);
    }
    return out;
}

QByteArray alertRecord(const Alert &a)
{
    QByteArray out;
    out.reserve(400);
    {
        JsonObjectWriter w(out);
        w.string("type", std::string_view("alert"));
        w.string("id", a.id);
        w.string("rule", alertRuleName(a.rule));
        w.string("shop", a.shop);
        w.integer("product_id", a.productId);
        w.string("title", a.title);
        w.integer("quantity", a.quantity);
        if (a.ratePerHour)
            w.number("rate_per_hour", *a.ratePerHour);
        else
            w.null("rate_per_hour");
        if (a.selloutAtMs)
            w.string("sellout_at", formatIsoTime(*a.selloutAtMs));
        else
            w.null("sellout_at");
        writeInterval(w, a.selloutEarliestMs, a.selloutLatestMs);
        w.string("at", formatIsoTime(a.atMs));
        w.string("episode", a.episode);
        w.string("message", a.message);
    }
    return out;
}

} // namespace peakwatch
