// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "connection_profile.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace peakwatch {

// What an import made of another tool's settings: a profile; the SASL/SCRAM password they held, for the secret
// store and never part of the profile; and what was changed or left out, in words. No text here holds a secret.
struct ProfileImport {
    ConnectionProfile profile;
    QString password;    // empty: none given
    QStringList notes;   // "line 3: ssl.truststore.location: ...": taken differently, or skipped and why
    QStringList unknown; // "line 9: foo.bar=baz": what neither Peakwatch nor librdkafka knows, skipped
};

// A Java client.properties, as kafka-console-consumer.sh --consumer.config takes it and AWS's MSK documentation
// shows it: bootstrap.servers, security.protocol, sasl.mechanism, sasl.jaas.config (ScramLoginModule's user name
// and password, IAMLoginModule's awsProfileName), the MSK IAM callback handler, ssl.truststore.location (PEM only:
// librdkafka cannot read a JKS truststore) and group.id. Properties librdkafka also knows are kept as extra
// properties; Java-only ones are skipped with a note. `base` gives the name, the topic and what the file leaves
// unsaid. An IAM profile without a region takes the one of MSK's broker host names.
ProfileImport importClientProperties(const QString &text, const ConnectionProfile &base = {});

// kcat's -X options ("key=value" each, librdkafka's names) onto `base`: bootstrap.servers, security.protocol,
// sasl.mechanisms, sasl.username, sasl.password (returned apart), ssl.ca.location, group.id and IAM's
// sasl.oauthbearer.config ("aws_region=R aws_profile=P") become fields; other properties librdkafka takes are kept
// as extra properties (one of a key: the last). The error names an option that is not key=value.
Result<ProfileImport> importKafkaOptions(const QStringList &options, const ConnectionProfile &base = {});

// The profile as a Java client.properties, without secrets: a comment says what was left out (the SASL/SCRAM
// password) and how to add it. A CA bundle becomes a PEM truststore (ssl.truststore.type=PEM).
QString exportClientProperties(const ConnectionProfile &profile);

// The profile as librdkafka properties, "key=value" each, for kcat's -X: bootstrap.servers first, no secrets.
// importKafkaOptions() makes the same profile of them.
QStringList exportKafkaOptions(const ConnectionProfile &profile);

// The same as kcat arguments ("-X key=value ...", quoted for a POSIX shell) on one line, after comment lines that
// say what was left out and what kcat cannot do (sign MSK's IAM token).
QString exportKcatArguments(const ConnectionProfile &profile);

} // namespace peakwatch
