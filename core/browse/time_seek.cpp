// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "time_seek.h"

#include "logging.h"
#include "reading_client.h"

#include <QHash>
#include <QStringBuilder>

#include <librdkafka/rdkafka.h>

#include <memory>

namespace peakwatch {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollSliceMs = 100;

struct Found {
    qint64 offset = -1;
    qint64 timestampMs = -1;
};

// A partition being searched by halves: its answer lies in [lo, hi].
struct Halves {
    size_t span = 0;
    qint64 lo = 0;
    qint64 hi = 0;
};

} // namespace

// One partition's fetch: the first messages at or after `offset` (up to `want`), or the end reached.
struct TimeSeek::Probe {
    int partition = 0;
    qint64 offset = 0;
    int want = 1;
    std::vector<Found> found;
    bool end = false;
    bool done() const { return end || int(found.size()) >= want; }
};

TimeSeek::TimeSeek(const QString &bootstrapServers, const KafkaProperties &properties,
                   std::chrono::milliseconds timeout, std::function<bool()> interrupted)
    : m_bootstrap(bootstrapServers)
    , m_properties(properties)
    , m_timeout(timeout)
    , m_interrupted(std::move(interrupted))
{}

TimeSeek::~TimeSeek() = default;

Status TimeSeek::probe(ReadingClient &client, const QString &topic, std::vector<Probe> &probes)
{
    rd_kafka_t *rk = client.handle();
    const QByteArray name = topic.toUtf8();
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(probes.size()));
    QHash<int, Probe *> byPartition;
    for (Probe &p : probes) {
        p.found.clear();
        p.end = false;
        rd_kafka_topic_partition_list_add(list, name.constData(), p.partition)->offset = p.offset;
        byPartition.insert(p.partition, &p);
    }
    m_probes += int(probes.size());
    const rd_kafka_resp_err_t err = rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err)
        return Error{QStringLiteral("cannot read topic %1: ").arg(topic) % QString::fromUtf8(rd_kafka_err2str(err))};
    auto left = qsizetype(probes.size());
    const auto deadline = Clock::now() + m_timeout;
    QString failure;
    while (left > 0 && failure.isEmpty()) {
        if (m_interrupted && m_interrupted())
            break;
        if (Clock::now() > deadline) {
            failure = client.silence(m_timeout);
            break;
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, kPollSliceMs);
        if (!m)
            continue;
        Probe *p = m->rkt ? byPartition.value(m->partition) : nullptr;
        if (p && !p->done()) {
            if (!m->err && m->offset >= p->offset) {
                rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
                const qint64 ts = rd_kafka_message_timestamp(m, &type);
                p->found.push_back({m->offset, type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? -1 : ts});
                left -= p->done();
            } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && m->offset >= p->offset) {
                p->end = true;
                --left;
            } else if (m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                failure = QStringLiteral("cannot read topic %1 partition %2 at offset %3: ")
                              .arg(topic)
                              .arg(m->partition)
                              .arg(p->offset) %
                          QString::fromUtf8(rd_kafka_err2str(m->err));
            }
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(rk, nullptr);
    if (!failure.isEmpty())
        return Error{failure};
    return {};
}

Result<std::vector<qint64>> TimeSeek::offsetsAt(const QString &topic, const std::vector<PartitionSpan> &spans,
                                                qint64 timeMs)
{
    m_answered = m_searched = m_probes = 0;
    std::vector<qint64> answer(spans.size(), 0);
    if (!m_client) {
        auto client = std::make_unique<ReadingClient>();
        const KafkaProperties tuning{{"fetch.wait.max.ms", "100"},
                                     // One or two messages of each partition are wanted: prefetch little.
                                     {"queued.min.messages", "1"},
                                     {"queued.max.messages.kbytes", "1024"},
                                     {"max.partition.fetch.bytes", "65536"}};
        if (Status s = client->open(m_bootstrap, tuning, m_properties); !s)
            return Error{s.error()};
        m_client = std::move(client);
    }
    ReadingClient &client = *m_client;

    // The brokers' answer.
    std::vector<qint64> told(spans.size(), -1);
    {
        const QByteArray name = topic.toUtf8();
        rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(spans.size()));
        for (const PartitionSpan &s : spans)
            rd_kafka_topic_partition_list_add(list, name.constData(), s.partition)->offset = timeMs;
        if (rd_kafka_offsets_for_times(client.handle(), list, int(m_timeout.count())) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < list->cnt; ++i) {
                const rd_kafka_topic_partition_t &tp = list->elems[i];
                for (size_t j = 0; j < spans.size(); ++j)
                    if (spans[j].partition == tp.partition && !tp.err)
                        told[j] = tp.offset < 0 ? spans[j].high : tp.offset; // -1: no message that late
            }
        }
        rd_kafka_topic_partition_list_destroy(list);
    }

    // Each answer checked against the messages beside it: the one before is earlier, the one at it is not.
    std::vector<Halves> halves;
    {
        std::vector<Probe> checks;
        std::vector<size_t> of;
        for (size_t j = 0; j < spans.size(); ++j) {
            const PartitionSpan &s = spans[j];
            if (s.high <= s.low) {
                answer[j] = s.high;
                continue;
            }
            if (told[j] < s.low || told[j] > s.high) {
                halves.push_back({j, s.low, s.high});
                continue;
            }
            checks.push_back({s.partition, std::max(s.low, told[j] - 1), 2});
            of.push_back(j);
        }
        if (!checks.empty())
            if (Status s = probe(client, topic, checks); !s)
                return Error{s.error()};
        for (size_t i = 0; i < checks.size(); ++i) {
            const size_t j = of[i];
            const qint64 x = told[j];
            bool consistent = true;
            for (const Found &f : checks[i].found) {
                if (f.offset < x && f.timestampMs >= timeMs)
                    consistent = false;
                if (f.offset >= x && f.offset < spans[j].high && f.timestampMs < timeMs)
                    consistent = false;
            }
            if (consistent) {
                answer[j] = x;
                ++m_answered;
            } else {
                halves.push_back({j, spans[j].low, spans[j].high});
            }
        }
    }

    // By halves, every partition left at once: fetch the first message at or after the middle of each range.
    m_searched = int(halves.size());
    while (!halves.empty()) {
        if (m_interrupted && m_interrupted())
            return Error{QStringLiteral("interrupted")};
        std::vector<Probe> probes;
        for (const Halves &h : halves)
            probes.push_back({spans[h.span].partition, h.lo + (h.hi - h.lo) / 2, 1});
        if (Status s = probe(client, topic, probes); !s)
            return Error{s.error()};
        std::vector<Halves> next;
        for (size_t i = 0; i < halves.size(); ++i) {
            Halves h = halves[i];
            const Probe &p = probes[i];
            const qint64 mid = p.offset;
            if (p.found.empty() || p.found.front().offset >= h.hi)
                h.hi = mid; // nothing from the middle on within the range
            else if (p.found.front().timestampMs < timeMs)
                h.lo = p.found.front().offset + 1;
            else
                h.hi = p.found.front().offset;
            if (h.lo >= h.hi)
                answer[h.span] = h.hi;
            else
                next.push_back(h);
        }
        halves = std::move(next);
    }
    return answer;
}

} // namespace peakwatch
