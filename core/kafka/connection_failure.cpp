// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "connection_failure.h"

#include <QStringBuilder>

namespace peakwatch {

ConnectionFailure classifyConnectionFailure(const QString &text)
{
    ConnectionFailure out;
    // A log line starts with the thread: "[thrd:127.0.0.1:9/bootstrap]: 127.0.0.1:9/bootstrap: Connect to …".
    QString reason = text;
    if (reason.startsWith(u'[')) {
        if (const qsizetype end = reason.indexOf(QLatin1StringView("]: ")); end > 0)
            reason = reason.mid(end + 3);
    }
    // librdkafka names the broker first: "host:port/bootstrap: …" or "host:port/1: …".
    if (const qsizetype slash = reason.indexOf(u'/'); slash > 0 && !reason.left(slash).contains(u' '))
        out.broker = reason.left(slash);
    const auto has = [&reason](const char *words) {
        return reason.contains(QLatin1StringView(words), Qt::CaseInsensitive);
    };
    if (has("Connection refused"))
        out.what = QStringLiteral("connection refused (nothing listens on that port)");
    else if (has("resolve") || has("Name or service not known") || has("nodename nor servname"))
        out.what = QStringLiteral("host name not resolved");
    else if (has("timed out") || has("Timed out"))
        out.what = QStringLiteral("timed out");
    else if (has("SSL") || has("TLS") || has("certificate"))
        out.what = QStringLiteral("TLS handshake failed");
    else if (has("SASL") || has("Authentication"))
        out.what = QStringLiteral("sign-in failed");
    else if (has("Network is unreachable") || has("No route to host"))
        out.what = QStringLiteral("network unreachable");
    else if (has("Connection reset") || has("Disconnected"))
        out.what = QStringLiteral("connection closed by the broker");
    else if (const qsizetype colon = reason.indexOf(QLatin1StringView(": ")); colon > 0)
        out.what = reason.mid(colon + 2).trimmed();
    else
        out.what = reason.trimmed();
    return out;
}

QString ConnectionFailure::text() const
{
    return broker.isEmpty() ? what : QStringLiteral("broker ") % broker % QStringLiteral(": ") % what;
}

QString connectionFailureMessage(const QString &bootstrap, const QString &reason, const QString &fallback,
                                 std::chrono::milliseconds waited)
{
    QString what = fallback;
    if (!reason.isEmpty())
        what = classifyConnectionFailure(reason).text();
    const QString within = waited.count() > 0
                               ? QStringLiteral(" within ") % QString::number(double(waited.count()) / 1000.0, 'g', 3) %
                                     QStringLiteral(" s")
                               : QString();
    return QStringLiteral("cannot reach the Kafka cluster at ") % bootstrap % within % QStringLiteral(": ") % what %
           QStringLiteral("; run peakwatch-cli doctor -b ") % bootstrap % QStringLiteral(" to find out why");
}

} // namespace peakwatch
