// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "connection_doctor.h"

#include "logging.h"
#include "msk_iam_auth.h"
#include "redaction.h"

#include <librdkafka/rdkafka.h>

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostInfo>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QStringBuilder>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <mutex>
#include <optional>

namespace peakwatch {
namespace {

using Kind = DoctorStep::Kind;
using Outcome = DoctorStep::Outcome;
using doctor::TcpAttempt;

constexpr int kMetadataSliceMs = 200;
constexpr int kMaxAddressesTried = 3;

// Runs this thread's events until `done` holds, the deadline passes or a stop is requested. Returns done().
bool spinUntil(const std::function<bool()> &done, const QDeadlineTimer &deadline, const std::stop_token &stop)
{
    QEventLoop loop;
    QTimer tick; // wakes the loop, so that the deadline and the stop request are seen
    tick.start(20);
    while (!done()) {
        if (deadline.hasExpired() || stop.stop_requested())
            return false;
        loop.processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

doctor::DnsLookup lookUp(const KafkaAddress &target, int timeoutMs, const std::stop_token &stop)
{
    doctor::DnsLookup lookup;
    lookup.target = target;
    if (const QHostAddress literal(target.host); !literal.isNull()) {
        lookup.literal = true;
        lookup.addresses << literal;
        return lookup;
    }
    std::optional<QHostInfo> info;
    QObject receiver; // a result that comes after this function returned goes nowhere
    const int id = QHostInfo::lookupHost(target.host, &receiver, [&info](const QHostInfo &i) { info = i; });
    if (!spinUntil([&info] { return info.has_value(); }, QDeadlineTimer(timeoutMs), stop)) {
        QHostInfo::abortHostLookup(id);
        lookup.timedOut = true;
        return lookup;
    }
    lookup.addresses = info->addresses();
    // IPv4 first: MSK's names have only IPv4 addresses, and librdkafka tries them in this order too.
    std::stable_partition(lookup.addresses.begin(), lookup.addresses.end(),
                          [](const QHostAddress &a) { return a.protocol() == QAbstractSocket::IPv4Protocol; });
    if (info->error() == QHostInfo::HostNotFound || (info->error() == QHostInfo::NoError && lookup.addresses.isEmpty()))
        lookup.notFound = true;
    else if (info->error() != QHostInfo::NoError)
        lookup.error = info->errorString();
    return lookup;
}

TcpAttempt connectOnce(const KafkaAddress &target, const QHostAddress &address, const DoctorOptions &options,
                       const std::stop_token &stop)
{
    TcpAttempt attempt;
    attempt.target = target;
    attempt.address = address;
    attempt.timeoutMs = options.connectTimeoutMs;
    QTcpSocket socket;
    QElapsedTimer clock;
    clock.start();
    socket.connectToHost(address, target.port);
    const bool settled = spinUntil(
        [&socket] {
            return socket.state() == QAbstractSocket::ConnectedState ||
                   socket.state() == QAbstractSocket::UnconnectedState;
        },
        QDeadlineTimer(options.connectTimeoutMs), stop);
    attempt.elapsedMs = clock.elapsed();
    if (!settled) {
        socket.abort();
        attempt.outcome = TcpAttempt::Outcome::TimedOut;
        return attempt;
    }
    if (socket.state() == QAbstractSocket::ConnectedState) {
        // A Kafka broker waits for the client's first request; a tunnel whose far end cannot connect accepts
        // and then hangs up at once.
        spinUntil([&socket] { return socket.state() != QAbstractSocket::ConnectedState; },
                  QDeadlineTimer(options.closeGraceMs), stop);
        attempt.outcome = socket.state() == QAbstractSocket::ConnectedState ? TcpAttempt::Outcome::Connected
                                                                            : TcpAttempt::Outcome::ClosedAtOnce;
        socket.abort();
        return attempt;
    }
    attempt.error = socket.errorString();
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError: attempt.outcome = TcpAttempt::Outcome::Refused; break;
    case QAbstractSocket::SocketTimeoutError: attempt.outcome = TcpAttempt::Outcome::TimedOut; break;
    case QAbstractSocket::NetworkError: attempt.outcome = TcpAttempt::Outcome::Unreachable; break;
    default: attempt.outcome = TcpAttempt::Outcome::Failed; break;
    }
    return attempt;
}

// Tries the addresses in turn, as a client does: the first that connects, else the first failure.
TcpAttempt connectTo(const KafkaAddress &target, const QList<QHostAddress> &addresses, const DoctorOptions &options,
                     const std::stop_token &stop)
{
    std::optional<TcpAttempt> first;
    for (const QHostAddress &address : addresses.mid(0, kMaxAddressesTried)) {
        TcpAttempt attempt = connectOnce(target, address, options, stop);
        if (attempt.outcome == TcpAttempt::Outcome::Connected)
            return attempt;
        if (!first)
            first = attempt;
        if (stop.stop_requested())
            break;
    }
    return *first;
}

// The TLS settings of librdkafka's properties, as QSslSocket takes them.
struct TlsSetup {
    std::optional<QList<QSslCertificate>> caCertificates; // absent: the system's
    QString caLocation;
    QSslCertificate localCertificate;
    QSslKey privateKey;
    bool verifyCertificate = true;
    bool verifyHostName = true;
};

Result<QList<QSslCertificate>> readCertificates(const QString &location)
{
    const QFileInfo info(location);
    if (!info.exists())
        return Error{QStringLiteral("ssl.ca.location ") % location % QStringLiteral(" does not exist")};
    QList<QSslCertificate> certificates =
        info.isDir() ? QSslCertificate::fromPath(QDir(location).filePath(QStringLiteral("*")), QSsl::Pem,
                                                 QSslCertificate::PatternSyntax::Wildcard)
                     : QSslCertificate::fromPath(location, QSsl::Pem);
    if (certificates.isEmpty() && !info.isDir())
        certificates = QSslCertificate::fromPath(location, QSsl::Der);
    if (certificates.isEmpty())
        return Error{QStringLiteral("ssl.ca.location ") % location %
                     QStringLiteral(" holds no certificate that can be read (expected PEM)")};
    return certificates;
}

Result<QSslKey> readKey(const QByteArray &pem, const QByteArray &passphrase)
{
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            return key;
    }
    return Error{QStringLiteral("the client key cannot be read (a PEM private key; a wrong ssl.key.password?)")};
}

Result<TlsSetup> tlsSetup(const KafkaProperties &p)
{
    TlsSetup setup;
    const auto property = [&p](const char *key) { return ConnectionDoctor::property(p, key); };
    setup.verifyCertificate = property("enable.ssl.certificate.verification").toLower() != "false";
    setup.verifyHostName = property("ssl.endpoint.identification.algorithm").toLower() != "none";
    if (const QByteArray pem = property("ssl.ca.pem"); !pem.isEmpty()) {
        setup.caCertificates = QSslCertificate::fromData(pem, QSsl::Pem);
        setup.caLocation = QStringLiteral("ssl.ca.pem");
        if (setup.caCertificates->isEmpty())
            return Error{QStringLiteral("ssl.ca.pem holds no certificate that can be read")};
    } else if (const QByteArray location = property("ssl.ca.location"); !location.isEmpty() && location != "probe") {
        auto certificates = readCertificates(QString::fromLocal8Bit(location));
        if (!certificates)
            return Error{certificates.error()};
        setup.caCertificates = *certificates;
        setup.caLocation = QString::fromLocal8Bit(location);
    }
    QByteArray certificate = property("ssl.certificate.pem");
    if (const QByteArray file = property("ssl.certificate.location"); certificate.isEmpty() && !file.isEmpty()) {
        QFile f(QString::fromLocal8Bit(file));
        if (!f.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("ssl.certificate.location ") % f.fileName() % QStringLiteral(": ") %
                         f.errorString()};
        certificate = f.readAll();
    }
    QByteArray key = property("ssl.key.pem");
    if (const QByteArray file = property("ssl.key.location"); key.isEmpty() && !file.isEmpty()) {
        QFile f(QString::fromLocal8Bit(file));
        if (!f.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("ssl.key.location ") % f.fileName() % QStringLiteral(": ") % f.errorString()};
        key = f.readAll();
    }
    if (!certificate.isEmpty()) {
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certificate, QSsl::Pem);
        if (chain.isEmpty())
            return Error{QStringLiteral("the client certificate cannot be read (expected PEM)")};
        setup.localCertificate = chain.first();
        if (key.isEmpty())
            return Error{QStringLiteral("a client certificate needs its key: ssl.key.location")};
        auto privateKey = readKey(key, property("ssl.key.password"));
        if (!privateKey)
            return Error{privateKey.error()};
        setup.privateKey = *privateKey;
    }
    return setup;
}

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLS 1.3");
    case QSsl::DtlsV1_2: return QStringLiteral("DTLS 1.2");
    default: return QStringLiteral("TLS");
    }
}

