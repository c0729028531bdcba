// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_alert_sink.h"

#include "kafka_producer.h"
#include "product_snapshot.h"

#include <QStringBuilder>

namespace peakwatch {

Result<std::unique_ptr<KafkaAlertSink>> KafkaAlertSink::create(const QString &bootstrapServers, const QString &topic,
                                                               const KafkaProperties &properties, bool checkTopic)
{
    KafkaProperties all{{"enable.idempotence", "true"}, {"linger.ms", "5"}, {"message.timeout.ms", "30000"}};
    all += properties;
    auto producer = KafkaProducer::create(bootstrapServers, all, KafkaProducer::DeliveryReports::ByCaller);
    if (!producer)
        return Error{producer.error()};
    if (Status s = checkTopic ? (*producer)->prepareTopic(topic) : Status(); !s)
        return Error{QStringLiteral("alerts topic: ") % s.error()};
    std::unique_ptr<KafkaAlertSink> sink(new KafkaAlertSink);
    sink->m_producer = std::move(*producer);
    sink->m_topic = topic;
    sink->m_poll.setInterval(10);
    connect(&sink->m_poll, &QTimer::timeout, sink.get(), &KafkaAlertSink::poll);
    KafkaAlertSink *self = sink.get();
    sink->m_producer->setDeliveryHandler([self](const KafkaProducer::Delivery &d) {
        // Served in poll(), on this sink's thread.
        const auto index = size_t(reinterpret_cast<quintptr>(d.opaque)) - 1;
        --self->m_outstanding;
        if (d.ok && index < self->m_ids.size())
            self->m_arrived.push_back(self->m_ids[index]);
        else if (!d.ok)
            self->m_error = d.error;
    });
    return sink;
}

KafkaAlertSink::~KafkaAlertSink() = default;

void KafkaAlertSink::send(const std::vector<Alert> &alerts)
{
    m_ids.clear();
    m_arrived.clear();
    m_error.clear();
    m_outstanding = 0;
    const QByteArray topic = m_topic.toUtf8();
    for (size_t i = 0; i < alerts.size(); ++i) {
        const Alert &a = alerts[i];
        m_ids.push_back(a.id);
        const QByteArray key = productRecordKey(a.shop, a.productId);
        const QByteArray value = alertRecord(a);
        const KafkaHeader header{"peakwatch-alert-id", std::string_view(a.id.constData(), size_t(a.id.size()))};
        Status s = m_producer->produce(std::string_view(topic.constData(), size_t(topic.size())),
                                       std::string_view(key.constData(), size_t(key.size())),
                                       std::string_view(value.constData(), size_t(value.size())), {&header, 1}, -1,
                                       reinterpret_cast<void *>(quintptr(i + 1)));
        if (s)
            ++m_outstanding;
        else
            m_error = s.error();
    }
    poll();
    if (m_outstanding > 0)
        m_poll.start();
}

void KafkaAlertSink::poll()
{
    m_producer->poll(0);
    if (m_outstanding > 0)
        return;
    m_poll.stop();
    if (m_arrived.size() == m_ids.size()) {
        Q_EMIT finished(SendOutcome::delivered());
        return;
    }
    SendOutcome outcome = SendOutcome::retry(QStringLiteral("alerts topic ") % m_topic % QStringLiteral(": ") %
                                             (m_error.isEmpty() ? QStringLiteral("not acknowledged") : m_error));
    outcome.arrived = m_arrived;
    Q_EMIT finished(outcome);
}

} // namespace peakwatch
