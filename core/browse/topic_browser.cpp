// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topic_browser.h"

#include "connection_failure.h"
#include "logging.h"
#include "reading_client.h"
#include "time_seek.h"
#include "iso_time.h"
#include "msk_iam_auth.h"
#include "thread_priority.h"

#include <librdkafka/rdkafka.h>

#include <QHash>
#include <QStringBuilder>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <utility>

namespace peakwatch {
namespace {

using Clock = std::chrono::steady_clock;

// A blocking librdkafka call is made in slices of at most this long, so that a stop or a newer
// request is noticed soon; a slice that timed out after a request was sent grows, up to kMaxSliceMs,
// so a slow cluster still gets its answer in.
constexpr int kFirstSliceMs = 250;
constexpr int kMaxSliceMs = 2000; // also the longest a stop waits for the worker
// How long the partition counts learnt from the cluster are trusted before they are asked again.
constexpr auto kMetadataMaxAge = std::chrono::seconds(30);
// How many messages one step of the worker takes from librdkafka before it looks at its requests.
constexpr int kMessagesPerStep = 2000;
// How long one wait in the live tail lasts; also how soon a tail notices a newer request.
constexpr int kTailWaitMs = 100;

QString errText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

QString seconds(std::chrono::milliseconds timeout)
{
    return QString::number(double(timeout.count()) / 1000.0, 'g', 3) % QStringLiteral(" s");
}

bool isRetryable(rd_kafka_resp_err_t err)
{
    switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE: return true;
    default: return false;
    }
}

// Owns messages taken from librdkafka until the end of the scope.
class MessageBatch final {
public:
    MessageBatch() = default;
    ~MessageBatch() { clear(); }
    Q_DISABLE_COPY_MOVE(MessageBatch)

    void clear()
    {
        for (rd_kafka_message_t *m : m_messages)
            rd_kafka_message_destroy(m);
        m_messages.clear();
    }
    // Waits up to `timeoutMs` for a first message, then takes what else is ready, up to `max` in all.
    void take(rd_kafka_topic_t *topic, int partition, int timeoutMs, int max)
    {
        clear();
        rd_kafka_message_t *first = rd_kafka_consume(topic, partition, timeoutMs);
        if (!first)
            return;
        m_messages.push_back(first);
        if (max > 1) {
            m_messages.resize(size_t(max));
            const ssize_t n = rd_kafka_consume_batch(topic, partition, 0, m_messages.data() + 1, size_t(max - 1));
            m_messages.resize(1 + size_t(std::max<ssize_t>(n, 0)));
        }
    }
    const std::vector<rd_kafka_message_t *> &messages() const { return m_messages; }

private:
    std::vector<rd_kafka_message_t *> m_messages;
};

} // namespace

qint64 TopicInfo::messageCount() const
{
    qint64 n = 0;
    for (const PartitionInfo &p : partitions)
        n += p.messageCount();
    return n;
}

struct TopicBrowser::ReadRequest {
    enum class Kind { Page, Tail, StopTail };
    Kind kind = Kind::Page;
    quint64 id = 0;
    QString topic;
    int partition = 0;
    PageStart start = PageStart::Beginning;
    qint64 offset = 0;
    int count = kDefaultPageSize;
};

// The Kafka side: everything below runs on the worker thread, except the request queue, which the
// browser's thread fills. Answers are posted to the browser's thread; the browser joins the thread
// before it is destroyed, so the worker never outlives it.
class TopicBrowser::Worker final {
public:
    Worker(TopicBrowser *owner, const QString &bootstrapServers, const KafkaProperties &properties,
           const TopicBrowserOptions &options)
        : m_owner(owner)
        , m_bootstrap(bootstrapServers)
        , m_properties(properties)
        , m_options(options)
    {
        m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
    }
    ~Worker()
    {
        m_thread.request_stop(); // wakes the condition variable's wait
        if (m_thread.joinable())
            m_thread.join();
    }
    Q_DISABLE_COPY_MOVE(Worker)

    void queueList(quint64 id)
    {
        {
            std::lock_guard lock(m_mutex);
            m_pendingList = id;
        }
        m_wake.notify_all();
    }
    void queueRead(ReadRequest request)
    {
        {
            std::lock_guard lock(m_mutex);
            m_pendingRead = std::move(request);
        }
        m_wake.notify_all();
    }

private:
    struct Tail {
        quint64 id = 0;
        QString topic;
        int partition = 0;
        rd_kafka_topic_t *handle = nullptr;
        TailBatch pending;
        Clock::time_point lastDelivery;
        bool lostBeforeReading = false; // resumed after a loss and not yet read a message since
    };
    // A tail's batch posted and not yet taken by the browser's thread: the next waits (and only the newest
    // maxTailBacklog are kept meanwhile), so a window slower than the stream never has batches queued up.
    std::shared_ptr<std::atomic<bool>> m_tailBatchInFlight = std::make_shared<std::atomic<bool>>(false);
    using Interrupted = bool (Worker::*)() const;

