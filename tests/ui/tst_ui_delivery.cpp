// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The "Alert delivery" dialog, offscreen: webhook URLs go to the secret store and never to the settings file or
// back on screen, bad URLs are refused without echoing their token, per-shop webhooks, a Slack bot's token (a
// secret like the webhooks) and channel, the session-only choice when no keychain service runs, and e-mail, Jira and
// a signed webhook, each tested against a real peer (an SMTP server, a Jira server, an HTTP receiver).
#include "alert_center.h"
#include "delivery_dialog.h"
#include "embedded_cluster.h"
#include "jira_test_server.h"
#include "kafka_consumer.h"
#include "secret_store.h"
#include "slack_test_server.h"
#include "smtp_test_server.h"
#include "webhook_alert_sink.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDateTime>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QProcess>
#include <QSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <mutex>
#include <vector>

using namespace peakwatch;
using namespace peakwatch::ui;
using peakwatch::test::JiraTestServer;
using peakwatch::test::SlackAnswer;
using peakwatch::test::SlackTestServer;
using smtp_test::SmtpServer;

namespace {

const QString kUrl = QStringLiteral("https://hooks.slack.com/services/T0/B0/secrettoken123");
const QString kShopUrl = QStringLiteral("https://hooks.slack.com/services/T1/B1/shoptoken4567");
const QString kConnection = QStringLiteral("Production MSK");
const QString kNoKeychain = QStringLiteral("no keychain service is running (such as GNOME Keyring or KWallet)");

// A system keychain with no keychain service behind it: every call fails, and answers later, as QtKeychain does.
class NoKeychainStore final : public SecretStore {
public:
    void read(const QString &, Found found) override
    {
        QTimer::singleShot(0, qApp, [found] { found(Error{kNoKeychain}); });
    }
    void write(const QString &, const QString &, Done done) override
    {
        ++writes;
        QTimer::singleShot(0, qApp, [done] { done(Error{kNoKeychain}); });
    }
    void remove(const QString &, Done done) override
    {
        QTimer::singleShot(0, qApp, [done] { done(Error{kNoKeychain}); });
    }
    QString where() const override { return QStringLiteral("the system keychain"); }

