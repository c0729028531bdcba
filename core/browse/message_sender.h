// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"
#include "topic_browser.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <chrono>

namespace peakwatch {

// A message to write: its key and value (either may be null), its headers in order, and where it goes.
struct OutgoingMessage {
    QByteArray key;
    bool keyIsNull = true;
    QByteArray value;
    bool valueIsNull = false; // a tombstone
    QList<MessageHeader> headers;
    int partition = -1;     // -1: the one the key hashes to
    qint64 timestampMs = 0; // 0: now

    // The message as read, to be written again to `partition` (-1: by its key), with its timestamp when
    // `keepTimestamp`. Its key and value must be whole (not cut by the reader): the caller checks.
    static OutgoingMessage from(const TopicMessage &message, int partition, bool keepTimestamp);
};

// Where a message was written.
struct SentMessage {
    int partition = -1;
    qint64 offset = -1;
};

// Writes the messages to `topic`, in order, and waits until the cluster has every one (or `timeout` passes). The
// topic is looked up first and a missing topic or partition is refused before anything is written, since a
// producer's own look-up creates a missing topic on a cluster that creates topics on demand. The answer lists
// where each message went, in the order given; the error says how many were not delivered and why. Blocks: call it
// from a worker thread or the command line.
Result<QList<SentMessage>> sendMessages(const QString &bootstrapServers, const KafkaProperties &properties,
                                        const QString &topic, const QList<OutgoingMessage> &messages,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

} // namespace peakwatch
