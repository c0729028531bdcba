// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "sales_simulator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <numeric>

namespace peakwatch::sim {
namespace {
constexpr qint64 kDriftStepMs = 10 * 60 * 1000; // popularity drifts in steps of 10 simulated minutes
} // namespace

SalesSimulator::SalesSimulator(Catalog &catalog, Options options)
    : m_catalog(catalog)
    , m_rng(options.seed)
{
    m_scenario.name = QStringLiteral("flat");
    m_scenario.startAtMs = options.startMs;
    m_scenario.curve = {{0, options.ordersPerHour}};
    m_scenario.restockChance = options.restockChance;
    m_scenario.backorderLimit = options.backorderLimit;
    init();
}

SalesSimulator::SalesSimulator(Catalog &catalog, const Scenario &scenario, quint64 seed)
    : m_catalog(catalog)
    , m_scenario(scenario)
    , m_rng(seed)
{
    init();
}

void SalesSimulator::init()
{
    m_nowMs = m_scenario.startAtMs;
    const double shops = double(std::max<size_t>(1, m_catalog.shops().size()));
    for (SimShop &shop : m_catalog.shops())
        for (SimProduct &product : shop.products) {
            m_index.emplace(&product, m_products.size());
            m_products.push_back({&shop, &product, product.popularity / shops});
        }
    m_saleActive.assign(m_scenario.flashSales.size(), false);
    initUnitsPerOrder();
    m_nextDriftAtMs = m_nowMs + kDriftStepMs;

    // The most demand flash sales can add, for the thinning bound.
    double maxBoost = 1;
    for (const Scenario::FlashSale &sale : m_scenario.flashSales) {
        double share = 0;
        for (const SimShop &shop : m_catalog.shops()) {
            std::vector<double> popularity;
            for (const SimProduct &p : shop.products)
                popularity.push_back(p.popularity);
            std::sort(popularity.rbegin(), popularity.rend());
            for (int i = 0; i < sale.topProducts && i < int(popularity.size()); ++i)
                share += popularity[size_t(i)] / shops;
            for (const SimProduct &p : shop.products)
                if (sale.productIds.contains(p.id))
                    share += p.popularity / shops;
        }
        // Shares that drift may grow to the whole shop's.
        maxBoost += (sale.multiplier - 1) * (m_scenario.popularityDrift > 0 ? 1.0 : std::min(1.0, share));
    }
    m_maxRate = std::max(1e-9, m_scenario.peakOrdersPerHour() * maxBoost);
    updateFlashSales();
}

void SalesSimulator::initUnitsPerOrder()
{
    if (m_scenario.meanUnitsPerOrder <= 0)
        return;
    // A geometric distribution truncated at the maximum: P(k) proportional to q^(k-1). Find q by bisection so
    // that the truncated mean is the scenario's.
    const int max = std::max(1, m_scenario.maxUnitsPerOrder);
    auto table = [max](double q, std::vector<double> &cumulative) {
        cumulative.assign(size_t(max), 0);
        double total = 0, weighted = 0, w = 1;
        for (int k = 1; k <= max; ++k, w *= q) {
            total += w;
            weighted += k * w;
            cumulative[size_t(k - 1)] = total;
        }
        for (double &c : cumulative)
            c /= total;
        return weighted / total;
    };
    double lo = 0, hi = 1;
    for (int i = 0; i < 60; ++i) {
        const double q = (lo + hi) / 2;
        (table(q, m_unitsCumulative) < m_scenario.meanUnitsPerOrder ? lo : hi) = q;
    }
    m_meanUnits = table((lo + hi) / 2, m_unitsCumulative);
}

qint64 SalesSimulator::drawUnits()
{
    const double r = std::uniform_real_distribution<double>(0, 1)(m_rng);
    if (m_unitsCumulative.empty())
        return r < 0.7 ? 1 : r < 0.9 ? 2 : std::uniform_int_distribution<qint64>(3, 5)(m_rng);
    return qint64(std::lower_bound(m_unitsCumulative.begin(), m_unitsCumulative.end(), r) - m_unitsCumulative.begin()) +
           1;
}

void SalesSimulator::driftPopularity()
{
    // Each product's share takes a step of a random walk in log space (with no drift of the mean), then the
    // shares of each shop are scaled back to the shop's total, so the demand curve still holds.
    const double hours = double(kDriftStepMs) / 3600000.0;
    const double sigma = m_scenario.popularityDrift * std::sqrt(hours);
    std::normal_distribution<double> step(-sigma * sigma / 2, sigma);
    std::unordered_map<const SimShop *, std::pair<double, double>> totals; // before, after
    for (Entry &e : m_products) {
        auto &[before, after] = totals[e.shop];
        before += e.popularity;
        e.popularity *= std::exp(step(m_rng));
        after += e.popularity;
    }
    for (Entry &e : m_products) {
        const auto &[before, after] = totals[e.shop];
        e.popularity *= before / after;
    }
    m_weightsChanged = true;
}

void SalesSimulator::updateFlashSales()
{
    const qint64 offset = m_nowMs - m_scenario.startAtMs;
    bool changed = m_cumulative.empty() || m_weightsChanged;
    m_weightsChanged = false;
    for (size_t i = 0; i < m_scenario.flashSales.size(); ++i) {
        const auto &sale = m_scenario.flashSales[i];
        const bool active = offset >= sale.startMs && offset < sale.endMs;
        changed |= active != m_saleActive[i];
        m_saleActive[i] = active;
    }
    if (!changed)
        return;
    for (Entry &e : m_products)
        e.multiplier = 1;
    for (size_t i = 0; i < m_scenario.flashSales.size(); ++i) {
        if (!m_saleActive[i])
            continue;
        const auto &sale = m_scenario.flashSales[i];
        for (SimShop &shop : m_catalog.shops()) {
            std::vector<const SimProduct *> byPopularity;
            for (const SimProduct &p : shop.products)
                byPopularity.push_back(&p);
            std::sort(byPopularity.begin(), byPopularity.end(),
                      [](const SimProduct *a, const SimProduct *b) { return a->popularity > b->popularity; });
            byPopularity.resize(std::min(byPopularity.size(), size_t(sale.topProducts)));
            for (Entry &e : m_products)
                if (e.shop == &shop &&
                    (std::find(byPopularity.begin(), byPopularity.end(), e.product) != byPopularity.end() ||
                     sale.productIds.contains(e.product->id)))
                    e.multiplier = std::max(e.multiplier, sale.multiplier);
        }
    }
    m_cumulative.clear();
    double total = 0;
    for (const Entry &e : m_products) {
        total += e.popularity * e.multiplier;
        m_cumulative.push_back(total);
    }
}

double SalesSimulator::boost() const
{
    return m_cumulative.empty() ? 1 : m_cumulative.back();
}

double SalesSimulator::expectedUnitsPerHour(const SimProduct &product) const
{
    const auto it = m_index.find(&product);
    if (it == m_index.end())
        return 0;
    const Entry &e = m_products[it->second];
    return m_scenario.ordersPerHourAt(m_nowMs - m_scenario.startAtMs) * e.popularity * e.multiplier * m_meanUnits;
}

QByteArray SalesSimulator::newWebhookId()
{
    // A version-4 UUID, written by hand from a byte-to-hex table: this runs twice for every webhook.
    static constexpr auto kHex = [] {
        std::array<char, 512> table{};
        constexpr char digits[] = "0123456789abcdef";
        for (int i = 0; i < 256; ++i) {
            table[size_t(2 * i)] = digits[i >> 4];
            table[size_t(2 * i + 1)] = digits[i & 15];
        }
        return table;
    }();
    quint64 a = m_rng(), b = m_rng();
    a = (a & ~0xf000ull) | 0x4000ull;                        // version 4
    b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull; // RFC 4122 variant
    unsigned char bytes[16];
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<unsigned char>(a >> (56 - 8 * i));
        bytes[8 + i] = static_cast<unsigned char>(b >> (56 - 8 * i));
    }
    QByteArray out(36, Qt::Uninitialized);
    char *p = out.data();
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        std::memcpy(p, &kHex[size_t(2 * bytes[i])], 2);
        p += 2;
    }
    return out;
}

