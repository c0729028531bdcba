// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace peakwatch {

// What the sinks that deliver to a server of the shop's (Slack, Jira, a webhook, an SMTP server) share.

// localhost or a loopback address: the one place plain http (or SMTP without STARTTLS) is allowed: tests, a local
// relay.
bool isLoopbackHost(const QString &host);
// Whether `url` may be posted to: https, or plain http to this machine. `name` begins each error ("The Slack
// webhook URL"), `missing` is the whole error for an empty URL, `copyAgain` ends those for a URL that is not one
// or names no host ("copy it again from Slack"), and `exposed` says what plain http would send in the clear.
Status checkHttpsUrl(const QUrl &url, const QString &name, const QString &missing, const QString &copyAgain,
                     const QString &exposed);
// A 429's or 503's Retry-After in ms, clamped to 1 s to an hour; `absentMs` when the header is absent or not
// seconds.
qint64 retryAfterMs(const QByteArray &header, qint64 absentMs);

} // namespace peakwatch
