// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The signed webhook sink: each alert as its alert record, signed so a receiver can check it; how a receiver's answers
// are taken (delivered, retried after Retry-After or a backoff, failed with words a person can act on); timeouts and
// unreachable receivers; https except to this machine; the URL and the secret never shown; and every alert once
// through the dispatcher and the outbox. Against a real HTTP server on loopback that checks the signature itself.
#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "alert_sink.h"
#include "product_snapshot.h"
#include "webhook_alert_sink.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <deque>
#include <memory>
#include <vector>

using namespace peakwatch;

namespace {

constexpr qint64 kEventMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z
const QByteArray kSecret = QByteArrayLiteral("whsec_reorder_7f3a9c2e41d8b6");
// The receiver's path holds its token, as Zapier's catch hooks do; it must never show.
const QString kToken = QStringLiteral("zq8Wc0rd3rT0ken");
const QString kPath = QStringLiteral("/hooks/catch/4711/") + kToken;

Alert makeAlert(int n, AlertRule rule = AlertRule::SellingOut, QByteArray title = {})
{
    Alert a;
    a.id = "alert-" + QByteArray::number(n).rightJustified(4, '0');
    a.rule = rule;
    a.shop = "peak-apparel.myshopify.com";
    a.productId = 8841726390317 + n;
    a.title = title.isEmpty() ? "Fleece Hoodie " + QByteArray::number(n) : title;
    a.quantity = 12;
    a.ratePerHour = 30.0;
    a.selloutAtMs = kEventMs + n * 1000 + 24 * 60 * 1000;
    a.atMs = kEventMs + n * 1000;
    a.episode = "episode-" + QByteArray::number(n);
    a.message = QStringLiteral("sells out in 24 min");
    return a;
}

// Compares as a receiver should: in time that depends only on the length, wherever the first difference is.
bool sameInConstantTime(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

// One request as the receiver took it.
struct Received {
    QByteArray body;
    QByteArray signature;
    QByteArray alertId;
    QByteArray event;
    QByteArray contentType;
    QByteArray userAgent;
    bool signatureValid = false;
    int status = 0; // what it was answered; 0 while it is held unanswered
};

// An answer the receiver gives to a request whose signature holds.
struct Answer {
    int status = 200;
    QByteArray retryAfter; // the Retry-After header; none when empty
};

// A webhook receiver as a shop would write one: a real HTTP server on 127.0.0.1 that checks each request's
// X-Peakwatch-Signature with its own HMAC (QMessageAuthenticationCode, independent of the sink's code), answers 401
// when it differs, and otherwise answers from `script`, then 200. With `hang`, it takes requests and never answers.
class Receiver final {
public:
    explicit Receiver(QByteArray secret)
        : m_secret(std::move(secret))
    {
        m_server.route(kPath, QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                           take(request, std::move(responder));
                       });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    Q_DISABLE_COPY_MOVE(Receiver)

    bool listening() const { return m_port != 0; }
    QUrl url(const QString &query = {}) const
    {
        QUrl url(QStringLiteral("http://127.0.0.1:") % QString::number(m_port) % kPath);
        url.setQuery(query);
        return url;
    }
    // How many requests for the alert `id` were answered 2xx.
    int acceptedFor(const QByteArray &id) const
    {
        return int(std::count_if(requests.begin(), requests.end(), [&id](const Received &r) {
            return r.alertId == id && r.status >= 200 && r.status < 300;
        }));
    }
    int requestsFor(const QByteArray &id) const
    {
        return int(
            std::count_if(requests.begin(), requests.end(), [&id](const Received &r) { return r.alertId == id; }));
    }

    std::deque<Answer> script;
    bool hang = false;
    std::vector<Received> requests;

private:
    void take(const QHttpServerRequest &request, QHttpServerResponder &&responder)
    {
        Received r;
        r.body = request.body();
        r.signature = request.value("X-Peakwatch-Signature");
        r.alertId = request.value("X-Peakwatch-Alert-Id");
        r.event = request.value("X-Peakwatch-Event");
        r.contentType = request.value("Content-Type");
        r.userAgent = request.value("User-Agent");
        const QByteArray expected =
            "sha256=" + QMessageAuthenticationCode::hash(r.body, m_secret, QCryptographicHash::Sha256).toHex();
        r.signatureValid = sameInConstantTime(r.signature, expected);
        if (hang) {
            requests.push_back(std::move(r));
            m_held.push_back(std::make_unique<QHttpServerResponder>(std::move(responder)));
            return;
        }
        Answer answer{401, {}};
        if (r.signatureValid) {
            answer = Answer{};
            if (!script.empty()) {
                answer = script.front();
                script.pop_front();
            }
        }
        r.status = answer.status;
        requests.push_back(std::move(r));
        const auto status = static_cast<QHttpServerResponder::StatusCode>(answer.status);
        const QByteArray body = answer.status == 401 ? QByteArrayLiteral("bad signature") : QByteArray();
        if (answer.retryAfter.isEmpty())
            responder.write(body, QByteArrayLiteral("text/plain"), status);
        else
            responder.write(body, {{"Content-Type", "text/plain"}, {"Retry-After", answer.retryAfter}}, status);
    }

    const QByteArray m_secret;
    QHttpServer m_server;
    quint16 m_port = 0;
    std::vector<std::unique_ptr<QHttpServerResponder>> m_held; // requests never answered
};

// What one send() came to: the outcome and how many finished() there were in all (one, if the contract holds).
struct Sent {
    qsizetype finishedCount = 0;
    SendOutcome outcome;
};

Sent sendAndWait(AlertSink &sink, const std::vector<Alert> &alerts, int timeoutMs = 20'000)
{
    QSignalSpy spy(&sink, &AlertSink::finished);
    sink.send(alerts);
    if (spy.isEmpty())
        spy.wait(timeoutMs);
    QTest::qWait(100); // a second finished() would be a defect
    Sent sent;
    sent.finishedCount = spy.size();
    if (!spy.isEmpty())
        sent.outcome = spy.first().first().value<SendOutcome>();
    return sent;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed again when probe goes: nothing listens there
}

// Whether `text` shows the receiver's URL, its token or query, or the signing secret.
bool showsSecret(const QString &text, const QUrl &url)
{
    return text.contains(url.toString()) || text.contains(QString::fromUtf8(url.toEncoded())) ||
           text.contains(kToken) || (!url.query().isEmpty() && text.contains(url.query())) ||
           text.contains(QString::fromLatin1(kSecret));
}

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void capturingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestWebhookSink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Pure.
    void signatureFor_data();
    void signatureFor();
    void checkUrl_data();
    void checkUrl();

    // Against the receiver.
    void deliversEachAlertAsItsRecord();
    void answers_data();
    void answers();
    void wrongSecretIsRefused();
    void hungReceiverIsRetriedAfterTimeout();
    void unreachableReceiverIsRetried();
    void refusedConfigurationFailsWithoutRequest_data();
    void refusedConfigurationFailsWithoutRequest();
    void urlAndSecretNeverShow();
    void everyAlertOnceThroughTheOutbox();
};

void TestWebhookSink::signatureFor_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("hex");

    // RFC 4231, test cases 1 and 2.
    QTest::addRow("RFC 4231 case 1") << QByteArrayLiteral("Hi There") << QByteArray(20, '\x0b')
                                     << QByteArrayLiteral(
                                            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::addRow("RFC 4231 case 2") << QByteArrayLiteral("what do ya want for nothing?") << QByteArrayLiteral("Jefe")
                                     << QByteArrayLiteral(
                                            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const QByteArray record = alertRecord(makeAlert(1, AlertRule::SoldOut, "Tee \"Ünïcode\" ☃"));
    QTest::addRow("an alert record")
        << record << kSecret << QMessageAuthenticationCode::hash(record, kSecret, QCryptographicHash::Sha256).toHex();
}

void TestWebhookSink::signatureFor()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, hex);
    QCOMPARE(WebhookSink::signatureFor(body, secret), QByteArrayLiteral("sha256=") + hex);
}

void TestWebhookSink::checkUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("mentions");

