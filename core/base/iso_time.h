// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>

#include <optional>
#include <string_view>

namespace peakwatch {

// Parses an ISO 8601 / RFC 3339 date-time ("2026-11-27T00:03:12-05:00", "...12.584Z") into
// milliseconds since the Unix epoch, UTC. A time without an offset is taken as UTC.
std::optional<qint64> parseIsoTime(std::string_view text);

// "2026-11-27T05:03:12Z", or "2026-11-27T05:03:12.584Z" when there are milliseconds.
QByteArray formatIsoTime(qint64 msSinceEpoch);
// The same into `buffer` (at least kIsoTimeBufferSize bytes, not terminated); returns the length.
inline constexpr int kIsoTimeBufferSize = 48;
int formatIsoTime(qint64 msSinceEpoch, char *buffer);

} // namespace peakwatch
