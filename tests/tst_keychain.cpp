// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The secret store against the real thing: GNOME Keyring on a private session bus (CTest runs this test
// through tests/data/keyring/run_with_keyring.sh). Secrets go into the keyring and come back; nothing of
// them lands in a plain file; a missing secret is "none", not an error.
#include "secret_store.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace peakwatch;

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

QTEST_GUILESS_MAIN(TstKeychain)
#include "tst_keychain.moc"