    void run(std::stop_token stop);
    void open();
    void close();
    void handleRead(const ReadRequest &request);
    void listTopics(quint64 id);
    void readPage(const ReadRequest &request);
    Result<MessagePage> readPageOnce(const ReadRequest &request, bool &outOfRange);
    void startTail(const ReadRequest &request);
    void stopTail();
    void pollTail(int timeoutMs);
    void deliverTail();
    // Between the steps of a long listing: serves a read that came in meanwhile, and the live tail.
    void serveReadsWhileBusy();

    bool readSuperseded() const
    {
        std::lock_guard lock(m_mutex);
        return m_stop.stop_requested() || m_pendingRead.has_value();
    }
    bool listSuperseded() const
    {
        std::lock_guard lock(m_mutex);
        return m_stop.stop_requested() || m_pendingList.has_value();
    }

    // Repeats `call(sliceMs)` until it succeeds, fails for a reason a wait cannot cure, `timeoutMs`
    // has passed (the last error is returned) or `interrupted` (RD_KAFKA_RESP_ERR__INTR).
    template <typename Call> rd_kafka_resp_err_t patiently(Call call, Interrupted interrupted, qint64 timeoutMs);
    // Refreshes the partition counts; fills `topics` when given. Errors name the cluster.
    Status loadMetadata(Interrupted interrupted, QList<TopicInfo> *topics = nullptr);
    // The partition's count of the topic, asking the cluster when it is not known (or is old).
    Status checkPartition(const QString &topic, int partition, Interrupted interrupted);
    // Fills low and high (or error) of each partition, with two requests per broker for all of them.
    rd_kafka_resp_err_t queryWatermarks(QList<TopicInfo> &topics, Interrupted interrupted, qint64 timeoutMs);
    Result<PartitionInfo> watermarks(const QString &topic, int partition, Interrupted interrupted);
    rd_kafka_topic_t *topicHandle(const QString &topic);
    TopicMessage convert(const rd_kafka_message_t *message) const;
    QString clusterError(rd_kafka_resp_err_t err) const;
    QString lastClusterError() const
    {
        std::lock_guard lock(m_errorMutex);
        return m_lastClusterError;
    }

    template <typename F> void post(F function)
    {
        QMetaObject::invokeMethod(m_owner, std::move(function), Qt::QueuedConnection);
    }
    void postFailure(quint64 id, Operation operation, const QString &message)
    {
        qCInfo(lcBrowse).noquote() << "topic browser:" << message;
        post([owner = m_owner, id, operation, message] { owner->deliverFailure(id, operation, message); });
    }

    TopicBrowser *const m_owner;
    const QString m_bootstrap;
    const KafkaProperties m_properties;
    const TopicBrowserOptions m_options;

    mutable std::mutex m_mutex; // guards the two pending requests
    std::condition_variable_any m_wake;
    std::optional<quint64> m_pendingList;
    std::optional<ReadRequest> m_pendingRead;

    mutable std::mutex m_errorMutex; // guards m_lastClusterError, written by librdkafka's error callback
    QString m_lastClusterError;
    BrokerFailureLog m_brokerFailures;

    // The worker thread's own.
    std::stop_token m_stop;
    rd_kafka_t *m_rk = nullptr;
    QString m_openError;
    QHash<QString, rd_kafka_topic_t *> m_topicHandles;
    QHash<QString, int> m_partitionCounts;
    Clock::time_point m_metadataAt;
    std::optional<Tail> m_tail;

    std::jthread m_thread; // last: started once everything above is in place
};

void TopicBrowser::Worker::run(std::stop_token stop)
{
    yieldToTheWindow();
    m_stop = stop;
    open();
    while (!stop.stop_requested()) {
        std::optional<quint64> list;
        std::optional<ReadRequest> read;
        {
            std::unique_lock lock(m_mutex);
            // Idle, wake at least once a second so librdkafka's events (errors) are served.
            if (!m_tail)
                m_wake.wait_for(lock, stop, std::chrono::seconds(1),
                                [this] { return m_pendingList.has_value() || m_pendingRead.has_value(); });
            list = std::exchange(m_pendingList, std::nullopt);
            read = std::exchange(m_pendingRead, std::nullopt);
        }
        if (stop.stop_requested())
            break;
        if (m_rk)
            rd_kafka_poll(m_rk, 0);
        if (read)
            handleRead(*read);
        if (list)
            listTopics(*list);
        if (m_tail)
            pollTail(kTailWaitMs);
    }
    close();
}

