// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace peakwatch {

// One partition of a topic as the cluster reported it.
struct PartitionInfo {
    int partition = 0;
    qint64 low = -1;  // the earliest offset still on the broker
    qint64 high = -1; // the next offset to be written (the high watermark)
    QString error;    // why low and high are unknown, when they are
    // The timestamps of the first and the last message, in milliseconds since the epoch, as
    // readPartitionTimestamps() reads them; -1 when not read, when the partition is empty, or when they carry none.
    qint64 firstTimestampMs = -1;
    qint64 lastTimestampMs = -1;
    QString timestampsError; // why they could not be read, when they could not

    bool offsetsKnown() const { return error.isEmpty() && low >= 0 && high >= low; }
    // high - low: exact for an ordinary topic; an upper bound on a compacted or transactional one.
    qint64 messageCount() const { return offsetsKnown() ? high - low : 0; }
};

struct TopicInfo {
    QString name;
    QList<PartitionInfo> partitions; // in partition order
    QString error;                   // the cluster's error for the whole topic, when there is one

    qint64 messageCount() const;
};

struct MessageHeader {
    QByteArray name;
    QByteArray value;
    bool valueIsNull = false;
};

// One message as read, owning its bytes. Keys and values longer than the browser's cap keep only
// their first bytes; the sizes say how long they were.
struct TopicMessage {
    enum class TimestampType { NotAvailable, CreateTime, LogAppendTime };

    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1; // milliseconds since the epoch, -1 when not available
    TimestampType timestampType = TimestampType::NotAvailable;
    QByteArray key;
    qint64 keySize = 0;
    bool keyIsNull = true;
    QList<MessageHeader> headers; // in the order the producer set them; names may repeat
    QByteArray value;
    qint64 valueSize = 0;
    bool valueIsNull = true; // a tombstone

    bool keyTruncated() const { return key.size() < keySize; }
    bool valueTruncated() const { return value.size() < valueSize; }
};

// A page of one partition: up to `count` consecutive messages.
struct MessagePage {
    QString topic;
    int partition = -1;
    qint64 firstOffset = 0; // where the page starts: its first message, or where it was asked to start
    qint64 nextOffset = 0;  // after its last message: where the next page starts
    qint64 low = 0;         // the partition's offsets when the page was read
    qint64 high = 0;
    QList<TopicMessage> messages;

    bool hasPrevious() const { return firstOffset > low; }
    bool hasNext() const { return nextOffset < high; }
};

// What a live tail read since its last batch.
struct TailBatch {
    QString topic;
    int partition = -1;
    QList<TopicMessage> messages; // in offset order
    // Read but left out because they came faster than they can be shown (only the newest are kept).
    qint64 skipped = 0;
    // Gone from the broker before the tail could read them (retention overtook it).
    qint64 lost = 0;
    qint64 low = -1; // the partition's offsets as last seen by the fetcher (-1 when unknown)
    qint64 high = -1;
};

struct TopicBrowserOptions {
    // How long one operation waits for the cluster before it fails.
    std::chrono::milliseconds timeout{10000};
    // Keys and values are kept up to this many bytes.
    qsizetype maxValueBytes = 1 << 20;
    // A live tail delivers at most one batch per interval, and the next only once the browser's thread has taken
    // the one before (a window slower than the stream gets fewer, larger batches, never a queue of them).
    std::chrono::milliseconds tailInterval{200};
    // A live tail keeps at most this many messages between two batches; older ones are skipped (counted, not
    // copied).
    int maxTailBacklog = 5000;
    // A topic listing includes the internal topics (named "__...").
    bool includeInternalTopics = false;
};

