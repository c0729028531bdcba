// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "doctor_verdicts.h"

#include <librdkafka/rdkafka.h>

#include <QStringBuilder>

namespace peakwatch {
namespace {

using Kind = DoctorStep::Kind;
using Outcome = DoctorStep::Outcome;

constexpr auto kMskListeners =
    QLatin1StringView("MSK's listeners are 9092 plaintext, 9094 TLS, 9096 SASL/SCRAM and 9098 IAM (9194, 9196 and "
                      "9198 with public access)");

DoctorStep makeStep(Kind kind, Outcome outcome, const QString &subject, const QString &finding,
                    const QString &advice = QString())
{
    return DoctorStep{kind, outcome, subject, finding, advice};
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0, 'g', 3) % QStringLiteral(" s");
}

QString joinAddresses(const QList<QHostAddress> &addresses)
{
    QStringList shown;
    for (const QHostAddress &a : addresses.mid(0, 4))
        shown << doctor::describeAddress(a);
    if (addresses.size() > 4)
        shown << QStringLiteral("and %1 more").arg(addresses.size() - 4);
    return shown.join(QStringLiteral(", "));
}

// "Port 9092 is MSK's plaintext listener. " or nothing.
QString portNote(quint16 port)
{
    const QString listener = doctor::mskListenerOfPort(port);
    return listener.isEmpty() ? QString() : QStringLiteral("Port %1 is MSK's %2 listener. ").arg(port).arg(listener);
}

bool isLoopbackName(const QString &host)
{
    const QHostAddress address(host);
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
           (!address.isNull() && address.isLoopback());
}

QString certificateNames(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    const QStringList common = certificate.subjectInfo(QSslCertificate::CommonName);
    for (const QString &cn : common)
        if (!names.contains(cn))
            names.prepend(cn);
    if (names.size() > 4)
        names = names.mid(0, 4) << QStringLiteral("…");
    return names.isEmpty() ? QStringLiteral("(no names)") : names.join(QStringLiteral(", "));
}

QString describeCertificate(const QSslCertificate &leaf)
{
    if (leaf.isNull())
        return QStringLiteral("no certificate");
    return QStringLiteral("certificate for %1 issued by %2, valid until %3")
        .arg(certificateNames(leaf), leaf.issuerDisplayName(), leaf.expiryDate().toUTC().toString(Qt::ISODate));
}

bool isUnknownCa(QSslError::SslError e)
{
    switch (e) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
    case QSslError::InvalidCaCertificate: return true;
    default: return false;
    }
}

// What OpenSSL says when the other side answers a ClientHello with bytes that are not TLS.
bool soundsLikeNotTls(const QString &failure)
{
    return failure.contains(QLatin1String("wrong version number"), Qt::CaseInsensitive) ||
           failure.contains(QLatin1String("packet length too long"), Qt::CaseInsensitive) ||
           failure.contains(QLatin1String("unknown protocol"), Qt::CaseInsensitive) ||
           failure.contains(QLatin1String("record layer failure"), Qt::CaseInsensitive) ||
           failure.contains(QLatin1String("http request"), Qt::CaseInsensitive);
}

QString notTlsAdvice(quint16 port)
{
    QString advice =
        QStringLiteral("This port does not take TLS: it is probably a plaintext listener. ") % portNote(port);
    if (port == 9092)
        advice += QStringLiteral("The same broker's TLS listener is 9094 (SASL/SCRAM 9096, IAM 9098). ");
    return advice % QStringLiteral("Connect to the cluster's TLS port, or, if the cluster has only plaintext "
                                   "enabled, set security.protocol=PLAINTEXT (or SASL_PLAINTEXT).");
}

QString caAdvice(const QString &issuer, const QString &caLocation)
{
    if (!caLocation.isEmpty())
        return QStringLiteral("The CA bundle given in ssl.ca.location (") % caLocation %
               QStringLiteral(") does not hold the authority that issued the broker's certificate (") % issuer %
               QStringLiteral("). Point ssl.ca.location at that authority's bundle, or leave it out to use this "
                              "machine's trusted CAs, which hold Amazon's.");
    return QStringLiteral("This machine does not trust ") % issuer %
           QStringLiteral(", the authority that issued the broker's certificate. MSK's own certificates come from "
                          "Amazon Trust Services, which every system trusts; a private CA (ACM Private CA) or a "
                          "proxy that terminates TLS needs its CA bundle given: -X ssl.ca.location=/path/to/ca.pem "
                          "(or the CA bundle option of the connection).");
}

