#include "sales_simulator.h"

#include <algorithm>
#include <cstdio>

namespace peakwatch::sim {

SalesSimulator::SalesSimulator(Catalog &catalog, Options options)
    : m_catalog(catalog)
    , m_options(options)
    , m_rng(options.seed)
    , m_nowMs(options.startMs)
{
    double total = 0;
    for (SimShop &shop : m_catalog.shops()) {
        for (SimProduct &product : shop.products) {
            total += product.popularity;
            m_cumulative.push_back(total);
            m_products.emplace_back(&shop, &product);
        }
    }
}

QByteArray SalesSimulator::newWebhookId()
{
    const quint64 a = m_rng(), b = m_rng();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", unsigned(a >> 32), unsigned(a >> 16) & 0xffff,
                  unsigned(a) & 0xfff, unsigned(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffull));
    return QByteArray(buf);
}

SalesSimulator::Change SalesSimulator::next()
{
    std::exponential_distribution<double> gap(m_options.ordersPerHour / 3600000.0);
    std::uniform_real_distribution<double> unit(0, 1);
    // An order that finds its product sold out changes nothing; after many in a row (everything is sold
    // out and restocks are rare or off) the product it found is restocked, so this always returns.
    for (int attempt = 0;; ++attempt) {
        m_nowMs += std::max<qint64>(1, qint64(gap(m_rng)));
        const double pick = unit(m_rng) * m_cumulative.back();
        const size_t index =
            size_t(std::lower_bound(m_cumulative.begin(), m_cumulative.end(), pick) - m_cumulative.begin());
        auto [shop, product] = m_products[std::min(index, m_products.size() - 1)];
        // Shopify's updated_at has whole seconds: keep it increasing per product.
        const qint64 at = std::max(m_nowMs, product->updatedAtMs + 1000) / 1000 * 1000;

        std::vector<SimVariant *> available;
        for (SimVariant &v : product->variants)
            if (v.quantity > 0 || v.allowOversell)
                available.push_back(&v);
        if (available.empty()) {
            if (unit(m_rng) >= m_options.restockChance && attempt < 10000)
                continue; // the order finds it sold out: nothing changes, no webhook
            for (SimVariant &v : product->variants) {
                v.previousQuantity = v.quantity;
                v.quantity += std::uniform_int_distribution<qint64>(20, 120)(m_rng);
            }
            product->updatedAtMs = at;
            return {shop, product, at, 0};
        }
        SimVariant *variant = available[std::uniform_int_distribution<size_t>(0, available.size() - 1)(m_rng)];
        const double r = unit(m_rng);
        qint64 units = r < 0.7 ? 1 : r < 0.9 ? 2 : std::uniform_int_distribution<qint64>(3, 5)(m_rng);
        if (!variant->allowOversell)
            units = std::min(units, variant->quantity);
        for (SimVariant &v : product->variants)
            v.previousQuantity = v.quantity;
        variant->quantity -= units;
        product->updatedAtMs = at;
        return {shop, product, at, units};
    }
}

} // namespace peakwatch::sim
