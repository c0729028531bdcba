// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "catalog.h"
#include "scenario.h"

#include <QByteArray>

#include <deque>
#include <random>
#include <unordered_map>
#include <vector>

namespace peakwatch::sim {

// Orders against a catalogue, one at a time, in simulated time, following a scenario: demand follows the
// scenario's curve (a non-homogeneous Poisson process), products are picked by popularity (times a flash
// sale's multiplier while it runs), stock falls by the units sold (never below zero unless the variant
// allows overselling, and then no further than the scenario's backorder limit), sold-out products are
// restocked now and then and at the scenario's scheduled restocks, and each product's updated_at
// increases. Deterministic for a seed. No I/O.
class SalesSimulator final {
public:
    // A flat demand, for callers that need no scenario.
    struct Options {
        double ordersPerHour = 20000;   // over the whole catalogue, in simulated time
        qint64 startMs = 1795755600000; // 2026-11-27T05:00:00Z, midnight on Black Friday in New York
        double restockChance = 0.05;    // per order that finds a product sold out
        quint64 seed = 1;
        qint64 backorderLimit = 20; // units a variant that allows overselling sells below zero
    };

    // Units taken from, or added at, one location of one variant.
    struct LocationChange {
        SimVariant *variant = nullptr;
        int location = 0; // index into SimShop::locations
    };
    struct Change {
        SimShop *shop = nullptr; // null when the scenario has ended
        SimProduct *product = nullptr;
        qint64 atMs = 0;
        qint64 unitsSold = 0; // 0 for a restock
        bool isRestock = false;
        // A sale: the order and the variant it bought.
        qint64 orderId = 0;
        qint64 orderNumber = 0; // "#1001"
        SimVariant *variant = nullptr;
        // The (variant, location) pairs whose stock changed: where a sale was taken from, or every variant's
        // first location for a restock.
        std::vector<LocationChange> locations;
    };

    SalesSimulator(Catalog &catalog, Options options);
    SalesSimulator(Catalog &catalog, const Scenario &scenario, quint64 seed);

    // The next order or restock and the simulated time it happened; shop == nullptr once the scenario's
    // duration has passed.
    Change next();
    qint64 nowMs() const { return m_nowMs; }
    qint64 startMs() const { return m_scenario.startAtMs; }
    bool finished() const { return m_finished; }
    const Scenario &scenario() const { return m_scenario; }
    const Catalog &catalog() const { return m_catalog; }

    // The expected units an hour of `product` at the current simulated time (the demand model's truth).
    double expectedUnitsPerHour(const SimProduct &product) const;

    // A webhook id as Shopify's: a random UUID.
    QByteArray newWebhookId();

    static constexpr double kMeanUnitsPerOrder = 0.7 * 1 + 0.2 * 2 + 0.1 * 4;
    // The mean units of an order under this scenario.
    double meanUnitsPerOrder() const { return m_meanUnits; }

private:
    struct Entry {
        SimShop *shop;
        SimProduct *product;
        double popularity; // share of all sales, summing to 1 over the catalogue
        double multiplier = 1;
    };
    void init();
    void initUnitsPerOrder();
    qint64 drawUnits();
    void driftPopularity();
    void updateFlashSales();
    bool runScheduledRestock();
    void restock(SimShop *shop, SimProduct *product, qint64 minUnits, qint64 maxUnits);
    double boost() const; // total demand multiplier from the flash sales running now

    Catalog &m_catalog;
    Scenario m_scenario;
    std::mt19937_64 m_rng;
    std::vector<Entry> m_products;
    std::unordered_map<const SimProduct *, size_t> m_index; // into m_products
    std::vector<double> m_cumulative;                       // cumulative popularity x multiplier
    std::vector<bool> m_saleActive;
    double m_maxRate = 0; // orders an hour, upper bound for thinning
    size_t m_nextRestock = 0;
    std::deque<Change> m_pending;
    std::vector<SimVariant *> m_available; // reused by next()
    std::vector<double> m_unitsCumulative; // P(units <= i + 1), when the scenario sets units per order
    double m_meanUnits = kMeanUnitsPerOrder;
    qint64 m_nextDriftAtMs = 0;
    bool m_weightsChanged = false;
    qint64 m_nowMs = 0;
    bool m_finished = false;
    qint64 m_orders = 0; // placed so far
};

} // namespace peakwatch::sim
