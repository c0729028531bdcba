// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "steady_text.h"

#include <QAbstractButton>
#include <QLabel>

#include <algorithm>

namespace peakwatch::ui {
namespace {

template <class Widget> void setText(Widget *widget, const QString &text)
{
    if (widget->text() == text)
        return;
    widget->setText(text); // a widget of fixed size keeps its geometry change to itself
    const QSize hint = widget->sizeHint();
    const bool fixed = widget->minimumSize() == widget->maximumSize();
    const QSize size(fixed ? std::max(widget->maximumWidth(), hint.width()) : hint.width(),
                     fixed ? std::max(widget->maximumHeight(), hint.height()) : hint.height());
    if (!fixed || size != widget->maximumSize())
        widget->setFixedSize(size);
}

} // namespace

void setSteadyText(QLabel *label, const QString &text)
{
    setText(label, text);
}

void setSteadyText(QAbstractButton *button, const QString &text)
{
    setText(button, text);
}

} // namespace peakwatch::ui