    int writes = 0;
};

std::optional<QString> stored(SecretStore &store, const QString &key)
{
    std::optional<QString> out;
    store.read(key, [&out](Result<std::optional<QString>> found) {
        QVERIFY(found.ok());
        out = *found;
    });
    return out;
}

QByteArray settingsFileBytes()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

template <typename T> T *child(const QWidget &dialog, const char *name)
{
    return dialog.findChild<T *>(QString::fromLatin1(name));
}

QLineEdit *defaultUrl(const DeliveryDialog &d)
{
    return child<QLineEdit>(d, "defaultWebhook");
}
QLabel *error(const DeliveryDialog &d)
{
    return child<QLabel>(d, "error");
}

void save(DeliveryDialog &d)
{
    d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
}

// Every text the dialog shows or would show: labels, fields, placeholders and tooltips.
QString allTexts(const QWidget &dialog)
{
    QString out = dialog.windowTitle();
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        out += label->text() + label->toolTip();
    for (const QLineEdit *edit : dialog.findChildren<QLineEdit *>())
        out += edit->text() + edit->placeholderText() + edit->toolTip();
    return out;
}

QPushButton *testButton(const DeliveryDialog &d, const char *name)
{
    return d.findChild<QPushButton *>(QString::fromLatin1(name));
}

QLabel *testOutcome(const DeliveryDialog &d, const char *name)
{
    return d.findChild<QLabel *>(QString::fromLatin1(name) + QStringLiteral("Outcome"));
}

// Everything a Slack message says, its fallback text and its blocks.
QString slackText(const QJsonObject &message)
{
    return QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

const QByteArray kSigningKey = "whsec-signing-key-2468";

// An HTTP receiver of signed alert webhooks on 127.0.0.1: it keeps each POST's body and signature, and answers 401
// to a signature that is not the body's HMAC with kSigningKey.
class WebhookReceiver {
public:
    struct Post {
        QByteArray body;
        QByteArray signature;
        bool signedWell = false;
    };
    WebhookReceiver()
    {
        m_server.route(QStringLiteral("/hooks/peakwatch"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) {
                           const QByteArray signature = request.value("X-Peakwatch-Signature");
                           const bool good = signature == WebhookSink::signatureFor(request.body(), kSigningKey);
                           posts.push_back({request.body(), signature, good});
                           return QHttpServerResponse(good ? QHttpServerResponse::StatusCode::Ok
                                                           : QHttpServerResponse::StatusCode::Unauthorized);
                       });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    bool ok() const { return m_port != 0; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/hooks/peakwatch").arg(m_port)); }
    std::vector<Post> posts;

private:
    QHttpServer m_server;
    quint16 m_port = 0;
};

bool smtpServerAvailable()
{
    QProcess probe;
    probe.start(smtp_test::pythonInterpreter(), {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")});
    return probe.waitForFinished(20'000) && probe.exitCode() == 0;
}

} // namespace

class TstUiDelivery final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void defaultsWhenNothingIsSaved();
    void validWebhookGoesToTheStoreOnly();
    void unsafeWebhookIsRefusedWithoutItsToken_data();
    void unsafeWebhookIsRefusedWithoutItsToken();
    void reopeningShowsAPlaceholderNotTheWebhook();
    void removeDeletesTheWebhook();
    void shopWebhookIsSavedAtItsKey();
    void newShopNeedsADomainAndAWebhook_data();
    void newShopNeedsADomainAndAWebhook();
    void showToggleAndKeyboardOrder();
    void botTokenGoesToTheStoreOnlyAndTheChannelToSettings();
    void botNeedsAChannelAndAPlausibleToken_data();
    void botNeedsAChannelAndAPlausibleToken();
    void noKeychainOffersThisSessionOnly();
    void noKeychainWithoutASessionStoreOffersNothing();
    void sessionWebhooksMoveToTheKeychain();
    void closingWhileTheKeychainIsBusyIsSafe();
    void testAlertThroughTheDefaultWebhookArrivesOnce();
    void testAlertUsesTheStoredWebhook();
    void testAlertThroughTheBotArrivesOnce();
    void testAlertThroughAShopsWebhookArrivesOnce();
    void testAlertErrorIsShownByName_data();
    void testAlertErrorIsShownByName();
    void testAlertToTheAlertsTopicArrivesOnce();
    void testAlertToTheDesktopSaysHowItWent();
    void emailJiraAndWebhookSecretsGoToTheStoreOnly();
    void emailJiraAndWebhookRefuseBadInputInWords_data();
    void emailJiraAndWebhookRefuseBadInputInWords();
    void testAlertReachesTheWebhookSigned();
    void testAlertFilesAJiraIssue();
    void testAlertToJiraWithAWrongTokenSaysSoWithoutIt();
    void testAlertReachesTheSmtpServer();
    void testAlertWithAWrongSmtpPasswordSaysSoWithoutIt();
    void alertCenterDeliversToEmailJiraAndWebhook();

private:
    QTemporaryDir m_settings;
};

void TstUiDelivery::initTestCase()
{
    QVERIFY(m_settings.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    QApplication::setOrganizationName(QStringLiteral("PeakwatchTest"));
    QApplication::setApplicationName(QStringLiteral("tst_ui_delivery"));
}

void TstUiDelivery::init()
{
    QSettings settings;
    settings.clear();
    settings.sync();
}

void TstUiDelivery::defaultsWhenNothingIsSaved()
{
    const DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(s.desktop);
    QVERIFY(s.alertsTopic.isEmpty());
    QVERIFY(s.slackShops.isEmpty());
    QVERIFY(!s.sessionOnly);
    QVERIFY(!s.slackDefault);

    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QVERIFY(child<QCheckBox>(d, "desktop")->isChecked());
    QCOMPARE(defaultUrl(d)->echoMode(), QLineEdit::Password);
    QVERIFY(!d.usesSessionStore());
}

void TstUiDelivery::validWebhookGoesToTheStoreOnly()
{
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QSignalSpy accepted(&d, &QDialog::accepted);
    child<QCheckBox>(d, "desktop")->setChecked(false);
    QTest::keyClicks(defaultUrl(d), kUrl);
    QTest::keyClicks(child<QLineEdit>(d, "alertsTopic"), QStringLiteral("peakwatch-alerts"));
    save(d);

    QTRY_COMPARE(accepted.count(), 1);
    QCOMPARE(stored(store, slackWebhookKey(kConnection)), std::optional<QString>(kUrl));
    const QByteArray ini = settingsFileBytes();
    QVERIFY(ini.contains("alertsTopic"));
    QVERIFY(!ini.contains("secrettoken123"));
    QVERIFY(!ini.contains("hooks.slack.com"));
    const DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(!s.desktop);
    QCOMPARE(s.alertsTopic, QStringLiteral("peakwatch-alerts"));
    QVERIFY(s.slackShops.isEmpty());
    QVERIFY(!s.sessionOnly);
    QVERIFY(s.slackDefault); // so the desktop looks in the keychain for it, and only then
    // Another connection's settings are its own.
    QVERIFY(DeliveryDialog::load(QStringLiteral("Staging")).desktop);
}

void TstUiDelivery::unsafeWebhookIsRefusedWithoutItsToken_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("says");
    QTest::addRow("plain http to Slack") << QStringLiteral("http://hooks.slack.com/services/T0/B0/secrettoken123")
                                         << QStringLiteral("must use https");
    QTest::addRow("no scheme") << QStringLiteral("hooks.slack.com/services/T0/B0/secrettoken123")
                               << QStringLiteral("must start with https://");
    QTest::addRow("ftp") << QStringLiteral("ftp://hooks.slack.com/services/T0/B0/secrettoken123")
                         << QStringLiteral("must start with https://");
}

void TstUiDelivery::unsafeWebhookIsRefusedWithoutItsToken()
{
    QFETCH(QString, url);
    QFETCH(QString, says);
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QSignalSpy accepted(&d, &QDialog::accepted);
    QTest::keyClicks(defaultUrl(d), url);
    save(d);

    QCOMPARE(accepted.count(), 0);
    QVERIFY2(error(d)->text().contains(says), qPrintable(error(d)->text()));
    QVERIFY(!error(d)->text().contains(QStringLiteral("secrettoken123")));
    QVERIFY(!stored(store, slackWebhookKey(kConnection)));
    QVERIFY(!settingsFileBytes().contains("secrettoken123"));
    QCOMPARE(defaultUrl(d)->text(), url); // kept for correcting
}

void TstUiDelivery::reopeningShowsAPlaceholderNotTheWebhook()
{
    MemorySecretStore store;
    {
        DeliveryDialog d(kConnection, store);
        QTest::keyClicks(defaultUrl(d), kUrl);
        save(d);
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    DeliveryDialog d(kConnection, store);
    QTRY_VERIFY(defaultUrl(d)->placeholderText().contains(QStringLiteral("type to replace")));
    QVERIFY(defaultUrl(d)->text().isEmpty());
    QVERIFY(!allTexts(d).contains(QStringLiteral("secrettoken123")));
    QVERIFY(child<QPushButton>(d, "removeDefaultWebhook")->isEnabled());

    // Saving without typing keeps the stored webhook.
    save(d);
    QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    QCOMPARE(stored(store, slackWebhookKey(kConnection)), std::optional<QString>(kUrl));
}

void TstUiDelivery::removeDeletesTheWebhook()
{
    MemorySecretStore store;
    store.write(slackWebhookKey(kConnection), kUrl, [](Status) {});
    {
        // Cancel undoes Remove.
        DeliveryDialog d(kConnection, store);
        QTRY_VERIFY(child<QPushButton>(d, "removeDefaultWebhook")->isEnabled());
        child<QPushButton>(d, "removeDefaultWebhook")->click();
        d.reject();
        QVERIFY(stored(store, slackWebhookKey(kConnection)));
    }
    DeliveryDialog d(kConnection, store);
    QTRY_VERIFY(child<QPushButton>(d, "removeDefaultWebhook")->isEnabled());
    child<QPushButton>(d, "removeDefaultWebhook")->click();
    QVERIFY(defaultUrl(d)->placeholderText().contains(QStringLiteral("removed")));
    QVERIFY(!child<QPushButton>(d, "removeDefaultWebhook")->isEnabled());
    save(d);
    QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    QVERIFY(!stored(store, slackWebhookKey(kConnection)));
    QVERIFY(!DeliveryDialog::load(kConnection).slackDefault);
}

void TstUiDelivery::shopWebhookIsSavedAtItsKey()
{
    MemorySecretStore store;
    const QString shop = QStringLiteral("tall-tees.myshopify.com");
    const QString key = slackWebhookKey(kConnection, shop.toUtf8());
    {
        DeliveryDialog d(kConnection, store);
        child<QPushButton>(d, "addShop")->click();
        QTest::keyClicks(child<QLineEdit>(d, "shopDomain"), QStringLiteral(" Tall-Tees.myshopify.com "));
        QTest::keyClicks(child<QLineEdit>(d, "shopWebhook"), kShopUrl);
        save(d);
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    QCOMPARE(stored(store, key), std::optional<QString>(kShopUrl));
    QVERIFY(!stored(store, slackWebhookKey(kConnection))); // not the default one
    QCOMPARE(DeliveryDialog::load(kConnection).slackShops, QStringList{shop});
    QVERIFY(!settingsFileBytes().contains("shoptoken4567"));

    // Reopened: the shop is listed, its webhook a placeholder; a second shop with an http URL is refused.
    {
        DeliveryDialog d(kConnection, store);
        QCOMPARE(child<QLineEdit>(d, "shopDomain")->text(), shop);
        QVERIFY(child<QLineEdit>(d, "shopDomain")->isReadOnly());
        QTRY_VERIFY(child<QLineEdit>(d, "shopWebhook")->placeholderText().contains(QStringLiteral("type to replace")));
        QVERIFY(child<QLineEdit>(d, "shopWebhook")->text().isEmpty());
        QVERIFY(!allTexts(d).contains(QStringLiteral("shoptoken4567")));
        child<QPushButton>(d, "addShop")->click();
        const auto domains = d.findChildren<QLineEdit *>(QStringLiteral("shopDomain"));
        const auto urls = d.findChildren<QLineEdit *>(QStringLiteral("shopWebhook"));
        QCOMPARE(urls.size(), 2);
        QTest::keyClicks(domains[1], QStringLiteral("other.myshopify.com"));
        QTest::keyClicks(urls[1], QStringLiteral("http://hooks.slack.com/services/T2/B2/othertoken890"));
        save(d);
        QVERIFY2(error(d)->text().contains(QStringLiteral("other.myshopify.com")), qPrintable(error(d)->text()));
        QVERIFY(!error(d)->text().contains(QStringLiteral("othertoken890")));
        QCOMPARE(d.result(), int(QDialog::Rejected));
        d.reject();
    }
    QCOMPARE(DeliveryDialog::load(kConnection).slackShops, QStringList{shop});

    // Removing the shop forgets its webhook.
    DeliveryDialog d(kConnection, store);
    child<QPushButton>(d, "removeShop")->click();
    save(d);
    QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    QVERIFY(!stored(store, key));
    QVERIFY(DeliveryDialog::load(kConnection).slackShops.isEmpty());
}

void TstUiDelivery::newShopNeedsADomainAndAWebhook_data()
{
    QTest::addColumn<QString>("shop");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("says");
    QTest::addRow("no domain") << QString() << kShopUrl << QStringLiteral("domain");
    QTest::addRow("not a domain") << QStringLiteral("my shop") << kShopUrl << QStringLiteral("domain");
    QTest::addRow("no webhook") << QStringLiteral("a.myshopify.com") << QString()
                                << QStringLiteral("Enter the Slack webhook URL of shop a.myshopify.com");
}

void TstUiDelivery::newShopNeedsADomainAndAWebhook()
{
    QFETCH(QString, shop);
    QFETCH(QString, url);
    QFETCH(QString, says);
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QPushButton>(d, "addShop")->click();
    QTest::keyClicks(child<QLineEdit>(d, "shopDomain"), shop);
    QTest::keyClicks(child<QLineEdit>(d, "shopWebhook"), url);
    save(d);
    QCOMPARE(d.result(), int(QDialog::Rejected));
    QVERIFY2(error(d)->text().contains(says), qPrintable(error(d)->text()));
    QVERIFY(!error(d)->text().contains(QStringLiteral("shoptoken4567")));
}

void TstUiDelivery::showToggleAndKeyboardOrder()
{
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QPushButton>(d, "addShop")->click();
    auto *show = child<QToolButton>(d, "showWebhooks");
    show->click();
    QCOMPARE(defaultUrl(d)->echoMode(), QLineEdit::Normal);
    QCOMPARE(child<QLineEdit>(d, "shopWebhook")->echoMode(), QLineEdit::Normal);
    show->click();
    QCOMPARE(defaultUrl(d)->echoMode(), QLineEdit::Password);
    QCOMPARE(child<QLineEdit>(d, "shopWebhook")->echoMode(), QLineEdit::Password);

    // Tab goes down the form, through the added shop row, before the topic.
    d.show();
    QVERIFY(QTest::qWaitForWindowActive(&d));
    child<QCheckBox>(d, "desktop")->setFocus();
    QStringList order;
    for (int i = 0; i < 13; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        order << QApplication::focusWidget()->objectName();
    }
    // The Remove buttons are disabled while nothing is stored or typed, so Tab skips them, as it skips the alerts
    // topic's test without a cluster. Each destination's "Send a test alert" comes after what it needs.
    QCOMPARE(order, (QStringList{QStringLiteral("testDesktop"), QStringLiteral("defaultWebhook"),
                                 QStringLiteral("showWebhooks"), QStringLiteral("testDefaultWebhook"),
                                 QStringLiteral("botToken"), QStringLiteral("botChannel"), QStringLiteral("testBot"),
                                 QStringLiteral("shopDomain"), QStringLiteral("shopWebhook"),
                                 QStringLiteral("removeShop"), QStringLiteral("testShopWebhook"),
                                 QStringLiteral("addShop"), QStringLiteral("alertsTopic")}));
    // And the labels' mnemonics reach their fields.
    QTest::keyClick(&d, Qt::Key_W, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), defaultUrl(d));
    QTest::keyClick(&d, Qt::Key_T, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(d, "alertsTopic"));
    QTest::keyClick(&d, Qt::Key_O, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(d, "botToken"));
    QTest::keyClick(&d, Qt::Key_H, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(d, "botChannel"));
    // The bot's token is hidden and shown with the webhooks.
    QCOMPARE(child<QLineEdit>(d, "botToken")->echoMode(), QLineEdit::Password);
    show->click();
    QCOMPARE(child<QLineEdit>(d, "botToken")->echoMode(), QLineEdit::Normal);
}

void TstUiDelivery::botTokenGoesToTheStoreOnlyAndTheChannelToSettings()
{
    const QString token = QStringLiteral("xoxb-1234567890-0987654321-abcdefabcdefabcdef");
    MemorySecretStore store;
    {
        DeliveryDialog d(kConnection, store);
        QSignalSpy accepted(&d, &QDialog::accepted);
        QTest::keyClicks(child<QLineEdit>(d, "botToken"), token);
        QTest::keyClicks(child<QLineEdit>(d, "botChannel"), QStringLiteral("#alerts"));
        save(d);
        QTRY_COMPARE(accepted.count(), 1);
    }
    QCOMPARE(stored(store, slackBotTokenKey(kConnection)), std::optional<QString>(token));
    const QByteArray ini = settingsFileBytes();
    QVERIFY(!ini.contains("xoxb-"));
    QVERIFY(!ini.contains("abcdefabcdef"));
    DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(s.slackBot);
    QCOMPARE(s.slackChannel, QStringLiteral("#alerts"));
    QVERIFY(!s.slackDefault);

    // Reopened: the token is never shown back, only that one is stored; Remove forgets it.
    DeliveryDialog again(kConnection, store);
    auto *field = child<QLineEdit>(again, "botToken");
    QTRY_VERIFY(field->placeholderText().startsWith(QStringLiteral("stored in")));
    QVERIFY(field->text().isEmpty());
    QVERIFY2(!allTexts(again).contains(token), "the stored token was shown");
    QCOMPARE(child<QLineEdit>(again, "botChannel")->text(), QStringLiteral("#alerts"));
    QSignalSpy accepted(&again, &QDialog::accepted);
    child<QPushButton>(again, "removeBotToken")->click();
    save(again);
    QTRY_COMPARE(accepted.count(), 1);
    QCOMPARE(stored(store, slackBotTokenKey(kConnection)), std::optional<QString>());
    QVERIFY(!DeliveryDialog::load(kConnection).slackBot);
}

void TstUiDelivery::botNeedsAChannelAndAPlausibleToken_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("says");
    QTest::addRow("a token without a channel")
        << QStringLiteral("xoxb-1-2-secretsecretsecret") << QString() << QStringLiteral("Enter the channel");
    QTest::addRow("a token pasted with a line break")
        << QStringLiteral("xoxb-1-2-secret secretsecret") << QStringLiteral("#alerts")
        << QStringLiteral("characters a token never has");
}

void TstUiDelivery::botNeedsAChannelAndAPlausibleToken()
{
    QFETCH(QString, token);
    QFETCH(QString, channel);
    QFETCH(QString, says);
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QSignalSpy accepted(&d, &QDialog::accepted);
    child<QLineEdit>(d, "botToken")->setText(token);
    child<QLineEdit>(d, "botChannel")->setText(channel);
    save(d);
    QTest::qWait(50);
    QCOMPARE(accepted.count(), 0);
    QVERIFY2(error(d)->text().contains(says), qPrintable(error(d)->text()));
    QVERIFY2(!error(d)->text().contains(QStringLiteral("secret")), qPrintable(error(d)->text()));
    QCOMPARE(stored(store, slackBotTokenKey(kConnection)), std::optional<QString>());
}

void TstUiDelivery::noKeychainOffersThisSessionOnly()
{
    NoKeychainStore keychain;
    MemorySecretStore session;
    {
        DeliveryDialog d(kConnection, keychain);
        d.setSessionStore(&session);
        QSignalSpy accepted(&d, &QDialog::accepted);
        auto *keep = child<QPushButton>(d, "keepForSession");
        QVERIFY(keep->isHidden());
        QTest::keyClicks(defaultUrl(d), kUrl);
        QTest::keyClicks(child<QLineEdit>(d, "alertsTopic"), QStringLiteral("alerts"));
        save(d);

        QTRY_VERIFY2(error(d)->text().contains(QStringLiteral("Could not save the default webhook")),
                     qPrintable(error(d)->text()));
        QVERIFY(error(d)->text().contains(kNoKeychain));
        QVERIFY(!error(d)->text().contains(QStringLiteral("secrettoken123")));
        QCOMPARE(accepted.count(), 0);
        QCOMPARE(keychain.writes, 1);
        QVERIFY(!keep->isHidden());
        QVERIFY(child<QLabel>(d, "sessionOffer")->text().contains(QStringLiteral("forgets them when it closes")));
        QVERIFY(!d.usesSessionStore());
        QVERIFY(DeliveryDialog::load(kConnection).alertsTopic.isEmpty()); // nothing saved yet

        keep->click();
        QTRY_COMPARE(accepted.count(), 1);
        QVERIFY(d.usesSessionStore());
        QCOMPARE(keychain.writes, 1); // not tried again
    }
    QCOMPARE(stored(session, slackWebhookKey(kConnection)), std::optional<QString>(kUrl));
    const DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(s.sessionOnly);
    QCOMPARE(s.alertsTopic, QStringLiteral("alerts"));
    const QByteArray ini = settingsFileBytes();
    QVERIFY(ini.contains("sessionOnly=true"));
    QVERIFY(!ini.contains("secrettoken123"));

    // Reopened in the same session: on the session store, saying so, with the webhook as a placeholder.
    DeliveryDialog d(kConnection, keychain);
    d.setSessionStore(&session);
    QVERIFY(d.usesSessionStore());
    QVERIFY(child<QLabel>(d, "storeNotice")->text().contains(QStringLiteral("this session only")));
    QVERIFY(!child<QPushButton>(d, "useKeychain")->isHidden());
    QTRY_VERIFY(defaultUrl(d)->placeholderText().contains(QStringLiteral("kept for this session only")));
    QVERIFY(defaultUrl(d)->text().isEmpty());
    QVERIFY(!allTexts(d).contains(QStringLiteral("secrettoken123")));
}

void TstUiDelivery::noKeychainWithoutASessionStoreOffersNothing()
{
    NoKeychainStore keychain;
    DeliveryDialog d(kConnection, keychain);
    QTest::keyClicks(defaultUrl(d), kUrl);
    save(d);
    QTRY_VERIFY(error(d)->text().contains(kNoKeychain));
    QVERIFY(child<QPushButton>(d, "keepForSession")->isHidden());
    QCOMPARE(d.result(), int(QDialog::Rejected));
    QVERIFY(!settingsFileBytes().contains("secrettoken123"));
    QVERIFY(!QSettings().contains(QStringLiteral("delivery/Production MSK/desktop")));
}

void TstUiDelivery::sessionWebhooksMoveToTheKeychain()
{
    MemorySecretStore keychain; // a keychain that works again
    MemorySecretStore session;
    const QString shop = QStringLiteral("tall-tees.myshopify.com");
    const QString shopKey = slackWebhookKey(kConnection, shop.toUtf8());
    session.write(slackWebhookKey(kConnection), kUrl, [](Status) {});
    session.write(shopKey, kShopUrl, [](Status) {});
    {
        QSettings settings;
        settings.setValue(QStringLiteral("delivery/Production MSK/slackShops"), QStringList{shop});
        settings.setValue(QStringLiteral("delivery/Production MSK/sessionOnly"), true);
    }

    DeliveryDialog d(kConnection, keychain);
    d.setSessionStore(&session);
    QVERIFY(d.usesSessionStore());
    child<QPushButton>(d, "useKeychain")->click();
    QVERIFY(!d.usesSessionStore());
    QVERIFY(child<QLabel>(d, "storeNotice")->text().contains(QStringLiteral("moved to")));
    save(d);
    QTRY_COMPARE(d.result(), int(QDialog::Accepted));

    QCOMPARE(stored(keychain, slackWebhookKey(kConnection)), std::optional<QString>(kUrl));
    QCOMPARE(stored(keychain, shopKey), std::optional<QString>(kShopUrl));
    QVERIFY(!stored(session, slackWebhookKey(kConnection)));
    QVERIFY(!stored(session, shopKey));
    const DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(!s.sessionOnly);
    QCOMPARE(s.slackShops, QStringList{shop});
}

void TstUiDelivery::closingWhileTheKeychainIsBusyIsSafe()
{
    NoKeychainStore keychain;
    auto *d = new DeliveryDialog(kConnection, keychain);
    QTest::keyClicks(defaultUrl(*d), kUrl);
    save(*d);
    delete d; // the keychain answers after the dialog is gone
    QTest::qWait(50);
    QCOMPARE(keychain.writes, 1);
    QVERIFY(DeliveryDialog::load(kConnection).alertsTopic.isEmpty());
}

void TstUiDelivery::testAlertThroughTheDefaultWebhookArrivesOnce()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    defaultUrl(d)->setText(slack.webhookUrl().toString());
    QPushButton *button = testButton(d, "testDefaultWebhook");
    QLabel *outcome = testOutcome(d, "testDefaultWebhook");
    QVERIFY(button && outcome);
    QCOMPARE(button->text(), QStringLiteral("Send a test alert"));
    QVERIFY(outcome->isHidden() && outcome->text().isEmpty());
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 10000);
    QVERIFY(button->isEnabled());

    // Once, marked as a test, through the webhook only; nothing saved by sending it.
    QTest::qWait(300);
    QCOMPARE(slack.requests().size(), size_t(1));
    const auto &request = slack.requests().front();
    QCOMPARE(request.path, SlackTestServer::webhookPath());
    QVERIFY2(slackText(request.json()).contains(DeliveryDialog::testAlertTitle()), request.body.constData());
    QCOMPARE(DeliveryDialog::testAlertTitle(), QStringLiteral("Test alert from Peakwatch"));
    QVERIFY(!stored(store, slackWebhookKey(kConnection)).has_value());
    QVERIFY(!DeliveryDialog::load(kConnection).slackDefault);
    QVERIFY(!outcome->text().contains(slack.webhookUrl().toString())); // the URL is never shown
}

void TstUiDelivery::testAlertUsesTheStoredWebhook()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    MemorySecretStore store;
    {
        DeliveryDialog d(kConnection, store);
        defaultUrl(d)->setText(slack.webhookUrl().toString());
        save(d);
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    DeliveryDialog d(kConnection, store);
    QTRY_VERIFY(defaultUrl(d)->placeholderText().contains(QLatin1String("stored")));
    QVERIFY(defaultUrl(d)->text().isEmpty());
    testButton(d, "testDefaultWebhook")->click();
    QTRY_VERIFY_WITH_TIMEOUT(testOutcome(d, "testDefaultWebhook")->text().startsWith(QLatin1String("Sent")), 10000);
    QCOMPARE(slack.requests().size(), size_t(1));

    // Without a webhook, typed or stored, nothing is sent and the dialog says what is missing.
    MemorySecretStore empty;
    DeliveryDialog none(QStringLiteral("Another connection"), empty);
    testButton(none, "testDefaultWebhook")->click();
    QTRY_VERIFY(testOutcome(none, "testDefaultWebhook")->text().contains(QLatin1String("enter the default webhook")));
    QCOMPARE(slack.requests().size(), size_t(1));
}

void TstUiDelivery::testAlertThroughTheBotArrivesOnce()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    d.setSlackApiUrl(slack.apiUrl());
    child<QLineEdit>(d, "botToken")->setText(QString::fromLatin1(SlackTestServer::kBotToken));
    child<QLineEdit>(d, "botChannel")->setText(QString::fromLatin1(SlackTestServer::kBotChannel));
    testButton(d, "testBot")->click();
    QTRY_VERIFY_WITH_TIMEOUT(testOutcome(d, "testBot")->text().startsWith(QLatin1String("Sent")), 10000);
    QTest::qWait(300);
    QCOMPARE(slack.requests().size(), size_t(1));
    const auto &request = slack.requests().front();
    QVERIFY(request.path.endsWith("chat.postMessage"));
    QVERIFY(!request.postedTs.isEmpty());
    const QJsonObject message = request.json();
    QCOMPARE(message.value(QLatin1String("channel")).toString(), QString::fromLatin1(SlackTestServer::kBotChannel));
    QVERIFY2(slackText(message).contains(DeliveryDialog::testAlertTitle()), request.body.constData());
    QVERIFY(!message.contains(QLatin1String("thread_ts"))); // its own message, in no product's thread
    QVERIFY(!stored(store, slackBotTokenKey(kConnection)).has_value());
}

void TstUiDelivery::testAlertThroughAShopsWebhookArrivesOnce()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QPushButton>(d, "addShop")->click();
    QPushButton *button = testButton(d, "testShopWebhook");
    QLabel *outcome = testOutcome(d, "testShopWebhook");
    QVERIFY(button && outcome);
    button->click(); // no shop yet
    QTRY_VERIFY(outcome->text().contains(QLatin1String("enter the shop's domain")));
    child<QLineEdit>(d, "shopDomain")->setText(QStringLiteral("my-shop.myshopify.com"));
    child<QLineEdit>(d, "shopWebhook")->setText(slack.webhookUrl().toString());
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 10000);
    QTest::qWait(300);
    QCOMPARE(slack.requests().size(), size_t(1));
    QVERIFY(slackText(slack.requests().front().json()).contains(DeliveryDialog::testAlertTitle()));
    QVERIFY(!stored(store, slackWebhookKey(kConnection, "my-shop.myshopify.com")).has_value());

