// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace peakwatch {

// librdkafka properties, in the order given: later ones win (as with kcat's -X).
using KafkaProperties = QList<QPair<QByteArray, QByteArray>>;

// Parses "key=value" as given to -X; the error names what is wrong. The secrets the value holds (see
// shownKafkaPropertyValue) are registered with registerSecret(), so that no log line or message shows them.
Result<QPair<QByteArray, QByteArray>> parseKafkaProperty(const QString &keyEqualsValue);

// A property's value as it may be shown: "[redacted]" for a secret property; in a sasl.jaas.config, the values of
// its password and secret options hidden and the rest (the login module, the user name) kept.
QString shownKafkaPropertyValue(const QByteArray &key, const QString &value);

// Properties whose values are secrets; their values never reach a log or an error message.
bool isSecretKafkaProperty(const QByteArray &key);

} // namespace peakwatch
