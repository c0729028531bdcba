// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Slack delivery of alerts: the message (Block Kit within Slack's limits, a fallback text, escaping, links to the
// Shopify admin), the webhook URL check, how Slack's answers are taken (delivered, retried, failed with words a
// store manager can act on), timeouts and network errors, and that the webhook token never shows; a follow-up of
// an episode saying where it stands, and a bot's chat.postMessage (its answers, replies in the episode's thread).
// Against SlackTestServer, a real HTTP server on loopback that answers as Slack does.
#include "slack_test_server.h"

#include "alert_sink.h"
#include "redaction.h"
#include "shopify_admin.h"
#include "slack_bot_sink.h"
#include "slack_message.h"
#include "slack_sink.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>
#include <vector>

using namespace peakwatch;
using peakwatch::test::SlackAnswer;
using peakwatch::test::SlackTestServer;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kNowMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z
constexpr qint64 kHoodie = 8841726390317;
const QByteArray kShop = QByteArrayLiteral("peak-apparel.myshopify.com");
const QString kToken = QString::fromLatin1(SlackTestServer::kToken);

Alert makeAlert(int i, qint64 nowMs, AlertRule rule = AlertRule::SellingOut, QByteArray title = {})
{
    Alert alert;
    alert.id = QByteArrayLiteral("alert-") + QByteArray::number(i);
    alert.rule = rule;
    alert.shop = kShop;
    alert.productId = kHoodie + i;
    alert.title = title.isEmpty() ? QByteArrayLiteral("Fleece Hoodie ") + QByteArray::number(i) : title;
    alert.quantity = 12;
    alert.ratePerHour = 42.0;
    alert.selloutAtMs = nowMs + 23 * kMinute;
    alert.atMs = nowMs;
    return alert;
}

std::vector<Alert> makeAlerts(int count, qint64 nowMs, const QByteArray &title = {})
{
    std::vector<Alert> alerts;
    for (int i = 0; i < count; ++i)
        alerts.push_back(makeAlert(i, nowMs, AlertRule::SellingOut, title));
    return alerts;
}

QJsonObject parsed(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

// Every text of the blocks (section texts, fields, context elements), in order.
QStringList blockTexts(const QJsonArray &blocks)
{
    QStringList texts;
    for (const QJsonValue &block : blocks) {
        const QJsonObject object = block.toObject();
        texts << object.value(QLatin1StringView("text")).toObject().value(QLatin1StringView("text")).toString();
        for (const QJsonValue &field : object.value(QLatin1StringView("fields")).toArray())
            texts << field.toObject().value(QLatin1StringView("text")).toString();
        for (const QJsonValue &element : object.value(QLatin1StringView("elements")).toArray())
            texts << element.toObject().value(QLatin1StringView("text")).toString();
    }
    return texts;
}

QString headerText(const QJsonObject &message)
{
    const QJsonObject first = message.value(QLatin1StringView("blocks")).toArray().first().toObject();
    if (first.value(QLatin1StringView("type")).toString() != QLatin1StringView("header"))
        return {};
    return first.value(QLatin1StringView("text")).toObject().value(QLatin1StringView("text")).toString();
}

// The alerts a message accounts for: one admin link each, plus those counted in "…and K more".
qsizetype alertsAccountedFor(const QJsonObject &message)
{
    const QString texts = blockTexts(message.value(QLatin1StringView("blocks")).toArray()).join(u'\n');
    qsizetype count = texts.count(QStringLiteral("/products/"));
    static const QRegularExpression more(QStringLiteral("and (\\d+) more alerts"));
    if (const auto match = more.match(texts); match.hasMatch())
        count += match.captured(1).toLongLong();
    return count;
}

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

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void capturingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestSlack : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The message, pure.
    void messageForOneAlert();
    void messageLimits_data();
    void messageLimits();
    void messageEscapesTitles();
    void messageRelativeSellout_data();
    void messageRelativeSellout();
    void messageMostUrgentFirst();
    void messageSaysWhereAFollowUpStands_data();
    void messageSaysWhereAFollowUpStands();
    void adminUrl_data();
    void adminUrl();

    // The webhook URL and redaction.
    void checkWebhookUrl_data();
    void checkWebhookUrl();
    void redactsSlackUrlInError_data();
    void redactsSlackUrlInError();
    void redactsRegisteredSecret();

    // Against the test server.
    void deliversOneAlert();
    void manyAlertsInOneMessage();
    void answers_data();
    void answers();
    void slowAnswerIsDeliveredOnce();
    void botAnswers_data();
    void botAnswers();
    void botRepliesInTheEpisodesThread();
    void noAnswerIsRetriedAfterTimeout();
    void connectionRefusedIsRetried();
    void droppedConnectionIsRetried();
    void droppedOnceIsResentByQt();
    void sendsReuseTheConnection();
    void refusedUrlFailsWithoutRequest();
    void logsNeverShowTheToken();

    // The test server itself.
    void serverAnswersPipelinedRequestsInOrder();
    void serverRecordsClientThatLeaves();
};

