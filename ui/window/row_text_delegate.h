// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace peakwatch::ui {

// Draws a row table's cells of one line of plain text from a cache of laid-out text (QStaticText), so that
// a repaint does not shape every visible cell's text again: at Black Friday load the dashboard repaints
// its rows about ten times a second, and with the style's own drawing, laying out their text was about a
// quarter of the UI thread's time. A cell with anything more (an icon, a check box, a background of its own, more
// than one line) is drawn by QStyledItemDelegate as before. Text too wide for its cell is elided as the
// style elides it.
class RowTextDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowTextDelegate)
public:
    explicit RowTextDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Texts laid out and kept (for tests): at most kMaxCached, the cache starts again when it is full.
    qsizetype cachedTexts() const { return m_cache.size(); }
    static constexpr qsizetype kMaxCached = 8192;

private:
    // `text` in `font`, laid out once; elided to `width` when one is given.
    const QStaticText &laidOut(const QString &text, const QFont &font, int width = 0,
                               Qt::TextElideMode mode = Qt::ElideRight) const;

    mutable QHash<QString, QStaticText> m_cache;
};

} // namespace peakwatch::ui
