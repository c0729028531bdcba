// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_alert_sink.h"

#include "hmac.h"
#include "http_delivery.h"
#include "logging.h"
#include "product_snapshot.h"
#include "redaction.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStringBuilder>

namespace peakwatch {
namespace {

// A 429 without a usable Retry-After waits this long; the receiver's own figure is taken up to an hour.
constexpr qint64 kDefaultRetryAfterMs = 1000;

QString httpStatusText(int status)
{
    return QStringLiteral("HTTP ") % QString::number(status);
}

// What a person can do about a refusal: a redirect or a 4xx other than 408 and 429.
QString refusalText(int status)
{
    auto text = [status](const QString &what, const QString &todo) -> QString {
        return QStringLiteral("Webhook: ") % what % QStringLiteral(" (") % httpStatusText(status) %
               QStringLiteral("): ") % todo;
    };
    switch (status) {
    case 401:
    case 403:
        return text(QStringLiteral("the receiver refused the signature or credentials"),
                    QStringLiteral("give the receiver the signing secret Peakwatch signs with, and check the URL"));
    case 404:
    case 410: return text(QStringLiteral("no such endpoint"), QStringLiteral("check the URL"));
    case 405:
        return text(QStringLiteral("the receiver takes no POST at this URL"),
                    QStringLiteral("check the URL: it must be the receiver's webhook endpoint"));
    case 413:
        return text(QStringLiteral("the receiver refused the alert as too large"),
                    QStringLiteral("allow larger requests at the receiver"));
    case 400:
    case 415:
    case 422:
        return text(QStringLiteral("the receiver refused the alert record"),
                    QStringLiteral("check that the receiver expects Peakwatch's alert records (JSON, one per "
                                   "request), and its own log for the reason"));
    default: break;
    }
    if (status >= 300 && status < 400)
        return text(QStringLiteral("the URL leads elsewhere"),
                    QStringLiteral("enter the URL the receiver uses now; redirects are not followed"));
    return text(QStringLiteral("the receiver refused the alert"),
                QStringLiteral("check the URL, and the receiver's own log for the reason"));
}

// Whether a sink with this URL and secret can send at all: the URL's check, then the secret's.
Status configStatus(const QUrl &url, const QByteArray &secret)
{
    if (Status s = WebhookSink::checkUrl(url); !s)
        return s;
    if (secret.isEmpty())
        return Error{QStringLiteral("No signing secret for the webhook: enter the secret the receiver checks the "
                                    "X-Peakwatch-Signature header with")};
    return {};
}

} // namespace

WebhookSink::WebhookSink(QString name, QUrl url, QByteArray signingSecret, QObject *parent)
    : AlertSink(parent)
    , m_name(std::move(name))
    , m_url(std::move(url))
    , m_secret(std::move(signingSecret))
    , m_configStatus(configStatus(m_url, m_secret))
    , m_network(new QNetworkAccessManager(this))
    , m_timeout(this)
{
    // The whole URL in the forms an error text may quote it (its path or query often holds the receiver's token),
    // its credentials, and the signing secret.
    registerSecret(m_url.toString());
    registerSecret(m_url.toDisplayString());
    registerSecret(QString::fromUtf8(m_url.toEncoded()));
    registerSecret(m_url.password());
    registerSecret(m_url.query());
    registerSecret(QString::fromUtf8(m_secret));

    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // a signed POST is not sent elsewhere
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &WebhookSink::onTimeout);
}

WebhookSink::~WebhookSink()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

Status WebhookSink::checkUrl(const QUrl &url)
{
    return checkHttpsUrl(url, QStringLiteral("The webhook URL"),
                         QStringLiteral("No webhook URL: enter the URL of the receiver's webhook endpoint"),
                         QStringLiteral("copy it again from the receiver"),
                         QStringLiteral("the alerts and the URL's token"));
}

QByteArray WebhookSink::signatureFor(QByteArrayView body, QByteArrayView secret)
{
    return QByteArrayLiteral("sha256=") + hmacSha256(secret, body).toHex();
}

