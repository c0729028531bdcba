// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "message_view.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace peakwatch {

// How found messages are written out, by `peakwatch-cli consume` and by the Topics view's export.
enum class MessageFormat {
    Jsonl, // one object per line, as `kcat -C -J` writes it
    Json,  // the same objects in one JSON array
    Csv,   // a header line, then a line per message with the columns asked for
    Value, // the value alone, a line each
};

Result<MessageFormat> messageFormatNamed(const QString &name); // jsonl, json, csv or value

class MessageWriter final {
public:
    // The CSV columns when none are asked for.
    static QStringList defaultColumns();
    // Checks CSV columns: topic, partition, offset, timestamp (ISO 8601 UTC), timestamp_ms, key, value, headers
    // (a JSON object), header:NAME, or a path such as .value.variants[0].inventory_quantity. The error names the
    // first that is none of these.
    static Status checkColumns(const QStringList &columns);

    explicit MessageWriter(MessageFormat format, const QStringList &columns = defaultColumns());
    ~MessageWriter();
    Q_DISABLE_COPY_MOVE(MessageWriter)

    // What comes before the first message (the CSV header line, the array's opening) and after the last.
    QByteArray begin() const;
    QByteArray end() const;
    // Appends one message, its line ending included.
    void append(QByteArray &out, const MessageView &message);

    // A string as kcat's JSON writes it (yajl: \b \f \n \r \t, other control characters as \u00XX in capitals),
    // except that bytes that are not UTF-8 become U+FFFD, so that every line is valid JSON.
    static void appendJsonString(QByteArray &out, std::string_view bytes);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace peakwatch
