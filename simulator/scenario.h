// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace peakwatch::sim {

// The demand over a run, in simulated time: how many orders an hour the whole catalogue receives,
// flash sales on chosen products, scheduled restocks, and how much stock the shops start with.
struct Scenario {
    struct RatePoint {
        qint64 atMs = 0;          // since the start of the scenario, simulated
        double ordersPerHour = 0; // over the whole catalogue; linear between points
    };
    struct FlashSale {
        qint64 startMs = 0;
        qint64 endMs = 0;
        double multiplier = 10;   // on the chosen products' demand
        int topProducts = 0;      // the N most popular products of each shop...
        QList<qint64> productIds; // ...and/or these products
    };
    struct Restock {
        qint64 atMs = 0;
        double fraction = 1.0; // of the products that are sold out or low then
        qint64 minUnits = 20;  // added per variant
        qint64 maxUnits = 120;
    };

    QString name;
    QString description;
    qint64 startAtMs = 0;         // wall-clock time the scenario starts at (its updated_at times)
    qint64 durationMs = 0;        // simulated length; 0 = endless (the curve's last value holds)
    double timeCompression = 60;  // simulated seconds per real second when paced by the scenario
    std::vector<RatePoint> curve; // at least one point
    std::vector<FlashSale> flashSales;
    std::vector<Restock> restocks;
    double restockChance = 0.02; // per order that finds its product sold out
    // How far a variant that allows overselling (inventory_policy "continue") is sold below zero, in units:
    // at -backorderLimit it stops selling, as a sold-out variant does, until it is restocked. 0 sells such a
    // variant no further than one that denies overselling.
    qint64 backorderLimit = 20;
    int shops = 3;
    int productsPerShop = 200;
    qint64 minStock = 10; // per variant
    qint64 maxStock = 200;
    int minVariants = 1;
    int maxVariants = 6;
    // Units per order: 0 keeps the default mix (70 % one unit, 20 % two, 10 % three to five); otherwise a
    // geometric number of units from 1 to maxUnitsPerOrder with about this mean (a few customers buy many).
    double meanUnitsPerOrder = 0;
    int maxUnitsPerOrder = 5;
    // How fast products go in and out of fashion: each product's share of its shop's sales follows a random
    // walk in log space with this standard deviation per square root of an hour (0: fixed shares).
    double popularityDrift = 0;
    // Shopify's side: how many locations each shop keeps stock at, which webhook topics a run sends (for each
    // order an orders/create, an inventory_levels/update per location it took stock from, a products/update), and
    // how long Shopify gathers a product's changes into one products/update (0: one per change).
    int locations = 1;
    bool sendsProductUpdates = true;
    bool sendsInventoryLevels = false;
    bool sendsOrders = false;
    qint64 coalesceMs = 0;

    // The topics a run sends, by Shopify's names ("products/update", "inventory_levels/update", "orders/create");
    // products/update must be among them. Returns what is wrong ("topics[1]: …"), empty when nothing is.
    QString setTopics(const QStringList &names);
    // As Shopify sends a shop's stock with `locations` locations: all three topics, products/update gathered for
    // 10 s. (The demo's and the simulator view's choice.)
    void useShopifysTopics(int locations = 3);

    // Orders per hour at `atMs` since the start (simulated).
    double ordersPerHourAt(qint64 atMs) const;
    double peakOrdersPerHour() const;
    // The same scenario starting `offsetMs` later (its curve, flash sales and restocks moved earlier).
    Scenario skipped(qint64 offsetMs) const;

    // The built-in scenarios: ordinary-day, black-friday, flash-sale, restocks, sell-out.
    static QStringList builtinNames();
    static Result<Scenario> builtin(const QString &name);
    // A scenario file (JSON); the error names the field that is wrong. See docs/scenarios.md.
    static Result<Scenario> fromJson(const QByteArray &json);
    // A built-in name, or the path of a scenario file.
    static Result<Scenario> load(const QString &nameOrPath);
};

} // namespace peakwatch::sim