QString tunnelAdvice(const QString &bootstrap, const QString &unreachable)
{
    return QStringLiteral("Bootstrap worked through ") % bootstrap %
           QStringLiteral(", which is not an address any broker advertises: probably an SSH tunnel or a "
                          "port-forward. Kafka clients use the bootstrap servers only for the first request; after "
                          "that they connect to each broker at the address the cluster advertises for it (here ") %
           unreachable %
           QStringLiteral("), and this machine cannot reach that. Forward every broker, each on its own advertised "
                          "port, and make each advertised name point at the forward (for example a line "
                          "\"127.0.0.1 b-1.…\" in /etc/hosts); or connect over the VPN instead of a tunnel.");
}

} // namespace

QString DoctorStep::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Dns: return QStringLiteral("DNS");
    case Kind::Tcp: return QStringLiteral("TCP");
    case Kind::Tls: return QStringLiteral("TLS");
    case Kind::Kafka: return QStringLiteral("Kafka");
    case Kind::Broker: return QStringLiteral("Broker");
    }
    return QString();
}

QString KafkaAddress::toString() const
{
    return (host.contains(u':') ? u'[' % host % u']' : host) % u':' % QString::number(port);
}

Result<QList<KafkaAddress>> KafkaAddress::parseList(const QString &text)
{
    QList<KafkaAddress> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        QString entry = part.trimmed();
        if (entry.isEmpty())
            continue;
        const auto bad = [&entry](const QString &why) {
            return Error{QStringLiteral("bootstrap server \"") % entry % QStringLiteral("\": ") % why};
        };
        if (const qsizetype scheme = entry.indexOf(QLatin1String("://")); scheme >= 0)
            entry = entry.mid(scheme + 3);
        KafkaAddress address;
        QString portText;
        if (entry.startsWith(u'[')) {
            const qsizetype close = entry.indexOf(u']');
            if (close < 0)
                return bad(QStringLiteral("missing ] after the IPv6 address"));
            address.host = entry.mid(1, close - 1);
            const QString rest = entry.mid(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(u':'))
                return bad(QStringLiteral("expected :PORT after the IPv6 address"));
            if (!rest.isEmpty())
                portText = rest.mid(1);
        } else {
            const qsizetype colon = entry.lastIndexOf(u':');
            if (colon >= 0 && entry.indexOf(u':') != colon)
                return bad(QStringLiteral("write an IPv6 address in brackets, [ADDRESS]:PORT"));
            address.host = colon < 0 ? entry : entry.left(colon);
            if (colon >= 0)
                portText = entry.mid(colon + 1);
        }
        if (address.host.isEmpty())
            return bad(QStringLiteral("no host"));
        address.port = 9092; // librdkafka's default
        if (!portText.isNull()) {
            bool ok = false;
            const uint port = portText.toUInt(&ok);
            if (!ok || port == 0 || port > 65535)
                return bad(QStringLiteral("the port must be a number from 1 to 65535"));
            address.port = quint16(port);
        }
        out.append(address);
    }
    if (out.isEmpty())
        return Error{QStringLiteral("no bootstrap servers given (expected HOST:PORT,HOST:PORT,…)")};
    return out;
}

namespace doctor {

bool isPrivateAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also an IPv4-mapped IPv6 address
    if (isV4) {
        const QHostAddress a(v4);
        return a.isInSubnet(QHostAddress(QStringLiteral("10.0.0.0")), 8) ||
               a.isInSubnet(QHostAddress(QStringLiteral("172.16.0.0")), 12) ||
               a.isInSubnet(QHostAddress(QStringLiteral("192.168.0.0")), 16) ||
               a.isInSubnet(QHostAddress(QStringLiteral("100.64.0.0")), 10);
    }
    return address.isUniqueLocalUnicast();
}