    // A row removed while its test is on the way: the answer goes nowhere, and nothing breaks.
    slack.enqueue(SlackAnswer::ok(300));
    button->click();
    child<QPushButton>(d, "removeShop")->click();
    QVERIFY(slack.waitForRequests(2));
    QTest::qWait(500);
}

void TstUiDelivery::testAlertErrorIsShownByName_data()
{
    QTest::addColumn<bool>("bot");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    QTest::addRow("a removed webhook: no_service") << false << QString() << 404 << QByteArrayLiteral("no_service");
    QTest::addRow("an archived channel: channel_is_archived")
        << false << QString() << 410 << QByteArrayLiteral("channel_is_archived");
    QTest::addRow("the bot's channel does not exist: channel_not_found")
        << true << QStringLiteral("C0NOSUCHCHANNEL") << 0 << QByteArrayLiteral("channel_not_found");
    QTest::addRow("the bot is not in the channel: not_in_channel")
        << true << QString::fromLatin1(SlackTestServer::kOtherChannel) << 0 << QByteArrayLiteral("not_in_channel");
}

void TstUiDelivery::testAlertErrorIsShownByName()
{
    QFETCH(bool, bot);
    QFETCH(QString, channel);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    d.setSlackApiUrl(slack.apiUrl());
    const char *name = bot ? "testBot" : "testDefaultWebhook";
    if (bot) {
        child<QLineEdit>(d, "botToken")->setText(QString::fromLatin1(SlackTestServer::kBotToken));
        child<QLineEdit>(d, "botChannel")->setText(channel);
    } else {
        slack.enqueue(SlackAnswer::error(status, code));
        defaultUrl(d)->setText(slack.webhookUrl().toString());
    }
    testButton(d, name)->click();
    QLabel *outcome = testOutcome(d, name);
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Not sent")), 10000);
    QVERIFY2(outcome->text().contains(QString::fromLatin1(code)), qPrintable(outcome->text()));
    QVERIFY(!outcome->isHidden());
    QVERIFY(testButton(d, name)->isEnabled()); // to try again once it is fixed
    QTest::qWait(300);
    QCOMPARE(slack.requests().size(), size_t(1)); // a test is not retried
    QVERIFY(!outcome->text().contains(QString::fromLatin1(SlackTestServer::kBotToken)));
    QVERIFY(!outcome->text().contains(QString::fromLatin1(SlackTestServer::kToken)));
}

