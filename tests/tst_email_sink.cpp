// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// E-mail delivery of alerts: the message (headers, both parts, encodings, escaping, line lengths, a stable
// Message-ID), the SMTP URL check, how libcurl's results are taken, and the sink through the real outbox and
// dispatcher against a real SMTP server on loopback (tests/smtp_test_server.py, with Debian's python3-aiosmtpd),
// which reads every message with Python's email module: delivery, non-ASCII titles, a refused password, a
// recipient deferred (451) and refused (550), and a digest that gathers alerts into one message.
#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "email_message.h"
#include "email_recipients.h"
#include "email_sink.h"
#include "shopify_admin.h"
#include "smtp_test_server.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <curl/curl.h> // the CURLcode values outcomeFor() takes

#include <memory>
#include <vector>

using namespace peakwatch;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kNowMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z
constexpr qint64 kHoodie = 8841726390317;
const QByteArray kShop = QByteArrayLiteral("northwind-apparel.myshopify.com");
using smtp_test::kPassword;
using smtp_test::kUser;
using smtp_test::pythonInterpreter;
using smtp_test::SmtpServer;
const QString kFrom = QStringLiteral("Peakwatch <alerts@northwind.example>");
const QString kTo = QStringLiteral("store-team@northwind.example");

Alert makeAlert(int i, AlertRule rule = AlertRule::SellingOut, QByteArray title = {}, qint64 nowMs = kNowMs)
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
    alert.selloutEarliestMs = nowMs + 15 * kMinute;
    alert.selloutLatestMs = nowMs + 40 * kMinute;
    alert.atMs = nowMs;
    alert.episode = QByteArrayLiteral("episode-") + QByteArray::number(i); // each product's own
    // The engine always words one; the outbox does not record an alert without it.
    alert.message = QString::fromUtf8(alert.title) + QStringLiteral(" will sell out in about 23 min");
    return alert;
}

QString utcText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm")) %
           QStringLiteral(" UTC");
}

QByteArray quotedPrintableDecoded(const QByteArray &encoded)
{
    QByteArray out;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded.at(i);
        if (c != '=') {
            out += c;
        } else if (encoded.mid(i + 1, 2) == "\r\n") {
            i += 2; // a soft line break
        } else {
            bool ok = false;
            const int value = encoded.mid(i + 1, 2).toInt(&ok, 16);
            if (!ok) { // not an escape (a boundary's "=_"): as it is
                out += c;
                continue;
            }
            out += char(value);
            i += 2;
        }
    }
    return out.replace("\r\n", "\n");
}

QList<QByteArray> crlfLines(const QByteArray &message)
{
    QList<QByteArray> lines = message.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// Every line ends in CRLF, holds only ASCII and at most 998 octets: what RFC 5322 asks of a message.
QString lineProblem(const QByteArray &message)
{
    if (!message.endsWith("\r\n"))
        return QStringLiteral("the message does not end in CRLF");
    const QList<QByteArray> lines = crlfLines(message);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (!line.endsWith('\r'))
            return QStringLiteral("line %1 ends in a bare LF").arg(i + 1);
        if (line.size() - 1 > kEmailMaxLineOctets)
            return QStringLiteral("line %1 has %2 octets").arg(i + 1).arg(line.size() - 1);
        for (const char c : line)
            if (uchar(c) >= 0x80 || c == 0)
                return QStringLiteral("line %1 holds a byte beyond ASCII").arg(i + 1);
        if (line.chopped(1).contains('\r'))
            return QStringLiteral("line %1 holds a bare CR").arg(i + 1);
    }
    return {};
}

// Records the alerts and sends them on; says why when the outbox could not record them.
bool submitted(AlertDispatcher &dispatcher, const std::vector<Alert> &alerts)
{
    const auto added = dispatcher.submit(alerts);
    if (!added)
        qWarning("%s", qPrintable(added.error()));
    return added.ok();
}

QString header(const QJsonObject &message, const char *name)
{
    return message.value(QLatin1StringView("headers")).toObject().value(QLatin1StringView(name)).toString();
}

QString text(const QJsonObject &message)
{
    return message.value(QLatin1StringView("text")).toString();
}

QString html(const QJsonObject &message)
{
    return message.value(QLatin1StringView("html")).toString();
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

class TestEmailSink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // The message, pure.
    void subject_data();
    void subject();
    void messageIsWellFormed_data();
    void messageIsWellFormed();
    void messageIdIsStable();
    void threadReferenceRoundTrips();
    void followUpAnswersTheFirstMessage();
    void quotedPrintable_data();
    void quotedPrintable();
    void encodedHeaderValue_data();
    void encodedHeaderValue();
    void checkMailbox_data();
    void checkMailbox();

    // The URL and libcurl's results.
    void checkSmtpUrl_data();
    void checkSmtpUrl();
    void outcomeFor_data();
    void outcomeFor();
    void groupsAndIntervals();
    void shopRecipients_data();
    void shopRecipients();
    void routesSendEachShopToItsOwn();

    // Against the SMTP server, through the outbox and the dispatcher.
    void deliversOneAlert();
    void nonAsciiTitlesAreDecoded();
    void wrongPasswordFailsWithoutShowingIt();
    void deferredRecipientIsRetriedThenDeliveredOnce();
    void aGroupIsOneMessagePerEpisodeOverOneConnection();
    void episodeFollowUpsThreadUnderItsFirstMessage();
    void aDeferredMessageKeepsTheOnesBeforeItDelivered();
    void eachShopsAlertsGoToItsOwnAddresses();
    void rejectedRecipientFailsWithTheServersWords();
    void digestGathersAlertsIntoOneMessage();
    void unreachableServerIsRetried();
    void destructorStopsASendInFlight();

private:
    QTemporaryDir m_dir;
};

