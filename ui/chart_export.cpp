// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "chart_export.h"

#include "product_table_model.h"
#include "snapshot_csv.h"

#include <QAbstractItemModel>
#include <QPixmap>
#include <QSaveFile>
#include <QStringBuilder>
#include <QWidget>

namespace peakwatch::ui {

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QStringLiteral("\"") % quoted % QStringLiteral("\"");
}

Status exportCsv(const QAbstractItemModel &model, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    QString out;
    const int columns = model.columnCount();
    for (int c = 0; c < columns; ++c)
        out += (c ? QStringLiteral(",") : QString()) % csvField(model.headerData(c, Qt::Horizontal).toString());
    out += u'\n';
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < columns; ++c)
            out += (c ? QStringLiteral(",") : QString()) % csvField(model.index(r, c).data().toString());
        out += u'\n';
    }
    file.write(out.toUtf8());
    if (!file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

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