    QTest::addRow("https") << QStringLiteral("https://hooks.zapier.com/hooks/catch/4711/zq8Wc0rd3rT0ken/") << true
                           << QString();
    QTest::addRow("http to 127.0.0.1") << QStringLiteral("http://127.0.0.1:8080/reorder") << true << QString();
    QTest::addRow("http to localhost") << QStringLiteral("http://localhost:8080/reorder") << true << QString();
    QTest::addRow("http to ::1") << QStringLiteral("http://[::1]:8080/reorder") << true << QString();
    QTest::addRow("http to another host")
        << QStringLiteral("http://reorder.example.com/alerts") << false << QStringLiteral("must use https");
    QTest::addRow("http to the local network")
        << QStringLiteral("http://192.168.1.20/alerts") << false << QStringLiteral("must use https");
    QTest::addRow("ftp") << QStringLiteral("ftp://reorder.example.com/alerts") << false
                         << QStringLiteral("must start with https://, not ftp://");
    QTest::addRow("no scheme") << QStringLiteral("reorder.example.com/alerts") << false
                               << QStringLiteral("must start with https://");
    QTest::addRow("no host") << QStringLiteral("https:///alerts") << false << QStringLiteral("names no host");
    QTest::addRow("empty") << QString() << false << QStringLiteral("No webhook URL");
}

