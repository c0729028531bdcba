// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "http_delivery.h"

#include <QHostAddress>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch {
namespace {

// A Retry-After is taken from a second up to an hour.
constexpr qint64 kMinRetryAfterMs = 1000;
constexpr qint64 kMaxRetryAfterMs = 60 * 60 * 1000;

} // namespace

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

qint64 retryAfterMs(const QByteArray &header, qint64 absentMs)
{
    bool ok = false;
    const qint64 seconds = header.trimmed().toLongLong(&ok);
    if (!ok || seconds < 0) // absent, or an HTTP date, which Slack does not send
        return absentMs;
    return std::clamp(seconds * 1000, kMinRetryAfterMs, kMaxRetryAfterMs);
}

Status checkHttpsUrl(const QUrl &url, const QString &name, const QString &missing, const QString &copyAgain,
                     const QString &exposed)
{
    if (url.isEmpty())
        return Error{missing};
    if (!url.isValid())
        return Error{name % QStringLiteral(" is not a valid URL: ") % copyAgain};
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty())
        return Error{name % QStringLiteral(" must start with https://")};
    if (scheme != QLatin1StringView("https") && scheme != QLatin1StringView("http"))
        return Error{name % QStringLiteral(" must start with https://, not ") % scheme.left(20) %
                     QStringLiteral("://")};
    if (url.host().isEmpty())
        return Error{name % QStringLiteral(" names no host: ") % copyAgain};
    if (scheme == QLatin1StringView("http") && !isLoopbackHost(url.host()))
        return Error{name % QStringLiteral(" must use https: plain http would send ") % exposed %
                     QStringLiteral(" unencrypted (it is allowed only to this machine: 127.0.0.1, ::1, localhost)")};
    return {};
}

} // namespace peakwatch
