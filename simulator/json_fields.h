// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "json_writer.h"

#include <QByteArray>

// Appending the fields of a webhook body, each followed by a comma that closeObject takes back.
namespace peakwatch::sim::json {

inline void str(QByteArray &out, const char *key, const QByteArray &value)
{
    out += '"';
    out += key;
    out += "\":";
    JsonObjectWriter::appendEscaped(out, std::string_view(value.constData(), size_t(value.size())));
    out += ',';
}

inline void num(QByteArray &out, const char *key, qint64 value)
{
    out += '"';
    out += key;
    out += "\":";
    out += QByteArray::number(value);
    out += ',';
}

inline void raw(QByteArray &out, const char *key, const char *json)
{
    out += '"';
    out += key;
    out += "\":";
    out += json;
    out += ',';
}

inline void closeObject(QByteArray &out)
{
    if (out.endsWith(','))
        out.chop(1);
    out += '}';
}

} // namespace peakwatch::sim::json