void TestSlack::messageForOneAlert()
{
    Alert alert = makeAlert(0, kNowMs, AlertRule::SoldOut, QByteArrayLiteral("Fleece Hoodie"));
    alert.productId = (qint64(1) << 53) + 1; // not representable as a double
    alert.quantity = 0;
    const QByteArray json = slackMessage({alert}, kNowMs);
    QVERIFY2(SlackTestServer::payloadProblem(json).isEmpty(), qPrintable(SlackTestServer::payloadProblem(json)));
    const QJsonObject message = parsed(json);

    const QString text = message.value(QLatin1StringView("text")).toString();
    QVERIFY2(text.contains(QLatin1StringView("Sold out")) && text.contains(QLatin1StringView("Fleece Hoodie")),
             qPrintable(text));
    const QString header = headerText(message);
    QVERIFY2(header.contains(QLatin1StringView("Sold out: Fleece Hoodie")), qPrintable(header));
    QVERIFY2(header.contains(QLatin1StringView(":red_circle:")), qPrintable(header));
    QVERIFY(header.size() <= kSlackMaxHeaderChars);

    const QJsonArray blocks = message.value(QLatin1StringView("blocks")).toArray();
    QCOMPARE(blocks.size(), 2); // the header, the alert in full
    const QString all = blockTexts(blocks).join(u'\n');
    QVERIFY2(all.contains(QLatin1StringView(
                 "<https://admin.shopify.com/store/peak-apparel/products/9007199254740993|Fleece Hoodie>")),
             qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("*Stock*\n0")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("*Rate*\n42 units/hour")), qPrintable(all));
    // 05:23 UTC as Slack's date in the reader's zone, with a fallback, and relative to now.
    QVERIFY2(all.contains(QLatin1StringView("<!date^1795756980^{date_short_pretty} {time}|2026-11-27 05:23 UTC>")),
             qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("(in 23 min)")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("peak-apparel.myshopify.com")), qPrintable(all));
}

void TestSlack::messageLimits_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArray>("title");

    const QByteArray longTitle = QByteArray(240, '&') + "<b>";
    QTest::addRow("1 alert") << 1 << QByteArray();
    QTest::addRow("2 alerts") << 2 << QByteArray();
    QTest::addRow("10 alerts, all in full") << 10 << QByteArray();
    QTest::addRow("11 alerts, one as a line") << 11 << QByteArray();
    QTest::addRow("150 alerts") << 150 << QByteArray();
    QTest::addRow("150 alerts whose titles grow fivefold when escaped") << 150 << longTitle;
    QTest::addRow("1000 alerts: the ones past 50 blocks are counted") << 1000 << longTitle;
}

void TestSlack::messageLimits()
{
    QFETCH(int, count);
    QFETCH(QByteArray, title);

    const QByteArray json = slackMessage(makeAlerts(count, kNowMs, title), kNowMs);
    QVERIFY2(SlackTestServer::payloadProblem(json).isEmpty(), qPrintable(SlackTestServer::payloadProblem(json)));
    const QJsonObject message = parsed(json);
    const QJsonArray blocks = message.value(QLatin1StringView("blocks")).toArray();
    QVERIFY(blocks.size() <= kSlackMaxBlocks);
    QCOMPARE(alertsAccountedFor(message), qsizetype(count));

    qsizetype detailed = 0;
    for (const QJsonValue &block : blocks) {
        const QJsonObject object = block.toObject();
        if (object.contains(QLatin1StringView("fields")))
            ++detailed;
        if (object.value(QLatin1StringView("type")).toString() == QLatin1StringView("section"))
            QVERIFY(
                object.value(QLatin1StringView("text")).toObject().value(QLatin1StringView("text")).toString().size() <=
                kSlackMaxSectionChars);
    }
    QCOMPARE(detailed, std::min<qsizetype>(count, kSlackDetailedAlerts));

    const QString header = headerText(message);
    QVERIFY(!header.isEmpty() && header.size() <= kSlackMaxHeaderChars);
    const QString text = message.value(QLatin1StringView("text")).toString();
    if (count > 1) {
        const QString headline = QString::number(count) % QStringLiteral(" products need attention");
        QVERIFY2(header.contains(headline), qPrintable(header));
        QVERIFY2(text.startsWith(headline), qPrintable(text));
        if (count > 3)
            QVERIFY2(text.endsWith(QStringLiteral("and ") % QString::number(count - 3) % QStringLiteral(" more")),
                     qPrintable(text));
    }
    if (title.isEmpty())
        QVERIFY2(text.contains(QLatin1StringView("Fleece Hoodie 0")), qPrintable(text));
}

void TestSlack::messageEscapesTitles()
{
    const QByteArray json = slackMessage(
        {makeAlert(0, kNowMs, AlertRule::LowStock, QByteArrayLiteral("Tees & <Tops> <!channel>"))}, kNowMs);
    const QJsonObject message = parsed(json);
    QJsonArray mrkdwnBlocks = message.value(QLatin1StringView("blocks")).toArray();
    mrkdwnBlocks.removeFirst(); // the header
    const QString all = blockTexts(mrkdwnBlocks).join(u'\n');
    QVERIFY2(all.contains(QLatin1StringView("|Tees &amp; &lt;Tops&gt; &lt;!channel&gt;>")), qPrintable(all));
    QVERIFY2(!all.contains(QLatin1StringView("<Tops>")) && !all.contains(QLatin1StringView("<!channel>")),
             qPrintable(all));
    const QString text = message.value(QLatin1StringView("text")).toString();
    QVERIFY2(text.contains(QLatin1StringView("Tees &amp; &lt;Tops&gt; &lt;!channel&gt;")), qPrintable(text));
    // The header is plain_text, which Slack shows as it is.
    QVERIFY2(headerText(message).contains(QLatin1StringView("Tees & <Tops> <!channel>")),
             qPrintable(headerText(message)));
    QCOMPARE(slackEscaped(QStringLiteral("a&b<c>d")), QStringLiteral("a&amp;b&lt;c&gt;d"));
}

