// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

class QAbstractButton;
class QLabel;
class QString;

namespace peakwatch::ui {

// Sets the text of a figure that changes several times a second (events/s, lag, counts) without making
// the whole window lay itself out again each time, which cost the UI thread up to 25 ms at Black Friday
// rates. The widget's size is fixed at the largest its texts have needed so far: a new text repaints the
// widget alone, and only a text wider than any before asks for a layout.
void setSteadyText(QLabel *label, const QString &text);
void setSteadyText(QAbstractButton *button, const QString &text);

} // namespace peakwatch::ui
