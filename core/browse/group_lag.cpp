// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "group_lag.h"

#include "reading_client.h"

#include <QSet>
#include <QStringBuilder>

#include <librdkafka/rdkafka.h>

#include <algorithm>

namespace peakwatch {
namespace {

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

// Waits for an admin request's result on its own queue; the event is the caller's to destroy.
rd_kafka_event_t *awaitResult(rd_kafka_queue_t *queue, std::chrono::milliseconds timeout)
{
    return rd_kafka_queue_poll(queue, int(timeout.count()) + 1000);
}

rd_kafka_AdminOptions_t *adminOptions(rd_kafka_t *rk, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout)
{
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, op);
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(options, int(timeout.count()), errstr, sizeof errstr);
    return options;
}

// Said plainly when a cluster does not answer a kind of request about groups.
QString unanswered(const QString &what, const QString &why)
{
    return QStringLiteral("the cluster does not %1 (%2)").arg(what, why);
}

bool describe(rd_kafka_t *rk, GroupLag &lag, std::chrono::milliseconds timeout)
{
    rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
    const QByteArray id = lag.group.toUtf8();
    const char *ids[] = {id.constData()};
    rd_kafka_AdminOptions_t *options = adminOptions(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout);
    rd_kafka_DescribeConsumerGroups(rk, ids, 1, options, queue);
    rd_kafka_event_t *event = awaitResult(queue, timeout);
    QString why;
    if (!event) {
        why = QStringLiteral("no answer");
    } else if (rd_kafka_event_error(event)) {
        why = QString::fromUtf8(rd_kafka_event_error_string(event));
    } else if (const auto *result = rd_kafka_event_DescribeConsumerGroups_result(event)) {
        size_t n = 0;
        const rd_kafka_ConsumerGroupDescription_t **groups = rd_kafka_DescribeConsumerGroups_result_groups(result, &n);
        if (n > 0) {
            if (const rd_kafka_error_t *error = rd_kafka_ConsumerGroupDescription_error(groups[0])) {
                why = QString::fromUtf8(rd_kafka_error_string(error));
            } else {
                lag.state = QString::fromUtf8(
                    rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(groups[0])));
                lag.members = int(rd_kafka_ConsumerGroupDescription_member_count(groups[0]));
            }
        }
    }
    if (!why.isEmpty())
        lag.notes << unanswered(QStringLiteral("describe consumer groups: their state and members are not known"), why);
    if (event)
        rd_kafka_event_destroy(event);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_queue_destroy(queue);
    return why.isEmpty();
}

// The offsets the group committed: for the partitions in `list`, or (with `list` null) for all it has.
Result<rd_kafka_topic_partition_list_t *> committedOffsets(rd_kafka_t *rk, const QString &group,
                                                           const rd_kafka_topic_partition_list_t *list,
                                                           std::chrono::milliseconds timeout)
{
    rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
    rd_kafka_ListConsumerGroupOffsets_t *request =
        rd_kafka_ListConsumerGroupOffsets_new(group.toUtf8().constData(), list);
    rd_kafka_AdminOptions_t *options = adminOptions(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout);
    rd_kafka_ListConsumerGroupOffsets(rk, &request, 1, options, queue);
    rd_kafka_event_t *event = awaitResult(queue, timeout);
    Result<rd_kafka_topic_partition_list_t *> out = Error{QStringLiteral("no answer")};
    if (event && rd_kafka_event_error(event)) {
        out = Error{QString::fromUtf8(rd_kafka_event_error_string(event))};
    } else if (event) {
        const auto *result = rd_kafka_event_ListConsumerGroupOffsets_result(event);
        size_t n = 0;
        const rd_kafka_group_result_t **groups =
            result ? rd_kafka_ListConsumerGroupOffsets_result_groups(result, &n) : nullptr;
        if (n > 0 && rd_kafka_group_result_error(groups[0]))
            out = Error{QString::fromUtf8(rd_kafka_error_string(rd_kafka_group_result_error(groups[0])))};
        else if (n > 0 && rd_kafka_group_result_partitions(groups[0]))
            out = rd_kafka_topic_partition_list_copy(rd_kafka_group_result_partitions(groups[0]));
    }
    if (event)
        rd_kafka_event_destroy(event);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_ListConsumerGroupOffsets_destroy(request);
    rd_kafka_queue_destroy(queue);
    return out;
}

