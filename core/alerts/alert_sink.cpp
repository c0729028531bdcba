// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_sink.h"

namespace peakwatch {

AlertSeverity alertSeverity(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return AlertSeverity::Critical;
    case AlertRule::SellingOut:
    case AlertRule::LowStock: return AlertSeverity::Normal;
    case AlertRule::Restocked:
    case AlertRule::Count: break;
    }
    return AlertSeverity::Low;
}

} // namespace peakwatch
