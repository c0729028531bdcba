// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace peakwatch {

// One step of a connection diagnosis: what was checked, what was found and, when it failed, what to do.
struct DoctorStep {
    enum class Kind { Dns, Tcp, Tls, Kafka, Broker };
    enum class Outcome { Passed, Failed, Skipped };

    Kind kind = Kind::Dns;
    Outcome outcome = Outcome::Skipped;
    QString subject; // what was checked: "b-1.example.com", "b-1.example.com:9094", "cluster", "broker 2 …"
    QString finding; // what was found
    QString advice;  // what to do about it; empty when the step passed

    // "DNS", "TCP", "TLS", "Kafka", "Broker"
    static QString kindName(Kind kind);
};

// A host and port as bootstrap.servers and the brokers' metadata name them.
struct KafkaAddress {
    QString host;
    quint16 port = 0;

    // "host:port"; an IPv6 address in brackets.
    QString toString() const;
    friend bool operator==(const KafkaAddress &, const KafkaAddress &) = default;

    // Parses a bootstrap.servers list as librdkafka reads it: "host:port,host:port", each optionally with a
    // "PROTOCOL://" prefix, IPv6 addresses in brackets, port 9092 when none is given. The error names the entry.
    static Result<QList<KafkaAddress>> parseList(const QString &text);
};

// The decisions of the connection doctor: from what each step found to a verdict in words a developer can
// act on. No I/O, no threads: ConnectionDoctor gathers the facts, these judge them, and tests feed them values.
namespace doctor {

// Inside a VPC or behind a NAT, not reachable from the internet: 10/8, 172.16/12, 192.168/16, 100.64/10, and
// IPv6 unique local addresses (fc00::/7).
bool isPrivateAddress(const QHostAddress &address);
// "10.0.1.12 (private)", "127.0.0.1 (loopback)", "52.7.1.2".
QString describeAddress(const QHostAddress &address);

// What looking up a host found.
struct DnsLookup {
    KafkaAddress target;
    QList<QHostAddress> addresses; // empty when the lookup failed
    bool literal = false;          // the host is an address already: nothing to look up
    bool notFound = false;         // the name does not exist (as opposed to: no answer from DNS)
    bool timedOut = false;
    QString error; // the resolver's words
};
DoctorStep judgeDns(const DnsLookup &lookup);

// What a TCP connection attempt found.
struct TcpAttempt {
    enum class Outcome {
        Connected,
        Refused,      // nothing listens there, or a firewall rejects
        TimedOut,     // no answer: packets dropped, or the address not routable from here
        Unreachable,  // no route to the host or network
        ClosedAtOnce, // accepted, then closed straight away: a tunnel whose far end cannot connect
        Failed        // anything else; `error` says what
    };
    KafkaAddress target;
    QHostAddress address; // the address tried
    Outcome outcome = Outcome::Failed;
    QString error; // the system's words
    qint64 elapsedMs = 0;
    int timeoutMs = 0;
};
DoctorStep judgeTcp(const TcpAttempt &attempt);

// What a TLS handshake found.
struct TlsHandshake {
    KafkaAddress target;
    bool completed = false;        // the handshake completed (certificate problems were noted, then ignored)
    QList<QSslError> errors;       // certificate problems found on the way
    QList<QSslCertificate> chain;  // as the server sent it, its own certificate first
    QString protocol;              // "TLS 1.3"
    bool timedOut = false;         // no answer to the client's greeting in time
    bool closedByServer = false;   // the server closed or reset the connection before the handshake completed
    bool receivedTls = false;      // the server sent anything that parsed as TLS (a certificate, an alert)
    QString failure;               // the TLS library's words when the handshake did not complete
    QString caLocation;            // ssl.ca.location; empty: the system's trusted CAs
    bool verifyCertificate = true; // enable.ssl.certificate.verification
    bool verifyHostName = true;    // ssl.endpoint.identification.algorithm is https
    int timeoutMs = 0;
};
DoctorStep judgeTls(const TlsHandshake &handshake);

// A broker as the cluster's metadata advertises it.
struct AdvertisedBroker {
    int id = -1;
    KafkaAddress address;
};

// What librdkafka reported while asking for the cluster's metadata.
struct MetadataRequest {
    struct ClientError {
        int code = 0; // rd_kafka_resp_err_t
        QString name; // its name, "_AUTHENTICATION"
        QString reason;
    };
    QString securityProtocol = QStringLiteral("PLAINTEXT"); // upper case
    QString saslMechanism;                                  // sasl.mechanism(s), upper case; empty: none
    QString configError;                                    // librdkafka refused the configuration
    bool ok = false;
    int error = 0; // rd_kafka_resp_err_t of the metadata request; 0 when ok
    QString errorText;
    QList<ClientError> clientErrors; // what the client's error callback reported meanwhile
    QList<AdvertisedBroker> brokers;
    QStringList topics; // without internal ones (names starting with "__")
    QString topic;      // the topic asked about, or several separated by commas; empty: none
    // Each topic asked about, in the order named, with its partitions (0: it does not exist).
    std::vector<std::pair<QString, int>> topicPartitions;
    qint64 elapsedMs = 0;
    int timeoutMs = 0;
    QString iamToken; // with MSK IAM: what making the token last did (lastMskIamRefresh()); empty otherwise
};
DoctorStep judgeMetadata(const MetadataRequest &request);

// Whether this machine reaches a broker at the address the cluster advertises for it.
struct BrokerReach {
    AdvertisedBroker broker;
    DnsLookup lookup;
    std::optional<TcpAttempt> tcp; // absent when the name did not resolve
    // Whether the bootstrap servers are among the advertised brokers' addresses. When they are not, bootstrap
    // went through something else (an SSH tunnel, a port-forward, a load balancer).
    bool bootstrapAdvertised = true;
    QString bootstrapServers; // as given
};
DoctorStep judgeBroker(const BrokerReach &reach);

// Which of MSK's listeners a port is, for advice: "9094 is MSK's TLS port". Empty for other ports.
QString mskListenerOfPort(quint16 port);

} // namespace doctor
} // namespace peakwatch
