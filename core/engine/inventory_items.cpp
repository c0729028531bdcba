// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "inventory_items.h"

#include <algorithm>

namespace peakwatch {
namespace {
// Levels are within ±2^53 (the parser's bound); totals over many locations are held within this, so that no sum
// of them overflows.
constexpr qint64 kMaxUnits = qint64(1) << 60;

void clampUnits(InventoryItem &item)
{
    item.total = std::clamp(item.total, -kMaxUnits, kMaxUnits);
    item.unreported = std::clamp(item.unreported, -kMaxUnits, kMaxUnits);
}
} // namespace

LocationLevel *InventoryItem::level(qint64 locationId)
{
    const auto it = std::lower_bound(levels.begin(), levels.end(), locationId,
                                     [](const LocationLevel &l, qint64 id) { return l.locationId < id; });
    return it != levels.end() && it->locationId == locationId ? &*it : nullptr;
}

const LocationLevel *InventoryItem::level(qint64 locationId) const
{
    return const_cast<InventoryItem *>(this)->level(locationId);
}

InventoryItem *InventoryItems::find(const ItemKey &key)
{
    const auto it = m_items.find(key);
    return it == m_items.end() ? nullptr : &it->second;
}

const InventoryItem *InventoryItems::find(const ItemKey &key) const
{
    const auto it = m_items.find(key);
    return it == m_items.end() ? nullptr : &it->second;
}

InventoryItem &InventoryItems::map(const ItemKey &key, qint64 productId, qint64 variantId, bool &created)
{
    auto [it, inserted] = m_items.try_emplace(key);
    created = inserted;
    it->second.productId = productId;
    it->second.variantId = variantId;
    return it->second;
}

bool InventoryItems::takeProductTotal(InventoryItem &item, qint64 quantity, bool tracked, qint64 atMs)
{
    // A products/update as new as the item's latest level includes it (Shopify sends it after the change).
    if (atMs < item.changedAtMs)
        return false;
    qint64 located = 0;
    for (const LocationLevel &l : item.levels)
        located = std::clamp(located + l.available, -kMaxUnits, kMaxUnits);
    item.tracked = tracked;
    item.total = quantity;
    item.unreported = quantity - located; // below 0 where a location is oversold
    item.productTotalAtMs = item.changedAtMs = atMs;
    clampUnits(item);
    return true;
}

LevelResult InventoryItems::applyLevel(InventoryItem &item, const WaitingLevel &level, qint64 &change)
{
    change = 0;
    LocationLevel *known = item.level(level.locationId);
    const bool firstFromLocation = known == nullptr;
    if (known) {
        if (level.atMs < known->atMs)
            return LevelResult::OutOfOrder;
        if (level.atMs == known->atMs && level.available == known->available && level.tracked == item.tracked)
            return LevelResult::Duplicate;
    } else {
        const auto at = std::lower_bound(item.levels.begin(), item.levels.end(), level.locationId,
                                         [](const LocationLevel &l, qint64 id) { return l.locationId < id; });
        known = &*item.levels.insert(at, LocationLevel{level.locationId, 0, level.atMs});
    }
    const qint64 before = item.tracked ? item.total : 0;
    const qint64 available = level.tracked ? level.available : 0;
    if (firstFromLocation || level.atMs <= item.productTotalAtMs)
        item.unreported -= available - known->available; // in the total already: it says where units are
    else
        item.total += available - known->available;
    clampUnits(item);
    known->available = available;
    known->atMs = level.atMs;
    item.tracked = level.tracked;
    item.changedAtMs = std::max(item.changedAtMs, level.atMs);
    change = (item.tracked ? item.total : 0) - before;
    return LevelResult::Moved;
}

bool InventoryItems::wait(const ItemKey &key, const WaitingLevel &level)
{
    std::vector<WaitingLevel> &levels = m_waiting[key];
    for (const WaitingLevel &w : levels)
        if (w.locationId == level.locationId && w.atMs == level.atMs && w.available == level.available &&
            w.tracked == level.tracked)
            return false;
    if (m_waitingCount >= kMaxWaiting) {
        ++m_dropped;
        if (levels.empty())
            m_waiting.erase(key);
        return true;
    }
    levels.push_back(level);
    ++m_waitingCount;
    return true;
}

std::vector<WaitingLevel> InventoryItems::takeWaiting(const ItemKey &key)
{
    const auto it = m_waiting.find(key);
    if (it == m_waiting.end())
        return {};
    std::vector<WaitingLevel> out = std::move(it->second);
    m_waiting.erase(it);
    m_waitingCount -= out.size();
    std::stable_sort(out.begin(), out.end(),
                     [](const WaitingLevel &a, const WaitingLevel &b) { return a.atMs < b.atMs; });
    return out;
}

void InventoryItems::dropWaiting(int partition)
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        m_waitingCount -=
            size_t(std::erase_if(it->second, [partition](const WaitingLevel &w) { return w.partition == partition; }));
        it = it->second.empty() ? m_waiting.erase(it) : std::next(it);
    }
}

} // namespace peakwatch