void TopicBrowser::Worker::open()
{
    KafkaProperties all{{"bootstrap.servers", m_bootstrap.toUtf8()},
                        {"client.id", "peakwatch-topic-browser"},
                        {"log_level", "3"},
                        // Pages want their messages soon, not after the broker's 500 ms batching wait.
                        {"fetch.wait.max.ms", "100"},
                        // A page needs a few hundred messages (its first fetch brings them, and the reader stops
                        // right after), but a live tail at 50,000 messages a second needs fetches back to back:
                        // with 1,000 queued at most it fell behind at 15,000 a second (tests/bench/bench_tail).
                        // The bytes held stay capped below.
                        {"queued.min.messages", "20000"},
                        {"queued.max.messages.kbytes", "65536"},
                        // After a gap the tail must fetch again before retention overtakes it once more
                        // (librdkafka waits 500 ms after a fetch error by default).
                        {"fetch.error.backoff.ms", "50"},
                        {"allow.auto.create.topics", "false"}};
    all += m_properties;
    // What the browser's logic relies on, whatever was passed.
    all += KafkaProperties{{"enable.partition.eof", "true"},
                           // An offset no longer on the broker comes back as an error, never skipped.
                           {"auto.offset.reset", "error"},
                           {"enable.auto.commit", "false"},
                           {"enable.auto.offset.store", "false"}};
    auto conf = makeKafkaConf(all);
    if (!conf) {
        m_openError = conf.error();
        return;
    }
    rd_kafka_conf_set_opaque(*conf, this);
    rd_kafka_conf_set_error_cb(*conf, [](rd_kafka_t *, int err, const char *reason, void *opaque) {
        auto *self = static_cast<Worker *>(opaque);
        const QString text = QString::fromUtf8(reason);
        qCDebug(lcBrowse).noquote() << "topic browser:" << errText(rd_kafka_resp_err_t(err)) << text;
        std::lock_guard lock(self->m_errorMutex);
        self->m_lastClusterError = text;
    });
    rd_kafka_conf_set_log_cb(*conf, [](const rd_kafka_t *rk, int level, const char *facility, const char *text) {
        BrokerFailureLog::record(rk ? &static_cast<Worker *>(rd_kafka_opaque(rk))->m_brokerFailures : nullptr, rk,
                                 level, facility, text);
    });
    char errstr[512];
    m_rk = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, errstr, sizeof errstr);
    if (m_rk)
        startSaslBackground(m_rk); // MSK IAM tokens are made on the background thread
    if (!m_rk) {
        rd_kafka_conf_destroy(*conf);
        m_openError = QStringLiteral("cannot create a Kafka consumer for ") % m_bootstrap % QStringLiteral(": ") %
                      QString::fromUtf8(errstr);
    }
}

void TopicBrowser::Worker::close()
{
    if (m_tail)
        stopTail();
    for (rd_kafka_topic_t *handle : std::as_const(m_topicHandles))
        rd_kafka_topic_destroy(handle);
    m_topicHandles.clear();
    if (m_rk)
        rd_kafka_destroy(m_rk);
    m_rk = nullptr;
}

template <typename Call>
rd_kafka_resp_err_t TopicBrowser::Worker::patiently(Call call, Interrupted interrupted, qint64 timeoutMs)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    int slice = kFirstSliceMs;
    for (;;) {
        const qint64 left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        const rd_kafka_resp_err_t err = call(int(std::clamp<qint64>(left, 1, slice)));
        if (!isRetryable(err))
            return err;
        rd_kafka_poll(m_rk, 0); // serves the error events that say why
        if ((this->*interrupted)())
            return RD_KAFKA_RESP_ERR__INTR;
        if (Clock::now() >= deadline)
            return err;
        // With no broker up, nothing was sent: the next slice loses nothing by being short.
        if (err != RD_KAFKA_RESP_ERR__TRANSPORT && err != RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
            slice = std::min(slice * 2, kMaxSliceMs);
    }
}

QString TopicBrowser::Worker::clusterError(rd_kafka_resp_err_t err) const
{
    if (!isRetryable(err))
        return QStringLiteral("the Kafka cluster at ") % m_bootstrap % QStringLiteral(" refused: ") % errText(err);
    const QString last = lastClusterError();
    return connectionFailureMessage(m_bootstrap, m_brokerFailures.last(),
                                    errText(err) % (last.isEmpty() ? QString() : QStringLiteral(" (") % last % u')'),
                                    m_options.timeout);
}

