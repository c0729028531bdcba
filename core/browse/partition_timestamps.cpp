// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "partition_timestamps.h"

#include "logging.h"
#include "reading_client.h"

#include <librdkafka/rdkafka.h>

#include <QHash>
#include <QStringBuilder>

#include <algorithm>
#include <iterator>
#include <vector>

namespace peakwatch {
namespace {

using Clock = std::chrono::steady_clock;

// How long one wait for a message lasts: also how soon `interrupted` is noticed.
constexpr int kPollSliceMs = 100;
// Where the offset high - 1 holds no message (a transaction's marker), the last pass looks this far back.
constexpr qint64 kLookBack = 100;

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

// One partition being read: where its answer goes, and what this pass has found.
struct Slot {
    QByteArray topic;
    PartitionInfo *info = nullptr;
    bool done = false;
    bool seen = false; // a message was read
    qint64 timestampMs = -1;
    QString error;
};

enum class End { First, Last };

class Reader final {
public:
    Reader(std::chrono::milliseconds timeout, const std::function<bool()> &interrupted)
        : m_timeout(timeout)
        , m_interrupted(interrupted)
    {}

    Status open(const QString &bootstrapServers, const KafkaProperties &properties)
    {
        // One message of each partition is wanted: prefetch little, and fetch answers of at most 4 MB (with
        // librdkafka's 50 MB, the embedded cluster answered too slowly for a topic of 86 partitions).
        return m_client.open(bootstrapServers,
                             {{"fetch.wait.max.ms", "100"},
                              {"queued.min.messages", "1"},
                              {"queued.max.messages.kbytes", "1024"},
                              {"max.partition.fetch.bytes", "65536"},
                              {"fetch.max.bytes", "4194304"}},
                             properties);
    }
    // Reads each slot's partition from the offset `start` gives, all of them at once, until each is done (End::First:
    // a message read; End::Last: the message at high - 1 read, or the end reached) or the time is up.
    template <typename Start> void pass(std::vector<Slot *> &slots, End end, Start start);
    bool interrupted() const { return m_interrupted && m_interrupted(); }

private:
    void take(Slot &slot, const rd_kafka_message_t &m, End end) const;

    const std::chrono::milliseconds m_timeout;
    const std::function<bool()> &m_interrupted;
    ReadingClient m_client;
};

template <typename Start> void Reader::pass(std::vector<Slot *> &slots, End end, Start start)
{
    if (slots.empty())
        return;
    QHash<QPair<QByteArray, int>, Slot *> index;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(slots.size()));
    for (Slot *slot : slots) {
        slot->done = slot->seen = false;
        slot->timestampMs = -1;
        slot->error.clear();
        rd_kafka_topic_partition_list_add(list, slot->topic.constData(), slot->info->partition)->offset =
            start(*slot->info);
        index.insert({slot->topic, slot->info->partition}, slot);
    }
    rd_kafka_t *rk = m_client.handle();
    const rd_kafka_resp_err_t err = rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err) {
        for (Slot *slot : slots)
            slot->error = QStringLiteral("cannot read: ") % errText(err);
        return;
    }
    auto left = qsizetype(slots.size());
    const auto deadline = Clock::now() + m_timeout;
    while (left > 0 && Clock::now() < deadline && !interrupted()) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, kPollSliceMs);
        if (!m)
            continue;
        Slot *slot = m->rkt ? index.value({QByteArray(rd_kafka_topic_name(m->rkt)), m->partition}) : nullptr;
        if (slot && !slot->done) {
            take(*slot, *m, end);
            left -= slot->done;
        } else if (m->err) {
            qCDebug(lcBrowse).noquote() << "partition timestamps:" << errText(m->err);
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(rk, nullptr);
    if (left == 0 || interrupted())
        return;
    const QString why = m_client.silence(m_timeout);
    for (Slot *slot : slots)
        if (!slot->done)
            slot->error = why;
}

void Reader::take(Slot &slot, const rd_kafka_message_t &m, End end) const
{
    const auto err = rd_kafka_resp_err_t(m.err);
    if (!err) {
        rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
        const qint64 timestamp = rd_kafka_message_timestamp(&m, &type);
        slot.timestampMs = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : timestamp;
        slot.seen = true;
        slot.done = end == End::First || m.offset >= slot.info->high - 1;
    } else if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        slot.done = true;
    } else if (err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
        slot.done = true;
        slot.error = QStringLiteral("offset %1 left the broker while it was read (retention)").arg(m.offset);
    } else if (err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
               err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        slot.done = true;
        slot.error = QStringLiteral("cannot read: ") % errText(err);
    } else {
        qCDebug(lcBrowse).noquote() << "partition timestamps:" << slot.topic << slot.info->partition << errText(err);
    }
}

} // namespace

Status readPartitionTimestamps(const QString &bootstrapServers, const KafkaProperties &properties,
                               QList<TopicInfo> &topics, std::chrono::milliseconds timeout,
                               const std::function<bool()> &interrupted)
{
    std::vector<Slot> slots;
    for (TopicInfo &topic : topics) {
        const QByteArray name = topic.name.toUtf8();
        for (PartitionInfo &p : topic.partitions) {
            p.firstTimestampMs = p.lastTimestampMs = -1;
            p.timestampsError.clear();
            if (p.offsetsKnown() && p.high > p.low)
                slots.push_back({name, &p});
        }
    }
    if (slots.empty())
        return {};
    Reader reader(timeout, interrupted);
    if (Status s = reader.open(bootstrapServers, properties); !s)
        return s;

    std::vector<Slot *> all;
    for (Slot &slot : slots)
        all.push_back(&slot);
    // The first message: from the earliest offset the broker has now, which retention may have moved on since.
    reader.pass(all, End::First, [](const PartitionInfo &) { return qint64(RD_KAFKA_OFFSET_BEGINNING); });
    for (Slot &slot : slots) {
        slot.info->firstTimestampMs = slot.timestampMs;
        if (!slot.error.isEmpty())
            slot.info->timestampsError = slot.error;
        else if (!slot.seen)
            slot.info->timestampsError = QStringLiteral("no message left to read");
    }
    if (reader.interrupted())
        return {};

    std::vector<Slot *> last;
    std::copy_if(all.begin(), all.end(), std::back_inserter(last), [](const Slot *s) { return s->seen; });
    reader.pass(last, End::Last, [](const PartitionInfo &p) { return p.high - 1; });
    // Those whose last offset held no message: the messages before it.
    std::vector<Slot *> again;
    std::copy_if(last.begin(), last.end(), std::back_inserter(again),
                 [](const Slot *s) { return !s->seen && s->error.isEmpty(); });
    reader.pass(again, End::Last, [](const PartitionInfo &p) { return std::max(p.low, p.high - kLookBack); });
    for (Slot *slot : last) {
        slot->info->lastTimestampMs = slot->timestampMs;
        if (!slot->error.isEmpty())
            slot->info->timestampsError = slot->error;
        else if (!slot->seen)
            slot->info->timestampsError =
                QStringLiteral("no message in the last %1 offsets (transaction markers only)").arg(kLookBack);
    }
    return {};
}

} // namespace peakwatch
