// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "product_snapshot.h"

#include <QByteArray>
#include <QByteArrayView>

#include <span>

namespace peakwatch {

// Product snapshots as CSV, for a spreadsheet or a script: UTF-8, one header row, then one row per product, each
// line ending in '\n'; a field is quoted as RFC 4180 says when it holds a comma, a double quote or a line break.
// The fields are data, not what the dashboard shows: times in ISO 8601 UTC ("2026-11-27T05:15:00Z"), numbers
// with a '.' and no grouping, a minus sign as '-', prices as decimal strings without a currency symbol, ids
// exactly. An empty field is a figure that is not known. The columns:
//   shop, product_id, title, status (as the NDJSON records: ok, low, selling_out, sold_out, untracked),
//   quantity (units over the tracked variants; below zero when backordered; empty when untracked),
//   change_per_hour (the change of stock an hour at the estimated sales rate, negative when selling),
//   sellout_at (predicted; for a sold-out product, when it sold out), sellout_earliest and sellout_latest (the
//   prediction's 80 % interval; no latest when not even a slow sale can be ruled out), min_price, max_price,
//   updated_at (the event time of the latest update), handle (the product's URL name; empty when not sent).
QByteArray snapshotCsvHeader();
QByteArray snapshotCsvRow(const ProductSnapshot &snapshot);
// The header and a row for each snapshot, in the order given.
QByteArray snapshotCsv(std::span<const ProductSnapshot> snapshots);

// One field: as it is, or in double quotes with its quotes doubled when it holds a comma, a quote or a line break.
QByteArray csvField(QByteArrayView text);

} // namespace peakwatch
