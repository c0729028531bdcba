// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_consumer.h"

#include "connection_failure.h"
#include "embedded_cluster.h"
#include "logging.h"
#include "msk_iam_auth.h"
#include "stream_origin.h"

#include <librdkafka/rdkafka.h>

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QStringBuilder>

#include <algorithm>
#include <cstring>

namespace peakwatch {
namespace {

constexpr int kMetadataTimeoutMs = 10000;
constexpr int kConnectSliceMs = 200;
constexpr auto kEmptyAssignmentGrace = std::chrono::seconds(5);

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

// What identifies the cluster `rk` reached, from its metadata: the cluster id its brokers report (Kafka 0.10.1
// and later; MSK's is a UUID), else the brokers' addresses. librdkafka's mock cluster reports its address in
// memory as its id ("mockCluster" and hex), the same for every cluster started in one process, so an embedded
// cluster adds the identity it made itself at start (EmbeddedCluster::kIdentityTopicPrefix).
QByteArray clusterIdentity(rd_kafka_t *rk, const rd_kafka_metadata_t &metadata)
{
    QByteArray identity;
    if (char *id = rd_kafka_clusterid(rk, 1000)) {
        identity = id;
        rd_kafka_mem_free(rk, id);
    } else {
        QList<QByteArray> brokers;
        for (int i = 0; i < metadata.broker_cnt; ++i)
            brokers << QByteArray(metadata.brokers[i].host) + ':' + QByteArray::number(metadata.brokers[i].port);
        std::sort(brokers.begin(), brokers.end());
        identity = QByteArrayLiteral("brokers=") + brokers.join(',');
    }
    const std::string_view prefix(EmbeddedCluster::kIdentityTopicPrefix);
    for (int i = 0; i < metadata.topic_cnt; ++i) {
        const std::string_view topic(metadata.topics[i].topic);
        if (topic.starts_with(prefix)) {
            identity += QByteArrayLiteral("+") +
                        QByteArray(topic.substr(prefix.size()).data(), qsizetype(topic.size() - prefix.size()));
            break;
        }
    }
    return identity;
}

} // namespace

Result<ConsumerOptions::Start> ConsumerOptions::parseStart(const QString &text, qint64 &offset)
{
    if (text == QLatin1String("beginning"))
        return Start::Beginning;
    if (text == QLatin1String("end"))
        return Start::End;
    if (text == QLatin1String("stored"))
        return Start::Stored;
    bool ok = false;
    offset = text.toLongLong(&ok);
    if (!ok || offset < 0)
        return Error{QStringLiteral("-o ") % text % QStringLiteral(": expected beginning, end, stored or an offset")};
    return Start::Offset;
}

KafkaConsumer::KafkaConsumer(ConsumerOptions options, ConsumerHandler &handler)
    : m_options(std::move(options))
    , m_handler(handler)
{}

KafkaConsumer::~KafkaConsumer()
{
    requestStop();
    wait();
    if (m_rk)
        rd_kafka_destroy(m_rk);
}

Status KafkaConsumer::start()
{
    const bool grouped = !m_options.group.isEmpty();
    if (m_options.start == ConsumerOptions::Start::Stored && !grouped)
        return Error{QStringLiteral("-o stored needs a consumer group (--group)")};

    KafkaProperties all{{"bootstrap.servers", m_options.bootstrapServers.toUtf8()},
                        {"enable.partition.eof", "true"},
                        // Out-of-range offsets come back as errors, so a gap is reported, not skipped.
                        {"auto.offset.reset", "error"},
                        {"enable.auto.commit", "false"},
                        // A live dashboard wants each message soon, not the broker's 500 ms batching wait.
                        {"fetch.wait.max.ms", "20"},
                        // After a gap the reader must fetch again before retention overtakes it once more:
                        // librdkafka waits 500 ms after a fetch error by default, longer than a busy
                        // embedded partition keeps its messages at 50,000 events/s.
                        {"fetch.error.backoff.ms", "50"},
                        {"log_level", "3"}};
    // librdkafka needs a group id even to read assigned partitions; without --group it is a private
    // one that never joins or commits.
    all.append({"group.id", grouped ? m_options.group.toUtf8()
                                    : QByteArray("peakwatch-reader-") +
                                          QByteArray::number(QRandomGenerator::global()->generate64(), 16)});
    all += m_options.properties;
    auto conf = makeKafkaConf(all);
    if (!conf)
        return Error{conf.error()};
    rd_kafka_conf_set_opaque(*conf, this);
    // librdkafka's lines go to their logging category; a broker's failure is kept to say why start() failed.
    rd_kafka_conf_set_log_cb(*conf, [](const rd_kafka_t *rk, int level, const char *facility, const char *text) {
        logKafkaLine(rk, level, facility, text);
        if (rk && level <= 4 && std::strcmp(facility, "FAIL") == 0) {
            auto *self = static_cast<KafkaConsumer *>(rd_kafka_opaque(rk));
            std::lock_guard lock(self->m_errorMutex);
            self->m_lastBrokerFailure = QString::fromUtf8(text);
        }
    });
    if (grouped)
        rd_kafka_conf_set_rebalance_cb(
            *conf, [](rd_kafka_t *, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions,
                      void *opaque) { static_cast<KafkaConsumer *>(opaque)->onRebalance(err, partitions); });
    char errstr[512];
    m_rk = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, errstr, sizeof errstr);
    if (m_rk)
        startSaslBackground(m_rk); // MSK IAM tokens are made on the background thread
    if (!m_rk) {
        rd_kafka_conf_destroy(*conf);
        return Error{QStringLiteral("cannot create a Kafka consumer: ") % QString::fromUtf8(errstr)};
    }
    rd_kafka_poll_set_consumer(m_rk);

