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
// An order and the stock decrease it causes arrive within this of each other (Shopify takes stock off when the
// order is placed), else they are not one sale.
constexpr qint64 kOrderMatchMs = 10 * 60 * 1000;
constexpr size_t kRememberedOrders = 200000; // orders remembered to recognise one delivered twice
// Stock sums are held within this (the parser keeps each count within 2^53): no sum over items overflows.
constexpr qint64 kMaxStock = qint64(1) << 60;
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
    m_shopLatestMs.push_back(std::numeric_limits<qint64>::min());
    m_ordersFlow.push_back(0);
    m_levelsFlow.push_back(0);
    m_shopByHash.emplace(h, index);
    return index;
}

InventoryEngine::Applied InventoryEngine::apply(const ParsedMessage &message, int partition)
{
    switch (message.topic) {
    case ShopifyTopic::ProductsUpdate: return applyProduct(message.product, message.variants, partition);
    case ShopifyTopic::InventoryLevelsUpdate: return applyLevel(message.level, partition);
    case ShopifyTopic::OrdersCreate: return applyOrder(message.order, partition);
    }
    return touchedOne(ApplyResult::Duplicate, nullptr);
}

InventoryEngine::Applied InventoryEngine::apply(const ProductEvent &event, int partition)
{
    return applyProduct(event, {}, partition);
}

InventoryEngine::Applied InventoryEngine::touchedOne(ApplyResult result, ProductState *s)
{
    m_touched.clear();
    if (s && result == ApplyResult::Accepted)
        m_touched.push_back(s);
    return {result, s, m_touched};
}

bool InventoryEngine::seenEvent(const ProductState &s, quint64 eventId) const
{
    return eventId != 0 && std::find(s.recentEvents.begin(), s.recentEvents.end(), eventId) != s.recentEvents.end();
}

void InventoryEngine::rememberEvent(ProductState &s, quint64 eventId)
{
    if (eventId == 0)
        return;
    s.recentEvents[s.recentEventNext] = eventId;
    s.recentEventNext = quint8((s.recentEventNext + 1) % s.recentEvents.size());
}

InventoryEngine::Applied InventoryEngine::applyProduct(const ProductEvent &event,
                                                       std::span<const VariantStock> variants, int partition)
{
    const ProductKey key{shopIndex(event.shop), event.productId};
    auto [it, inserted] = m_products.try_emplace(key);
    ProductState &s = it->second;

    if (!inserted) {
        if (seenEvent(s, event.eventId) || event.updatedAtMs == s.productUpdatedAtMs)
            return touchedOne(ApplyResult::Duplicate, &s);
        if (event.updatedAtMs < s.productUpdatedAtMs) {
            const bool seen = std::any_of(s.history.begin(), s.history.end(),
                                          [&](const HistoryPoint &p) { return p.atMs == event.updatedAtMs; });
            return touchedOne(seen ? ApplyResult::Duplicate : ApplyResult::OutOfOrder, &s);
        }
    } else {
        s.key = key;
    }

    if (std::string_view(s.title.constData(), size_t(s.title.size())) != event.title)
        s.title = QByteArray(event.title.data(), qsizetype(event.title.size()));
    if (std::string_view(s.handle.constData(), size_t(s.handle.size())) != event.handle)
        s.handle = QByteArray(event.handle.data(), qsizetype(event.handle.size()));
    s.minPrice = event.minPrice;
    s.maxPrice = event.maxPrice;
    s.hasPrice = event.hasPrice;
    s.partition = partition;
    s.productUpdatedAtMs = event.updatedAtMs;
    s.variantsNotSent = event.variantsNotSent;
    rememberEvent(s, event.eventId);

    bool tracked = event.tracked;
    // The item map is kept only for shops whose levels come: a shop that sends products/update alone costs no more
    // than before (items of products seen earlier are mapped by their next products/update; their levels wait).
    const qint64 quantity = variants.empty() || m_levelsFlow[key.shop] == 0
                                ? event.quantity
                                : mapItems(s, variants, event.updatedAtMs, tracked);
    // Levels newer than this update have moved the stock on since: it is recorded as of the latest change.
    recordStock(s, inserted, inserted ? event.updatedAtMs : std::max(event.updatedAtMs, s.updatedAtMs), quantity,
                tracked);
    if (inserted)
        if (const auto held = m_heldOrders.find(key); held != m_heldOrders.end()) {
            // Orders that came before the product's first products/update: its sales, already in its stock.
            if (m_ordersFlow[key.shop] != 0)
                for (const HeldOrderLine &line : held->second)
                    addOrderLine(s, line.atMs, line.units, line.partition);
            m_heldOrderLines -= held->second.size();
            m_heldOrders.erase(held);
        }
    return touchedOne(ApplyResult::Accepted, &s);
}

