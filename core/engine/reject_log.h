// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QList>
#include <QString>

#include <array>

namespace peakwatch {

// Why a message was not accepted. Bad input never stops the stream: it is counted here.
enum class RejectReason {
    InvalidJson,
    NotUtf8,
    NotAnObject,
    TooLarge,
    MissingField,
    WrongType,
    BadId,
    BadPrice,
    BadTimestamp,
    NoVariants,
    UnknownShape,
    QuantityOutOfRange, // a quantity, or the sum of a product's quantities, beyond ±2^53
    FutureTimestamp,    // an event time more than a day ahead of the clock (or of X-Shopify-Triggered-At)
    PriceRangeInverted, // a Spark-output row whose minPrice is above its maxPrice
    Count
};

QString rejectReasonName(RejectReason reason);

struct Rejection {
    RejectReason reason = RejectReason::InvalidJson;
    QString detail; // names what was wrong: "variants[2].price: \"abc\" is not a decimal price"
};

// Counts rejections by reason and keeps the first few of each for a person to look at.
class RejectLog final {
public:
    struct Sample {
        int partition = -1;  // -1 for a file
        qint64 position = 0; // Kafka offset, or line number
        QString detail;
        QString partitionName; // where several topics are read as one stream: "orders:1"; else empty
    };
    static constexpr int kSamplesPerReason = 5;

    void add(RejectReason reason, int partition, qint64 position, const QString &detail,
             const QString &partitionName = {});

    qint64 count(RejectReason reason) const { return m_counts[static_cast<size_t>(reason)]; }
    qint64 total() const;
    const QList<Sample> &samples(RejectReason reason) const { return m_samples[static_cast<size_t>(reason)]; }
    // "line 12", "partition 3 offset 4411" or "partition orders:1 offset 4411"
    static QString where(const Sample &sample);

private:
    static constexpr size_t kReasons = static_cast<size_t>(RejectReason::Count);
    std::array<qint64, kReasons> m_counts{};
    std::array<QList<Sample>, kReasons> m_samples;
};

} // namespace peakwatch