QString describeAddress(const QHostAddress &address)
{
    QString text = address.toString();
    if (address.isLoopback())
        text += QStringLiteral(" (loopback)");
    else if (isPrivateAddress(address))
        text += QStringLiteral(" (private)");
    else if (address.isLinkLocal())
        text += QStringLiteral(" (link-local)");
    return text;
}

QString mskListenerOfPort(quint16 port)
{
    switch (port) {
    case 9092: return QStringLiteral("plaintext");
    case 9094: return QStringLiteral("TLS");
    case 9096: return QStringLiteral("SASL/SCRAM");
    case 9098: return QStringLiteral("IAM");
    case 9194: return QStringLiteral("public TLS");
    case 9196: return QStringLiteral("public SASL/SCRAM");
    case 9198: return QStringLiteral("public IAM");
    case 2181:
    case 2182: return QStringLiteral("ZooKeeper (not Kafka)");
    default: return QString();
    }
}

DoctorStep judgeDns(const DnsLookup &lookup)
{
    const QString &host = lookup.target.host;
    if (!lookup.addresses.isEmpty())
        return makeStep(Kind::Dns, Outcome::Passed, host,
                        joinAddresses(lookup.addresses) %
                            (lookup.literal ? QStringLiteral(", an address: nothing to look up") : QString()));
    if (lookup.notFound) {
        QString advice = QStringLiteral("Check the name; MSK's broker names look like "
                                        "b-1.cluster.xxxx.c2.kafka.us-east-1.amazonaws.com (the cluster's \"View "
                                        "client information\" in the MSK console, or aws kafka "
                                        "get-bootstrap-brokers, lists them).");
        if (host.endsWith(QLatin1String(".amazonaws.com"), Qt::CaseInsensitive))
            advice += QStringLiteral(" The names of a deleted cluster stop resolving too.");
        return makeStep(Kind::Dns, Outcome::Failed, host, host % QStringLiteral(" does not resolve"), advice);
    }
    const QString finding =
        lookup.timedOut ? QStringLiteral("no answer from DNS") : QStringLiteral("the lookup failed: ") % lookup.error;
    return makeStep(Kind::Dns, Outcome::Failed, host, finding,
                    QStringLiteral("Check this machine's network connection and DNS settings. A VPN that brings its "
                                   "own DNS servers must be connected for its names to resolve."));
}

DoctorStep judgeTcp(const TcpAttempt &attempt)
{
    using O = TcpAttempt::Outcome;
    const QString subject = attempt.target.toString();
    const QString address = attempt.address.toString();
    const quint16 port = attempt.target.port;
    const bool inVpc = isPrivateAddress(attempt.address);
    const QString vpnAdvice =
        QStringLiteral("%1 is a private address inside a VPC: are you on the VPN? If you are, the cluster's "
                       "security group must allow inbound TCP on port %2 from the VPN's addresses.")
            .arg(address)
            .arg(port);
    const QString firewallAdvice =
        QStringLiteral("A firewall or security group drops the connection, or the address is not routable from "
                       "here. For a public MSK endpoint, public access must be on and the cluster's security group "
                       "must allow this machine's public address on port %1.")
            .arg(port);
    switch (attempt.outcome) {
    case O::Connected:
        return makeStep(Kind::Tcp, Outcome::Passed, subject,
                        QStringLiteral("connected to %1 in %2 ms").arg(address).arg(attempt.elapsedMs));
    case O::Refused: {
        QString advice = attempt.address.isLoopback()
                             ? QStringLiteral("Nothing listens on %1 port %2: if this is meant to be a tunnel or a "
                                              "port-forward, is it running? ")
                                   .arg(address)
                                   .arg(port)
                             : QStringLiteral("Nothing listens on port %1 there, or a firewall rejects it. ").arg(port);
        advice += QStringLiteral("Check the port: ") % kMskListeners %
                  QStringLiteral(", and a listener exists only when its access method is enabled on the cluster.");
        return makeStep(Kind::Tcp, Outcome::Failed, subject, QStringLiteral("connection refused by ") % address,
                        advice);
    }
    case O::TimedOut:
        return makeStep(Kind::Tcp, Outcome::Failed, subject,
                        QStringLiteral("no answer from %1 within %2").arg(address, seconds(attempt.timeoutMs)),
                        inVpc ? vpnAdvice : firewallAdvice);
    case O::Unreachable:
        return makeStep(Kind::Tcp, Outcome::Failed, subject,
                        QStringLiteral("no route to %1 (%2)").arg(address, attempt.error),
                        inVpc ? vpnAdvice : firewallAdvice);
    case O::ClosedAtOnce:
        return makeStep(Kind::Tcp, Outcome::Failed, subject,
                        QStringLiteral("%1 accepted the connection and closed it at once").arg(address),
                        QStringLiteral("Something listens on the port but hangs up straight away: typically an SSH "
                                       "tunnel or port-forward whose far end cannot reach the broker (see the "
                                       "tunnel's own output), or a broker that is shutting down or refuses this "
                                       "machine's address."));
    case O::Failed: break;
    }
    return makeStep(Kind::Tcp, Outcome::Failed, subject,
                    QStringLiteral("cannot connect to %1: %2").arg(address, attempt.error),
                    inVpc ? vpnAdvice : firewallAdvice);
}