void TestEmailSink::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QProcess probe;
    probe.start(pythonInterpreter(), {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")});
    QVERIFY2(probe.waitForFinished(20'000) && probe.exitCode() == 0,
             "Python's aiosmtpd is missing: install the Debian package python3-aiosmtpd");
}

void TestEmailSink::subject_data()
{
    QTest::addColumn<std::vector<Alert>>("alerts");
    QTest::addColumn<QString>("expected");

    QTest::addRow("one alert selling out")
        << std::vector<Alert>{makeAlert(0, AlertRule::SellingOut, "Fleece Hoodie")}
        << QStringLiteral("Peakwatch: Fleece Hoodie is selling out (northwind-apparel.myshopify.com)");
    QTest::addRow("one alert sold out") << std::vector<Alert>{makeAlert(0, AlertRule::SoldOut, "Beanie")}
                                        << QStringLiteral(
                                               "Peakwatch: Beanie is sold out (northwind-apparel.myshopify.com)");
    QTest::addRow("several, counted by rule, the most urgent first")
        << std::vector<Alert>{makeAlert(0, AlertRule::SellingOut), makeAlert(1, AlertRule::SoldOut),
                              makeAlert(2, AlertRule::SellingOut), makeAlert(3, AlertRule::SoldOut),
                              makeAlert(4, AlertRule::SellingOut)}
        << QStringLiteral("Peakwatch: 5 alerts — 2 sold out, 3 selling out");
    QTest::addRow("all four rules")
        << std::vector<Alert>{makeAlert(0, AlertRule::Restocked), makeAlert(1, AlertRule::LowStock),
                              makeAlert(2, AlertRule::SoldOut), makeAlert(3, AlertRule::SellingOut)}
        << QStringLiteral("Peakwatch: 4 alerts — 1 sold out, 1 selling out, 1 low on stock, 1 restocked");
    QTest::addRow("a long title is cut") << std::vector<Alert>{makeAlert(0, AlertRule::LowStock, QByteArray(300, 'x'))}
                                         << QStringLiteral("Peakwatch: ") % QString(79, u'x') %
                                                QStringLiteral("… is low on stock (") % QString::fromLatin1(kShop) %
                                                u')';
}

void TestEmailSink::subject()
{
    QFETCH(std::vector<Alert>, alerts);
    QFETCH(QString, expected);
    QCOMPARE(emailSubject(alerts), expected);
}

void TestEmailSink::messageIsWellFormed_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArray>("title");

    QTest::addRow("one alert") << 1 << QByteArray();
    QTest::addRow("50 alerts") << 50 << QByteArray();
    QTest::addRow("500 alerts with long non-ASCII titles")
        << 500 << QString(QStringLiteral("Größe ü ") + QString(250, u'é')).toUtf8();
    QTest::addRow("a title with markup and no spaces") << 3 << QByteArray(255, '<');
}

void TestEmailSink::messageIsWellFormed()
{
    QFETCH(int, count);
    QFETCH(QByteArray, title);

    std::vector<Alert> alerts;
    for (int i = 0; i < count; ++i)
        alerts.push_back(makeAlert(i, AlertRule::SellingOut, title));
    const QByteArray message =
        emailMessage(alerts, kFrom, {kTo, QStringLiteral("Ops <ops@northwind.example>")}, kNowMs);
    QVERIFY2(lineProblem(message).isEmpty(), qPrintable(lineProblem(message)));

    const qsizetype bodyStart = message.indexOf("\r\n\r\n");
    QVERIFY(bodyStart > 0);
    const QByteArray headers = message.left(bodyStart + 2);
    for (const char *name : {"From: ", "To: ", "Subject: ", "Date: ", "Message-ID: <peakwatch.", "MIME-Version: 1.0",
                             "Content-Type: multipart/alternative;", "Auto-Submitted: auto-generated"})
        QVERIFY2(headers.startsWith(name) || headers.contains(QByteArray(QByteArray("\r\n") + name)), name);
    QVERIFY2(headers.contains("Date: Fri, 27 Nov 2026 05:00:00 +0000\r\n"), headers.constData());
    QVERIFY(headers.contains("From: Peakwatch <alerts@northwind.example>\r\n"));
    QVERIFY(headers.contains("store-team@northwind.example,"));
    QVERIFY(headers.contains("Ops <ops@northwind.example>\r\n"));
    // Both parts, in quoted-printable, whose lines stay within 76 octets.
    QCOMPARE(message.count("Content-Type: text/plain; charset=utf-8\r\n"), 1);
    QCOMPARE(message.count("Content-Type: text/html; charset=utf-8\r\n"), 1);
    QCOMPARE(message.count("Content-Transfer-Encoding: quoted-printable\r\n"), 2);
    for (const QByteArray &line : crlfLines(message.mid(bodyStart + 4)))
        QVERIFY2(line.size() - 1 <= kEmailEncodedLineOctets, line.constData());
    // Every alert is in it, once in each part (its admin link).
    const QByteArray decoded = quotedPrintableDecoded(message.mid(bodyStart + 4));
    for (int i = 0; i < count; ++i) {
        const QByteArray url = shopifyAdminProductUrl(kShop, kHoodie + i).toUtf8();
        QCOMPARE(decoded.count(QByteArray("In the Shopify admin: " + url + '\n')), 1);
        QCOMPARE(decoded.count(QByteArray("<a href=\"" + url + "\">" + url + "</a>")), 1);
    }
    // Markup in a title is text in the HTML part.
    const QByteArray page = decoded.mid(decoded.indexOf("<!DOCTYPE html>"));
    QVERIFY(page.startsWith("<!DOCTYPE html>"));
    QVERIFY(!page.contains("<<"));
    QCOMPARE(page.count("<h3>"), qsizetype(count));
}

void TestEmailSink::messageIdIsStable()
{
    const std::vector<Alert> alerts{makeAlert(1), makeAlert(2), makeAlert(3)};
    const std::vector<Alert> reversed{alerts.rbegin(), alerts.rend()};
    const QByteArray id = emailMessageId(alerts, kFrom);
    QVERIFY2(id.startsWith("<peakwatch.") && id.endsWith("@northwind.example>"), id.constData());
    QCOMPARE(emailMessageId(reversed, kFrom), id);
    QVERIFY(emailMessageId({makeAlert(1), makeAlert(2)}, kFrom) != id);
    // The same group sent again later is the same message.
    const QByteArray first = emailMessage(alerts, kFrom, {kTo}, kNowMs);
    const QByteArray again = emailMessage(reversed, kFrom, {kTo}, kNowMs + 5 * kMinute);
    QVERIFY(first.contains(QByteArray("Message-ID: " + id + "\r\n")));
    QVERIFY(again.contains(QByteArray("Message-ID: " + id + "\r\n")));
}

void TestEmailSink::threadReferenceRoundTrips()
{
    const EmailThread thread{QByteArrayLiteral("<peakwatch.0f3c@northwind.example>"),
                             QStringLiteral("Peakwatch: Fleece Hoodie — Größe M is selling out (northwind)")};
    const EmailThread back = emailThreadFromReference(emailThreadReference(thread));
    QVERIFY(back.isFollowUp());
    QCOMPARE(back.firstMessageId, thread.firstMessageId);
    QCOMPARE(back.firstSubject, thread.firstSubject);
    // Anything else is no thread: the message then starts one.
    for (const QByteArray &other :
         {QByteArray(), QByteArray("C0123 1795755600.000100"), QByteArray("<a@b>"), QByteArray("peakwatch@x subject"),
          QByteArray("<a b@c> subject"), QByteArray("<no-at-sign> subject"), QByteArray("<a\r\n@b> subject")})
        QVERIFY2(!emailThreadFromReference(other).isFollowUp(), other.constData());
}

void TestEmailSink::followUpAnswersTheFirstMessage()
{
    const Alert first = makeAlert(1);
    const QString firstSubject = emailSubject({first});
    const QByteArray firstId = emailMessageId({first}, kFrom);
    Alert soldOut = makeAlert(1, AlertRule::SoldOut);
    soldOut.id = QByteArrayLiteral("alert-1-sold-out");
    soldOut.thread = Alert::Thread{2, AlertRule::SellingOut, kNowMs};
    const QByteArray message = emailMessage({soldOut}, kFrom, {kTo}, kNowMs + 20 * kMinute, {firstId, firstSubject});
    QCOMPARE(lineProblem(message), QString());
    QVERIFY(message.contains(QByteArray("\r\nIn-Reply-To: " + firstId + "\r\n")));
    QVERIFY(message.contains(QByteArray("\r\nReferences: " + firstId + "\r\n")));
    QVERIFY(message.contains("\r\nSubject: Re: Peakwatch: Fleece Hoodie 1 is selling out\r\n"
                             " (northwind-apparel.myshopify.com)\r\n"));
    // Its own Message-ID, not the first's.
    QVERIFY(message.contains(QByteArray("\r\nMessage-ID: " + emailMessageId({soldOut}, kFrom) + "\r\n")));
    QVERIFY(emailMessageId({soldOut}, kFrom) != firstId);
    // A message that starts a thread, and a digest, answer nothing.
    for (const QByteArray &other :
         {emailMessage({first}, kFrom, {kTo}, kNowMs), emailMessage({first, makeAlert(2)}, kFrom, {kTo}, kNowMs)}) {
        QVERIFY(!other.contains("In-Reply-To:"));
        QVERIFY(!other.contains("References:"));
    }
}

void TestEmailSink::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::addRow("plain ASCII") << QByteArray("Stock: 12\nRate: 42 units/hour\n");
    QTest::addRow("an equals sign and a trailing space") << QByteArray("a = b \nc\t\n");
    QTest::addRow("UTF-8") << QStringLiteral("Größe — 🧥 à capuche").toUtf8();
    QTest::addRow("a long line") << QByteArray(500, 'x');
    QTest::addRow("a long line of escapes") << QByteArray(301, '=');
    QTest::addRow("a long line of non-ASCII") << QString(200, u'é').toUtf8();
    QTest::addRow("spaces at a soft break") << QByteArray(74, 'x') + QByteArray(10, ' ') + "y";
    QTest::addRow("a line of dots") << QByteArray(".\n..\n.x\n");
}

