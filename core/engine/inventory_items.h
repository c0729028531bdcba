// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <limits>
#include <unordered_map>
#include <vector>

namespace peakwatch {

// One location's available units of an inventory item, as its latest inventory_levels/update said.
struct LocationLevel {
    qint64 locationId = 0;
    qint64 available = 0;
    qint64 atMs = 0;
};

// A Shopify inventory item: one variant's stock over the shop's locations.
//
// Its total is what the latest products/update said (inventory_quantity, the sum over locations), moved by each
// level's change since. A location's first level moves nothing: its units were in that total already, and are
// now known to be at that location rather than at one not yet heard from (`unreported`). Once every location
// holding the item has reported, `unreported` is 0 and the total is the sum of the levels.
struct InventoryItem {
    qint64 productId = 0;
    qint64 variantId = 0;
    bool tracked = true;
    qint64 total = 0;                                             // units over all locations
    qint64 unreported = 0;                                        // of total: at locations with no level yet
    qint64 productTotalAtMs = std::numeric_limits<qint64>::min(); // the products/update the total comes from
    qint64 changedAtMs = std::numeric_limits<qint64>::min();      // its latest change, of either kind
    std::vector<LocationLevel> levels;                            // by location id

    // The level at `locationId`, or nullptr.
    LocationLevel *level(qint64 locationId);
    const LocationLevel *level(qint64 locationId) const;
};

// An inventory_levels/update for an item no products/update has named yet: it waits for one.
struct WaitingLevel {
    qint64 locationId = 0;
    qint64 available = 0;
    bool tracked = true;
    qint64 atMs = 0;
    int partition = -1; // the Kafka partition it came from
};

struct ItemKey {
    quint32 shop = 0;
    qint64 itemId = 0;
    bool operator==(const ItemKey &) const = default;
};

struct ItemKeyHash {
    size_t operator()(const ItemKey &k) const noexcept
    {
        return std::hash<quint64>{}(quint64(k.itemId) * 0x9E3779B97F4A7C15ull ^ k.shop);
    }
};

// What a level did to its item.
enum class LevelResult {
    Moved,      // the item's total changed by `change` (0 when the level only says where units are)
    Duplicate,  // the same level again
    OutOfOrder, // older than what the location said last
};

// The item -> variant -> product map and every item's stock per location, with the levels that wait for a map.
// No I/O, no threads.
class InventoryItems final {
public:
    // Levels waiting for their item's products/update, at most; past it a level is dropped and counted.
    static constexpr size_t kMaxWaiting = 20000;

    InventoryItem *find(const ItemKey &key);
    const InventoryItem *find(const ItemKey &key) const;

    // Maps an item to its product and variant (a products/update names it); creates the item when new.
    // `created` says whether it was.
    InventoryItem &map(const ItemKey &key, qint64 productId, qint64 variantId, bool &created);

    // A products/update's inventory_quantity for the item at `atMs`: taken when no level of the item is newer.
    // Returns whether it was.
    static bool takeProductTotal(InventoryItem &item, qint64 quantity, bool tracked, qint64 atMs);

    // One inventory_levels/update for a mapped item; `change` is what the item's tracked total moved by.
    static LevelResult applyLevel(InventoryItem &item, const WaitingLevel &level, qint64 &change);

    // Keeps a level of an item not mapped yet. False when it is the same level again; a level past kMaxWaiting
    // is dropped (counted in dropped()).
    bool wait(const ItemKey &key, const WaitingLevel &level);
    // The levels that waited for `key`, oldest first, and forgets them.
    std::vector<WaitingLevel> takeWaiting(const ItemKey &key);

    // Forgets an item (its product was dropped), and the waiting levels that came from a partition.
    void forget(const ItemKey &key) { m_items.erase(key); }
    void dropWaiting(int partition);

    size_t size() const { return m_items.size(); }
    size_t waiting() const { return m_waitingCount; }
    qint64 dropped() const { return m_dropped; }

private:
    std::unordered_map<ItemKey, InventoryItem, ItemKeyHash> m_items;
    std::unordered_map<ItemKey, std::vector<WaitingLevel>, ItemKeyHash> m_waiting;
    size_t m_waitingCount = 0;
    qint64 m_dropped = 0;
};

} // namespace peakwatch