Status TopicBrowser::Worker::loadMetadata(Interrupted interrupted, QList<TopicInfo> *topics)
{
    const rd_kafka_metadata_t *metadata = nullptr;
    const rd_kafka_resp_err_t err =
        patiently([&](int sliceMs) { return rd_kafka_metadata(m_rk, 1, nullptr, &metadata, sliceMs); }, interrupted,
                  m_options.timeout.count());
    if (err == RD_KAFKA_RESP_ERR__INTR)
        return Error{};
    if (err)
        return Error{clusterError(err)};
    m_partitionCounts.clear();
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        const rd_kafka_metadata_topic_t &t = metadata->topics[i];
        const QString name = QString::fromUtf8(t.topic);
        if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
            continue;
        if (!t.err)
            m_partitionCounts.insert(name, t.partition_cnt);
        if (!topics || (name.startsWith(QLatin1String("__")) && !m_options.includeInternalTopics))
            continue;
        TopicInfo info;
        info.name = name;
        if (t.err)
            info.error = errText(t.err);
        for (int p = 0; p < t.partition_cnt; ++p) {
            PartitionInfo partition;
            partition.partition = t.partitions[p].id;
            if (t.partitions[p].err && t.partitions[p].err != RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE)
                partition.error = errText(t.partitions[p].err);
            info.partitions.append(partition);
        }
        std::sort(info.partitions.begin(), info.partitions.end(),
                  [](const PartitionInfo &a, const PartitionInfo &b) { return a.partition < b.partition; });
        topics->append(info);
    }
    rd_kafka_metadata_destroy(metadata);
    m_metadataAt = Clock::now();
    if (topics)
        std::sort(topics->begin(), topics->end(),
                  [](const TopicInfo &a, const TopicInfo &b) { return a.name < b.name; });
    return {};
}

Status TopicBrowser::Worker::checkPartition(const QString &topic, int partition, Interrupted interrupted)
{
    const auto known = [&] {
        const auto it = m_partitionCounts.constFind(topic);
        return it != m_partitionCounts.cend() && partition >= 0 && partition < *it;
    };
    if (known() && Clock::now() - m_metadataAt < kMetadataMaxAge)
        return {};
    if (Status s = loadMetadata(interrupted); !s)
        return s.error().isEmpty()
                   ? s
                   : Error{QStringLiteral("cannot look up topic ") % topic % QStringLiteral(": ") % s.error()};
    if (known())
        return {};
    const auto it = m_partitionCounts.constFind(topic);
    if (it == m_partitionCounts.cend())
        return Error{QStringLiteral("topic ") % topic % QStringLiteral(" does not exist on ") % m_bootstrap};
    return Error{noSuchPartition(topic, partition, *it)};
}

rd_kafka_resp_err_t TopicBrowser::Worker::queryWatermarks(QList<TopicInfo> &topics, Interrupted interrupted,
                                                          qint64 timeoutMs)
{
    return rd_kafka_resp_err_t(readPartitionOffsets(m_rk, topics, [&](const std::function<int(int)> &request) {
        return int(
            patiently([&](int sliceMs) { return rd_kafka_resp_err_t(request(sliceMs)); }, interrupted, timeoutMs));
    }));
}

Result<PartitionInfo> TopicBrowser::Worker::watermarks(const QString &topic, int partition, Interrupted interrupted)
{
    QList<TopicInfo> one{{topic, {PartitionInfo{partition}}, {}}};
    const rd_kafka_resp_err_t err = queryWatermarks(one, interrupted, m_options.timeout.count());
    if (err == RD_KAFKA_RESP_ERR__INTR)
        return Error{};
    const PartitionInfo &p = one.first().partitions.first();
    if (err || !p.offsetsKnown())
        return Error{QStringLiteral("cannot read the offsets of topic %1 partition %2: ").arg(topic).arg(partition) %
                     (err ? clusterError(err) : p.error)};
    return p;
}

rd_kafka_topic_t *TopicBrowser::Worker::topicHandle(const QString &topic)
{
    if (rd_kafka_topic_t *handle = m_topicHandles.value(topic))
        return handle;
    rd_kafka_topic_t *handle = rd_kafka_topic_new(m_rk, topic.toUtf8().constData(), nullptr);
    if (handle)
        m_topicHandles.insert(topic, handle);
    return handle;
}

