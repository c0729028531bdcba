// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "msk_iam_auth.h"

#include "aws_credentials.h"
#include "msk_iam_token.h"
#include "redaction.h"

#include <librdkafka/rdkafka.h>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QDateTime>
#include <QStringBuilder>
#include <QStringList>

#include <mutex>

namespace peakwatch {
namespace {

std::mutex g_mutex;
QString g_lastRefresh;
QHash<QByteArray, AwsCredentials> g_keys; // by reference, for this process only

void remember(const QString &what)
{
    std::lock_guard lock(g_mutex);
    g_lastRefresh = what;
}

QString configValue(const QString &config, QStringView name)
{
    for (const QString &part : config.split(u' ', Qt::SkipEmptyParts))
        if (part.startsWith(name) && part.size() > name.size() && part[name.size()] == u'=')
            return part.mid(name.size() + 1);
    return {};
}

void refreshToken(rd_kafka_t *rk, const char *oauthbearerConfig, void *)
{
    const QString config = QString::fromUtf8(oauthbearerConfig ? oauthbearerConfig : "");
    const QString region = configValue(config, u"aws_region");
    const QString profile = configValue(config, u"aws_profile");
    auto fail = [rk](const QString &error) {
        const QString text = redacted(QStringLiteral("MSK IAM: ") % error);
        remember(text);
        rd_kafka_oauthbearer_set_token_failure(rk, text.toUtf8().constData());
    };
    std::optional<AwsCredentials> known;
    if (const QString reference = configValue(config, u"aws_keys"); !reference.isEmpty()) {
        {
            std::lock_guard lock(g_mutex);
            const auto it = g_keys.constFind(reference.toUtf8());
            if (it != g_keys.cend())
                known = *it;
        }
        if (!known)
            return fail(QStringLiteral("the AWS keys of this connection are not loaded (aws_keys=") % reference %
                        QStringLiteral(" names none): connect from the desktop, which reads them from the keychain"));
    }
    auto credentials = resolveAwsCredentials(AwsEnvironment::system(), profile, known);
    if (!credentials)
        return fail(credentials.error());
    const QString agent = QStringLiteral("peakwatch/") % (QCoreApplication::applicationVersion().isEmpty()
                                                              ? QStringLiteral("dev")
                                                              : QCoreApplication::applicationVersion());
    auto token = makeMskIamToken(*credentials, region, QDateTime::currentMSecsSinceEpoch(), agent);
    if (!token)
        return fail(token.error());
    char errstr[512];
    const QByteArray principal = token->principal.toUtf8();
    if (rd_kafka_oauthbearer_set_token(rk, token->token.constData(), token->expiresAtMs, principal.constData(), nullptr,
                                       0, errstr, sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return fail(QString::fromUtf8(errstr));
    remember(QStringLiteral("token for ") % token->principal % QStringLiteral(" (") % credentials->source %
             QStringLiteral(") valid until ") %
             QDateTime::fromMSecsSinceEpoch(token->expiresAtMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss")) %
             QStringLiteral(" UTC"));
}

} // namespace

QByteArray registerMskIamKeys(const AwsCredentials &keys)
{
    // The reference depends on the keys (the same keys, the same entry) but shows nothing of them.
    const QByteArray reference =
        "k" +
        QCryptographicHash::hash((keys.accessKeyId + u'\n' + keys.secretAccessKey + u'\n' + keys.sessionToken).toUtf8(),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(20);
    std::lock_guard lock(g_mutex);
    g_keys.insert(reference, keys);
    return reference;
}

void useMskIamKeys(KafkaProperties &properties, const QByteArray &reference)
{
    for (auto it = properties.rbegin(); it != properties.rend(); ++it)
        if (it->first == "sasl.oauthbearer.config") {
            properties.append({"sasl.oauthbearer.config", it->second + " aws_keys=" + reference});
            return;
        }
}

void installMskIam(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, refreshToken);
    rd_kafka_conf_enable_sasl_queue(conf, 1);
}

void startSaslBackground(rd_kafka_t *rk)
{
    if (rd_kafka_error_t *error = rd_kafka_sasl_background_callbacks_enable(rk))
        rd_kafka_error_destroy(error); // not enabled for this client: nothing to serve
}

QString lastMskIamRefresh()
{
    std::lock_guard lock(g_mutex);
    return g_lastRefresh;
}

} // namespace peakwatch
