// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "inventory_engine.h"

#include <QString>

namespace peakwatch::test {

// An ApplyResult by name, for comparisons that print what they found.
inline QString resultName(ApplyResult r)
{
    switch (r) {
    case ApplyResult::Accepted: return QStringLiteral("Accepted");
    case ApplyResult::Duplicate: return QStringLiteral("Duplicate");
    case ApplyResult::OutOfOrder: return QStringLiteral("OutOfOrder");
    case ApplyResult::Waiting: return QStringLiteral("Waiting");
    }
    return QStringLiteral("?");
}

} // namespace peakwatch::test
