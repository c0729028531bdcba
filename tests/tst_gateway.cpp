// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The webhook gateway: Shopify signatures, the round trip to Kafka, idempotency on the webhook id,
// answers when Kafka is not accepting, health and metrics. Against an in-process WebhookGateway on an
// embedded cluster, over loopback with QNetworkAccessManager, and against `peakwatch-cli gateway`.
// Its HTTP server under attack: the request-head parser and the chunked decoder (values in, values
// out), then raw sockets: bodies over the limit (declared or chunked, with the gateway's resident memory
// read from /proc), idle, half-sent and slow connections, the connection cap, unknown methods, oversized
// heads, Content-Length with chunked, half-closed clients, pipelining.
#include "cli_runner.h"

#include "chunked_body_decoder.h"
#include "embedded_cluster.h"
#include "http_request_head.h"
#include "shopify_hmac.h"
#include "webhook_gateway.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace peakwatch;
using namespace std::chrono_literals;

namespace {

const QByteArray kSecret = QByteArrayLiteral("shpss_peakwatch-test-secret");
const QByteArray kShop = QByteArrayLiteral("northwind-apparel.myshopify.com");
const QString kTopic = QStringLiteral("webhooks");
constexpr qint64 kTestBodyLimit = 64 * 1024;

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray sampleBody()
{
    QFile file(QStringLiteral(PEAKWATCH_SAMPLES_DIR "/products-update.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the sample: %s", qPrintable(file.errorString()));
    return file.readAll();
}

// The headers Shopify sends with a products/update webhook, signed with `secret`.
Headers shopifyHeaders(const QByteArray &body, const QByteArray &webhookId, const QByteArray &secret = kSecret)
{
    return {{"Content-Type", "application/json"},
            {"X-Shopify-Topic", "products/update"},
            {"X-Shopify-Hmac-Sha256", shopifyHmac(secret, body)},
            {"X-Shopify-Shop-Domain", kShop},
            {"X-Shopify-API-Version", "2026-10"},
            {"X-Shopify-Webhook-Id", webhookId},
            {"X-Shopify-Triggered-At", "2026-11-27T05:03:12.123456789Z"},
            {"X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"}};
}

Headers without(Headers headers, const QByteArray &name)
{
    headers.removeIf([&name](const auto &h) { return h.first == name; });
    return headers;
}

Headers with(Headers headers, const QByteArray &name, const QByteArray &value)
{
    headers = without(headers, name);
    headers.append({name, value});
    return headers;
}

// A JSON object of exactly `size` bytes.
QByteArray jsonObjectOfSize(qint64 size)
{
    const QByteArray open = "{\"pad\":\"";
    const QByteArray close = "\"}";
    return open + QByteArray(size - open.size() - close.size(), 'x') + close;
}

// A loopback port with nothing listening on it.
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        qFatal("cannot find a free port");
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

struct Answer {
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray allow;
    QByteArray contentType;
    bool finished = false;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString jsonStatus() const { return json().value(QStringLiteral("status")).toString(); }
};

struct KafkaMessage {
    QByteArray key;
    QByteArray value;
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
};

// What a raw client saw: everything the server sent, and whether it closed the connection.
struct RawExchange {
    QByteArray received;
    bool closed = false;
    qint64 closedAfterMs = -1;

    int status() const { return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0; }
    // The statuses of every answer, in order.
    QList<int> statuses() const
    {
        QList<int> out;
        for (qsizetype at = received.indexOf("HTTP/1.1 "); at >= 0; at = received.indexOf("HTTP/1.1 ", at + 1))
            out.append(received.mid(at + 9, 3).toInt());
        return out;
    }
};

// Writes `request` on a fresh loopback connection (optionally shutting down the sending side after it,
// as `nc -N` does), then reads until the server closes or `timeoutMs` pass.
RawExchange exchange(quint16 port, const QByteArray &request, int timeoutMs = 10000, bool halfClose = false)
{
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, port);
    RawExchange out;
    if (!socket.waitForConnected(5000))
        return out;
    QElapsedTimer clock;
    clock.start();
    socket.write(request);
    if (halfClose) {
        (void)QTest::qWaitFor([&socket] { return socket.bytesToWrite() == 0; }, 5000);
        ::shutdown(int(socket.socketDescriptor()), SHUT_WR);
    }
    (void)QTest::qWaitFor(
        [&] {
            out.received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    out.received += socket.readAll();
    out.closed = socket.state() == QAbstractSocket::UnconnectedState;
    if (out.closed)
        out.closedAfterMs = clock.elapsed();
    return out;
}

// A blocking client for the child-process gateway: sends the head, then body bytes in 1 MiB pieces
// until `bodyBytes` are sent, the server answers (plus `afterAnswer` bytes more), or sending fails.
struct FloodResult {
    QByteArray answer;
    qint64 sent = 0;
};
FloodResult flood(quint16 port, const QByteArray &head, qint64 bodyBytes, const QByteArray &piece,
                  qint64 afterAnswer = 32 << 20)
{
    FloodResult out;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return out;
    }
    ::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL);
    qint64 answeredAt = -1;
    char buffer[4096];
    while (out.sent < bodyBytes && (answeredAt < 0 || out.sent < answeredAt + afterAnswer)) {
        const ssize_t n = ::send(fd, piece.constData(), size_t(piece.size()), MSG_NOSIGNAL);
        if (n <= 0)
            break;
        out.sent += n;
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            out.answer.append(buffer, got);
            if (answeredAt < 0)
                answeredAt = out.sent;
        }
    }
    for (ssize_t got; (got = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
        out.answer.append(buffer, got);
    ::close(fd);
    return out;
}

// A field of /proc/PID/status in kB (VmRSS, VmHWM).
qint64 procStatusKb(qint64 pid, const QByteArray &field)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    return -1;
}

// Starts `peakwatch-cli gateway --embedded` on a free port, with the test's secret; its first line is its URL.
void startCliGateway(QProcess &gateway)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET"), QString::fromUtf8(kSecret));
    gateway.setProcessEnvironment(env);
    startInheritingNothing(gateway, QStringLiteral(PEAKWATCH_CLI),
                           {QStringLiteral("gateway"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--embedded"), QStringLiteral("--topic"), QStringLiteral("shopify-webhooks"),
                            QStringLiteral("--secret-env"), QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET")});
    QVERIFY(gateway.waitForStarted());
}

struct TestGateway {
    std::unique_ptr<WebhookGateway> gateway;
    QUrl url;

    QUrl at(const QString &path) const
    {
        QUrl u = url;
        u.setPath(path);
        return u;
    }
};

} // namespace

class TstGateway final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void shopifyHmacMatchesKnownAnswers_data();
    void shopifyHmacMatchesKnownAnswers();
    void verifyShopifyHmac_data();
    void verifyShopifyHmac();
    void webhookIdWindowRemembersForItsWindow();
    void webhookIdWindowForgetsTheOldestBeyondItsCapacity();
    void aListOfTopicsIsRefused();

    void signedWebhookIsProducedOnceWithKeyAndHeaders_data();
    void signedWebhookIsProducedOnceWithKeyAndHeaders();
    void rejectedWebhookIsNotProduced_data();
    void rejectedWebhookIsNotProduced();
    void bodySizeLimit_data();
    void bodySizeLimit();
    void redeliveryIsAnsweredWithoutProducingAgain();
    void redeliveryWhileInFlightIsProducedOnce();
    void redeliveryAfterTheWindowIsProducedAgain();
    void kafkaNotAcceptingIs503_data();
    void kafkaNotAcceptingIs503();
    void healthAndMetricsReportTheCounters();
    void otherMethodsAndPathsAre404Or405_data();
    void otherMethodsAndPathsAre404Or405();
    void shutdownAnswersWhatIsInFlightThenDrains();

    void requestHeadParsing_data();
    void requestHeadParsing();
    void headEndIsFoundOrRefused_data();
    void headEndIsFoundOrRefused();
    void chunkedBodyDecoding_data();
    void chunkedBodyDecoding();
    void declaredBodyOverTheLimitIsRefusedBeforeItIsRead();
    void malformedRequestsAreAnsweredAndClosed_data();
    void malformedRequestsAreAnsweredAndClosed();
    void chunkedWebhookIsAccepted();
    void idleAndSlowConnectionsAreClosed_data();
    void idleAndSlowConnectionsAreClosed();
    void connectionsAreCapped();
    void halfClosedClientIsAnswered();
    void expectContinueIsAnsweredBeforeTheBody();
    void pipelinedRequestsAreAnsweredInOrder();
    void clientResettingBeforeTheAnswerIsCounted();
    void cliGatewayMemoryStaysBoundedUnderLargeBodies();

    void cliGatewayProducesAndStopsCleanly();
    void cliUsageErrorsExitTwo_data();
    void cliUsageErrorsExitTwo();

private:
    TestGateway startGateway(const QString &bootstrap, const KafkaProperties &properties = {},
                             std::chrono::milliseconds dedupeWindow = 10min,
                             const std::function<void(WebhookGateway::Options &)> &adjust = {});
    QByteArray signedHead(const QByteArray &body, const QByteArray &webhookId, const QByteArray &framing) const;
    Answer wait(QNetworkReply *reply, int timeoutMs = 30000);
    QNetworkReply *send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                        const Headers &headers = {});
    Answer request(const QByteArray &method, const QUrl &url, const QByteArray &body = {}, const Headers &headers = {})
    {
        return wait(send(method, url, body, headers));
    }
    QList<KafkaMessage> readTopic(const QString &bootstrap, const QString &topic = kTopic);
    QList<KafkaMessage> messagesWithId(const QByteArray &webhookId, const QString &bootstrap = {});

