// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "money.h"

#include <QByteArray>

#include <random>
#include <vector>

namespace peakwatch::sim {

struct SimVariant {
    qint64 id = 0;
    qint64 inventoryItemId = 0;
    QByteArray title;   // "Navy / M"
    QByteArray option1; // colour
    QByteArray option2; // size, empty when the product has one size
    QByteArray sku;
    Money price = 0;
    Money compareAtPrice = 0;
    qint64 quantity = 0; // over all the shop's locations
    qint64 previousQuantity = 0;
    bool allowOversell = false; // inventory_policy "continue"
    // The units at each of the shop's locations (SimShop::locations), summing to quantity. Only the first
    // location goes below zero (a backorder is taken there).
    std::vector<qint64> stockAt;
};

struct SimProduct {
    qint64 id = 0;
    QByteArray title;
    QByteArray handle;
    QByteArray vendor;
    QByteArray productType;
    QByteArray tags;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    double popularity = 0; // share of the shop's sales, sums to 1 over a shop
    std::vector<SimVariant> variants;
    std::vector<QByteArray> colours;
    std::vector<QByteArray> sizes;

    qint64 quantity() const;
};

struct SimShop {
    QByteArray domain; // "northwind-apparel.myshopify.com"
    QByteArray vendor;
    int utcOffsetMinutes = -300; // the shop's time zone, as Shopify writes its times
    // Its locations' ids, in the order orders are fulfilled from (the first is where restocks arrive).
    std::vector<qint64> locations;
    std::vector<SimProduct> products;
};

// Most locations a simulated shop has.
inline constexpr int kMaxLocations = 8;

// A synthetic world: shops of products with sizes and colours, prices, starting stock and a
// heavy-tailed popularity (a few products take most of the sales). Deterministic for a seed.
class Catalog final {
public:
    struct Options {
        int shops = 3;
        int productsPerShop = 200;
        quint64 seed = 1;
        qint64 startMs = 0; // created_at of the catalogue; 0 = 2026-10-01
        int minVariants = 1;
        int maxVariants = 6;
        qint64 minStock = 5; // per variant
        qint64 maxStock = 400;
        int locations = 1; // per shop, 1 to kMaxLocations; a variant's stock is split evenly over them
    };

    static Catalog generate(const Options &options);

    std::vector<SimShop> &shops() { return m_shops; }
    const std::vector<SimShop> &shops() const { return m_shops; }
    size_t productCount() const;

private:
    std::vector<SimShop> m_shops;
};

} // namespace peakwatch::sim
