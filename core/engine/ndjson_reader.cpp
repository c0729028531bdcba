// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "ndjson_reader.h"

#include "event_parser.h"
#include "stream_origin.h"

#include <QFile>
#include <QStringBuilder>

#include <cerrno>
#include <cstring>

namespace peakwatch {
namespace {
constexpr size_t kBlock = 4 << 20;
} // namespace

NdjsonReader::NdjsonReader(size_t maxLineBytes)
    : m_maxLine(std::max<size_t>(1, maxLineBytes))
{}

NdjsonReader::~NdjsonReader()
{
    if (m_ownsFile && m_file)
        std::fclose(m_file);
}

Status NdjsonReader::open(const QString &path)
{
    m_path = path;
    if (path == QLatin1String("-")) {
        m_file = stdin;
        m_ownsFile = false;
    } else {
        m_file = std::fopen(QFile::encodeName(path).constData(), "rb");
        if (!m_file)
            return Error{path % QStringLiteral(": ") % QString::fromLocal8Bit(std::strerror(errno))};
        m_ownsFile = true;
    }
    // A whole line at the limit fits, with a block's room to read into behind it.
    m_buffer.assign(std::max(kBlock, m_maxLine + 1 + kBlock / 2) + EventParser::padding(), 0);
    return {};
}

bool NdjsonReader::fill()
{
    // Move the partial line (at most the line limit: longer ones are read past) to the front, then read.
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    const size_t padding = EventParser::padding();
    const size_t room = m_buffer.size() - padding - m_end;
    const size_t n = std::fread(m_buffer.data() + m_end, 1, room, m_file);
    m_end += n;
    if (n < room) {
        if (std::ferror(m_file)) {
            m_error = m_path % QStringLiteral(": read error: ") % QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        m_eof = std::feof(m_file);
    }
    return n > 0;
}

bool NdjsonReader::next(RawMessage &message)
{
    for (;;) {
        const char *start = m_buffer.data() + m_begin;
        const size_t held = m_end - m_begin;
        const void *newline = std::memchr(start, '\n', held);
        if (!newline && held > m_maxLine) {
            // Over the limit with no end in sight: read past the rest of the line, holding none of it.
            m_skipping = true;
            m_skipped += held;
            m_begin = m_end = 0;
            continue;
        }
        size_t length;
        if (newline) {
            length = size_t(static_cast<const char *>(newline) - start);
        } else if (!m_eof) {
            if (!fill() && !m_eof)
                return false;
            continue;
        } else if (m_begin < m_end || m_skipping) {
            length = held; // the last line has no newline
        } else {
            return false;
        }
        ++m_line;
        const size_t lineBegin = m_begin;
        m_begin = std::min(m_end, m_begin + length + 1);
        const std::string_view line(m_buffer.data() + lineBegin, length);
        if (m_skipping || line.size() > m_maxLine) {
            message = RawMessage{};
            message.position = m_line;
            message.oversizedBytes = m_skipped + line.size();
            message.value = std::string_view(m_buffer.data() + lineBegin, 0);
            message.capacity = size_t(m_buffer.data() + m_buffer.size() - message.value.data());
            m_skipping = false;
            m_skipped = 0;
            return true;
        }
        if (handOut(line, message))
            return true;
    }
}

bool NdjsonReader::handOut(std::string_view line, RawMessage &message)
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return false; // blank line
    if (m_streamOrigin.isEmpty())
        m_streamOrigin = ndjsonStreamOrigin(line.substr(first));

    if (KcatRecordDecoder::looksLikeRecord(line)) {
        QString problem;
        if (m_kcat.decode(line.substr(first), message, problem))
            return true;
        m_problem = problem.toUtf8();
        message = RawMessage{};
        message.position = m_line;
        message.value = line;
        message.capacity = size_t(m_buffer.data() + m_buffer.size() - message.value.data());
        message.readerProblem = std::string_view(m_problem.constData(), size_t(m_problem.size()));
        return true;
    }
    message = RawMessage{};
    message.position = m_line;
    const size_t tab = line.find('\t');
    if (line[first] == '{' || line[first] == '[' || tab == std::string_view::npos) {
        message.value = line;
    } else {
        message.key = line.substr(0, tab);
        message.value = line.substr(tab + 1);
    }
    message.capacity = size_t(m_buffer.data() + m_buffer.size() - message.value.data());
    return true;
}

} // namespace peakwatch
