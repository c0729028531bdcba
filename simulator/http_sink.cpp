// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "http_sink.h"

#include "iso_time.h"
#include "run_stats.h"
#include "shopify_hmac.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>

#include <chrono>

namespace peakwatch::sim {
namespace {

// Qt keeps at most 6 connections per host and manager: more managers, more connections.
constexpr int kConnectionsPerManager = 6;

qint64 wallMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

qint64 steadyMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct HttpSink::Attempt {
    QNetworkRequest request;
    QByteArray body;
    int attempt = 0;
    qint64 startedMicros = 0;
};

HttpSink::HttpSink(Options options, RunStats &stats, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_stats(stats)
{
    const int managers = std::max(1, (m_options.connections + kConnectionsPerManager - 1) / kConnectionsPerManager);
    for (int i = 0; i < managers; ++i) {
        auto manager = std::make_unique<QNetworkAccessManager>();
        manager->setAutoDeleteReplies(true);
        manager->setTransferTimeout(m_options.timeoutMs);
        m_managers.push_back(std::move(manager));
    }
}

HttpSink::~HttpSink() = default;

bool HttpSink::canSend() const
{
    return m_inFlight < m_options.connections;
}

QByteArray HttpSink::describe() const
{
    return "http " + m_options.url.toString().toUtf8();
}

void HttpSink::send(const WebhookDelivery &d)
{
    auto attempt = std::make_shared<Attempt>();
    QNetworkRequest &r = attempt->request;
    r.setUrl(m_options.url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const std::string_view topic = shopifyTopicName(d.topic);
    r.setRawHeader("X-Shopify-Topic", QByteArray(topic.data(), qsizetype(topic.size())));
    r.setRawHeader("X-Shopify-Hmac-Sha256", shopifyHmac(m_options.secret, d.body));
    r.setRawHeader("X-Shopify-Shop-Domain", d.shop);
    r.setRawHeader("X-Shopify-API-Version", kShopifyApiVersion);
    r.setRawHeader("X-Shopify-Webhook-Id", d.webhookId);
    r.setRawHeader("X-Shopify-Event-Id", d.eventId);
    r.setRawHeader("X-Shopify-Triggered-At", formatIsoTime(d.triggeredAtMs));
    r.setRawHeader(kCreatedAtHeader, QByteArray::number(wallMicros()));
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    attempt->body = d.body;
    attempt->startedMicros = steadyMicros();
    ++m_inFlight;
    m_stats.sent();
    post(std::move(attempt));
}

void HttpSink::post(std::shared_ptr<Attempt> attempt)
{
    QNetworkAccessManager *manager = m_managers[m_nextManager++ % m_managers.size()].get();
    QNetworkReply *reply = manager->post(attempt->request, attempt->body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, attempt] { onFinished(reply, attempt); });
}

void HttpSink::onFinished(QNetworkReply *reply, std::shared_ptr<Attempt> attempt)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ++m_statusCounts[status];
    if (status >= 200 && status < 300) {
        --m_inFlight;
        m_stats.acknowledged(steadyMicros() - attempt->startedMicros);
        return;
    }
    const bool retryable = status == 0 || status == 429 || status >= 500;
    if (!retryable) {
        --m_inFlight; // 4xx: refused for good (a bad signature, a malformed body)
        m_stats.rejected();
        return;
    }
    if (++attempt->attempt >= m_options.maxAttempts) {
        --m_inFlight;
        m_stats.failed();
        return;
    }
    // Back off: Retry-After when the server gives one, else exponentially with jitter.
    int delayMs = std::min(m_options.maxBackoffMs, 250 << std::min(attempt->attempt, 16));
    bool ok = false;
    const int retryAfter = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
    if (ok && retryAfter >= 0)
        delayMs = std::min(m_options.maxBackoffMs, retryAfter * 1000);
    else
        delayMs = delayMs / 2 + int(QRandomGenerator::global()->bounded(delayMs / 2 + 1));
    m_stats.retried();
    QTimer::singleShot(delayMs, this, [this, attempt] { post(attempt); });
}

QByteArray HttpSink::statusCountsJson() const
{
    QByteArray out = "{";
    for (const auto &[status, count] : m_statusCounts) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += status == 0 ? QByteArray("network_error") : QByteArray::number(status);
        out += "\":";
        out += QByteArray::number(count);
    }
    out += '}';
    return out;
}

} // namespace peakwatch::sim