void SalesSimulator::restock(SimShop *shop, SimProduct *product, qint64 minUnits, qint64 maxUnits)
{
    // Shopify's updated_at has whole seconds: keep it increasing per product.
    const qint64 at = std::max(m_nowMs, product->updatedAtMs + 1000) / 1000 * 1000;
    Change change{shop, product, at, 0, true};
    for (SimVariant &v : product->variants) {
        v.previousQuantity = v.quantity;
        const qint64 added = std::uniform_int_distribution<qint64>(minUnits, maxUnits)(m_rng);
        v.quantity = std::max<qint64>(v.quantity, 0) + added;
        // Restocks arrive at the first location; a backorder there is filled first.
        v.stockAt[0] = std::max<qint64>(v.stockAt[0], 0) + added;
        change.locations.push_back({&v, 0});
    }
    product->updatedAtMs = at;
    m_pending.push_back(std::move(change));
}

bool SalesSimulator::runScheduledRestock()
{
    if (m_nextRestock >= m_scenario.restocks.size() ||
        m_nowMs - m_scenario.startAtMs < m_scenario.restocks[m_nextRestock].atMs)
        return false;
    const Scenario::Restock &r = m_scenario.restocks[m_nextRestock++];
    std::uniform_real_distribution<double> unit(0, 1);
    for (Entry &e : m_products) {
        // Sold out, or low: under a fifth of what a variant starts with at the least.
        const qint64 low = std::max<qint64>(1, qint64(e.product->variants.size()) * m_scenario.minStock / 5 + 1);
        if (e.product->quantity() <= low && unit(m_rng) < r.fraction)
            restock(e.shop, e.product, r.minUnits, r.maxUnits);
    }
    return true;
}