    // Check the topics are there, and learn their partitions.
    m_topics.clear();
    for (const QString &name : m_options.topic.split(u',', Qt::SkipEmptyParts))
        if (const QByteArray topic = name.trimmed().toUtf8();
            !topic.isEmpty() && std::find(m_topics.begin(), m_topics.end(), topic) == m_topics.end())
            m_topics.push_back(topic);
    if (m_topics.empty())
        return Error{QStringLiteral("no topic given")};
    QByteArray topicName = m_topics.front(); // what the stream origin names: the topics as given, in order
    for (size_t i = 1; i < m_topics.size(); ++i)
        topicName += ',' + m_topics[i];
    const rd_kafka_metadata_t *metadata = nullptr;
    // In slices, so that requestStop() from another thread ends the wait for an unreachable cluster soon.
    // _TRANSPORT is librdkafka's "no broker came up within the time given", _TIMED_OUT "no answer yet".
    auto waiting = [](rd_kafka_resp_err_t e) {
        return e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT;
    };
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    for (QDeadlineTimer deadline(kMetadataTimeoutMs); waiting(err) && !deadline.hasExpired();) {
        if (m_stopRequested)
            return Error{QStringLiteral("stopped while connecting to ") % m_options.bootstrapServers};
        const int slice = int(std::min<qint64>(kConnectSliceMs, std::max<qint64>(1, deadline.remainingTime())));
        err = rd_kafka_metadata(m_rk, 1, nullptr, &metadata, slice);
    }
    if (err) {
        std::lock_guard lock(m_errorMutex);
        return Error{connectionFailureMessage(m_options.bootstrapServers, m_lastBrokerFailure, errText(err))};
    }
    const QByteArray cluster = clusterIdentity(m_rk, *metadata);
    QStringList known;
    std::vector<int> counts(m_topics.size(), 0);
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const auto &t = metadata->topics[i];
        const auto it = std::find(m_topics.begin(), m_topics.end(), QByteArray(t.topic));
        if (it != m_topics.end() && !t.err)
            counts[size_t(it - m_topics.begin())] = t.partition_cnt;
        else if (!t.err && t.topic[0] != '_')
            known << QString::fromUtf8(t.topic);
    }
    rd_kafka_metadata_destroy(metadata);
    m_firstPartition.clear();
    m_partitionCount = 0;
    for (size_t i = 0; i < m_topics.size(); ++i) {
        if (counts[i] == 0) {
            known.sort();
            return Error{QStringLiteral("topic ") % QString::fromUtf8(m_topics[i]) %
                         QStringLiteral(" does not exist on ") % m_options.bootstrapServers %
                         (known.isEmpty() ? QStringLiteral(" (it has no topics)")
                                          : QStringLiteral(" (topics: ") % known.join(QStringLiteral(", ")) % u')')};
        }
        m_firstPartition.push_back(m_partitionCount);
        m_partitionCount += counts[i];
    }

    if (grouped) {
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(int(m_topics.size()));
        for (const QByteArray &topic : m_topics)
            rd_kafka_topic_partition_list_add(topics, topic.constData(), RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(m_rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err)
            return Error{QStringLiteral("cannot subscribe to ") % m_options.topic % QStringLiteral(": ") %
                         errText(err)};
    } else {
        rd_kafka_topic_partition_list_t *partitions = rd_kafka_topic_partition_list_new(m_partitionCount);
        for (int p = 0; p < m_partitionCount; ++p) {
            const auto [topic, partition] = kafkaPartition(p);
            rd_kafka_topic_partition_list_add(partitions, topic->constData(), partition);
            m_assigned.insert(p);
        }
        setStartOffsets(partitions);
        err = rd_kafka_assign(m_rk, partitions);
        rd_kafka_topic_partition_list_destroy(partitions);
        if (err)
            return Error{QStringLiteral("cannot read ") % m_options.topic % QStringLiteral(": ") % errText(err)};
    }
    if (m_topics.size() > 1) {
        QStringList numbering;
        for (size_t i = 0; i < m_topics.size(); ++i)
            numbering << QString::fromUtf8(m_topics[i]);
        qCInfo(lcKafka).noquote() << "reading" << numbering.join(QStringLiteral(", ")) << "as one stream of"
                                  << m_partitionCount << "partitions";
    }
    m_streamOrigin = kafkaStreamOrigin(cluster, topicName);
    qCInfo(lcKafka) << "reading stream" << m_streamOrigin;
    m_handler.onStreamOrigin(m_streamOrigin);
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
    return {};
}

