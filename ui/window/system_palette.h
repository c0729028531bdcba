// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QPalette>

namespace peakwatch::ui {

// Whether the desktop asks for dark colours. Qt 6.4 does not read GNOME's preference itself, so this does:
// PEAKWATCH_THEME=dark|light decides first, then GTK_THEME ("Adwaita:dark"), then GNOME's
// org.gnome.desktop.interface color-scheme ("prefer-dark"). Elsewhere (KDE, qt6ct) Qt's own platform
// theme already brings the system's palette.
bool systemPrefersDark();
// Fusion's colours for a dark desktop.
QPalette darkPalette();
// What the application sets at start: the Fusion style, which draws the same everywhere and takes its colours
// from the system's palette, and darkPalette() when systemPrefersDark(). Needs the QApplication.
void applySystemColours();

} // namespace peakwatch::ui
