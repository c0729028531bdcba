// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rule_state.h"
#include "interval_audit.h"
#include "inventory_items.h"
#include "product_event.h"
#include "product_share.h"
#include "product_snapshot.h"
#include "sellout_predictor.h"
#include "shop_demand.h"
#include "shopify_event.h"

#include <QByteArray>

#include <functional>
#include <deque>
#include <queue>
#include <span>
#include <unordered_map>
#include <vector>

namespace peakwatch {

struct ProductKey {
    quint32 shop = 0; // index into the engine's shop names
    qint64 productId = 0;
    bool operator==(const ProductKey &) const = default;
};

struct ProductKeyHash {
    size_t operator()(const ProductKey &k) const noexcept
    {
        return std::hash<quint64>{}(quint64(k.productId) * 0x9E3779B97F4A7C15ull ^ k.shop);
    }
};

struct HistoryPoint {
    qint64 atMs = 0;
    qint64 quantity = 0;
};

// Everything the engine knows of one (shop, product).
struct ProductState {
    ProductKey key;
    QByteArray title;  // UTF-8
    QByteArray handle; // empty when the payload has none
    Money minPrice = 0;
    Money maxPrice = 0;
    bool hasPrice = false;
    bool tracked = false;
    qint64 quantity = 0;
    qint64 previousQuantity = 0;   // before the latest accepted event
    qint64 updatedAtMs = 0;        // its latest change, of any kind
    qint64 productUpdatedAtMs = 0; // its latest products/update
    qint32 variantsNotSent = 0;    // of its latest products/update (ProductEvent::variantsNotSent)
    qint32 partition = -1;
    std::vector<qint64> items; // its variants' inventory items, as its latest products/update listed them
    // Where orders flow: units ordered that no stock update has taken off yet, and stock taken off that no order
    // explains yet (an adjustment, or an order still on its way).
    qint64 pendingOrderUnits = 0;
    qint64 unexplainedDecrease = 0;
    qint64 lastOrderAtMs = 0;
    qint64 stockAtMs = 0; // the time of the stock last recorded (updatedAtMs moves with orders too)
    qint64 lastDecreaseAtMs = 0;
    SelloutPredictor predictor; // the product's own sales rate
    ProductShare share;         // its share of the shop's sales
    qint64 checkedAtMs = 0;     // event time its sell-out interval was last taken to be judged (0: never)
    AlertRuleState alerts;
    // Bounded history, oldest first once full: a ring starting at historyStart.
    std::vector<HistoryPoint> history;
    quint32 historyStart = 0;
    // The last few event ids seen (ProductEvent::eventId), to recognise redeliveries and the same event twice.
    std::array<quint64, 4> recentEvents{};
    quint8 recentEventNext = 0;

    // The history in time order.
    std::vector<HistoryPoint> historyInOrder() const;
    // The units a sell-out is counted down from: the stock less what was ordered and is not taken off it yet.
    qint64 unitsLeft() const { return quantity - pendingOrderUnits; }
};

// What became of a message. Waiting: an inventory level for an item no products/update has named yet, kept until
// one does.
enum class ApplyResult { Accepted, Duplicate, OutOfOrder, Waiting };

// Keeps the live state of every product: latest snapshot, bounded history and predictor.
//
// Three Shopify topics feed it. products/update gives a product's variants, prices and stock summed over
// locations, and maps its variants' inventory items to it. inventory_levels/update gives one item's units at one
// location; the product's stock moves by each level's change (inventory_items.h). orders/create says what sold:
// once a shop's orders flow, its sales are counted from them when they are placed, and a stock decrease that
// follows an order is not counted again (one no order explains is an adjustment, not a sale).
//
// Out-of-order events (older than what the same product, location or order said) and duplicates (same event id,
// or same product and updated_at, same level, same order) change nothing. The same product id in two shops is two
// products. No I/O, no threads.
class InventoryEngine final {
public:
    static constexpr int kDefaultHistoryCapacity = 512;

    explicit InventoryEngine(PredictorParams params = {}, int historyCapacity = kDefaultHistoryCapacity);
    Q_DISABLE_COPY_MOVE(InventoryEngine)

    struct Applied {
        ApplyResult result;
        ProductState *state;                    // the (first) product the message is about; null when none is known
        std::span<ProductState *const> touched; // every product it changed (an order's lines), until the next apply
    };
    Applied apply(const ParsedMessage &message, int partition = -1);
    // A products/update without a variant list (as the Spark job's rows are).
    Applied apply(const ProductEvent &event, int partition = -1);

    // The product's units per location, by location id; `unreported` gets the units its latest products/update
    // counts at locations no level has come from. Empty when no location has reported.
    std::vector<ProductLocation> locationsOf(const ProductState &state, qint64 &unreported) const;
    const InventoryItems &items() const { return m_items; }
    // Whether orders/create messages of the shop have been seen (its sales are then counted from them).
    bool ordersFlow(quint32 shop) const { return m_ordersFlow[shop] != 0; }
    // Order lines for products not seen yet wait (bounded) for the product's first products/update, and are then
    // its sales; lines of custom items (no product) count in the shop's demand only.
    qint64 orderLinesHeld() const { return m_orderLinesHeld; }       // ever held
    size_t orderLinesWaiting() const { return m_heldOrderLines; }    // held now
    qint64 orderLinesDropped() const { return m_orderLinesDropped; } // past the bound
    qint64 customOrderLines() const { return m_customOrderLines; }
    static constexpr size_t kMaxHeldOrderLines = 20000;
    // Stock decreases no order explained within the matching window, in shops whose orders flow: adjustments.
    qint64 adjustedUnits() const { return m_adjustedUnits; }

