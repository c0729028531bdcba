// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace peakwatch {

// Slack's limits on one message (Block Kit reference): blocks in a message, characters in a header's text and in
// a section's text, fields in a section and characters in one field.
inline constexpr int kSlackMaxBlocks = 50;
inline constexpr int kSlackMaxHeaderChars = 150;
inline constexpr int kSlackMaxSectionChars = 3000;
inline constexpr int kSlackMaxFields = 10;
inline constexpr int kSlackMaxFieldChars = 2000;
// How many alerts of a group are shown in full (a section with fields each); the others get one line each.
inline constexpr int kSlackDetailedAlerts = 10;

// The JSON payload for a Slack incoming webhook that announces a group of alerts in one message: Block Kit
// blocks (a header, the first kSlackDetailedAlerts alerts in full, the others as compact lines) and a plain
// "text" fallback, which Slack shows in notifications. The most urgent alerts come first. Each alert names its
// rule with a severity mark, its product linked to the Shopify admin, the shop, the stock, the selling rate and
// the predicted sell-out (as Slack's local-time date, and relative to `nowMs`). Stays within Slack's limits for
// any number of alerts: alerts that do not fit are counted ("…and 12 more"), never dropped silently. An incoming
// webhook cannot post into a thread, so a follow-up of an episode (Alert::thread, position 2 on) says so in its
// text: "3rd alert since the selling-out warning at 05:14".
// Pure: no I/O, no clock.
QByteArray slackMessage(const std::vector<Alert> &alerts, qint64 nowMs);

// Text for Slack's mrkdwn and for the "text" field: &, < and > as Slack's entities, so that a product title
// cannot become a link, a mention or a broken message.
QString slackEscaped(const QString &text);

} // namespace peakwatch
