// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <array>
#include <limits>

namespace peakwatch {

enum class AlertRule { LowStock, SellingOut, SoldOut, Restocked, Count };
inline constexpr size_t kAlertRuleCount = static_cast<size_t>(AlertRule::Count);

// Per product and rule: whether the condition holds (hysteresis) and when the rule last fired (cooldown); and the
// product's episode, in which each rule fires at most once, so that one episode reads as one thread of at most
// four alerts. An episode runs from the product's first update (or a restock before any alert) until the product,
// restocked, has been calm on every update for the cooldown (RuleSet::cooldownMs): in stock above the low-stock
// line, with sell-out within the horizon unlikely (below where selling_out clears). So a product sold out and
// restocked again and again through a peak reads as one thread (its restocked alert says when a restock will not
// last), and trouble after a restock that lasted is a new episode.
struct AlertRuleState {
    static constexpr qint64 kNever = std::numeric_limits<qint64>::min();
    std::array<qint64, kAlertRuleCount> lastFiredAtMs{kNever, kNever, kNever, kNever};
    std::array<bool, kAlertRuleCount> active{};
    std::array<bool, kAlertRuleCount> firedInEpisode{};
    qint64 episodeStartMs = kNever;
    bool restockedInEpisode = false; // since the episode's first alert
    qint64 calmSinceMs = kNever;     // calm on every update since, after a restock in the episode
};

} // namespace peakwatch