void TestEmailSink::quotedPrintable()
{
    QFETCH(QByteArray, text);
    const QByteArray encoded = peakwatch::quotedPrintable(text);
    for (const QByteArray &line : encoded.split('\n')) {
        const QByteArray bare = line.endsWith('\r') ? line.chopped(1) : line;
        QVERIFY2(bare.size() <= kEmailEncodedLineOctets, bare.constData());
        QVERIFY2(!bare.endsWith(' ') && !bare.endsWith('\t'), bare.constData());
        for (const char c : bare)
            QVERIFY(uchar(c) < 0x80);
    }
    QCOMPARE(quotedPrintableDecoded(encoded), text);
}

void TestEmailSink::encodedHeaderValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("encoded");

    QTest::addRow("short ASCII") << QStringLiteral("Peakwatch: Beanie is sold out") << false;
    QTest::addRow("long ASCII, folded") << QStringLiteral("Peakwatch: ") + QStringLiteral("word ").repeated(40)
                                        << false;
    QTest::addRow("non-ASCII") << QStringLiteral("Peakwatch: 5 alerts — 2 sold out, 3 selling out") << true;
    QTest::addRow("long non-ASCII with emoji") << QStringLiteral("Sweat à capuche 🧥 ").repeated(8) << true;
    QTest::addRow("text that looks encoded") << QStringLiteral("=?UTF-8?B?AAAA?=") << true;
}

void TestEmailSink::encodedHeaderValue()
{
    QFETCH(QString, value);
    QFETCH(bool, encoded);

    const QByteArray header = "Subject: " + peakwatch::encodedHeaderValue(value, 9);
    QCOMPARE(header.contains("=?UTF-8?B?"), encoded);
    for (const QByteArray &line : header.split('\n'))
        QVERIFY2(line.trimmed().size() <= 78, line.constData());
    // Unfolded and decoded, it is the value.
    QString decoded;
    if (encoded) {
        QByteArray utf8;
        for (QByteArray word : header.mid(9).split('\n')) {
            word = word.trimmed();
            QVERIFY2(word.startsWith("=?UTF-8?B?") && word.endsWith("?=") && word.size() <= 75, word.constData());
            const QByteArray chunk = QByteArray::fromBase64(word.mid(10, word.size() - 12));
            QVERIFY2(QString::fromUtf8(chunk).toUtf8() == chunk, "an encoded-word ends inside a character");
            utf8 += chunk;
        }
        decoded = QString::fromUtf8(utf8);
    } else {
        decoded = QString::fromLatin1(header.mid(9)).remove(QStringLiteral("\r\n"));
    }
    QCOMPARE(decoded, value.simplified());
}

void TestEmailSink::checkMailbox_data()
{
    QTest::addColumn<QString>("mailbox");
    QTest::addColumn<QString>("address"); // empty when refused

    QTest::addRow("an address") << QStringLiteral("alerts@example.com") << QStringLiteral("alerts@example.com");
    QTest::addRow("a name and an address")
        << QStringLiteral("Peakwatch <alerts@example.com>") << QStringLiteral("alerts@example.com");
    QTest::addRow("a quoted name") << QStringLiteral("\"Peak, watch\" <alerts@example.com>")
                                   << QStringLiteral("alerts@example.com");
    QTest::addRow("a line break: a header injected")
        << QStringLiteral("a@example.com\r\nBcc: b@example.com") << QString();
    QTest::addRow("no domain") << QStringLiteral("alerts") << QString();
    QTest::addRow("two at signs") << QStringLiteral("a@b@example.com") << QString();
    QTest::addRow("empty") << QString() << QString();
}

void TestEmailSink::checkMailbox()
{
    QFETCH(QString, mailbox);
    QFETCH(QString, address);
    const Status status = peakwatch::checkMailbox(mailbox);
    QCOMPARE(status.ok(), !address.isEmpty());
    if (status)
        QCOMPARE(mailboxAddress(mailbox), address);
}

