// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The connection doctor: its verdicts from facts (no I/O), and whole runs against the embedded cluster, a closed
// port, a name that does not resolve, a TLS server with a test CA, and a port-forwarder in front of a cluster
// one of whose brokers is down; `peakwatch-cli doctor` and its exit codes.
#include "cli_runner.h"

#include "connection_doctor.h"
#include "connection_failure.h"
#include "embedded_cluster.h"

#include <librdkafka/rdkafka.h> // error codes, for the verdict rows

#include <QElapsedTimer>
#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <future>
#include <thread>

using namespace peakwatch;
using Kind = DoctorStep::Kind;
using Outcome = DoctorStep::Outcome;

Q_DECLARE_METATYPE(peakwatch::doctor::TcpAttempt::Outcome)
Q_DECLARE_METATYPE(peakwatch::DoctorStep::Outcome)
Q_DECLARE_METATYPE(peakwatch::doctor::TlsHandshake)
Q_DECLARE_METATYPE(peakwatch::doctor::MetadataRequest)
Q_DECLARE_METATYPE(peakwatch::doctor::BrokerReach)

namespace {

const QString kTlsDir = QStringLiteral(PEAKWATCH_SAMPLES_DIR "/../tls/");

QSslCertificate testBrokerCertificate()
{
    return QSslCertificate::fromPath(kTlsDir + QStringLiteral("broker.pem")).value(0);
}

// A server on a thread of its own, so that it serves while the test's thread is blocked in ConnectionDoctor::run()
// or waits for peakwatch-cli.
class ServerThread final {
public:
    // `make` runs on the server's thread and returns a listening server, which lives there until destruction.
    explicit ServerThread(const std::function<QTcpServer *()> &make)
    {
        m_thread.start();
        m_anchor.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, &make] {
                m_server = make();
                m_port = m_server->serverPort();
            },
            Qt::BlockingQueuedConnection);
    }
    ~ServerThread()
    {
        QMetaObject::invokeMethod(
            &m_anchor, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    Q_DISABLE_COPY_MOVE(ServerThread)

    quint16 port() const { return m_port; }

private:
    QThread m_thread;
    QObject m_anchor;
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
};

// A port-forwarder, as `ssh -L` makes one: each connection relayed to 127.0.0.1:upstream.
QTcpServer *makeForwarder(quint16 upstream)
{
    auto *server = new QTcpServer;
    server->listen(QHostAddress::LocalHost);
    QObject::connect(server, &QTcpServer::newConnection, server, [server, upstream] {
        while (QTcpSocket *client = server->nextPendingConnection()) {
            auto *broker = new QTcpSocket(client);
            QObject::connect(client, &QTcpSocket::readyRead, broker,
                             [client, broker] { broker->write(client->readAll()); });
            QObject::connect(broker, &QTcpSocket::readyRead, client,
                             [client, broker] { client->write(broker->readAll()); });
            QObject::connect(broker, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            QObject::connect(broker, &QTcpSocket::errorOccurred, client, &QTcpSocket::disconnectFromHost);
            QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            broker->connectToHost(QHostAddress::LocalHost, upstream); // what the client sends meanwhile is buffered
        }
    });
    return server;
}

// A TLS server with the test CA's certificate for localhost. It speaks no Kafka; a client that does not speak TLS
// is cut off, as a Kafka broker's TLS listener cuts it off.
QTcpServer *makeTlsServer()
{
    auto *server = new QSslServer;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(testBrokerCertificate());
    QFile key(kTlsDir + QStringLiteral("broker.key"));
    if (key.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    QObject::connect(server, &QSslServer::errorOccurred, server,
                     [](QSslSocket *socket, QAbstractSocket::SocketError) { socket->abort(); });
    server->listen(QHostAddress::LocalHost);
    return server;
}

// A port nothing listens on: a server's, after it closed.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QList<DoctorStep> stepsOf(const QList<DoctorStep> &steps, Kind kind)
{
    QList<DoctorStep> out;
    for (const DoctorStep &s : steps)
        if (s.kind == kind)
            out << s;
    return out;
}

QByteArray describe(const QList<DoctorStep> &steps)
{
    QByteArray text;
    for (const DoctorStep &s : steps)
        text += DoctorStep::kindName(s.kind).toUtf8() + ' ' + QByteArray::number(int(s.outcome)) + ' ' +
                s.subject.toUtf8() + ": " + s.finding.toUtf8() + " | " + s.advice.toUtf8() + '\n';
    return text;
}

DoctorOptions quick(const QString &bootstrap, const KafkaProperties &properties = {})
{
    DoctorOptions options;
    options.bootstrapServers = bootstrap;
    options.properties = properties;
    options.connectTimeoutMs = 3000;
    options.metadataTimeoutMs = 5000;
    return options;
}

} // namespace

class TstDoctor final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // Verdicts: facts in, words out.
    void bootstrapListIsParsed_data();
    void bootstrapListIsParsed();
    void privateAddressesAreThoseOfAVpc_data();
    void privateAddressesAreThoseOfAVpc();
    void dnsVerdicts();
    void tcpVerdicts_data();
    void tcpVerdicts();
    void tlsVerdicts_data();
    void tlsVerdicts();
    void metadataVerdicts_data();
    void metadataVerdicts();
    void brokerVerdicts_data();
    void brokerVerdicts();
    void connectionFailureNamesBrokerAndCause_data();
    void connectionFailureNamesBrokerAndCause();

    // Whole runs.
    void embeddedClusterPassesEveryStep();
    void closedPortFailsAtTcp();
    void unresolvableNameFailsAtDns();
    void tlsAgainstPlaintextListenerSaysNoTls();
    void tlsHandshakeWithTestCa_data();
    void tlsHandshakeWithTestCa();
    void plaintextClientOnTlsPortIsCutOff();
    void tunnelToBrokersThatCannotBeReached();
    void tunnelWhoseFarEndIsDownClosesAtOnce();
    void saslAgainstBrokerWithoutSaslHidesThePassword();
    void stopEndsARunPromptly();
    void cliUsageErrors();

private:
    std::unique_ptr<EmbeddedCluster> m_cluster;
};

void TstDoctor::initTestCase()
{
    auto cluster = EmbeddedCluster::start(3, {{QStringLiteral("products"), 2}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    m_cluster = std::move(*cluster);
    QVERIFY2(QSslSocket::supportsSsl(), "Qt's TLS backend is missing");
    QVERIFY(!testBrokerCertificate().isNull());
}

void TstDoctor::bootstrapListIsParsed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // empty: an error
    QTest::addRow("two brokers") << QStringLiteral("b-1.x:9094, b-2.x:9094")
                                 << QStringList{QStringLiteral("b-1.x:9094"), QStringLiteral("b-2.x:9094")};
    QTest::addRow("protocol prefix") << QStringLiteral("SSL://b-1.x:9094") << QStringList{QStringLiteral("b-1.x:9094")};
    QTest::addRow("no port: 9092") << QStringLiteral("localhost") << QStringList{QStringLiteral("localhost:9092")};
    QTest::addRow("IPv6 in brackets") << QStringLiteral("[::1]:9093") << QStringList{QStringLiteral("[::1]:9093")};
    QTest::addRow("IPv6 without brackets") << QStringLiteral("::1:9093") << QStringList();
    QTest::addRow("port not a number") << QStringLiteral("b-1.x:tls") << QStringList();
    QTest::addRow("port out of range") << QStringLiteral("b-1.x:70000") << QStringList();
    QTest::addRow("nothing") << QStringLiteral(" , ") << QStringList();
}

void TstDoctor::bootstrapListIsParsed()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    const auto parsed = KafkaAddress::parseList(text);
    QCOMPARE(parsed.ok(), !expected.isEmpty());
    if (!parsed) {
        QVERIFY(!parsed.error().isEmpty());
        return;
    }
    QStringList got;
    for (const KafkaAddress &a : *parsed)
        got << a.toString();
    QCOMPARE(got, expected);
}

void TstDoctor::privateAddressesAreThoseOfAVpc_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("isPrivate");
    QTest::addRow("10/8") << QStringLiteral("10.0.1.12") << true;
    QTest::addRow("172.16/12, low") << QStringLiteral("172.16.0.1") << true;
    QTest::addRow("172.16/12, high") << QStringLiteral("172.31.255.254") << true;
    QTest::addRow("172.32 is public") << QStringLiteral("172.32.0.1") << false;
    QTest::addRow("192.168/16") << QStringLiteral("192.168.1.20") << true;
    QTest::addRow("100.64/10 (carrier NAT)") << QStringLiteral("100.64.0.1") << true;
    QTest::addRow("100.128 is public") << QStringLiteral("100.128.0.1") << false;
    QTest::addRow("public") << QStringLiteral("52.7.1.2") << false;
    QTest::addRow("loopback is not a VPC's") << QStringLiteral("127.0.0.1") << false;
    QTest::addRow("IPv4-mapped IPv6") << QStringLiteral("::ffff:10.1.2.3") << true;
    QTest::addRow("IPv6 unique local") << QStringLiteral("fd12:3456::1") << true;
}

