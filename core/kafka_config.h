#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

typedef struct rd_kafka_conf_s rd_kafka_conf_t;

namespace peakwatch {

// librdkafka properties, in the order given: later ones win (as with kcat's -X).
using KafkaProperties = QList<QPair<QByteArray, QByteArray>>;

// Parses "key=value" as given to -X; the error names what is wrong.
Result<QPair<QByteArray, QByteArray>> parseKafkaProperty(const QString &keyEqualsValue);

// A new librdkafka configuration with `properties` applied; the error names the property librdkafka
// refused and why. The caller owns the result (rd_kafka_conf_destroy, or pass it to rd_kafka_new).
Result<rd_kafka_conf_t *> makeKafkaConf(const KafkaProperties &properties);

// Properties whose values are secrets; their values never reach a log or an error message.
bool isSecretKafkaProperty(const QByteArray &key);

} // namespace peakwatch
