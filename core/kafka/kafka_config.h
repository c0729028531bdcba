// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"

typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_s rd_kafka_t;

namespace peakwatch {

// Sends librdkafka's own log lines to the category peakwatch.kafka.librdkafka (hidden unless --verbose or
// QT_LOGGING_RULES enable it), instead of librdkafka's default of printing them on standard error.
void routeKafkaLogs(rd_kafka_conf_t *conf);
// What routeKafkaLogs' callback does with one line, for a client that installs its own callback to learn more.
void logKafkaLine(const rd_kafka_t *rk, int level, const char *facility, const char *text);

// A new librdkafka configuration with `properties` applied; the error names the property librdkafka
// refused and why. The caller owns the result (rd_kafka_conf_destroy, or pass it to rd_kafka_new).
Result<rd_kafka_conf_t *> makeKafkaConf(const KafkaProperties &properties);

} // namespace peakwatch
