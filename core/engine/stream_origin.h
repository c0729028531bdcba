// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>

#include <string_view>

namespace peakwatch {

// What a stream of updates was read from, as alert ids and episodes hash it (see alertId()). Readable text,
// so that a log line can name it; it holds no secret.
//
// A Kafka topic is named by its cluster's identity (clusterIdentity() in kafka_consumer.h: the cluster id
// from metadata, and the embedded cluster's own per start) and the topic's name. The consumer group, the
// partitions a member holds and the offsets it starts at do not enter: a consumer restarting, a redelivery,
// and another member of the same group read the same stream.
QByteArray kafkaStreamOrigin(const QByteArray &clusterIdentity, const QByteArray &topic);

// An NDJSON file (or standard input) is named by its first message, whatever the file's path: the same file
// replayed is the same stream, and so is a copy of it or the file grown by appending.
QByteArray ndjsonStreamOrigin(std::string_view firstLine);

} // namespace peakwatch
