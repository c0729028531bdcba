// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "stream_origin.h"

#include <QCryptographicHash>
#include <QStringBuilder>

namespace peakwatch {

QByteArray kafkaStreamOrigin(const QByteArray &clusterIdentity, const QByteArray &topic)
{
    return QByteArrayLiteral("kafka:") + clusterIdentity + '/' + topic;
}

QByteArray ndjsonStreamOrigin(std::string_view firstLine)
{
    const QByteArray digest = QCryptographicHash::hash(QByteArrayView(firstLine.data(), qsizetype(firstLine.size())),
                                                       QCryptographicHash::Sha256);
    return QByteArrayLiteral("ndjson:") + digest.toHex().left(32);
}

} // namespace peakwatch
