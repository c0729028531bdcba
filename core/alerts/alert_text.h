// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"

#include <QString>

#include <optional>

namespace peakwatch {

// How every message about an alert (e-mail, Slack, Jira) words its facts, so that they say the same. Pure.

// "2026-11-27 05:23 UTC".
QString utcDateTimeText(qint64 ms);
// "05:23 UTC".
QString utcTimeText(qint64 ms);
// "in 23 min", "in 2 h 5 min", "in 3 days", "now", "12 min ago".
QString relativeTimeText(qint64 atMs, qint64 nowMs);
// "42 units/hour", "2.5 units/hour"; none without a rate.
std::optional<QString> alertRateText(const Alert &alert);
// The predicted sell-out's 80 % interval: "2026-11-27 05:15 UTC to 05:40 UTC" (the date said once when both ends
// share it), "2026-11-27 05:15 UTC or later" without a latest, "by 2026-11-27 05:40 UTC" without an earliest; none
// without either.
std::optional<QString> alertIntervalText(const Alert &alert);

} // namespace peakwatch