void TstDoctor::privateAddressesAreThoseOfAVpc()
{
    QFETCH(QString, address);
    QFETCH(bool, isPrivate);
    QCOMPARE(doctor::isPrivateAddress(QHostAddress(address)), isPrivate);
}

void TstDoctor::dnsVerdicts()
{
    doctor::DnsLookup lookup;
    lookup.target = {QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com"), 9094};
    lookup.notFound = true;
    DoctorStep step = doctor::judgeDns(lookup);
    QCOMPARE(step.outcome, Outcome::Failed);
    QVERIFY2(step.finding.contains(QLatin1String("does not resolve")), qPrintable(step.finding));
    QVERIFY2(step.advice.contains(QLatin1String("b-1.cluster.xxxx.c2.kafka.us-east-1.amazonaws.com")),
             qPrintable(step.advice));

    lookup.notFound = false;
    lookup.addresses = {QHostAddress(QStringLiteral("10.0.1.12"))};
    step = doctor::judgeDns(lookup);
    QCOMPARE(step.outcome, Outcome::Passed);
    QCOMPARE(step.finding, QStringLiteral("10.0.1.12 (private)"));

    lookup.addresses.clear();
    lookup.timedOut = true;
    step = doctor::judgeDns(lookup);
    QCOMPARE(step.outcome, Outcome::Failed);
    QVERIFY2(step.finding.contains(QLatin1String("no answer from DNS")), qPrintable(step.finding));
}

void TstDoctor::tcpVerdicts_data()
{
    using O = doctor::TcpAttempt::Outcome;
    QTest::addColumn<O>("outcome");
    QTest::addColumn<QString>("address");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<QString>("advice");    // a part the advice must hold
    QTest::addColumn<QString>("notAdvice"); // a part it must not

    QTest::addRow("connected") << O::Connected << QStringLiteral("10.0.1.12") << Outcome::Passed
                               << QStringLiteral("connected to 10.0.1.12") << QString() << QStringLiteral("VPN");
    QTest::addRow("refused") << O::Refused << QStringLiteral("10.0.1.12") << Outcome::Failed
                             << QStringLiteral("connection refused") << QStringLiteral("9094 TLS")
                             << QStringLiteral("VPN");
    QTest::addRow("refused on loopback: a tunnel not running?")
        << O::Refused << QStringLiteral("127.0.0.1") << Outcome::Failed << QStringLiteral("connection refused")
        << QStringLiteral("tunnel") << QStringLiteral("VPN");
    QTest::addRow("private address times out: the VPN")
        << O::TimedOut << QStringLiteral("10.0.1.12") << Outcome::Failed << QStringLiteral("no answer from 10.0.1.12")
        << QStringLiteral("private address inside a VPC: are you on the VPN?") << QString();
    QTest::addRow("public address times out: a firewall")
        << O::TimedOut << QStringLiteral("52.7.1.2") << Outcome::Failed << QStringLiteral("no answer")
        << QStringLiteral("security group") << QStringLiteral("VPN");
    QTest::addRow("no route to a private address")
        << O::Unreachable << QStringLiteral("172.31.5.9") << Outcome::Failed << QStringLiteral("no route")
        << QStringLiteral("are you on the VPN?") << QString();
    QTest::addRow("accepted and closed at once: a tunnel's far end")
        << O::ClosedAtOnce << QStringLiteral("127.0.0.1") << Outcome::Failed
        << QStringLiteral("accepted the connection and closed it at once") << QStringLiteral("SSH tunnel") << QString();
}

void TstDoctor::tcpVerdicts()
{
    QFETCH(doctor::TcpAttempt::Outcome, outcome);
    QFETCH(QString, address);
    QFETCH(Outcome, expected);
    QFETCH(QString, finding);
    QFETCH(QString, advice);
    QFETCH(QString, notAdvice);
    doctor::TcpAttempt attempt;
    attempt.target = {QStringLiteral("b-1.x"), 9094};
    attempt.address = QHostAddress(address);
    attempt.outcome = outcome;
    attempt.timeoutMs = 5000;
    const DoctorStep step = doctor::judgeTcp(attempt);
    QCOMPARE(step.kind, Kind::Tcp);
    QCOMPARE(step.subject, QStringLiteral("b-1.x:9094"));
    QCOMPARE(step.outcome, expected);
    QVERIFY2(step.finding.contains(finding), qPrintable(step.finding));
    QVERIFY2(step.advice.contains(advice), qPrintable(step.advice));
    if (!notAdvice.isEmpty())
        QVERIFY2(!step.advice.contains(notAdvice), qPrintable(step.advice));
    QCOMPARE(step.advice.isEmpty(), expected == Outcome::Passed);
}

void TstDoctor::tlsVerdicts_data()
{
    QTest::addColumn<doctor::TlsHandshake>("handshake");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<QString>("advice");

    const QSslCertificate leaf = testBrokerCertificate();
    doctor::TlsHandshake base;
    base.target = {QStringLiteral("localhost"), 9094};
    base.timeoutMs = 5000;

    doctor::TlsHandshake h = base;
    h.timedOut = true;
    QTest::addRow("no answer to the greeting")
        << h << Outcome::Failed << QStringLiteral("did not speak TLS") << QStringLiteral("security.protocol=PLAINTEXT");
    h = base;
    h.closedByServer = true;
    h.target.port = 9092;
    QTest::addRow("closed at the greeting, on MSK's plaintext port")
        << h << Outcome::Failed << QStringLiteral("did not speak TLS") << QStringLiteral("TLS listener is 9094");
    h = base;
    h.failure = QStringLiteral("error:0A00010B:SSL routines::wrong version number");
    QTest::addRow("answered with something else")
        << h << Outcome::Failed << QStringLiteral("did not speak TLS") << QStringLiteral("plaintext listener");
    h = base;
    h.receivedTls = true;
    h.failure = QStringLiteral("error:0A00045C:SSL routines::tlsv13 alert certificate required");
    QTest::addRow("client certificate required") << h << Outcome::Failed << QStringLiteral("refused the handshake")
                                                 << QStringLiteral("ssl.certificate.location");

    doctor::TlsHandshake done = base;
    done.completed = true;
    done.receivedTls = true;
    done.protocol = QStringLiteral("TLS 1.3");
    done.chain = {leaf};
    QTest::addRow("trusted, names match")
        << done << Outcome::Passed << QStringLiteral("TLS 1.3, certificate for localhost issued by Peakwatch Test CA")
        << QString();
    h = done;
    h.errors = {QSslError(QSslError::UnableToGetLocalIssuerCertificate, leaf)};
    QTest::addRow("unknown CA, no bundle given")
        << h << Outcome::Failed << QStringLiteral("issued by Peakwatch Test CA")
        << QStringLiteral("-X ssl.ca.location=/path/to/ca.pem");
    h.caLocation = QStringLiteral("/etc/peakwatch/wrong.pem");
    QTest::addRow("unknown CA, a bundle given")
        << h << Outcome::Failed << QStringLiteral("Peakwatch Test CA")
        << QStringLiteral("ssl.ca.location (/etc/peakwatch/wrong.pem) does not hold");
    h = done;
    h.target.host = QStringLiteral("127.0.0.1");
    h.errors = {QSslError(QSslError::HostNameMismatch, leaf)};
    QTest::addRow("host name mismatch: connected by address")
        << h << Outcome::Failed << QStringLiteral("127.0.0.1:9094") << QStringLiteral("Connecting by IP address");
    h.verifyHostName = false;
    QTest::addRow("host name mismatch, check turned off")
        << h << Outcome::Passed << QStringLiteral("TLS 1.3") << QString();
    h = done;
    h.errors = {QSslError(QSslError::CertificateExpired, leaf)};
    QTest::addRow("expired: the clock?") << h << Outcome::Failed << QStringLiteral("expired")
                                         << QStringLiteral("date and time");
    h.verifyCertificate = false;
    QTest::addRow("verification turned off")
        << h << Outcome::Passed << QStringLiteral("certificate verification is off") << QString();
}

void TstDoctor::tlsVerdicts()
{
    QFETCH(doctor::TlsHandshake, handshake);
    QFETCH(Outcome, expected);
    QFETCH(QString, finding);
    QFETCH(QString, advice);
    const DoctorStep step = doctor::judgeTls(handshake);
    QCOMPARE(step.kind, Kind::Tls);
    QCOMPARE(step.outcome, expected);
    QVERIFY2(step.finding.contains(finding) || step.subject.contains(finding), qPrintable(step.finding));
    QVERIFY2(step.advice.contains(advice), qPrintable(step.advice));
    QCOMPARE(step.advice.isEmpty(), expected == Outcome::Passed);
}

void TstDoctor::metadataVerdicts_data()
{
    using E = doctor::MetadataRequest::ClientError;
    QTest::addColumn<doctor::MetadataRequest>("request");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<QString>("advice");

    doctor::MetadataRequest ok;
    ok.ok = true;
    ok.brokers = {{1, {QStringLiteral("b-1.x"), 9096}}, {2, {QStringLiteral("b-2.x"), 9096}}};
    ok.topics = {QStringLiteral("products"), QStringLiteral("alerts")};
    QTest::addRow("brokers and topics listed")
        << ok << Outcome::Passed << QStringLiteral("2 brokers, 2 topics (alerts, products)") << QString();
    doctor::MetadataRequest r = ok;
    r.topic = QStringLiteral("Products");
    r.topicPartitions = {{QStringLiteral("Products"), 0}};
    QTest::addRow("the topic asked about is missing")
        << r << Outcome::Failed << QStringLiteral("topic Products does not exist") << QStringLiteral("case-sensitive");
    r.topic = QStringLiteral("products,levels,orders");
    r.topicPartitions = {{QStringLiteral("products"), 2}, {QStringLiteral("levels"), 0}, {QStringLiteral("orders"), 0}};
    QTest::addRow("two of three topics asked about are missing")
        << r << Outcome::Failed << QStringLiteral("topic products has 2 partitions; topics levels, orders do not exist")
        << QStringLiteral("case-sensitive");
    r.topicPartitions = {{QStringLiteral("products"), 2}, {QStringLiteral("levels"), 1}, {QStringLiteral("orders"), 3}};
    QTest::addRow("three topics asked about")
        << r << Outcome::Passed
        << QStringLiteral("; topic products has 2 partitions; topic levels has 1 partition; topic orders has 3 "
                          "partitions")
        << QString();

    doctor::MetadataRequest failed;
    failed.securityProtocol = QStringLiteral("SASL_SSL");
    failed.saslMechanism = QStringLiteral("SCRAM-SHA-512");
    failed.error = RD_KAFKA_RESP_ERR__TRANSPORT;
    failed.errorText = QStringLiteral("Local: Broker transport failure");
    failed.timeoutMs = 10000;
    r = failed;
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__AUTHENTICATION, QStringLiteral("_AUTHENTICATION"),
                        QStringLiteral("sasl_ssl://b-1.x:9096/bootstrap: SASL authentication error: Authentication "
                                       "failed during authentication due to invalid credentials with SASL mechanism "
                                       "SCRAM-SHA-512")}};
    QTest::addRow("SCRAM credentials refused")
        << r << Outcome::Failed << QStringLiteral("authentication failed (SCRAM-SHA-512)")
        << QStringLiteral("AmazonMSK_");
    r = failed;
    r.saslMechanism = QStringLiteral("SCRAM-SHA-256");
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__AUTHENTICATION, QStringLiteral("_AUTHENTICATION"),
                        QStringLiteral("SASL SCRAM-SHA-256 mechanism handshake failed: Broker: Unsupported SASL "
                                       "mechanism: broker's supported mechanisms: AWS_MSK_IAM,SCRAM-SHA-512")}};
    QTest::addRow("mechanism not enabled")
        << r << Outcome::Failed << QStringLiteral("do not accept SASL mechanism SCRAM-SHA-256")
        << QStringLiteral("sasl.mechanism");
    r = failed;
    r.saslMechanism = QStringLiteral("OAUTHBEARER");
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__AUTHENTICATION, QStringLiteral("_AUTHENTICATION"),
                        QStringLiteral("SASL authentication error: [e0f9] Access denied")}};
    QTest::addRow("IAM token refused") << r << Outcome::Failed << QStringLiteral("Access denied")
                                       << QStringLiteral("kafka-cluster:Connect");
    r = failed;
    r.saslMechanism = QStringLiteral("OAUTHBEARER");
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__AUTHENTICATION, QStringLiteral("_AUTHENTICATION"),
                        QStringLiteral("Failed to acquire SASL OAUTHBEARER token: MSK IAM: no AWS credentials found")}};
    QTest::addRow("IAM token cannot be made") << r << Outcome::Failed << QStringLiteral("cannot make the MSK IAM token")
                                              << QStringLiteral("aws sts get-caller-identity");
    r = ok;
    r.iamToken = QStringLiteral("token for AKIAEXAMPLE (environment) valid until 05:15:00 UTC");
    QTest::addRow("signed in with IAM") << r << Outcome::Passed
                                        << QStringLiteral("signed in with an IAM token for AKIAEXAMPLE") << QString();
    r = failed;
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__SSL, QStringLiteral("_SSL"),
                        QStringLiteral("ssl://b-1.x:9094/bootstrap: SSL handshake failed: error:0A000086:SSL "
                                       "routines::certificate verify failed")}};
    QTest::addRow("TLS failed in the client")
        << r << Outcome::Failed << QStringLiteral("TLS failed") << QStringLiteral("ssl.ca.location");
    r = failed;
    r.securityProtocol = QStringLiteral("PLAINTEXT");
    r.clientErrors = {E{RD_KAFKA_RESP_ERR__TRANSPORT, QStringLiteral("_TRANSPORT"),
                        QStringLiteral("b-1.x:9094/bootstrap: Disconnected (after 3ms in state APIVERSION_QUERY)")}};
    QTest::addRow("plaintext client on a TLS port")
        << r << Outcome::Failed << QStringLiteral("closed the connection at the first request")
        << QStringLiteral("plaintext client");
    r = failed;
    r.error = RD_KAFKA_RESP_ERR__TIMED_OUT;
    QTest::addRow("metadata timed out, no error seen")
        << r << Outcome::Failed << QStringLiteral("no metadata within 10 s")
        << QStringLiteral("security.protocol (SASL_SSL)");
    r = failed;
    r.configError = QStringLiteral("No provider for SASL mechanism GSSAPI");
    QTest::addRow("configuration refused")
        << r << Outcome::Failed << QStringLiteral("refused the configuration") << QStringLiteral("Fix the property");
}