    std::unique_ptr<EmbeddedCluster> m_cluster;
    QString m_bootstrap;
    QString m_kcat;
    QNetworkAccessManager m_nam;
    TestGateway m_main; // on m_cluster, default options but a 64 KiB body limit
    QByteArray m_sample;
    int m_nextId = 1;
    QByteArray nextWebhookId()
    {
        return "b54557e4-0000-4000-8000-" + QByteArray::number(m_nextId++).rightJustified(12, '0');
    }
};

void TstGateway::initTestCase()
{
    m_kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    QVERIFY2(!m_kcat.isEmpty(), "kcat is not installed (scripts/install-deps.sh installs it)");
    m_nam.setProxy(QNetworkProxy::NoProxy);
    m_sample = sampleBody();
    auto cluster = EmbeddedCluster::start(3, {{kTopic, 6}});
    if (!cluster)
        QFAIL(qPrintable(cluster.error()));
    m_cluster = std::move(*cluster);
    m_bootstrap = m_cluster->bootstrapServers();
    m_main = startGateway(m_bootstrap);
    QVERIFY(m_main.gateway);
    QTRY_VERIFY_WITH_TIMEOUT(m_main.gateway->kafkaReachable(), 15000);
}

void TstGateway::cleanupTestCase()
{
    m_main.gateway.reset();
    m_cluster.reset();
}

void TstGateway::aListOfTopicsIsRefused()
{
    // A connection may name Shopify's topics on Kafka topics of their own; the gateway writes to one, keyed by shop.
    WebhookGateway::Options options;
    options.bootstrapServers = QStringLiteral("127.0.0.1:9");
    options.topic = QStringLiteral("shop.products,shop.orders");
    options.secret = kSecret;
    auto created = WebhookGateway::create(std::move(options));
    QVERIFY(!created);
    QVERIFY2(created.error().contains(QLatin1String("\"shop.products,shop.orders\" names several: give it one")),
             qPrintable(created.error()));
}

TestGateway TstGateway::startGateway(const QString &bootstrap, const KafkaProperties &properties,
                                     std::chrono::milliseconds dedupeWindow,
                                     const std::function<void(WebhookGateway::Options &)> &adjust)
{
    WebhookGateway::Options options;
    options.bootstrapServers = bootstrap;
    options.topic = kTopic;
    options.secret = kSecret;
    options.properties = properties;
    options.maxBodyBytes = kTestBodyLimit;
    options.dedupeWindow = dedupeWindow;
    options.healthInterval = 200ms;
    if (adjust)
        adjust(options);
    auto created = WebhookGateway::create(std::move(options));
    if (!created) {
        qWarning("cannot create the gateway: %s", qPrintable(created.error()));
        return {};
    }
    auto port = (*created)->listen(QHostAddress::LocalHost, 0);
    if (!port) {
        qWarning("cannot listen: %s", qPrintable(port.error()));
        return {};
    }
    return {std::move(*created), QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(*port))};
}

// A signed webhook's head as Shopify sends it, with `framing` (Content-Length or Transfer-Encoding lines).
QByteArray TstGateway::signedHead(const QByteArray &body, const QByteArray &webhookId, const QByteArray &framing) const
{
    QByteArray head = "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto &[name, value] : shopifyHeaders(body, webhookId))
        head += name + ": " + value + "\r\n";
    return head + framing + "\r\n";
}

QNetworkReply *TstGateway::send(const QByteArray &method, const QUrl &url, const QByteArray &body,
                                const Headers &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_nam.sendCustomRequest(request, method, body);
}

Answer TstGateway::wait(QNetworkReply *reply, int timeoutMs)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(timeoutMs);
    }
    Answer answer;
    answer.finished = reply->isFinished();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->error();
    answer.allow = reply->rawHeader("Allow");
    answer.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    reply->deleteLater();
    return answer;
}

QList<KafkaMessage> TstGateway::readTopic(const QString &bootstrap, const QString &topic)
{
    const CliResult r = runProgram(m_kcat,
                                   {QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), topic,
                                    QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-J")},
                                   {}, 60000);
    if (r.exitCode != 0)
        qWarning("kcat failed: %s", r.err.constData());
    QList<KafkaMessage> messages;
    for (const QByteArray &line : r.outLines()) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        KafkaMessage m;
        m.key = o.value(QStringLiteral("key")).toString().toUtf8();
        m.value = o.value(QStringLiteral("payload")).toString().toUtf8();
        const QJsonArray headers = o.value(QStringLiteral("headers")).toArray();
        for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
            m.headers.append({headers[i].toString().toUtf8(), headers[i + 1].toString().toUtf8()});
        messages.append(m);
    }
    return messages;
}

QList<KafkaMessage> TstGateway::messagesWithId(const QByteArray &webhookId, const QString &bootstrap)
{
    QList<KafkaMessage> out;
    for (const KafkaMessage &m : readTopic(bootstrap.isEmpty() ? m_bootstrap : bootstrap))
        if (m.header("X-Shopify-Webhook-Id") == webhookId)
            out.append(m);
    return out;
}

// ---------------------------------------------------------------------------------------------------
// Signatures and the id window: values in, values out

void TstGateway::shopifyHmacMatchesKnownAnswers_data()
{
    // Computed independently: printf '%s' BODY | openssl dgst -sha256 -hmac KEY -binary | base64
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("signature");
    QTest::addRow("the products/update sample with the test secret")
        << kSecret << sampleBody() << QByteArrayLiteral("fMZYd9YjXExeQFtgc4+Ye+ZK0BNvCLprViRBW/51prk=");
    QTest::addRow("a sentence with a short key")
        << QByteArrayLiteral("key") << QByteArrayLiteral("The quick brown fox jumps over the lazy dog")
        << QByteArrayLiteral("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
    QTest::addRow("an empty body") << QByteArrayLiteral("key") << QByteArray()
                                   << QByteArrayLiteral("XV0TlWPJW1lnub2ajJsjOp3ttFByeUzSMtwbdIMmB9A=");
}

void TstGateway::shopifyHmacMatchesKnownAnswers()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, signature);
    QCOMPARE(shopifyHmac(secret, body), signature);
    QVERIFY(peakwatch::verifyShopifyHmac(secret, body, signature));
}

void TstGateway::verifyShopifyHmac_data()
{
    const QByteArray body = sampleBody();
    const QByteArray good = shopifyHmac(kSecret, body);
    QByteArray oneCharacterChanged = good;
    oneCharacterChanged[10] = oneCharacterChanged[10] == 'A' ? 'B' : 'A';

    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("valid");
    QTest::addRow("the body's own signature verifies") << kSecret << good << true;
    QTest::addRow("surrounding whitespace is tolerated") << kSecret << (" " + good + " ") << true;
    QTest::addRow("the signature of another body fails")
        << kSecret << shopifyHmac(kSecret, QByteArray(body + ' ')) << false;
    QTest::addRow("a signature made with another secret fails") << kSecret << shopifyHmac("other", body) << false;
    QTest::addRow("one character changed fails") << kSecret << oneCharacterChanged << false;
    QTest::addRow("a truncated signature fails") << kSecret << good.left(40) << false;
    QTest::addRow("the hex digest instead of base64 fails") << kSecret << QByteArray::fromBase64(good).toHex() << false;
    QTest::addRow("text that is not base64 fails") << kSecret << QByteArrayLiteral("not a signature!") << false;
    QTest::addRow("an empty header fails") << kSecret << QByteArray() << false;
    QTest::addRow("an empty secret verifies nothing") << QByteArray() << shopifyHmac(QByteArray(), body) << false;
}

void TstGateway::verifyShopifyHmac()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, header);
    QFETCH(bool, valid);
    QCOMPARE(peakwatch::verifyShopifyHmac(secret, sampleBody(), header), valid);
}