qint64 InventoryEngine::mapItems(ProductState &s, std::span<const VariantStock> variants, qint64 atMs, bool &tracked)
{
    // Items the product no longer lists (a variant deleted) are no longer its: their levels wait for a new owner.
    for (const qint64 old : s.items)
        if (std::none_of(variants.begin(), variants.end(),
                         [old](const VariantStock &v) { return v.inventoryItemId == old; }))
            if (InventoryItem *item = m_items.find(ItemKey{s.key.shop, old});
                item && item->productId == s.key.productId)
                item->productId = 0;
    s.items.clear();
    qint64 quantity = 0;
    tracked = false;
    for (const VariantStock &v : variants) {
        if (v.inventoryItemId == 0) { // an older payload names no item: the variant's own count
            if (v.tracked) {
                quantity += v.quantity;
                tracked = true;
            }
            continue;
        }
        const ItemKey itemKey{s.key.shop, v.inventoryItemId};
        bool created = false;
        InventoryItem &item = m_items.map(itemKey, s.key.productId, v.variantId, created);
        s.items.push_back(v.inventoryItemId);
        InventoryItems::takeProductTotal(item, v.quantity, v.tracked, atMs);
        for (const WaitingLevel &level : m_items.takeWaiting(itemKey)) {
            qint64 change = 0;
            InventoryItems::applyLevel(item, level, change);
        }
        if (item.tracked) {
            quantity += item.total;
            tracked = true;
        }
    }
    return std::clamp(quantity, -kMaxStock, kMaxStock);
}

InventoryEngine::Applied InventoryEngine::applyLevel(const InventoryLevelEvent &event, int partition)
{
    const ItemKey itemKey{shopIndex(event.shop), event.inventoryItemId};
    m_levelsFlow[itemKey.shop] = 1;
    const WaitingLevel level{event.locationId, event.available, event.tracked, event.updatedAtMs, partition};
    InventoryItem *item = m_items.find(itemKey);
    ProductState *s = nullptr;
    if (item && item->productId != 0) {
        const auto it = m_products.find(ProductKey{itemKey.shop, item->productId});
        s = it == m_products.end() ? nullptr : &it->second;
    }
    if (!s)
        return touchedOne(m_items.wait(itemKey, level) ? ApplyResult::Waiting : ApplyResult::Duplicate, nullptr);
    if (seenEvent(*s, event.eventId))
        return touchedOne(ApplyResult::Duplicate, s);
    qint64 change = 0;
    const bool wasTracked = item->tracked;
    switch (InventoryItems::applyLevel(*item, level, change)) {
    case LevelResult::Duplicate: return touchedOne(ApplyResult::Duplicate, s);
    case LevelResult::OutOfOrder: return touchedOne(ApplyResult::OutOfOrder, s);
    case LevelResult::Moved: break;
    }
    rememberEvent(*s, event.eventId);
    s->partition = partition;
    // Whether the product is tracked changes only with an item's own tracking (available null or not).
    bool tracked = s->tracked;
    if (item->tracked != wasTracked) {
        tracked = false;
        for (const qint64 id : s->items)
            if (const InventoryItem *i = m_items.find(ItemKey{itemKey.shop, id}); i && i->tracked)
                tracked = true;
    }
    // Locations report in any order: the product's clock only moves forward.
    recordStock(*s, false, std::max(event.updatedAtMs, s->updatedAtMs),
                std::clamp(s->quantity + change, -kMaxStock, kMaxStock), tracked);
    return touchedOne(ApplyResult::Accepted, s);
}

