// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "result.h"

#include <QByteArray>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace peakwatch {

// Alerts as messages to a Slack channel, through an incoming webhook
// (https://hooks.slack.com/services/T…/B…/<token>). A group of alerts becomes one message (slack_message.h).
// Slack's answer decides the outcome, as Slack documents it for incoming webhooks: 200 "ok" is delivered;
// 429 is retried after its Retry-After; 5xx, timeouts and network errors are retried; 400, 403, 404, 410 and
// the other 4xx are failures that only a person can fix (a removed webhook, an archived channel), and the
// error says what to do. The webhook URL grants posting: it is registered as a secret (redaction.h) and
// no error or log line shows it.
class SlackSink final : public AlertSink {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 15'000;

    // `name` as AlertSink::name() ("slack", "slack:<shop domain>"). A URL that checkWebhookUrl() refuses is
    // kept, and every send() fails with that error.
    SlackSink(QString name, QUrl webhook, QObject *parent = nullptr);
    ~SlackSink() override;
    Q_DISABLE_COPY_MOVE(SlackSink)

    // Whether `url` may be used as a webhook: https, or plain http to this machine (127.0.0.1, ::1,
    // localhost: a local relay, a test). The error says what is wrong without repeating the URL.
    static Status checkWebhookUrl(const QUrl &url);

    // How Slack's answer to a POST is taken. `httpStatus` the status code, `retryAfter` the Retry-After header
    // (empty when absent). Pure: for tests and for other callers of Slack webhooks.
    static SendOutcome outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter);

    QString name() const override { return m_name; }
    int maxGroup() const override { return 100; }
    // Slack takes about one message per second per webhook.
    qint64 minIntervalMs() const override { return 1000; }
    void send(const std::vector<Alert> &alerts) override;

    // How long a send may take, from the POST to the whole answer, before it is given up and retried.
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }

private:
    void onReplyFinished(QNetworkReply *reply);
    void onTimeout();
    void finish(const SendOutcome &outcome);

    const QString m_name;
    const QUrl m_webhook;
    const Status m_urlStatus;
    QNetworkAccessManager *const m_network;
    QPointer<QNetworkReply> m_reply; // the send in flight
    QTimer m_timeout;
    bool m_timedOut = false;
    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace peakwatch
