// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "json_check.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace peakwatch {

QString JsonProblem::text() const
{
    return QStringLiteral("%1 at line %2, column %3").arg(reason).arg(line).arg(column);
}

std::optional<JsonProblem> jsonProblem(QByteArrayView text)
{
    QJsonParseError error;
    QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error == QJsonParseError::NoError)
        return std::nullopt;
    JsonProblem problem;
    problem.reason = error.errorString();
    problem.offset = std::clamp<qsizetype>(error.offset, 0, text.size());
    // Columns count characters, not bytes: UTF-8 continuation bytes do not start one.
    for (qsizetype i = 0; i < problem.offset; ++i) {
        const auto c = uchar(text[i]);
        if (c == '\n') {
            ++problem.line;
            problem.column = 1;
        } else if ((c & 0xc0) != 0x80) {
            ++problem.column;
        }
    }
    return problem;
}

} // namespace peakwatch
