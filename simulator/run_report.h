// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QString>

namespace peakwatch::sim {

class HttpSink;
class LoadRun;

// The fields a finished load run adds to RunStats::reportJson(), already encoded and without braces:
// the scenario's name, the webhooks generated, the delivery faults injected, the simulated time span,
// whether everything in flight was settled, and (for an HTTP sink) the answers by status code.
// The same report from `peakwatch-cli simulate` and from the desktop's simulator.
QByteArray runReportFields(const QString &scenarioName, const LoadRun &run, const HttpSink *httpSink = nullptr);

} // namespace peakwatch::sim