void TestWebhookSink::checkUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QFETCH(QString, mentions);
    const Status status = WebhookSink::checkUrl(QUrl(url));
    QCOMPARE(status.ok(), ok);
    QVERIFY2(status.error().contains(mentions), qPrintable(status.error()));
    if (!url.isEmpty())
        QVERIFY2(!status.error().contains(url), qPrintable(status.error()));
}

void TestWebhookSink::deliversEachAlertAsItsRecord()
{
    Receiver receiver(kSecret);
    QVERIFY(receiver.listening());
    WebhookSink sink(QStringLiteral("webhook"), receiver.url(), kSecret);
    QCOMPARE(sink.name(), QStringLiteral("webhook"));
    QCOMPARE(sink.maxGroup(), 1);
    QCOMPARE(sink.minIntervalMs(), qint64(0));

    const std::vector<Alert> alerts{makeAlert(1, AlertRule::SellingOut),
                                    makeAlert(2, AlertRule::SoldOut, "Tee \"Ünïcode\" ☃ \\ </script>"),
                                    makeAlert(3, AlertRule::Restocked), makeAlert(4, AlertRule::LowStock)};
    for (const Alert &alert : alerts) {
        const Sent sent = sendAndWait(sink, {alert});
        QCOMPARE(sent.finishedCount, 1);
        QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));
    }

    QCOMPARE(receiver.requests.size(), alerts.size());
    for (size_t i = 0; i < alerts.size(); ++i) {
        const Received &r = receiver.requests[i];
        const Alert &alert = alerts[i];
        QCOMPARE(r.body, alertRecord(alert)); // the record, byte for byte
        QVERIFY2(r.signatureValid, r.signature.constData());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.alertId, alert.id);
        QCOMPARE(r.event, alertRuleName(alert.rule).toLatin1());
        QCOMPARE(r.contentType, QByteArrayLiteral("application/json"));
        QCOMPARE(r.userAgent, QByteArrayLiteral("Peakwatch"));
        QJsonParseError error;
        const QJsonObject record = QJsonDocument::fromJson(r.body, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(record.value(QLatin1StringView("type")).toString(), QStringLiteral("alert"));
        QCOMPARE(record.value(QLatin1StringView("id")).toString().toLatin1(), alert.id);
        QCOMPARE(record.value(QLatin1StringView("title")).toString(), QString::fromUtf8(alert.title));
    }
}

