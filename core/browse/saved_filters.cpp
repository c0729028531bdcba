// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "saved_filters.h"

#include "message_filter.h"

#include <QStringBuilder>

#include <algorithm>

namespace peakwatch {
namespace {

const QString kGroup = QStringLiteral("filters");
constexpr qsizetype kMaxName = 64;

} // namespace

QList<SavedFilter> SavedFilter::loadAll(QSettings &settings)
{
    settings.beginGroup(kGroup);
    QStringList names = settings.childGroups();
    settings.endGroup();
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    QList<SavedFilter> out;
    for (const QString &name : std::as_const(names))
        if (auto filter = load(settings, name))
            out.append(*filter);
    return out;
}

std::optional<SavedFilter> SavedFilter::load(QSettings &settings, const QString &name)
{
    settings.beginGroup(kGroup);
    const bool exists = settings.childGroups().contains(name);
    SavedFilter filter{name, settings.value(name + QStringLiteral("/expressions")).toStringList()};
    settings.endGroup();
    if (!exists || filter.expressions.isEmpty())
        return std::nullopt;
    return filter;
}

Status SavedFilter::save(QSettings &settings, const SavedFilter &filter)
{
    const QString name = filter.name.trimmed();
    if (name.isEmpty())
        return Error{QStringLiteral("a saved filter needs a name")};
    if (name.size() > kMaxName)
        return Error{QStringLiteral("the name \"%1…\" is longer than %2 characters").arg(name.left(20)).arg(kMaxName)};
    if (name.contains(u'/') || name.contains(u'\\'))
        return Error{QStringLiteral("the name \"%1\" has a \"/\" or \"\\\", which names cannot hold").arg(name)};
    if (filter.expressions.isEmpty())
        return Error{QStringLiteral("filter %1 has no expression").arg(name)};
    if (auto compiled = MessageFilter::compile(filter.expressions); !compiled)
        return Error{compiled.error()};
    settings.beginGroup(kGroup);
    settings.setValue(name + QStringLiteral("/expressions"), filter.expressions);
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return Error{QStringLiteral("cannot write %1").arg(settings.fileName())};
    return {};
}

bool SavedFilter::remove(QSettings &settings, const QString &name)
{
    settings.beginGroup(kGroup);
    const bool exists = settings.childGroups().contains(name);
    settings.remove(name);
    settings.endGroup();
    settings.sync();
    return exists;
}

} // namespace peakwatch