void TstUiDelivery::testAlertToTheAlertsTopicArrivesOnce()
{
    const QString topic = QStringLiteral("peakwatch-alerts");
    auto cluster = EmbeddedCluster::start(1, {{topic, 1}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QLineEdit>(d, "alertsTopic")->setText(topic);
    QLabel *outcome = testOutcome(d, "testAlertsTopic");

    // Without the connection's cluster there is nothing to send to.
    QVERIFY(!testButton(d, "testAlertsTopic")->isEnabled());
    QVERIFY(testButton(d, "testAlertsTopic")->toolTip().contains(QLatin1String("Connect")));

    d.setKafkaConnection((*cluster)->bootstrapServers(), {});
    QVERIFY(testButton(d, "testAlertsTopic")->isEnabled());
    testButton(d, "testAlertsTopic")->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 15000);

    struct Collector final : ConsumerHandler {
        std::mutex mutex;
        std::vector<QByteArray> values;
        void onMessages(const std::vector<RawMessage> &batch) override
        {
            std::lock_guard lock(mutex);
            for (const RawMessage &m : batch)
                values.emplace_back(m.value.data(), qsizetype(m.value.size()));
        }
        void onDataLost(const QString &) override {}
    } collector;
    KafkaConsumer consumer({.bootstrapServers = (*cluster)->bootstrapServers(), .topic = topic, .stopAtEnd = true},
                           collector);
    QVERIFY(consumer.start().ok());
    consumer.wait();
    QVERIFY2(consumer.fatalError().isEmpty(), qPrintable(consumer.fatalError()));
    std::lock_guard lock(collector.mutex);
    QCOMPARE(collector.values.size(), size_t(1));
    const QJsonObject record = QJsonDocument::fromJson(collector.values.front()).object();
    QCOMPARE(record.value(QLatin1String("type")).toString(), QStringLiteral("alert"));
    QVERIFY2(QString::fromUtf8(collector.values.front()).contains(DeliveryDialog::testAlertTitle()),
             collector.values.front().constData());
    QVERIFY(DeliveryDialog::load(kConnection).alertsTopic.isEmpty()); // sending saved nothing
}

void TstUiDelivery::testAlertToTheDesktopSaysHowItWent()
{
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QPushButton *button = testButton(d, "testDesktop");
    QLabel *outcome = testOutcome(d, "testDesktop");
    QVERIFY(button && outcome);
    button->click();
    // Shown, or why not (a machine without a notification service): either way, said next to the button.
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")) ||
                                 outcome->text().startsWith(QLatin1String("Not sent: ")),
                             10000);
    QVERIFY(outcome->text().size() > QStringLiteral("Not sent: ").size());
    QVERIFY(button->isEnabled());
}

