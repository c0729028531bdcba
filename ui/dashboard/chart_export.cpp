// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "chart_export.h"

#include "product_table_model.h"
#include "snapshot_csv.h"

#include <QAbstractItemModel>
#include <QPixmap>
#include <QSaveFile>
#include <QWidget>

namespace peakwatch::ui {

Status exportProductsCsv(const QAbstractItemModel &shown, const ProductTableModel &products, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    QByteArray out = snapshotCsvHeader() + '\n';
    for (int r = 0; r < shown.rowCount(); ++r) {
        const QModelIndex index = shown.index(r, 0);
        const int row = products.rowOf({index.data(ProductTableModel::ShopRole).toByteArray(),
                                        index.data(ProductTableModel::ProductIdRole).toLongLong()});
        if (row >= 0)
            out += snapshotCsvRow(products.snapshot(row)) + '\n';
    }
    file.write(out);
    if (!file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

Status exportPng(QWidget &widget, const QString &path)
{
    const QPixmap pixmap = widget.grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG"))
        return Error{QStringLiteral("cannot write the image to %1").arg(path)};
    return {};
}

} // namespace peakwatch::ui