void TestEmailSink::checkSmtpUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("error"); // a part of the error; empty when the URL is taken

    QTest::addRow("smtp with STARTTLS") << QUrl(QStringLiteral("smtp://user:hunter2hunter2@smtp.example.com:587"))
                                        << QString();
    QTest::addRow("smtps") << QUrl(QStringLiteral("smtps://user:hunter2hunter2@smtp.example.com:465")) << QString();
    QTest::addRow("smtp on this machine")
        << QUrl(QStringLiteral("smtp://user:hunter2hunter2@127.0.0.1:2525")) << QString();
    QTest::addRow("percent-encoded user and password")
        << QUrl(QStringLiteral("smtp://a%40b.example:p%2Fw%40rd%3Ahunter2@smtp.example.com:587")) << QString();
    QTest::addRow("no URL") << QUrl() << QStringLiteral("No SMTP server");
    QTest::addRow("https") << QUrl(QStringLiteral("https://user:hunter2hunter2@smtp.example.com"))
                           << QStringLiteral("must start with smtp:// or smtps://, not https://");
    QTest::addRow("no host") << QUrl(QStringLiteral("smtp://")) << QStringLiteral("names no host");
    QTest::addRow("no user") << QUrl(QStringLiteral("smtp://smtp.example.com:587")) << QStringLiteral("names no user");
    QTest::addRow("no password") << QUrl(QStringLiteral("smtp://user@smtp.example.com:587"))
                                 << QStringLiteral("holds no password");
}

void TestEmailSink::checkSmtpUrl()
{
    QFETCH(QUrl, url);
    QFETCH(QString, error);
    const Status status = EmailSink::checkSmtpUrl(url);
    QCOMPARE(status.ok(), error.isEmpty());
    QVERIFY2(status.error().contains(error), qPrintable(status.error()));
    QVERIFY(!status.error().contains(QLatin1StringView("hunter2")));
}

void TestEmailSink::outcomeFor_data()
{
    QTest::addColumn<int>("curlCode");
    QTest::addColumn<int>("responseCode");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("curlError");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("error"); // a part of the error

    const int delivered = int(SendOutcome::Kind::Delivered);
    const int retry = int(SendOutcome::Kind::Retry);
    const int failed = int(SendOutcome::Kind::Failed);
    QTest::addRow("taken") << int(CURLE_OK) << 250 << QStringLiteral("250 2.0.0 Ok: queued") << QString() << delivered
                           << QString();
    QTest::addRow("535: user and password refused")
        << int(CURLE_LOGIN_DENIED) << 535 << QStringLiteral("535 5.7.8 Authentication credentials invalid")
        << QStringLiteral("Login denied") << failed << QStringLiteral("the SMTP server refused the user and password");
    QTest::addRow("454: the login cannot be checked now")
        << int(CURLE_LOGIN_DENIED) << 454 << QStringLiteral("454 4.7.0 Temporary authentication failure")
        << QStringLiteral("Login denied") << retry << QStringLiteral("454 4.7.0 Temporary authentication failure");
    QTest::addRow("550 for a recipient") << int(CURLE_SEND_ERROR) << 550
                                         << QStringLiteral("550 5.1.1 <x@example.com>: User unknown")
                                         << QStringLiteral("RCPT failed: 550") << failed
                                         << QStringLiteral(
                                                "refused a recipient (550 5.1.1 <x@example.com>: User unknown)");
    QTest::addRow("553 for the sender") << int(CURLE_SEND_ERROR) << 553
                                        << QStringLiteral("553 5.7.1 Sender address rejected")
                                        << QStringLiteral("MAIL failed: 553") << failed
                                        << QStringLiteral("refused the sender (553 5.7.1 Sender address rejected)");
    QTest::addRow("554 for the message") << int(CURLE_RECV_ERROR) << 554 << QStringLiteral("554 5.7.1 Spam")
                                         << QString() << failed << QStringLiteral("554 5.7.1 Spam");
    QTest::addRow("451 for a recipient") << int(CURLE_SEND_ERROR) << 451
                                         << QStringLiteral("451 4.3.0 Temporary lookup failure")
                                         << QStringLiteral("RCPT failed: 451") << retry
                                         << QStringLiteral("451 4.3.0 Temporary lookup failure");
    QTest::addRow("421 at the greeting") << int(CURLE_WEIRD_SERVER_REPLY) << 421
                                         << QStringLiteral("421 4.3.2 Service not available") << QString() << retry
                                         << QStringLiteral("421");
    QTest::addRow("450 mailbox busy") << int(CURLE_SEND_ERROR) << 450 << QStringLiteral("450 4.2.1 Mailbox busy")
                                      << QStringLiteral("RCPT failed: 450") << retry << QStringLiteral("450");
    QTest::addRow("connection refused") << int(CURLE_COULDNT_CONNECT) << 0 << QString()
                                        << QStringLiteral("Failed to connect") << retry
                                        << QStringLiteral("could not be reached");
    QTest::addRow("unknown host") << int(CURLE_COULDNT_RESOLVE_HOST) << 0 << QString() << QString() << retry
                                  << QStringLiteral("could not be resolved");
    QTest::addRow("timeout") << int(CURLE_OPERATION_TIMEDOUT) << 220 << QString() << QStringLiteral("timed out")
                             << retry << QStringLiteral("no answer");
    QTest::addRow("connection dropped") << int(CURLE_RECV_ERROR) << 354 << QString()
                                        << QStringLiteral("Connection reset") << retry
                                        << QStringLiteral("trying again");
    QTest::addRow("TLS handshake failed")
        << int(CURLE_SSL_CONNECT_ERROR) << 0 << QString() << QStringLiteral("SSL connect error") << retry
        << QStringLiteral("trying again");
    QTest::addRow("certificate does not verify") << int(CURLE_PEER_FAILED_VERIFICATION) << 0 << QString()
                                                 << QStringLiteral("SSL certificate problem: self-signed certificate")
                                                 << failed << QStringLiteral("TLS certificate could not be verified");
    QTest::addRow("no STARTTLS offered") << int(CURLE_USE_SSL_FAILED) << 250 << QString() << QString() << failed
                                         << QStringLiteral("does not offer STARTTLS");
}

void TestEmailSink::outcomeFor()
{
    QFETCH(int, curlCode);
    QFETCH(int, responseCode);
    QFETCH(QString, reply);
    QFETCH(QString, curlError);
    QFETCH(int, kind);
    QFETCH(QString, error);

    const SendOutcome outcome = EmailSink::outcomeFor(curlCode, responseCode, reply, curlError);
    QCOMPARE(int(outcome.kind), kind);
    QVERIFY2(outcome.error.contains(error), qPrintable(outcome.error));
}

