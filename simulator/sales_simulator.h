#pragma once

#include "catalog.h"

#include <QByteArray>

#include <random>
#include <vector>

namespace peakwatch::sim {

// Orders against a catalogue, one at a time, in simulated time: products are picked by popularity,
// stock falls by the units sold (never below zero unless the variant allows overselling), sold-out
// products are restocked now and then, and each product's updated_at increases.
class SalesSimulator final {
public:
    struct Options {
        double ordersPerHour = 20000;   // over the whole catalogue, in simulated time
        qint64 startMs = 1795755600000; // 2026-11-27T05:00:00Z, midnight on Black Friday in New York
        double restockChance = 0.05;    // per order that finds a product sold out
        quint64 seed = 1;
    };

    struct Change {
        SimShop *shop = nullptr;
        SimProduct *product = nullptr;
        qint64 atMs = 0;
        qint64 unitsSold = 0; // 0 for a restock
    };

    SalesSimulator(Catalog &catalog, Options options);

    // The next order (or restock) and the simulated time it happened.
    Change next();
    qint64 nowMs() const { return m_nowMs; }

    // A webhook id as Shopify's: a random UUID.
    QByteArray newWebhookId();

private:
    Catalog &m_catalog;
    Options m_options;
    std::mt19937_64 m_rng;
    std::vector<double> m_cumulative; // cumulative popularity over all products
    std::vector<std::pair<SimShop *, SimProduct *>> m_products;
    qint64 m_nowMs;
};

} // namespace peakwatch::sim