void TestSlack::messageRelativeSellout_data()
{
    QTest::addColumn<qint64>("selloutInMs");
    QTest::addColumn<QString>("expected");

    QTest::addRow("in 23 min") << 23 * kMinute << QStringLiteral("(in 23 min)");
    QTest::addRow("rounded to the nearest minute") << 23 * kMinute - 29'000 << QStringLiteral("(in 23 min)");
    QTest::addRow("in hours and minutes") << 125 * kMinute << QStringLiteral("(in 2 h 5 min)");
    QTest::addRow("in whole hours") << 180 * kMinute << QStringLiteral("(in 3 h)");
    QTest::addRow("in days") << 3 * 24 * 60 * kMinute << QStringLiteral("(in 3 days)");
    QTest::addRow("now") << qint64(10'000) << QStringLiteral("(now)");
    QTest::addRow("in the past") << -12 * kMinute << QStringLiteral("(12 min ago)");
}

void TestSlack::messageRelativeSellout()
{
    QFETCH(qint64, selloutInMs);
    QFETCH(QString, expected);

    Alert alert = makeAlert(0, kNowMs);
    alert.selloutAtMs = kNowMs + selloutInMs;
    const QJsonObject message = parsed(slackMessage({alert}, kNowMs));
    const QString all = blockTexts(message.value(QLatin1StringView("blocks")).toArray()).join(u'\n');
    QVERIFY2(all.contains(expected), qPrintable(all));
}

void TestSlack::messageMostUrgentFirst()
{
    std::vector<Alert> alerts{makeAlert(0, kNowMs, AlertRule::Restocked, QByteArrayLiteral("Beanie")),
                              makeAlert(1, kNowMs, AlertRule::LowStock, QByteArrayLiteral("Scarf")),
                              makeAlert(2, kNowMs, AlertRule::SoldOut, QByteArrayLiteral("Hoodie"))};
    alerts[2].selloutAtMs.reset();
    alerts[2].ratePerHour.reset();
    const QJsonObject message = parsed(slackMessage(alerts, kNowMs));
    QVERIFY2(headerText(message).startsWith(QLatin1StringView(":red_circle: 3 products need attention")),
             qPrintable(headerText(message)));
    const QString text = message.value(QLatin1StringView("text")).toString();
    QVERIFY2(text.endsWith(QLatin1StringView(": Sold out: Hoodie; Low stock: Scarf; Restocked: Beanie")),
             qPrintable(text));
    const QJsonArray blocks = message.value(QLatin1StringView("blocks")).toArray();
    const QJsonObject first = blocks.at(1).toObject();
    QVERIFY(first.value(QLatin1StringView("text"))
                .toObject()
                .value(QLatin1StringView("text"))
                .toString()
                .startsWith(QLatin1StringView(":red_circle: *Sold out*")));
    QCOMPARE(first.value(QLatin1StringView("fields")).toArray().size(), 2); // shop and stock: no rate, no sell-out
    QVERIFY(blocks.at(3)
                .toObject()
                .value(QLatin1StringView("text"))
                .toObject()
                .value(QLatin1StringView("text"))
                .toString()
                .startsWith(QLatin1StringView(":large_green_circle: *Restocked*")));
}

void TestSlack::messageSaysWhereAFollowUpStands_data()
{
    QTest::addColumn<int>("position");
    QTest::addColumn<int>("alertsInMessage");
    QTest::addColumn<QString>("inBlocks");   // empty: no thread line
    QTest::addColumn<QString>("inFallback"); // empty: no thread line
    const QString at = QStringLiteral("<!date^1795756440^{time}|05:14 UTC>");
    QTest::addRow("the episode's first alert") << 1 << 1 << QString() << QString();
    QTest::addRow("the 2nd alert") << 2 << 1
                                   << QStringLiteral("_2nd alert since the selling-out warning at ") + at + u'_'
                                   << QStringLiteral("— 2nd alert since the selling-out warning at 05:14 UTC");
    QTest::addRow("the 3rd alert") << 3 << 1
                                   << QStringLiteral("_3rd alert since the selling-out warning at ") + at + u'_'
                                   << QStringLiteral("— 3rd alert since the selling-out warning at 05:14 UTC");
    QTest::addRow("the 3rd alert among many, on a compact line")
        << 3 << 30 << QStringLiteral(" · 3rd alert since the selling-out warning at ") + at << QString();
}

// An incoming webhook cannot thread (it answers "ok", no ts): a follow-up of an episode says where it stands, in
// the reader's time zone, and in the plain text a notification shows.
void TestSlack::messageSaysWhereAFollowUpStands()
{
    QFETCH(int, position);
    QFETCH(int, alertsInMessage);
    QFETCH(QString, inBlocks);
    QFETCH(QString, inFallback);
    std::vector<Alert> alerts = makeAlerts(alertsInMessage, kNowMs);
    // The least urgent, so it comes last: a compact line when the message has more than ten alerts.
    Alert &followUp = alerts.back();
    followUp.rule = AlertRule::Restocked;
    followUp.quantity = 40;
    followUp.thread = Alert::Thread{position, AlertRule::SellingOut, kNowMs + 14 * kMinute};
    const QByteArray json = slackMessage(alerts, kNowMs);
    QVERIFY2(SlackTestServer::payloadProblem(json).isEmpty(), qPrintable(SlackTestServer::payloadProblem(json)));
    const QJsonObject message = parsed(json);
    const QString blocks = blockTexts(message.value(QLatin1StringView("blocks")).toArray()).join(u'\n');
    const QString fallback = message.value(QLatin1StringView("text")).toString();
    if (inBlocks.isEmpty())
        QVERIFY2(!blocks.contains(QLatin1StringView("alert since")), qPrintable(blocks));
    else
        QVERIFY2(blocks.contains(inBlocks), qPrintable(blocks));
    if (inFallback.isEmpty())
        QVERIFY2(!fallback.contains(QLatin1StringView("alert since")), qPrintable(fallback));
    else
        QVERIFY2(fallback.contains(inFallback), qPrintable(fallback));
}

void TestSlack::adminUrl_data()
{
    QTest::addColumn<QByteArray>("shop");
    QTest::addColumn<qint64>("productId");
    QTest::addColumn<QString>("expected");

    QTest::addRow("myshopify domain") << kShop << kHoodie
                                      << QStringLiteral("https://admin.shopify.com/store/peak-apparel/products/"
                                                        "8841726390317");
    QTest::addRow("id above 2^53 stays exact") << kShop << qint64(9'007'199'254'740'993)
                                               << QStringLiteral("https://admin.shopify.com/store/peak-apparel/"
                                                                 "products/9007199254740993");
    QTest::addRow("upper case domain") << QByteArrayLiteral("Peak-Apparel.MyShopify.com") << qint64(7)
                                       << QStringLiteral("https://admin.shopify.com/store/peak-apparel/products/7");
    QTest::addRow("custom domain") << QByteArrayLiteral("shop.example.com") << qint64(7)
                                   << QStringLiteral("https://shop.example.com/admin/products/7");
    QTest::addRow("no id") << kShop << qint64(0) << QString();
    QTest::addRow("no shop") << QByteArray() << qint64(7) << QString();
    QTest::addRow("a shop that would break the link") << QByteArrayLiteral("evil.com|x>") << qint64(7) << QString();
}

void TestSlack::adminUrl()
{
    QFETCH(QByteArray, shop);
    QFETCH(qint64, productId);
    QFETCH(QString, expected);
    QCOMPARE(shopifyAdminProductUrl(shop, productId), expected);
}

void TestSlack::checkWebhookUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("mentions");

    QTest::addRow("https to Slack") << QStringLiteral("https://hooks.slack.com/services/T/B/X") << true << QString();
    QTest::addRow("http to 127.0.0.1") << QStringLiteral("http://127.0.0.1:1234/x") << true << QString();
    QTest::addRow("http to ::1") << QStringLiteral("http://[::1]:1234/x") << true << QString();
    QTest::addRow("http to localhost") << QStringLiteral("http://localhost:1234/x") << true << QString();
    QTest::addRow("http to Slack") << QStringLiteral("http://hooks.slack.com/services/T0/B0/") + kToken << false
                                   << QStringLiteral("https");
    QTest::addRow("http to a LAN host") << QStringLiteral("http://192.168.1.20/hook") << false
                                        << QStringLiteral("https");
    QTest::addRow("ftp") << QStringLiteral("ftp://hooks.slack.com/services/T0/B0/") + kToken << false
                         << QStringLiteral("ftp://");
    QTest::addRow("empty") << QString() << false << QStringLiteral("No Slack webhook URL");
    QTest::addRow("no scheme") << QStringLiteral("hooks.slack.com/services/T0/B0/") + kToken << false
                               << QStringLiteral("https://");
    QTest::addRow("no host") << QStringLiteral("https:///services/T0/B0/") + kToken << false << QStringLiteral("host");
}

void TestSlack::checkWebhookUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, accepted);
    QFETCH(QString, mentions);

    const Status status = SlackSink::checkWebhookUrl(QUrl(url));
    QCOMPARE(status.ok(), accepted);
    if (!accepted) {
        QVERIFY2(status.error().contains(mentions), qPrintable(status.error()));
        QVERIFY2(!status.error().contains(kToken), qPrintable(status.error()));
    }
}

