// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The alert rules file on any bytes. What fromJson() accepts, toJson() writes back so that fromJson() reads the
// same rules again.
#include "alert_rules.h"
#include "fuzz_support.h"

#include <cstdint>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto rules = AlertRules::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!rules.ok())
        return 0;
    const QByteArray written = rules.value().toJson();
    const auto again = AlertRules::fromJson(written);
    PEAKWATCH_FUZZ_CHECK(again.ok());
    PEAKWATCH_FUZZ_CHECK(again.value().toJson() == written);
    return 0;
}
