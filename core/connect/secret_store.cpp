// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "secret_store.h"

#include "redaction.h"

#include <QStringBuilder>
#include <qt6keychain/keychain.h>

namespace peakwatch {
namespace {

const QString kService = QStringLiteral("peakwatch");

QString keychainError(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("no keychain service is running (such as GNOME Keyring or KWallet): ") %
               redacted(job.errorString());
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied: return QStringLiteral("the keychain refused access: ") % redacted(job.errorString());
    default:
        // Without a Secret Service on the session bus, libsecret gives no more than "Unknown error".
        return QStringLiteral("the system keychain did not answer (is a keychain service such as GNOME Keyring "
                              "running in this session?): ") %
               redacted(job.errorString());
    }
}

} // namespace

void MemorySecretStore::read(const QString &key, Found found)
{
    const auto it = m_secrets.find(key);
    found(it == m_secrets.end() ? std::optional<QString>() : std::optional<QString>(it->second));
}

void MemorySecretStore::write(const QString &key, const QString &secret, Done done)
{
    registerSecret(secret);
    m_secrets[key] = secret;
    done({});
}

void MemorySecretStore::remove(const QString &key, Done done)
{
    m_secrets.erase(key);
    done({});
}

void KeychainSecretStore::read(const QString &key, Found found)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [found = std::move(found)](QKeychain::Job *done) {
        if (done->error() == QKeychain::EntryNotFound) {
            found(std::optional<QString>());
            return;
        }
        if (done->error() != QKeychain::NoError) {
            found(Error{keychainError(*done)});
            return;
        }
        const QString secret = static_cast<QKeychain::ReadPasswordJob *>(done)->textData();
        registerSecret(secret);
        found(std::optional<QString>(secret));
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, Done done)
{
    registerSecret(secret);
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *finished) {
        done(finished->error() == QKeychain::NoError ? Status() : Status(Error{keychainError(*finished)}));
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *finished) {
        const bool gone = finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound;
        done(gone ? Status() : Status(Error{keychainError(*finished)}));
    });
    job->start();
}

QString slackWebhookKey(const QString &connection, const QByteArray &shop)
{
    const QString key = QStringLiteral("slack-webhook/") % connection;
    return shop.isEmpty() ? key : QString(key % u'/' % QString::fromUtf8(shop));
}

QString slackBotTokenKey(const QString &connection)
{
    return QStringLiteral("slack-bot-token/") % connection;
}

QString emailSmtpUrlKey(const QString &connection)
{
    return QStringLiteral("email-smtp-url/") % connection;
}

QString jiraSiteKey(const QString &connection)
{
    return QStringLiteral("jira-site/") % connection;
}

QString webhookUrlKey(const QString &connection)
{
    return QStringLiteral("webhook-url/") % connection;
}

QString webhookSigningKeyKey(const QString &connection)
{
    return QStringLiteral("webhook-signing-key/") % connection;
}

} // namespace peakwatch