void TestSlack::redactsSlackUrlInError_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    const QString token = QStringLiteral("Zq8sT1uVw2xYz3AbC4dEf5Gh"); // never registered
    QTest::addRow("Qt's error for a 404")
        << QStringLiteral("Error transferring https://hooks.slack.com/services/T0123ABC/B0456DEF/") % token %
               QStringLiteral(" - server replied: Not Found")
        << QStringLiteral("Error transferring https://hooks.slack.com/services/T0123ABC/B0456DEF/[redacted] - server "
                          "replied: Not Found");
    QTest::addRow("at the end of a sentence")
        << QStringLiteral("Could not post to https://hooks.slack.com/services/T1/B2/") % token % u'.'
        << QStringLiteral("Could not post to https://hooks.slack.com/services/T1/B2/[redacted].");
    QTest::addRow("two URLs") << QStringLiteral("/services/T1/B2/") % token % QStringLiteral(" and /services/T3/B4/") %
                                     token
                              << QStringLiteral("/services/T1/B2/[redacted] and /services/T3/B4/[redacted]");
    QTest::addRow("no URL") << QStringLiteral("Connection refused") << QStringLiteral("Connection refused");
}

void TestSlack::redactsSlackUrlInError()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(redacted(text), expected);
}

void TestSlack::redactsRegisteredSecret()
{
    const QString relay = QStringLiteral("http://127.0.0.1:9/relay?key=s3cr3t-relay-key");
    SlackSink sink(QStringLiteral("slack"), QUrl(relay)); // registers the URL and its query
    QCOMPARE(redacted(QStringLiteral("Error transferring ") % relay % QStringLiteral(" - server replied: Gone")),
             QStringLiteral("Error transferring [redacted] - server replied: Gone"));
    QVERIFY(!redacted(QStringLiteral("query was key=s3cr3t-relay-key")).contains(QLatin1StringView("s3cr3t")));
}