void TstDoctor::metadataVerdicts()
{
    QFETCH(doctor::MetadataRequest, request);
    QFETCH(Outcome, expected);
    QFETCH(QString, finding);
    QFETCH(QString, advice);
    const DoctorStep step = doctor::judgeMetadata(request);
    QCOMPARE(step.kind, Kind::Kafka);
    QCOMPARE(step.outcome, expected);
    QVERIFY2(step.finding.contains(finding), qPrintable(step.finding));
    QVERIFY2(step.advice.contains(advice), qPrintable(step.advice));
    QCOMPARE(step.advice.isEmpty(), expected == Outcome::Passed);
}

// The advertised brokers' step decides on its own facts. The embedded cluster cannot advertise an address other than
// its own loopback ports (librdkafka 2.0's rdkafka_mock.h has no call to set a broker's advertised host), so the
// whole-run test below takes a broker down instead; these rows cover names that do not resolve and addresses that
// time out, behind a tunnel and not.
void TstDoctor::brokerVerdicts_data()
{
    using O = doctor::TcpAttempt::Outcome;
    QTest::addColumn<doctor::BrokerReach>("reach");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<QString>("advice");

    doctor::BrokerReach base;
    base.broker = {2, {QStringLiteral("b-2.shop.abc123.c2.kafka.us-east-1.amazonaws.com"), 9094}};
    base.lookup.target = base.broker.address;
    base.bootstrapServers = QStringLiteral("localhost:9094");

    doctor::BrokerReach r = base;
    r.bootstrapAdvertised = false;
    r.lookup.notFound = true;
    QTest::addRow("tunnel: the advertised name does not resolve here")
        << r << Outcome::Failed << QStringLiteral("does not resolve")
        << QStringLiteral("Bootstrap worked through localhost:9094, which is not an address any broker advertises");

    r = base;
    r.bootstrapAdvertised = false;
    r.lookup.addresses = {QHostAddress(QStringLiteral("10.0.2.7"))};
    r.tcp = doctor::TcpAttempt{r.broker.address, QHostAddress(QStringLiteral("10.0.2.7")), O::TimedOut, {}, 5000, 5000};
    QTest::addRow("tunnel: the advertised address times out")
        << r << Outcome::Failed << QStringLiteral("no answer from 10.0.2.7") << QStringLiteral("SSH tunnel");

    r.bootstrapAdvertised = true;
    r.bootstrapServers = QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9094");
    QTest::addRow("no tunnel: one broker out of reach")
        << r << Outcome::Failed << QStringLiteral("advertised, but no answer")
        << QStringLiteral("private address inside a VPC: are you on the VPN?");

    r.tcp->outcome = O::Connected;
    r.tcp->elapsedMs = 3;
    QTest::addRow("reachable") << r << Outcome::Passed << QStringLiteral("10.0.2.7 (private), connected to 10.0.2.7")
                               << QString();
}

