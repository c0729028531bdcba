// The webhook gateway: Shopify signatures, the round trip to Kafka, idempotency on the webhook id,
// answers when Kafka is not accepting, health and metrics. Against an in-process WebhookGateway on an
// embedded cluster, over loopback with QNetworkAccessManager, and against `peakwatch-cli gateway`.
#include "cli_runner.h"

#include "embedded_cluster.h"
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
    void clientHangingUpBeforeTheAnswerIsCounted();
    void shutdownAnswersWhatIsInFlightThenDrains();

    void cliGatewayProducesAndStopsCleanly();
    void cliUsageErrorsExitTwo_data();
    void cliUsageErrorsExitTwo();

private:
    TestGateway startGateway(const QString &bootstrap, const KafkaProperties &properties = {},
                             std::chrono::milliseconds dedupeWindow = 10min);
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

TestGateway TstGateway::startGateway(const QString &bootstrap, const KafkaProperties &properties,
                                     std::chrono::milliseconds dedupeWindow)
{
    WebhookGateway::Options options;
    options.bootstrapServers = bootstrap;
    options.topic = kTopic;
    options.secret = kSecret;
    options.properties = properties;
    options.maxBodyBytes = kTestBodyLimit;
    options.dedupeWindow = dedupeWindow;
    options.healthInterval = 200ms;
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

void TstGateway::clientHangingUpBeforeTheAnswerIsCounted()
{
    TestGateway slow = startGateway(m_bootstrap, {{"linger.ms", "300"}});
    QVERIFY(slow.gateway);
    const QByteArray id = nextWebhookId();
    QNetworkReply *reply = send("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->inFlight(), 1, 5000);
    reply->abort();
    reply->deleteLater();
    QTRY_COMPARE_WITH_TIMEOUT(slow.gateway->counters().accepted, 1, 5000);
    QCOMPARE(slow.gateway->counters().clientsGone, 1);
    QCOMPARE(messagesWithId(id).size(), 1);
    // The gateway still serves, and knows the webhook: Shopify's retry is answered 200, not produced again.
    const Answer retry = request("POST", slow.at(QStringLiteral("/webhooks")), m_sample, shopifyHeaders(m_sample, id));
    QCOMPARE(retry.status, 200);
    QCOMPARE(retry.jsonStatus(), QStringLiteral("duplicate"));
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
// peakwatch-cli gateway

void TstGateway::cliGatewayProducesAndStopsCleanly()
{
    QProcess gateway;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET"), QString::fromUtf8(kSecret));
    gateway.setProcessEnvironment(env);
    gateway.start(QStringLiteral(PEAKWATCH_CLI),
                  {QStringLiteral("gateway"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--embedded"), QStringLiteral("--topic"), QStringLiteral("shopify-webhooks"),
                   QStringLiteral("--secret-env"), QStringLiteral("PEAKWATCH_TEST_WEBHOOK_SECRET")});
    QVERIFY(gateway.waitForStarted());
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
    process.start(QStringLiteral(PEAKWATCH_CLI), arguments);
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
