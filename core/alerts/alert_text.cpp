// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_text.h"

#include <QDateTime>
#include <QStringBuilder>
#include <QTimeZone>

#include <cmath>

namespace peakwatch {
namespace {

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

} // namespace

QString utcDateTimeText(qint64 ms)
{
    return utc(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm")) % QStringLiteral(" UTC");
}

QString utcTimeText(qint64 ms)
{
    return utc(ms).toString(QStringLiteral("HH:mm")) % QStringLiteral(" UTC");
}

QString relativeTimeText(qint64 atMs, qint64 nowMs)
{
    const qint64 delta = atMs - nowMs;
    const qint64 minutes = (std::abs(delta) + 30'000) / 60'000;
    if (minutes == 0)
        return QStringLiteral("now");
    QString span;
    if (minutes < 60)
        span = QString::number(minutes) % QStringLiteral(" min");
    else if (minutes < 48 * 60 && minutes % 60 != 0)
        span = QString::number(minutes / 60) % QStringLiteral(" h ") % QString::number(minutes % 60) %
               QStringLiteral(" min");
    else if (minutes < 48 * 60)
        span = QString::number(minutes / 60) % QStringLiteral(" h");
    else
        span = QString::number((minutes + 12 * 60) / (24 * 60)) % QStringLiteral(" days");
    return delta > 0 ? QString(QStringLiteral("in ") % span) : QString(span % QStringLiteral(" ago"));
}

std::optional<QString> alertRateText(const Alert &alert)
{
    if (!alert.ratePerHour || !std::isfinite(*alert.ratePerHour))
        return std::nullopt;
    const double rate = *alert.ratePerHour;
    return QString::number(rate, 'f', std::abs(rate) < 10 ? 1 : 0) % QStringLiteral(" units/hour");
}

std::optional<QString> alertIntervalText(const Alert &alert)
{
    if (!alert.selloutEarliestMs && !alert.selloutLatestMs)
        return std::nullopt;
    if (!alert.selloutLatestMs)
        return utcDateTimeText(*alert.selloutEarliestMs) % QStringLiteral(" or later");
    if (!alert.selloutEarliestMs)
        return QStringLiteral("by ") % utcDateTimeText(*alert.selloutLatestMs);
    const qint64 from = *alert.selloutEarliestMs;
    const qint64 to = *alert.selloutLatestMs;
    const bool sameDay = utc(from).date() == utc(to).date();
    return utcDateTimeText(from) % QStringLiteral(" to ") % (sameDay ? utcTimeText(to) : utcDateTimeText(to));
}

} // namespace peakwatch