SendOutcome WebhookSink::outcomeForAnswer(int httpStatus, const QByteArray &retryAfter)
{
    if (httpStatus >= 200 && httpStatus < 300)
        return SendOutcome::delivered();
    if (httpStatus == 429) {
        const qint64 afterMs = retryAfterMs(retryAfter, kDefaultRetryAfterMs);
        return SendOutcome::retry(QStringLiteral("Webhook: the receiver asks for fewer requests (HTTP 429): trying "
                                                 "again in ") %
                                      QString::number((afterMs + 999) / 1000) % QStringLiteral(" s"),
                                  afterMs);
    }
    if (httpStatus == 408)
        return SendOutcome::retry(
            QStringLiteral("Webhook: the receiver gave up waiting for the alert (HTTP 408): trying again"));
    if (httpStatus >= 500 && httpStatus < 600)
        return SendOutcome::retry(QStringLiteral("Webhook: the receiver had a problem (") % httpStatusText(httpStatus) %
                                  QStringLiteral("): trying again"));
    if (httpStatus >= 300 && httpStatus < 500)
        return SendOutcome::failed(refusalText(httpStatus));
    // 1xx as a final answer, or a status HTTP does not know: not known to have arrived.
    return SendOutcome::retry(QStringLiteral("Webhook: an unexpected answer (") % httpStatusText(httpStatus) %
                              QStringLiteral("): trying again"));
}

void WebhookSink::send(const std::vector<Alert> &alerts)
{
    if (m_reply) { // the dispatcher waits for finished(); this is a caller's mistake, and the group is kept
        qCWarning(lcAlerts).noquote() << m_name << "send() while an alert is being sent";
        Q_EMIT finished(SendOutcome::retry(QStringLiteral("Webhook: the previous alert is still being sent")));
        return;
    }
    if (!m_configStatus) {
        finish(SendOutcome::failed(m_configStatus.error()));
        return;
    }
    if (alerts.empty()) {
        finish(SendOutcome::delivered());
        return;
    }

    // One alert per request (maxGroup() is 1). A larger group is the caller's mistake: its first alert goes, and
    // the outcome reports only that one as arrived, so the rest are sent after it.
    const Alert &alert = alerts.front();
    m_sentId = alert.id;
    m_groupSize = alerts.size();
    const QByteArray body = alertRecord(alert);
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Peakwatch"));
    request.setRawHeader(QByteArrayLiteral("X-Peakwatch-Signature"), signatureFor(body, m_secret));
    request.setRawHeader(QByteArrayLiteral("X-Peakwatch-Alert-Id"), alert.id);
    request.setRawHeader(QByteArrayLiteral("X-Peakwatch-Event"), alertRuleName(alert.rule).toLatin1());
    m_timedOut = false;
    QNetworkReply *reply = m_network->post(request, body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
    m_timeout.start(m_timeoutMs);
    qCDebug(lcAlerts).noquote() << m_name << "posting alert" << alert.id << "to" << m_url.host();
}

void WebhookSink::onReplyFinished(QNetworkReply *reply)
{
    if (reply != m_reply) // already settled (timed out)
        return;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (m_timedOut)
        finish(SendOutcome::retry(QStringLiteral("Webhook: no answer within ") % QString::number(m_timeoutMs / 1000.0) %
                                  QStringLiteral(" s: trying again")));
    else if (status.isValid() && status.toInt() > 0)
        finish(outcomeForAnswer(status.toInt(), reply->rawHeader(QByteArrayLiteral("Retry-After"))));
    else
        finish(
            SendOutcome::retry(QStringLiteral("Webhook: the receiver could not be reached (") % reply->errorString() %
                               QStringLiteral("): check the network connection and the URL; trying again")));
}

void WebhookSink::onTimeout()
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

void WebhookSink::finish(const SendOutcome &outcome)
{
    m_timeout.stop();
    m_reply = nullptr;
    SendOutcome shown = outcome;
    shown.error = redacted(outcome.error);
    if (shown.kind == SendOutcome::Kind::Delivered && m_groupSize > 1) {
        shown = SendOutcome::retry(QStringLiteral("Webhook: one alert per request; the others follow"));
        shown.arrived.push_back(m_sentId);
    }
    m_sentId.clear();
    m_groupSize = 0;
    switch (shown.kind) {
    case SendOutcome::Kind::Delivered: qCDebug(lcAlerts).noquote() << m_name << "delivered"; break;
    case SendOutcome::Kind::Retry: qCInfo(lcAlerts).noquote() << m_name << "will retry:" << shown.error; break;
    case SendOutcome::Kind::Failed: qCWarning(lcAlerts).noquote() << m_name << "failed:" << shown.error; break;
    }
    Q_EMIT finished(shown);
}

} // namespace peakwatch