void TestEmailSink::groupsAndIntervals()
{
    const QUrl url(QStringLiteral("smtp://user:hunter2hunter2@127.0.0.1:2525"));
    EmailSink each(QStringLiteral("email"), url, EmailOptions{kFrom, {kTo}});
    QCOMPARE(each.maxGroup(), 50);
    QCOMPARE(each.minIntervalMs(), qint64(0));
    EmailSink digest(QStringLiteral("email"), url, EmailOptions{kFrom, {kTo}, 15 * kMinute});
    QCOMPARE(digest.maxGroup(), 500);
    QCOMPARE(digest.minIntervalMs(), 15 * kMinute);
    QCOMPARE(digest.name(), QStringLiteral("email"));
}

void TestEmailSink::shopRecipients_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("shop");
    QTest::addColumn<QStringList>("to");
    QTest::addColumn<QString>("error");
    QTest::addRow("one address") << QStringLiteral("northwind-apparel.myshopify.com=buyer@northwind.example")
                                 << QStringLiteral("northwind-apparel.myshopify.com")
                                 << QStringList{QStringLiteral("buyer@northwind.example")} << QString();
    QTest::addRow("several, named, spaced")
        << QStringLiteral(
               " northwind-apparel.myshopify.com = buyer@northwind.example, Supplier <orders@supplier.example>;"
               " ops@northwind.example ")
        << QStringLiteral("northwind-apparel.myshopify.com")
        << QStringList{QStringLiteral("buyer@northwind.example"), QStringLiteral("Supplier <orders@supplier.example>"),
                       QStringLiteral("ops@northwind.example")}
        << QString();
    QTest::addRow("a pasted URL in capitals")
        << QStringLiteral("https://Northwind-Apparel.myshopify.com/=b@n.example")
        << QStringLiteral("northwind-apparel.myshopify.com") << QStringList{QStringLiteral("b@n.example")} << QString();
    QTest::addRow("no =") << QStringLiteral("northwind-apparel.myshopify.com") << QString() << QStringList()
                          << QStringLiteral("\"northwind-apparel.myshopify.com\" names no address");
    QTest::addRow("no shop") << QStringLiteral("=b@n.example") << QString() << QStringList()
                             << QStringLiteral("no shop before \"=\"");
    QTest::addRow("not a domain") << QStringLiteral("northwind=b@n.example") << QString() << QStringList()
                                  << QStringLiteral("\"northwind\" is not a shop's domain");
    QTest::addRow("no address") << QStringLiteral("n.myshopify.com= , ") << QString() << QStringList()
                                << QStringLiteral("no address for n.myshopify.com");
    QTest::addRow("a bad address") << QStringLiteral("n.myshopify.com=b@n.example, buyer at n") << QString()
                                   << QStringList()
                                   << QStringLiteral("a recipient for n.myshopify.com: \"buyer at n\" is not an "
                                                     "e-mail address");
}

void TestEmailSink::shopRecipients()
{
    QFETCH(QString, entry);
    QFETCH(QString, shop);
    QFETCH(QStringList, to);
    QFETCH(QString, error);
    const auto parsed = parseShopRecipients(entry);
    if (!error.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().contains(error), qPrintable(parsed.error()));
        return;
    }
    QVERIFY2(parsed, qPrintable(parsed.error()));
    QCOMPARE(QString::fromUtf8(parsed->shop), shop);
    QCOMPARE(parsed->to, to);
}

void TestEmailSink::routesSendEachShopToItsOwn()
{
    const EmailOptions base{kFrom, {}, 5 * kMinute};
    const std::vector<ShopRecipients> shops{
        {"a.myshopify.com", {QStringLiteral("buyer@a.example")}},
        {"b.myshopify.com", {QStringLiteral("buyer@b.example")}},
        {"a.myshopify.com", {QStringLiteral("supplier@a.example"), QStringLiteral("buyer@a.example")}}};
    const std::vector<EmailRoute> routes = emailRoutes(base, {kTo}, shops);
    QCOMPARE(routes.size(), size_t(3));
    QCOMPARE(routes.at(0).sinkName, QStringLiteral("email:a.myshopify.com"));
    QCOMPARE(routes.at(0).options.to,
             (QStringList{QStringLiteral("buyer@a.example"), QStringLiteral("supplier@a.example")}));
    QCOMPARE(routes.at(1).sinkName, QStringLiteral("email:b.myshopify.com"));
    QCOMPARE(routes.at(2).sinkName, QStringLiteral("email"));
    QCOMPARE(routes.at(2).options.to, QStringList{kTo});
    for (const EmailRoute &route : routes) {
        QCOMPARE(route.options.from, kFrom);
        QCOMPARE(route.options.digestIntervalMs, 5 * kMinute);
    }
    Alert a;
    a.shop = "a.myshopify.com";
    Alert c;
    c.shop = "c.myshopify.com";
    QVERIFY(routes.at(0).route(a) && !routes.at(1).route(a) && !routes.at(2).route(a));
    QVERIFY(!routes.at(0).route(c) && !routes.at(1).route(c) && routes.at(2).route(c));
    // Without recipients for every shop, only the shops' own sinks.
    QCOMPARE(emailRoutes(base, {}, shops).size(), size_t(2));
    QCOMPARE(emailRoutes(base, {kTo}, {}).size(), size_t(1));
}

