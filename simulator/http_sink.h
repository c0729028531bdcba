// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_sink.h"

#include <QObject>
#include <QUrl>

#include <map>
#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace peakwatch::sim {

// POSTs webhooks to a URL as Shopify does: its headers, and X-Shopify-Hmac-Sha256 = base64 of the
// HMAC-SHA256 of the raw body with the app's secret. Many connections at once; on 429 (honouring
// Retry-After), 5xx and network errors it backs off and retries, as Shopify does, up to a limit.
// Lives in the thread of its event loop.
class HttpSink final : public QObject, public WebhookSink {
    Q_OBJECT
public:
    struct Options {
        QUrl url;
        QByteArray secret;
        int connections = 64; // requests in flight at once
        int maxAttempts = 8;  // Shopify retries a failed delivery 8 times
        int timeoutMs = 5000; // Shopify waits 5 s for an answer
        int maxBackoffMs = 30000;
    };

    HttpSink(Options options, RunStats &stats, QObject *parent = nullptr);
    ~HttpSink() override;

    bool canSend() const override;
    void send(const WebhookDelivery &delivery) override;
    qint64 inFlight() const override { return m_inFlight; }
    QByteArray describe() const override;

    // Answers by status code, for the report: {"200": 1200, "401": 3}.
    QByteArray statusCountsJson() const;

private:
    struct Attempt;
    void post(std::shared_ptr<Attempt> attempt);
    void onFinished(QNetworkReply *reply, std::shared_ptr<Attempt> attempt);

    Options m_options;
    RunStats &m_stats;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    size_t m_nextManager = 0;
    qint64 m_inFlight = 0;
    std::map<int, qint64> m_statusCounts;
};

} // namespace peakwatch::sim
