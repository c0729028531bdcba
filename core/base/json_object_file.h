// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QJsonObject>

namespace peakwatch {

// Parses a small configuration file (rules, scenarios) that must hold one JSON object; the error says
// where the JSON breaks, or what was expected instead. Not for the hot path: see EventParser.
Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &expected);

} // namespace peakwatch
