// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The simulator's scenario file on any bytes: parsed, then the demand curve asked for as the simulator asks.
#include "fuzz_support.h"
#include "scenario.h"

#include <cmath>
#include <cstdint>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto scenario = sim::Scenario::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!scenario.ok())
        return 0;
    const sim::Scenario &s = scenario.value();
    PEAKWATCH_FUZZ_CHECK(!s.curve.empty());
    const double peak = s.peakOrdersPerHour();
    PEAKWATCH_FUZZ_CHECK(std::isfinite(peak) && peak >= 0);
    for (const qint64 at : {qint64(0), s.durationMs / 2, s.durationMs})
        PEAKWATCH_FUZZ_CHECK(s.ordersPerHourAt(at) <= peak + 1e-9 * (1 + peak));
    s.skipped(s.durationMs / 3);
    return 0;
}