TopicMessage TopicBrowser::Worker::convert(const rd_kafka_message_t *m) const
{
    const qsizetype cap = m_options.maxValueBytes;
    TopicMessage out;
    out.partition = m->partition;
    out.offset = m->offset;
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    out.timestampMs = rd_kafka_message_timestamp(m, &type);
    out.timestampType = timestampTypeOf(type);
    if (out.timestampType == TopicMessage::TimestampType::NotAvailable)
        out.timestampMs = -1;
    if (m->key) {
        out.keyIsNull = false;
        out.keySize = qint64(m->key_len);
        out.key = QByteArray(static_cast<const char *>(m->key), std::min<qsizetype>(qsizetype(m->key_len), cap));
    }
    if (m->payload) {
        out.valueIsNull = false;
        out.valueSize = qint64(m->len);
        out.value = QByteArray(static_cast<const char *>(m->payload), std::min<qsizetype>(qsizetype(m->len), cap));
    }
    // rd_kafka_message_headers() parses the headers on first use, so it takes a non-const message.
    rd_kafka_headers_t *headers = nullptr;
    if (rd_kafka_message_headers(const_cast<rd_kafka_message_t *>(m), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        headers) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i) {
            MessageHeader h;
            h.name = QByteArray(name);
            h.valueIsNull = value == nullptr;
            if (value)
                h.value = QByteArray(static_cast<const char *>(value), std::min<qsizetype>(qsizetype(size), cap));
            out.headers.append(h);
        }
    }
    return out;
}

void TopicBrowser::Worker::listTopics(quint64 id)
{
    if (!m_rk) {
        postFailure(id, Operation::ListTopics, m_openError);
        return;
    }
    QList<TopicInfo> topics;
    if (Status s = loadMetadata(&Worker::listSuperseded, &topics); !s) {
        if (!s.error().isEmpty())
            postFailure(id, Operation::ListTopics, QStringLiteral("cannot list the topics: ") % s.error());
        return;
    }
    serveReadsWhileBusy();
    // A broker that does not answer costs one timeout for the listing, not one per partition.
    const rd_kafka_resp_err_t err = queryWatermarks(topics, &Worker::listSuperseded, m_options.timeout.count());
    if (err == RD_KAFKA_RESP_ERR__INTR)
        return;
    if (err) {
        const QString why = clusterError(err);
        for (TopicInfo &t : topics)
            for (PartitionInfo &p : t.partitions)
                if (!p.offsetsKnown() && p.error.isEmpty())
                    p.error = QStringLiteral("offsets unknown: ") % why;
    }
    post([owner = m_owner, id, topics] { owner->deliverTopics(id, topics); });
}

void TopicBrowser::Worker::serveReadsWhileBusy()
{
    std::optional<ReadRequest> read;
    {
        std::lock_guard lock(m_mutex);
        read = std::exchange(m_pendingRead, std::nullopt);
    }
    if (read)
        handleRead(*read);
    if (m_tail)
        pollTail(0);
}

void TopicBrowser::Worker::handleRead(const ReadRequest &request)
{
    if (m_tail)
        stopTail();
    switch (request.kind) {
    case ReadRequest::Kind::Page: readPage(request); break;
    case ReadRequest::Kind::Tail: startTail(request); break;
    case ReadRequest::Kind::StopTail:
        post([owner = m_owner, id = request.id] { owner->deliverTailStopped(id); });
        break;
    }
}

void TopicBrowser::Worker::readPage(const ReadRequest &request)
{
    if (!m_rk) {
        postFailure(request.id, Operation::FetchPage, m_openError);
        return;
    }
    // Retention may remove the start of the page between the offsets' query and the fetch: ask again once.
    for (int attempt = 0; attempt < 2; ++attempt) {
        bool outOfRange = false;
        Result<MessagePage> page = readPageOnce(request, outOfRange);
        if (outOfRange && attempt == 0)
            continue;
        if (page)
            post([owner = m_owner, id = request.id, page = std::move(page).value()] { owner->deliverPage(id, page); });
        else if (!page.error().isEmpty())
            postFailure(request.id, Operation::FetchPage, page.error());
        return;
    }
}

