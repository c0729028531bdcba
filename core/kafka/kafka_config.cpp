// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kafka_config.h"

#include "logging.h"
#include "msk_iam_auth.h"

#include <librdkafka/rdkafka.h>

#include <QStringBuilder>

#include <cstring>

namespace peakwatch {

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

bool BrokerFailureLog::record(BrokerFailureLog *log, const rd_kafka_t *rk, int level, const char *facility,
                              const char *text)
{
    logKafkaLine(rk, level, facility, text);
    if (level > 4 || std::strcmp(facility, "FAIL") != 0)
        return false;
    if (log) {
        std::lock_guard lock(log->m_mutex);
        log->m_last = QString::fromUtf8(text);
    }
    return true;
}

QString BrokerFailureLog::last() const
{
    std::lock_guard lock(m_mutex);
    return m_last;
}

void routeKafkaLogs(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, logKafkaLine);
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
