// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topic_scan.h"

#include "iso_time.h"
#include "logging.h"
#include "message_filter.h"
#include "reading_client.h"
#include "time_seek.h"

#include <QHash>
#include <QStringBuilder>

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <vector>

namespace peakwatch {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBatch = 1000;
constexpr int kPollSliceMs = 100;
constexpr auto kProgressEvery = std::chrono::milliseconds(100);
constexpr qint64 kUnbounded = -1;

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

// One partition being scanned.
struct Lane {
    int partition = 0;
    qint64 low = 0;
    qint64 high = 0;
    qint64 start = 0;
    qint64 end = kUnbounded; // the scan of this partition ends before this offset
    bool done = false;
};

} // namespace

Result<ScanStart> ScanStart::parse(const QString &text)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("beginning"))
        return ScanStart{Kind::Beginning, 0};
    if (t == QLatin1String("end"))
        return ScanStart{Kind::End, 0};
    if (t == QLatin1String("stored"))
        return ScanStart{Kind::Stored, 0};
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (ok && n >= 0)
        return ScanStart{Kind::Offset, n};
    if (ok && n < 0)
        return ScanStart{Kind::FromEnd, -n};
    return Error{QStringLiteral("\"%1\" is not a start (beginning, end, stored, an offset such as 412, or a count "
                                "from the end such as -100)")
                     .arg(text)};
}

TopicScan::TopicScan(const QString &bootstrapServers, const KafkaProperties &properties)
    : m_bootstrap(bootstrapServers)
    , m_properties(properties)
{}