void TestWebhookSink::answers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("mentions");

    const int delivered = int(SendOutcome::Kind::Delivered);
    const int retry = int(SendOutcome::Kind::Retry);
    const int failed = int(SendOutcome::Kind::Failed);
    QTest::addRow("201 created") << 201 << QByteArray() << delivered << qint64(0) << QString();
    QTest::addRow("202 accepted") << 202 << QByteArray() << delivered << qint64(0) << QString();
    QTest::addRow("204 no content") << 204 << QByteArray() << delivered << qint64(0) << QString();
    QTest::addRow("429 with Retry-After: 3")
        << 429 << QByteArrayLiteral("3") << retry << qint64(3000) << QStringLiteral("(HTTP 429): trying again in 3 s");
    QTest::addRow("429 without Retry-After waits 1 s")
        << 429 << QByteArray() << retry << qint64(1000) << QStringLiteral("trying again in 1 s");
    QTest::addRow("408") << 408 << QByteArray() << retry << qint64(0) << QStringLiteral("(HTTP 408)");
    QTest::addRow("500") << 500 << QByteArray() << retry << qint64(0) << QStringLiteral("(HTTP 500)");
    QTest::addRow("503") << 503 << QByteArray() << retry << qint64(0) << QStringLiteral("(HTTP 503)");
    QTest::addRow("401") << 401 << QByteArray() << failed << qint64(0)
                         << QStringLiteral("the receiver refused the signature or credentials (HTTP 401)");
    QTest::addRow("403") << 403 << QByteArray() << failed << qint64(0)
                         << QStringLiteral("the receiver refused the signature or credentials (HTTP 403)");
    QTest::addRow("404") << 404 << QByteArray() << failed << qint64(0)
                         << QStringLiteral("no such endpoint (HTTP 404): check the URL");
    QTest::addRow("410") << 410 << QByteArray() << failed << qint64(0)
                         << QStringLiteral("no such endpoint (HTTP 410): check the URL");
    QTest::addRow("422") << 422 << QByteArray() << failed << qint64(0)
                         << QStringLiteral("refused the alert record (HTTP 422)");
    QTest::addRow("301 is not followed") << 301 << QByteArray() << failed << qint64(0)
                                         << QStringLiteral("the URL leads elsewhere (HTTP 301)");
}

void TestWebhookSink::answers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, kind);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, mentions);

    Receiver receiver(kSecret);
    QVERIFY(receiver.listening());
    receiver.script.push_back({status, retryAfter});
    const QUrl url = receiver.url();
    WebhookSink sink(QStringLiteral("webhook"), url, kSecret);

    const Sent sent = sendAndWait(sink, {makeAlert(1)});
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(int(sent.outcome.kind), kind);
    QCOMPARE(sent.outcome.retryAfterMs, retryAfterMs);
    QVERIFY2(sent.outcome.error.contains(mentions), qPrintable(sent.outcome.error));
    QVERIFY2(!showsSecret(sent.outcome.error, url), qPrintable(sent.outcome.error));
    QCOMPARE(receiver.requests.size(), size_t(1)); // sent once, answered as scripted
    QCOMPARE(receiver.requests.front().status, status);

    // The same, without the network.
    const SendOutcome pure = WebhookSink::outcomeForAnswer(status, retryAfter);
    QCOMPARE(int(pure.kind), kind);
    QCOMPARE(pure.retryAfterMs, retryAfterMs);
    QCOMPARE(pure.error, sent.outcome.error);
}

void TestWebhookSink::wrongSecretIsRefused()
{
    Receiver receiver(QByteArrayLiteral("whsec_the_receivers_own_secret"));
    QVERIFY(receiver.listening());
    const QUrl url = receiver.url();
    WebhookSink sink(QStringLiteral("webhook"), url, kSecret);

    const Sent sent = sendAndWait(sink, {makeAlert(1)});
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Failed);
    QVERIFY2(
        sent.outcome.error.contains(QLatin1StringView("the receiver refused the signature or credentials (HTTP 401)")),
        qPrintable(sent.outcome.error));
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("signing secret")), qPrintable(sent.outcome.error));
    QVERIFY2(!showsSecret(sent.outcome.error, url), qPrintable(sent.outcome.error));
    QCOMPARE(receiver.requests.size(), size_t(1));
    QVERIFY(!receiver.requests.front().signatureValid);
    QCOMPARE(receiver.requests.front().status, 401);
}

