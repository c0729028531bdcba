// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "event_parser.h"
#include "kcat_record.h"
#include "raw_message.h"
#include "result.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <vector>

namespace peakwatch {

// Reads NDJSON messages from a file or standard input: one message a line, either VALUE or
// KEY<TAB>VALUE (as `kcat -K '\t'` writes), or a whole Kafka record as `kcat -J` writes it (key, payload, headers,
// partition and offset: core/engine/kcat_record.h). A line whose first non-blank character is '{' or '[' is a bare
// value, unless it is a kcat -J record. Lines are read in large blocks and handed out in place, padded for simdjson.
// Memory is bounded by the line limit, whatever comes: the rest of a longer line is read past and counted, and
// the line is handed out empty with RawMessage::oversizedBytes saying how long it was.
class NdjsonReader final {
public:
    // Room for a key (a shop domain and a tab) in front of a value at the parser's limit.
    static constexpr size_t kKeyAllowance = 4096;
    static constexpr size_t kDefaultMaxLineBytes = EventParser::kDefaultMaxValueBytes + kKeyAllowance;

    explicit NdjsonReader(size_t maxLineBytes = kDefaultMaxLineBytes);
    ~NdjsonReader();
    Q_DISABLE_COPY_MOVE(NdjsonReader)

    // "-" is standard input.
    Status open(const QString &path);
    // The next non-blank line, split into key and value; false at the end of the input or on a read
    // error (then error() says which).
    bool next(RawMessage &message);
    const QString &error() const { return m_error; }
    // The stream read (ndjsonStreamOrigin() of its first message); empty until next() has returned one.
    const QByteArray &streamOrigin() const { return m_streamOrigin; }
    qint64 lineNumber() const { return m_line; }
    // The bytes held for lines (the buffer's size): at most a block or the line limit, plus padding.
    size_t bufferBytes() const { return m_buffer.size(); }

private:
    bool fill();
    bool handOut(std::string_view line, RawMessage &message);

    std::FILE *m_file = nullptr;
    bool m_ownsFile = false;
    bool m_eof = false;
    QString m_path;
    QString m_error;
    QByteArray m_streamOrigin;
    std::vector<char> m_buffer;
    size_t m_begin = 0; // first unread byte
    size_t m_end = 0;   // one past the last valid byte
    qint64 m_line = 0;
    size_t m_maxLine;
    size_t m_skipped = 0; // bytes of an over-long line read past so far
    bool m_skipping = false;
    KcatRecordDecoder m_kcat;
    QByteArray m_problem; // RawMessage::readerProblem of the last message handed out
};

} // namespace peakwatch
