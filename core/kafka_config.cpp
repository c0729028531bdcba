#include "kafka_config.h"

#include "msk_iam_auth.h"

#include <librdkafka/rdkafka.h>

#include <QStringBuilder>

namespace peakwatch {

Result<QPair<QByteArray, QByteArray>> parseKafkaProperty(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0)
        return Error{QStringLiteral("-X expects key=value, got \"") % text % u'"'};
    return QPair<QByteArray, QByteArray>{text.left(eq).trimmed().toUtf8(), text.mid(eq + 1).toUtf8()};
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
    char errstr[512];
    for (const auto &[key, value] : properties) {
        if (rd_kafka_conf_set(conf, key.constData(), value.constData(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            const QString shown = isSecretKafkaProperty(key) ? QStringLiteral("(secret)") : QString::fromUtf8(value);
            return Error{QStringLiteral("Kafka property ") % QString::fromUtf8(key) % u'=' % shown %
                         QStringLiteral(": ") % QString::fromUtf8(errstr)};
        }
    }
    if (wantsMskIam(properties))
        installMskIam(conf);
    return conf;
}

} // namespace peakwatch