void TstGateway::webhookIdWindowRemembersForItsWindow()
{
    WebhookIdWindow window(1000, 100);
    window.insert("a", 5000);
    QVERIFY(window.contains("a", 5000));
    QVERIFY(window.contains("a", 5999));
    QVERIFY(!window.contains("b", 5999));
    QVERIFY(!window.contains("a", 6000)); // the window is counted from the acknowledgment
    QCOMPARE(window.size(), 0);

    // Acknowledged again (after expiring), it is remembered from the new time.
    window.insert("a", 7000);
    window.insert("b", 7500);
    QVERIFY(window.contains("a", 7999));
    QVERIFY(!window.contains("a", 8000));
    QVERIFY(window.contains("b", 8000));
    QCOMPARE(window.size(), 1);
}

void TstGateway::webhookIdWindowForgetsTheOldestBeyondItsCapacity()
{
    WebhookIdWindow window(60000, 3);
    for (int i = 0; i < 5; ++i)
        window.insert(QByteArray::number(i), 1000 + i);
    QCOMPARE(window.size(), 3);
    QVERIFY(!window.contains("0", 2000));
    QVERIFY(!window.contains("1", 2000));
    QVERIFY(window.contains("2", 2000));
    QVERIFY(window.contains("4", 2000));
}

// ---------------------------------------------------------------------------------------------------
// Over HTTP, to Kafka

void TstGateway::signedWebhookIsProducedOnceWithKeyAndHeaders_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("createdAt"); // the load simulator's stamp, if sent
    QTest::addRow("POST /webhooks") << QStringLiteral("/webhooks") << QByteArray();
    QTest::addRow("POST /") << QStringLiteral("/") << QByteArray();
    QTest::addRow("the simulator's creation stamp is carried over")
        << QStringLiteral("/webhooks") << QByteArrayLiteral("1795755600123456");
}

void TstGateway::signedWebhookIsProducedOnceWithKeyAndHeaders()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, createdAt);
    const QByteArray id = nextWebhookId();
    Headers headers = shopifyHeaders(m_sample, id);
    if (!createdAt.isEmpty())
        headers.append({"X-Peakwatch-Created-At", createdAt});
    const qint64 acceptedBefore = m_main.gateway->counters().accepted;

    const Answer a = request("POST", m_main.at(path), m_sample, headers);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.jsonStatus(), QStringLiteral("accepted"));
    QCOMPARE(a.contentType, QByteArray("application/json"));
    QCOMPARE(m_main.gateway->counters().accepted, acceptedBefore + 1);
    QCOMPARE(m_main.gateway->inFlight(), 0);

    const QList<KafkaMessage> messages = messagesWithId(id);
    QCOMPARE(messages.size(), 1);
    const KafkaMessage &m = messages.first();
    QCOMPARE(m.key, kShop);
    QCOMPARE(m.value, m_sample);
    // The Shopify headers, in this order, and neither the signature nor HTTP's own.
    QList<QPair<QByteArray, QByteArray>> expected{
        {"X-Shopify-Topic", "products/update"}, {"X-Shopify-Shop-Domain", kShop},
        {"X-Shopify-Webhook-Id", id},           {"X-Shopify-Triggered-At", "2026-11-27T05:03:12.123456789Z"},
        {"X-Shopify-API-Version", "2026-10"},   {"X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"}};
    if (!createdAt.isEmpty())
        expected.append({"X-Peakwatch-Created-At", createdAt});
    QCOMPARE(m.headers, expected);
}

void TstGateway::rejectedWebhookIsNotProduced_data()
{
    const QByteArray body = m_sample.isEmpty() ? sampleBody() : m_sample;
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    const auto signedFor = [](const QByteArray &b) { return shopifyHeaders(b, QByteArray()); };
    QTest::addRow("missing signature is 401") << body << without(signedFor(body), "X-Shopify-Hmac-Sha256") << 401
                                              << QStringLiteral("missing X-Shopify-Hmac-Sha256 header");
    QTest::addRow("signature of another body is 401")
        << body << with(signedFor(body), "X-Shopify-Hmac-Sha256", shopifyHmac(kSecret, "{}")) << 401
        << QStringLiteral("not the signature of this body");
    QTest::addRow("signature made with another secret is 401")
        << body << shopifyHeaders(body, QByteArray(), "another-apps-secret") << 401
        << QStringLiteral("not the signature of this body");
    QTest::addRow("signature that is not base64 is 401")
        << body << with(signedFor(body), "X-Shopify-Hmac-Sha256", "sha256=deadbeef") << 401
        << QStringLiteral("not the signature of this body");
    QTest::addRow("body that is not JSON is 400")
        << QByteArrayLiteral("id=1&title=hoodie") << signedFor("id=1&title=hoodie") << 400
        << QStringLiteral("not a JSON object");
    const QByteArray truncated = body.left(body.size() / 2);
    QTest::addRow("truncated JSON is 400")
        << truncated << signedFor(truncated) << 400 << QStringLiteral("not a JSON object");
    QTest::addRow("JSON that is not an object is 400")
        << QByteArrayLiteral("[1,2,3]") << signedFor("[1,2,3]") << 400 << QStringLiteral("not a JSON object");
    QTest::addRow("empty body is 400") << QByteArray() << signedFor(QByteArray()) << 400
                                       << QStringLiteral("not a JSON object");
    QTest::addRow("missing shop domain is 400") << body << without(signedFor(body), "X-Shopify-Shop-Domain") << 400
                                                << QStringLiteral("missing X-Shopify-Shop-Domain header");
}

void TstGateway::rejectedWebhookIsNotProduced()
{
    QFETCH(QByteArray, body);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    QFETCH(QString, error);
    const QByteArray id = nextWebhookId();
    headers = with(headers, "X-Shopify-Webhook-Id", id);
    const GatewayCounters before = m_main.gateway->counters();

    const Answer a = request("POST", m_main.at(QStringLiteral("/webhooks")), body, headers);
    QCOMPARE(a.status, status);
    QVERIFY2(a.json().value(QStringLiteral("error")).toString().contains(error), a.body.constData());
    QVERIFY2(!a.body.contains(kSecret), "the answer must not carry the secret");
    const GatewayCounters after = m_main.gateway->counters();
    QCOMPARE(after.unauthorized - before.unauthorized, status == 401 ? 1 : 0);
    QCOMPARE(after.badRequests - before.badRequests, status == 400 ? 1 : 0);
    QCOMPARE(after.accepted, before.accepted);
    QCOMPARE(m_main.gateway->inFlight(), 0);
    QCOMPARE(messagesWithId(id).size(), 0);
}

void TstGateway::bodySizeLimit_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("status");
    QTest::addRow("a body of exactly the limit is accepted") << kTestBodyLimit << 200;
    QTest::addRow("one byte over the limit is 413") << kTestBodyLimit + 1 << 413;
    QTest::addRow("a body of 1 MiB is 413") << qint64(1 << 20) << 413;
}

void TstGateway::bodySizeLimit()
{
    QFETCH(qint64, size);
    QFETCH(int, status);
    const QByteArray body = jsonObjectOfSize(size);
    const QByteArray id = nextWebhookId();
    const qint64 tooLargeBefore = m_main.gateway->counters().tooLarge;
    const Answer a = request("POST", m_main.at(QStringLiteral("/webhooks")), body, shopifyHeaders(body, id));
    QCOMPARE(a.status, status);
    QCOMPARE(m_main.gateway->counters().tooLarge - tooLargeBefore, status == 413 ? 1 : 0);
    QCOMPARE(messagesWithId(id).size(), status == 200 ? 1 : 0);
}

void TstGateway::redeliveryIsAnsweredWithoutProducingAgain()
{
    const QByteArray id = nextWebhookId();
    const GatewayCounters before = m_main.gateway->counters();
    const Answer first =
        request("POST", m_main.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.jsonStatus(), QStringLiteral("accepted"));
    const Answer again =
        request("POST", m_main.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.jsonStatus(), QStringLiteral("duplicate"));
    QCOMPARE(m_main.gateway->counters().accepted, before.accepted + 1);
    QCOMPARE(m_main.gateway->counters().duplicates, before.duplicates + 1);
    QCOMPARE(messagesWithId(id).size(), 1);

    // A redelivery still has to be signed: an unsigned one is 401, not 200.
    const Answer unsignedAgain = request("POST", m_main.at(QStringLiteral("/webhooks")), m_sample,
                                         without(shopifyHeaders(m_sample, id), "X-Shopify-Hmac-Sha256"));
    QCOMPARE(unsignedAgain.status, 401);
}

