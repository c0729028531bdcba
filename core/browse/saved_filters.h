// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <optional>

namespace peakwatch {

// A named set of filters (all must pass), saved in the settings file the desktop and peakwatch-cli share
// (ProfileSettings) under "filters/<name>", so that one written in the Topics view is used with
// `peakwatch-cli consume --saved-filter NAME`, and the other way round.
struct SavedFilter {
    QString name;
    QStringList expressions; // jq filters

    static QList<SavedFilter> loadAll(QSettings &settings); // in name order
    static std::optional<SavedFilter> load(QSettings &settings, const QString &name);
    // Checks the name (1 to 64 characters, no "/" nor "\") and compiles every expression; the error says which is
    // wrong. Replaces a filter of the same name.
    static Status save(QSettings &settings, const SavedFilter &filter);
    static bool remove(QSettings &settings, const QString &name); // false when there was none of that name
};

} // namespace peakwatch
