// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "reject_log.h"

#include <numeric>

namespace peakwatch {

QString rejectReasonName(RejectReason reason)
{
    switch (reason) {
    case RejectReason::InvalidJson: return QStringLiteral("invalid_json");
    case RejectReason::NotUtf8: return QStringLiteral("not_utf8");
    case RejectReason::NotAnObject: return QStringLiteral("not_an_object");
    case RejectReason::TooLarge: return QStringLiteral("too_large");
    case RejectReason::MissingField: return QStringLiteral("missing_field");
    case RejectReason::WrongType: return QStringLiteral("wrong_type");
    case RejectReason::BadId: return QStringLiteral("bad_id");
    case RejectReason::BadPrice: return QStringLiteral("bad_price");
    case RejectReason::BadTimestamp: return QStringLiteral("bad_timestamp");
    case RejectReason::NoVariants: return QStringLiteral("no_variants");
    case RejectReason::UnknownShape: return QStringLiteral("unknown_shape");
    case RejectReason::QuantityOutOfRange: return QStringLiteral("quantity_out_of_range");
    case RejectReason::FutureTimestamp: return QStringLiteral("future_timestamp");
    case RejectReason::PriceRangeInverted: return QStringLiteral("min_price_above_max");
    case RejectReason::Count: break;
    }
    return QStringLiteral("unknown");
}

void RejectLog::add(RejectReason reason, int partition, qint64 position, const QString &detail,
                    const QString &partitionName)
{
    const auto i = static_cast<size_t>(reason);
    ++m_counts[i];
    if (m_samples[i].size() < kSamplesPerReason)
        m_samples[i].append({partition, position, detail, partitionName});
}

qint64 RejectLog::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), qint64(0));
}

QString RejectLog::where(const Sample &sample)
{
    if (sample.partition < 0)
        return QStringLiteral("line %1").arg(sample.position);
    return QStringLiteral("partition %1 offset %2")
        .arg(sample.partitionName.isEmpty() ? QString::number(sample.partition) : sample.partitionName)
        .arg(sample.position);
}

} // namespace peakwatch
