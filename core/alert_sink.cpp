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
