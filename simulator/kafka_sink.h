// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_sink.h"

#include "kafka_producer.h"

#include <QStringList>

#include <array>
#include <memory>
#include <vector>

namespace peakwatch::sim {

// Sends webhooks straight to a Kafka topic: key = shop domain, Shopify's headers as Kafka headers, and the
// time of creation in X-Peakwatch-Created-At. Given several topics (comma-separated), each Shopify topic goes to
// the one named after it (see routes()). Latency is produce call to broker acknowledgement.
// Delivery reports are served on the sending thread (in send() and serve()), so that each body is
// allocated and released on one thread, as kcat does it.
class KafkaSink final : public WebhookSink {
public:
    static Result<std::unique_ptr<KafkaSink>> create(const QString &bootstrapServers, const QString &topic,
                                                     RunStats &stats, const KafkaProperties &properties = {});
    // Which of `topics` (Kafka topics, at least one) takes each Shopify topic, by ShopifyTopic: the first whose
    // name contains "product", "inventory" or "level", "order" (in any case) respectively, else the first of all.
    static std::array<QByteArray, 3> routes(const QStringList &topics);
    ~KafkaSink() override;

    bool canSend() const override;
    void send(const WebhookDelivery &delivery) override;
    qint64 inFlight() const override;
    void serve() override;
    QByteArray spareBody() override;
    QByteArray describe() const override;
    QString trouble() const override { return m_producer->brokerFailure(); }
    void abandon() override;
    bool flush(int timeoutMs);

private:
    KafkaSink(RunStats &stats, std::array<QByteArray, 3> topics, QString bootstrap);
    RunStats &m_stats;
    std::array<QByteArray, 3> m_topics; // by ShopifyTopic
    QString m_bootstrap;
    std::unique_ptr<KafkaProducer> m_producer;
    std::vector<QByteArray> m_spareBodies; // bodies delivered and no longer shared, kept for reuse
};

} // namespace peakwatch::sim