DoctorStep judgeTls(const TlsHandshake &h)
{
    const QString subject = h.target.toString();
    if (!h.completed) {
        const bool notTls = !h.receivedTls && (h.timedOut || h.closedByServer || soundsLikeNotTls(h.failure));
        if (notTls) {
            const QString what =
                h.timedOut ? QStringLiteral("no answer to the TLS greeting within ") % seconds(h.timeoutMs)
                : h.closedByServer
                    ? QStringLiteral("the server closed the connection at the TLS greeting")
                    : QStringLiteral("the server answered the TLS greeting with something else (") % h.failure % u')';
            return makeStep(Kind::Tls, Outcome::Failed, subject,
                            what % QStringLiteral(": the server did not speak TLS"), notTlsAdvice(h.target.port));
        }
        const bool refused = h.failure.contains(QLatin1String("certificate required"), Qt::CaseInsensitive) ||
                             h.failure.contains(QLatin1String("handshake failure"), Qt::CaseInsensitive) ||
                             h.failure.contains(QLatin1String("bad certificate"), Qt::CaseInsensitive);
        if (refused)
            return makeStep(Kind::Tls, Outcome::Failed, subject,
                            QStringLiteral("the server refused the handshake (") % h.failure % u')',
                            QStringLiteral("The broker may require a client certificate (MSK's TLS client "
                                           "authentication, with ACM Private CA): give it with -X "
                                           "ssl.certificate.location=… and -X ssl.key.location=…. Otherwise the "
                                           "TLS versions or ciphers of the two sides do not meet."));
        return makeStep(Kind::Tls, Outcome::Failed, subject,
                        QStringLiteral("the TLS handshake failed: ") %
                            (h.failure.isEmpty() ? QStringLiteral("no reason given") : h.failure),
                        QStringLiteral("Check that security.protocol matches the port: ") % kMskListeners %
                            QStringLiteral("."));
    }

    const QSslCertificate leaf = h.chain.value(0);
    QString finding =
        (h.protocol.isEmpty() ? QStringLiteral("TLS") : h.protocol) % QStringLiteral(", ") % describeCertificate(leaf);
    QStringList problems;
    QStringList advice;
    bool unknownCa = false, mismatch = false, expired = false;
    for (const QSslError &e : h.errors) {
        const QSslError::SslError kind = e.error();
        if (kind == QSslError::HostNameMismatch && !h.verifyHostName)
            continue;
        if (!problems.contains(e.errorString()))
            problems << e.errorString();
        if (isUnknownCa(kind) && !unknownCa) {
            unknownCa = true;
            const QSslCertificate top = h.chain.isEmpty() ? e.certificate() : h.chain.last();
            advice << caAdvice(top.isNull() ? QStringLiteral("its issuer") : top.issuerDisplayName(), h.caLocation);
        } else if (kind == QSslError::HostNameMismatch && !mismatch) {
            mismatch = true;
            const bool byAddress = !QHostAddress(h.target.host).isNull();
            QString text = QStringLiteral("The certificate names ") % certificateNames(leaf) %
                           QStringLiteral(", not ") % h.target.host % QStringLiteral(". ");
            if (byAddress || isLoopbackName(h.target.host))
                text += QStringLiteral("Connecting by IP address, or by a tunnel's name such as localhost, fails "
                                       "this check. ");
            text += QStringLiteral("Use the broker's own name; with a tunnel, make that name point at the tunnel "
                                   "(a line such as \"127.0.0.1 b-1.…\" in /etc/hosts). Turning the check off "
                                   "(-X ssl.endpoint.identification.algorithm=none) works too, and gives up the "
                                   "protection against a man in the middle.");
            advice << text;
        } else if ((kind == QSslError::CertificateExpired || kind == QSslError::CertificateNotYetValid) && !expired) {
            expired = true;
            advice << QStringLiteral("Check this machine's date and time: a clock far off makes valid certificates "
                                     "look expired or not yet valid. If the clock is right, the broker's "
                                     "certificate needs renewing.");
        }
    }
    if (problems.isEmpty())
        return makeStep(Kind::Tls, Outcome::Passed, subject, finding);
    if (!h.verifyCertificate)
        return makeStep(Kind::Tls, Outcome::Passed, subject,
                        finding %
                            QStringLiteral("; certificate verification is off "
                                           "(enable.ssl.certificate.verification=false), which hides: ") %
                            problems.join(QStringLiteral("; ")));
    if (advice.isEmpty())
        advice << QStringLiteral("The broker's certificate cannot be trusted as it is; the problems above say why.");
    return makeStep(Kind::Tls, Outcome::Failed, subject, finding % QStringLiteral(": ") % problems.join(u"; "),
                    advice.join(u' '));
}