void TstGateway::redeliveryWhileInFlightIsProducedOnce()
{
    // The producer holds each message 400 ms before sending it: the redelivery arrives while the first
    // delivery is in flight, and must wait for its answer rather than produce a second copy.
    TestGateway slow = startGateway(m_bootstrap, {{"linger.ms", "400"}});
    QVERIFY(slow.gateway);
    const QByteArray id = nextWebhookId();
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *first = send("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->inFlight(), 1, 5000);
    QNetworkReply *second = send("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    const Answer secondAnswer = wait(second);
    const qint64 secondAnsweredAfterMs = clock.elapsed();
    const Answer firstAnswer = wait(first);
    QCOMPARE(firstAnswer.status, 200);
    QCOMPARE(firstAnswer.jsonStatus(), QStringLiteral("accepted"));
    QCOMPARE(secondAnswer.status, 200);
    QCOMPARE(secondAnswer.jsonStatus(), QStringLiteral("duplicate"));
    QVERIFY2(secondAnsweredAfterMs >= 350, "the redelivery was answered before Kafka acknowledged the first");
    QCOMPARE(slow.gateway->counters().accepted, 1);
    QCOMPARE(slow.gateway->counters().duplicates, 1);
    QCOMPARE(messagesWithId(id).size(), 1);
}

void TstGateway::redeliveryAfterTheWindowIsProducedAgain()
{
    TestGateway shortMemory = startGateway(m_bootstrap, {}, 300ms);
    QVERIFY(shortMemory.gateway);
    const QByteArray id = nextWebhookId();
    const QUrl url = shortMemory.at(QStringLiteral("/webhooks"));
    QCOMPARE(request("POST", url, m_sample, shopifyHeaders(m_sample, id)).jsonStatus(), QStringLiteral("accepted"));
    QCOMPARE(request("POST", url, m_sample, shopifyHeaders(m_sample, id)).jsonStatus(), QStringLiteral("duplicate"));
    QTest::qWait(500);
    QCOMPARE(request("POST", url, m_sample, shopifyHeaders(m_sample, id)).jsonStatus(), QStringLiteral("accepted"));
    QCOMPARE(messagesWithId(id).size(), 2);
}

void TstGateway::kafkaNotAcceptingIs503_data()
{
    QTest::addColumn<bool>("clusterStopsAfterStartUp");
    QTest::addRow("bootstrap where nothing listens") << false;
    QTest::addRow("cluster stopped after a first webhook") << true;
}

void TstGateway::kafkaNotAcceptingIs503()
{
    QFETCH(bool, clusterStopsAfterStartUp);
    std::unique_ptr<EmbeddedCluster> cluster;
    QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(closedPort());
    if (clusterStopsAfterStartUp) {
        auto started = EmbeddedCluster::start(1, {{kTopic, 2}});
        if (!started)
            QFAIL(qPrintable(started.error()));
        cluster = std::move(*started);
        bootstrap = cluster->bootstrapServers();
    }
    // librdkafka's own connection errors stay quiet; the gateway's warnings are expected once each.
    TestGateway g = startGateway(bootstrap, {{"message.timeout.ms", "1500"}, {"log_level", "0"}});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "^gateway: health check failed: cannot reach the Kafka cluster .+")));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral(
                             "^gateway: Kafka did not acknowledge a webhook: .+ - answering 503 until it does$")));
    QVERIFY(g.gateway);
    QCOMPARE(g.gateway->deliveryTimeout().count(), 1500);
    const QUrl url = g.at(QStringLiteral("/webhooks"));
    if (clusterStopsAfterStartUp) {
        QCOMPARE(request("POST", url, m_sample, shopifyHeaders(m_sample, nextWebhookId())).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(request("GET", g.at(QStringLiteral("/healthz"))).status, 200, 5000);
        cluster.reset();
    }

    const QByteArray id = nextWebhookId();
    QElapsedTimer clock;
    clock.start();
    const Answer a = request("POST", url, m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(a.status, 503);
    QVERIFY2(a.json().value(QStringLiteral("error")).toString().contains(QLatin1String("Kafka did not")),
             a.body.constData());
    // Within the delivery timeout (1.5 s here), even when a request to a dead broker is still pending.
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QStringLiteral("the 503 came after %1 ms").arg(clock.elapsed())));
    QCOMPARE(g.gateway->counters().unavailable, 1);

    // A webhook Kafka did not acknowledge is not remembered: its redelivery is tried again.
    const Answer again = request("POST", url, m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(again.status, 503);
    QCOMPARE(g.gateway->counters().unavailable, 2);
    QCOMPARE(g.gateway->counters().duplicates, 0);

    Answer health;
    QTRY_COMPARE_WITH_TIMEOUT((health = request("GET", g.at(QStringLiteral("/healthz")))).status, 503, 10000);
    QCOMPARE(health.jsonStatus(), QStringLiteral("unavailable"));
    QCOMPARE(health.json().value(QStringLiteral("kafka")).toString(), QStringLiteral("unreachable"));
    QVERIFY(!health.json().value(QStringLiteral("kafka_error")).toString().isEmpty());
}

void TstGateway::healthAndMetricsReportTheCounters()
{
    // At least one answer of a few kinds, so that the figures are not all zero.
    QCOMPARE(
        request("POST", m_main.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, nextWebhookId()))
            .status,
        200);
    QCOMPARE(request("POST", m_main.at(QStringLiteral("/webhooks")), m_sample,
                     without(shopifyHeaders(m_sample, nextWebhookId()), "X-Shopify-Hmac-Sha256"))
                 .status,
             401);
    const GatewayCounters c = m_main.gateway->counters();

    const Answer health = request("GET", m_main.at(QStringLiteral("/healthz")));
    QCOMPARE(health.status, 200);
    const QJsonObject h = health.json();
    QCOMPARE(h.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(h.value(QStringLiteral("kafka")).toString(), QStringLiteral("reachable"));
    QCOMPARE(h.value(QStringLiteral("topic")).toString(), kTopic);
    QCOMPARE(h.value(QStringLiteral("in_flight")).toInt(), 0);
    const QJsonObject counters = h.value(QStringLiteral("counters")).toObject();
    QCOMPARE(counters.value(QStringLiteral("accepted")).toInteger(), c.accepted);
    QCOMPARE(counters.value(QStringLiteral("duplicates")).toInteger(), c.duplicates);
    QCOMPARE(counters.value(QStringLiteral("unauthorized")).toInteger(), c.unauthorized);
    QCOMPARE(counters.value(QStringLiteral("bad_requests")).toInteger(), c.badRequests);
    QCOMPARE(counters.value(QStringLiteral("too_large")).toInteger(), c.tooLarge);
    QCOMPARE(counters.value(QStringLiteral("unavailable")).toInteger(), c.unavailable);
    QVERIFY(c.accepted > 0 && c.unauthorized > 0);

    const Answer metrics = request("GET", m_main.at(QStringLiteral("/metrics")));
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.contentType.startsWith("text/plain"), metrics.contentType.constData());
    const auto line = [](const char *code, const char *outcome, qint64 value) -> QByteArray {
        return QByteArray("peakwatch_gateway_responses_total{code=\"") + code + "\",outcome=\"" + outcome + "\"} " +
               QByteArray::number(value) + '\n';
    };
    for (const QByteArray &expected :
         {line("200", "accepted", c.accepted), line("200", "duplicate", c.duplicates),
          line("400", "bad_request", c.badRequests), line("401", "unauthorized", c.unauthorized),
          line("413", "too_large", c.tooLarge), line("503", "unavailable", c.unavailable),
          QByteArray("peakwatch_gateway_kafka_up 1\n"), QByteArray("peakwatch_gateway_in_flight 0\n")})
        QVERIFY2(metrics.body.contains(expected),
                 qPrintable(QString::fromUtf8(expected + "\nnot in\n" + metrics.body)));
    QVERIFY(metrics.body.contains("# TYPE peakwatch_gateway_responses_total counter\n"));
    QVERIFY(!metrics.body.contains(kSecret));
}

void TstGateway::otherMethodsAndPathsAre404Or405_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    QTest::addRow("GET /webhooks is 405, POST allowed")
        << QByteArray("GET") << QStringLiteral("/webhooks") << 405 << QByteArray("POST");
    QTest::addRow("PUT / is 405, POST allowed")
        << QByteArray("PUT") << QStringLiteral("/") << 405 << QByteArray("POST");
    QTest::addRow("POST /healthz is 405, GET allowed")
        << QByteArray("POST") << QStringLiteral("/healthz") << 405 << QByteArray("GET");
    QTest::addRow("DELETE /metrics is 405, GET allowed")
        << QByteArray("DELETE") << QStringLiteral("/metrics") << 405 << QByteArray("GET");
    QTest::addRow("GET /nope is 404") << QByteArray("GET") << QStringLiteral("/nope") << 404 << QByteArray();
    QTest::addRow("POST /webhooks/extra is 404")
        << QByteArray("POST") << QStringLiteral("/webhooks/extra") << 404 << QByteArray();
}