void TestEmailSink::deliversOneAlert()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("one.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<EmailSink>(
        QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo, QStringLiteral("ops@northwind.example")}}));

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Alert alert = makeAlert(7, AlertRule::SellingOut, "Fleece Hoodie", now);
    QVERIFY2(submitted(dispatcher, {alert}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 1, 20'000);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 1);

    const QJsonObject message = server.messages().front();
    QCOMPARE(message.value(QLatin1StringView("login")).toString(), kUser);
    QCOMPARE(message.value(QLatin1StringView("mail_from")).toString(), QStringLiteral("alerts@northwind.example"));
    QCOMPARE(message.value(QLatin1StringView("rcpt_tos")).toArray(),
             (QJsonArray{kTo, QStringLiteral("ops@northwind.example")}));
    QVERIFY(message.value(QLatin1StringView("ascii_only")).toBool());
    QVERIFY(message.value(QLatin1StringView("crlf_only")).toBool());
    QVERIFY(message.value(QLatin1StringView("longest_line")).toInt() <= kEmailMaxLineOctets);
    QCOMPARE(message.value(QLatin1StringView("header_defects")).toArray().size(), 0);

    QCOMPARE(header(message, "Subject"),
             QStringLiteral("Peakwatch: Fleece Hoodie is selling out (northwind-apparel.myshopify.com)"));
    QCOMPARE(header(message, "From"), kFrom);
    QCOMPARE(header(message, "To"), kTo + QStringLiteral(", ops@northwind.example"));
    QCOMPARE(header(message, "MIME-Version"), QStringLiteral("1.0"));
    QCOMPARE(header(message, "Message-ID"), QString::fromLatin1(emailMessageId({alert}, kFrom)));
    const QDateTime date = QDateTime::fromString(header(message, "Date"), Qt::RFC2822Date);
    QVERIFY2(date.isValid() && std::abs(date.toMSecsSinceEpoch() - now) < 60'000, qPrintable(header(message, "Date")));
    QStringList types;
    for (const QJsonValue &part : message.value(QLatin1StringView("parts")).toArray())
        types << part.toObject().value(QLatin1StringView("content_type")).toString();
    QCOMPARE(types, (QStringList{QStringLiteral("multipart/alternative"), QStringLiteral("text/plain"),
                                 QStringLiteral("text/html")}));

    const QString url = shopifyAdminProductUrl(kShop, kHoodie + 7);
    const QString plain = text(message);
    for (const QString &expected : QStringList{
             QStringLiteral("Selling out: Fleece Hoodie\n"), QStringLiteral("Shop: northwind-apparel.myshopify.com\n"),
             QStringLiteral("Stock: 12\n"), QStringLiteral("Rate: 42 units/hour\n"),
             QString(QStringLiteral("Predicted sell-out: ") % utcText(now + 23 * kMinute) %
                     QStringLiteral(" (in 23 min)\n")),
             QString(QStringLiteral("80 % interval: ") % utcText(now + 15 * kMinute) % QStringLiteral(" to ")),
             QStringLiteral("Rule: Selling out (selling_out)"),
             QStringLiteral("Details: Fleece Hoodie will sell out in about 23 min\n"),
             QString(QStringLiteral("In the Shopify admin: ") % url % u'\n')})
        QVERIFY2(plain.contains(expected), qPrintable(expected % QStringLiteral("\nnot in:\n") % plain));
    const QString page = html(message);
    QVERIFY2(page.contains(QStringLiteral("<a href=\"") % url % QStringLiteral("\">Fleece Hoodie</a>")),
             qPrintable(page));
    QVERIFY2(page.contains(QStringLiteral("<th align=\"left\" valign=\"top\">80 % interval</th>")), qPrintable(page));
    QVERIFY2(page.contains(utcText(now + 23 * kMinute)), qPrintable(page));
}

void TestEmailSink::nonAsciiTitlesAreDecoded()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("unicode.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    const QString from = QStringLiteral("Peakwatch Überwachung <alerts@northwind.example>");
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{from, {kTo}}));

    // Long enough for several encoded-words, with characters of two, three and four octets, and markup.
    const QString title =
        QStringLiteral("Sweat à capuche polaire — Größe M 🧥 & <Tops> für Ünïcode-Fans ✓");
    QVERIFY2(submitted(dispatcher, {makeAlert(1, AlertRule::SoldOut, title.toUtf8())}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 1, 20'000);
    const QJsonObject message = server.messages().front();
    QVERIFY(message.value(QLatin1StringView("ascii_only")).toBool());
    QVERIFY(server.raw(0).contains("Subject: =?UTF-8?B?"));
    QCOMPARE(header(message, "Subject"),
             QStringLiteral("Peakwatch: ") % title % QStringLiteral(" is sold out (northwind-apparel.myshopify.com)"));
    QCOMPARE(header(message, "From"), from);
    QVERIFY2(text(message).contains(QStringLiteral("Sold out: ") % title % u'\n'), qPrintable(text(message)));
    const QString page = html(message);
    QVERIFY2(page.contains(QStringLiteral("Größe M 🧥 &amp; &lt;Tops&gt; für Ünïcode-Fans ✓</a>")),
             qPrintable(page));
    QVERIFY(!page.contains(QLatin1StringView("<Tops>")));
    QVERIFY2(page.contains(QStringLiteral("<title>Peakwatch: Sweat à capuche")), qPrintable(page));
}

void TestEmailSink::wrongPasswordFailsWithoutShowingIt()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("password.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    const QString wrong = QStringLiteral("not-the-password-42");
    const QUrl url = server.url(wrong);

    g_log.clear();
    g_previousHandler = qInstallMessageHandler(capturingHandler);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), url, EmailOptions{kFrom, {kTo}}));
    QVERIFY2(submitted(dispatcher, {makeAlert(1)}), "not recorded");
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20'000);
    qInstallMessageHandler(g_previousHandler);

    const QString error = failed.at(0).at(1).toString();
    QVERIFY2(error.contains(QLatin1StringView("the SMTP server refused the user and password")), qPrintable(error));
    const QString everything =
        error % u'\n' % g_log.join(u'\n') % u'\n' % (*outbox)->counts(QStringLiteral("email")).lastError;
    for (const QString &secret : {wrong, url.toString(), QString::fromUtf8(url.toEncoded()), kPassword})
        QVERIFY2(!everything.contains(secret), qPrintable(everything));
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).failed, 1);
    QCOMPARE(server.messages().size(), size_t(0));
}

