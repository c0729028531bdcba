// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace peakwatch {

// Alerts to any HTTP endpoint that takes a signed JSON POST: Zapier-style automation tools, a shop's own reorder
// service. One alert per request (such receivers take one record per call); the body is the alert record that the
// alerts topic carries (product_snapshot.h's alertRecord), sent as application/json, with these headers:
//
//   X-Peakwatch-Signature: sha256=<HMAC-SHA256 of the exact body bytes with the signing secret, lower-case hex>
//   X-Peakwatch-Alert-Id:  <the alert's id, as in the record's "id">
//   X-Peakwatch-Event:     <the rule that fired: low_stock, selling_out, sold_out, restocked>
//   User-Agent:            Peakwatch
//
// How a receiver checks a request: it computes HMAC-SHA256 over the raw body as received (before parsing or
// re-encoding the JSON) with the secret it shares with Peakwatch, writes it as "sha256=" and the lower-case hex
// digest (signatureFor() here), and compares that with the X-Peakwatch-Signature header in constant time
// (Python's hmac.compare_digest, Node's crypto.timingSafeEqual, OpenSSL's CRYPTO_memcmp), never with an ordinary
// string comparison that stops at the first difference. A request whose signature differs is answered 401.
// Delivery is at least once: an alert whose answer was lost is sent again, with the same body and the same
// X-Peakwatch-Alert-Id, and the receiver ignores an id it has already taken.
//
// The answer decides the outcome: any 2xx is delivered; 429 is retried after its Retry-After; 408, 5xx, timeouts
// and network errors are retried; a redirect and the other 4xx are failures that only a person can fix (a wrong
// URL, a secret the receiver does not share), and the error says which. The URL (which often holds the receiver's
// token) and the secret are registered as secrets (redaction.h): no error or log line shows them.
class WebhookSink final : public AlertSink {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 15'000;

    // `name` as AlertSink::name() ("webhook"). A URL that checkUrl() refuses, or an empty secret, is kept, and
    // every send() fails with that error.
    WebhookSink(QString name, QUrl url, QByteArray signingSecret, QObject *parent = nullptr);
    ~WebhookSink() override;
    Q_DISABLE_COPY_MOVE(WebhookSink)

    // Whether `url` may be used: https, or plain http to this machine (127.0.0.1, ::1, localhost: a local
    // service, a test). The error says what is wrong without repeating the URL.
    static Status checkUrl(const QUrl &url);

    // The X-Peakwatch-Signature value for `body`: "sha256=" and the lower-case hex HMAC-SHA256 of the body with
    // `secret`. For receivers written against Peakwatch, and for tests.
    static QByteArray signatureFor(QByteArrayView body, QByteArrayView secret);

    // How the receiver's answer to a POST is taken. `httpStatus` the status code, `retryAfter` the Retry-After
    // header (empty when absent). Pure.
    static SendOutcome outcomeForAnswer(int httpStatus, const QByteArray &retryAfter);

    QString name() const override { return m_name; }
    int maxGroup() const override { return 1; }
    // A receiver is a service (a reorder system, Zapier), not a person: quiet hours do not hold its alerts.
    bool quietHoursApply() const override { return false; }
    void send(const std::vector<Alert> &alerts) override;

    // How long a send may take, from the POST to the whole answer, before it is given up and retried.
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }

private:
    void onReplyFinished(QNetworkReply *reply);
    void onTimeout();
    void finish(const SendOutcome &outcome);

    const QString m_name;
    const QUrl m_url;
    const QByteArray m_secret;
    const Status m_configStatus; // configStatus(): the URL's check, then the secret's
    QNetworkAccessManager *const m_network;
    QPointer<QNetworkReply> m_reply; // the send in flight
    QTimer m_timeout;
    bool m_timedOut = false;
    int m_timeoutMs = kDefaultTimeoutMs;
    QByteArray m_sentId;    // the alert in flight
    size_t m_groupSize = 0; // of the group it came in
};

} // namespace peakwatch