doctor::TlsHandshake shakeHands(const KafkaAddress &target, const QHostAddress &address, const TlsSetup &setup,
                                const DoctorOptions &options, const std::stop_token &stop)
{
    doctor::TlsHandshake h;
    h.target = target;
    h.timeoutMs = options.connectTimeoutMs;
    h.caLocation = setup.caLocation;
    h.verifyCertificate = setup.verifyCertificate;
    h.verifyHostName = setup.verifyHostName;
    if (!QSslSocket::supportsSsl()) {
        h.failure = QStringLiteral("TLS is not available to this program (Qt's OpenSSL backend is missing)");
        return h;
    }
    QSslSocket socket;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (setup.caCertificates)
        config.setCaCertificates(*setup.caCertificates); // instead of the system's, as librdkafka does
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!setup.localCertificate.isNull()) {
        config.setLocalCertificate(setup.localCertificate);
        config.setPrivateKey(setup.privateKey);
    }
    socket.setSslConfiguration(config);
    // Certificate problems are noted, then ignored, so that the handshake goes on and shows the whole chain.
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&h, &socket](const QList<QSslError> &errors) {
        h.errors = errors;
        h.receivedTls = true;
        socket.ignoreSslErrors();
    });
    QObject::connect(&socket, &QSslSocket::alertReceived, &socket, [&h] { h.receivedTls = true; });
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, &socket, [&h, &socket](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::RemoteHostClosedError)
            h.closedByServer = true;
        if (h.failure.isEmpty())
            h.failure = socket.errorString();
    });
    socket.connectToHostEncrypted(address.toString(), target.port, target.host);
    const bool settled =
        spinUntil([&socket] { return socket.isEncrypted() || socket.state() == QAbstractSocket::UnconnectedState; },
                  QDeadlineTimer(options.connectTimeoutMs), stop);
    h.chain = socket.peerCertificateChain();
    if (!h.chain.isEmpty())
        h.receivedTls = true;
    if (socket.isEncrypted()) {
        h.completed = true;
        h.protocol = protocolName(socket.sessionProtocol());
    } else if (!settled) {
        h.timedOut = true;
    }
    socket.abort();
    return h;
}

