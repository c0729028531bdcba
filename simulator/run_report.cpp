// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "run_report.h"

#include "http_sink.h"
#include "iso_time.h"
#include "json_writer.h"
#include "load_run.h"

namespace peakwatch::sim {

QByteArray runReportFields(const QString &scenarioName, const LoadRun &run, const HttpSink *httpSink)
{
    const auto &faults = run.faultCounts();
    QByteArray out = "\"scenario\":";
    const QByteArray name = scenarioName.toUtf8();
    JsonObjectWriter::appendEscaped(out, std::string_view(name.constData(), size_t(name.size())));
    out += ",\"events\":" + QByteArray::number(run.events()) +
           ",\"duplicates\":" + QByteArray::number(faults.duplicates) + ",\"late\":" + QByteArray::number(faults.late) +
           ",\"malformed\":" + QByteArray::number(faults.malformed) + ",\"simulated_start\":\"" +
           formatIsoTime(run.truth().startMs()) + "\",\"simulated_end\":\"" + formatIsoTime(run.simulator().nowMs()) +
           "\",\"drained\":" + (run.drained() ? "true" : "false");
    if (httpSink)
        out += ",\"http_status\":" + httpSink->statusCountsJson();
    return out;
}

} // namespace peakwatch::sim
