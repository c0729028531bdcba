// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_sender.h"

#include "kafka_producer.h"
#include "reading_client.h"

#include <QStringBuilder>

#include <mutex>
#include <string_view>
#include <vector>

namespace peakwatch {
namespace {

std::string_view view(const QByteArray &bytes, bool isNull)
{
    // A null view (no data) is how the producer is told "no key", "no value", "no header value".
    return isNull ? std::string_view() : std::string_view(bytes.constData(), size_t(bytes.size()));
}

} // namespace

OutgoingMessage OutgoingMessage::from(const TopicMessage &message, int partition, bool keepTimestamp)
{
    OutgoingMessage out;
    out.key = message.key;
    out.keyIsNull = message.keyIsNull;
    out.value = message.value;
    out.valueIsNull = message.valueIsNull;
    out.headers = message.headers;
    out.partition = partition;
    out.timestampMs = keepTimestamp && message.timestampMs > 0 ? message.timestampMs : 0;
    return out;
}

Result<QList<SentMessage>> sendMessages(const QString &bootstrapServers, const KafkaProperties &properties,
                                        const QString &topic, const QList<OutgoingMessage> &messages,
                                        std::chrono::milliseconds timeout)
{
    if (messages.isEmpty())
        return QList<SentMessage>{};
    auto partitions = topicPartitions(bootstrapServers, properties, topic, std::chrono::seconds(10));
    if (!partitions)
        return Error{partitions.error()};
    for (const OutgoingMessage &m : messages)
        if (m.partition >= 0 && !partitions->contains(m.partition))
            return Error{noSuchPartition(topic, m.partition, partitions->size())};

    // Each message's place in `messages` rides along as its opaque. These outlive the producer, whose
    // destructor may still report deliveries.
    std::mutex mutex;
    QList<SentMessage> sent(messages.size());
    qsizetype failed = 0;
    QString firstError;
    auto producer = KafkaProducer::create(bootstrapServers, properties);
    if (!producer)
        return Error{producer.error()};
    if (Status ready = (*producer)->prepareTopic(topic); !ready)
        return Error{ready.error()};
    (*producer)->setDeliveryHandler([&](const KafkaProducer::Delivery &d) {
        std::lock_guard lock(mutex);
        if (!d.ok) {
            if (failed++ == 0)
                firstError = d.error;
            return;
        }
        sent[qsizetype(reinterpret_cast<quintptr>(d.opaque))] = {d.partition, d.offset};
    });

    const QByteArray topicBytes = topic.toUtf8();
    const std::string_view topicView(topicBytes.constData(), size_t(topicBytes.size()));
    std::vector<KafkaHeader> headers;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const OutgoingMessage &m = messages[i];
        headers.clear();
        for (const MessageHeader &h : m.headers)
            headers.push_back({view(h.name, false), view(h.value, h.valueIsNull)});
        if (Status s = (*producer)->produce(topicView, view(m.key, m.keyIsNull), view(m.value, m.valueIsNull), headers,
                                            m.partition, reinterpret_cast<void *>(quintptr(i)), m.timestampMs);
            !s) {
            (*producer)->purge();
            return Error{s.error() %
                         QStringLiteral(" (%1 of %2 messages were handed over before it)").arg(i).arg(messages.size())};
        }
    }
    if (!(*producer)->flush(int(timeout.count()))) {
        const QString why = (*producer)->brokerFailure();
        (*producer)->purge();
        return Error{QStringLiteral("not every message was delivered within %1 s").arg(timeout.count() / 1000) %
                     (why.isEmpty() ? QString() : QStringLiteral(": ") % why)};
    }
    std::lock_guard lock(mutex);
    if (failed > 0)
        return Error{QStringLiteral("%1 of %2 messages were not delivered: %3")
                         .arg(failed)
                         .arg(messages.size())
                         .arg(firstError)};
    return sent;
}

} // namespace peakwatch
