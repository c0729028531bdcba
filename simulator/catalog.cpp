// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "catalog.h"

#include <QStringBuilder>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace peakwatch::sim {
namespace {

const char *const kShopNames[] = {"northwind-apparel", "contoso-outdoor", "fabrikam-home",   "tailspin-toys",
                                  "wingtip-sports",    "adventure-works", "litware-kitchen", "proseware-tech",
                                  "alpine-ski-house",  "coho-vineyard",   "fourth-coffee",   "margie-travel"};
const char *const kVendors[] = {"Northwind Apparel", "Contoso Outdoor", "Fabrikam Home",   "Tailspin Toys",
                                "Wingtip Sports",    "Adventure Works", "Litware Kitchen", "Proseware Tech",
                                "Alpine Ski House",  "Coho Vineyard",   "Fourth Coffee",   "Margie's Travel"};
const char *const kAdjectives[] = {"Fleece",   "Merino",  "Organic",    "Classic",    "Heavyweight", "Ultralight",
                                   "Recycled", "Quilted", "Waterproof", "Vintage",    "Everyday",    "Thermal",
                                   "Linen",    "Canvas",  "Cashmere",   "Performance"};
const char *const kNouns[] = {"Hoodie",     "Parka",        "Beanie",        "T-Shirt",    "Joggers",  "Sneakers",
                              "Backpack",   "Scarf",        "Gloves",        "Socks",      "Cardigan", "Rain Jacket",
                              "Duffel Bag", "Water Bottle", "Flannel Shirt", "Puffer Vest"};
const char *const kColours[] = {"Navy", "Black", "Heather Grey", "Forest", "Rust", "Sand", "Burgundy", "Sky"};
const char *const kSizes[] = {"XS", "S", "M", "L", "XL", "XXL"};

QByteArray slug(const QByteArray &title)
{
    QByteArray out = title.toLower();
    out.replace(' ', '-');
    return out;
}

} // namespace

qint64 SimProduct::quantity() const
{
    return std::accumulate(variants.begin(), variants.end(), qint64(0),
                           [](qint64 sum, const SimVariant &v) { return sum + v.quantity; });
}

size_t Catalog::productCount() const
{
    return std::accumulate(m_shops.begin(), m_shops.end(), size_t(0),
                           [](size_t n, const SimShop &s) { return n + s.products.size(); });
}

