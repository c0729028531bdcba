// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "money.h"
#include "product_snapshot.h"

#include <QColor>
#include <QString>

#include <optional>

class QPalette;

namespace peakwatch::ui {

// "in 23 min", "in 2 h 05 min", "now"; from `nowMs` to `atMs` (both event time).
QString durationUntil(qint64 atMs, qint64 nowMs);
// Every time shown is on one clock, the stream's (the simulated time in the demo), in this computer's zone.
// "14:32", with the date ("Fri 27 Nov 14:32") when it is not the same day as `nowMs`.
QString clockTime(qint64 atMs, qint64 nowMs);
// "Fri 27 Nov 14:32 UTC": a time with its date and zone, said once where the stream's time is shown.
QString clockWithZone(qint64 atMs);
// The zone times are shown in: "UTC", "CET".
QString zoneName(qint64 atMs);
// "$19.99" or "$19.99 – $24.99"; empty without a price.
QString priceRange(const ProductSnapshot &s);
// "−12.5/h", "0/h"; the change of stock an hour (negative when selling).
QString changePerHour(const std::optional<double> &ratePerHour);
// "Selling out", "Low", ...
QString statusLabel(ProductStatus status);
// The status of one product: as above, but "Backordered 12" for a sold-out product whose stock is below zero
// (its variants allow overselling). Alerts and records still count it as sold out.
QString statusLabel(const ProductSnapshot &s);
// A colour for the status that reads well on the palette's base colour (light or dark).
QColor statusColor(ProductStatus status, const QPalette &palette);
// "1,234" with the locale's grouping.
QString count(qint64 n);

} // namespace peakwatch::ui
