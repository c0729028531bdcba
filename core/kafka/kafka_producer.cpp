// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_producer.h"

#include "connection_failure.h"
#include "logging.h"
#include "msk_iam_auth.h"
#include "thread_priority.h"

#include <librdkafka/rdkafka.h>

#include <QStringBuilder>

#include <chrono>
#include <cstring>

namespace peakwatch {

Result<std::unique_ptr<KafkaProducer>> KafkaProducer::create(const QString &bootstrapServers,
                                                             const KafkaProperties &properties,
                                                             KafkaProducer::DeliveryReports reports)
{
    KafkaProperties all{{"bootstrap.servers", bootstrapServers.toUtf8()},
                        {"linger.ms", "5"},
                        {"log_level", "3"},
                        {"queue.buffering.max.messages", "500000"}};
    all += properties;
    auto conf = makeKafkaConf(all);
    if (!conf)
        return Error{conf.error()};
    std::unique_ptr<KafkaProducer> producer(new KafkaProducer);
    producer->m_bootstrap = bootstrapServers;
    rd_kafka_conf_set_opaque(*conf, producer.get());
    // librdkafka's lines go to their logging category; a broker's failure is kept to say why nothing is delivered.
    rd_kafka_conf_set_log_cb(*conf, [](const rd_kafka_t *rk, int level, const char *facility, const char *text) {
        logKafkaLine(rk, level, facility, text);
        if (rk && level <= 4 && std::strcmp(facility, "FAIL") == 0) {
            auto *self = static_cast<KafkaProducer *>(rd_kafka_opaque(rk));
            std::lock_guard lock(self->m_errorMutex);
            self->m_brokerFailure = QString::fromUtf8(text);
            self->m_failing = true;
        }
    });
    rd_kafka_conf_set_dr_msg_cb(
        *conf, [](rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) { onDeliveryReport(rk, m, opaque); });
    char errstr[512];
    producer->m_rk = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, errstr, sizeof errstr);
    if (producer->m_rk)
        startSaslBackground(producer->m_rk); // MSK IAM tokens are made on the background thread
    if (!producer->m_rk) {
        rd_kafka_conf_destroy(*conf);
        return Error{QStringLiteral("cannot create a Kafka producer: ") % QString::fromUtf8(errstr)};
    }
    producer->m_callerPolls = reports == DeliveryReports::ByCaller;
    if (producer->m_callerPolls)
        return producer;
    rd_kafka_t *rk = producer->m_rk;
    producer->m_poller = std::jthread([rk](std::stop_token stop) {
        yieldToTheWindow();
        while (!stop.stop_requested())
            rd_kafka_poll(rk, 10); // short, so that shutdown never waits long for it
    });
    return producer;
}

KafkaProducer::~KafkaProducer()
{
    if (!m_rk)
        return;
    if (!flush(10000))
        qCWarning(lcKafka) << inFlight() << "messages were still undelivered at shutdown";
    m_poller.request_stop();
    if (m_poller.joinable())
        m_poller.join();
    for (rd_kafka_topic_t *topic : m_topics)
        rd_kafka_topic_destroy(topic);
    rd_kafka_destroy(m_rk);
}

void KafkaProducer::setDeliveryHandler(DeliveryHandler handler)
{
    m_handler = std::move(handler);
}

void KafkaProducer::onDeliveryReport(rd_kafka_t *, const void *message, void *opaque)
{
    auto *self = static_cast<KafkaProducer *>(opaque);
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    Delivery d;
    d.ok = m->err == RD_KAFKA_RESP_ERR_NO_ERROR;
    d.partition = m->partition;
    d.offset = m->offset;
    d.opaque = m->_private;
    if (d.ok) {
        self->m_delivered.fetch_add(1, std::memory_order_relaxed);
        if (self->m_failing.load(std::memory_order_relaxed)) {
            std::lock_guard lock(self->m_errorMutex);
            self->m_brokerFailure.clear();
            self->m_failing = false;
        }
    } else {
        self->m_failed.fetch_add(1, std::memory_order_relaxed);
        d.error = QString::fromUtf8(rd_kafka_err2str(m->err));
        std::lock_guard lock(self->m_errorMutex);
        self->m_lastError = d.error;
    }
    if (self->m_handler)
        self->m_handler(d);
}