int KafkaConsumer::streamPartition(const char *topic, int partition) const
{
    if (m_topics.size() == 1)
        return partition;
    for (size_t i = 0; i < m_topics.size(); ++i)
        if (std::strcmp(m_topics[i].constData(), topic) == 0)
            return m_firstPartition[i] + partition;
    return partition;
}

std::pair<const QByteArray *, int> KafkaConsumer::kafkaPartition(int streamPartition) const
{
    size_t i = m_topics.size() - 1;
    while (i > 0 && m_firstPartition[i] > streamPartition)
        --i;
    return {&m_topics[i], streamPartition - m_firstPartition[i]};
}

QString KafkaConsumer::partitionName(int streamPartition) const
{
    if (m_topics.size() <= 1)
        return QString::number(streamPartition);
    const auto [topic, partition] = kafkaPartition(streamPartition);
    return QString::fromUtf8(*topic) % u':' % QString::number(partition);
}

void KafkaConsumer::setStartOffsets(rd_kafka_topic_partition_list_t *partitions)
{
    using Start = ConsumerOptions::Start;
    if (m_options.start == Start::Stored) {
        const rd_kafka_resp_err_t err = rd_kafka_committed(m_rk, partitions, kMetadataTimeoutMs);
        if (err)
            qCWarning(lcKafka) << "cannot fetch committed offsets, starting from the beginning:" << errText(err);
    }
    QStringList pastEnd;
    for (int i = 0; i < partitions->cnt; ++i) {
        auto &tp = partitions->elems[i];
        switch (m_options.start) {
        case Start::Beginning: tp.offset = RD_KAFKA_OFFSET_BEGINNING; break;
        case Start::End: tp.offset = RD_KAFKA_OFFSET_END; break;
        case Start::Offset: {
            // An offset past the end starts at the end (librdkafka would call it out of range, as if the data were
            // lost, and start over at the beginning).
            tp.offset = m_options.offset;
            int64_t low = -1, high = -1;
            if (rd_kafka_query_watermark_offsets(m_rk, tp.topic, tp.partition, &low, &high, kMetadataTimeoutMs) ==
                    RD_KAFKA_RESP_ERR_NO_ERROR &&
                m_options.offset > high) {
                tp.offset = high;
                pastEnd
                    << QStringLiteral("%1 at %2").arg(partitionName(streamPartition(tp.topic, tp.partition))).arg(high);
            }
            break;
        }
        case Start::Stored:
            if (tp.offset < 0)
                tp.offset = RD_KAFKA_OFFSET_BEGINNING; // nothing committed yet
            break;
        }
    }
    if (!pastEnd.isEmpty())
        m_handler.onNotice(QStringLiteral("offset %1 is past the end of %2 (partition %3): starting at the end")
                               .arg(m_options.offset)
                               .arg(m_options.topic, pastEnd.join(QStringLiteral(", partition "))));
}