struct ClientErrors {
    std::mutex mutex;
    QList<doctor::MetadataRequest::ClientError> list;
    bool decisive = false; // an error that waiting longer does not cure

    void add(rd_kafka_resp_err_t err, const char *reason)
    {
        std::lock_guard lock(mutex);
        list.append({int(err), QString::fromUtf8(rd_kafka_err2name(err)), QString::fromUtf8(reason)});
        switch (err) {
        case RD_KAFKA_RESP_ERR__AUTHENTICATION:
        case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        case RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM:
        case RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE:
        case RD_KAFKA_RESP_ERR__SSL:
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        case RD_KAFKA_RESP_ERR__FATAL: decisive = true; break;
        default: break;
        }
    }
};

doctor::MetadataRequest askForMetadata(const QString &bootstrap, const DoctorOptions &options,
                                       const std::stop_token &stop)
{
    doctor::MetadataRequest r;
    const KafkaProperties &p = options.properties;
    r.securityProtocol = QString::fromUtf8(ConnectionDoctor::property(p, "security.protocol", "PLAINTEXT")).toUpper();
    r.saslMechanism = QString::fromUtf8(ConnectionDoctor::property(p, "sasl.mechanism",
                                                                   ConnectionDoctor::property(p, "sasl.mechanisms")))
                          .toUpper();
    r.topic = options.topic;
    r.timeoutMs = options.metadataTimeoutMs;

    const QByteArray setupTimeout = QByteArray::number(std::max(1000, options.connectTimeoutMs));
    KafkaProperties all{{"bootstrap.servers", bootstrap.toUtf8()},
                        {"client.id", "peakwatch-doctor"},
                        {"socket.connection.setup.timeout.ms", setupTimeout},
                        {"api.version.request.timeout.ms", setupTimeout},
                        {"reconnect.backoff.ms", "100"},
                        {"reconnect.backoff.max.ms", "1000"}};
    all += p;
    auto conf = makeKafkaConf(all);
    if (!conf) {
        r.configError = conf.error();
        return r;
    }
    ClientErrors errors;
    rd_kafka_conf_set_opaque(*conf, &errors);
    rd_kafka_conf_set_error_cb(*conf, [](rd_kafka_t *, int err, const char *reason, void *opaque) {
        static_cast<ClientErrors *>(opaque)->add(rd_kafka_resp_err_t(err), reason);
    });
    rd_kafka_conf_set_log_cb(*conf, [](const rd_kafka_t *, int level, const char *facility, const char *message) {
        qCDebug(lcKafka).noquote() << "doctor:" << level << facility << message;
    });
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(*conf);
        r.configError = QString::fromUtf8(errstr);
        return r;
    }
    startSaslBackground(rk); // an MSK IAM token is made on librdkafka's background thread

    QElapsedTimer clock;
    clock.start();
    const rd_kafka_metadata_t *metadata = nullptr;
    // In slices, so that a stop request is seen and an error that waiting does not cure ends the wait.
    // _TRANSPORT is librdkafka's "no broker came up within the time given", _TIMED_OUT "no answer yet".
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    for (QDeadlineTimer deadline(options.metadataTimeoutMs);
         (err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT) && !deadline.hasExpired() &&
         !stop.stop_requested();) {
        const int slice = int(std::min<qint64>(kMetadataSliceMs, std::max<qint64>(1, deadline.remainingTime())));
        err = rd_kafka_metadata(rk, 1, nullptr, &metadata, slice);
        rd_kafka_poll(rk, 0); // serves the error callback
        std::lock_guard lock(errors.mutex);
        if (err && errors.decisive)
            break;
    }
    rd_kafka_poll(rk, 0);
    r.elapsedMs = clock.elapsed();
    r.ok = err == RD_KAFKA_RESP_ERR_NO_ERROR;
    if (r.ok && wantsMskIam(all))
        r.iamToken = lastMskIamRefresh();
    r.error = int(err);
    r.errorText = r.ok ? QString() : QString::fromUtf8(rd_kafka_err2str(err));
    {
        std::lock_guard lock(errors.mutex);
        r.clientErrors = errors.list;
    }
    if (r.ok) {
        for (int i = 0; i < metadata->broker_cnt; ++i) {
            const auto &b = metadata->brokers[i];
            r.brokers.append({b.id, KafkaAddress{QString::fromUtf8(b.host), quint16(b.port)}});
        }
        std::sort(r.brokers.begin(), r.brokers.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        for (const QString &name : options.topic.split(u',', Qt::SkipEmptyParts))
            r.topicPartitions.emplace_back(name.trimmed(), 0);
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            const auto &t = metadata->topics[i];
            if (t.err)
                continue;
            for (auto &[name, partitions] : r.topicPartitions)
                if (name.toUtf8() == t.topic)
                    partitions = t.partition_cnt;
            if (!QByteArray(t.topic).startsWith("__"))
                r.topics << QString::fromUtf8(t.topic);
        }
        rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_destroy(rk);
    return r;
}

