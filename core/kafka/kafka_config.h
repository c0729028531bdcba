// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"

#include <QString>

#include <mutex>

typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_s rd_kafka_t;

namespace peakwatch {

// Sends librdkafka's own log lines to the category peakwatch.kafka.librdkafka (hidden unless --verbose or
// QT_LOGGING_RULES enable it), instead of librdkafka's default of printing them on standard error.
void routeKafkaLogs(rd_kafka_conf_t *conf);
// What routeKafkaLogs' callback does with one line, for a client that installs its own callback to learn more.
void logKafkaLine(const rd_kafka_t *rk, int level, const char *facility, const char *text);

// What librdkafka last said about a broker it could not reach: its FAIL log lines ("127.0.0.1:9/bootstrap: Connect to
// ipv4#127.0.0.1:9 failed: Connection refused …"), kept to say why in one line (connectionFailureMessage()).
// librdkafka logs from its own threads: the line is kept under a lock.
class BrokerFailureLog final {
public:
    BrokerFailureLog() = default;
    Q_DISABLE_COPY_MOVE(BrokerFailureLog)

    // For a client's log callback: the line goes on as logKafkaLine() sends it, and is kept in `log` (when there is
    // one) if it is a broker's failure. Returns whether it was.
    static bool record(BrokerFailureLog *log, const rd_kafka_t *rk, int level, const char *facility, const char *text);
    QString last() const;

private:
    mutable std::mutex m_mutex;
    QString m_last;
};

// A new librdkafka configuration with `properties` applied; the error names the property librdkafka
// refused and why. The caller owns the result (rd_kafka_conf_destroy, or pass it to rd_kafka_new).
Result<rd_kafka_conf_t *> makeKafkaConf(const KafkaProperties &properties);

} // namespace peakwatch