void TstDoctor::connectionFailureNamesBrokerAndCause_data()
{
    QTest::addColumn<QString>("reason"); // librdkafka's FAIL log line
    QTest::addColumn<QString>("text");
    QTest::addRow("refused")
        << QStringLiteral("[thrd:127.0.0.1:9/bootstrap]: 127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: "
                          "Connection refused (after 0ms in state CONNECT)")
        << QStringLiteral("broker 127.0.0.1:9: connection refused (nothing listens on that port)");
    QTest::addRow("not resolved")
        << QStringLiteral("[thrd:nosuch.invalid:9092/bootstrap]: nosuch.invalid:9092/bootstrap: Failed to resolve "
                          "'nosuch.invalid:9092': Name or service not known (after 3ms in state CONNECT)")
        << QStringLiteral("broker nosuch.invalid:9092: host name not resolved");
    QTest::addRow("timed out")
        << QStringLiteral("10.0.0.1:9092/bootstrap: Connection setup timed out in state CONNECT (after 30029ms in "
                          "state CONNECT)")
        << QStringLiteral("broker 10.0.0.1:9092: timed out");
    QTest::addRow("TLS") << QStringLiteral("b-1:9094/bootstrap: SSL handshake failed: certificate verify failed")
                         << QStringLiteral("broker b-1:9094: TLS handshake failed");
    QTest::addRow("no broker named") << QStringLiteral("Local: Broker transport failure")
                                     << QStringLiteral("Broker transport failure");
}

