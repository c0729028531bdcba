// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "inventory_engine.h"

#include "sellout_forecast.h"

#include <algorithm>

namespace peakwatch {
namespace {
constexpr qint64 kCheckSpacingMs = 10 * 60 * 1000;       // a product's intervals are judged at most this often
constexpr size_t kMaxChecks = 200000;                    // intervals waiting to be judged, at most
constexpr qint64 kCheckedHorizonMs = 6 * 60 * 60 * 1000; // intervals judged: of sell-outs predicted this close
} // namespace

std::vector<HistoryPoint> ProductState::historyInOrder() const
{
    std::vector<HistoryPoint> out;
    out.reserve(history.size());
    out.insert(out.end(), history.begin() + historyStart, history.end());
    out.insert(out.end(), history.begin(), history.begin() + historyStart);
    return out;
}

InventoryEngine::InventoryEngine(PredictorParams params, int historyCapacity)
    : m_params(params)
    , m_historyCapacity(std::max(2, historyCapacity))
{}

int InventoryEngine::findShop(std::string_view shop) const
{
    // Open addressing over the 64-bit hash: a collision moves to the next hash value.
    for (quint64 h = fnv1a64(shop);; ++h) {
        const auto it = m_shopByHash.find(h);
        if (it == m_shopByHash.end())
            return -1;
        const QByteArray &name = m_shops[it->second];
        if (std::string_view(name.constData(), size_t(name.size())) == shop)
            return int(it->second);
    }
}

quint32 InventoryEngine::shopIndex(std::string_view shop)
{
    quint64 h = fnv1a64(shop);
    for (;; ++h) {
        const auto it = m_shopByHash.find(h);
        if (it == m_shopByHash.end())
            break;
        const QByteArray &name = m_shops[it->second];
        if (std::string_view(name.constData(), size_t(name.size())) == shop)
            return it->second;
    }
    const auto index = quint32(m_shops.size());
    m_shops.emplace_back(shop.data(), qsizetype(shop.size()));
    m_shopDemand.emplace_back();
    m_shopByHash.emplace(h, index);
    return index;
}

InventoryEngine::Applied InventoryEngine::apply(const ProductEvent &event, int partition)
{
    const ProductKey key{shopIndex(event.shop), event.productId};
    auto [it, inserted] = m_products.try_emplace(key);
    ProductState &s = it->second;

    if (!inserted) {
        if (event.eventId != 0 &&
            std::find(s.recentEvents.begin(), s.recentEvents.end(), event.eventId) != s.recentEvents.end())
            return {ApplyResult::Duplicate, &s};
        if (event.updatedAtMs == s.updatedAtMs)
            return {ApplyResult::Duplicate, &s};
        if (event.updatedAtMs < s.updatedAtMs) {
            const bool seen = std::any_of(s.history.begin(), s.history.end(),
                                          [&](const HistoryPoint &p) { return p.atMs == event.updatedAtMs; });
            return {seen ? ApplyResult::Duplicate : ApplyResult::OutOfOrder, &s};
        }
    } else {
        s.key = key;
        s.previousQuantity = event.quantity;
    }

    if (!inserted)
        s.previousQuantity = s.quantity;
    if (std::string_view(s.title.constData(), size_t(s.title.size())) != event.title)
        s.title = QByteArray(event.title.data(), qsizetype(event.title.size()));
    if (std::string_view(s.handle.constData(), size_t(s.handle.size())) != event.handle)
        s.handle = QByteArray(event.handle.data(), qsizetype(event.handle.size()));
    s.minPrice = event.minPrice;
    s.maxPrice = event.maxPrice;
    s.hasPrice = event.hasPrice;
    s.tracked = event.tracked;
    s.quantity = event.quantity;
    s.updatedAtMs = event.updatedAtMs;
    s.partition = partition;
    if (event.eventId != 0) {
        s.recentEvents[s.recentEventNext] = event.eventId;
        s.recentEventNext = quint8((s.recentEventNext + 1) % s.recentEvents.size());
    }

    const HistoryPoint point{event.updatedAtMs, event.quantity};
    if (s.history.size() < size_t(m_historyCapacity)) {
        s.history.push_back(point);
        ++m_historyPoints;
    } else {
        s.history[s.historyStart] = point;
        s.historyStart = (s.historyStart + 1) % quint32(s.history.size());
    }
    if (s.tracked) {
        // The shop first, so that the product's share counts its own sale among the shop's.
        ShopDemand &shop = m_shopDemand[key.shop];
        const qint64 sold = inserted ? 0 : std::max<qint64>(0, s.previousQuantity - event.quantity);
        shop.observeSale(event.updatedAtMs, sold, m_params);
        s.predictor.observe(event.updatedAtMs, event.quantity, m_params);
        const bool wasInStock = s.share.inStock();
        s.share.observe(event.updatedAtMs, sold, shop.cumulativeDemand(), event.quantity, m_params);
        const double share = s.share.currentShare(m_params);
        shop.updateProduct(s.share.reportedShare(), wasInStock, share, s.share.inStock());
        s.share.setReportedShare(share);
        // Now and then, keep the interval the product is given, to judge it once its latest end has passed.
        if (event.quantity > 0 && event.updatedAtMs - s.checkedAtMs >= kCheckSpacingMs &&
            m_checks.size() < kMaxChecks) {
            s.checkedAtMs = event.updatedAtMs;
            // Only sell-outs a store manager is shown as near: the quantiles cost a few microseconds each.
            SelloutForecast f = forecastSellout(s, shop, m_params, event.updatedAtMs, false);
            if (f.selloutAtMs && *f.selloutAtMs - event.updatedAtMs <= kCheckedHorizonMs) {
                f.fillInterval();
                if (f.earliestMs && f.latestMs)
                    m_checks.push({*f.latestMs, *f.earliestMs, event.updatedAtMs, key});
            }
        }
    }

    m_watermarkMs = std::max(m_watermarkMs, event.updatedAtMs);
    settleOverdueChecks();
    return {ApplyResult::Accepted, &s};
}

void InventoryEngine::settleOverdueChecks()
{
    while (!m_checks.empty() && m_checks.top().latestMs < m_watermarkMs) {
        const Check check = m_checks.top();
        m_checks.pop();
        const auto it = m_products.find(check.key);
        if (it == m_products.end())
            continue;
        // What became of the product from the check to its latest end, from the history.
        const std::vector<HistoryPoint> history = it->second.historyInOrder();
        if (history.empty() || history.front().atMs > check.madeAtMs)
            continue; // the history no longer reaches back to the check
        qint64 soldOutAt = 0;
        qint64 previous = history.front().quantity;
        bool restocked = false;
        for (const HistoryPoint &p : history) {
            if (p.atMs > check.madeAtMs && p.atMs <= check.latestMs) {
                if (p.quantity <= 0) {
                    soldOutAt = p.atMs;
                    break;
                }
                restocked |= p.quantity > previous;
            }
            previous = p.quantity;
        }
        if (restocked && soldOutAt == 0)
            continue; // restocked before it could sell out: nothing to judge
        m_audit.judge(check.earliestMs, check.latestMs, soldOutAt);
    }
}

const ProductState *InventoryEngine::find(std::string_view shop, qint64 productId) const
{
    const int index = findShop(shop);
    if (index < 0)
        return nullptr;
    const auto it = m_products.find(ProductKey{quint32(index), productId});
    return it == m_products.end() ? nullptr : &it->second;
}

std::vector<const ProductState *> InventoryEngine::sortedProducts() const
{
    std::vector<const ProductState *> out;
    out.reserve(m_products.size());
    for (const auto &[key, state] : m_products)
        out.push_back(&state);
    std::sort(out.begin(), out.end(), [this](const ProductState *a, const ProductState *b) {
        if (a->key.shop != b->key.shop) {
            const int c = m_shops[a->key.shop].compare(m_shops[b->key.shop]);
            if (c != 0)
                return c < 0;
        }
        return a->key.productId < b->key.productId;
    });
    return out;
}

void InventoryEngine::forEach(const std::function<void(const ProductState &)> &visit) const
{
    for (const auto &[key, state] : m_products)
        visit(state);
}

size_t InventoryEngine::dropPartition(int partition)
{
    return std::erase_if(m_products, [this, partition](const auto &entry) {
        if (entry.second.partition != partition)
            return false;
        m_historyPoints -= entry.second.history.size();
        return true;
    });
}

} // namespace peakwatch
