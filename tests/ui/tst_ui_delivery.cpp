// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The "Alert delivery" dialog, offscreen: webhook URLs go to the secret store and never to the settings file or
// back on screen, bad URLs are refused without echoing their token, per-shop webhooks, a Slack bot's token (a
// secret like the webhooks) and channel, and the session-only choice when no keychain service runs.
#include "delivery_dialog.h"
#include "embedded_cluster.h"
#include "kafka_consumer.h"
#include "secret_store.h"
#include "slack_test_server.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
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
using peakwatch::test::SlackAnswer;
using peakwatch::test::SlackTestServer;

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

QTEST_MAIN(TstUiDelivery)
#include "tst_ui_delivery.moc"