SalesSimulator::Change SalesSimulator::next()
{
    std::exponential_distribution<double> gap(m_maxRate / 3600000.0);
    std::uniform_real_distribution<double> unit(0, 1);
    // An order that finds its product sold out changes nothing; after many in a row (everything is sold
    // out and restocks are rare or off) the product it found is restocked, so this always returns.
    for (int attempt = 0;; ++attempt) {
        if (!m_pending.empty()) {
            const Change change = m_pending.front();
            m_pending.pop_front();
            return change;
        }
        if (m_finished)
            return {};
        m_nowMs += std::max<qint64>(1, qint64(gap(m_rng)));
        if (m_scenario.durationMs > 0 && m_nowMs - m_scenario.startAtMs > m_scenario.durationMs) {
            m_finished = true;
            return {};
        }
        if (runScheduledRestock())
            continue;
        if (m_scenario.popularityDrift > 0 && m_nowMs >= m_nextDriftAtMs) {
            driftPopularity();
            m_nextDriftAtMs += kDriftStepMs;
        }
        updateFlashSales();
        // Thinning: accept the candidate time with the demand's share of the bound.
        const double rate = m_scenario.ordersPerHourAt(m_nowMs - m_scenario.startAtMs) * boost();
        if (unit(m_rng) * m_maxRate > rate)
            continue;
        const double pick = unit(m_rng) * m_cumulative.back();
        const size_t index =
            size_t(std::lower_bound(m_cumulative.begin(), m_cumulative.end(), pick) - m_cumulative.begin());
        const Entry &e = m_products[std::min(index, m_products.size() - 1)];
        SimProduct *product = e.product;

        std::vector<SimVariant *> &available = m_available;
        available.clear();
        // A variant that allows overselling sells on below zero, down to the scenario's backorder limit.
        auto floorOf = [this](const SimVariant &v) { return v.allowOversell ? -m_scenario.backorderLimit : 0; };
        for (SimVariant &v : product->variants)
            if (v.quantity > floorOf(v))
                available.push_back(&v);
        if (available.empty()) {
            if (unit(m_rng) < m_scenario.restockChance || attempt >= 10000)
                restock(e.shop, product, 20, 120);
            continue; // the order finds it sold out: nothing changes, no webhook
        }
        SimVariant *variant = available[std::uniform_int_distribution<size_t>(0, available.size() - 1)(m_rng)];
        const qint64 units = std::min(drawUnits(), variant->quantity - floorOf(*variant));
        for (SimVariant &v : product->variants)
            v.previousQuantity = v.quantity;
        variant->quantity -= units;
        product->updatedAtMs = std::max(m_nowMs, product->updatedAtMs + 1000) / 1000 * 1000;
        Change change{e.shop, product, product->updatedAtMs, units, false};
        change.variant = variant;
        change.orderNumber = 1001 + m_orders++;
        // Order ids as Shopify's documented example has them, above 2^53: exact only as 64-bit integers.
        change.orderId = 820982911946154508 + change.orderNumber * 7;
        // Taken from the locations in their order, as far as each has units; a backorder from the first.
        qint64 left = units;
        for (size_t l = 0; l < variant->stockAt.size() && left > 0; ++l) {
            const qint64 take = std::min(left, std::max<qint64>(0, variant->stockAt[l]));
            if (take > 0) {
                variant->stockAt[l] -= take;
                left -= take;
                change.locations.push_back({variant, int(l)});
            }
        }
        if (left > 0) {
            variant->stockAt[0] -= left;
            if (std::none_of(change.locations.begin(), change.locations.end(),
                             [](const LocationChange &c) { return c.location == 0; }))
                change.locations.push_back({variant, 0});
        }
        return change;
    }
}

} // namespace peakwatch::sim