Catalog Catalog::generate(const Options &o)
{
    std::mt19937_64 rng(o.seed);
    auto uniform = [&](qint64 lo, qint64 hi) { return std::uniform_int_distribution<qint64>(lo, hi)(rng); };
    const qint64 start = o.startMs ? o.startMs : 1790812800000; // 2026-10-01T00:00:00Z
    static constexpr int kOffsets[] = {-300, -240, -360, -420, 60, 0};

    Catalog catalog;
    // Ids shaped as Shopify's today: 13-digit product ids, 14-digit variant and inventory item ids.
    qint64 nextProductId = 8841726390000 + uniform(0, 99999) * 100;
    qint64 nextVariantId = 46120031850000 + uniform(0, 99999) * 1000;
    qint64 nextItemId = 48220199720000 + uniform(0, 99999) * 1000;
    const int nShopNames = int(std::size(kShopNames));
    for (int s = 0; s < o.shops; ++s) {
        SimShop shop;
        shop.domain = QByteArray(kShopNames[s % nShopNames]);
        if (s >= nShopNames)
            shop.domain += QByteArray("-") + QByteArray::number(s / nShopNames + 1);
        shop.domain += ".myshopify.com";
        shop.vendor = kVendors[s % nShopNames];
        shop.utcOffsetMinutes = kOffsets[s % std::size(kOffsets)];
        // Location ids shaped as Shopify's (11 digits); no random draw, so that the catalogue is the same for a
        // seed whatever the number of locations.
        const int nLocations = std::clamp(o.locations, 1, kMaxLocations);
        for (int l = 0; l < nLocations; ++l)
            shop.locations.push_back(68400000000 + qint64(s) * 1000 + l);

        // Zipf-like popularity over a shuffled rank: a few products take most of the sales.
        std::vector<double> weights(size_t(o.productsPerShop));
        for (size_t i = 0; i < weights.size(); ++i)
            weights[i] = 1.0 / std::pow(double(i + 1), 1.1);
        std::shuffle(weights.begin(), weights.end(), rng);
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);

        for (int p = 0; p < o.productsPerShop; ++p) {
            SimProduct product;
            product.id = nextProductId++;
            const char *adjective = kAdjectives[uniform(0, std::size(kAdjectives) - 1)];
            const char *noun = kNouns[uniform(0, std::size(kNouns) - 1)];
            product.title = QByteArray(adjective) + QByteArray(" ") + QByteArray(noun);
            if (p >= int(std::size(kAdjectives) * std::size(kNouns) / 4))
                product.title += QByteArray(" ") + QByteArray::number(p);
            product.handle = slug(product.title);
            product.vendor = shop.vendor;
            product.productType = noun;
            product.tags = QByteArray("black-friday, ") + slug(QByteArray(adjective));
            product.createdAtMs = start - uniform(0, 90) * 86400000LL;
            product.updatedAtMs = start;
            product.popularity = weights[size_t(p)] / total;

            const int nVariants = int(uniform(o.minVariants, o.maxVariants));
            const int nColours = nVariants >= 4 ? 2 : 1;
            const int nSizes = (nVariants + nColours - 1) / nColours;
            const qint64 colourStart = uniform(0, std::size(kColours) - 1);
            const qint64 sizeStart = nSizes >= 6 ? 0 : uniform(0, std::size(kSizes) - nSizes);
            for (int c = 0; c < nColours; ++c)
                product.colours.emplace_back(kColours[(colourStart + c) % std::size(kColours)]);
            if (nVariants > 1)
                for (int z = 0; z < nSizes; ++z)
                    product.sizes.emplace_back(kSizes[sizeStart + z]);

            const Money basePrice = (uniform(9, 189) * 100 + (uniform(0, 1) ? 99 : 0)) * (kMoneyScale / 100);
            const bool oversell = uniform(0, 19) == 0;
            int made = 0;
            for (int c = 0; c < nColours && made < nVariants; ++c) {
                for (int z = 0; z < std::max(1, nSizes) && made < nVariants; ++z, ++made) {
                    SimVariant v;
                    v.id = nextVariantId++;
                    v.inventoryItemId = nextItemId++;
                    v.option1 = product.colours[size_t(c)];
                    if (!product.sizes.empty())
                        v.option2 = product.sizes[size_t(z)];
                    v.title = v.option2.isEmpty() ? v.option1 : v.option1 + QByteArray(" / ") + v.option2;
                    v.sku = product.productType.left(4).toUpper() + QByteArray("-") + v.option1.left(4).toUpper() +
                            QByteArray("-") + (v.option2.isEmpty() ? QByteArray("OS") : v.option2);
                    // Larger sizes cost a little more, as in the sample payload.
                    v.price = basePrice + (z >= 3 ? 250 * (kMoneyScale / 100) : 0);
                    v.compareAtPrice = v.price * 3 / 2 / (kMoneyScale / 100) * (kMoneyScale / 100);
                    v.quantity = v.previousQuantity = uniform(o.minStock, o.maxStock);
                    // Evenly over the locations, the rest at the first.
                    v.stockAt.assign(size_t(nLocations), v.quantity / nLocations);
                    v.stockAt[0] += v.quantity % nLocations;
                    v.allowOversell = oversell;
                    product.variants.push_back(std::move(v));
                }
            }
            shop.products.push_back(std::move(product));
        }
        catalog.m_shops.push_back(std::move(shop));
    }
    return catalog;
}

} // namespace peakwatch::sim
