// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The secret store against the real thing: GNOME Keyring on a private session bus (CTest runs this test
// through tests/data/keyring/run_with_keyring.sh). Secrets go into the keyring and come back; nothing of
// them lands in a plain file; a missing secret is "none", not an error. The desktop's alert center reads its Slack
// webhook from the keyring and holds the alerts of the meantime until it has: none goes without Slack.
#include "alert_center.h"
#include "secret_store.h"
#include "slack_test_server.h"

#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <optional>

using namespace peakwatch;
using namespace peakwatch::test;
using peakwatch::ui::AlertCenter;

namespace {

constexpr auto kWebhook = "https://hooks.slack.com/services/T0KEYRING/B0KEYRING/keyringtoken0123456789";

} // namespace

class TstKeychain final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void secretRoundTripsThroughTheKeyring();
    void missingSecretIsNoneNotAnError();
    void nothingOfTheSecretInAPlainFile();
    void alertsRecordedWhileTheWebhookIsReadStillReachSlack();
};

void TstKeychain::initTestCase()
{
    QVERIFY2(
        qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
        "run through tests/data/keyring/run_with_keyring.sh (CTest does): it needs a session bus and GNOME Keyring");
    QVERIFY2(qEnvironmentVariableIsSet("PEAKWATCH_KEYRING_HOME"),
             "run through run_with_keyring.sh: it keeps HOME private");
}

void TstKeychain::secretRoundTripsThroughTheKeyring()
{
    KeychainSecretStore store;
    const QString key = slackWebhookKey(QStringLiteral("Keyring test"));
    std::optional<Status> written;
    store.write(key, QString::fromLatin1(kWebhook), [&](Status s) { written = s; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 15000);
    QVERIFY2(written->ok(), qPrintable(written->error()));

    std::optional<Result<std::optional<QString>>> read;
    store.read(key, [&](Result<std::optional<QString>> r) { read = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QVERIFY2(read->ok(), qPrintable(read->error()));
    QCOMPARE(read->value(), std::optional<QString>(QString::fromLatin1(kWebhook)));

    std::optional<Status> removed;
    store.remove(key, [&](Status s) { removed = s; });
    QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
    QVERIFY2(removed->ok(), qPrintable(removed->error()));
    read.reset();
    store.read(key, [&](Result<std::optional<QString>> r) { read = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QVERIFY2(read->ok(), qPrintable(read->error()));
    QVERIFY(!read->value().has_value());
}

void TstKeychain::missingSecretIsNoneNotAnError()
{
    KeychainSecretStore store;
    std::optional<Result<std::optional<QString>>> read;
    store.read(QStringLiteral("slack-webhook/never saved"),
               [&](Result<std::optional<QString>> r) { read = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QVERIFY2(read->ok(), qPrintable(read->error()));
    QVERIFY(!read->value().has_value());
}

void TstKeychain::nothingOfTheSecretInAPlainFile()
{
    KeychainSecretStore store;
    std::optional<Status> written;
    store.write(slackWebhookKey(QStringLiteral("Kept")), QString::fromLatin1(kWebhook), [&](Status s) { written = s; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 15000);
    QVERIFY2(written->ok(), qPrintable(written->error()));
    // The keyring file is encrypted: no file under the private home holds the token in the clear.
    int files = 0;
    for (QDirIterator it(qEnvironmentVariable("PEAKWATCH_KEYRING_HOME"), QDir::Files | QDir::Hidden,
                         QDirIterator::Subdirectories);
         it.hasNext();) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        ++files;
        QVERIFY2(!file.readAll().contains("keyringtoken0123456789"), qPrintable(file.fileName()));
    }
    QVERIFY(files > 0); // the keyring itself is there
}

void TstKeychain::alertsRecordedWhileTheWebhookIsReadStillReachSlack()
{
    SlackTestServer slack;
    QVERIFY2(slack.listen(), qPrintable(slack.errorString()));
    slack.setDefaultAnswer(SlackAnswer::ok());
    const QString connection = QStringLiteral("Keyring shop");
    {
        KeychainSecretStore store;
        std::optional<Status> written;
        store.write(slackWebhookKey(connection), slack.webhookUrl().toString(), [&](Status s) { written = s; });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 15000);
        QVERIFY2(written->ok(), qPrintable(written->error()));
    }
    {
        QSettings settings;
        settings.setValue(QStringLiteral("delivery/Keyring shop/slackDefault"), true);
        settings.setValue(QStringLiteral("delivery/Keyring shop/desktop"), false);
    }
    QTemporaryDir dir;
    QWidget window;
    AlertCenter center(&window);
    QVERIFY(center.open(dir.filePath(QStringLiteral("alerts.sqlite"))).ok());
    // The alerts come right after the connection is configured, while the keyring is still being asked for the
    // webhook (a D-Bus round trip): they wait for it, and go to Slack with the rest.
    center.configure(connection, QString(), {});
    std::vector<Alert> alerts;
    for (int i = 1; i <= 3; ++i) {
        Alert a;
        a.id = "keyring-alert-" + QByteArray::number(i);
        a.rule = AlertRule::LowStock;
        a.shop = "keyring-shop.myshopify.com";
        a.productId = 8800 + i;
        a.title = "Wool Scarf " + QByteArray::number(i);
        a.quantity = 3;
        a.atMs = 1795000000000 + i;
        a.episode = a.id;
        a.message = QStringLiteral("Wool Scarf %1: 3 left").arg(i);
        alerts.push_back(a);
    }
    center.submit(alerts);
    // Slack takes a group of alerts as one message.
    const auto sentToSlack = [&] {
        QByteArray bodies;
        for (const SlackRequest &request : slack.requests())
            bodies += request.body;
        return bodies;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(sentToSlack().contains("Wool Scarf 1") && sentToSlack().contains("Wool Scarf 2") &&
                                  sentToSlack().contains("Wool Scarf 3"),
                              sentToSlack().constData(), 20000);
}

QTEST_MAIN(TstKeychain)
#include "tst_keychain.moc"
