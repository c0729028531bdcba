// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "location_breakdown.h"

#include <QStringList>

namespace peakwatch::ui {

QString locationBreakdown(const ProductSnapshot &snapshot, const QLocale &locale)
{
    if (snapshot.locations.empty())
        return {};
    QStringList parts;
    for (const ProductLocation &l : snapshot.locations)
        // Shopify's levels name a location by its id only: the same id as in the Shopify admin's URL.
        parts << QStringLiteral("location %1: %2").arg(l.locationId).arg(locale.toString(l.available));
    if (snapshot.unlocated != 0)
        parts << QStringLiteral("%1 at locations that have not reported yet").arg(locale.toString(snapshot.unlocated));
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString uncountedVariantsNote(const ProductSnapshot &snapshot, const QLocale &locale)
{
    if (snapshot.variantsNotSent <= 0)
        return {};
    return QStringLiteral("The stock leaves out %1 variants: Shopify sends the first 100 in full, the rest without "
                          "their stock")
        .arg(locale.toString(snapshot.variantsNotSent));
}

} // namespace peakwatch::ui
