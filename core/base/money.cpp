// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "money.h"

#include <cmath>
#include <limits>

namespace peakwatch {

std::optional<Money> parseMoney(std::string_view s)
{
    if (s.empty() || s.size() > 24)
        return std::nullopt;
    size_t pos = 0;
    bool negative = false;
    if (s[0] == '-') {
        negative = true;
        ++pos;
    }
    qint64 whole = 0;
    const size_t wholeStart = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        whole = whole * 10 + (s[pos] - '0');
        if (whole > std::numeric_limits<qint64>::max() / kMoneyScale / 10)
            return std::nullopt;
        ++pos;
    }
    const bool hasWhole = pos > wholeStart;
    qint64 fraction = 0;
    bool hasFraction = false;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        qint64 scale = kMoneyScale / 10;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            // Digits beyond the fourth decimal must be zeros: money is never rounded silently.
            if (scale == 0 && s[pos] != '0')
                return std::nullopt;
            fraction += (s[pos] - '0') * scale;
            scale /= 10;
            hasFraction = true;
            ++pos;
        }
    }
    if (pos != s.size() || (!hasWhole && !hasFraction))
        return std::nullopt;
    const Money value = whole * kMoneyScale + fraction;
    return negative ? -value : value;
}

std::optional<Money> moneyFromDouble(double value)
{
    if (!std::isfinite(value) || std::fabs(value) > 1e14)
        return std::nullopt;
    return static_cast<Money>(std::llround(value * kMoneyScale));
}

QByteArray formatMoney(Money value)
{
    QByteArray out;
    if (value < 0) {
        out += '-';
        value = -value;
    }
    out += QByteArray::number(value / kMoneyScale);
    out += '.';
    qint64 fraction = value % kMoneyScale;
    char digits[4];
    for (int i = 3; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + fraction % 10);
        fraction /= 10;
    }
    int len = 4;
    while (len > 2 && digits[len - 1] == '0')
        --len;
    out.append(digits, len);
    return out;
}

} // namespace peakwatch