DoctorStep judgeMetadata(const MetadataRequest &r)
{
    const QString subject = QStringLiteral("cluster");
    if (!r.configError.isEmpty())
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("librdkafka refused the configuration: ") % r.configError,
                        QStringLiteral("Fix the property it names (-X key=value, or the connection's properties)."));
    if (r.ok) {
        if (r.brokers.isEmpty())
            return makeStep(Kind::Kafka, Outcome::Failed, subject,
                            QStringLiteral("the cluster answered but names no brokers"),
                            QStringLiteral("The cluster is starting or broken: try again in a minute."));
        QStringList topics = r.topics;
        topics.sort();
        QString finding = QStringLiteral("%1 %2, %3 %4")
                              .arg(r.brokers.size())
                              .arg(r.brokers.size() == 1 ? QStringLiteral("broker") : QStringLiteral("brokers"))
                              .arg(topics.size())
                              .arg(topics.size() == 1 ? QStringLiteral("topic") : QStringLiteral("topics"));
        if (!topics.isEmpty())
            finding += QStringLiteral(" (") %
                       (topics.size() > 10 ? topics.mid(0, 10).join(QStringLiteral(", ")) % QStringLiteral(", …")
                                           : topics.join(QStringLiteral(", "))) %
                       u')';
        finding += QStringLiteral(", in %1 ms").arg(r.elapsedMs);
        QStringList missing;
        for (const auto &[name, partitions] : r.topicPartitions) {
            if (partitions <= 0) {
                missing << name;
                continue;
            }
            finding += QStringLiteral("; topic %1 has %2 %3")
                           .arg(name)
                           .arg(partitions)
                           .arg(partitions == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"));
        }
        if (!missing.isEmpty())
            return makeStep(
                Kind::Kafka, Outcome::Failed, subject,
                finding % (missing.size() == 1 ? QStringLiteral("; topic ") : QStringLiteral("; topics ")) %
                    missing.join(QStringLiteral(", ")) %
                    (missing.size() == 1 ? QStringLiteral(" does not exist") : QStringLiteral(" do not exist")),
                QStringLiteral("Check the topic's name (names are case-sensitive). MSK creates no "
                               "topic on first use unless auto.create.topics.enable is set in the "
                               "cluster's configuration: create it (kafka-topics.sh --create) or "
                               "pick one of those listed."));
        if (!r.iamToken.isEmpty())
            finding += QStringLiteral("; signed in with an IAM ") % r.iamToken;
        return makeStep(Kind::Kafka, Outcome::Passed, subject, finding);
    }

    const auto find = [&r](auto predicate) -> const MetadataRequest::ClientError * {
        for (const auto &e : r.clientErrors)
            if (predicate(e))
                return &e;
        return nullptr;
    };
    // Peakwatch could not make the MSK IAM token (core/kafka/msk_iam_auth.cpp): the broker was never asked.
    if (const auto *e =
            find([](const MetadataRequest::ClientError &c) { return c.reason.contains(QLatin1String("MSK IAM:")); }))
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("cannot make the MSK IAM token: ") % e->reason,
                        QStringLiteral("The token is signed with the usual AWS credentials: AWS_ACCESS_KEY_ID and "
                                       "AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN) in the environment, or a "
                                       "profile of ~/.aws/credentials and ~/.aws/config (the connection's AWS "
                                       "profile). Check they are there and not expired: aws sts get-caller-identity "
                                       "tells."));
    // SASL: librdkafka reports it as _AUTHENTICATION, with the broker's own error in the text.
    if (const auto *e = find([](const MetadataRequest::ClientError &c) {
            return c.code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
                   c.code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
                   c.code == RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM ||
                   c.code == RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE || c.reason.contains(QLatin1String("SASL"));
        })) {
        const QString mechanism = r.saslMechanism.isEmpty() ? QStringLiteral("GSSAPI") : r.saslMechanism;
        if (e->reason.contains(QLatin1String("Handshake not supported"), Qt::CaseInsensitive))
            return makeStep(Kind::Kafka, Outcome::Failed, subject,
                            QStringLiteral("the brokers do not do SASL on this port: ") % e->reason,
                            QStringLiteral("security.protocol=") % r.securityProtocol %
                                QStringLiteral(" needs a SASL listener: on MSK, 9096 is SASL/SCRAM and 9098 IAM "
                                               "(9196 and 9198 with public access). On the TLS port (9094) use "
                                               "security.protocol=SSL, on the plaintext port (9092) PLAINTEXT."));
        if (e->code == RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM ||
            e->reason.contains(QLatin1String("Unsupported SASL mechanism"), Qt::CaseInsensitive) ||
            e->reason.contains(QLatin1String("supported mechanisms"), Qt::CaseInsensitive))
            return makeStep(Kind::Kafka, Outcome::Failed, subject,
                            QStringLiteral("the brokers do not accept SASL mechanism ") % mechanism %
                                QStringLiteral(": ") % e->reason,
                            QStringLiteral("Set sasl.mechanism to one the brokers accept: on MSK, SCRAM-SHA-512 on "
                                           "the SASL/SCRAM listener (9096) and OAUTHBEARER with an IAM token on the "
                                           "IAM listener (9098). Or enable that authentication method in the "
                                           "cluster's security settings."));
        QString advice;
        if (mechanism.startsWith(QLatin1String("SCRAM")))
            advice = QStringLiteral("The brokers refused the user name or password. On MSK, SCRAM credentials come "
                                    "from an AWS Secrets Manager secret associated with the cluster: its name must "
                                    "start with AmazonMSK_, it must be encrypted with a customer-managed KMS key, "
                                    "and a new association takes a minute to apply. Check sasl.username and "
                                    "sasl.password against that secret.");
        else if (mechanism == QLatin1String("OAUTHBEARER") || mechanism == QLatin1String("AWS_MSK_IAM"))
            advice = QStringLiteral("The brokers refused the IAM token. Check that the IAM identity's policy allows "
                                    "kafka-cluster:Connect (and DescribeCluster, DescribeTopic, ReadData) on this "
                                    "cluster, that the token is signed for the cluster's region, and that this "
                                    "machine's clock is right.");
        else
            advice = QStringLiteral("The brokers refused the credentials: check sasl.username and sasl.password, and "
                                    "that sasl.mechanism is one the cluster has enabled.");
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("authentication failed (") % mechanism % QStringLiteral("): ") % e->reason,
                        advice);
    }
    if (const auto *e = find([](const MetadataRequest::ClientError &c) { return c.code == RD_KAFKA_RESP_ERR__SSL; })) {
        QString advice;
        if (e->reason.contains(QLatin1String("PLAINTEXT broker listener"), Qt::CaseInsensitive))
            advice = QStringLiteral("The port is a plaintext listener. ") % kMskListeners %
                     QStringLiteral(": match security.protocol to the port.");
        else if (e->reason.contains(QLatin1String("certificate verify failed"), Qt::CaseInsensitive))
            advice = QStringLiteral("librdkafka does not trust the broker's certificate: give the issuing CA's "
                                    "bundle with -X ssl.ca.location=/path/to/ca.pem, and connect by the broker's "
                                    "own name, not an IP address or a tunnel's name.");
        else
            advice = QStringLiteral("Compare with the TLS step above; check ssl.* properties (client certificate and "
                                    "key, CA bundle).");
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("TLS failed in the Kafka client: ") % e->reason, advice);
    }
    if (const auto *e =
            find([](const MetadataRequest::ClientError &c) { return c.code == RD_KAFKA_RESP_ERR__RESOLVE; }))
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("the Kafka client cannot resolve a broker: ") % e->reason,
                        QStringLiteral("Check the names and this machine's DNS (see the DNS steps above)."));
    const bool plaintext = !r.securityProtocol.endsWith(QLatin1String("SSL"));
    if (const auto *e = find([](const MetadataRequest::ClientError &c) {
            return c.reason.contains(QLatin1String("Disconnected"), Qt::CaseInsensitive) ||
                   c.reason.contains(QLatin1String("APIVERSION_QUERY"));
        }))
        return makeStep(Kind::Kafka, Outcome::Failed, subject,
                        QStringLiteral("the brokers closed the connection at the first request: ") % e->reason,
                        (plaintext ? QStringLiteral("A plaintext client (security.protocol=") % r.securityProtocol %
                                         QStringLiteral(") on a TLS port is cut off like this. ")
                                   : QString()) %
                            kMskListeners % QStringLiteral(": match security.protocol to the port."));
    QString finding = QStringLiteral("no metadata within ") % seconds(r.timeoutMs);
    if (!r.errorText.isEmpty() && r.error != RD_KAFKA_RESP_ERR__TIMED_OUT)
        finding += QStringLiteral(" (") % r.errorText % u')';
    if (!r.clientErrors.isEmpty())
        finding += QStringLiteral("; last error: ") % r.clientErrors.last().reason;
    return makeStep(Kind::Kafka, Outcome::Failed, subject, finding,
                    QStringLiteral("The brokers took the connection but did not answer Kafka's first requests in "
                                   "time. Check that security.protocol (") %
                        r.securityProtocol %
                        QStringLiteral(") matches the port's listener: on MSK, 9092 PLAINTEXT, 9094 SSL, 9096 "
                                       "SASL_SSL with SCRAM-SHA-512, 9098 SASL_SSL with OAUTHBEARER; and that "
                                       "nothing in between (a proxy, a tunnel) holds the traffic."));
}