InventoryEngine::Applied InventoryEngine::applyOrder(const OrderEvent &order, int partition)
{
    const quint32 shop = shopIndex(order.shop);
    // One order is created once: two deliveries of it (two subscriptions, or a retry) are the same order.
    const quint64 id =
        order.orderId != 0
            ? fnv1a64(std::string_view(reinterpret_cast<const char *>(&order.orderId), sizeof order.orderId)) ^
                  (quint64(shop) * 0x9E3779B97F4A7C15ull)
            : order.eventId;
    if (id != 0) {
        if (!m_orders.try_emplace(id, partition).second)
            return touchedOne(ApplyResult::Duplicate, nullptr);
        m_orderAge.push_back(id);
        if (m_orderAge.size() > kRememberedOrders) {
            m_orders.erase(m_orderAge.front());
            m_orderAge.pop_front();
        }
    }
    m_ordersFlow[shop] = 1;
    m_touched.clear();
    ShopDemand &demand = m_shopDemand[shop];
    for (const OrderLine &line : order.lines) {
        if (line.quantity <= 0)
            continue;
        if (line.productId == 0) { // a custom item: demand, but no product's
            demand.observeSale(order.createdAtMs, line.quantity, m_params);
            ++m_customOrderLines;
            continue;
        }
        const auto it = m_products.find(ProductKey{shop, line.productId});
        if (it == m_products.end()) {
            // Its first products/update is still to come (Shopify gathers them): the line waits for it.
            if (m_heldOrderLines >= kMaxHeldOrderLines) {
                demand.observeSale(order.createdAtMs, line.quantity, m_params);
                ++m_orderLinesDropped;
                continue;
            }
            m_heldOrders[ProductKey{shop, line.productId}].push_back({order.createdAtMs, line.quantity, partition});
            ++m_heldOrderLines;
            ++m_orderLinesHeld;
            continue;
        }
        ProductState &s = it->second;
        addOrderLine(s, order.createdAtMs, line.quantity, partition);
        if (std::find(m_touched.begin(), m_touched.end(), &s) == m_touched.end())
            m_touched.push_back(&s);
    }
    advanceClock(shop, order.createdAtMs);
    settleOverdueChecks();
    return {ApplyResult::Accepted, m_touched.empty() ? nullptr : m_touched.front(), m_touched};
}

void InventoryEngine::addOrderLine(ProductState &s, qint64 atMs, qint64 units, int partition)
{
    ShopDemand &demand = m_shopDemand[s.key.shop];
    demand.observeSale(atMs, units, m_params);
    s.partition = partition;
    // The stock may show the sale already (a level or products/update as new as the order came first): then the
    // order explains a decrease seen, or the stock was first seen after it. Otherwise it waits to be taken off.
    const qint64 explained = std::min(units, s.unexplainedDecrease);
    s.unexplainedDecrease -= explained;
    if (atMs > s.stockAtMs)
        s.pendingOrderUnits = std::min(kMaxStock, s.pendingOrderUnits + units - explained);
    s.lastOrderAtMs = std::max(s.lastOrderAtMs, atMs);
    s.predictor.observeSale(atMs, units, m_params);
    s.share.observe(atMs, units, demand.cumulativeDemand(), s.unitsLeft(), m_params);
    const double share = s.share.currentShare(m_params);
    const bool inStock = s.share.inStock();
    demand.updateProduct(s.share.reportedShare(), inStock, share, inStock);
    s.share.setReportedShare(share);
    s.updatedAtMs = std::max(s.updatedAtMs, atMs);
}