void TstDoctor::connectionFailureNamesBrokerAndCause()
{
    QFETCH(QString, reason);
    QFETCH(QString, text);
    QCOMPARE(classifyConnectionFailure(reason).text(), text);
    const QString message = connectionFailureMessage(QStringLiteral("a:1,b:2"), reason, QStringLiteral("unused"));
    QVERIFY2(message.startsWith(QStringLiteral("cannot reach the Kafka cluster at a:1,b:2: ") + text),
             qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral("; run peakwatch-cli doctor -b a:1,b:2 to find out why")),
             qPrintable(message));
    QVERIFY(!message.contains(u'\n'));
}

void TstDoctor::brokerVerdicts()
{
    QFETCH(doctor::BrokerReach, reach);
    QFETCH(Outcome, expected);
    QFETCH(QString, finding);
    QFETCH(QString, advice);
    const DoctorStep step = doctor::judgeBroker(reach);
    QCOMPARE(step.kind, Kind::Broker);
    QVERIFY2(step.subject.startsWith(QLatin1String("broker 2 at b-2.shop")), qPrintable(step.subject));
    QCOMPARE(step.outcome, expected);
    QVERIFY2(step.finding.contains(finding), qPrintable(step.finding));
    QVERIFY2(step.advice.contains(advice), qPrintable(step.advice));
}

