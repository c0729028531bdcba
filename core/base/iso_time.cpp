// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "iso_time.h"

#include <cstdio>

namespace peakwatch {
namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

struct Civil {
    qint64 year;
    unsigned month;
    unsigned day;
};

Civil civilFromDays(qint64 z)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<qint64>(yoe) + era * 400 + (m <= 2), m, d};
}

bool digits(std::string_view s, size_t pos, size_t count, int &out)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

unsigned daysInMonth(int year, int month)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

} // namespace

std::optional<qint64> parseIsoTime(std::string_view s)
{
    int year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
        s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > daysInMonth(year, month) || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;

    size_t pos = 19;
    int millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100;
        const size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            millis += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start)
            return std::nullopt;
    }

    int offsetMinutes = 0;
    if (pos < s.size()) {
        const char c = s[pos];
        if (c == 'Z' || c == 'z') {
            ++pos;
        } else if (c == '+' || c == '-') {
            int oh, om;
            if (!digits(s, pos + 1, 2, oh))
                return std::nullopt;
            size_t mpos = pos + 3;
            if (mpos < s.size() && s[mpos] == ':')
                ++mpos;
            if (!digits(s, mpos, 2, om) || oh > 23 || om > 59)
                return std::nullopt;
            offsetMinutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
            pos = mpos + 2;
        } else {
            return std::nullopt;
        }
    }
    if (pos != s.size())
        return std::nullopt;

    const qint64 days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const qint64 secs = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return secs * 1000 + millis;
}

int formatIsoTime(qint64 ms, char *buf)
{
    const qint64 secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const int millis = int(ms - secs * 1000);
    const qint64 days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int secOfDay = int(secs - days * 86400);
    const Civil c = civilFromDays(days);
    if (c.year < 0 || c.year > 9999)
        return std::snprintf(buf, kIsoTimeBufferSize, "%lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(c.year),
                             c.month, c.day, secOfDay / 3600, secOfDay / 60 % 60, secOfDay % 60);
    // "YYYY-MM-DDTHH:MM:SS.mmmZ", written by hand: this runs for every record and every simulated webhook.
    auto put = [buf](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            buf[at + i] = char('0' + value % 10);
    };
    put(0, int(c.year), 4);
    buf[4] = '-';
    put(5, int(c.month), 2);
    buf[7] = '-';
    put(8, int(c.day), 2);
    buf[10] = 'T';
    put(11, secOfDay / 3600, 2);
    buf[13] = ':';
    put(14, secOfDay / 60 % 60, 2);
    buf[16] = ':';
    put(17, secOfDay % 60, 2);
    int n = 19;
    if (millis != 0) {
        buf[19] = '.';
        put(20, millis, 3);
        n = 23;
    }
    buf[n++] = 'Z';
    return n;
}

QByteArray formatIsoTime(qint64 ms)
{
    char buf[kIsoTimeBufferSize];
    return QByteArray(buf, formatIsoTime(ms, buf));
}

} // namespace peakwatch
