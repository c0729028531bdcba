#pragma once

#include "result.h"

#include <QString>

class QAbstractItemModel;
class QWidget;

namespace peakwatch::ui {

// Writes the rows of `model` as they are shown (filtered and sorted), with its header, as RFC 4180 CSV.
Status exportCsv(const QAbstractItemModel &model, const QString &path);
// Renders `widget` (a chart) to a PNG file at the screen's pixel ratio.
Status exportPng(QWidget &widget, const QString &path);
// One CSV field, quoted when it needs to be.
QString csvField(const QString &text);

} // namespace peakwatch::ui
