// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QAbstractItemView>

class QTableView;

namespace peakwatch::ui {

// The look every list of records shares (products, alerts, messages): whole rows selected, alternating
// colours, one line a row at a fixed height, no row numbers, the last column stretched.
void setUpRowTable(QTableView &table, QAbstractItemView::SelectionMode selection);

} // namespace peakwatch::ui