void TstDoctor::embeddedClusterPassesEveryStep()
{
    const QString bootstrap = m_cluster->bootstrapServers();
    DoctorOptions options = quick(bootstrap);
    options.topic = QStringLiteral("products");
    QList<DoctorStep> reported;
    ConnectionDoctor doctor(options);
    const QList<DoctorStep> steps = doctor.run([&reported](const DoctorStep &s) { reported << s; });
    QVERIFY2(ConnectionDoctor::passed(steps), describe(steps).constData());
    QCOMPARE(describe(reported), describe(steps)); // each step reported as it finished, in order

    QCOMPARE(stepsOf(steps, Kind::Dns).size(), 1); // the three brokers share one host: looked up once
    QCOMPARE(stepsOf(steps, Kind::Tcp).size(), 3);
    QCOMPARE(stepsOf(steps, Kind::Tls).size(), 1);
    QCOMPARE(stepsOf(steps, Kind::Tls).first().outcome, Outcome::Skipped); // PLAINTEXT: nothing to check
    const auto kafka = stepsOf(steps, Kind::Kafka);
    QCOMPARE(kafka.size(), 1);
    QVERIFY2(kafka.first().finding.contains(QLatin1String("3 brokers, 1 topic (products)")),
             qPrintable(kafka.first().finding));
    QVERIFY2(kafka.first().finding.contains(QLatin1String("topic products has 2 partitions")),
             qPrintable(kafka.first().finding));
    const auto brokers = stepsOf(steps, Kind::Broker);
    QCOMPARE(brokers.size(), 3);
    for (const DoctorStep &s : brokers)
        QCOMPARE(s.outcome, Outcome::Passed);

    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), bootstrap});
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    QVERIFY2(r.out.contains("\u2713 Kafka  cluster: 3 brokers"), r.out.constData());
    QVERIFY2(!r.out.contains("\u2717"), r.out.constData());

    // A connection of several topics (Shopify's on topics of their own): each is looked for.
    options.topic = QStringLiteral("products, shop-orders");
    const QList<DoctorStep> several = ConnectionDoctor(options).run();
    QVERIFY(!ConnectionDoctor::passed(several));
    const DoctorStep cluster = stepsOf(several, Kind::Kafka).value(0);
    QCOMPARE(cluster.outcome, Outcome::Failed);
    QVERIFY2(
        cluster.finding.contains(QLatin1String("topic products has 2 partitions; topic shop-orders does not exist")),
        qPrintable(cluster.finding));
}

