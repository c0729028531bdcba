// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "message_view.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace peakwatch {

class MessageFilter;

// Where a scan starts in each partition.
struct ScanStart {
    enum class Kind {
        Beginning, // the oldest message still on the broker
        End,       // what is written from now on
        Stored,    // the consumer group's committed offset
        Offset,    // `value`, within what the partition holds
        FromEnd,   // the last `value` messages
    };
    Kind kind = Kind::Beginning;
    qint64 value = 0;

    // beginning, end, stored, an offset (412) or a count from the end (-100); the error says what is accepted.
    static Result<ScanStart> parse(const QString &text);
};

struct ScanRequest {
    QString topic;
    QList<int> partitions; // empty: every partition
    ScanStart start;
    // A time range, in milliseconds since the epoch (-1: open). With a start time the scan seeks to the first
    // message at or after it, instead of `start`; messages outside the range are passed over.
    qint64 fromTimeMs = -1;
    qint64 untilTimeMs = -1; // inclusive
    qint64 maxMatches = -1;  // stop after this many messages passed the filter (-1: no limit)
    bool stopAtEnd = false;  // stop at each partition's end, as kcat -e does, instead of waiting for more
    QString group;           // the consumer group whose offsets ScanStart::Stored reads
    // How long the scan waits for the cluster to answer before it fails.
    std::chrono::milliseconds timeout{10000};
};

struct ScanProgress {
    qint64 scanned = 0; // messages read
    qint64 bytes = 0;   // their keys, values and headers
    qint64 matched = 0; // of them, those that passed the filter
    qint64 total = -1;  // messages the scan will read when it is bounded (a time range or the partitions' ends)
    int partitions = 0;
    int partitionsDone = 0;
};

struct ScanSummary {
    ScanProgress progress;
    enum class Ended { AtEnd, Count, Interrupted } ended = Ended::AtEnd;
    qint64 filterErrors = 0;
    QString firstFilterError;
    QStringList notes; // what the scan could not do as asked ("partition 3: offset 9000 is past its end, 812")
    QString seek;      // how the start time was found, when one was given
};

// Reads a topic's partitions — all of them or those asked for — from where a ScanStart or a start time puts them,
// through a MessageFilter, all partitions at once with one librdkafka consumer that joins no group and commits
// nothing. Each message that passes is handed to `onMatch`, which may stop the scan by returning false; progress
// goes to `onProgress` about ten times a second. Blocks until the end, the count or `interrupted`: call it from a
// worker thread, or from the command line. Serves `peakwatch-cli consume` and the Topics view's search.
class TopicScan final {
public:
    using OnMatch = std::function<bool(const MessageView &)>;
    using OnProgress = std::function<void(const ScanProgress &)>;

    TopicScan(const QString &bootstrapServers, const KafkaProperties &properties);

    Result<ScanSummary> run(const ScanRequest &request, MessageFilter &filter, const OnMatch &onMatch,
                            const OnProgress &onProgress = {}, const std::function<bool()> &interrupted = {});

private:
    QString m_bootstrap;
    KafkaProperties m_properties;
};

} // namespace peakwatch