void TstGateway::otherMethodsAndPathsAre404Or405()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    const GatewayCounters before = m_main.gateway->counters();
    const QByteArray body = method == "POST" || method == "PUT" ? m_sample : QByteArray();
    const Answer a = request(method, m_main.at(path), body, shopifyHeaders(body, nextWebhookId()));
    QCOMPARE(a.status, status);
    QCOMPARE(a.allow, allow);
    QVERIFY2(!a.json().value(QStringLiteral("error")).toString().isEmpty(), a.body.constData());
    const GatewayCounters after = m_main.gateway->counters();
    QCOMPARE(after.notFound - before.notFound, status == 404 ? 1 : 0);
    QCOMPARE(after.methodNotAllowed - before.methodNotAllowed, status == 405 ? 1 : 0);
    QCOMPARE(after.accepted, before.accepted);
}

void TstGateway::shutdownAnswersWhatIsInFlightThenDrains()
{
    TestGateway slow = startGateway(m_bootstrap, {{"linger.ms", "300"}});
    QVERIFY(slow.gateway);
    QSignalSpy drained(slow.gateway.get(), &WebhookGateway::drained);
    const QByteArray id = nextWebhookId();
    QNetworkReply *reply = send("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->inFlight(), 1, 5000);
    slow.gateway->shutdown(5s);
    QCOMPARE(drained.size(), 0);
    const Answer a = wait(reply);
    QCOMPARE(a.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(drained.size(), 1, 5000);
    QCOMPARE(messagesWithId(id).size(), 1);
    // It no longer accepts connections.
    const Answer after =
        request("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, nextWebhookId()));
    QCOMPARE(after.error, QNetworkReply::ConnectionRefusedError);
}

// ---------------------------------------------------------------------------------------------------
// The HTTP server's parsing: values in, values out

void TstGateway::requestHeadParsing_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("status"); // 0: parsed
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("keepAlive");
    const QByteArray host = "Host: a\r\n";
    const auto row = [](const char *name, const QByteArray &head, int status, const QByteArray &path = {},
                        qint64 length = 0, bool chunked = false, bool keepAlive = true) {
        QTest::addRow("%s", name) << head << status << path << length << chunked << keepAlive;
    };
    row("a webhook POST", "POST /webhooks HTTP/1.1\r\n" + host + "Content-Length: 12\r\n\r\n", 0, "/webhooks", 12);
    row("the query is not part of the path", "GET /healthz?x=1 HTTP/1.1\r\n" + host + "\r\n", 0, "/healthz");
    row("the absolute form gives its path", "POST http://a:8080/webhooks HTTP/1.1\r\n" + host + "\r\n", 0, "/webhooks");
    row("empty lines before the request line are ignored", "\r\n\r\nGET / HTTP/1.1\r\n" + host + "\r\n", 0, "/");
    row("chunked", "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n", 0, "/", 0, true);
    row("Connection: close", "GET / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 0, "/", 0, false, false);
    row("HTTP/1.0 closes unless keep-alive", "GET / HTTP/1.0\r\n\r\n", 0, "/", 0, false, false);
    row("HTTP/1.0 with keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0, "/", 0, false, true);
    row("a repeated identical Content-Length is one", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5, 5\r\n\r\n", 0,
        "/", 5);
    row("Content-Length and chunked is 400 (smuggling)",
        "POST / HTTP/1.1\r\n" + host + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
    row("conflicting Content-Lengths are 400",
        "POST / HTTP/1.1\r\n" + host + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400);
    row("a Content-Length that is not a number is 400", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5x\r\n\r\n",
        400);
    row("a negative Content-Length is 400", "POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n", 400);
    row("a Content-Length over the limit is 413", "POST / HTTP/1.1\r\n" + host + "Content-Length: 1025\r\n\r\n", 413);
    row("a Content-Length of 30 digits is 413",
        "POST / HTTP/1.1\r\n" + host + "Content-Length: 999999999999999999999999999999\r\n\r\n", 413);
    row("a coding that does not end in chunked is 400",
        "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 400);
    row("another coding before chunked is 501",
        "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501);
    row("chunked in HTTP/1.0 is 400", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
    row("HTTP/1.1 without Host is 400", "GET / HTTP/1.1\r\n\r\n", 400);
    row("two Hosts are 400", "GET / HTTP/1.1\r\n" + host + host + "\r\n", 400);
    row("HTTP/2.0 is 505", "GET / HTTP/2.0\r\n" + host + "\r\n", 505);
    row("a version that is not one is 400", "GET / HTTP/1.x\r\n" + host + "\r\n", 400);
    row("a lower-case version is 400", "GET / http/1.1\r\n" + host + "\r\n", 400);
    row("two spaces in the request line are 400", "GET  / HTTP/1.1\r\n" + host + "\r\n", 400);
    row("a method that is not a token is 400", "G(T / HTTP/1.1\r\n" + host + "\r\n", 400);
    row("a target that is not a path is 400", "GET webhooks HTTP/1.1\r\n" + host + "\r\n", 400);
    row("whitespace before a colon is 400", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400);
    row("obsolete line folding is 400", "GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n  2\r\n\r\n", 400);
    row("a header line without a colon is 400", "GET / HTTP/1.1\r\n" + host + "X-A\r\n\r\n", 400);
    row("a NUL in a value is 400", "GET / HTTP/1.1\r\n" + host + QByteArray("X-A: a\0b\r\n\r\n", 12), 400);
    QByteArray manyFields = "GET / HTTP/1.1\r\n" + host;
    for (int i = 0; i < 100; ++i)
        manyFields += "X-" + QByteArray::number(i) + ": 1\r\n";
    row("101 fields are 431", manyFields + "\r\n", 431);
}

void TstGateway::requestHeadParsing()
{
    QFETCH(QByteArray, head);
    QFETCH(int, status);
    QFETCH(QByteArray, path);
    QFETCH(qint64, contentLength);
    QFETCH(bool, chunked);
    QFETCH(bool, keepAlive);
    HttpLimits limits;
    limits.maxBodyBytes = 1024;
    const auto parsed = parseHttpRequestHead(head, limits);
    if (status != 0) {
        QVERIFY(std::holds_alternative<HttpError>(parsed));
        QCOMPARE(std::get<HttpError>(parsed).status, status);
        QVERIFY(!std::get<HttpError>(parsed).reason.isEmpty());
        return;
    }
    QVERIFY2(std::holds_alternative<HttpRequestHead>(parsed),
             qPrintable(std::get_if<HttpError>(&parsed) ? std::get<HttpError>(parsed).reason : QString()));
    const HttpRequestHead &h = std::get<HttpRequestHead>(parsed);
    QCOMPARE(h.path, path);
    QCOMPARE(h.contentLength, contentLength);
    QCOMPARE(h.chunked, chunked);
    QCOMPARE(h.keepAlive, keepAlive);
}

void TstGateway::headEndIsFoundOrRefused_data()
{
    QTest::addColumn<QByteArray>("buffer");
    QTest::addColumn<int>("status");    // 0: found or not yet
    QTest::addColumn<qsizetype>("end"); // -1: not yet
    const QByteArray head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    QTest::addRow("a whole head, a body after it") << head + "{}" << 0 << head.size();
    QTest::addRow("half a head is not yet") << head.left(20) << 0 << qsizetype(-1);
    QTest::addRow("a head cut inside its CRLF is not yet") << head.left(head.size() - 1) << 0 << qsizetype(-1);
    QTest::addRow("a bare LF is 400") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << 400 << qsizetype(-1);
    QTest::addRow("a bare CR is 400") << QByteArray("GET / HTTP/1.1\rHost: a\r\n\r\n") << 400 << qsizetype(-1);
    QTest::addRow("a request line over 8 KiB is 414, before its end")
        << "GET /" + QByteArray(9000, 'a') << 414 << qsizetype(-1);
    QTest::addRow("a 1 MB header is 431, before its end")
        << "GET / HTTP/1.1\r\nX-A: " + QByteArray(1 << 20, 'a') << 431 << qsizetype(-1);
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 10000; ++i)
        many += "X-A: 1\r\n";
    QTest::addRow("10,000 header lines are 431, before their end") << many << 431 << qsizetype(-1);
}

void TstGateway::headEndIsFoundOrRefused()
{
    QFETCH(QByteArray, buffer);
    QFETCH(int, status);
    QFETCH(qsizetype, end);
    const auto found = findHttpHeadEnd(buffer, HttpLimits{});
    if (status != 0) {
        QVERIFY(std::holds_alternative<HttpError>(found));
        QCOMPARE(std::get<HttpError>(found).status, status);
        return;
    }
    QVERIFY(std::holds_alternative<std::optional<qsizetype>>(found));
    QCOMPARE(std::get<std::optional<qsizetype>>(found).value_or(-1), end);
}

void TstGateway::chunkedBodyDecoding_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status"); // 0: decoded
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("two chunks") << QByteArray("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n") << 0
                                << QByteArray("hello world");
    QTest::addRow("upper-case hex and an extension")
        << QByteArray("A;name=value\r\n0123456789\r\n0\r\n\r\n") << 0 << QByteArray("0123456789");
    QTest::addRow("trailer fields are dropped")
        << QByteArray("2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n") << 0 << QByteArray("{}");
    QTest::addRow("an empty body") << QByteArray("0\r\n\r\n") << 0 << QByteArray();
    QTest::addRow("a chunk over the limit is 413 before its data") << QByteArray("401\r\n") << 413 << QByteArray();
    QTest::addRow("chunks adding up over the limit are 413")
        << QByteArray("200\r\n") + QByteArray(512, 'a') + "\r\n201\r\n"
        << 413 << QByteArray();
    QTest::addRow("a size of 20 hex digits is 413") << QByteArray("FFFFFFFFFFFFFFFFFFFF\r\n") << 413 << QByteArray();
    QTest::addRow("a size that is not hex is 400") << QByteArray("x\r\n") << 400 << QByteArray();
    QTest::addRow("a negative size is 400") << QByteArray("-1\r\n") << 400 << QByteArray();
    QTest::addRow("data not followed by CRLF is 400") << QByteArray("2\r\n{}xx") << 400 << QByteArray();
    QTest::addRow("a bare LF is 400") << QByteArray("2\n{}\r\n0\r\n\r\n") << 400 << QByteArray();
    QTest::addRow("an endless size line is 400") << QByteArray("1;") + QByteArray(5000, 'x') << 400 << QByteArray();
}

void TstGateway::chunkedBodyDecoding()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    HttpLimits limits;
    limits.maxBodyBytes = 1024;
    // Whole, and then byte by byte as a slow client sends it: the same result.
    for (const qsizetype step : {input.size(), qsizetype(1)}) {
        ChunkedBodyDecoder decoder(limits);
        QByteArray buffered, decoded;
        ChunkedBodyDecoder::State state = ChunkedBodyDecoder::State::NeedMore;
        for (qsizetype at = 0; at < input.size() && state == ChunkedBodyDecoder::State::NeedMore; at += step) {
            buffered += input.mid(at, step);
            qsizetype consumed = 0;
            state = decoder.feed(buffered, consumed, decoded);
            buffered.remove(0, consumed);
            QVERIFY(decoded.size() <= limits.maxBodyBytes);
        }
        if (status == 0) {
            QCOMPARE(state, ChunkedBodyDecoder::State::Done);
            QCOMPARE(decoded, body);
        } else {
            QCOMPARE(state, ChunkedBodyDecoder::State::Failed);
            QCOMPARE(decoder.error().status, status);
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The HTTP server under attack, over raw sockets

void TstGateway::declaredBodyOverTheLimitIsRefusedBeforeItIsRead()
{
    const quint16 port = quint16(m_main.url.port());
    const GatewayCounters before = m_main.gateway->counters();
    const QByteArray id = nextWebhookId();
    // A 1 GiB body is declared and none of it sent: the answer comes at once, and the connection closes.
    const RawExchange e = exchange(port, signedHead(m_sample, id, "Content-Length: 1073741824\r\n"), 5000);
    QCOMPARE(e.status(), 413);
    QVERIFY2(e.received.contains("Connection: close\r\n"), e.received.constData());
    QVERIFY2(e.received.contains("over the limit"), e.received.constData());
    QVERIFY(e.closed);
    QVERIFY2(e.closedAfterMs < 4000, qPrintable(QString::number(e.closedAfterMs)));
    QCOMPARE(m_main.gateway->counters().tooLarge, before.tooLarge + 1);
    // Unsigned, it is 401 as soon as its head is read, whatever its body.
    const RawExchange unsignedBody =
        exchange(port, "POST /webhooks HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n", 5000);
    QCOMPARE(unsignedBody.status(), 401);
    QVERIFY(unsignedBody.closed);
    QCOMPARE(messagesWithId(id).size(), 0);
}

void TstGateway::malformedRequestsAreAnsweredAndClosed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    const QByteArray body = m_sample.isEmpty() ? sampleBody() : m_sample;
    const QByteArray signedHeaders = [&body] {
        QByteArray h;
        for (const auto &[name, value] : shopifyHeaders(body, "b54557e4-0000-4000-8000-999999999999"))
            h += name + ": " + value + "\r\n";
        return h;
    }();
    QTest::addRow("an unknown method on the webhook path is 405, POST allowed")
        << QByteArray("BREW /webhooks HTTP/1.1\r\nHost: a\r\n\r\n") << 405 << QByteArray("POST");
    QTest::addRow("PATCH on /healthz is 405, GET allowed")
        << QByteArray("PATCH /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") << 405 << QByteArray("GET");
    QTest::addRow("a 1 MB header is 431")
        << "POST /webhooks HTTP/1.1\r\nHost: a\r\nX-Big: " + QByteArray(1 << 20, 'a') + "\r\n\r\n"
        << 431 << QByteArray();
    QByteArray many = "POST /webhooks HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 10000; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::addRow("10,000 headers are 431") << many + "\r\n" << 431 << QByteArray();
    QTest::addRow("a 64 MB header is 431")
        << "POST /webhooks HTTP/1.1\r\nHost: a\r\nX-Big: " + QByteArray(64 << 20, 'a') + "\r\n\r\n"
        << 431 << QByteArray();
    QTest::addRow("Content-Length with chunked is 400")
        << "POST /webhooks HTTP/1.1\r\nHost: a\r\n" + signedHeaders +
               "Content-Length: " + QByteArray::number(body.size()) + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body
        << 400 << QByteArray();
    QTest::addRow("a request line of 10 KB is 414") << "GET /" + QByteArray(10000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"
                                                    << 414 << QByteArray();
    QTest::addRow("HTTP/2.0 in an HTTP/1 request line is 505")
        << QByteArray("GET /healthz HTTP/2.0\r\nHost: a\r\n\r\n") << 505 << QByteArray();
    QTest::addRow("gzip, chunked is 501") << QByteArray("POST /webhooks HTTP/1.1\r\nHost: a\r\n") + signedHeaders +
                                                 "Transfer-Encoding: gzip, chunked\r\n\r\n"
                                          << 501 << QByteArray();
    QTest::addRow("bare LF line ends are 400")
        << QByteArray("GET /healthz HTTP/1.1\nHost: a\n\n") << 400 << QByteArray();
    QTest::addRow("a chunked body over the limit is 413")
        << "POST /webhooks HTTP/1.1\r\nHost: a\r\n" + signedHeaders + "Transfer-Encoding: chunked\r\n\r\n" +
               QByteArray::number(kTestBodyLimit + 1, 16) + "\r\n"
        << 413 << QByteArray();
}

void TstGateway::malformedRequestsAreAnsweredAndClosed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    const GatewayCounters before = m_main.gateway->counters();
    const RawExchange e = exchange(quint16(m_main.url.port()), request, 10000);
    QCOMPARE(e.status(), status);
    QVERIFY2(e.closed, "the connection is closed after a refusal");
    QVERIFY2(e.received.contains("Connection: close\r\n"), e.received.constData());
    if (!allow.isEmpty())
        QVERIFY2(e.received.contains(QByteArray("Allow: " + allow + "\r\n")), e.received.constData());
    const qsizetype bodyAt = e.received.indexOf("\r\n\r\n") + 4;
    const QJsonObject json = QJsonDocument::fromJson(e.received.mid(bodyAt)).object();
    QVERIFY2(!json.value(QStringLiteral("error")).toString().isEmpty(), e.received.constData());
    const GatewayCounters after = m_main.gateway->counters();
    QCOMPARE(after.accepted, before.accepted);
    QCOMPARE(after.unauthorized, before.unauthorized);
    if (status == 431)
        QCOMPARE(after.headersTooLarge, before.headersTooLarge + 1);
    if (status == 400)
        QCOMPARE(after.badRequests, before.badRequests + 1);
    // The gateway still serves.
    QCOMPARE(this->request("GET", m_main.at(QStringLiteral("/healthz"))).status, 200);
}

void TstGateway::chunkedWebhookIsAccepted()
{
    const QByteArray id = nextWebhookId();
    QByteArray request = signedHead(m_sample, id, "Transfer-Encoding: chunked\r\nConnection: close\r\n");
    for (qsizetype at = 0; at < m_sample.size(); at += 1000) {
        const QByteArray piece = m_sample.mid(at, 1000);
        request += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    request += "0\r\n\r\n";
    const RawExchange e = exchange(quint16(m_main.url.port()), request);
    QCOMPARE(e.status(), 200);
    QVERIFY(e.closed);
    const QList<KafkaMessage> messages = messagesWithId(id);
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().value, m_sample);
}

void TstGateway::idleAndSlowConnectionsAreClosed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("trickleMs"); // one more byte every this often (0: none)
    QTest::addColumn<int>("status");    // 0: closed without an answer
    QTest::addRow("a connection that sends nothing is closed") << QByteArray() << 0 << 0;
    QTest::addRow("half a head is 408") << QByteArray("POST /webhooks HTTP/1.1\r\nHost: a\r\n") << 0 << 408;
    QTest::addRow("half a body is 408")
        << QByteArray("POST /webhooks HTTP/1.1\r\nHost: a\r\nX-Shopify-Hmac-Sha256: x\r\nContent-Length: 100\r\n\r\n{")
        << 0 << 408;
    QTest::addRow("a head sent a byte at a time is 408") << QByteArray("POST /webhooks HTTP/1.1\r\n") << 50 << 408;
}

void TstGateway::idleAndSlowConnectionsAreClosed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, trickleMs);
    QFETCH(int, status);
    // The defaults close such connections within 30 s; here they are shortened.
    const WebhookGateway::Options defaults;
    QVERIFY(defaults.idleTimeout <= 30s && defaults.requestTimeout <= 30s);
    TestGateway g = startGateway(m_bootstrap, {}, 10min, [](WebhookGateway::Options &o) {
        o.idleTimeout = 400ms;
        o.requestTimeout = 800ms;
    });
    QVERIFY(g.gateway);
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, quint16(g.url.port()));
    QVERIFY(socket.waitForConnected(5000));
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway->connections(), 1, 5000);
    QElapsedTimer clock;
    clock.start();
    socket.write(request);
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, &socket, [&socket] { socket.write("X"); });
    if (trickleMs > 0)
        trickle.start(trickleMs);
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000));
    received += socket.readAll();
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    if (status == 0)
        QCOMPARE(received, QByteArray());
    else
        QVERIFY2(received.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))), received.constData());
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway->connections(), 0, 5000);
    QCOMPARE(g.gateway->counters().timedOut, status == 408 ? 1 : 0);
}