Result<MessagePage> TopicBrowser::Worker::readPageOnce(const ReadRequest &request, bool &outOfRange)
{
    const QString &topic = request.topic;
    const int partition = request.partition;
    const int count = std::max(1, request.count);
    if (Status s = checkPartition(topic, partition, &Worker::readSuperseded); !s)
        return Error{s.error()};
    auto offsets = watermarks(topic, partition, &Worker::readSuperseded);
    if (!offsets)
        return Error{offsets.error()};

    MessagePage page;
    page.topic = topic;
    page.partition = partition;
    page.low = offsets->low;
    page.high = offsets->high;
    qint64 start = page.low;
    qint64 stopAt = page.high; // the page ends before this offset
    switch (request.start) {
    case PageStart::Beginning: break;
    case PageStart::Newest: start = std::max(page.low, page.high - count); break;
    case PageStart::AtOffset: start = std::clamp(request.offset, page.low, page.high); break;
    case PageStart::AtTime: {
        TimeSeek seek(m_bootstrap, m_properties, m_options.timeout, [this] { return readSuperseded(); });
        auto found = seek.offsetsAt(topic, {{partition, page.low, page.high}}, request.offset);
        if (!found)
            return readSuperseded() ? Error{}
                                    : Error{QStringLiteral("cannot find where %1 starts in topic %2 "
                                                           "partition %3: ")
                                                .arg(QString::fromLatin1(formatIsoTime(request.offset)))
                                                .arg(topic)
                                                .arg(partition) %
                                            found.error()};
        start = found->front();
        break;
    }
    case PageStart::BeforeOffset:
        stopAt = std::clamp(request.offset, page.low, page.high);
        start = std::max(page.low, stopAt - count);
        break;
    }
    page.firstOffset = start;
    page.nextOffset = start;
    if (start >= stopAt)
        return page;

    rd_kafka_topic_t *handle = topicHandle(topic);
    if (!handle || rd_kafka_consume_start(handle, partition, start) == -1)
        return Error{QStringLiteral("cannot read topic %1 partition %2: ").arg(topic).arg(partition) %
                     errText(rd_kafka_last_error())};
    QString error;
    bool done = false;
    auto lastProgress = Clock::now();
    MessageBatch batch;
    while (!done && error.isEmpty()) {
        if (readSuperseded()) {
            rd_kafka_consume_stop(handle, partition);
            return Error{};
        }
        batch.take(handle, partition, kTailWaitMs, std::min(kMessagesPerStep, count - int(page.messages.size())));
        for (rd_kafka_message_t *m : batch.messages()) {
            if (done)
                break;
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                page.nextOffset = std::max(page.nextOffset, qint64(m->offset));
                done = true;
            } else if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
                       m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
                outOfRange = true;
                error = QStringLiteral("topic %1 partition %2: offset %3 is no longer on the broker")
                            .arg(topic)
                            .arg(partition)
                            .arg(page.nextOffset);
            } else if (m->err) {
                const auto e = rd_kafka_resp_err_t(m->err);
                if (e == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
                    e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
                    error =
                        QStringLiteral("cannot read topic %1 partition %2: ").arg(topic).arg(partition) % errText(e);
                else
                    qCDebug(lcBrowse).noquote() << "topic browser:" << topic << partition << errText(e);
            } else if (m->offset >= stopAt) {
                done = true;
            } else {
                page.messages.append(convert(m));
                page.nextOffset = m->offset + 1;
                lastProgress = Clock::now();
                done = int(page.messages.size()) >= count || page.nextOffset >= stopAt;
            }
        }
        if (!done && error.isEmpty() && Clock::now() - lastProgress > m_options.timeout)
            error = QStringLiteral("no messages from topic %1 partition %2 at offset %3 within ")
                        .arg(topic)
                        .arg(partition)
                        .arg(page.nextOffset) %
                    seconds(m_options.timeout) %
                    (lastClusterError().isEmpty() ? QString() : QStringLiteral(" (") % lastClusterError() % u')');
    }
    batch.clear();
    rd_kafka_consume_stop(handle, partition);
    if (!error.isEmpty())
        return Error{error};
    if (!page.messages.isEmpty())
        page.firstOffset = page.messages.first().offset;
    return page;
}

