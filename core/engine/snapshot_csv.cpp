// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "snapshot_csv.h"

#include "iso_time.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace peakwatch {
namespace {

// About six significant figures, never in exponent form (a spreadsheet reads "0.000012" as a number, and so
// does every script), without trailing zeros.
QByteArray plainNumber(double value)
{
    if (!std::isfinite(value))
        return {};
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 1e5   ? 0
                         : magnitude < 1e-9 ? 0
                                            : std::min(12, 5 - int(std::floor(std::log10(magnitude))));
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
    QByteArray text(buf, qsizetype(result.ptr - buf));
    if (text.contains('.')) {
        while (text.endsWith('0'))
            text.chop(1);
        if (text.endsWith('.'))
            text.chop(1);
    }
    if (text == "-0")
        text = "0";
    return text;
}

QByteArray isoTime(const std::optional<qint64> &ms)
{
    return ms ? formatIsoTime(*ms) : QByteArray();
}

} // namespace

QByteArray csvField(QByteArrayView text)
{
    bool quote = false;
    for (const char c : text)
        quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
    if (!quote)
        return text.toByteArray();
    QByteArray out;
    out.reserve(text.size() + 8);
    out += '"';
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

QByteArray snapshotCsvHeader()
{
    return QByteArrayLiteral("shop,product_id,title,status,quantity,change_per_hour,sellout_at,sellout_earliest,"
                             "sellout_latest,min_price,max_price,updated_at,handle");
}

QByteArray snapshotCsvRow(const ProductSnapshot &s)
{
    const bool tracked = s.status != ProductStatus::Untracked;
    // Selling is a fall of stock: the change is the rate with its sign turned.
    const QByteArray change = s.ratePerHour ? plainNumber(-*s.ratePerHour) : QByteArray();
    const QByteArray fields[] = {
        csvField(s.shop),
        QByteArray::number(s.productId),
        csvField(s.title),
        productStatusName(s.status).toLatin1(),
        tracked ? QByteArray::number(s.quantity) : QByteArray(),
        change,
        isoTime(s.selloutAtMs),
        isoTime(s.selloutEarliestMs),
        isoTime(s.selloutLatestMs),
        s.hasPrice ? formatMoney(s.minPrice) : QByteArray(),
        s.hasPrice ? formatMoney(s.maxPrice) : QByteArray(),
        s.updatedAtMs > 0 ? formatIsoTime(s.updatedAtMs) : QByteArray(),
        csvField(s.handle),
    };
    QByteArray row;
    row.reserve(200);
    for (const QByteArray &field : fields) {
        if (&field != fields)
            row += ',';
        row += field;
    }
    return row;
}

QByteArray snapshotCsv(std::span<const ProductSnapshot> snapshots)
{
    QByteArray out = snapshotCsvHeader() + '\n';
    for (const ProductSnapshot &s : snapshots)
        out += snapshotCsvRow(s) + '\n';
    return out;
}

} // namespace peakwatch