void TestSlack::deliversOneAlert()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());
    QCOMPARE(sink.maxGroup(), 100);
    QCOMPARE(sink.minIntervalMs(), 1000);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Sent sent = sendAndWait(sink, {makeAlert(0, now, AlertRule::SellingOut, QByteArrayLiteral("Fleece Hoodie"))});
    QCOMPARE(sent.finishedCount, 1);
    QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));

    QCOMPARE(server.requests().size(), size_t(1));
    const auto &request = server.requests().front();
    QCOMPARE(request.method, QByteArrayLiteral("POST"));
    QCOMPARE(request.path, SlackTestServer::webhookPath());
    QCOMPARE(request.header("content-type"), QByteArrayLiteral("application/json"));
    QVERIFY(request.answered);
    QVERIFY2(SlackTestServer::payloadProblem(request.body).isEmpty(),
             qPrintable(SlackTestServer::payloadProblem(request.body)));
    const QJsonObject message = request.json();
    QVERIFY(message.value(QLatin1StringView("text")).isString());
    QVERIFY(message.value(QLatin1StringView("blocks")).isArray());
    const QString all = blockTexts(message.value(QLatin1StringView("blocks")).toArray()).join(u'\n');
    QVERIFY2(all.contains(QStringLiteral("<https://admin.shopify.com/store/peak-apparel/products/") %
                          QString::number(kHoodie) % QStringLiteral("|Fleece Hoodie>")),
             qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("*Stock*\n12")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("<!date^") % QString::number((now + 23 * kMinute) / 1000)), qPrintable(all));
    QVERIFY2(all.contains(QLatin1StringView("(in 23 min)")), qPrintable(all));
}

void TestSlack::manyAlertsInOneMessage()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());

    const Sent sent = sendAndWait(sink, makeAlerts(150, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));
    QCOMPARE(server.requests().size(), size_t(1));
    const QJsonObject message = server.requests().front().json();
    QVERIFY(message.value(QLatin1StringView("blocks")).toArray().size() <= kSlackMaxBlocks);
    QCOMPARE(alertsAccountedFor(message), qsizetype(150));
    QVERIFY2(headerText(message).contains(QLatin1StringView("150 products need attention")),
             qPrintable(headerText(message)));
    QVERIFY(message.value(QLatin1StringView("text")).toString().startsWith(QLatin1StringView("150 products")));
}

void TestSlack::answers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("mentions");

    const int retry = int(SendOutcome::Kind::Retry);
    const int failed = int(SendOutcome::Kind::Failed);
    QTest::addRow("429 with Retry-After: 2") << 429 << QByteArrayLiteral("rate_limited") << QByteArrayLiteral("2")
                                             << retry << qint64(2000) << QStringLiteral("rate_limited");
    QTest::addRow("429 without Retry-After waits 1 s") << 429 << QByteArrayLiteral("rate_limited") << QByteArray()
                                                       << retry << qint64(1000) << QStringLiteral("rate_limited");
    QTest::addRow("500") << 500 << QByteArrayLiteral("internal_error") << QByteArray() << retry << qint64(0)
                         << QStringLiteral("500");
    QTest::addRow("503 with an HTML page")
        << 503 << QByteArrayLiteral("<html>down</html>") << QByteArray() << retry << qint64(0) << QStringLiteral("503");
    QTest::addRow("200 without ok") << 200 << QByteArrayLiteral("<html>portal</html>") << QByteArray() << retry
                                    << qint64(0) << QStringLiteral("200");
    QTest::addRow("400 invalid_payload") << 400 << QByteArrayLiteral("invalid_payload") << QByteArray() << failed
                                         << qint64(0) << QStringLiteral("(invalid_payload)");
    QTest::addRow("403 action_prohibited") << 403 << QByteArrayLiteral("action_prohibited") << QByteArray() << failed
                                           << qint64(0) << QStringLiteral("(action_prohibited)");
    QTest::addRow("404 channel_not_found") << 404 << QByteArrayLiteral("channel_not_found") << QByteArray() << failed
                                           << qint64(0) << QStringLiteral("(channel_not_found)");
    QTest::addRow("404 no_service") << 404 << QByteArrayLiteral("no_service") << QByteArray() << failed << qint64(0)
                                    << QStringLiteral("Slack: the webhook was removed (no_service): create a new "
                                                      "incoming webhook and enter its URL");
    QTest::addRow("410 channel_is_archived") << 410 << QByteArrayLiteral("channel_is_archived") << QByteArray()
                                             << failed << qint64(0) << QStringLiteral("(channel_is_archived)");
    QTest::addRow("418 with a body that is not a code") << 418 << QByteArrayLiteral("I'm a teapot\n<b>") << QByteArray()
                                                        << failed << qint64(0) << QStringLiteral("(HTTP 418)");
}