void InventoryEngine::recordStock(ProductState &s, bool first, qint64 atMs, qint64 quantity, bool tracked)
{
    s.previousQuantity = first ? quantity : s.quantity;
    s.tracked = tracked;
    s.quantity = quantity;
    s.updatedAtMs = atMs;
    s.stockAtMs = atMs;

    const HistoryPoint point{atMs, quantity};
    HistoryPoint *last =
        s.history.empty() ? nullptr : &s.history[(s.historyStart + s.history.size() - 1) % s.history.size()];
    if (last && last->atMs == atMs) {
        last->quantity = quantity; // several locations at one instant: one point
    } else if (s.history.size() < size_t(m_historyCapacity)) {
        s.history.push_back(point);
        ++m_historyPoints;
    } else {
        s.history[s.historyStart] = point;
        s.historyStart = (s.historyStart + 1) % quint32(s.history.size());
    }
    if (!s.tracked)
        return;
    ShopDemand &shop = m_shopDemand[s.key.shop];
    const bool ordersFlow = m_ordersFlow[s.key.shop] != 0;
    const qint64 decrease = first ? 0 : std::max<qint64>(0, s.previousQuantity - quantity);
    qint64 sold = decrease;
    if (ordersFlow) {
        // Sales were counted when ordered: a decrease takes off what orders are waiting for, and the rest waits
        // for an order to explain it. What waits longer than the matching window is dropped from both.
        if (s.pendingOrderUnits > 0 && atMs - s.lastOrderAtMs > kOrderMatchMs)
            s.pendingOrderUnits = 0;
        if (s.unexplainedDecrease > 0 && atMs - s.lastDecreaseAtMs > kOrderMatchMs) {
            m_adjustedUnits += s.unexplainedDecrease;
            s.unexplainedDecrease = 0;
        }
        const qint64 matched = std::min(decrease, s.pendingOrderUnits);
        s.pendingOrderUnits -= matched;
        if (decrease > matched) {
            s.unexplainedDecrease = std::min(kMaxStock, s.unexplainedDecrease + decrease - matched);
            s.lastDecreaseAtMs = atMs;
        }
        sold = 0;
    }
    // The shop first, so that the product's share counts its own sale among the shop's.
    shop.observeSale(atMs, sold, m_params);
    s.predictor.observe(atMs, quantity, m_params, !ordersFlow);
    const bool wasInStock = s.share.inStock();
    s.share.observe(atMs, sold, shop.cumulativeDemand(), s.unitsLeft(), m_params);
    const double share = s.share.currentShare(m_params);
    shop.updateProduct(s.share.reportedShare(), wasInStock, share, s.share.inStock());
    s.share.setReportedShare(share);
    // Now and then, keep the interval the product is given, to judge it once its latest end has passed.
    if (s.unitsLeft() > 0 && atMs - s.checkedAtMs >= kCheckSpacingMs && m_checks.size() < kMaxChecks) {
        s.checkedAtMs = atMs;
        // Only sell-outs a store manager is shown as near: the quantiles cost a few microseconds each.
        SelloutForecast f = forecastSellout(s, shop, m_params, atMs, false);
        if (f.selloutAtMs && *f.selloutAtMs - atMs <= kCheckedHorizonMs) {
            f.fillInterval();
            if (f.earliestMs && f.latestMs)
                m_checks.push({*f.latestMs, *f.earliestMs, atMs, s.key});
        }
    }
    advanceClock(s.key.shop, atMs);
    settleOverdueChecks();
}

std::vector<ProductLocation> InventoryEngine::locationsOf(const ProductState &state, qint64 &unreported) const
{
    std::vector<ProductLocation> out;
    unreported = 0;
    for (const qint64 id : state.items) {
        const InventoryItem *item = m_items.find(ItemKey{state.key.shop, id});
        if (!item || !item->tracked || item->productId != state.key.productId)
            continue;
        unreported += item->unreported;
        for (const LocationLevel &level : item->levels) {
            const auto at =
                std::lower_bound(out.begin(), out.end(), level.locationId,
                                 [](const ProductLocation &l, qint64 location) { return l.locationId < location; });
            if (at != out.end() && at->locationId == level.locationId)
                at->available += level.available;
            else
                out.insert(at, ProductLocation{level.locationId, level.available});
        }
    }
    if (out.empty())
        unreported = 0;
    return out;
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
    // Its new owner reads it again from the start: the products' items, the levels held for items and the orders
    // seen go with the products, or the partition read again would meet them as already known.
    m_items.dropWaiting(partition);
    std::erase_if(m_orders, [partition](const auto &entry) { return entry.second == partition; });
    for (auto it = m_heldOrders.begin(); it != m_heldOrders.end();) {
        m_heldOrderLines -=
            size_t(std::erase_if(it->second, [partition](const HeldOrderLine &l) { return l.partition == partition; }));
        it = it->second.empty() ? m_heldOrders.erase(it) : std::next(it);
    }
    std::vector<quint32> shops; // of the products dropped
    const size_t dropped = std::erase_if(m_products, [this, partition, &shops](const auto &entry) {
        if (entry.second.partition != partition)
            return false;
        for (const qint64 item : entry.second.items)
            m_items.forget(ItemKey{entry.first.shop, item});
        m_historyPoints -= entry.second.history.size();
        shops.push_back(entry.first.shop);
        return true;
    });
    // A shop none of whose products remain starts again: its demand and its clock were learnt from the partition
    // now gone (a shop's webhooks share one), and whoever reads it next learns them again from its start. Kept,
    // they would count its sales twice if it came back here.
    std::sort(shops.begin(), shops.end());
    shops.erase(std::unique(shops.begin(), shops.end()), shops.end());
    for (const auto &[key, state] : m_products)
        if (const auto it = std::lower_bound(shops.begin(), shops.end(), key.shop);
            it != shops.end() && *it == key.shop)
            shops.erase(it);
    for (const quint32 shop : shops) {
        m_shopDemand[shop] = ShopDemand();
        m_shopLatestMs[shop] = std::numeric_limits<qint64>::min();
    }
    return dropped;
}

} // namespace peakwatch
