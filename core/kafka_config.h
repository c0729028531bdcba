// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_s rd_kafka_t;

namespace peakwatch {

// librdkafka properties, in the order given: later ones win (as with kcat's -X).
using KafkaProperties = QList<QPair<QByteArray, QByteArray>>;

// Parses "key=value" as given to -X; the error names what is wrong. The secrets the value holds (see
// shownKafkaPropertyValue) are registered with registerSecret(), so that no log line or message shows them.
Result<QPair<QByteArray, QByteArray>> parseKafkaProperty(const QString &keyEqualsValue);

// A property's value as it may be shown: "[redacted]" for a secret property; in a sasl.jaas.config, the values of
// its password and secret options hidden and the rest (the login module, the user name) kept.
QString shownKafkaPropertyValue(const QByteArray &key, const QString &value);

// Sends librdkafka's own log lines to the category peakwatch.kafka.librdkafka (hidden unless --verbose or
// QT_LOGGING_RULES enable it), instead of librdkafka's default of printing them on standard error.
void routeKafkaLogs(rd_kafka_conf_t *conf);
// What routeKafkaLogs' callback does with one line, for a client that installs its own callback to learn more.
void logKafkaLine(const rd_kafka_t *rk, int level, const char *facility, const char *text);

// A new librdkafka configuration with `properties` applied; the error names the property librdkafka
// refused and why. The caller owns the result (rd_kafka_conf_destroy, or pass it to rd_kafka_new).
Result<rd_kafka_conf_t *> makeKafkaConf(const KafkaProperties &properties);

// Properties whose values are secrets; their values never reach a log or an error message.
bool isSecretKafkaProperty(const QByteArray &key);

} // namespace peakwatch