void TestSlack::answers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, kind);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, mentions);

    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    SlackAnswer answer = SlackAnswer::error(status, body);
    if (!retryAfter.isEmpty())
        answer.headers.append({QByteArrayLiteral("Retry-After"), retryAfter});
    server.enqueue(answer);
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());

    const Sent sent = sendAndWait(sink, makeAlerts(3, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(int(sent.outcome.kind), kind);
    QCOMPARE(sent.outcome.retryAfterMs, retryAfterMs);
    QVERIFY2(sent.outcome.error.contains(mentions), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(kToken), qPrintable(sent.outcome.error));
    QCOMPARE(server.requests().size(), size_t(1));

    // The same, without the network.
    const SendOutcome pure = SlackSink::outcomeForAnswer(status, body, retryAfter);
    QCOMPARE(int(pure.kind), kind);
    QCOMPARE(pure.retryAfterMs, retryAfterMs);
}

Q_DECLARE_METATYPE(SlackAnswer)

void TestSlack::botAnswers_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("token");
    QTest::addColumn<std::optional<SlackAnswer>>("scripted");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("mentions");
    const QString channel = QString::fromLatin1(SlackTestServer::kBotChannel);
    const QString token = QString::fromLatin1(SlackTestServer::kBotToken);
    const int delivered = int(SendOutcome::Kind::Delivered), retry = int(SendOutcome::Kind::Retry),
              failed = int(SendOutcome::Kind::Failed);
    const std::optional<SlackAnswer> none;
    QTest::addRow("posted: ok, with the message's ts") << channel << token << none << delivered << 0LL << QString();
    QTest::addRow("posted to the channel by its name")
        << QStringLiteral("#alerts") << token << none << delivered << 0LL << QString();
    QTest::addRow("a token Slack does not know: invalid_auth")
        << channel << QStringLiteral("xoxb-1-2-revokedrevokedrevoked") << none << failed << 0LL
        << QStringLiteral("the bot's token is not valid (invalid_auth)");
    QTest::addRow("a channel the bot is not in: not_in_channel")
        << QString::fromLatin1(SlackTestServer::kOtherChannel) << token << none << failed << 0LL
        << QStringLiteral("invite the app to the channel");
    QTest::addRow("no such channel: channel_not_found")
        << QStringLiteral("C0NOSUCHCHANNEL") << token << none << failed << 0LL << QStringLiteral("channel_not_found");
    QTest::addRow("rate limited: 429 with Retry-After")
        << channel << token << std::optional(SlackAnswer::apiRateLimited(3)) << retry << 3000LL
        << QStringLiteral("too many messages (ratelimited)");
    QTest::addRow("Slack's internal error is retried")
        << channel << token << std::optional(SlackAnswer::apiError("internal_error")) << retry << 0LL
        << QStringLiteral("internal_error");
    QTest::addRow("an archived channel: is_archived")
        << channel << token << std::optional(SlackAnswer::apiError("is_archived")) << failed << 0LL
        << QStringLiteral("the channel is archived");
    QTest::addRow("a server error: 503") << channel << token << std::optional(SlackAnswer::error(503, "{}")) << retry
                                         << 0LL << QStringLiteral("HTTP 503");
}

// chat.postMessage as Slack answers a bot, through the test server: what is delivered (with the ts that starts the
// episode's thread), retried or refused for good with words a person can act on; the token never shows.
void TestSlack::botAnswers()
{
    QFETCH(QString, channel);
    QFETCH(QString, token);
    QFETCH(std::optional<SlackAnswer>, scripted);
    QFETCH(int, kind);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, mentions);

    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    if (scripted)
        server.enqueue(*scripted);
    SlackBotSink sink(QStringLiteral("slack"), SlackBot{channel, token, server.apiUrl()});
    std::vector<Alert> alerts = makeAlerts(2, QDateTime::currentMSecsSinceEpoch());
    alerts[0].episode = "episode-0";
    alerts[1].episode = "episode-1";
    const Sent sent = sendAndWait(sink, alerts);
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(int(sent.outcome.kind), kind);
    QCOMPARE(sent.outcome.retryAfterMs, retryAfterMs);
    QVERIFY2(sent.outcome.error.contains(mentions), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(token), qPrintable(sent.outcome.error));
    QCOMPARE(server.requests().size(), size_t(1));
    const test::SlackRequest &request = server.requests().front();
    QCOMPARE(request.path, QByteArray("/api/chat.postMessage"));
    QCOMPARE(request.header("Authorization"), QByteArrayLiteral("Bearer ") + token.toUtf8());
    QCOMPARE(request.json().value(QStringLiteral("channel")).toString(), channel);
    QVERIFY(!request.json().contains(QStringLiteral("thread_ts"))); // a first message goes to the channel
    if (kind == int(SendOutcome::Kind::Delivered)) {
        // One message for both episodes: it starts the thread of each.
        QVERIFY(!request.postedTs.isEmpty());
        const QByteArray reference = channel.toUtf8() + ' ' + request.postedTs;
        QCOMPARE(sent.outcome.threadsStarted,
                 (std::vector<std::pair<QByteArray, QByteArray>>{{"episode-0", reference}, {"episode-1", reference}}));
    } else {
        QVERIFY(sent.outcome.threadsStarted.empty());
        QVERIFY(sent.outcome.arrived.empty());
    }
}

