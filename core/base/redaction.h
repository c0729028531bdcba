// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QString>

namespace peakwatch {

// Secrets (Slack webhook URLs, passwords, keys) must never reach a log line or an error shown to the user.
// Every secret the program learns is registered here, and every text that may carry one (an error from
// QNetworkReply names the URL it failed on) goes through redacted() before it is logged or shown.
// Slack webhook URLs are recognised even when not registered. Thread-safe.
void registerSecret(const QString &secret);
QString redacted(QString text);

// A Slack webhook URL as it may be shown: "https://hooks.slack.com/services/T0123/B0456/…" with the
// token, the part that grants posting, left out.
QString redactedWebhookUrl(const QString &url);

// Puts every Qt log line (qDebug, qWarning, qCInfo, … from Peakwatch and from Qt itself) through redacted()
// before Qt's own handler writes it. Called once at the start of each program.
void installRedactingMessageHandler();

} // namespace peakwatch
