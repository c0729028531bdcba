// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "ui_format.h"

#include <QDateTime>
#include <QLocale>
#include <QPalette>
#include <QStringBuilder>

#include <cmath>

namespace peakwatch::ui {

QString durationUntil(qint64 atMs, qint64 nowMs)
{
    const qint64 minutes = (atMs - nowMs + 30000) / 60000;
    if (minutes <= 0)
        return QStringLiteral("now");
    if (minutes < 60)
        return QStringLiteral("in %1 min").arg(minutes);
    if (minutes < 48 * 60)
        return QStringLiteral("in %1 h %2 min").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("in %1 days").arg(minutes / (24 * 60));
}

QString clockTime(qint64 atMs, qint64 nowMs)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(atMs);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    if (at.date() == now.date())
        return at.toString(QStringLiteral("HH:mm"));
    return QLocale().toString(at, QStringLiteral("ddd d MMM HH:mm"));
}

QString clockWithZone(qint64 atMs)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(atMs), QStringLiteral("ddd d MMM HH:mm")) % u' ' %
           zoneName(atMs);
}

QString zoneName(qint64 atMs)
{
    const QString abbreviation = QDateTime::fromMSecsSinceEpoch(atMs).timeZoneAbbreviation();
    return abbreviation.isEmpty() ? QStringLiteral("local time") : abbreviation;
}

QString priceRange(const ProductSnapshot &s)
{
    if (!s.hasPrice)
        return {};
    auto money = [](Money m) -> QString { return QStringLiteral("$") % QString::fromLatin1(formatMoney(m)); };
    if (s.minPrice == s.maxPrice)
        return money(s.minPrice);
    return money(s.minPrice) % QStringLiteral(" – ") % money(s.maxPrice);
}

QString changePerHour(const std::optional<double> &ratePerHour)
{
    if (!ratePerHour)
        return {};
    const double change = -*ratePerHour;
    if (std::abs(change) < 0.05)
        return QStringLiteral("0/h");
    const QString number = QLocale().toString(std::abs(change), 'f', std::abs(change) < 100 ? 1 : 0);
    return (change < 0 ? QStringLiteral("−") : QStringLiteral("+")) % number % QStringLiteral("/h");
}

QString statusLabel(ProductStatus status)
{
    switch (status) {
    case ProductStatus::Ok: return QStringLiteral("In stock");
    case ProductStatus::Low: return QStringLiteral("Low");
    case ProductStatus::SellingOut: return QStringLiteral("Selling out");
    case ProductStatus::SoldOut: return QStringLiteral("Sold out");
    case ProductStatus::Untracked: return QStringLiteral("Not tracked");
    }
    return {};
}

QString statusLabel(const ProductSnapshot &s)
{
    if (s.status == ProductStatus::SoldOut && s.quantity < 0)
        return QStringLiteral("Backordered ") % count(-s.quantity);
    return statusLabel(s.status);
}

QColor statusColor(ProductStatus status, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (status) {
    case ProductStatus::Ok: return dark ? QColor(0x6b, 0xd4, 0x8c) : QColor(0x1a, 0x7f, 0x37);
    case ProductStatus::Low: return dark ? QColor(0xf0, 0xc0, 0x4a) : QColor(0x9a, 0x67, 0x00);
    case ProductStatus::SellingOut: return dark ? QColor(0xff, 0x9a, 0x4d) : QColor(0xc2, 0x4e, 0x00);
    case ProductStatus::SoldOut: return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xcf, 0x22, 0x2e);
    case ProductStatus::Untracked: return palette.color(QPalette::PlaceholderText);
    }
    return palette.color(QPalette::Text);
}

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace peakwatch::ui
