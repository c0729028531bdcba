// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_properties.h"

#include "redaction.h"

#include <QRegularExpression>
#include <QStringBuilder>

namespace peakwatch {
namespace {

// password="…", secret='…' or password=… inside a JAAS configuration (any option whose name holds either word).
const QRegularExpression &jaasSecretOption()
{
    static const QRegularExpression re(
        QStringLiteral(R"((\b[\w.]*(?:password|secret)[\w.]*\s*=\s*)("[^"]*"|'[^']*'|[^\s;]+))"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

bool isJaas(const QByteArray &key)
{
    return key.contains("jaas");
}

void registerSecretsOf(const QByteArray &key, const QString &value)
{
    if (isJaas(key)) { // its options that hold secrets, one by one, as well as the whole line
        for (auto it = jaasSecretOption().globalMatch(value); it.hasNext();) {
            QString secret = it.next().captured(2);
            if (secret.size() >= 2 && (secret.front() == u'"' || secret.front() == u'\''))
                secret = secret.mid(1, secret.size() - 2);
            registerSecret(secret);
        }
    }
    if (isJaas(key) || isSecretKafkaProperty(key))
        registerSecret(value);
}

} // namespace

QString shownKafkaPropertyValue(const QByteArray &key, const QString &value)
{
    // A JAAS line is hidden whole: with its quoting broken (found by fuzz_client_properties), where one of its secrets
    // ends is anyone's guess.
    if (isJaas(key) || isSecretKafkaProperty(key))
        return QStringLiteral("[redacted]");
    return value;
}

Result<QPair<QByteArray, QByteArray>> parseKafkaProperty(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0)
        return Error{QStringLiteral("-X expects key=value, got \"") % text % u'"'};
    const QByteArray key = text.left(eq).trimmed().toUtf8();
    registerSecretsOf(key, text.mid(eq + 1));
    return QPair<QByteArray, QByteArray>{key, text.mid(eq + 1).toUtf8()};
}

bool isSecretKafkaProperty(const QByteArray &key)
{
    // sasl.jaas.config is Java's, not librdkafka's, but a user may pass it with -X all the same: its
    // ScramLoginModule line holds the password.
    return key.contains("password") || key.contains("secret") || key == "sasl.oauthbearer.config" ||
           key == "sasl.jaas.config" || key.endsWith(".key.pem") || key == "ssl.keystore.password";
}

} // namespace peakwatch
