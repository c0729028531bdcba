// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <string_view>

namespace peakwatch {

// Appends one flat JSON object to a byte buffer: fast, allocation-light output for records.
class JsonObjectWriter final {
public:
    explicit JsonObjectWriter(QByteArray &out);
    ~JsonObjectWriter();
    Q_DISABLE_COPY_MOVE(JsonObjectWriter)

    void string(std::string_view key, std::string_view utf8);
    void string(std::string_view key, const QByteArray &utf8)
    {
        string(key, std::string_view(utf8.constData(), size_t(utf8.size())));
    }
    void string(std::string_view key, const QString &text) { string(key, text.toUtf8()); }
    void integer(std::string_view key, qint64 value);
    void number(std::string_view key, double value);       // non-finite values are written as null
    void raw(std::string_view key, std::string_view json); // an already encoded JSON value
    void null(std::string_view key);
    // Already encoded fields (`"a":1,"b":2`), appended as they are.
    void fields(std::string_view encoded);
    void boolean(std::string_view key, bool value);

    // How control characters are written: as the records write them (\n \r \t, else \u00xx), or as kcat's JSON
    // (yajl) writes them (\b \f \n \r \t, else \u00XX), for output that is byte for byte kcat's.
    enum class Escapes { Records, Kcat };
    // `utf8` as a JSON string, quotes included.
    static void appendEscaped(QByteArray &out, std::string_view utf8, Escapes escapes = Escapes::Records);

private:
    void key(std::string_view name);
    QByteArray &m_out;
    bool m_first = true;
};

} // namespace peakwatch