DoctorStep judgeBroker(const BrokerReach &reach)
{
    const QString address = reach.broker.address.toString();
    const QString subject = QStringLiteral("broker %1 at %2").arg(reach.broker.id).arg(address);
    const bool tunnel = !reach.bootstrapAdvertised;
    if (reach.lookup.addresses.isEmpty()) {
        const DoctorStep dns = judgeDns(reach.lookup);
        return makeStep(Kind::Broker, Outcome::Failed, subject, QStringLiteral("advertised, but ") % dns.finding,
                        tunnel ? tunnelAdvice(reach.bootstrapServers, address)
                               : QStringLiteral("The cluster advertises a name this machine cannot resolve, and "
                                                "clients connect to that name after the first request. ") %
                                     dns.advice);
    }
    if (!reach.tcp)
        return makeStep(Kind::Broker, Outcome::Skipped, subject,
                        joinAddresses(reach.lookup.addresses) % QStringLiteral(", not tried"));
    const DoctorStep tcp = judgeTcp(*reach.tcp);
    if (tcp.outcome == Outcome::Passed)
        return makeStep(Kind::Broker, Outcome::Passed, subject,
                        joinAddresses(reach.lookup.addresses) % QStringLiteral(", ") % tcp.finding);
    return makeStep(Kind::Broker, Outcome::Failed, subject, QStringLiteral("advertised, but ") % tcp.finding,
                    tunnel ? tunnelAdvice(reach.bootstrapServers, address)
                           : QStringLiteral("Bootstrap worked, but clients also connect to every broker at its "
                                            "advertised address, and this one is out of reach. ") %
                                 tcp.advice);
}

} // namespace doctor
} // namespace peakwatch