void TstDoctor::closedPortFailsAtTcp()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(port);
    ConnectionDoctor doctor(quick(bootstrap));
    const QList<DoctorStep> steps = doctor.run();
    QVERIFY(!ConnectionDoctor::passed(steps));
    const auto tcp = stepsOf(steps, Kind::Tcp);
    QCOMPARE(tcp.size(), 1);
    QCOMPARE(tcp.first().outcome, Outcome::Failed);
    QVERIFY2(tcp.first().finding.contains(QLatin1String("connection refused")), qPrintable(tcp.first().finding));
    QVERIFY2(tcp.first().advice.contains(QLatin1String("Nothing listens on 127.0.0.1 port")),
             qPrintable(tcp.first().advice));
    QCOMPARE(stepsOf(steps, Kind::Kafka).first().outcome, Outcome::Skipped);

    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), bootstrap});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QStringLiteral("\u2717 TCP    %1: connection refused by 127.0.0.1 \u2014 Nothing listens")
                                .arg(bootstrap)
                                .toUtf8()),
             r.out.constData());
}

void TstDoctor::unresolvableNameFailsAtDns()
{
    const CliResult r =
        runCli({QStringLiteral("doctor"), QStringLiteral("-b"), QStringLiteral("no-such-broker.invalid:9092")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith("\u2717 DNS    no-such-broker.invalid: no-such-broker.invalid does not resolve \u2014 "
                              "Check the name; MSK's broker names look like b-1.cluster.xxxx.c2.kafka.us-east-1."
                              "amazonaws.com"),
             r.out.constData());
    QVERIFY2(r.out.contains("- TCP    no-such-broker.invalid:9092: not tried"), r.out.constData());
}

void TstDoctor::tlsAgainstPlaintextListenerSaysNoTls()
{
    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), m_cluster->bootstrapServers(),
                                QStringLiteral("-X"), QStringLiteral("security.protocol=SSL")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("\u2717 TLS"), r.out.constData());
    QVERIFY2(r.out.contains("the server did not speak TLS"), r.out.constData());
    QVERIFY2(r.out.contains("- Kafka  cluster: not tried: no TLS handshake succeeded"), r.out.constData());
}

void TstDoctor::tlsHandshakeWithTestCa_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("withCa");
    QTest::addColumn<Outcome>("expected");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<QString>("advice");
    QTest::addRow("broker's name, its CA given")
        << QStringLiteral("localhost") << true << Outcome::Passed
        << QStringLiteral("certificate for localhost issued by Peakwatch Test CA, valid until 2126") << QString();
    QTest::addRow("CA not given: unknown to this machine")
        << QStringLiteral("localhost") << false << Outcome::Failed << QStringLiteral("Peakwatch Test CA")
        << QStringLiteral("This machine does not trust Peakwatch Test CA");
    QTest::addRow("connected by IP address: host name mismatch")
        << QStringLiteral("127.0.0.1") << true << Outcome::Failed << QStringLiteral("localhost")
        << QStringLiteral("Connecting by IP address");
}

void TstDoctor::tlsHandshakeWithTestCa()
{
    QFETCH(QString, host);
    QFETCH(bool, withCa);
    QFETCH(Outcome, expected);
    QFETCH(QString, finding);
    QFETCH(QString, advice);
    ServerThread server(makeTlsServer);
    KafkaProperties properties{{"security.protocol", "SSL"}};
    if (withCa)
        properties.append({"ssl.ca.location", (kTlsDir + QStringLiteral("ca.pem")).toUtf8()});
    DoctorOptions options = quick(QStringLiteral("%1:%2").arg(host).arg(server.port()), properties);
    options.metadataTimeoutMs = 1000; // the server speaks no Kafka: only the TLS step is of interest
    ConnectionDoctor doctor(options);
    const QList<DoctorStep> steps = doctor.run();
    const auto tls = stepsOf(steps, Kind::Tls);
    QCOMPARE(tls.size(), 1);
    QVERIFY2(tls.first().outcome == expected, describe(steps).constData());
    QVERIFY2(tls.first().finding.contains(finding), qPrintable(tls.first().finding));
    QVERIFY2(tls.first().advice.contains(advice), qPrintable(tls.first().advice));
}

void TstDoctor::plaintextClientOnTlsPortIsCutOff()
{
    ServerThread server(makeTlsServer);
    ConnectionDoctor doctor(quick(QStringLiteral("localhost:%1").arg(server.port())));
    const QList<DoctorStep> steps = doctor.run();
    const auto kafka = stepsOf(steps, Kind::Kafka);
    QCOMPARE(kafka.size(), 1);
    QVERIFY2(kafka.first().outcome == Outcome::Failed, describe(steps).constData());
    QVERIFY2(kafka.first().finding.contains(QLatin1String("closed the connection at the first request")),
             qPrintable(kafka.first().finding));
    QVERIFY2(kafka.first().advice.contains(QLatin1String("A plaintext client (security.protocol=PLAINTEXT) on a TLS "
                                                         "port")),
             qPrintable(kafka.first().advice));
}