void KafkaConsumer::onRebalance(int err, rd_kafka_topic_partition_list_t *partitions)
{
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(m_rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        setStartOffsets(partitions);
        for (int i = 0; i < partitions->cnt; ++i)
            m_assigned.insert(streamPartition(partitions->elems[i].topic, partitions->elems[i].partition));
        if (cooperative)
            rd_kafka_error_destroy(rd_kafka_incremental_assign(m_rk, partitions));
        else
            rd_kafka_assign(m_rk, partitions);
        m_lastAssignment = std::chrono::steady_clock::now();
        qCInfo(lcKafka) << "assigned" << partitions->cnt << "partitions";
        return;
    }
    QList<int> revoked;
    for (int i = 0; i < partitions->cnt; ++i) {
        const int partition = streamPartition(partitions->elems[i].topic, partitions->elems[i].partition);
        revoked << partition;
        m_assigned.erase(partition);
        m_atEnd.erase(partition);
    }
    m_lastAssignment.reset(); // a new assignment follows
    if (!m_closing)
        m_handler.onPartitionsRevoked(revoked);
    if (cooperative)
        rd_kafka_error_destroy(rd_kafka_incremental_unassign(m_rk, partitions));
    else
        rd_kafka_assign(m_rk, nullptr);
}

void KafkaConsumer::setFatal(const QString &message)
{
    std::lock_guard lock(m_errorMutex);
    if (m_fatalError.isEmpty())
        m_fatalError = message;
}

QString KafkaConsumer::fatalError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_fatalError;
}

