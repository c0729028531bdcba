// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "embedded_cluster.h"

#include "kafka_config.h"
#include "logging.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <QStringBuilder>
#include <QUuid>

namespace peakwatch {

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::start(int brokers, const QList<Topic> &topics)
{
    if (brokers < 1 || brokers > 32)
        return Error{QStringLiteral("the embedded cluster takes 1 to 32 brokers, not %1").arg(brokers)};
    std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster);
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    routeKafkaLogs(conf);
    cluster->m_handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!cluster->m_handle) {
        rd_kafka_conf_destroy(conf);
        return Error{QStringLiteral("cannot start the embedded cluster: ") % QString::fromUtf8(errstr)};
    }
    cluster->m_cluster = rd_kafka_mock_cluster_new(cluster->m_handle, brokers);
    if (!cluster->m_cluster)
        return Error{QStringLiteral("cannot start the embedded cluster's brokers on loopback")};
    cluster->m_brokers = brokers;
    cluster->m_identity = QUuid::createUuid().toRfc4122().toHex();
    if (Status s = cluster->createTopic(
            {QString::fromLatin1(kIdentityTopicPrefix) + QString::fromLatin1(cluster->m_identity), 1});
        !s)
        return Error{s.error()};
    for (const Topic &topic : topics)
        if (Status s = cluster->createTopic(topic); !s)
            return Error{s.error()};
    qCInfo(lcBroker) << "embedded cluster up:" << cluster->bootstrapServers();
    return cluster;
}

EmbeddedCluster::~EmbeddedCluster()
{
    if (m_cluster)
        rd_kafka_mock_cluster_destroy(m_cluster);
    if (m_handle)
        rd_kafka_destroy(m_handle);
}

QString EmbeddedCluster::bootstrapServers() const
{
    return QString::fromUtf8(rd_kafka_mock_cluster_bootstraps(m_cluster));
}

Status EmbeddedCluster::createTopic(const Topic &topic)
{
    if (topic.name.isEmpty())
        return Error{QStringLiteral("a topic needs a name")};
    if (topic.partitions < 1 || topic.partitions > 10000)
        return Error{QStringLiteral("topic %1: 1 to 10000 partitions, not %2").arg(topic.name).arg(topic.partitions)};
    const int replication = std::min(m_brokers, 3);
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(m_cluster, topic.name.toUtf8().constData(), topic.partitions, replication);
    if (err)
        return Error{QStringLiteral("cannot create topic ") % topic.name % QStringLiteral(": ") %
                     QString::fromUtf8(rd_kafka_err2str(err))};
    return {};
}

Status EmbeddedCluster::setBrokerUp(int id, bool up)
{
    if (id < 1 || id > m_brokers)
        return Error{QStringLiteral("the embedded cluster has brokers 1 to %1, not %2").arg(m_brokers).arg(id)};
    const rd_kafka_resp_err_t err =
        up ? rd_kafka_mock_broker_set_up(m_cluster, id) : rd_kafka_mock_broker_set_down(m_cluster, id);
    if (err)
        return Error{QStringLiteral("cannot take broker %1 %2: ")
                         .arg(id)
                         .arg(up ? QStringLiteral("up") : QStringLiteral("down")) %
                     QString::fromUtf8(rd_kafka_err2str(err))};
    return {};
}

Result<EmbeddedCluster::Topic> EmbeddedCluster::parseTopic(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    Topic topic{text, 1};
    if (colon >= 0) {
        bool ok = false;
        topic.name = text.left(colon);
        topic.partitions = text.mid(colon + 1).toInt(&ok);
        if (!ok || topic.partitions < 1)
            return Error{QStringLiteral("--topic ") % text % QStringLiteral(": expected NAME or NAME:PARTITIONS")};
    }
    if (topic.name.isEmpty())
        return Error{QStringLiteral("--topic ") % text % QStringLiteral(": the topic needs a name")};
    return topic;
}

} // namespace peakwatch