void TestEmailSink::deferredRecipientIsRetriedThenDeliveredOnce()
{
    SmtpServer server({QStringLiteral("--defer"), kTo + QStringLiteral("=1")});
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("deferred.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}}));

    // Three products, three messages; the first RCPT is deferred, so none of them goes until the retry.
    QVERIFY2(submitted(dispatcher, {makeAlert(1), makeAlert(2), makeAlert(3)}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 3, 20'000);
    QCOMPARE(retrying.count(), 1);
    const QString error = retrying.at(0).at(1).toString();
    QVERIFY2(error.contains(QLatin1StringView("451 4.3.0")) &&
                 error.contains(QLatin1StringView("Temporary lookup failure")),
             qPrintable(error));
    QCOMPARE(failed.count(), 0);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 3);
    QTest::qWait(1500); // and nothing more
    const std::vector<QJsonObject> messages = server.messages();
    QCOMPARE(messages.size(), size_t(3));
    for (int i = 1; i <= 3; ++i) {
        QCOMPARE(header(messages.at(size_t(i - 1)), "Subject"),
                 QStringLiteral("Peakwatch: Fleece Hoodie %1 is selling out (northwind-apparel.myshopify.com)").arg(i));
        QCOMPARE(text(messages.at(size_t(i - 1))).count(QStringLiteral("Selling out: Fleece Hoodie")), 1);
    }
}

void TestEmailSink::aGroupIsOneMessagePerEpisodeOverOneConnection()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("episodes.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}}));

    // Two alerts of product 1's episode, fired together, and one each of products 2 and 3.
    Alert low = makeAlert(1, AlertRule::LowStock);
    low.id = QByteArrayLiteral("alert-1-low");
    QVERIFY2(submitted(dispatcher, {makeAlert(1), low, makeAlert(2), makeAlert(3)}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 3, 20'000);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 4);
    QTest::qWait(500); // and nothing more
    const std::vector<QJsonObject> messages = server.messages();
    QCOMPARE(messages.size(), size_t(3));
    // In the order the alerts came; product 1's message holds both of its alerts.
    QCOMPARE(header(messages.at(0), "Subject"), QStringLiteral("Peakwatch: 2 alerts — 1 selling out, 1 low on stock"));
    QVERIFY(text(messages.at(0)).contains(QStringLiteral("Selling out: Fleece Hoodie 1\n")));
    QVERIFY(text(messages.at(0)).contains(QStringLiteral("Low stock: Fleece Hoodie 1\n")));
    QVERIFY(text(messages.at(1)).contains(QStringLiteral("Selling out: Fleece Hoodie 2\n")));
    QVERIFY(text(messages.at(2)).contains(QStringLiteral("Selling out: Fleece Hoodie 3\n")));
    // One connection for the group: the same client port.
    const int port = messages.at(0).value(QLatin1StringView("client_port")).toInt();
    QVERIFY(port > 0);
    for (const QJsonObject &message : messages)
        QCOMPARE(message.value(QLatin1StringView("client_port")).toInt(), port);
}

void TestEmailSink::episodeFollowUpsThreadUnderItsFirstMessage()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("threads.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}}));

    // Product 1 warns, then sells out (beside product 2's first warning), then is restocked. Fired now: the
    // outbox keeps an episode's thread as long as it keeps the episode's alerts.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(submitted(dispatcher, {makeAlert(1, AlertRule::SellingOut, {}, now)}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 1, 20'000);
    Alert soldOut = makeAlert(1, AlertRule::SoldOut, {}, now);
    soldOut.id = QByteArrayLiteral("alert-1-sold-out");
    soldOut.quantity = 0;
    soldOut.atMs = now + 1;
    QVERIFY2(submitted(dispatcher, {soldOut, makeAlert(2, AlertRule::SellingOut, {}, now)}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 3, 20'000);
    Alert restocked = makeAlert(1, AlertRule::Restocked, {}, now);
    restocked.id = QByteArrayLiteral("alert-1-restocked");
    restocked.quantity = 200;
    restocked.atMs = now + 2;
    QVERIFY2(submitted(dispatcher, {restocked}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 4, 20'000);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 4);

    // The outbox hands them over by event time: product 2's warning (fired at `now`) before the sell-out.
    const std::vector<QJsonObject> messages = server.messages();
    const QJsonObject &first = messages.at(0);
    const QJsonObject &other = messages.at(1);
    const QJsonObject &soldOutMessage = messages.at(2);
    const QJsonObject &restockMessage = messages.at(3);
    const QString firstId = header(first, "Message-ID");
    const QString firstSubject = header(first, "Subject");
    QCOMPARE(firstSubject,
             QStringLiteral("Peakwatch: Fleece Hoodie 1 is selling out (northwind-apparel.myshopify.com)"));
    QCOMPARE(header(first, "In-Reply-To"), QString());
    for (const QJsonObject *followUp : {&soldOutMessage, &restockMessage}) {
        QCOMPARE(header(*followUp, "In-Reply-To"), firstId);
        QCOMPARE(header(*followUp, "References"), firstId);
        QCOMPARE(header(*followUp, "Subject"), QStringLiteral("Re: ") % firstSubject);
        QVERIFY(header(*followUp, "Message-ID") != firstId);
    }
    QVERIFY2(text(soldOutMessage).contains(QStringLiteral("Sold out: Fleece Hoodie 1\n")),
             qPrintable(text(soldOutMessage)));
    QVERIFY2(text(soldOutMessage).contains(QStringLiteral("Episode: 2nd alert since the selling-out warning at ")),
             qPrintable(text(soldOutMessage)));
    QVERIFY2(text(restockMessage).contains(QStringLiteral("Restocked: Fleece Hoodie 1\n")),
             qPrintable(text(restockMessage)));
    QVERIFY(text(restockMessage).contains(QStringLiteral("Episode: 3rd alert since the selling-out warning at ")));
    // Product 2's first message starts its own thread.
    QCOMPARE(header(other, "In-Reply-To"), QString());
    QCOMPARE(header(other, "Subject"),
             QStringLiteral("Peakwatch: Fleece Hoodie 2 is selling out (northwind-apparel.myshopify.com)"));
}

void TestEmailSink::aDeferredMessageKeepsTheOnesBeforeItDelivered()
{
    SmtpServer server({QStringLiteral("--defer-data"), QStringLiteral("2")});
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("partial.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}}));

    // Three messages; the server defers the second. The first is not sent again, the second and third are.
    QVERIFY2(submitted(dispatcher, {makeAlert(1), makeAlert(2), makeAlert(3)}), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 3, 20'000);
    QCOMPARE(retrying.count(), 1);
    QVERIFY2(retrying.at(0).at(1).toString().contains(QLatin1StringView("451 4.3.0")),
             qPrintable(retrying.at(0).at(1).toString()));
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 3);
    QTest::qWait(1500); // and nothing more
    const std::vector<QJsonObject> messages = server.messages();
    QCOMPARE(messages.size(), size_t(3));
    for (int i = 1; i <= 3; ++i)
        QVERIFY(text(messages.at(size_t(i - 1))).contains(QStringLiteral("Selling out: Fleece Hoodie %1\n").arg(i)));
    // The retry came on a connection of its own.
    QVERIFY(messages.at(1).value(QLatin1StringView("client_port")).toInt() !=
            messages.at(0).value(QLatin1StringView("client_port")).toInt());
}

void TestEmailSink::rejectedRecipientFailsWithTheServersWords()
{
    SmtpServer server({QStringLiteral("--reject"), kTo});
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("rejected.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}}));

    QVERIFY2(submitted(dispatcher, {makeAlert(1), makeAlert(2)}), "not recorded");
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20'000);
    const QString error = failed.at(0).at(1).toString();
    QVERIFY2(error.contains(QLatin1StringView("refused a recipient")) &&
                 error.contains(QStringLiteral("550 5.1.1 <") % kTo %
                                QStringLiteral(">: Recipient address rejected: User unknown")),
             qPrintable(error));
    QVERIFY(!error.contains(kPassword));
    QCOMPARE(retrying.count(), 0);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).failed, 2);
    QCOMPARE(server.messages().size(), size_t(0));
}

void TestEmailSink::digestGathersAlertsIntoOneMessage()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("digest.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    constexpr qint64 kDigestMs = 2000;
    dispatcher.addSink(
        std::make_unique<EmailSink>(QStringLiteral("email"), server.url(), EmailOptions{kFrom, {kTo}, kDigestMs}));

    // The first alert goes at once; the ten that come within the interval after it wait and go as one message.
    QVERIFY2(submitted(dispatcher, {makeAlert(0)}), "not recorded");
    QTRY_COMPARE_WITH_TIMEOUT(server.messages().size(), size_t(1), 20'000);
    for (int i = 1; i <= 10; ++i) {
        QVERIFY2(submitted(dispatcher, {makeAlert(i)}), "not recorded");
        QTest::qWait(100);
    }
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() >= 2, 20'000);
    QTest::qWait(kDigestMs + 500); // and nothing more
    const std::vector<QJsonObject> messages = server.messages();
    QCOMPARE(messages.size(), size_t(2));
    const QJsonObject &digest = messages.back();
    QCOMPARE(header(digest, "Subject"), QStringLiteral("Peakwatch: 10 alerts — 10 selling out"));
    const qint64 apart = qint64(digest.value(QLatin1StringView("received_at_ms")).toDouble() -
                                messages.front().value(QLatin1StringView("received_at_ms")).toDouble());
    QVERIFY2(apart >= kDigestMs - 100, qPrintable(QString::number(apart)));
    // Each alert once, in all.
    const QString all = text(messages.front()) % text(digest);
    for (int i = 0; i <= 10; ++i)
        QCOMPARE(all.count(QStringLiteral("Selling out: Fleece Hoodie %1\n").arg(i)), 1);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 11);
}

void TestEmailSink::unreachableServerIsRetried()
{
    QUrl url(QStringLiteral("smtp://127.0.0.1"));
    url.setPort(freePort());
    url.setUserName(kUser);
    url.setPassword(QStringLiteral("hunter2hunter2"));
    EmailSink sink(QStringLiteral("email"), url, EmailOptions{kFrom, {kTo}});
    QSignalSpy spy(&sink, &AlertSink::finished);
    sink.send({makeAlert(1)});
    QVERIFY(spy.wait(20'000));
    QTest::qWait(100); // a second finished() would be a defect
    QCOMPARE(spy.size(), 1);
    const auto outcome = spy.first().first().value<SendOutcome>();
    QCOMPARE(outcome.kind, SendOutcome::Kind::Retry);
    QVERIFY2(outcome.error.contains(QLatin1StringView("could not be reached")), qPrintable(outcome.error));
    QVERIFY(!outcome.error.contains(QLatin1StringView("hunter2hunter2")));
}

void TestEmailSink::destructorStopsASendInFlight()
{
    // A server that takes the connection and never greets: the send waits, and the sink goes away meanwhile.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QUrl url(QStringLiteral("smtp://127.0.0.1"));
    url.setPort(silent.serverPort());
    url.setUserName(kUser);
    url.setPassword(QStringLiteral("hunter2hunter2"));
    auto sink = std::make_unique<EmailSink>(QStringLiteral("email"), url, EmailOptions{kFrom, {kTo}});
    QSignalSpy spy(sink.get(), &AlertSink::finished);
    sink->send({makeAlert(1)});
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 5000);
    QTest::qWait(300);
    QElapsedTimer timer;
    timer.start();
    sink.reset();
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(spy.size(), 0);
}

void TestEmailSink::eachShopsAlertsGoToItsOwnAddresses()
{
    SmtpServer server;
    QVERIFY2(server.ok(), qPrintable(server.problem()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("shops.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    std::vector<ShopRecipients> shops;
    for (const QString &entry :
         {QStringLiteral("northwind-apparel.myshopify.com = buyer@northwind.example"),
          QStringLiteral("alpine-outfitters.myshopify.com=Supplier <orders@supplier.example>")}) {
        auto parsed = parseShopRecipients(entry);
        QVERIFY2(parsed, qPrintable(parsed.error()));
        shops.push_back(*parsed);
    }
    for (EmailRoute &route : emailRoutes(EmailOptions{kFrom, {}}, {kTo}, shops))
        dispatcher.addSink(std::make_unique<EmailSink>(route.sinkName, server.url(), route.options), route.route);

    std::vector<Alert> alerts;
    const QByteArray shopOf[] = {"northwind-apparel.myshopify.com", "alpine-outfitters.myshopify.com",
                                 "harbor-home.myshopify.com"};
    for (int i = 0; i < 3; ++i) {
        alerts.push_back(makeAlert(i, AlertRule::SellingOut, {}, QDateTime::currentMSecsSinceEpoch()));
        alerts.back().shop = shopOf[i];
    }
    QVERIFY2(submitted(dispatcher, alerts), "not recorded");
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled() && server.messages().size() == 3, 20'000);
    QTest::qWait(500); // and nothing more
    QCOMPARE(server.messages().size(), size_t(3));
    QMap<QString, QJsonArray> recipientsOf; // by product
    for (const QJsonObject &message : server.messages()) {
        const QString plain = text(message);
        for (int i = 0; i < 3; ++i)
            if (plain.contains(QStringLiteral("Selling out: Fleece Hoodie %1\n").arg(i)))
                recipientsOf[QString::number(i)] = message.value(QLatin1StringView("rcpt_tos")).toArray();
    }
    QCOMPARE(recipientsOf.value(QStringLiteral("0")), QJsonArray{QStringLiteral("buyer@northwind.example")});
    QCOMPARE(recipientsOf.value(QStringLiteral("1")), QJsonArray{QStringLiteral("orders@supplier.example")});
    QCOMPARE(recipientsOf.value(QStringLiteral("2")), QJsonArray{kTo});
    QCOMPARE((*outbox)->counts(QStringLiteral("email:northwind-apparel.myshopify.com")).delivered, 1);
    QCOMPARE((*outbox)->counts(QStringLiteral("email:alpine-outfitters.myshopify.com")).delivered, 1);
    QCOMPARE((*outbox)->counts(QStringLiteral("email")).delivered, 1);
}

QTEST_GUILESS_MAIN(TestEmailSink)
#include "tst_email_sink.moc"
