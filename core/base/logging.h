// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QLoggingCategory>

// One logging category per subsystem. Secrets never reach a log line.
Q_DECLARE_LOGGING_CATEGORY(lcParse)
Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcKafka)
Q_DECLARE_LOGGING_CATEGORY(lcBrowse)
// librdkafka's own log lines (routeKafkaLogs): hidden unless asked for (peakwatch-cli --verbose, QT_LOGGING_RULES).
Q_DECLARE_LOGGING_CATEGORY(lcLibrdkafka)
Q_DECLARE_LOGGING_CATEGORY(lcBroker)
Q_DECLARE_LOGGING_CATEGORY(lcCli)
Q_DECLARE_LOGGING_CATEGORY(lcGateway)
Q_DECLARE_LOGGING_CATEGORY(lcAlerts)
