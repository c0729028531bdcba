// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"
#include "topic_browser.h"

#include <QList>
#include <QString>

#include <chrono>
#include <functional>

namespace peakwatch {

// Fills in firstTimestampMs and lastTimestampMs of every partition of `topics` that holds messages (its offsets known,
// high above low): the timestamps of its first message and of the message at high - 1 (or, where that offset holds
// no message, such as a transaction's marker, of the last one before it). Reads all the partitions at once, one pass
// for the first messages and one for the last, with a Kafka client of its own, so that a cluster of a thousand
// partitions costs a few fetches, not two thousand. A partition it cannot read says why in timestampsError; each pass
// waits at most `timeout`, and stops soon after `interrupted` returns true. Blocks: call it from a worker thread,
// or from a command line tool.
Status readPartitionTimestamps(const QString &bootstrapServers, const KafkaProperties &properties,
                               QList<TopicInfo> &topics, std::chrono::milliseconds timeout,
                               const std::function<bool()> &interrupted = {});

} // namespace peakwatch
