// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace peakwatch {

JsonObjectWriter::JsonObjectWriter(QByteArray &out)
    : m_out(out)
{
    m_out += '{';
}

JsonObjectWriter::~JsonObjectWriter()
{
    m_out += '}';
}

void JsonObjectWriter::appendEscaped(QByteArray &out, std::string_view s, Escapes escapes)
{
    static constexpr char lower[] = "0123456789abcdef";
    static constexpr char upper[] = "0123456789ABCDEF";
    const bool kcat = escapes == Escapes::Kcat;
    const char *hex = kcat ? upper : lower;
    out += '"';
    size_t runStart = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + runStart, qsizetype(i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b':
        case '\f':
            if (kcat) {
                out += c == '\b' ? "\\b" : "\\f";
                break;
            }
            [[fallthrough]];
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out.append(s.data() + runStart, qsizetype(s.size() - runStart));
    out += '"';
}

void JsonObjectWriter::key(std::string_view name)
{
    char buf[64];
    char *p = buf;
    if (!m_first)
        *p++ = ',';
    m_first = false;
    *p++ = '"';
    if (name.size() > sizeof buf - 4) {
        m_out.append(buf, p - buf);
        m_out.append(name.data(), qsizetype(name.size()));
        m_out.append("\":", 2);
        return;
    }
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p++ = ':';
    m_out.append(buf, p - buf);
}

void JsonObjectWriter::string(std::string_view name, std::string_view utf8)
{
    key(name);
    appendEscaped(m_out, utf8);
}

void JsonObjectWriter::integer(std::string_view name, qint64 value)
{
    key(name);
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    m_out.append(buf, qsizetype(result.ptr - buf));
}

void JsonObjectWriter::number(std::string_view name, double value)
{
    key(name);
    if (!std::isfinite(value)) {
        m_out += "null";
        return;
    }
    // std::to_chars ignores the locale: a decimal comma would break the JSON.
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 6);
    m_out.append(buf, qsizetype(result.ptr - buf));
}

void JsonObjectWriter::raw(std::string_view name, std::string_view json)
{
    key(name);
    m_out.append(json.data(), qsizetype(json.size()));
}

void JsonObjectWriter::null(std::string_view name)
{
    key(name);
    m_out.append("null", 4);
}

void JsonObjectWriter::fields(std::string_view encoded)
{
    if (encoded.empty())
        return;
    if (!m_first)
        m_out += ',';
    m_first = false;
    m_out.append(encoded.data(), qsizetype(encoded.size()));
}

void JsonObjectWriter::boolean(std::string_view name, bool value)
{
    key(name);
    m_out += value ? "true" : "false";
}

} // namespace peakwatch
