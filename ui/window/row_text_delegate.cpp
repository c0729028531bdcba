// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "row_text_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QStringBuilder>

namespace peakwatch::ui {

RowTextDelegate::RowTextDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

const QStaticText &RowTextDelegate::laidOut(const QString &text, const QFont &font, int width,
                                            Qt::TextElideMode mode) const
{
    // Keyed by the text, its font and, for text elided to fit, the width it was elided to.
    const QString key = text % QChar(0x1f) % font.key() % QChar(0x1f) % QString::number(width);
    auto it = m_cache.find(key);
    if (it != m_cache.end())
        return *it;
    if (m_cache.size() >= kMaxCached)
        m_cache.clear();
    QStaticText laid(width > 0 ? QFontMetrics(font).elidedText(text, mode, width) : text);
    laid.setTextFormat(Qt::PlainText);
    laid.setPerformanceHint(QStaticText::AggressiveCaching);
    laid.prepare(QTransform(), font);
    return *m_cache.insert(key, laid);
}

void RowTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const bool plainLine = !(opt.features & (QStyleOptionViewItem::WrapText | QStyleOptionViewItem::HasDecoration |
                                             QStyleOptionViewItem::HasCheckIndicator));
    if (!plainLine || opt.backgroundBrush.style() != Qt::NoBrush || opt.text.contains(QChar::LineFeed)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QString text = opt.text;
    // Everything the style draws but the text: the selection, hover and focus.
    opt.text.clear();
    opt.features &= ~QStyleOptionViewItem::HasDisplay;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (text.isEmpty())
        return;

    // The text where the style puts it: inside the focus frame's margin, aligned as the model says.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect rect = opt.rect.adjusted(margin, 0, -margin, 0);
    if (rect.width() <= 0)
        return;
    const QStaticText *line = &laidOut(text, opt.font);
    if (line->size().width() > rect.width())
        line = &laidOut(text, opt.font, rect.width(), opt.textElideMode);
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled)  ? QPalette::Disabled
                                       : !(opt.state & QStyle::State_Active) ? QPalette::Inactive
                                                                             : QPalette::Normal;
    const QPalette::ColorRole role = (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text;
    const QSizeF size = line->size();
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    qreal x = rect.left();
    if (align & Qt::AlignRight)
        x = rect.right() + 1 - size.width();
    else if (align & Qt::AlignHCenter)
        x = rect.left() + (rect.width() - size.width()) / 2;
    qreal y = rect.top() + (rect.height() - size.height()) / 2;
    if (align & Qt::AlignTop)
        y = rect.top();
    else if (align & Qt::AlignBottom)
        y = rect.bottom() + 1 - size.height();

    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, role));
    painter->drawStaticText(QPointF(x, y), *line);
    painter->restore();
}

} // namespace peakwatch::ui