void TstGateway::connectionsAreCapped()
{
    TestGateway g = startGateway(m_bootstrap, {}, 10min, [](WebhookGateway::Options &o) { o.maxConnections = 4; });
    QVERIFY(g.gateway);
    // /healthz answers 503 too while Kafka is not reached yet: only a gateway that reached it tells
    // the two apart by status.
    QTRY_VERIFY_WITH_TIMEOUT(g.gateway->kafkaReachable(), 15000);
    const quint16 port = quint16(g.url.port());
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        held.back()->setProxy(QNetworkProxy::NoProxy);
        held.back()->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(held.back()->waitForConnected(5000));
    }
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway->connections(), 4, 5000);
    // The fifth is told 503 (with Retry-After) and closed.
    const RawExchange fifth = exchange(port, "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 5000);
    QCOMPARE(fifth.status(), 503);
    QVERIFY2(fifth.received.contains("Retry-After: 1\r\n"), fifth.received.constData());
    QVERIFY2(fifth.received.contains("too many connections"), fifth.received.constData());
    QVERIFY(fifth.closed);
    // Once one of the four has gone, a new connection is served.
    held.front()->abort();
    QTRY_COMPARE_WITH_TIMEOUT(g.gateway->connections(), 3, 5000);
    const RawExchange later = exchange(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 5000);
    QVERIFY2(later.status() == 200, later.received.constData());
}

