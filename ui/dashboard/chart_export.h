// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QString>

class QAbstractItemModel;
class QWidget;

namespace peakwatch::ui {

class ProductTableModel;

// Writes the products `shown` (rows of `products` through a filtering, sorting proxy) in the order shown, as data:
// core's snapshot CSV (ISO 8601 UTC times, plain numbers), not the text of the table's cells.
Status exportProductsCsv(const QAbstractItemModel &shown, const ProductTableModel &products, const QString &path);
// Renders `widget` (a chart) to a PNG file at the screen's pixel ratio.
Status exportPng(QWidget &widget, const QString &path);

} // namespace peakwatch::ui