// The cluster's consumer groups, in name order.
Result<QList<GroupListing>> listGroups(rd_kafka_t *rk, std::chrono::milliseconds timeout)
{
    rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *options = adminOptions(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout);
    rd_kafka_ListConsumerGroups(rk, options, queue);
    rd_kafka_event_t *event = awaitResult(queue, timeout);
    Result<QList<GroupListing>> out =
        Error{unanswered(QStringLiteral("list consumer groups"), QStringLiteral("no answer"))};
    if (event && rd_kafka_event_error(event)) {
        out = Error{
            unanswered(QStringLiteral("list consumer groups"), QString::fromUtf8(rd_kafka_event_error_string(event)))};
    } else if (event) {
        const auto *result = rd_kafka_event_ListConsumerGroups_result(event);
        size_t errors = 0;
        const rd_kafka_error_t **errs = result ? rd_kafka_ListConsumerGroups_result_errors(result, &errors) : nullptr;
        size_t n = 0;
        const rd_kafka_ConsumerGroupListing_t **groups =
            result ? rd_kafka_ListConsumerGroups_result_valid(result, &n) : nullptr;
        if (n == 0 && errors > 0) {
            out = Error{
                unanswered(QStringLiteral("list consumer groups"), QString::fromUtf8(rd_kafka_error_string(errs[0])))};
        } else {
            QList<GroupListing> listed;
            for (size_t i = 0; i < n; ++i)
                listed.append({QString::fromUtf8(rd_kafka_ConsumerGroupListing_group_id(groups[i])),
                               QString::fromUtf8(rd_kafka_consumer_group_state_name(
                                   rd_kafka_ConsumerGroupListing_state(groups[i])))});
            std::sort(listed.begin(), listed.end(),
                      [](const GroupListing &a, const GroupListing &b) { return a.group < b.group; });
            out = listed;
        }
    }
    if (event)
        rd_kafka_event_destroy(event);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_queue_destroy(queue);
    return out;
}

// Every topic of the cluster but the internal ones ("__..."), in name order, each with its partitions: where the
// cluster does not say which topics a group reads, the ones to look on.
Result<QList<TopicInfo>> everyTopic(const ReadingClient &client, const QString &bootstrapServers,
                                    std::chrono::milliseconds timeout)
{
    const rd_kafka_metadata_t *md = nullptr;
    if (const rd_kafka_resp_err_t err = rd_kafka_metadata(client.handle(), 1, nullptr, &md, int(timeout.count())))
        return Error{QStringLiteral("cannot list the topics on %1: ").arg(bootstrapServers) %
                     (err == RD_KAFKA_RESP_ERR__TIMED_OUT ? client.silence(timeout) : errText(err))};
    QList<TopicInfo> topics;
    for (int t = 0; t < md->topic_cnt; ++t) {
        const rd_kafka_metadata_topic_t &mt = md->topics[t];
        if (mt.err || QByteArrayView(mt.topic).startsWith("__"))
            continue;
        TopicInfo topic{QString::fromUtf8(mt.topic), {}, {}};
        for (int i = 0; i < mt.partition_cnt; ++i)
            topic.partitions.append(PartitionInfo{.partition = mt.partitions[i].id});
        std::sort(topic.partitions.begin(), topic.partitions.end(),
                  [](const PartitionInfo &a, const PartitionInfo &b) { return a.partition < b.partition; });
        topics.append(topic);
    }
    rd_kafka_metadata_destroy(md);
    std::sort(topics.begin(), topics.end(), [](const TopicInfo &a, const TopicInfo &b) { return a.name < b.name; });
    return topics;
}

// Of `list`, the topics the group has committed an offset on in at least one partition; `list` is destroyed.
rd_kafka_topic_partition_list_t *committedTopicsOnly(rd_kafka_topic_partition_list_t *list)
{
    QSet<QByteArray> committed;
    for (int i = 0; i < list->cnt; ++i)
        if (!list->elems[i].err && list->elems[i].offset >= 0)
            committed.insert(QByteArray(list->elems[i].topic));
    rd_kafka_topic_partition_list_t *kept = rd_kafka_topic_partition_list_new(list->cnt);
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &tp = list->elems[i];
        if (!committed.contains(QByteArray(tp.topic)))
            continue;
        rd_kafka_topic_partition_t *copy = rd_kafka_topic_partition_list_add(kept, tp.topic, tp.partition);
        copy->offset = tp.offset;
        copy->err = tp.err;
    }
    rd_kafka_topic_partition_list_destroy(list);
    return kept;
}

