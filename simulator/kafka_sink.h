// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_sink.h"

#include "kafka_producer.h"

#include <memory>
#include <vector>

namespace peakwatch::sim {

// Sends webhooks straight to a Kafka topic: key = shop domain, Shopify's headers as Kafka headers, and the
// time of creation in X-Peakwatch-Created-At. Latency is produce call to broker acknowledgement.
// Delivery reports are served on the sending thread (in send() and serve()), so that each body is
// allocated and released on one thread, as kcat does it.
class KafkaSink final : public WebhookSink {
public:
    static Result<std::unique_ptr<KafkaSink>> create(const QString &bootstrapServers, const QString &topic,
                                                     RunStats &stats, const KafkaProperties &properties = {});
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
    KafkaSink(RunStats &stats, QByteArray topic, QString bootstrap);
    RunStats &m_stats;
    QByteArray m_topic;
    QString m_bootstrap;
    std::unique_ptr<KafkaProducer> m_producer;
    std::vector<QByteArray> m_spareBodies; // bodies delivered and no longer shared, kept for reuse
};

} // namespace peakwatch::sim
