// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "row_table.h"

#include "row_text_delegate.h"

#include <QHeaderView>
#include <QStyledItemDelegate>
#include <QTableView>

#include <typeinfo>

namespace peakwatch::ui {

void setUpRowTable(QTableView &table, QAbstractItemView::SelectionMode selection)
{
    table.setSelectionBehavior(QAbstractItemView::SelectRows);
    table.setSelectionMode(selection);
    table.setAlternatingRowColors(true);
    table.setWordWrap(false);
    table.verticalHeader()->hide();
    table.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table.verticalHeader()->setDefaultSectionSize(table.fontMetrics().height() + 8);
    table.horizontalHeader()->setStretchLastSection(true);
    // One line of text a cell, drawn from a cache; a delegate of the table's own (an editor's) stays.
    if (QAbstractItemDelegate *current = table.itemDelegate();
        current && typeid(*current) == typeid(QStyledItemDelegate))
        table.setItemDelegate(new RowTextDelegate(&table));
}

} // namespace peakwatch::ui