// Follow-ups whose episode has a thread in this channel are replies to it, one reply per thread, after the
// message for the episodes without one; a sold-out reply is shown in the channel too. A thread in another
// channel is not used. More threads than kMaxThreadedReplies in one group: one message to the channel.
void TestSlack::botRepliesInTheEpisodesThread()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QString channel = QString::fromLatin1(SlackTestServer::kBotChannel);
    SlackBotSink sink(QStringLiteral("slack"),
                      SlackBot{channel, QString::fromLatin1(SlackTestServer::kBotToken), server.apiUrl()});
    sink.setPostIntervalMs(50);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<Alert> alerts = makeAlerts(4, now);
    for (size_t i = 0; i < alerts.size(); ++i)
        alerts[i].episode = "episode-" + QByteArray::number(qulonglong(i));
    alerts[1].threadReference = channel.toUtf8() + " 1795755600.000001"; // a low-stock follow-up
    alerts[1].rule = AlertRule::LowStock;
    alerts[2].threadReference = channel.toUtf8() + " 1795755600.000002"; // sold out
    alerts[2].rule = AlertRule::SoldOut;
    alerts[3].threadReference = "C0ELSEWHERE 1795755600.000003"; // a thread in a channel no longer used
    Sent sent = sendAndWait(sink, alerts);
    QCOMPARE(int(sent.outcome.kind), int(SendOutcome::Kind::Delivered));
    const auto &requests = server.requests();
    QCOMPARE(requests.size(), size_t(3));
    QVERIFY(!requests[0].json().contains(QStringLiteral("thread_ts")));
    QVERIFY2(requests[0].body.contains("Fleece Hoodie 0") && requests[0].body.contains("Fleece Hoodie 3"),
             requests[0].body.constData());
    QCOMPARE(requests[1].json().value(QStringLiteral("thread_ts")).toString(), QStringLiteral("1795755600.000001"));
    QVERIFY(!requests[1].json().contains(QStringLiteral("reply_broadcast")));
    QCOMPARE(requests[2].json().value(QStringLiteral("thread_ts")).toString(), QStringLiteral("1795755600.000002"));
    QCOMPARE(requests[2].json().value(QStringLiteral("reply_broadcast")).toBool(), true);
    QVERIFY(requests[2].receivedAtMs - requests[1].receivedAtMs >= 40);
    // The channel message started the threads of its episodes, the one elsewhere included.
    const QByteArray reference = channel.toUtf8() + ' ' + requests[0].postedTs;
    QCOMPARE(sent.outcome.threadsStarted,
             (std::vector<std::pair<QByteArray, QByteArray>>{{"episode-0", reference}, {"episode-3", reference}}));

    // A burst of follow-ups in more threads than kMaxThreadedReplies: one message to the channel.
    std::vector<Alert> burst = makeAlerts(SlackBotSink::kMaxThreadedReplies + 1, now);
    for (size_t i = 0; i < burst.size(); ++i) {
        burst[i].episode = "burst-" + QByteArray::number(qulonglong(i));
        burst[i].threadReference = channel.toUtf8() + " 1795755700.00000" + QByteArray::number(qulonglong(i));
    }
    sent = sendAndWait(sink, burst);
    QCOMPARE(int(sent.outcome.kind), int(SendOutcome::Kind::Delivered));
    QCOMPARE(requests.size(), size_t(4));
    QVERIFY(!requests[3].json().contains(QStringLiteral("thread_ts")));

    // A refusal half way: what was posted arrived, and its threads are kept.
    server.enqueue(SlackAnswer::ok());
    server.enqueue(SlackAnswer::apiError("is_archived"));
    sent = sendAndWait(sink, alerts);
    QCOMPARE(int(sent.outcome.kind), int(SendOutcome::Kind::Failed));
    QCOMPARE(sent.outcome.arrived, (std::vector<QByteArray>{alerts[0].id, alerts[3].id}));
    QCOMPARE(sent.outcome.threadsStarted.size(), size_t(2));
}

void TestSlack::slowAnswerIsDeliveredOnce()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(SlackAnswer::ok(2000));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());

    QElapsedTimer clock;
    clock.start();
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(clock.elapsed() >= 1900);
    QCOMPARE(sent.finishedCount, 1);
    QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));
    QTest::qWait(300);
    QCOMPARE(server.requests().size(), size_t(1));
    QVERIFY(server.requests().front().answered);
}

void TestSlack::noAnswerIsRetriedAfterTimeout()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setDefaultAnswer(SlackAnswer::never());
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());
    QCOMPARE(sink.timeoutMs(), 15'000);
    sink.setTimeoutMs(500);

    QElapsedTimer clock;
    clock.start();
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(clock.elapsed() >= 450);
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QCOMPARE(sent.outcome.retryAfterMs, qint64(0));
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("no answer within 0.5 s")), qPrintable(sent.outcome.error));
    QCOMPARE(server.requests().size(), size_t(1));
    // The sink gave up on the connection: the server sees its client go.
    QTRY_VERIFY(server.requests().front().clientGone);
    QVERIFY(!server.requests().front().answered);
}

void TestSlack::connectionRefusedIsRetried()
{
    const QUrl url(QStringLiteral("http://127.0.0.1:") % QString::number(freePort()) %
                   QString::fromLatin1(SlackTestServer::webhookPath()));
    SlackSink sink(QStringLiteral("slack"), url);
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QCOMPARE(sent.outcome.retryAfterMs, qint64(0));
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("could not be reached")), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(kToken), qPrintable(sent.outcome.error));
}

void TestSlack::droppedConnectionIsRetried()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setDefaultAnswer(SlackAnswer::dropped(100));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("could not be reached")), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(kToken), qPrintable(sent.outcome.error));
    QVERIFY(!server.requests().empty());
    for (const auto &request : server.requests())
        QVERIFY(request.dropped && !request.answered);
}

