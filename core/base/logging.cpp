// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "logging.h"

Q_LOGGING_CATEGORY(lcParse, "peakwatch.parse", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "peakwatch.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKafka, "peakwatch.kafka", QtWarningMsg)
Q_LOGGING_CATEGORY(lcBrowse, "peakwatch.browse", QtWarningMsg)
Q_LOGGING_CATEGORY(lcLibrdkafka, "peakwatch.kafka.librdkafka", QtCriticalMsg)
Q_LOGGING_CATEGORY(lcBroker, "peakwatch.broker", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCli, "peakwatch.cli", QtWarningMsg)
Q_LOGGING_CATEGORY(lcGateway, "peakwatch.gateway", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAlerts, "peakwatch.alerts", QtWarningMsg)