void KafkaConsumer::recoverLostOffset(const char *topicName, int partition, qint64 offset)
{
    const QByteArray topic(topicName);
    const int inStream = streamPartition(topicName, partition);
    const QString name = partitionName(inStream);
    int64_t low = -1, high = -1;
    const rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(m_rk, topic.constData(), partition, &low, &high, kMetadataTimeoutMs);
    QString text = QStringLiteral("partition %1: offset %2 is no longer on the broker (retention overtook the reader)")
                       .arg(name)
                       .arg(offset);
    if (err) {
        setFatal(text % QStringLiteral("; cannot find the earliest offset: ") % errText(err));
        return;
    }
    if (offset > high) {
        // Not lost: never written yet. Reading goes on from the end.
        m_handler.onNotice(QStringLiteral("partition %1: offset %2 is past the end (%3): starting at the end")
                               .arg(name)
                               .arg(offset)
                               .arg(high));
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, topic.constData(), partition)->offset = high;
        rd_kafka_error_t *error = rd_kafka_incremental_unassign(m_rk, list);
        if (!error)
            error = rd_kafka_incremental_assign(m_rk, list);
        if (error) {
            setFatal(QStringLiteral("partition %1: cannot move to the end: ").arg(name) %
                     QString::fromUtf8(rd_kafka_error_string(error)));
            rd_kafka_error_destroy(error);
        }
        rd_kafka_topic_partition_list_destroy(list);
        return;
    }
    // Resuming at the earliest offset loses least. But when the partition is lost again before a single
    // message was read from there, the stream outruns what the broker keeps by more than a fetch: resume
    // halfway into what it keeps, and if even that is gone at once, at the newest message, or the reader
    // chases the retention edge forever and reads nothing.
    const int streak = ++m_lossStreak[inStream];
    qint64 resumeAt = low;
    if (streak == 2 && high > low)
        resumeAt = low + (high - low) / 2;
    else if (streak >= 3)
        resumeAt = RD_KAFKA_OFFSET_END;
    if (resumeAt == RD_KAFKA_OFFSET_END)
        text += QStringLiteral("; at least %1 messages lost, resuming at the newest (what the broker keeps was lost "
                               "again at once, twice: the stream outruns it)")
                    .arg(std::max<qint64>(0, high - std::max<qint64>(offset, 0)));
    else if (offset >= 0 && resumeAt > offset)
        text += QStringLiteral("; %1 messages lost, resuming at offset %2").arg(resumeAt - offset).arg(resumeAt);
    else
        text += QStringLiteral("; resuming at offset %1").arg(resumeAt);
    if (streak == 2 && resumeAt != low)
        text += QStringLiteral(" (halfway into what the broker keeps: the earliest was lost again at once)");
    qCInfo(lcKafka).noquote() << text;
    m_handler.onDataLost(text);

    // The fetcher stopped at the error: take the partition out of the assignment and put it back at the
    // offset chosen above.
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic.constData(), partition)->offset = resumeAt;
    rd_kafka_error_t *error = rd_kafka_incremental_unassign(m_rk, list);
    if (!error)
        error = rd_kafka_incremental_assign(m_rk, list);
    if (error) {
        setFatal(QStringLiteral("partition %1: cannot resume after lost data: ").arg(name) %
                 QString::fromUtf8(rd_kafka_error_string(error)));
        rd_kafka_error_destroy(error);
    }
    rd_kafka_topic_partition_list_destroy(list);
}

void KafkaConsumer::handleError(const void *message)
{
    const auto *m = static_cast<const rd_kafka_message_t *>(message);
    switch (m->err) {
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
        m_atEnd.insert(streamPartition(rd_kafka_topic_name(m->rkt), m->partition));
        return;
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
        recoverLostOffset(rd_kafka_topic_name(m->rkt), m->partition, m->offset);
        return;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
        setFatal(m_options.topic % QStringLiteral(": ") % errText(m->err));
        return;
    default: break;
    }
    char reason[512];
    if (rd_kafka_fatal_error(m_rk, reason, sizeof reason)) {
        setFatal(QStringLiteral("Kafka: ") % QString::fromUtf8(reason));
        return;
    }
    qCWarning(lcKafka).noquote() << "consumer:" << errText(m->err);
}

