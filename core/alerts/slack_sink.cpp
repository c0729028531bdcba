// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "slack_sink.h"

#include "http_delivery.h"
#include "logging.h"
#include "redaction.h"
#include "slack_message.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch {
namespace {

// A 429 without a usable Retry-After waits this long.
constexpr qint64 kDefaultRetryAfterMs = 1000;

// Slack answers an error with a short code as the body ("no_service"); anything else (a proxy's HTML page) is
// not repeated.
QString slackCode(const QByteArray &body)
{
    static const QRegularExpression code(QStringLiteral("^[A-Za-z0-9_.-]{1,80}$"));
    const QString text = QString::fromLatin1(body.trimmed());
    return code.match(text).hasMatch() ? text : QString();
}

QString newWebhookAdvice()
{
    return QStringLiteral("create a new incoming webhook and enter its URL");
}

// What a person can do about a refusal, by Slack's code (api.slack.com/messaging/webhooks#handling_errors).
QString refusalText(int status, const QString &code)
{
    const QString shown = code.isEmpty() ? QStringLiteral("HTTP ") % QString::number(status) : code;
    auto text = [&shown](const QString &what, const QString &todo) -> QString {
        return QStringLiteral("Slack: ") % what % QStringLiteral(" (") % shown % QStringLiteral("): ") % todo;
    };
    switch (status) {
    case 400:
        if (code == QLatin1StringView("no_service_id"))
            return text(QStringLiteral("the webhook URL is incomplete"),
                        QStringLiteral("copy the URL of the incoming webhook again from Slack"));
        if (code == QLatin1StringView("user_not_found"))
            return text(QStringLiteral("the webhook's user no longer exists"), newWebhookAdvice());
        return text(QStringLiteral("the message was refused as malformed"),
                    QStringLiteral("this is a Peakwatch bug; update Peakwatch or report it"));
    case 403:
        if (code == QLatin1StringView("action_prohibited"))
            return text(QStringLiteral("a workspace admin does not allow posting through this webhook"),
                        QStringLiteral("ask an admin of the Slack workspace to allow the app, or ") %
                            newWebhookAdvice());
        if (code == QLatin1StringView("posting_to_general_channel_denied"))
            return text(QStringLiteral("only admins may post to the webhook's channel"),
                        QStringLiteral("create a new incoming webhook for another channel and enter its URL"));
        if (code == QLatin1StringView("invalid_token"))
            return text(QStringLiteral("the webhook's token is no longer valid"), newWebhookAdvice());
        if (code == QLatin1StringView("team_disabled"))
            return text(QStringLiteral("the webhook's workspace is disabled"),
                        QStringLiteral("use a webhook of an active workspace"));
        return text(QStringLiteral("posting through this webhook is not allowed"),
                    QStringLiteral("ask an admin of the Slack workspace, or ") % newWebhookAdvice());
    case 404:
        if (code == QLatin1StringView("channel_not_found"))
            return text(QStringLiteral("the webhook's channel no longer exists"),
                        QStringLiteral("create a new incoming webhook for an existing channel and enter its URL"));
        if (code == QLatin1StringView("no_service"))
            return text(QStringLiteral("the webhook was removed"), newWebhookAdvice());
        if (code == QLatin1StringView("no_team"))
            return text(QStringLiteral("the webhook's workspace no longer exists"), newWebhookAdvice());
        return text(QStringLiteral("there is no such webhook"),
                    QStringLiteral("check the webhook URL, or ") % newWebhookAdvice());
    case 410:
        return text(QStringLiteral("the webhook's channel is archived"),
                    QStringLiteral("unarchive the channel, or create a new incoming webhook for another channel "
                                   "and enter its URL"));
    default: break;
    }
    if (status >= 300 && status < 400)
        return text(QStringLiteral("the webhook URL leads elsewhere"),
                    QStringLiteral("copy the URL of the incoming webhook again from Slack"));
    return text(QStringLiteral("the message was refused"),
                QStringLiteral("check the webhook URL, or ") % newWebhookAdvice());
}

} // namespace

SlackSink::SlackSink(QString name, QUrl webhook, QObject *parent)
    : AlertSink(parent)
    , m_name(std::move(name))
    , m_webhook(std::move(webhook))
    , m_urlStatus(checkWebhookUrl(m_webhook))
    , m_network(new QNetworkAccessManager(this))
    , m_timeout(this)
{
    // The whole URL in the forms an error text may quote it, its token on its own, and any other credential.
    registerSecret(m_webhook.toString());
    registerSecret(QString::fromUtf8(m_webhook.toEncoded()));
    registerSecret(m_webhook.password());
    registerSecret(m_webhook.query());
    static const QRegularExpression slackPath(QStringLiteral("/services/[^/]+/[^/]+/([^/?#]+)"));
    if (const auto match = slackPath.match(m_webhook.path()); match.hasMatch())
        registerSecret(match.captured(1));

    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // a webhook does not move
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &SlackSink::onTimeout);
}