Status KafkaProducer::produce(std::string_view topic, std::string_view key, std::string_view value,
                              std::span<const KafkaHeader> headers, int partition, void *opaque, qint64 timestampMs,
                              bool copyValue)
{
    rd_kafka_headers_t *hdrs = nullptr;
    if (!headers.empty()) {
        hdrs = rd_kafka_headers_new(headers.size());
        for (const KafkaHeader &h : headers)
            rd_kafka_header_add(hdrs, h.name.data(), ssize_t(h.name.size()), h.value.data(), ssize_t(h.value.size()));
    }
    rd_kafka_topic_t *rkt = topicHandle(topic);
    if (!rkt)
        return Error{QStringLiteral("cannot use topic ") % QString::fromUtf8(topic.data(), qsizetype(topic.size()))};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            m_rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_MSGFLAGS(copyValue ? RD_KAFKA_MSG_F_COPY : 0), RD_KAFKA_V_KEY(key.data(), key.size()),
            RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()), RD_KAFKA_V_HEADERS(hdrs),
            RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_TIMESTAMP(timestampMs), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
            return {}; // the headers now belong to the message
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && std::chrono::steady_clock::now() < deadline) {
            if (m_callerPolls)
                rd_kafka_poll(m_rk, 2);
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(2)); // the poller drains deliveries
            continue;
        }
        if (hdrs)
            rd_kafka_headers_destroy(hdrs);
        return Error{QStringLiteral("cannot produce to ") % QString::fromUtf8(topic.data(), qsizetype(topic.size())) %
                     QStringLiteral(": ") % QString::fromUtf8(rd_kafka_err2str(err))};
    }
}

rd_kafka_topic_t *KafkaProducer::topicHandle(std::string_view topic)
{
    std::lock_guard lock(m_topicsMutex);
    for (rd_kafka_topic_t *rkt : m_topics)
        if (topic == rd_kafka_topic_name(rkt))
            return rkt;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(m_rk, std::string(topic).c_str(), nullptr);
    if (rkt)
        m_topics.push_back(rkt);
    return rkt;
}

Status KafkaProducer::prepareTopic(const QString &topic, int timeoutMs)
{
    const QByteArray name = topic.toUtf8();
    rd_kafka_topic_t *rkt = topicHandle(std::string_view(name.constData(), size_t(name.size())));
    if (!rkt)
        return Error{QStringLiteral("cannot use topic ") % topic % QStringLiteral(": ") %
                     QString::fromUtf8(rd_kafka_err2str(rd_kafka_last_error()))};
    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(m_rk, 0, rkt, &metadata, timeoutMs);
    if (err)
        return Error{connectionFailureMessage(m_bootstrap, brokerFailure(),
                                              QStringLiteral("looking up topic ") % topic % QStringLiteral(": ") %
                                                  QString::fromUtf8(rd_kafka_err2str(err)))};
    const rd_kafka_resp_err_t topicErr =
        metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_metadata_destroy(metadata);
    if (topicErr)
        return Error{QStringLiteral("topic ") % topic % QStringLiteral(": ") %
                     QString::fromUtf8(rd_kafka_err2str(topicErr))};
    return {};
}

void KafkaProducer::poll(int timeoutMs)
{
    if (m_callerPolls)
        rd_kafka_poll(m_rk, timeoutMs);
}

bool KafkaProducer::flush(int timeoutMs)
{
    return rd_kafka_flush(m_rk, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

int KafkaProducer::inFlight() const
{
    return rd_kafka_outq_len(m_rk);
}

QString KafkaProducer::brokerFailure() const
{
    std::lock_guard lock(m_errorMutex);
    return m_brokerFailure;
}

void KafkaProducer::purge()
{
    rd_kafka_purge(m_rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING);
}

QString KafkaProducer::lastError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

} // namespace peakwatch
