// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "json_object_file.h"

#include <QJsonDocument>

namespace peakwatch {

Result<QJsonObject> parseJsonObject(const QByteArray &json, const QString &expected)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{
            QStringLiteral("not valid JSON at byte %1: %2").arg(parseError.offset).arg(parseError.errorString())};
    if (!doc.isObject())
        return Error{expected};
    return doc.object();
}

} // namespace peakwatch
