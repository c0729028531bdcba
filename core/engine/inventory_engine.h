// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rule_state.h"
#include "interval_audit.h"
#include "product_event.h"
#include "product_share.h"
#include "sellout_predictor.h"
#include "shop_demand.h"

#include <QByteArray>

#include <functional>
#include <queue>
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
    qint64 previousQuantity = 0; // before the latest accepted event
    qint64 updatedAtMs = 0;
    qint32 partition = -1;
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
};

enum class ApplyResult { Accepted, Duplicate, OutOfOrder };

// Keeps the live state of every product: latest snapshot, bounded history and predictor.
// Out-of-order events (older updated_at) and duplicates (same event id or webhook id, or same product and
// updated_at) change nothing. The same product id in two shops is two products. No I/O, no threads.
class InventoryEngine final {
public:
    static constexpr int kDefaultHistoryCapacity = 512;

    explicit InventoryEngine(PredictorParams params = {}, int historyCapacity = kDefaultHistoryCapacity);
    Q_DISABLE_COPY_MOVE(InventoryEngine)

    struct Applied {
        ApplyResult result;
        ProductState *state; // the product's state, whatever the result
    };
    Applied apply(const ProductEvent &event, int partition = -1);

    // The latest updated_at accepted over all products: "now" in event time.
    qint64 watermarkMs() const { return m_watermarkMs; }
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

    void settleOverdueChecks();

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
    std::unordered_map<quint64, quint32> m_shopByHash;
    std::unordered_map<ProductKey, ProductState, ProductKeyHash> m_products;
};

} // namespace peakwatch
