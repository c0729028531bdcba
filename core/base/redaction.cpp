// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "redaction.h"

#include <QRegularExpression>
#include <QStringList>

#include <mutex>

namespace peakwatch {
namespace {

std::mutex g_mutex;
QStringList &secrets()
{
    static QStringList list;
    return list;
}

constexpr auto kHidden = QLatin1StringView("[redacted]");

QtMessageHandler g_next = nullptr;

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_next(type, context, redacted(message));
}

} // namespace

void installRedactingMessageHandler()
{
    if (!g_next)
        g_next = qInstallMessageHandler(redactingHandler);
}

void registerSecret(const QString &secret)
{
    if (secret.size() < 6) // too short to be a secret worth hiding, and would blank out ordinary words
        return;
    std::lock_guard lock(g_mutex);
    if (!secrets().contains(secret))
        secrets().append(secret);
}

QString redacted(QString text)
{
    {
        std::lock_guard lock(g_mutex);
        for (const QString &secret : std::as_const(secrets()))
            text.replace(secret, kHidden);
    }
    // The token of any Slack webhook URL: /services/T…/B…/<token>.
    static const QRegularExpression slackToken(QStringLiteral("(/services/[A-Za-z0-9]+/[A-Za-z0-9]+/)[A-Za-z0-9]+"));
    text.replace(slackToken, QStringLiteral("\\1") + kHidden);
    return text;
}

QString redactedWebhookUrl(const QString &url)
{
    const qsizetype slash = url.lastIndexOf(u'/');
    if (slash < 0 || slash + 1 >= url.size())
        return redacted(url);
    return url.left(slash + 1) + QStringLiteral("…");
}

} // namespace peakwatch