void TstUiDelivery::emailJiraAndWebhookSecretsGoToTheStoreOnly()
{
    const QString smtp = QStringLiteral("smtps://alerts%40northwind.example:smtp-pass-1357@smtp.northwind.example:465");
    const QString jira = QStringLiteral("https://pat%40peak.example:jiratoken-9753@peak.atlassian.net");
    const QString hook = QStringLiteral("https://reorders.example.com/hooks/tok-8642");
    const QString key = QString::fromLatin1(kSigningKey);
    MemorySecretStore store;
    {
        DeliveryDialog d(kConnection, store);
        QSignalSpy accepted(&d, &QDialog::accepted);
        child<QLineEdit>(d, "emailSmtpUrl")->setText(smtp);
        child<QLineEdit>(d, "emailTo")
            ->setText(QStringLiteral("ops@northwind.example, Buyer <buyer@northwind.example>"));
        child<QLineEdit>(d, "emailFrom")->setText(QStringLiteral("alerts@northwind.example"));
        child<QPlainTextEdit>(d, "emailShopTo")
            ->setPlainText(
                QStringLiteral("\nalpine-outfitters.myshopify.com = Supplier <orders@supplier.example>, "
                               "buyer@alpine.example\n  \nharbor-home.myshopify.com=buyer@harbor.example\n"));
        child<QSpinBox>(d, "emailDigestMinutes")->setValue(15);
        child<QLineEdit>(d, "jiraSite")->setText(jira);
        child<QLineEdit>(d, "jiraProject")->setText(QStringLiteral("OPS"));
        child<QLineEdit>(d, "jiraIssueType")->setText(QStringLiteral("Bug"));
        child<QLineEdit>(d, "jiraLabels")->setText(QStringLiteral("stock, reorder"));
        child<QCheckBox>(d, "jiraResolveOnRestock")->setChecked(false);
        child<QLineEdit>(d, "jiraResolveTransition")->setText(QStringLiteral("Closed"));
        child<QLineEdit>(d, "webhookUrl")->setText(hook);
        child<QLineEdit>(d, "webhookSigningKey")->setText(key);
        for (const char *secret : {"emailSmtpUrl", "jiraSite", "webhookUrl", "webhookSigningKey"})
            QCOMPARE(child<QLineEdit>(d, secret)->echoMode(), QLineEdit::Password);
        save(d);
        QTRY_COMPARE(accepted.count(), 1);
    }
    QCOMPARE(stored(store, emailSmtpUrlKey(kConnection)), std::optional<QString>(smtp));
    QCOMPARE(stored(store, jiraSiteKey(kConnection)), std::optional<QString>(jira));
    QCOMPARE(stored(store, webhookUrlKey(kConnection)), std::optional<QString>(hook));
    QCOMPARE(stored(store, webhookSigningKeyKey(kConnection)), std::optional<QString>(key));
    const QByteArray ini = settingsFileBytes();
    QVERIFY(ini.contains("emailTo") && ini.contains("jiraProject"));
    for (const char *secret : {"smtp-pass-1357", "jiratoken-9753", "tok-8642", kSigningKey.constData(),
                               "smtp.northwind.example", "peak.atlassian.net", "reorders.example.com"})
        QVERIFY2(!ini.contains(secret), secret);
    DeliverySettings s = DeliveryDialog::load(kConnection);
    QVERIFY(s.email && s.jira && s.webhook);
    QCOMPARE(s.emailTo,
             (QStringList{QStringLiteral("ops@northwind.example"), QStringLiteral("Buyer <buyer@northwind.example>")}));
    QCOMPARE(s.emailFrom, QStringLiteral("alerts@northwind.example"));
    QCOMPARE(s.emailShopTo, (QStringList{QStringLiteral("alpine-outfitters.myshopify.com = Supplier "
                                                        "<orders@supplier.example>, buyer@alpine.example"),
                                         QStringLiteral("harbor-home.myshopify.com=buyer@harbor.example")}));
    QCOMPARE(s.emailDigestMinutes, 15);
    QCOMPARE(s.jiraProject, QStringLiteral("OPS"));
    QCOMPARE(s.jiraIssueType, QStringLiteral("Bug"));
    QCOMPARE(s.jiraLabels, (QStringList{QStringLiteral("stock"), QStringLiteral("reorder")}));
    QVERIFY(!s.jiraResolveOnRestock);
    QCOMPARE(s.jiraResolveTransition, QStringLiteral("Closed"));

    // Reopened: the plain fields as saved, the secrets as placeholders; saving without typing keeps them.
    {
        DeliveryDialog d(kConnection, store);
        for (const char *secret : {"emailSmtpUrl", "jiraSite", "webhookUrl", "webhookSigningKey"}) {
            QTRY_VERIFY2(child<QLineEdit>(d, secret)->placeholderText().contains(QStringLiteral("stored")), secret);
            QVERIFY(child<QLineEdit>(d, secret)->text().isEmpty());
        }
        QCOMPARE(child<QLineEdit>(d, "jiraProject")->text(), QStringLiteral("OPS"));
        QCOMPARE(child<QSpinBox>(d, "emailDigestMinutes")->value(), 15);
        QCOMPARE(child<QPlainTextEdit>(d, "emailShopTo")->toPlainText(), s.emailShopTo.join(u'\n'));
        const QString texts = allTexts(d);
        for (const QString &secret :
             {QStringLiteral("smtp-pass-1357"), QStringLiteral("jiratoken-9753"), QStringLiteral("tok-8642"), key})
            QVERIFY2(!texts.contains(secret), qPrintable(secret));
        save(d);
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    QCOMPARE(stored(store, jiraSiteKey(kConnection)), std::optional<QString>(jira));
    QCOMPARE(stored(store, webhookSigningKeyKey(kConnection)), std::optional<QString>(key));

    // Remove forgets each destination's secrets, and the destination is off.
    DeliveryDialog d(kConnection, store);
    for (const char *remove : {"removeEmail", "removeJira", "removeWebhook"}) {
        QTRY_VERIFY2(child<QPushButton>(d, remove)->isEnabled(), remove);
        child<QPushButton>(d, remove)->click();
    }
    QVERIFY(child<QLineEdit>(d, "jiraSite")->placeholderText().contains(QStringLiteral("removed")));
    save(d);
    QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    for (const QString &k : {emailSmtpUrlKey(kConnection), jiraSiteKey(kConnection), webhookUrlKey(kConnection),
                             webhookSigningKeyKey(kConnection)})
        QVERIFY2(!stored(store, k), qPrintable(k));
    s = DeliveryDialog::load(kConnection);
    QVERIFY(!s.email && !s.jira && !s.webhook);
}

void TstUiDelivery::emailJiraAndWebhookRefuseBadInputInWords_data()
{
    QTest::addColumn<QStringList>("fields"); // objectName=value
    QTest::addColumn<QString>("says");
    const QString smtp = QStringLiteral("emailSmtpUrl=smtp://alerts%40n.example:smtp-pass-1357@127.0.0.1:2525");
    QTest::addRow("webhook: plain http to another machine")
        << QStringList{QStringLiteral("webhookUrl=http://reorders.example.com/hooks/tok-8642"),
                       QStringLiteral("webhookSigningKey=whsec-signing-key-2468")}
        << QStringLiteral("must use https");
    QTest::addRow("webhook: no signing key")
        << QStringList{QStringLiteral("webhookUrl=https://reorders.example.com/hooks/tok-8642")}
        << QStringLiteral("enter the key that signs each body");
    QTest::addRow("jira: a site without an API token")
        << QStringList{QStringLiteral("jiraSite=https://pat%40peak.example@peak.atlassian.net"),
                       QStringLiteral("jiraProject=OPS")}
        << QStringLiteral("no API token");
    QTest::addRow("jira: plain http to another machine")
        << QStringList{QStringLiteral("jiraSite=http://pat%40peak.example:jiratoken-9753@peak.atlassian.net"),
                       QStringLiteral("jiraProject=OPS")}
        << QStringLiteral("must use https");
    QTest::addRow("jira: no project") << QStringList{QStringLiteral(
                                             "jiraSite=https://pat%40peak.example:jiratoken-9753@peak.atlassian.net")}
                                      << QStringLiteral("No Jira project");
    QTest::addRow("e-mail: no recipients") << QStringList{smtp} << QStringLiteral("at least one recipient");
    QTest::addRow("e-mail: recipients without a server")
        << QStringList{QStringLiteral("emailTo=ops@northwind.example")} << QStringLiteral("SMTP server's URL");
    QTest::addRow("e-mail: a server without a password")
        << QStringList{QStringLiteral("emailSmtpUrl=smtps://alerts%40n.example@smtp.n.example:465"),
                       QStringLiteral("emailTo=ops@northwind.example")}
        << QStringLiteral("holds no password");
    QTest::addRow("e-mail: a recipient that is no address")
        << QStringList{smtp, QStringLiteral("emailTo=ops at northwind")} << QStringLiteral("recipient");
    QTest::addRow("e-mail: a shop line without an address")
        << QStringList{smtp, QStringLiteral("emailTo=ops@northwind.example"),
                       QStringLiteral("emailShopTo=a.myshopify.com=buyer@a.example\nb.myshopify.com")}
        << QStringLiteral("E-mail, per shop, line 2: \"b.myshopify.com\" names no address");
    QTest::addRow("e-mail: a shop line naming no shop")
        << QStringList{smtp, QStringLiteral("emailShopTo=northwind = buyer@northwind.example")}
        << QStringLiteral("line 1: \"northwind\" is not a shop's domain");
    QTest::addRow("e-mail: shop lines without a server")
        << QStringList{QStringLiteral("emailShopTo=a.myshopify.com=buyer@a.example")}
        << QStringLiteral("SMTP server's URL");
}

void TstUiDelivery::emailJiraAndWebhookRefuseBadInputInWords()
{
    QFETCH(QStringList, fields);
    QFETCH(QString, says);
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QSignalSpy accepted(&d, &QDialog::accepted);
    for (const QString &field : std::as_const(fields)) {
        const qsizetype eq = field.indexOf(u'=');
        if (auto *lines = d.findChild<QPlainTextEdit *>(field.left(eq))) {
            lines->setPlainText(field.mid(eq + 1));
            continue;
        }
        auto *edit = d.findChild<QLineEdit *>(field.left(eq));
        QVERIFY2(edit, qPrintable(field));
        edit->setText(field.mid(eq + 1));
    }
    save(d);
    QTest::qWait(50);
    QCOMPARE(accepted.count(), 0);
    QVERIFY2(error(d)->text().contains(says), qPrintable(error(d)->text()));
    for (const char *secret : {"smtp-pass-1357", "jiratoken-9753", "tok-8642", kSigningKey.constData()})
        QVERIFY2(!error(d)->text().contains(QLatin1String(secret)), qPrintable(error(d)->text()));
    for (const QString &k : {emailSmtpUrlKey(kConnection), jiraSiteKey(kConnection), webhookUrlKey(kConnection),
                             webhookSigningKeyKey(kConnection)})
        QVERIFY(!stored(store, k));
    QVERIFY(!settingsFileBytes().contains("delivery"));
}

void TstUiDelivery::testAlertReachesTheWebhookSigned()
{
    WebhookReceiver receiver;
    QVERIFY(receiver.ok());
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    QPushButton *button = testButton(d, "testWebhook");
    QLabel *outcome = testOutcome(d, "testWebhook");
    QVERIFY(button && outcome);
    button->click(); // nothing entered yet
    QTRY_VERIFY(outcome->text().contains(QLatin1String("enter the webhook's URL")));
    child<QLineEdit>(d, "webhookUrl")->setText(receiver.url().toString());
    button->click();
    QTRY_VERIFY(outcome->text().contains(QLatin1String("enter the webhook's signing key")));
    child<QLineEdit>(d, "webhookSigningKey")->setText(QString::fromLatin1(kSigningKey));
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 10000);
    QTest::qWait(300);
    QCOMPARE(receiver.posts.size(), size_t(1));
    QVERIFY(receiver.posts.front().signedWell);
    QVERIFY2(receiver.posts.front().body.contains(DeliveryDialog::testAlertTitle().toUtf8()),
             receiver.posts.front().body.constData());
    QVERIFY(!stored(store, webhookUrlKey(kConnection)).has_value()); // sending saved nothing

    // A key the receiver does not share: refused, said beside the button, the key not shown.
    child<QLineEdit>(d, "webhookSigningKey")->setText(QStringLiteral("not-the-shared-key-1111"));
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Not sent")), 10000);
    QVERIFY2(outcome->text().contains(QLatin1String("401")), qPrintable(outcome->text()));
    QVERIFY(!outcome->text().contains(QLatin1String("not-the-shared-key-1111")));
    QCOMPARE(receiver.posts.size(), size_t(2));
    QVERIFY(!receiver.posts.back().signedWell);
}

