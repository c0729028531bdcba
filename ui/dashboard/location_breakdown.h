// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "product_snapshot.h"

#include <QLocale>
#include <QString>

namespace peakwatch::ui {

// Where a product's units are: "location 68400000000: 172 · location 68400000001: 17 · 612 at locations that
// have not reported yet". Empty when no inventory level has come (the shop sends products/update only).
QString locationBreakdown(const ProductSnapshot &snapshot, const QLocale &locale = QLocale());

// "The stock leaves out 50 variants: Shopify sends the first 100 in full, the rest without their stock", or empty.
QString uncountedVariantsNote(const ProductSnapshot &snapshot, const QLocale &locale = QLocale());

} // namespace peakwatch::ui
