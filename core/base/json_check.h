// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace peakwatch {

// Where and why a text is not JSON.
struct JsonProblem {
    QString reason;       // QJsonDocument's words: "unterminated object", "missing value separator", …
    qsizetype offset = 0; // the byte where it goes wrong
    int line = 1;         // the same as a line and a column (of characters), both from 1
    int column = 1;

    // "unterminated object at line 3, column 7"
    QString text() const;
};

// Nothing when `text` is one JSON value; otherwise where and why it is not.
std::optional<JsonProblem> jsonProblem(QByteArrayView text);

} // namespace peakwatch