void TstUiDelivery::testAlertFilesAJiraIssue()
{
    JiraTestServer jira;
    QVERIFY2(jira.listen(), qPrintable(jira.errorString()));
    MemorySecretStore store;
    {
        DeliveryDialog d(kConnection, store);
        child<QLineEdit>(d, "jiraSite")->setText(jira.siteUrl().toString());
        child<QLineEdit>(d, "jiraProject")->setText(QString::fromLatin1(JiraTestServer::kProject));
        testButton(d, "testJira")->click();
        QLabel *outcome = testOutcome(d, "testJira");
        QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 10000);
        QCOMPARE(jira.issues().size(), size_t(1));
        QVERIFY2(jira.issues().front().summary.contains(DeliveryDialog::testAlertTitle()),
                 qPrintable(jira.issues().front().summary));
        QVERIFY(!outcome->text().contains(QLatin1String(JiraTestServer::kToken)));
        save(d);
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    // With the stored site.
    DeliveryDialog d(kConnection, store);
    QTRY_VERIFY(child<QLineEdit>(d, "jiraSite")->placeholderText().contains(QLatin1String("stored")));
    testButton(d, "testJira")->click();
    QTRY_VERIFY_WITH_TIMEOUT(testOutcome(d, "testJira")->text().startsWith(QLatin1String("Sent")), 10000);
    QCOMPARE(jira.issues().size(), size_t(2));
}

