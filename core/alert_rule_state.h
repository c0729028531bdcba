#pragma once

#include <QtGlobal>

#include <array>
#include <limits>

namespace peakwatch {

enum class AlertRule { LowStock, SellingOut, SoldOut, Restocked, Count };
inline constexpr size_t kAlertRuleCount = static_cast<size_t>(AlertRule::Count);

// Per product and rule: whether the condition holds (hysteresis) and when the rule last fired (cooldown); and the
// product's episode: from its first update or a restock to the next restock, in which selling_out, low_stock and
// sold_out each fire at most once, so that one episode reads as one thread of at most four alerts.
struct AlertRuleState {
    static constexpr qint64 kNever = std::numeric_limits<qint64>::min();
    std::array<qint64, kAlertRuleCount> lastFiredAtMs{kNever, kNever, kNever, kNever};
    std::array<bool, kAlertRuleCount> active{};
    std::array<bool, kAlertRuleCount> firedInEpisode{};
    qint64 episodeStartMs = kNever;
};

} // namespace peakwatch
