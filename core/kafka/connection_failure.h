// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QString>

#include <chrono>

namespace peakwatch {

// A cluster that could not be reached, told in one line a person can act on: which broker, what failed
// (refused, not resolved, timed out, TLS, sign-in) and where to look next (peakwatch-cli doctor).
// Pure text: the reason is what librdkafka last said about a broker, e.g.
// "127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused (after 0ms in state CONNECT)".
struct ConnectionFailure {
    QString broker; // "127.0.0.1:9", empty when the reason names none
    QString what;   // "connection refused", "host name not resolved", …

    // "broker 127.0.0.1:9: connection refused …", or what failed alone when no broker is named.
    QString text() const;
};

ConnectionFailure classifyConnectionFailure(const QString &librdkafkaReason);

// "cannot reach the Kafka cluster at B: broker 127.0.0.1:9: connection refused; run peakwatch-cli doctor -b B
// to find out why". `fallback` says what failed when librdkafka said nothing about a broker. With `waited`, how long
// it was tried: "cannot reach the Kafka cluster at B within 10 s: …".
QString connectionFailureMessage(const QString &bootstrap, const QString &librdkafkaReason, const QString &fallback,
                                 std::chrono::milliseconds waited = {});

} // namespace peakwatch
