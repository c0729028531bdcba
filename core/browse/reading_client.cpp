// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "reading_client.h"

#include "connection_failure.h"
#include "msk_iam_auth.h"

#include <QRandomGenerator>
#include <QStringBuilder>

#include <librdkafka/rdkafka.h>

#include <algorithm>

namespace peakwatch {

ReadingClient::~ReadingClient()
{
    if (!m_rk)
        return;
    if (m_consumer)
        rd_kafka_consumer_close(m_rk);
    rd_kafka_destroy(m_rk);
}

Status ReadingClient::open(const QString &bootstrapServers, const KafkaProperties &tuning,
                           const KafkaProperties &properties, const QString &group)
{
    KafkaProperties all{{"bootstrap.servers", bootstrapServers.toUtf8()},
                        {"client.id", "peakwatch-topic-browser"},
                        {"log_level", "3"},
                        {"allow.auto.create.topics", "false"},
                        // librdkafka needs a group id even to read assigned partitions; a private one never joins.
                        {"group.id", group.isEmpty()
                                         ? QByteArray("peakwatch-reader-") +
                                               QByteArray::number(QRandomGenerator::global()->generate64(), 16)
                                         : group.toUtf8()}};
    all += tuning;
    all += properties;
    all += KafkaProperties{{"enable.partition.eof", "true"},
                           {"auto.offset.reset", "error"},
                           {"enable.auto.commit", "false"},
                           {"enable.auto.offset.store", "false"}};
    if (Status s = create(RD_KAFKA_CONSUMER, bootstrapServers, all); !s)
        return s;
    m_consumer = true;
    rd_kafka_poll_set_consumer(m_rk);
    return {};
}

Status ReadingClient::openForRequests(const QString &bootstrapServers, const KafkaProperties &properties)
{
    KafkaProperties all{
        {"bootstrap.servers", bootstrapServers.toUtf8()}, {"client.id", "peakwatch-topic-browser"}, {"log_level", "3"}};
    all += properties;
    return create(RD_KAFKA_PRODUCER, bootstrapServers, all);
}

Status ReadingClient::create(int type, const QString &bootstrapServers, const KafkaProperties &all)
{
    auto conf = makeKafkaConf(all);
    if (!conf)
        return Error{conf.error()};
    rd_kafka_conf_set_opaque(*conf, this);
    rd_kafka_conf_set_log_cb(*conf, [](const rd_kafka_t *rk, int level, const char *facility, const char *text) {
        BrokerFailureLog::record(rk ? &static_cast<ReadingClient *>(rd_kafka_opaque(rk))->m_brokerFailures : nullptr,
                                 rk, level, facility, text);
    });
    char errstr[512];
    m_rk = rd_kafka_new(rd_kafka_type_t(type), *conf, errstr, sizeof errstr);
    if (!m_rk) {
        rd_kafka_conf_destroy(*conf);
        return Error{QStringLiteral("cannot create a Kafka client for ") % bootstrapServers % QStringLiteral(": ") %
                     QString::fromUtf8(errstr)};
    }
    startSaslBackground(m_rk); // MSK IAM tokens are made on the background thread
    return {};
}

QString ReadingClient::silence(std::chrono::milliseconds waited) const
{
    const QString failure = m_brokerFailures.last();
    return QStringLiteral("no answer from the cluster within ") %
           QString::number(double(waited.count()) / 1000.0, 'g', 3) % QStringLiteral(" s") %
           (failure.isEmpty() ? QString() : QStringLiteral(" (") % classifyConnectionFailure(failure).text() % u')');
}

namespace {

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

} // namespace

int readPartitionOffsets(rd_kafka_t *rk, QList<TopicInfo> &topics, const OffsetsAttempt &attempt)
{
    QList<QByteArray> names;
    int count = 0;
    for (const TopicInfo &t : std::as_const(topics)) {
        names.append(t.name.toUtf8());
        count += int(t.partitions.size());
    }
    if (count == 0)
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    // ListOffsets with the timestamps -2 and -1 asks for the earliest and the latest offsets.
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(count);
    for (qsizetype t = 0; t < topics.size(); ++t)
        for (const PartitionInfo &p : std::as_const(topics[t].partitions))
            rd_kafka_topic_partition_list_add(list, names[t].constData(), p.partition);
    int err = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (const int64_t which : {RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END}) {
        err = attempt([&](int timeoutMs) {
            for (int i = 0; i < list->cnt; ++i) {
                list->elems[i].offset = which;
                list->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
            }
            return int(rd_kafka_offsets_for_times(rk, list, timeoutMs));
        });
        if (err)
            break;
        int i = 0;
        for (TopicInfo &t : topics) {
            for (PartitionInfo &p : t.partitions) {
                const rd_kafka_topic_partition_t &e = list->elems[i++];
                if (e.err && p.error.isEmpty())
                    p.error = errText(e.err);
                else if (which == RD_KAFKA_OFFSET_BEGINNING)
                    p.low = e.offset;
                else
                    p.high = e.offset;
            }
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

int readPartitionOffsets(rd_kafka_t *rk, QList<TopicInfo> &topics, std::chrono::milliseconds timeout)
{
    return readPartitionOffsets(rk, topics,
                                [&](const std::function<int(int)> &request) { return request(int(timeout.count())); });
}

QString noSuchPartition(const QString &topic, qint64 partition, qsizetype partitions)
{
    return QStringLiteral("topic %1 has no partition %2 (it has %3)")
        .arg(topic)
        .arg(partition)
        .arg(partitions == 1 ? QStringLiteral("partition 0")
                             : QStringLiteral("partitions 0 to %1").arg(partitions - 1));
}

TopicMessage::TimestampType timestampTypeOf(int librdkafkaType)
{
    switch (rd_kafka_timestamp_type_t(librdkafkaType)) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME: return TopicMessage::TimestampType::CreateTime;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return TopicMessage::TimestampType::LogAppendTime;
    case RD_KAFKA_TIMESTAMP_NOT_AVAILABLE: break;
    }
    return TopicMessage::TimestampType::NotAvailable;
}

Result<QList<int>> topicPartitions(rd_kafka_t *rk, const QString &topic, const QString &bootstrap,
                                   std::chrono::milliseconds timeout)
{
    const rd_kafka_metadata_t *md = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, int(timeout.count()));
    if (err)
        return Error{QStringLiteral("cannot list the partitions of topic %1 on %2: ").arg(topic, bootstrap) %
                     errText(err)};
    const QByteArray name = topic.toUtf8();
    QList<int> out;
    QString problem = QStringLiteral("topic %1 does not exist on %2").arg(topic, bootstrap);
    for (int t = 0; t < md->topic_cnt; ++t) {
        const rd_kafka_metadata_topic_t &mt = md->topics[t];
        if (name != mt.topic)
            continue;
        if (mt.err) {
            problem = QStringLiteral("topic %1: ").arg(topic) % errText(mt.err);
        } else {
            problem.clear();
            for (int i = 0; i < mt.partition_cnt; ++i)
                out << mt.partitions[i].id;
        }
    }
    rd_kafka_metadata_destroy(md);
    if (!problem.isEmpty())
        return Error{problem};
    std::sort(out.begin(), out.end());
    return out;
}

Result<QList<int>> topicPartitions(const QString &bootstrapServers, const KafkaProperties &properties,
                                   const QString &topic, std::chrono::milliseconds timeout)
{
    ReadingClient client;
    if (Status s = client.open(bootstrapServers, {}, properties); !s)
        return Error{s.error()};
    auto partitions = topicPartitions(client.handle(), topic, bootstrapServers, timeout);
    if (!partitions && partitions.error().contains(QLatin1String("Timed out")))
        return Error{QStringLiteral("cannot look up topic %1: ").arg(topic) % client.silence(timeout)};
    return partitions;
}

} // namespace peakwatch