Result<ScanSummary> TopicScan::run(const ScanRequest &request, MessageFilter &filter, const OnMatch &onMatch,
                                   const OnProgress &onProgress, const std::function<bool()> &interrupted)
{
    const bool stored = request.start.kind == ScanStart::Kind::Stored && request.fromTimeMs < 0;
    if (stored && request.group.isEmpty())
        return Error{QStringLiteral("starting from the stored offsets needs a consumer group")};
    ReadingClient client;
    // Fetch answers of at most 4 MB (librdkafka's default is 50 MB): messages start to flow before a whole answer
    // has arrived, and the buffers stay small. Three times as fast from the embedded cluster (docs/benchmarks.md).
    const KafkaProperties tuning{{"fetch.wait.max.ms", "100"}, {"fetch.max.bytes", "4194304"}};
    if (Status s = client.open(m_bootstrap, tuning, m_properties, stored ? request.group : QString()); !s)
        return Error{s.error()};
    rd_kafka_t *rk = client.handle();
    const QByteArray topic = request.topic.toUtf8();

    auto listed = topicPartitions(rk, request.topic, m_bootstrap, request.timeout);
    if (!listed)
        return Error{listed.error()};
    QList<int> chosen = request.partitions.isEmpty() ? *listed : request.partitions;
    for (int p : std::as_const(chosen))
        if (!listed->contains(p))
            return Error{noSuchPartition(request.topic, p, listed->size())};

    ScanSummary summary;
    TopicInfo shape{request.topic, {}, {}};
    for (int p : std::as_const(chosen))
        shape.partitions.append(PartitionInfo{.partition = p});
    QList<TopicInfo> edges{shape};
    if (const int err = readPartitionOffsets(rk, edges, request.timeout); err)
        return Error{QStringLiteral("cannot read the offsets of topic %1: ").arg(request.topic) %
                     (err == RD_KAFKA_RESP_ERR__TIMED_OUT ? client.silence(request.timeout)
                                                          : errText(rd_kafka_resp_err_t(err)))};
    std::vector<Lane> lanes;
    for (const PartitionInfo &p : std::as_const(edges.first().partitions)) {
        if (!p.offsetsKnown())
            return Error{QStringLiteral("cannot read the offsets of topic %1 partition %2: ")
                             .arg(request.topic)
                             .arg(p.partition) %
                         p.error};
        lanes.push_back({.partition = p.partition, .low = p.low, .high = p.high});
    }

    // Where each partition starts.
    std::vector<PartitionSpan> spans;
    for (const Lane &l : lanes)
        spans.push_back({l.partition, l.low, l.high});
    TimeSeek seek(m_bootstrap, m_properties, request.timeout, interrupted); // for the range's start and end
    if (request.fromTimeMs >= 0) {
        auto offsets = seek.offsetsAt(request.topic, spans, request.fromTimeMs);
        if (!offsets)
            return Error{QStringLiteral("cannot find where %1 starts: ")
                             .arg(QString::fromLatin1(formatIsoTime(request.fromTimeMs))) %
                         offsets.error()};
        for (size_t i = 0; i < lanes.size(); ++i)
            lanes[i].start = (*offsets)[i];
        summary.seek = seek.searched() == 0 ? QStringLiteral("the brokers said where the time starts")
                                            : QStringLiteral("found by halves in %1 of %2 partitions (%3 fetches)")
                                                  .arg(seek.searched())
                                                  .arg(lanes.size())
                                                  .arg(seek.probes());
    } else if (stored) {
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(lanes.size()));
        for (const Lane &l : lanes)
            rd_kafka_topic_partition_list_add(list, topic.constData(), l.partition);
        const rd_kafka_resp_err_t err = rd_kafka_committed(rk, list, int(request.timeout.count()));
        if (err) {
            rd_kafka_topic_partition_list_destroy(list);
            return Error{QStringLiteral("cannot read the offsets group %1 committed: ").arg(request.group) %
                         errText(err)};
        }
        QStringList none;
        for (Lane &l : lanes) {
            const rd_kafka_topic_partition_t *tp =
                rd_kafka_topic_partition_list_find(list, topic.constData(), l.partition);
            if (!tp || tp->offset < 0) {
                none << QString::number(l.partition);
                l.start = l.high;
            } else {
                l.start = std::clamp<qint64>(tp->offset, l.low, l.high);
            }
        }
        rd_kafka_topic_partition_list_destroy(list);
        if (!none.isEmpty())
            summary.notes << QStringLiteral("group %1 has committed no offset for partition %2 of %3: read from its "
                                            "end")
                                 .arg(request.group, none.join(QStringLiteral(", ")), request.topic);
    } else {
        for (Lane &l : lanes) {
            switch (request.start.kind) {
            case ScanStart::Kind::Beginning: l.start = l.low; break;
            case ScanStart::Kind::End: l.start = l.high; break;
            case ScanStart::Kind::Stored: break;
            case ScanStart::Kind::FromEnd: l.start = std::max(l.low, l.high - request.start.value); break;
            case ScanStart::Kind::Offset:
                l.start = std::clamp(request.start.value, l.low, l.high);
                if (request.start.value < l.low)
                    summary.notes << QStringLiteral("partition %1: offset %2 is no longer on the broker; read from %3, "
                                                    "its first")
                                         .arg(l.partition)
                                         .arg(request.start.value)
                                         .arg(l.low);
                else if (request.start.value > l.high)
                    summary.notes << QStringLiteral("partition %1: offset %2 is past its end, %3")
                                         .arg(l.partition)
                                         .arg(request.start.value)
                                         .arg(l.high);
                break;
            }
        }
    }
    // Where each ends: the first message after the time range, else (with stopAtEnd) the end as it is now.
    std::vector<qint64> untilOffsets;
    if (request.untilTimeMs >= 0) {
        auto offsets = seek.offsetsAt(request.topic, spans, request.untilTimeMs + 1);
        if (!offsets)
            return Error{QStringLiteral("cannot find where %1 ends: ")
                             .arg(QString::fromLatin1(formatIsoTime(request.untilTimeMs))) %
                         offsets.error()};
        untilOffsets = std::move(*offsets);
    }
    ScanProgress &progress = summary.progress;
    progress.partitions = int(lanes.size());
    progress.total = 0;
    for (size_t i = 0; i < lanes.size(); ++i) {
        Lane &l = lanes[i];
        if (!untilOffsets.empty() && untilOffsets[i] < l.high)
            l.end = untilOffsets[i];
        else if (request.stopAtEnd)
            l.end = l.high;
        if (l.end != kUnbounded && l.start >= l.end) {
            l.done = true;
            ++progress.partitionsDone;
        }
        if (l.end == kUnbounded || progress.total < 0)
            progress.total = kUnbounded;
        else
            progress.total += std::max<qint64>(0, l.end - l.start);
    }

    QHash<int, Lane *> byPartition;
    rd_kafka_topic_partition_list_t *assignment = rd_kafka_topic_partition_list_new(int(lanes.size()));
    for (Lane &l : lanes) {
        byPartition.insert(l.partition, &l);
        if (!l.done)
            rd_kafka_topic_partition_list_add(assignment, topic.constData(), l.partition)->offset = l.start;
    }
    if (assignment->cnt > 0) {
        if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk, assignment); err) {
            rd_kafka_topic_partition_list_destroy(assignment);
            return Error{QStringLiteral("cannot read topic %1: ").arg(request.topic) % errText(err)};
        }
    }
    rd_kafka_topic_partition_list_destroy(assignment);

    auto finish = [&](Lane &l) {
        if (l.done)
            return;
        l.done = true;
        ++progress.partitionsDone;
        rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(one, topic.constData(), l.partition);
        rd_kafka_pause_partitions(rk, one);
        rd_kafka_topic_partition_list_destroy(one);
    };

    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk);
    std::vector<rd_kafka_message_t *> batch(kBatch);
    std::vector<HeaderView> headers;
    auto lastAnswer = Clock::now();
    auto lastProgress = Clock::now();
    QString failure;
    bool stop = false;
    summary.ended = ScanSummary::Ended::AtEnd;
    while (!stop && progress.partitionsDone < progress.partitions) {
        if (interrupted && interrupted()) {
            summary.ended = ScanSummary::Ended::Interrupted;
            break;
        }
        const ssize_t n = rd_kafka_consume_batch_queue(queue, kPollSliceMs, batch.data(), batch.size());
        const auto now = Clock::now();
        if (n > 0)
            lastAnswer = now;
        for (ssize_t i = 0; i < n; ++i) {
            rd_kafka_message_t *m = batch[size_t(i)];
            Lane *lane = byPartition.value(m->partition);
            if (stop || !lane || lane->done) {
                rd_kafka_message_destroy(m);
                continue;
            }
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                // The end; or, past the time range's end, nothing more to read (only transaction markers were left).
                if (request.stopAtEnd || (lane->end != kUnbounded && m->offset >= lane->end))
                    finish(*lane);
            } else if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
                       m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
                summary.notes << QStringLiteral("partition %1: messages from offset %2 left the broker (retention) "
                                                "before they were read")
                                     .arg(lane->partition)
                                     .arg(m->offset);
                finish(*lane);
            } else if (m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || m->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
                       m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                       m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
                failure = QStringLiteral("cannot read topic %1 partition %2: ").arg(request.topic).arg(m->partition) %
                          errText(m->err);
                stop = true;
            } else if (m->err) {
                qCDebug(lcBrowse).noquote() << "scan:" << request.topic << m->partition << errText(m->err);
            } else if (lane->end != kUnbounded && m->offset >= lane->end) {
                finish(*lane);
            } else {
                rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
                const qint64 ts = rd_kafka_message_timestamp(m, &type);
                MessageView view;
                view.topic = std::string_view(topic.constData(), size_t(topic.size()));
                view.partition = m->partition;
                view.offset = m->offset;
                view.timestampType = timestampTypeOf(type);
                view.timestampMs = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : ts;
                view.broker = int(rd_kafka_message_broker_id(m));
                view.key = BytesView::of(m->key, m->key_len);
                view.value = BytesView::of(m->payload, m->len);
                headers.clear();
                rd_kafka_headers_t *hdrs = nullptr;
                qint64 headerBytes = 0;
                if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
                    const char *name = nullptr;
                    const void *value = nullptr;
                    size_t size = 0;
                    for (size_t h = 0;
                         rd_kafka_header_get_all(hdrs, h, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++h) {
                        headers.push_back({std::string_view(name), BytesView::of(value, size)});
                        headerBytes += qint64(std::char_traits<char>::length(name) + size);
                    }
                }
                view.headers = headers;
                ++progress.scanned;
                progress.bytes += qint64(m->key_len + m->len) + headerBytes;
                const bool inRange = (request.fromTimeMs < 0 || view.timestampMs >= request.fromTimeMs) &&
                                     (request.untilTimeMs < 0 || view.timestampMs <= request.untilTimeMs);
                if (inRange && filter.matches(view)) {
                    ++progress.matched;
                    if (!onMatch(view)) {
                        summary.ended = ScanSummary::Ended::Interrupted;
                        stop = true;
                    } else if (request.maxMatches >= 0 && progress.matched >= request.maxMatches) {
                        summary.ended = ScanSummary::Ended::Count;
                        stop = true;
                    }
                }
                if (lane->end != kUnbounded && m->offset + 1 >= lane->end)
                    finish(*lane);
            }
            rd_kafka_message_destroy(m);
        }
        if (onProgress && now - lastProgress >= kProgressEvery) {
            lastProgress = now;
            onProgress(progress);
        }
        if (!stop && request.stopAtEnd && now - lastAnswer > request.timeout) {
            failure = QStringLiteral("reading topic %1: ").arg(request.topic) % client.silence(request.timeout);
            stop = true;
        }
    }
    rd_kafka_queue_destroy(queue);
    rd_kafka_assign(rk, nullptr);
    summary.filterErrors = filter.errorCount();
    summary.firstFilterError = filter.firstError();
    if (onProgress)
        onProgress(progress);
    if (!failure.isEmpty())
        return Error{failure};
    return summary;
}

} // namespace peakwatch
