// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QString>

#include <functional>
#include <map>
#include <optional>

namespace peakwatch {

// Where secrets live (Slack webhook URLs; later SASL passwords and AWS keys): behind this one small
// interface, so that the system keychain, a session-only memory store and tests are interchangeable.
// Secrets never go to a settings file or a log. Calls answer through the callback, possibly before they
// return; use from one thread with an event loop.
class SecretStore {
public:
    virtual ~SecretStore() = default;

    using Done = std::function<void(Status)>;
    using Found = std::function<void(Result<std::optional<QString>>)>; // nullopt: no such secret

    virtual void read(const QString &key, Found found) = 0;
    virtual void write(const QString &key, const QString &secret, Done done) = 0;
    virtual void remove(const QString &key, Done done) = 0;
    // For messages: "the system keychain", "this session only".
    virtual QString where() const = 0;
};

// Secrets for as long as the program runs, never written anywhere: where no keychain service runs and the
// user chose to keep a secret for this session only, and in tests.
class MemorySecretStore final : public SecretStore {
public:
    void read(const QString &key, Found found) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;
    QString where() const override { return QStringLiteral("this session only"); }

private:
    std::map<QString, QString> m_secrets;
};

// The system keychain through QtKeychain (the Secret Service on Linux: GNOME Keyring, KWallet), under the
// service name "peakwatch". Never falls back to a plaintext file: without a keychain service, an error
// says so and the caller offers the session-only store.
class KeychainSecretStore final : public SecretStore {
public:
    void read(const QString &key, Found found) override;
    void write(const QString &key, const QString &secret, Done done) override;
    void remove(const QString &key, Done done) override;
    QString where() const override { return QStringLiteral("the system keychain"); }
};

// Keys of the secrets Peakwatch keeps.
QString slackWebhookKey(const QString &connection, const QByteArray &shop = {}); // shop empty: the default one
QString slackBotTokenKey(const QString &connection);     // the Slack bot's token (xoxb-…) of a connection
QString emailSmtpUrlKey(const QString &connection);      // smtp[s]://user:password@host:port
QString jiraSiteKey(const QString &connection);          // https://user:api-token@site.atlassian.net
QString webhookUrlKey(const QString &connection);        // the receiver's URL (it often holds a token)
QString webhookSigningKeyKey(const QString &connection); // the key that signs each body

} // namespace peakwatch