void TopicBrowser::Worker::startTail(const ReadRequest &request)
{
    const QString &topic = request.topic;
    const int partition = request.partition;
    if (!m_rk) {
        postFailure(request.id, Operation::Tail, m_openError);
        return;
    }
    if (Status s = checkPartition(topic, partition, &Worker::readSuperseded); !s) {
        if (!s.error().isEmpty())
            postFailure(request.id, Operation::Tail, s.error());
        return;
    }
    auto offsets = watermarks(topic, partition, &Worker::readSuperseded);
    if (!offsets) {
        if (!offsets.error().isEmpty())
            postFailure(request.id, Operation::Tail, offsets.error());
        return;
    }
    Tail tail;
    tail.id = request.id;
    tail.topic = topic;
    tail.partition = partition;
    tail.handle = topicHandle(topic);
    tail.pending.topic = topic;
    tail.pending.partition = partition;
    tail.pending.low = offsets->low;
    tail.pending.high = offsets->high;
    qint64 from = offsets->high;
    if (request.offset != kFromEnd) {
        from = std::clamp(request.offset, offsets->low, offsets->high);
        tail.pending.lost = std::max<qint64>(0, offsets->low - request.offset);
    }
    if (!tail.handle || rd_kafka_consume_start(tail.handle, partition, from) == -1) {
        postFailure(request.id, Operation::Tail,
                    QStringLiteral("cannot read topic %1 partition %2: ").arg(topic).arg(partition) %
                        errText(rd_kafka_last_error()));
        return;
    }
    m_tail = std::move(tail);
    post([owner = m_owner, id = request.id, topic, partition, from] {
        owner->deliverTailStarted(id, topic, partition, from);
    });
    qCDebug(lcBrowse) << "topic browser: tailing" << topic << partition << "from" << from;
}

void TopicBrowser::Worker::stopTail()
{
    rd_kafka_consume_stop(m_tail->handle, m_tail->partition);
    m_tail.reset();
}

void TopicBrowser::Worker::pollTail(int timeoutMs)
{
    MessageBatch batch;
    batch.take(m_tail->handle, m_tail->partition, timeoutMs, kMessagesPerStep);
    TailBatch &pending = m_tail->pending;
    std::optional<qint64> lostAt; // retention overtook the tail at this offset
    QString fatal;
    // Of the messages read, only the newest maxTailBacklog can be kept: those before are counted, not copied.
    qsizetype readable = 0;
    for (const rd_kafka_message_t *m : batch.messages())
        readable += m->err ? 0 : 1;
    qsizetype toSkip = std::max<qsizetype>(0, readable - m_options.maxTailBacklog);
    for (rd_kafka_message_t *m : batch.messages()) {
        const auto err = rd_kafka_resp_err_t(m->err);
        if (!err) {
            m_tail->lostBeforeReading = false;
            if (toSkip > 0) {
                --toSkip;
                ++pending.skipped;
                continue;
            }
            pending.messages.append(convert(m));
            if (pending.messages.size() > m_options.maxTailBacklog) {
                pending.messages.removeFirst();
                ++pending.skipped;
            }
        } else if (err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
            lostAt = m->offset;
            break;
        } else if (err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
                   err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                   err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
            fatal = errText(err);
            break;
        } else if (err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            qCDebug(lcBrowse).noquote() << "topic browser: tail:" << errText(err);
        }
    }
    batch.clear();
    if (lostAt) {
        // Count what is gone and go on from the earliest offset left; if that was gone again before a
        // message could be read, the stream outruns what the broker keeps: go on from the newest.
        rd_kafka_consume_stop(m_tail->handle, m_tail->partition);
        auto offsets = watermarks(m_tail->topic, m_tail->partition, &Worker::readSuperseded);
        const bool again = std::exchange(m_tail->lostBeforeReading, true);
        if (offsets && rd_kafka_consume_start(m_tail->handle, m_tail->partition,
                                              again ? RD_KAFKA_OFFSET_END : offsets->low) != -1) {
            const qint64 lost = std::max<qint64>(0, (again ? offsets->high : offsets->low) - *lostAt);
            pending.lost += lost;
            qCInfo(lcBrowse) << "topic browser: the tail of" << m_tail->topic << m_tail->partition << "lost" << lost
                             << "messages to retention";
        } else {
            // Stopped already; an empty reason means a newer request superseded the tail meanwhile.
            const QString why = offsets ? errText(rd_kafka_last_error()) : offsets.error();
            const quint64 id = m_tail->id;
            const QString text = QStringLiteral("the live tail of topic %1 partition %2 stopped: ")
                                     .arg(m_tail->topic)
                                     .arg(m_tail->partition) %
                                 why;
            m_tail.reset();
            if (!why.isEmpty())
                postFailure(id, Operation::Tail, text);
            return;
        }
    }
    if (!fatal.isEmpty()) {
        const quint64 id = m_tail->id;
        const QString text = QStringLiteral("the live tail of topic %1 partition %2 stopped: ")
                                 .arg(m_tail->topic)
                                 .arg(m_tail->partition) %
                             fatal;
        stopTail();
        postFailure(id, Operation::Tail, text);
        return;
    }
    deliverTail();
}

