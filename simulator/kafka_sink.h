#pragma once

#include "webhook_sink.h"

#include "kafka_producer.h"

#include <memory>

namespace peakwatch::sim {

// Sends webhooks straight to a Kafka topic: key = shop domain, Shopify's headers as Kafka headers, and the
// time of creation in X-Peakwatch-Created-At. Latency is produce call to broker acknowledgement.
class KafkaSink final : public WebhookSink {
public:
    static Result<std::unique_ptr<KafkaSink>> create(const QString &bootstrapServers, const QString &topic,
                                                     RunStats &stats, const KafkaProperties &properties = {});
    ~KafkaSink() override;

    bool canSend() const override;
    void send(const WebhookDelivery &delivery) override;
    qint64 inFlight() const override;
    QByteArray describe() const override;
    bool flush(int timeoutMs);

private:
    KafkaSink(RunStats &stats, QByteArray topic, QString bootstrap);
    RunStats &m_stats;
    QByteArray m_topic;
    QString m_bootstrap;
    std::unique_ptr<KafkaProducer> m_producer;
};

} // namespace peakwatch::sim