void TestWebhookSink::hungReceiverIsRetriedAfterTimeout()
{
    Receiver receiver(kSecret);
    QVERIFY(receiver.listening());
    receiver.hang = true;
    WebhookSink sink(QStringLiteral("webhook"), receiver.url(), kSecret);
    QCOMPARE(sink.timeoutMs(), 15'000);
    sink.setTimeoutMs(300);

    QElapsedTimer clock;
    clock.start();
    const Sent sent = sendAndWait(sink, {makeAlert(1)});
    QVERIFY(clock.elapsed() >= 280);
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QCOMPARE(sent.outcome.retryAfterMs, qint64(0));
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("no answer within 0.3 s")), qPrintable(sent.outcome.error));
    QCOMPARE(receiver.requests.size(), size_t(1));
    QCOMPARE(receiver.requests.front().status, 0);

    // Once the receiver answers again, the retry arrives.
    receiver.hang = false;
    const Sent again = sendAndWait(sink, {makeAlert(1)});
    QVERIFY2(again.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(again.outcome.error));
    QCOMPARE(receiver.requests.size(), size_t(2));
    QCOMPARE(receiver.acceptedFor(makeAlert(1).id), 1);
}

void TestWebhookSink::unreachableReceiverIsRetried()
{
    const QUrl url(QStringLiteral("http://127.0.0.1:") % QString::number(freePort()) % kPath);
    WebhookSink sink(QStringLiteral("webhook"), url, kSecret);
    const Sent sent = sendAndWait(sink, {makeAlert(1)});
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QCOMPARE(sent.outcome.retryAfterMs, qint64(0));
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("could not be reached")), qPrintable(sent.outcome.error));
    QVERIFY2(!showsSecret(sent.outcome.error, url), qPrintable(sent.outcome.error));
}

void TestWebhookSink::refusedConfigurationFailsWithoutRequest_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("mentions");

    QTest::addRow("http to another host")
        << QStringLiteral("http://reorder.example.com") + kPath << kSecret << QStringLiteral("must use https");
    QTest::addRow("no signing secret") << QString() << QByteArray() << QStringLiteral("No signing secret");
}

void TestWebhookSink::refusedConfigurationFailsWithoutRequest()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, secret);
    QFETCH(QString, mentions);

    Receiver receiver(kSecret);
    QVERIFY(receiver.listening());
    const QUrl target = url.isEmpty() ? receiver.url() : QUrl(url);
    WebhookSink sink(QStringLiteral("webhook"), target, secret);
    const Sent sent = sendAndWait(sink, {makeAlert(1)});
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Failed);
    QVERIFY2(sent.outcome.error.contains(mentions), qPrintable(sent.outcome.error));
    QVERIFY2(!showsSecret(sent.outcome.error, target), qPrintable(sent.outcome.error));
    QVERIFY(receiver.requests.empty());
}