bool sameHost(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

ConnectionDoctor::ConnectionDoctor(DoctorOptions options)
    : m_options(std::move(options))
{
    for (const auto &[key, value] : m_options.properties)
        if (isSecretKafkaProperty(key))
            registerSecret(QString::fromUtf8(value));
}

QByteArray ConnectionDoctor::property(const KafkaProperties &properties, const QByteArray &key,
                                      const QByteArray &fallback)
{
    for (auto it = properties.crbegin(); it != properties.crend(); ++it)
        if (it->first == key)
            return it->second;
    return fallback;
}

bool ConnectionDoctor::passed(const QList<DoctorStep> &steps)
{
    return !steps.isEmpty() &&
           std::none_of(steps.cbegin(), steps.cend(), [](const DoctorStep &s) { return s.outcome == Outcome::Failed; });
}

QList<DoctorStep> ConnectionDoctor::run(const Progress &progress, std::stop_token stop)
{
    // A thread Qt did not start (a std::jthread) gets its event dispatcher here, before the first socket needs one:
    // a socket made before it would never hear of its connection.
    const QEventLoop makesDispatcher;
    QList<DoctorStep> steps;
    const auto finish = [&](DoctorStep step) {
        step.subject = redacted(step.subject);
        step.finding = redacted(step.finding);
        step.advice = redacted(step.advice);
        steps.append(step);
        if (progress)
            progress(steps.last());
        return step.outcome;
    };
    const auto skip = [&](Kind kind, const QString &subject, const QString &why) {
        finish(DoctorStep{kind, Outcome::Skipped, subject, why, QString()});
    };

    const QString bootstrap = m_options.bootstrapServers.isEmpty()
                                  ? QString::fromUtf8(property(m_options.properties, "bootstrap.servers"))
                                  : m_options.bootstrapServers;
    const auto targets = KafkaAddress::parseList(bootstrap);
    if (!targets) {
        finish(DoctorStep{Kind::Dns, Outcome::Failed, QStringLiteral("bootstrap servers"), targets.error(),
                          QStringLiteral("Give the cluster's bootstrap servers as HOST:PORT,HOST:PORT (on MSK: the "
                                         "cluster's \"View client information\", or aws kafka "
                                         "get-bootstrap-brokers).")});
        return steps;
    }

    // 1. DNS, once for each host
    QList<doctor::DnsLookup> lookups;
    QHash<QString, doctor::DnsLookup> byHost;
    for (const KafkaAddress &target : *targets) {
        const QString host = target.host.toLower();
        if (const auto known = byHost.constFind(host); known != byHost.cend()) {
            lookups.append(*known);
            lookups.last().target = target;
            continue;
        }
        lookups.append(lookUp(target, m_options.connectTimeoutMs, stop));
        if (stop.stop_requested())
            return steps;
        byHost.insert(host, lookups.last());
        finish(doctor::judgeDns(lookups.last()));
    }

    // 2. TCP
    QList<std::optional<TcpAttempt>> connections;
    for (const doctor::DnsLookup &lookup : std::as_const(lookups)) {
        if (lookup.addresses.isEmpty()) {
            connections.append(std::nullopt);
            skip(Kind::Tcp, lookup.target.toString(), QStringLiteral("not tried: the name does not resolve"));
            continue;
        }
        connections.append(connectTo(lookup.target, lookup.addresses, m_options, stop));
        if (stop.stop_requested())
            return steps;
        finish(doctor::judgeTcp(*connections.last()));
    }
    const bool anyConnected = std::any_of(connections.cbegin(), connections.cend(), [](const auto &c) {
        return c && c->outcome == TcpAttempt::Outcome::Connected;
    });

    // 3. TLS
    const QString protocol = QString::fromUtf8(property(m_options.properties, "security.protocol", "PLAINTEXT"));
    const bool tls = protocol.endsWith(QLatin1String("SSL"), Qt::CaseInsensitive);
    bool anyHandshake = false;
    if (!tls) {
        skip(Kind::Tls, QStringLiteral("security.protocol=") % protocol.toUpper(), QStringLiteral("no TLS to check"));
    } else if (auto setup = tlsSetup(m_options.properties); !setup) {
        finish(DoctorStep{Kind::Tls, Outcome::Failed, QStringLiteral("TLS settings"), setup.error(),
                          QStringLiteral("Fix the ssl.* property it names: the Kafka client cannot start without "
                                         "it either.")});
    } else {
        for (qsizetype i = 0; i < connections.size(); ++i) {
            const auto &c = connections[i];
            if (!c || c->outcome != TcpAttempt::Outcome::Connected) {
                skip(Kind::Tls, (*targets)[i].toString(), QStringLiteral("not tried: no TCP connection"));
                continue;
            }
            const auto handshake = doctor::judgeTls(shakeHands(c->target, c->address, *setup, m_options, stop));
            if (stop.stop_requested())
                return steps;
            anyHandshake |= finish(handshake) == Outcome::Passed;
        }
    }

    // 4. Kafka: authentication and metadata
    const QString cluster = QStringLiteral("cluster");
    if (!anyConnected) {
        skip(Kind::Kafka, cluster, QStringLiteral("not tried: no bootstrap server could be connected to"));
        skip(Kind::Broker, QStringLiteral("advertised brokers"), QStringLiteral("not tried: no metadata"));
        return steps;
    }
    if (tls && !anyHandshake) {
        skip(Kind::Kafka, cluster,
             QStringLiteral("not tried: no TLS handshake succeeded, and the Kafka client needs one"));
        skip(Kind::Broker, QStringLiteral("advertised brokers"), QStringLiteral("not tried: no metadata"));
        return steps;
    }
    const doctor::MetadataRequest metadata = askForMetadata(bootstrap, m_options, stop);
    if (stop.stop_requested())
        return steps;
    finish(doctor::judgeMetadata(metadata));
    if (!metadata.ok) {
        skip(Kind::Broker, QStringLiteral("advertised brokers"), QStringLiteral("not tried: no metadata"));
        return steps;
    }

    // 5. The advertised brokers: what clients connect to after the first request.
    QList<doctor::BrokerReach> reaches;
    for (const doctor::AdvertisedBroker &broker : metadata.brokers) {
        doctor::BrokerReach reach;
        reach.broker = broker;
        reach.bootstrapServers = bootstrap;
        reach.lookup = lookUp(broker.address, m_options.connectTimeoutMs, stop);
        if (stop.stop_requested())
            return steps;
        reaches.append(reach);
    }
    bool bootstrapAdvertised = false;
    for (const doctor::DnsLookup &b : std::as_const(lookups))
        for (const doctor::BrokerReach &r : std::as_const(reaches)) {
            if (b.target.port != r.broker.address.port)
                continue;
            bootstrapAdvertised |= sameHost(b.target.host, r.broker.address.host) ||
                                   std::any_of(b.addresses.cbegin(), b.addresses.cend(),
                                               [&r](const QHostAddress &a) { return r.lookup.addresses.contains(a); });
        }
    for (doctor::BrokerReach &reach : reaches) {
        reach.bootstrapAdvertised = bootstrapAdvertised;
        if (!reach.lookup.addresses.isEmpty())
            reach.tcp = connectTo(reach.broker.address, reach.lookup.addresses, m_options, stop);
        if (stop.stop_requested())
            return steps;
        finish(doctor::judgeBroker(reach));
    }
    return steps;
}

} // namespace peakwatch