// readGroupLag(), and with `topics` empty on a cluster that does not say which topics the group reads, every topic
// (lookEverywhere) or an error that says to name them.
Result<GroupLag> readLag(const QString &bootstrapServers, const KafkaProperties &properties, const QString &group,
                         const QStringList &topics, bool lookEverywhere, std::chrono::milliseconds timeout)
{
    ReadingClient admin;
    if (Status s = admin.openForRequests(bootstrapServers, properties); !s)
        return Error{s.error()};
    rd_kafka_t *rk = admin.handle();
    GroupLag lag;
    lag.group = group;
    // Asked to describe the group only where the cluster lists groups: librdkafka waits on a DescribeGroups the
    // embedded cluster never answers, even when the client is destroyed.
    bool described = false;
    if (auto listed = listGroups(rk, timeout); listed)
        described = describe(rk, lag, timeout);
    else
        lag.notes << listed.error() % QStringLiteral(" nor describe them: the group's state and members are not known");

    rd_kafka_topic_partition_list_t *list = nullptr;
    if (topics.isEmpty() && (described || !lookEverywhere)) {
        // Which topics the group reads: only a cluster that describes groups is asked for all its offsets.
        if (!described)
            return Error{lag.notes.value(0) % QStringLiteral(", so which topics group %1 reads is not known: name them "
                                                             "with -t")
                                                  .arg(group)};
        auto committed = committedOffsets(rk, group, nullptr, timeout);
        if (!committed)
            return Error{unanswered(QStringLiteral("say which topics group %1 has committed offsets for").arg(group),
                                    committed.error()) %
                         QStringLiteral("; name them with -t")};
        list = *committed;
    } else {
        list = rd_kafka_topic_partition_list_new(0);
        if (topics.isEmpty()) {
            // The cluster does not say which topics the group reads: every one is asked, and those the group has
            // committed nothing on are left out below.
            auto every = everyTopic(admin, bootstrapServers, timeout);
            if (!every) {
                rd_kafka_topic_partition_list_destroy(list);
                return Error{every.error()};
            }
            for (const TopicInfo &topic : std::as_const(*every))
                for (const PartitionInfo &p : topic.partitions)
                    rd_kafka_topic_partition_list_add(list, topic.name.toUtf8().constData(), p.partition);
        }
        for (const QString &topic : topics) {
            auto partitions = topicPartitions(rk, topic, bootstrapServers, timeout);
            if (!partitions) {
                rd_kafka_topic_partition_list_destroy(list);
                return Error{partitions.error()};
            }
            for (int p : std::as_const(*partitions))
                rd_kafka_topic_partition_list_add(list, topic.toUtf8().constData(), p);
        }
        if (list->cnt > 0) {
            // The group's coordinator answers OffsetFetch for a client of that group id that never joins it.
            ReadingClient member;
            Status opened = member.open(bootstrapServers, {}, properties, group);
            const rd_kafka_resp_err_t err =
                opened ? rd_kafka_committed(member.handle(), list, int(timeout.count())) : RD_KAFKA_RESP_ERR_NO_ERROR;
            if (!opened || err) {
                rd_kafka_topic_partition_list_destroy(list);
                return Error{QStringLiteral("cannot read the offsets group %1 committed: ").arg(group) %
                             (opened ? (err == RD_KAFKA_RESP_ERR__TIMED_OUT ? member.silence(timeout) : errText(err))
                                     : opened.error())};
            }
        }
        if (topics.isEmpty())
            list = committedTopicsOnly(list);
    }
    // The partitions' ends, all in one request per broker.
    QList<TopicInfo> ends;
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &tp = list->elems[i];
        const QString topic = QString::fromUtf8(tp.topic);
        if (ends.isEmpty() || ends.last().name != topic)
            ends.append(TopicInfo{topic, {}, {}});
        ends.last().partitions.append(PartitionInfo{.partition = tp.partition});
        PartitionLag p;
        p.topic = topic;
        p.partition = tp.partition;
        p.committed = tp.err || tp.offset < 0 ? -1 : qint64(tp.offset);
        if (tp.err)
            p.error = errText(tp.err);
        lag.partitions.append(p);
    }
    const int err = readPartitionOffsets(rk, ends, timeout);
    qsizetype next = 0;
    for (const TopicInfo &t : std::as_const(ends)) {
        for (const PartitionInfo &e : t.partitions) {
            PartitionLag &p = lag.partitions[next++];
            if (e.offsetsKnown())
                p.end = e.high;
            else
                p.error = QStringLiteral("end offset unknown: ") % (err == RD_KAFKA_RESP_ERR__TIMED_OUT
                                                                        ? admin.silence(timeout)
                                                                    : err ? errText(rd_kafka_resp_err_t(err))
                                                                          : e.error);
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
    std::sort(lag.partitions.begin(), lag.partitions.end(), [](const PartitionLag &a, const PartitionLag &b) {
        return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
    });
    if (lag.partitions.isEmpty() && topics.isEmpty())
        lag.notes << QStringLiteral("group %1 has committed no offsets").arg(group);
    return lag;
}

} // namespace

qint64 GroupLag::totalLag() const
{
    qint64 total = 0;
    for (const PartitionLag &p : partitions)
        total += std::max<qint64>(0, p.lag());
    return total;
}

Result<GroupLag> readGroupLag(const QString &bootstrapServers, const KafkaProperties &properties, const QString &group,
                              const QStringList &topics, std::chrono::milliseconds timeout)
{
    return readLag(bootstrapServers, properties, group, topics, false, timeout);
}

Result<GroupLag> readGroupLagOnCommittedTopics(const QString &bootstrapServers, const KafkaProperties &properties,
                                               const QString &group, std::chrono::milliseconds timeout)
{
    return readLag(bootstrapServers, properties, group, {}, true, timeout);
}

Result<QList<GroupListing>> listGroups(const QString &bootstrapServers, const KafkaProperties &properties,
                                       std::chrono::milliseconds timeout)
{
    ReadingClient client;
    if (Status s = client.openForRequests(bootstrapServers, properties); !s)
        return Error{s.error()};
    return listGroups(client.handle(), timeout);
}

} // namespace peakwatch