// QNetworkAccessManager sends a request again, by itself, when the connection closes before any of the answer
// has come (even a POST): Slack may then post a message twice. Pinned here so that a change is noticed.
void TestSlack::droppedOnceIsResentByQt()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(SlackAnswer::dropped(100));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));
    QCOMPARE(server.requests().size(), size_t(2));
    QVERIFY(server.requests()[0].dropped);
    QCOMPARE(server.requests()[1].body, server.requests()[0].body);
    QVERIFY(server.requests()[1].answered);
}

void TestSlack::sendsReuseTheConnection()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(SlackAnswer::error(500, QByteArrayLiteral("internal_error")));
    SlackSink sink(QStringLiteral("slack"), server.webhookUrl());

    const Sent first = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(first.outcome.kind, SendOutcome::Kind::Retry);
    const Sent second = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QVERIFY2(second.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(second.outcome.error));
    QCOMPARE(server.requests().size(), size_t(2));
    QCOMPARE(server.requests()[0].connection, server.requests()[1].connection); // keep-alive
    QCOMPARE(server.requests()[0].status, 500);
    QCOMPARE(server.requests()[1].status, 200);
    QVERIFY(server.requests()[1].receivedAtMs >= server.requests()[0].answeredAtMs);
}

void TestSlack::refusedUrlFailsWithoutRequest()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    // Plain http to a host that is not this machine: the token would cross the network unencrypted.
    SlackSink sink(QStringLiteral("slack"), QUrl(QStringLiteral("http://hooks.slack.com/services/T0/B0/") + kToken));
    const Sent sent = sendAndWait(sink, makeAlerts(1, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Failed);
    QVERIFY2(sent.outcome.error.contains(QLatin1StringView("https")), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(kToken), qPrintable(sent.outcome.error));
    QCOMPARE(server.connectionCount(), 0);
}

void TestSlack::logsNeverShowTheToken()
{
    QLoggingCategory::setFilterRules(QStringLiteral("peakwatch.alerts=true"));
    g_log.clear();
    g_previousHandler = qInstallMessageHandler(capturingHandler);
    {
        SlackTestServer server;
        QVERIFY2(server.listen(), qPrintable(server.errorString()));
        server.enqueue(SlackAnswer::error(404, QByteArrayLiteral("no_service")));
        server.enqueue(SlackAnswer::never());
        SlackSink sink(QStringLiteral("slack"), server.webhookUrl());
        sink.setTimeoutMs(300);
        QCOMPARE(sendAndWait(sink, makeAlerts(1, kNowMs)).outcome.kind, SendOutcome::Kind::Failed);
        QCOMPARE(sendAndWait(sink, makeAlerts(1, kNowMs)).outcome.kind, SendOutcome::Kind::Retry);
        QCOMPARE(sendAndWait(sink, makeAlerts(1, kNowMs)).outcome.kind, SendOutcome::Kind::Delivered);

        SlackSink refused(QStringLiteral("slack"),
                          QUrl(QStringLiteral("http://127.0.0.1:") % QString::number(freePort()) %
                               QString::fromLatin1(SlackTestServer::webhookPath())));
        QCOMPARE(sendAndWait(refused, makeAlerts(1, kNowMs)).outcome.kind, SendOutcome::Kind::Retry);
    }
    qInstallMessageHandler(g_previousHandler);
    QLoggingCategory::setFilterRules(QString());

    QVERIFY2(g_log.size() >= 4, qPrintable(g_log.join(u'\n'))); // a line per send at least
    for (const QString &line : std::as_const(g_log))
        QVERIFY2(!line.contains(kToken), qPrintable(line));
    QVERIFY2(g_log.join(u'\n').contains(QLatin1StringView("/services/T0TEST/B0TEST/")),
             qPrintable(g_log.join(u'\n'))); // the URL is named, without its token
}

void TestSlack::serverAnswersPipelinedRequestsInOrder()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(SlackAnswer::ok(300)); // the first is slower: the second must still come after it
    server.enqueue(SlackAnswer::error(410, QByteArrayLiteral("channel_is_archived")));

    const QByteArray body = QByteArrayLiteral("{\"text\":\"hello\"}");
    const QByteArray request = "POST " + SlackTestServer::webhookPath() +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                               QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(request + request);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).endsWith("channel_is_archived"), 5000);
    QCOMPARE(received.count("HTTP/1.1 "), 2);
    QVERIFY2(received.startsWith("HTTP/1.1 200 OK\r\n"), received.constData());
    QVERIFY2(received.contains("\r\n\r\nokHTTP/1.1 410 Gone\r\n"), received.constData());

    QCOMPARE(server.requests().size(), size_t(2));
    QCOMPARE(server.requests()[0].connection, server.requests()[1].connection);
    QCOMPARE(server.requests()[1].body, body);
    QVERIFY(server.requests()[0].answered && server.requests()[1].answered);
    QCOMPARE(server.connectionCount(), 1);
}

void TestSlack::serverRecordsClientThatLeaves()
{
    SlackTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(SlackAnswer::ok(1000));
    QSignalSpy settled(&server, &SlackTestServer::requestSettled);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST " + SlackTestServer::webhookPath() +
                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                 "{\"text\":\"hi\"}");
    QVERIFY(server.waitForRequests(1));
    socket.abort();
    QTRY_VERIFY(server.requests().front().clientGone);
    QVERIFY(!server.requests().front().answered);
    QCOMPARE(settled.size(), 1);
    QTest::qWait(1200); // past the answer's delay: nothing is written to a connection that is gone
    QCOMPARE(server.answeredCount(), qsizetype(0));
    QCOMPARE(settled.size(), 1);
}

QTEST_GUILESS_MAIN(TestSlack)
#include "tst_slack.moc"