void KafkaConsumer::run(std::stop_token stop)
{
    std::vector<rd_kafka_message_t *> polled;
    std::vector<RawMessage> batch;
    polled.reserve(size_t(m_options.batchSize));
    batch.reserve(size_t(m_options.batchSize));
    bool clean = true;
    bool committed = false;

    while (!stop.stop_requested()) {
        polled.clear();
        batch.clear();
        rd_kafka_message_t *m = rd_kafka_consumer_poll(m_rk, 100);
        while (m) {
            polled.push_back(m);
            if (int(polled.size()) >= m_options.batchSize)
                break;
            m = rd_kafka_consumer_poll(m_rk, 0);
        }
        for (rd_kafka_message_t *msg : polled) {
            if (msg->err) {
                handleError(msg);
                continue;
            }
            const int partition =
                m_topics.size() == 1 ? msg->partition : streamPartition(rd_kafka_topic_name(msg->rkt), msg->partition);
            m_atEnd.erase(partition);
            if (!m_lossStreak.empty())
                m_lossStreak.erase(partition); // read again since its last loss
            rd_kafka_headers_t *headers = nullptr;
            rd_kafka_message_headers(msg, &headers);
            RawMessage raw;
            raw.key = {static_cast<const char *>(msg->key), msg->key_len};
            raw.value = {static_cast<const char *>(msg->payload), msg->len};
            raw.capacity = msg->len;
            const char *name = nullptr;
            const void *value = nullptr;
            size_t size = 0;
            for (size_t i = 0; headers && rd_kafka_header_get_all(headers, i, &name, &value, &size) == 0; ++i)
                if (value)
                    takeShopifyHeader(raw, name, {static_cast<const char *>(value), size});
            raw.partition = partition;
            raw.position = msg->offset;
            batch.push_back(raw);
        }
        if (!batch.empty()) {
            m_handler.onMessages(batch);
            m_consumed.fetch_add(qint64(batch.size()), std::memory_order_relaxed);
        }
        for (rd_kafka_message_t *msg : polled)
            rd_kafka_message_destroy(msg);
        if (std::chrono::steady_clock::now() - m_lagMeasuredAt > std::chrono::milliseconds(500))
            measureLag();
        m_handler.onIdle();

        if (!fatalError().isEmpty()) {
            clean = false;
            break;
        }
        if (m_options.stopAtEnd && !m_assigned.empty() &&
            std::includes(m_atEnd.begin(), m_atEnd.end(), m_assigned.begin(), m_assigned.end())) {
            // In a group, the member whose commit of the end offsets succeeds owns the report of those
            // partitions; a commit refused by a rebalance means the partitions may have moved: go on.
            if (m_options.group.isEmpty() || commitPositions()) {
                m_reachedEnd = true;
                committed = true;
                break;
            }
        }
        // A group member left without partitions (more members than partitions) has nothing to read:
        // with -e it ends once its empty assignment has held for a while.
        if (m_options.stopAtEnd && !m_options.group.isEmpty() && m_assigned.empty() && m_lastAssignment &&
            std::chrono::steady_clock::now() - *m_lastAssignment > kEmptyAssignmentGrace) {
            m_reachedEnd = true;
            break;
        }
    }

    m_closing = true;
    if (!m_options.group.isEmpty() && clean && !committed)
        commitPositions();
    rd_kafka_consumer_close(m_rk);
    if (m_onFinished)
        m_onFinished();
}

void KafkaConsumer::measureLag()
{
    m_lagMeasuredAt = std::chrono::steady_clock::now();
    if (m_assigned.empty()) {
        m_lag = 0;
        return;
    }
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(m_assigned.size()));
    for (int p : m_assigned) {
        const auto [topic, partition] = kafkaPartition(p);
        rd_kafka_topic_partition_list_add(list, topic->constData(), partition);
    }
    qint64 lag = 0;
    if (rd_kafka_position(m_rk, list) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < list->cnt; ++i) {
            int64_t low = 0, high = 0;
            const qint64 position = list->elems[i].offset; // invalid until the first message is read
            if (position < 0 ||
                rd_kafka_get_watermark_offsets(m_rk, list->elems[i].topic, list->elems[i].partition, &low, &high) ||
                high < 0)
                continue;
            lag += std::max<qint64>(0, high - position);
        }
    }
    rd_kafka_topic_partition_list_destroy(list);
    m_lag = lag;
}

bool KafkaConsumer::commitPositions()
{
    rd_kafka_topic_partition_list_t *assignment = nullptr;
    if (rd_kafka_assignment(m_rk, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return false;
    rd_kafka_position(m_rk, assignment);
    rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(assignment->cnt);
    for (int i = 0; i < assignment->cnt; ++i) {
        const auto &tp = assignment->elems[i];
        if (tp.offset >= 0)
            rd_kafka_topic_partition_list_add(offsets, tp.topic, tp.partition)->offset = tp.offset;
    }
    rd_kafka_topic_partition_list_destroy(assignment);
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (offsets->cnt > 0)
        err = rd_kafka_commit(m_rk, offsets, 0);
    rd_kafka_topic_partition_list_destroy(offsets);
    switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR: return true;
    case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
    case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
    case RD_KAFKA_RESP_ERR__STATE:
        qCInfo(lcKafka) << "commit refused during a rebalance:" << errText(err);
        return false;
    default: qCWarning(lcKafka).noquote() << "cannot commit offsets:" << errText(err); return true;
    }
}

void KafkaConsumer::requestStop()
{
    m_stopRequested = true;
    m_thread.request_stop();
}

void KafkaConsumer::wait()
{
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace peakwatch