void TopicBrowser::Worker::deliverTail()
{
    TailBatch &pending = m_tail->pending;
    if (pending.messages.isEmpty() && pending.skipped == 0 && pending.lost == 0)
        return;
    const auto now = Clock::now();
    if (now - m_tail->lastDelivery < m_options.tailInterval || m_tailBatchInFlight->load())
        return;
    int64_t low = -1, high = -1;
    if (rd_kafka_get_watermark_offsets(m_rk, m_tail->topic.toUtf8().constData(), m_tail->partition, &low, &high) ==
            RD_KAFKA_RESP_ERR_NO_ERROR &&
        high >= 0) {
        if (low >= 0)
            pending.low = low;
        pending.high = high;
    }
    if (!pending.messages.isEmpty())
        pending.high = std::max(pending.high, pending.messages.last().offset + 1);
    TailBatch batch = std::exchange(pending, TailBatch{});
    pending.topic = batch.topic;
    pending.partition = batch.partition;
    pending.low = batch.low;
    pending.high = batch.high;
    m_tail->lastDelivery = now;
    m_tailBatchInFlight->store(true);
    post([owner = m_owner, id = m_tail->id, batch = std::move(batch), inFlight = m_tailBatchInFlight] {
        owner->deliverTail(id, batch); // shown by the time it returns; the worker read on meanwhile
        inFlight->store(false);
    });
}

// The browser, in its own thread.

TopicBrowser::TopicBrowser(const QString &bootstrapServers, const KafkaProperties &properties,
                           const TopicBrowserOptions &options, QObject *parent)
    : QObject(parent)
    , m_bootstrapServers(bootstrapServers)
    , m_worker(std::make_unique<Worker>(this, bootstrapServers, properties, options))
{}

TopicBrowser::~TopicBrowser()
{
    m_worker.reset(); // stops and joins; answers it posted are dropped with this object
}

quint64 TopicBrowser::listTopics()
{
    m_listId = ++m_lastId;
    m_worker->queueList(m_listId);
    return m_listId;
}

quint64 TopicBrowser::queueRead(ReadRequest request)
{
    request.id = ++m_lastId;
    m_readId = request.id;
    m_tailId = request.kind == ReadRequest::Kind::Tail ? request.id : 0;
    m_worker->queueRead(std::move(request));
    return m_readId;
}

quint64 TopicBrowser::fetchPage(const QString &topic, int partition, PageStart start, qint64 offset, int count)
{
    ReadRequest r;
    r.kind = ReadRequest::Kind::Page;
    r.topic = topic;
    r.partition = partition;
    r.start = start;
    r.offset = offset;
    r.count = count;
    return queueRead(std::move(r));
}

quint64 TopicBrowser::fetchNextPage(const MessagePage &page, int count)
{
    return fetchPage(page.topic, page.partition, PageStart::AtOffset, page.nextOffset, count);
}

quint64 TopicBrowser::fetchPreviousPage(const MessagePage &page, int count)
{
    return fetchPage(page.topic, page.partition, PageStart::BeforeOffset, page.firstOffset, count);
}

quint64 TopicBrowser::startTail(const QString &topic, int partition, qint64 fromOffset)
{
    ReadRequest r;
    r.kind = ReadRequest::Kind::Tail;
    r.topic = topic;
    r.partition = partition;
    r.offset = fromOffset;
    return queueRead(std::move(r));
}

void TopicBrowser::stopTail()
{
    if (!m_tailId)
        return;
    ReadRequest r;
    r.kind = ReadRequest::Kind::StopTail;
    r.id = m_tailId;
    m_tailId = 0;
    m_readId = 0;
    m_worker->queueRead(std::move(r));
}

void TopicBrowser::deliverTopics(quint64 id, const QList<TopicInfo> &topics)
{
    if (id == m_listId)
        Q_EMIT topicsListed(id, topics);
}

void TopicBrowser::deliverPage(quint64 id, const MessagePage &page)
{
    if (id == m_readId)
        Q_EMIT pageLoaded(id, page);
}

void TopicBrowser::deliverTailStarted(quint64 id, const QString &topic, int partition, qint64 fromOffset)
{
    if (id == m_readId)
        Q_EMIT tailStarted(id, topic, partition, fromOffset);
}

void TopicBrowser::deliverTail(quint64 id, const TailBatch &batch)
{
    if (id == m_readId)
        Q_EMIT tailMessages(id, batch);
}

void TopicBrowser::deliverTailStopped(quint64 id)
{
    Q_EMIT tailStopped(id);
}

void TopicBrowser::deliverFailure(quint64 id, Operation operation, const QString &message)
{
    if (operation == Operation::ListTopics ? id != m_listId : id != m_readId)
        return;
    if (operation == Operation::Tail)
        m_tailId = 0;
    Q_EMIT failed(id, operation, message);
}

} // namespace peakwatch