// Browses a Kafka cluster: its topics with their partitions and message counts, pages of a partition's
// messages, and a live tail of a partition. Every request is answered asynchronously: one librdkafka
// consumer (no group; it never commits) works on a thread of its own, and the answers arrive as
// signals in the browser's thread, a whole page or batch at a time. Use the browser from the thread it
// lives in.
//
// Reading is one thing at a time: a page request or a tail supersedes the page request or tail before
// it, and answers to superseded requests are never delivered. Likewise a topic listing supersedes the
// listing before it. Errors arrive as failed() in words that name what failed.
class TopicBrowser final : public QObject {
    Q_OBJECT
public:
    enum class PageStart {
        Beginning,    // the oldest messages
        Newest,       // the newest `count` messages
        AtOffset,     // from `offset` on
        BeforeOffset, // the `count` messages before `offset`
        AtTime,       // from the first message at or after `offset` milliseconds since the epoch (TimeSeek)
    };
    Q_ENUM(PageStart)
    enum class Operation { ListTopics, FetchPage, Tail };
    Q_ENUM(Operation)

    static constexpr int kDefaultPageSize = 200;
    static constexpr qint64 kFromEnd = -1;

    TopicBrowser(const QString &bootstrapServers, const KafkaProperties &properties,
                 const TopicBrowserOptions &options = {}, QObject *parent = nullptr);
    ~TopicBrowser() override; // stops the worker thread and waits for it
    Q_DISABLE_COPY_MOVE(TopicBrowser)

    QString bootstrapServers() const { return m_bootstrapServers; }

    // Each returns the request's id, which the answer carries.
    quint64 listTopics();
    quint64 fetchPage(const QString &topic, int partition, PageStart start, qint64 offset = 0,
                      int count = kDefaultPageSize);
    quint64 fetchNextPage(const MessagePage &page, int count = kDefaultPageSize);
    quint64 fetchPreviousPage(const MessagePage &page, int count = kDefaultPageSize);
    // Delivers the partition's messages from `fromOffset` (kFromEnd: those written from now on) as
    // they arrive, in batches at most once per TopicBrowserOptions::tailInterval.
    quint64 startTail(const QString &topic, int partition, qint64 fromOffset = kFromEnd);
    // Stops the live tail, if one runs; tailStopped() follows once it has.
    void stopTail();
    bool isTailing() const { return m_tailId != 0; }

Q_SIGNALS:
    // Topics in name order; internal topics (named "__...") left out unless TopicBrowserOptions asks for them.
    void topicsListed(quint64 requestId, const QList<peakwatch::TopicInfo> &topics);
    void pageLoaded(quint64 requestId, const peakwatch::MessagePage &page);
    // The tail reads from `fromOffset`: everything written from now on will be delivered.
    void tailStarted(quint64 requestId, const QString &topic, int partition, qint64 fromOffset);
    void tailMessages(quint64 requestId, const peakwatch::TailBatch &batch);
    // The tail asked to stop with stopTail() no longer reads.
    void tailStopped(quint64 requestId);
    void failed(quint64 requestId, peakwatch::TopicBrowser::Operation operation, const QString &message);

private:
    class Worker;
    struct ReadRequest;

    quint64 queueRead(ReadRequest request);
    // Run in this object's thread, posted there by the worker.
    void deliverTopics(quint64 id, const QList<TopicInfo> &topics);
    void deliverPage(quint64 id, const MessagePage &page);
    void deliverTailStarted(quint64 id, const QString &topic, int partition, qint64 fromOffset);
    void deliverTail(quint64 id, const TailBatch &batch);
    void deliverTailStopped(quint64 id);
    void deliverFailure(quint64 id, Operation operation, const QString &message);

    QString m_bootstrapServers;
    quint64 m_lastId = 0;
    quint64 m_listId = 0; // the listing whose answer is awaited
    quint64 m_readId = 0; // the page or tail whose answers are awaited
    quint64 m_tailId = 0; // the running tail
    std::unique_ptr<Worker> m_worker;
};

} // namespace peakwatch

Q_DECLARE_METATYPE(peakwatch::TopicInfo)
Q_DECLARE_METATYPE(peakwatch::MessagePage)
Q_DECLARE_METATYPE(peakwatch::TailBatch)
Q_DECLARE_METATYPE(peakwatch::TopicMessage)
