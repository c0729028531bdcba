// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "doctor_verdicts.h"
#include "kafka_config.h"
#include "result.h"

#include <QList>
#include <QString>

#include <functional>
#include <stop_token>

namespace peakwatch {

struct DoctorOptions {
    // "host:port,…". When empty, the last bootstrap.servers among `properties`.
    QString bootstrapServers;
    // librdkafka properties as given with -X (security.protocol, sasl.*, ssl.*, …), later ones winning.
    // ssl.ca.location (or ssl.ca.pem) is the CA bundle the TLS step trusts; without it, the system's. MSK IAM
    // (sasl.oauthbearer.config naming aws_region) signs in as every Peakwatch client does: see msk_iam_auth.h.
    KafkaProperties properties;
    QString topic;               // checked to exist when not empty
    int connectTimeoutMs = 5000; // each lookup, TCP connection and TLS handshake
    int metadataTimeoutMs = 10000;
    int closeGraceMs = 300; // a connection closed this soon after it opened was "accepted and closed at once"
};

// A step-by-step diagnosis of reaching a Kafka cluster, for people who have to make a connection work:
//   1. DNS of each bootstrap host;
//   2. a TCP connection to each (refused, timed out, closed at once told apart);
//   3. when security.protocol is SSL or SASL_SSL, a TLS handshake with each: the certificate, its chain and
//      names checked as librdkafka would;
//   4. a librdkafka client asking for metadata: authentication (SASL) failures told apart from timeouts;
//      the brokers and topics found;
//   5. each broker the metadata advertises: does it resolve, and can this machine connect to it — the classic
//      failure behind SSH tunnels and port-forwards, where bootstrap works and the brokers do not.
// A step whose premise failed is skipped. Every text goes through redacted(), and the values of secret
// properties are registered as secrets first, so none reaches the output.
class ConnectionDoctor final {
public:
    using Progress = std::function<void(const DoctorStep &)>;

    explicit ConnectionDoctor(DoctorOptions options);
    Q_DISABLE_COPY_MOVE(ConnectionDoctor)

    // Runs the steps in order, blocking, and calls `progress` (on this thread) as each one finishes. While it
    // waits it runs this thread's Qt events (the sockets need them): call it from a thread of its own (the GUI
    // runs it in a std::jthread and posts each step to the UI) or from a command-line program's main thread.
    // When `stop` is requested it ends within a fraction of a second, returning the steps finished so far.
    QList<DoctorStep> run(const Progress &progress = {}, std::stop_token stop = {});

    // Whether a diagnosis found nothing wrong: at least one step, and none failed (skipped steps, such as TLS on a
    // plaintext connection, are fine).
    static bool passed(const QList<DoctorStep> &steps);

    // The last value of `key` among `properties`; `fallback` when it is not there.
    static QByteArray property(const KafkaProperties &properties, const QByteArray &key,
                               const QByteArray &fallback = QByteArray());

private:
    DoctorOptions m_options;
};

} // namespace peakwatch