// Bootstrap through a port-forwarder works; one of the brokers the cluster then advertises is down. The doctor says
// bootstrap went through something that is not a broker, and that a broker clients connect to next is out of reach.
// (The embedded cluster advertises its own loopback ports, which this machine can reach: a broker taken down stands
// in for an advertised address that cannot be reached. brokerVerdicts covers names that do not resolve.)
void TstDoctor::tunnelToBrokersThatCannotBeReached()
{
    auto cluster = EmbeddedCluster::start(2, {{QStringLiteral("products"), 2}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    const QStringList brokers = (*cluster)->bootstrapServers().split(u',');
    QCOMPARE(brokers.size(), 2);
    const quint16 first = quint16(brokers[0].section(u':', 1).toUInt());
    QVERIFY((*cluster)->setBrokerUp(2, false));
    ServerThread forwarder([first] { return makeForwarder(first); });
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(forwarder.port());

    ConnectionDoctor doctor(quick(bootstrap));
    const QList<DoctorStep> steps = doctor.run();
    QVERIFY(!ConnectionDoctor::passed(steps));
    QCOMPARE(stepsOf(steps, Kind::Tcp).first().outcome, Outcome::Passed);
    QVERIFY2(stepsOf(steps, Kind::Kafka).first().outcome == Outcome::Passed, describe(steps).constData());
    const auto advertised = stepsOf(steps, Kind::Broker);
    QCOMPARE(advertised.size(), 2);
    QCOMPARE(advertised[0].subject, QStringLiteral("broker 1 at ") + brokers[0]);
    QCOMPARE(advertised[0].outcome, Outcome::Passed);
    QCOMPARE(advertised[1].subject, QStringLiteral("broker 2 at ") + brokers[1]);
    QCOMPARE(advertised[1].outcome, Outcome::Failed);
    QVERIFY2(advertised[1].finding.contains(QLatin1String("advertised, but connection refused by 127.0.0.1")),
             qPrintable(advertised[1].finding));
    QVERIFY2(advertised[1].advice.contains(QStringLiteral("Bootstrap worked through ") % bootstrap %
                                           QStringLiteral(", which is not an address any broker advertises")),
             qPrintable(advertised[1].advice));
    QVERIFY2(advertised[1].advice.contains(brokers[1]), qPrintable(advertised[1].advice));

    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), bootstrap});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QString(QStringLiteral("\u2717 Broker broker 2 at ") + brokers[1]).toUtf8()),
             r.out.constData());
}

// An SSH tunnel whose far end cannot connect takes the connection and hangs up at once: not a broker.
void TstDoctor::tunnelWhoseFarEndIsDownClosesAtOnce()
{
    const quint16 nowhere = closedPort();
    QVERIFY(nowhere != 0);
    ServerThread forwarder([nowhere] { return makeForwarder(nowhere); });
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(forwarder.port());
    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), bootstrap});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QString(QStringLiteral("\u2717 TCP    ") % bootstrap %
                                    QStringLiteral(": 127.0.0.1 accepted the connection and closed it at once \u2014 "
                                                   "Something listens on the port but hangs up straight away: "
                                                   "typically an SSH tunnel"))
                                .toUtf8()),
             r.out.constData());
    QVERIFY2(r.out.contains("- Kafka  cluster: not tried"), r.out.constData());
}

void TstDoctor::saslAgainstBrokerWithoutSaslHidesThePassword()
{
    const QByteArray password = "Peak-season-2026!";
    const CliResult r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), m_cluster->bootstrapServers(),
                                QStringLiteral("-X"), QStringLiteral("security.protocol=SASL_PLAINTEXT"),
                                QStringLiteral("-X"), QStringLiteral("sasl.mechanism=SCRAM-SHA-512"),
                                QStringLiteral("-X"), QStringLiteral("sasl.username=doctor"), QStringLiteral("-X"),
                                QStringLiteral("sasl.password=") + QString::fromUtf8(password)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("\u2717 Kafka  cluster: the brokers do not do SASL on this port"), r.out.constData());
    QVERIFY2(r.out.contains("9096 is SASL/SCRAM"), r.out.constData());
    QVERIFY(!r.out.contains(password));
    QVERIFY(!r.err.contains(password));
}

// A server that takes connections and never answers: the Kafka step would wait for its whole timeout.
void TstDoctor::stopEndsARunPromptly()
{
    QTcpServer silent; // the system accepts for it; nothing reads
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    DoctorOptions options = quick(QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()));
    options.metadataTimeoutMs = 60000;
    std::promise<QList<DoctorStep>> result;
    std::atomic<bool> askingForMetadata{false};
    std::jthread worker([&](std::stop_token stop) {
        ConnectionDoctor doctor(options);
        result.set_value(doctor.run(
            [&](const DoctorStep &s) { askingForMetadata = askingForMetadata || s.kind == Kind::Tls; }, stop));
    });
    QTRY_VERIFY_WITH_TIMEOUT(askingForMetadata.load(), 10000);
    QTest::qWait(300);
    QElapsedTimer clock;
    clock.start();
    worker.request_stop();
    auto future = result.get_future();
    QVERIFY(future.wait_for(std::chrono::seconds(3)) == std::future_status::ready);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    const QList<DoctorStep> steps = future.get();
    QVERIFY2(stepsOf(steps, Kind::Kafka).isEmpty(), describe(steps).constData()); // ended during it: not reported
    QCOMPARE(stepsOf(steps, Kind::Tcp).first().outcome, Outcome::Passed);
}

void TstDoctor::cliUsageErrors()
{
    CliResult r = runCli({QStringLiteral("doctor")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("doctor needs --bootstrap"), r.err.constData());
    r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), QStringLiteral("b-1.x:tls")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the port must be a number"), r.err.constData());
    r = runCli({QStringLiteral("doctor"), QStringLiteral("-b"), QStringLiteral("b-1.x:9092"), QStringLiteral("-X"),
                QStringLiteral("nonsense")});
    QCOMPARE(r.exitCode, 2);
    r = runCli({QStringLiteral("doctor"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--timeout"));
}

QTEST_GUILESS_MAIN(TstDoctor)
#include "tst_doctor.moc"