    // The latest updated_at accepted over all products: "now" in event time.
    qint64 watermarkMs() const { return m_watermarkMs; }
    // The latest event time accepted for the shop: "now" for its products' forecasts. A shop's webhooks share one
    // partition (they are keyed by shop), so a reader of some partitions forecasts as one of all of them does, and a
    // shop whose stream stops is not taken to have stopped selling while others go on.
    qint64 shopLatestMs(quint32 shop) const { return m_shopLatestMs[shop]; }
    const PredictorParams &predictorParams() const { return m_params; }

    const ProductState *find(std::string_view shop, qint64 productId) const;
    const QByteArray &shopName(quint32 index) const { return m_shops[index]; }
    const ShopDemand &shopDemand(quint32 index) const { return m_shopDemand[index]; }
    const ShopDemand &shopDemand(const ProductState &state) const { return m_shopDemand[state.key.shop]; }
    // How often the sell-out intervals given held the truth, judged on the stream.
    const IntervalAudit &intervalAudit() const { return m_audit; }
    size_t size() const { return m_products.size(); }
    // History points held over all products (at most size() x the history capacity).
    size_t historyPoints() const { return m_historyPoints; }

    // Every product, sorted by shop domain then product id.
    std::vector<const ProductState *> sortedProducts() const;
    void forEach(const std::function<void(const ProductState &)> &visit) const;

    // Forgets the products last seen on a Kafka partition (its new owner in the group rebuilds them).
    // Returns how many were dropped.
    size_t dropPartition(int partition);

private:
    quint32 shopIndex(std::string_view shop);
    int findShop(std::string_view shop) const;

    Applied applyProduct(const ProductEvent &event, std::span<const VariantStock> variants, int partition);
    Applied applyLevel(const InventoryLevelEvent &level, int partition);
    Applied applyOrder(const OrderEvent &order, int partition);
    // One line's units sold to a known product at `atMs`.
    void addOrderLine(ProductState &s, qint64 atMs, qint64 units, int partition);
    // Maps the product's items from its variants; returns its stock summed over them, and whether any is tracked.
    qint64 mapItems(ProductState &s, std::span<const VariantStock> variants, qint64 atMs, bool &tracked);
    // The product's stock is `quantity` as of `atMs`: history, predictor, share, interval checks.
    void recordStock(ProductState &s, bool first, qint64 atMs, qint64 quantity, bool tracked);
    void rememberEvent(ProductState &s, quint64 eventId);
    bool seenEvent(const ProductState &s, quint64 eventId) const;
    Applied touchedOne(ApplyResult result, ProductState *s);

    void settleOverdueChecks();
    // Moves the stream's and the shop's clocks to an accepted event's time.
    void advanceClock(quint32 shop, qint64 atMs)
    {
        m_watermarkMs = std::max(m_watermarkMs, atMs);
        m_shopLatestMs[shop] = std::max(m_shopLatestMs[shop], atMs);
    }

    PredictorParams m_params;
    IntervalAudit m_audit;
    // Intervals given, to be judged once event time passes their latest end (IntervalAudit).
    struct Check {
        qint64 latestMs;
        qint64 earliestMs;
        qint64 madeAtMs;
        ProductKey key;
        bool operator>(const Check &other) const { return latestMs > other.latestMs; }
    };
    std::priority_queue<Check, std::vector<Check>, std::greater<Check>> m_checks;
    int m_historyCapacity;
    size_t m_historyPoints = 0;
    qint64 m_watermarkMs = std::numeric_limits<qint64>::min();
    std::vector<QByteArray> m_shops;
    std::vector<ShopDemand> m_shopDemand; // by shop index
    std::vector<qint64> m_shopLatestMs;   // by shop index
    std::unordered_map<quint64, quint32> m_shopByHash;
    std::unordered_map<ProductKey, ProductState, ProductKeyHash> m_products;
    InventoryItems m_items;
    std::vector<quint8> m_ordersFlow; // by shop index
    std::vector<quint8> m_levelsFlow; // by shop index: an inventory level of the shop has come
    // Orders seen, to recognise one delivered twice: (shop, order id) hashes, the oldest forgotten first.
    std::unordered_map<quint64, int> m_orders; // -> the partition it came from
    std::deque<quint64> m_orderAge;
    // Lines of orders for products not seen yet, by product.
    struct HeldOrderLine {
        qint64 atMs;
        qint64 units;
        int partition;
    };
    std::unordered_map<ProductKey, std::vector<HeldOrderLine>, ProductKeyHash> m_heldOrders;
    size_t m_heldOrderLines = 0;
    qint64 m_orderLinesHeld = 0;
    qint64 m_orderLinesDropped = 0;
    qint64 m_customOrderLines = 0;
    qint64 m_adjustedUnits = 0;
    std::vector<ProductState *> m_touched;
};

} // namespace peakwatch
