#include "row_table.h"

#include <QHeaderView>
#include <QTableView>

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
}

} // namespace peakwatch::ui