void TstUiDelivery::testAlertToJiraWithAWrongTokenSaysSoWithoutIt()
{
    JiraTestServer jira;
    QVERIFY2(jira.listen(), qPrintable(jira.errorString()));
    const QString wrongToken = QStringLiteral("ATATT3xFfGF0RevokedTokenOfPeakwatch=9Z8Y7X");
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QLineEdit>(d, "jiraSite")
        ->setText(jira.siteUrl(QString::fromLatin1(JiraTestServer::kUser), wrongToken).toString());
    child<QLineEdit>(d, "jiraProject")->setText(QString::fromLatin1(JiraTestServer::kProject));
    testButton(d, "testJira")->click();
    QLabel *outcome = testOutcome(d, "testJira");
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Not sent")), 10000);
    QVERIFY2(outcome->text().contains(QLatin1String("credentials")), qPrintable(outcome->text()));
    QVERIFY(!outcome->text().contains(wrongToken));
    QVERIFY(!outcome->text().contains(QLatin1String("RevokedToken")));
    QVERIFY(jira.issues().empty());
}

void TstUiDelivery::testAlertReachesTheSmtpServer()
{
    if (!smtpServerAvailable())
        QSKIP("Python's aiosmtpd is missing: install the Debian package python3-aiosmtpd");
    SmtpServer smtp;
    QVERIFY2(smtp.ok(), qPrintable(smtp.problem()));
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QLineEdit>(d, "emailSmtpUrl")->setText(smtp.url().toString(QUrl::FullyEncoded));
    QPushButton *button = testButton(d, "testEmail");
    QLabel *outcome = testOutcome(d, "testEmail");
    button->click(); // no recipient yet
    QTRY_VERIFY(outcome->text().contains(QLatin1String("recipient")));
    child<QLineEdit>(d, "emailTo")->setText(QStringLiteral("ops@northwind.example"));
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Sent")), 20000);
    QTRY_COMPARE(smtp.messages().size(), size_t(1));
    const QByteArray message = QJsonDocument(smtp.messages().front()).toJson();
    QVERIFY2(message.contains(DeliveryDialog::testAlertTitle().toUtf8()), message.constData());
    QVERIFY2(message.contains("ops@northwind.example"), message.constData());
    QVERIFY(!outcome->text().contains(smtp_test::kPassword));
    QVERIFY(!stored(store, emailSmtpUrlKey(kConnection)).has_value());
}

