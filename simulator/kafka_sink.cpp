// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_sink.h"

#include "iso_time.h"
#include "run_stats.h"

#include <QDateTime>

#include <array>
#include <charconv>
#include <chrono>

namespace peakwatch::sim {
namespace {

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

std::string_view view(const QByteArray &b)
{
    return {b.constData(), size_t(b.size())};
}

// Enough spare bodies for a few batches; more would only hold memory.
constexpr size_t kSpareBodies = 4096;

// What a message in flight needs until its delivery report: its body (produced without a copy) and
// when it was sent.
struct InFlight {
    QByteArray body;
    qint64 sentMicros;
};
} // namespace

KafkaSink::KafkaSink(RunStats &stats, std::array<QByteArray, 3> topics, QString bootstrap)
    : m_stats(stats)
    , m_topics(std::move(topics))
    , m_bootstrap(std::move(bootstrap))
{}

KafkaSink::~KafkaSink()
{
    m_producer.reset(); // its last delivery reports still reach this sink's members
}

Result<std::unique_ptr<KafkaSink>> KafkaSink::create(const QString &bootstrapServers, const QString &topic,
                                                     RunStats &stats, const KafkaProperties &properties)
{
    KafkaProperties all{{"linger.ms", "5"}, {"batch.num.messages", "10000"}, {"queue.buffering.max.kbytes", "1048576"}};
    all += properties;
    auto producer = KafkaProducer::create(bootstrapServers, all, KafkaProducer::DeliveryReports::ByCaller);
    if (!producer)
        return Error{producer.error()};
    QStringList names;
    for (const QString &name : topic.split(u',', Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            names << name.trimmed();
    if (names.isEmpty())
        return Error{QStringLiteral("no Kafka topic was given")};
    for (const QString &name : names)
        if (Status s = (*producer)->prepareTopic(name); !s)
            return Error{s.error()};
    std::unique_ptr<KafkaSink> sink(new KafkaSink(stats, routes(names), bootstrapServers));
    sink->m_producer = std::move(*producer);
    KafkaSink *self = sink.get();
    sink->m_producer->setDeliveryHandler([self](const KafkaProducer::Delivery &d) {
        std::unique_ptr<InFlight> message(static_cast<InFlight *>(d.opaque));
        if (d.ok)
            self->m_stats.acknowledged(steadyMicros() - message->sentMicros);
        else
            self->m_stats.failed();
        if (message->body.isDetached() && self->m_spareBodies.size() < kSpareBodies)
            self->m_spareBodies.push_back(std::move(message->body));
    });
    return sink;
}

std::array<QByteArray, 3> KafkaSink::routes(const QStringList &topics)
{
    const auto named = [&topics](std::initializer_list<QLatin1StringView> words) {
        for (const QString &topic : topics)
            for (const QLatin1StringView word : words)
                if (topic.contains(word, Qt::CaseInsensitive))
                    return topic.toUtf8();
        return topics.value(0).toUtf8();
    };
    std::array<QByteArray, 3> out;
    out[size_t(ShopifyTopic::ProductsUpdate)] = named({QLatin1StringView("product")});
    out[size_t(ShopifyTopic::InventoryLevelsUpdate)] =
        named({QLatin1StringView("inventory"), QLatin1StringView("level")});
    out[size_t(ShopifyTopic::OrdersCreate)] = named({QLatin1StringView("order")});
    return out;
}

void KafkaSink::abandon()
{
    m_producer->purge();
    m_producer->poll(0); // the purged messages' reports: counted as errors, their bodies released
}

bool KafkaSink::canSend() const
{
    return m_producer->inFlight() < 200000;
}

void KafkaSink::send(const WebhookDelivery &d)
{
    char triggeredAt[kIsoTimeBufferSize];
    const int triggeredAtSize = formatIsoTime(d.triggeredAtMs, triggeredAt);
    char createdAt[24];
    const auto created = std::to_chars(createdAt, createdAt + sizeof createdAt, wallMicros());
    const std::array<KafkaHeader, 7> headers{{{"X-Shopify-Topic", shopifyTopicName(d.topic)},
                                              {"X-Shopify-Shop-Domain", view(d.shop)},
                                              {"X-Shopify-Webhook-Id", view(d.webhookId)},
                                              {"X-Shopify-Event-Id", view(d.eventId)},
                                              {"X-Shopify-Triggered-At", {triggeredAt, size_t(triggeredAtSize)}},
                                              {"X-Shopify-API-Version", kShopifyApiVersion},
                                              {kCreatedAtHeader, {createdAt, size_t(created.ptr - createdAt)}}}};
    m_stats.sent();
    auto message = std::make_unique<InFlight>(InFlight{d.body, steadyMicros()}); // shares the body's bytes
    Status s = m_producer->produce(view(m_topics[size_t(d.topic)]), view(d.shop), view(message->body), headers, -1,
                                   message.get(), 0, false);
    if (s)
        message.release(); // the delivery report frees it
    else
        m_stats.failed();
    m_producer->poll(0);
}

QByteArray KafkaSink::spareBody()
{
    if (m_spareBodies.empty())
        return {};
    QByteArray body = std::move(m_spareBodies.back());
    m_spareBodies.pop_back();
    return body;
}

void KafkaSink::serve()
{
    m_producer->poll(0);
}

qint64 KafkaSink::inFlight() const
{
    return m_producer->inFlight();
}

bool KafkaSink::flush(int timeoutMs)
{
    return m_producer->flush(timeoutMs);
}

QByteArray KafkaSink::describe() const
{
    QByteArrayList distinct;
    for (const QByteArray &topic : m_topics)
        if (!distinct.contains(topic))
            distinct << topic;
    return (distinct.size() == 1 ? "kafka topic " : "kafka topics ") + distinct.join(", ") + " at " +
           m_bootstrap.toUtf8();
}

} // namespace peakwatch::sim
