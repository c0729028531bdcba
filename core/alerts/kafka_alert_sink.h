// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "kafka_config.h"
#include "result.h"

#include <QTimer>

#include <memory>

namespace peakwatch {

class KafkaProducer;

// Alert records (core/engine/product_snapshot.h's alertRecord) to a Kafka topic, keyed by shop and product, with
// the alert's id in the "peakwatch-alert-id" header: the "results" topic, for whatever else wants to react
// (reorders, tickets). A group counts as delivered when the cluster has acknowledged every record of it.
// The producer is idempotent, so librdkafka's own retries add no copies; a consumer that must see each
// alert once dedupes on the id, which is stable across runs.
class KafkaAlertSink final : public AlertSink {
    Q_OBJECT
public:
    // `checkTopic` waits for the cluster to confirm the topic exists (up to 10 s): for a command line, not
    // for a UI thread, where a missing topic shows as failed deliveries instead.
    static Result<std::unique_ptr<KafkaAlertSink>> create(const QString &bootstrapServers, const QString &topic,
                                                          const KafkaProperties &properties = {},
                                                          bool checkTopic = true);
    ~KafkaAlertSink() override;

    QString name() const override { return QStringLiteral("kafka:") + m_topic; }
    // Marking a group delivered is one SQLite update an alert, in the dispatcher's (the UI) thread.
    int maxGroup() const override { return 250; }
    bool quietHoursApply() const override { return false; }
    void send(const std::vector<Alert> &alerts) override;

private:
    KafkaAlertSink() = default;
    void poll();

    std::unique_ptr<KafkaProducer> m_producer;
    QString m_topic;
    QTimer m_poll;
    std::vector<QByteArray> m_ids;     // of the group in flight
    std::vector<QByteArray> m_arrived; // acknowledged so far
    int m_outstanding = 0;
    QString m_error;
};

} // namespace peakwatch
