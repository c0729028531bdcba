// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>

#include <optional>
#include <string_view>

namespace peakwatch {

// Money is kept exactly, as a count of ten-thousandths of the currency unit ("24.50" -> 245000).
using Money = qint64;
inline constexpr Money kMoneyScale = 10000;

// Parses a decimal price as Shopify sends it ("24.00", "0.125", "1999"); nullopt if it is not one.
std::optional<Money> parseMoney(std::string_view text);
// Converts a JSON number price (Spark output rows carry doubles); nullopt if not finite or out of range.
std::optional<Money> moneyFromDouble(double value);
// As a JSON number with at least two decimals: 24.00, 26.50, 0.125.
QByteArray formatMoney(Money value);

} // namespace peakwatch
