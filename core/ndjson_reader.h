#pragma once

#include "raw_message.h"
#include "result.h"

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <vector>

namespace peakwatch {

// Reads NDJSON messages from a file or standard input: one message a line, either VALUE or
// KEY<TAB>VALUE (as `kcat -K '\t'` writes). A line whose first non-blank character is '{' or '['
// is a bare value. Lines are read in large blocks and handed out in place, padded for simdjson.
class NdjsonReader final {
public:
    NdjsonReader() = default;
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

private:
    bool fill();

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
};

} // namespace peakwatch
