#pragma once

#include <QtGlobal>

#include <array>
#include <limits>

namespace peakwatch {

enum class AlertRule { LowStock, SellingOut, SoldOut, Restocked, Count };
inline constexpr size_t kAlertRuleCount = static_cast<size_t>(AlertRule::Count);

// Per product and rule: whether the condition holds (hysteresis) and when the rule last fired (cooldown).
struct AlertRuleState {
    std::array<qint64, kAlertRuleCount> lastFiredAtMs{
        std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::min(),
        std::numeric_limits<qint64>::min()};
    std::array<bool, kAlertRuleCount> active{};
};

} // namespace peakwatch