void TestWebhookSink::urlAndSecretNeverShow()
{
    QLoggingCategory::setFilterRules(QStringLiteral("peakwatch.alerts=true"));
    g_log.clear();
    g_previousHandler = qInstallMessageHandler(capturingHandler);
    QStringList errors;
    {
        Receiver receiver(kSecret);
        QVERIFY(receiver.listening());
        receiver.script.push_back({404, {}});
        receiver.script.push_back({500, {}});
        const QUrl url = receiver.url(QStringLiteral("key=r3ord3r-k3y-0042"));
        WebhookSink sink(QStringLiteral("webhook"), url, kSecret);
        sink.setTimeoutMs(300);
        for (const auto kind : {SendOutcome::Kind::Failed, SendOutcome::Kind::Retry, SendOutcome::Kind::Delivered}) {
            const Sent sent = sendAndWait(sink, {makeAlert(1)});
            QCOMPARE(sent.outcome.kind, kind);
            errors << sent.outcome.error;
        }
        receiver.hang = true;
        const Sent hung = sendAndWait(sink, {makeAlert(2)});
        QCOMPARE(hung.outcome.kind, SendOutcome::Kind::Retry);
        errors << hung.outcome.error;

        QUrl gone = url;
        gone.setPort(freePort());
        WebhookSink unreachable(QStringLiteral("webhook"), gone, kSecret);
        const Sent refused = sendAndWait(unreachable, {makeAlert(3)});
        QCOMPARE(refused.outcome.kind, SendOutcome::Kind::Retry);
        errors << refused.outcome.error;
        QVERIFY2(receiver.requests.size() == 4, qPrintable(QString::number(receiver.requests.size())));
    }
    qInstallMessageHandler(g_previousHandler);
    QLoggingCategory::setFilterRules(QString());

    QVERIFY2(g_log.size() >= 5, qPrintable(g_log.join(u'\n'))); // a line per send at least
    const QUrl url(QStringLiteral("http://127.0.0.1") % kPath % QStringLiteral("?key=r3ord3r-k3y-0042"));
    for (const QString &text : std::as_const(errors) + std::as_const(g_log)) {
        QVERIFY2(!showsSecret(text, url), qPrintable(text));
        QVERIFY2(!text.contains(QLatin1StringView("r3ord3r-k3y-0042")), qPrintable(text));
    }
}

void TestWebhookSink::everyAlertOnceThroughTheOutbox()
{
    Receiver receiver(kSecret);
    QVERIFY(receiver.listening());
    receiver.script = {{200, {}}, {200, {}}, {500, {}}}; // the third request fails; then all are taken
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto outbox = AlertOutbox::open(dir.filePath(QStringLiteral("webhook.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    dispatcher.addSink(std::make_unique<WebhookSink>(QStringLiteral("webhook"), receiver.url(), kSecret));

    std::vector<Alert> alerts;
    for (int n = 1; n <= 20; ++n)
        alerts.push_back(makeAlert(n, n % 2 ? AlertRule::SellingOut : AlertRule::LowStock));
    const auto submitted = dispatcher.submit(alerts);
    QVERIFY2(submitted, qPrintable(submitted.error()));
    QCOMPARE(submitted->size(), alerts.size());
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && (*outbox)->counts(QStringLiteral("webhook")).pending == 0 &&
                                 receiver.requests.size() >= 21,
                             20000);

    QCOMPARE(receiver.requests.size(), size_t(21)); // 20 alerts, and the one answered 500 once more
    QCOMPARE(receiver.requests[2].status, 500);
    const QByteArray retried = receiver.requests[2].alertId;
    for (const Alert &alert : alerts) {
        QCOMPARE(receiver.acceptedFor(alert.id), 1);
        QCOMPARE(receiver.requestsFor(alert.id), alert.id == retried ? 2 : 1);
    }
    for (const Received &r : receiver.requests) {
        QVERIFY(r.signatureValid);
        const auto alert =
            std::find_if(alerts.begin(), alerts.end(), [&r](const Alert &a) { return a.id == r.alertId; });
        QVERIFY(alert != alerts.end());
        QCOMPARE(r.body, alertRecord(*alert));
    }
    QCOMPARE(retrying.count(), 1);
    QVERIFY2(retrying.at(0).at(1).toString().contains(QLatin1StringView("HTTP 500")),
             qPrintable(retrying.at(0).at(1).toString()));
    QCOMPARE(failed.count(), 0);
    QCOMPARE((*outbox)->counts(QStringLiteral("webhook")).delivered, 20);
    QTest::qWait(1500); // and nothing more
    QCOMPARE(receiver.requests.size(), size_t(21));
}

QTEST_GUILESS_MAIN(TestWebhookSink)
#include "tst_webhook_sink.moc"
