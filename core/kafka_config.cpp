// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_config.h"

#include "logging.h"
#include "msk_iam_auth.h"
#include "redaction.h"

#include <librdkafka/rdkafka.h>

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

void logKafkaLine(const rd_kafka_t *rk, int level, const char *facility, const char *text)
{
    // syslog levels: 0-3 errors, 4 warning, 5-6 notice and info, 7 debug.
    const QString line = QString::fromUtf8(rk ? rd_kafka_name(rk) : "librdkafka") % u' ' % QString::fromUtf8(facility) %
                         QStringLiteral(": ") % QString::fromUtf8(text);
    if (level <= 4)
        qCWarning(lcLibrdkafka).noquote() << line;
    else if (level <= 6)
        qCInfo(lcLibrdkafka).noquote() << line;
    else
        qCDebug(lcLibrdkafka).noquote() << line;
}

void routeKafkaLogs(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, logKafkaLine);
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

Result<rd_kafka_conf_t *> makeKafkaConf(const KafkaProperties &properties)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    routeKafkaLogs(conf);
    char errstr[512];
    for (const auto &[key, value] : properties) {
        if (rd_kafka_conf_set(conf, key.constData(), value.constData(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            const QString shown = shownKafkaPropertyValue(key, QString::fromUtf8(value));
            return Error{QStringLiteral("Kafka property ") % QString::fromUtf8(key) % u'=' % shown %
                         QStringLiteral(": ") % QString::fromUtf8(errstr)};
        }
    }
    if (wantsMskIam(properties))
        installMskIam(conf);
    return conf;
}

} // namespace peakwatch
