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
    m_buffer.assign(kBlock + EventParser::padding(), 0);
    return {};
}

bool NdjsonReader::fill()
{
    // Move the partial line to the front, grow for lines longer than the buffer, then read.
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    const size_t padding = EventParser::padding();
    if (m_buffer.size() - padding - m_end < kBlock / 2)
        m_buffer.resize(m_buffer.size() + kBlock, 0);
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
        const void *newline = std::memchr(start, '\n', m_end - m_begin);
        size_t length;
        if (newline) {
            length = size_t(static_cast<const char *>(newline) - start);
        } else if (!m_eof) {
            if (!fill() && !m_eof)
                return false;
            continue;
        } else if (m_begin < m_end) {
            length = m_end - m_begin; // the last line has no newline
        } else {
            return false;
        }
        ++m_line;
        const size_t lineBegin = m_begin;
        m_begin = std::min(m_end, m_begin + length + 1);

        std::string_view line(m_buffer.data() + lineBegin, length);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            continue; // blank line
        if (m_streamOrigin.isEmpty())
            m_streamOrigin = ndjsonStreamOrigin(line.substr(first));

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
}

} // namespace peakwatch