SlackSink::~SlackSink()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

Status SlackSink::checkWebhookUrl(const QUrl &url)
{
    return checkHttpsUrl(url, QStringLiteral("The Slack webhook URL"),
                         QStringLiteral("No Slack webhook URL: create an incoming webhook in Slack and enter its URL"),
                         QStringLiteral("copy it again from Slack"), QStringLiteral("the webhook's token"));
}

SendOutcome SlackSink::outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter)
{
    if (httpStatus == 200 && body.trimmed() == "ok")
        return SendOutcome::delivered();
    const QString code = slackCode(body);
    if (httpStatus == 429) {
        const qint64 afterMs = retryAfterMs(retryAfter, kDefaultRetryAfterMs);
        return SendOutcome::retry(
            QStringLiteral("Slack: too many messages (") % (code.isEmpty() ? QStringLiteral("rate_limited") : code) %
                QStringLiteral("): trying again in ") % QString::number((afterMs + 999) / 1000) % QStringLiteral(" s"),
            afterMs);
    }
    if (httpStatus >= 500 || httpStatus == 408)
        return SendOutcome::retry(QStringLiteral("Slack: no answer from its server (HTTP ") %
                                  QString::number(httpStatus) % (code.isEmpty() ? QString() : u' ' % code) %
                                  QStringLiteral("): trying again"));
    if (httpStatus >= 300 && httpStatus < 500)
        return SendOutcome::failed(refusalText(httpStatus, code));
    // A 2xx other than Slack's "ok" (a captive portal, a proxy) or an unknown status: not known to have arrived.
    return SendOutcome::retry(QStringLiteral("Slack: an unexpected answer (HTTP ") % QString::number(httpStatus) %
                              QStringLiteral(" without \"ok\"): is the webhook URL Slack's? Trying again"));
}

void SlackSink::send(const std::vector<Alert> &alerts)
{
    if (m_reply) { // the dispatcher waits for finished(); this is a caller's mistake, and the group is kept
        qCWarning(lcAlerts).noquote() << m_name << "send() while a message is being sent";
        Q_EMIT finished(SendOutcome::retry(QStringLiteral("Slack: the previous message is still being sent")));
        return;
    }
    if (!m_urlStatus) {
        finish(SendOutcome::failed(m_urlStatus.error()));
        return;
    }
    if (alerts.empty()) {
        finish(SendOutcome::delivered());
        return;
    }

    QNetworkRequest request(m_webhook);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Peakwatch"));
    m_timedOut = false;
    QNetworkReply *reply = m_network->post(request, slackMessage(alerts, QDateTime::currentMSecsSinceEpoch()));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
    m_timeout.start(m_timeoutMs);
    qCDebug(lcAlerts).noquote() << m_name << "posting" << alerts.size() << "alerts to"
                                << redactedWebhookUrl(m_webhook.toString());
}

void SlackSink::onReplyFinished(QNetworkReply *reply)
{
    if (reply != m_reply) // already settled (timed out)
        return;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (m_timedOut)
        finish(SendOutcome::retry(QStringLiteral("Slack: no answer within ") % QString::number(m_timeoutMs / 1000.0) %
                                  QStringLiteral(" s: trying again")));
    else if (status.isValid() && status.toInt() > 0)
        finish(outcomeForAnswer(status.toInt(), reply->readAll(), reply->rawHeader(QByteArrayLiteral("Retry-After"))));
    else
        finish(SendOutcome::retry(QStringLiteral("Slack could not be reached (") % reply->errorString() %
                                  QStringLiteral("): check the network connection; trying again")));
}

void SlackSink::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    QNetworkReply *reply = m_reply;
    reply->abort(); // emits finished(), which settles the send
    if (m_reply == reply) {
        reply->disconnect(this);
        onReplyFinished(reply);
    }
}

void SlackSink::finish(const SendOutcome &outcome)
{
    m_timeout.stop();
    m_reply = nullptr;
    SendOutcome shown = outcome;
    shown.error = redacted(outcome.error);
    switch (shown.kind) {
    case SendOutcome::Kind::Delivered: qCDebug(lcAlerts).noquote() << m_name << "delivered"; break;
    case SendOutcome::Kind::Retry: qCInfo(lcAlerts).noquote() << m_name << "will retry:" << shown.error; break;
    case SendOutcome::Kind::Failed: qCWarning(lcAlerts).noquote() << m_name << "failed:" << shown.error; break;
    }
    Q_EMIT finished(shown);
}

} // namespace peakwatch