void TstGateway::halfClosedClientIsAnswered()
{
    // The client sends its webhook and shuts down its sending side (as `nc -N` or `curl` through some
    // proxies do): it is answered once Kafka has acknowledged the webhook, then the connection closes.
    const QByteArray id = nextWebhookId();
    const RawExchange e =
        exchange(quint16(m_main.url.port()),
                 signedHead(m_sample, id, "Content-Length: " + QByteArray::number(m_sample.size()) + "\r\n") + m_sample,
                 10000, true);
    QCOMPARE(e.status(), 200);
    QVERIFY2(e.received.contains("\"accepted\""), e.received.constData());
    QVERIFY(e.closed);
    QCOMPARE(messagesWithId(id).size(), 1);
    // Half-closed in the middle of a request: 400, and nothing produced.
    const QByteArray cut = nextWebhookId();
    const RawExchange partial =
        exchange(quint16(m_main.url.port()),
                 signedHead(m_sample, cut, "Content-Length: " + QByteArray::number(m_sample.size()) + "\r\n") +
                     m_sample.left(100),
                 10000, true);
    QCOMPARE(partial.status(), 400);
    QVERIFY(partial.closed);
    QCOMPARE(messagesWithId(cut).size(), 0);
}

void TstGateway::expectContinueIsAnsweredBeforeTheBody()
{
    // curl sends Expect: 100-continue before large bodies and waits for 100 (or the final answer).
    const QByteArray id = nextWebhookId();
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_main.url.port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write(signedHead(m_sample, id,
                            "Content-Length: " + QByteArray::number(m_sample.size()) + "\r\nExpect: 100-continue\r\n"));
    QByteArray received;
    QVERIFY(QTest::qWaitFor([&] { return (received += socket.readAll()).contains("\r\n\r\n"); }, 5000));
    QCOMPARE(received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write(m_sample);
    QVERIFY(QTest::qWaitFor([&] { return (received += socket.readAll()).contains("\"accepted\""); }, 10000));
    QVERIFY2(received.contains("HTTP/1.1 200 OK\r\n"), received.constData());
    QCOMPARE(messagesWithId(id).size(), 1);
    // Over the limit, the final answer comes instead of 100.
    const RawExchange over =
        exchange(quint16(m_main.url.port()),
                 signedHead(m_sample, nextWebhookId(), "Content-Length: 10000000\r\nExpect: 100-continue\r\n"));
    QCOMPARE(over.status(), 413);
    QVERIFY(!over.received.contains("100 Continue"));
}

void TstGateway::pipelinedRequestsAreAnsweredInOrder()
{
    const QByteArray first = nextWebhookId(), second = nextWebhookId();
    const QByteArray length = "Content-Length: " + QByteArray::number(m_sample.size()) + "\r\n";
    const QByteArray request = signedHead(m_sample, first, length) + m_sample + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n";
    // The second request is a 404, which closes the connection after its answer.
    const RawExchange e = exchange(quint16(m_main.url.port()),
                                   signedHead(m_sample, first, length) + m_sample +
                                       signedHead(m_sample, second, length + "Connection: close\r\n") + m_sample);
    QCOMPARE(e.statuses(), (QList<int>{200, 200}));
    QVERIFY(e.closed);
    QCOMPARE(messagesWithId(first).size(), 1);
    QCOMPARE(messagesWithId(second).size(), 1);
    const RawExchange then404 = exchange(quint16(m_main.url.port()), request);
    QCOMPARE(then404.statuses(), (QList<int>{200, 404}));
    // HTTP/1.0 keeps the connection only when asked, and is told so (ab -k does this).
    const RawExchange http10 =
        exchange(quint16(m_main.url.port()), "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                             "GET /healthz HTTP/1.0\r\n\r\n");
    QCOMPARE(http10.statuses(), (QList<int>{200, 200}));
    QVERIFY2(http10.received.contains("Connection: keep-alive\r\n"), http10.received.constData());
    QVERIFY(http10.closed);
}

void TstGateway::clientResettingBeforeTheAnswerIsCounted()
{
    TestGateway slow = startGateway(m_bootstrap, {{"linger.ms", "300"}});
    QVERIFY(slow.gateway);
    const QByteArray id = nextWebhookId();
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress::LocalHost, quint16(slow.url.port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write(signedHead(m_sample, id, "Content-Length: " + QByteArray::number(m_sample.size()) + "\r\n") +
                 m_sample);
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->inFlight(), 1, 5000);
    // Closed with a reset (SO_LINGER 0), as a client that gives up does: no answer can reach it.
    const linger reset{1, 0};
    ::setsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    socket.abort();
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->counters().accepted, 1, 5000);
    QCOMPARE(slow.gateway->counters().clientsGone, 1);
    QCOMPARE(messagesWithId(id).size(), 1);
    // The gateway still serves, and knows the webhook: Shopify's retry is answered 200, not produced again.
    const Answer retry = request("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.jsonStatus(), QStringLiteral("duplicate"));
}

void TstGateway::cliGatewayMemoryStaysBoundedUnderLargeBodies()
{
    // `peakwatch-cli gateway` (body limit 1 MiB) as a child process, so that its resident memory can be
    // read on its own. Before, a 1 GiB body was held whole before it was refused (2.6 GB resident).
    QProcess gateway;
    startCliGateway(gateway);
    QTRY_VERIFY_WITH_TIMEOUT(gateway.canReadLine(), 15000);
    const QUrl url(QString::fromUtf8(gateway.readLine().trimmed()));
    const quint16 port = quint16(url.port());
    QTRY_COMPARE_WITH_TIMEOUT(request("GET", QUrl(url.toString() + QStringLiteral("/healthz"))).status, 200, 10000);
    const qint64 pid = gateway.processId();
    const qint64 hwmBefore = procStatusKb(pid, "VmHWM");
    QVERIFY(hwmBefore > 0);

    const QByteArray piece(1 << 20, 'x');
    // A declared 1 GiB body, sent as fast as the gateway takes it: 413 after the head, the rest dropped.
    const FloodResult declared =
        flood(port, signedHead(m_sample, nextWebhookId(), "Content-Length: 1073741824\r\n"), qint64(1) << 30, piece);
    QVERIFY2(declared.answer.startsWith("HTTP/1.1 413 "), declared.answer.left(200).constData());
    // A chunked body of 1 MiB chunks: 413 once it passes the limit.
    QByteArray chunk = QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    const FloodResult chunked =
        flood(port, signedHead(m_sample, nextWebhookId(), "Transfer-Encoding: chunked\r\n"), qint64(1) << 30, chunk);
    QVERIFY2(chunked.answer.startsWith("HTTP/1.1 413 "), chunked.answer.left(200).constData());
    const qint64 hwmAfter = procStatusKb(pid, "VmHWM");
    const qint64 growthKb = hwmAfter - hwmBefore;
    qInfo("gateway VmHWM %lld kB before, %lld kB after; sent %lld MiB declared, %lld MiB chunked", hwmBefore, hwmAfter,
          declared.sent >> 20, chunked.sent >> 20);
    QVERIFY2(growthKb < 32 * 1024, qPrintable(QStringLiteral("resident memory grew by %1 kB").arg(growthKb)));
    QCOMPARE(request("GET", QUrl(url.toString() + QStringLiteral("/healthz"))).status, 200);
    gateway.terminate();
    QVERIFY(gateway.waitForFinished(15000));
    QCOMPARE(gateway.exitCode(), 0);
}

// ---------------------------------------------------------------------------------------------------
// peakwatch-cli gateway

void TstGateway::cliGatewayProducesAndStopsCleanly()
{
    QProcess gateway;
    startCliGateway(gateway);
    QTRY_VERIFY_WITH_TIMEOUT(gateway.canReadLine(), 15000);
    const QString url = QString::fromUtf8(gateway.readLine().trimmed());
    static const QRegularExpression urlPattern(QStringLiteral("^http://127\\.0\\.0\\.1:(\\d+)$"));
    QVERIFY2(urlPattern.match(url).hasMatch(), qPrintable(url));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += gateway.readAllStandardError()).contains("Ctrl+C"), 10000);
    static const QRegularExpression bootstrapPattern(QStringLiteral("embedded Kafka cluster at (\\S+),"));
    const auto match = bootstrapPattern.match(QString::fromUtf8(err));
    QVERIFY2(match.hasMatch(), err.constData());
    const QString bootstrap = match.captured(1);

    Answer health;
    QTRY_COMPARE_WITH_TIMEOUT((health = request("GET", QUrl(url + QStringLiteral("/healthz")))).status, 200, 10000);
    const QByteArray id = nextWebhookId();
    const Answer a = request("POST", QUrl(url + QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(a.status, 200);
    const Answer wrong = request("POST", QUrl(url + QStringLiteral("/webhooks")), m_sample,
                                 shopifyHeaders(m_sample, nextWebhookId(), "not-the-secret"));
    QCOMPARE(wrong.status, 401);

    const QList<KafkaMessage> messages = readTopic(bootstrap, QStringLiteral("shopify-webhooks"));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().key, kShop);
    QCOMPARE(messages.first().value, m_sample);
    QCOMPARE(messages.first().header("X-Shopify-Webhook-Id"), id);

    gateway.terminate(); // SIGTERM: drains and stops
    QVERIFY(gateway.waitForFinished(15000));
    QCOMPARE(gateway.exitStatus(), QProcess::NormalExit);
    QCOMPARE(gateway.exitCode(), 0);
    QCOMPARE(gateway.readAllStandardOutput(), QByteArray()); // the URL was the only line
    err += gateway.readAllStandardError();
    const QList<QByteArray> lines = err.trimmed().split('\n');
    QVERIFY2(lines.last().startsWith("gateway: stopped; accepted 1, duplicates 0, bad requests 0, unauthorized 1"),
             err.constData());
    QVERIFY2(!err.contains(kSecret), "the secret must never be printed");
}

void TstGateway::cliUsageErrorsExitTwo_data()
{
    const QStringList base{QStringLiteral("gateway"),
                           QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("--topic"),
                           QStringLiteral("t"),
                           QStringLiteral("--secret-env"),
                           QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET")};
    const auto plus = [&base](const QStringList &more) { return base + more; };
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("secret"); // the variable's value; null: not set
    QTest::addColumn<QByteArray>("message");
    const QString secret = QString::fromUtf8(kSecret);
    const QString embedded = QStringLiteral("--embedded");
    QTest::addRow("secret variable not set")
        << plus({embedded}) << QString() << QByteArray("PEAKWATCH_TEST_WEBHOOK_SECRET: the environment variable");
    QTest::addRow("secret variable empty") << plus({embedded}) << QStringLiteral("")
                                           << QByteArray("PEAKWATCH_TEST_WEBHOOK_SECRET: the environment variable");
    QTest::addRow("both --bootstrap and --embedded")
        << plus({embedded, QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:9092")}) << secret
        << QByteArray("--bootstrap and --embedded cannot be combined");
    QTest::addRow("neither --bootstrap nor --embedded")
        << base << secret << QByteArray("gateway needs --bootstrap B or --embedded");
    QTest::addRow("no --topic") << QStringList{QStringLiteral("gateway"),
                                               QStringLiteral("--listen"),
                                               QStringLiteral("127.0.0.1:0"),
                                               embedded,
                                               QStringLiteral("--secret-env"),
                                               QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET")}
                                << secret << QByteArray("gateway needs --topic");
    QTest::addRow("no --secret-env") << QStringList{QStringLiteral("gateway"),     QStringLiteral("--listen"),
                                                    QStringLiteral("127.0.0.1:0"), embedded,
                                                    QStringLiteral("--topic"),     QStringLiteral("t")}
                                     << secret << QByteArray("gateway needs --secret-env");
    QStringList noPort = plus({embedded});
    noPort[2] = QStringLiteral("127.0.0.1");
    QTest::addRow("--listen without a port")
        << noPort << secret << QByteArray("--listen 127.0.0.1: expected HOST:PORT");
    QStringList hostName = plus({embedded});
    hostName[2] = QStringLiteral("shop.example:8080");
    QTest::addRow("--listen with a host name") << hostName << secret << QByteArray("expected an IP address");
    QTest::addRow("--max-body that is not a number")
        << plus({embedded, QStringLiteral("--max-body"), QStringLiteral("1MB")}) << secret
        << QByteArray("--max-body 1MB: expected a number");
    QTest::addRow("--idle-timeout of 0") << plus({embedded, QStringLiteral("--idle-timeout"), QStringLiteral("0")})
                                         << secret << QByteArray("--idle-timeout 0: expected a number from 1 to 3600");
    QTest::addRow("--max-connections that is not a number")
        << plus({embedded, QStringLiteral("--max-connections"), QStringLiteral("many")}) << secret
        << QByteArray("--max-connections many: expected a number");
    QTest::addRow("--partitions without --embedded") << plus({QStringLiteral("-b"), QStringLiteral("127.0.0.1:9092"),
                                                              QStringLiteral("--partitions"), QStringLiteral("3")})
                                                     << secret << QByteArray("--partitions applies to --embedded only");
    QTest::addRow("malformed -X") << plus({embedded, QStringLiteral("-X"), QStringLiteral("linger.ms")}) << secret
                                  << QByteArray("linger.ms");
}

void TstGateway::cliUsageErrorsExitTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, secret);
    QFETCH(QByteArray, message);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET"));
    if (!secret.isNull())
        env.insert(QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET"), secret);
    process.setProcessEnvironment(env);
    startInheritingNothing(process, QStringLiteral(PEAKWATCH_CLI), arguments);
    QVERIFY(process.waitForFinished(30000));
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitCode(), 2);
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.contains(message), err.constData());
    QVERIFY2(!err.contains(kSecret), "the secret must never be printed");
    QCOMPARE(process.readAllStandardOutput(), QByteArray());
}

QTEST_GUILESS_MAIN(TstGateway)
#include "tst_gateway.moc"