void TstUiDelivery::testAlertWithAWrongSmtpPasswordSaysSoWithoutIt()
{
    if (!smtpServerAvailable())
        QSKIP("Python's aiosmtpd is missing: install the Debian package python3-aiosmtpd");
    SmtpServer smtp;
    QVERIFY2(smtp.ok(), qPrintable(smtp.problem()));
    const QString wrong = QStringLiteral("wrong-pass-8080");
    MemorySecretStore store;
    DeliveryDialog d(kConnection, store);
    child<QLineEdit>(d, "emailSmtpUrl")->setText(smtp.url(wrong).toString(QUrl::FullyEncoded));
    child<QLineEdit>(d, "emailTo")->setText(QStringLiteral("ops@northwind.example"));
    testButton(d, "testEmail")->click();
    QLabel *outcome = testOutcome(d, "testEmail");
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().startsWith(QLatin1String("Not sent")), 20000);
    QVERIFY2(outcome->text().contains(QLatin1String("refused the user and password")), qPrintable(outcome->text()));
    QVERIFY(!outcome->text().contains(wrong));
    QVERIFY(smtp.messages().empty());
}

void TstUiDelivery::alertCenterDeliversToEmailJiraAndWebhook()
{
    if (!smtpServerAvailable())
        QSKIP("Python's aiosmtpd is missing: install the Debian package python3-aiosmtpd");
    SmtpServer smtp;
    QVERIFY2(smtp.ok(), qPrintable(smtp.problem()));
    JiraTestServer jira;
    QVERIFY2(jira.listen(), qPrintable(jira.errorString()));
    WebhookReceiver receiver;
    QVERIFY(receiver.ok());
    QTemporaryDir dir;
    QWidget window;
    AlertCenter center(&window);
    QVERIFY(center.open(dir.filePath(QStringLiteral("alerts.sqlite"))).ok());
    // Saved through the dialog, kept for this session only in the center's session store, as the window does
    // when no keychain service runs (so the test needs none).
    {
        NoKeychainStore keychain;
        DeliveryDialog d(kConnection, keychain);
        d.setSessionStore(&center.sessionSecrets());
        child<QCheckBox>(d, "desktop")->setChecked(false);
        child<QLineEdit>(d, "emailSmtpUrl")->setText(smtp.url().toString(QUrl::FullyEncoded));
        child<QLineEdit>(d, "emailTo")->setText(QStringLiteral("ops@northwind.example"));
        // The alert's shop has a buyer of its own: ops gets nothing.
        child<QPlainTextEdit>(d, "emailShopTo")
            ->setPlainText(QStringLiteral("northwind.myshopify.com = Buyer <buyer@northwind.example>"));
        child<QLineEdit>(d, "jiraSite")->setText(jira.siteUrl().toString());
        child<QLineEdit>(d, "jiraProject")->setText(QString::fromLatin1(JiraTestServer::kProject));
        child<QLineEdit>(d, "webhookUrl")->setText(receiver.url().toString());
        child<QLineEdit>(d, "webhookSigningKey")->setText(QString::fromLatin1(kSigningKey));
        save(d);
        QTRY_VERIFY(!child<QPushButton>(d, "keepForSession")->isHidden());
        child<QPushButton>(d, "keepForSession")->click();
        QTRY_COMPARE(d.result(), int(QDialog::Accepted));
    }
    QVERIFY(DeliveryDialog::load(kConnection).sessionOnly);
    center.configure(kConnection, QString(), {});
    Alert a;
    a.id = "center-alert-1";
    a.rule = AlertRule::LowStock;
    a.shop = "northwind.myshopify.com";
    a.productId = 4242;
    a.title = "Wool Scarf";
    a.quantity = 3;
    a.atMs = QDateTime::currentMSecsSinceEpoch();
    a.episode = a.id;
    a.message = QStringLiteral("Wool Scarf: 3 left");
    center.submit({a});
    QTRY_COMPARE_WITH_TIMEOUT(receiver.posts.size(), size_t(1), 20000);
    QVERIFY(receiver.posts.front().signedWell);
    QVERIFY(receiver.posts.front().body.contains("Wool Scarf"));
    QTRY_COMPARE_WITH_TIMEOUT(jira.issues().size(), size_t(1), 20000);
    QVERIFY2(jira.issues().front().summary.contains(QLatin1String("Wool Scarf")),
             qPrintable(jira.issues().front().summary));
    QTRY_COMPARE_WITH_TIMEOUT(smtp.messages().size(), size_t(1), 20000);
    QVERIFY(QJsonDocument(smtp.messages().front()).toJson().contains("Wool Scarf"));
    QCOMPARE(smtp.messages().front().value(QLatin1StringView("rcpt_tos")).toArray(),
             QJsonArray{QStringLiteral("buyer@northwind.example")});
    QVERIFY2(center.problem().isEmpty(), qPrintable(center.problem()));
}

QTEST_MAIN(TstUiDelivery)
#include "tst_ui_delivery.moc"
