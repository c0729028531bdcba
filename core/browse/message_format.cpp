// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_format.h"

#include "fast_filter.h"
#include "iso_time.h"
#include "json_writer.h"

#include <QStringBuilder>

#include <simdjson.h>

#include <charconv>
#include <variant>
#include <vector>

namespace peakwatch {
namespace {

std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), size_t(b.size()));
}

void appendInteger(QByteArray &out, qint64 n)
{
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, end - buf);
}

void appendStringOrNull(QByteArray &out, const BytesView &b)
{
    if (b.isNull)
        out += "null";
    else
        MessageWriter::appendJsonString(out, b.bytes);
}

const char *timestampTypeName(TopicMessage::TimestampType type)
{
    switch (type) {
    case TopicMessage::TimestampType::CreateTime: return "create";
    case TopicMessage::TimestampType::LogAppendTime: return "logappend";
    case TopicMessage::TimestampType::NotAvailable: break;
    }
    return "unknown";
}

void appendKcatRecord(QByteArray &out, const MessageView &m)
{
    out += "{\"topic\":";
    MessageWriter::appendJsonString(out, m.topic);
    out += ",\"partition\":";
    appendInteger(out, m.partition);
    out += ",\"offset\":";
    appendInteger(out, m.offset);
    out += ",\"tstype\":\"";
    out += timestampTypeName(m.timestampType);
    out += "\",\"ts\":";
    appendInteger(out, m.timestampMs);
    out += ",\"broker\":";
    appendInteger(out, m.broker);
    if (!m.headers.empty()) {
        out += ",\"headers\":[";
        bool first = true;
        for (const HeaderView &h : m.headers) {
            if (!first)
                out += ',';
            first = false;
            MessageWriter::appendJsonString(out, h.name);
            out += ',';
            appendStringOrNull(out, h.value);
        }
        out += ']';
    }
    out += ",\"key\":";
    appendStringOrNull(out, m.key);
    out += ",\"payload\":";
    appendStringOrNull(out, m.value);
    out += '}';
}

// One CSV column: a field of the message, or a path into it.
struct Column {
    enum class Kind { Topic, Partition, Offset, Timestamp, TimestampMs, Key, Value, Headers, Header, Path };
    Kind kind = Kind::Value;
    QByteArray header;
    FieldPath path;
};

std::optional<Column> columnNamed(const QString &name)
{
    using Kind = Column::Kind;
    static const std::pair<QLatin1String, Kind> kNamed[] = {
        {QLatin1String("topic"), Kind::Topic},
        {QLatin1String("partition"), Kind::Partition},
        {QLatin1String("offset"), Kind::Offset},
        {QLatin1String("timestamp"), Kind::Timestamp},
        {QLatin1String("timestamp_ms"), Kind::TimestampMs},
        {QLatin1String("key"), Kind::Key},
        {QLatin1String("value"), Kind::Value},
        {QLatin1String("headers"), Kind::Headers},
    };
    for (const auto &[n, kind] : kNamed)
        if (name == n)
            return Column{kind, name.toUtf8(), {}};
    if (name.startsWith(QLatin1String("header:")) && name.size() > 7)
        return Column{Kind::Header, name.toUtf8(), {}};
    const QByteArray utf8 = name.toUtf8();
    if (auto path = FieldPath::parse(view(utf8)))
        return Column{Kind::Path, utf8, std::move(*path)};
    return std::nullopt;
}

// RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled.
void appendCell(QByteArray &out, std::string_view cell)
{
    if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(cell.data(), qsizetype(cell.size()));
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

// Bytes as text in a cell: as they are when UTF-8, else with U+FFFD for what is not.
std::string utf8Text(std::string_view bytes)
{
    if (simdjson::validate_utf8(bytes.data(), bytes.size()))
        return std::string(bytes);
    const QByteArray fixed = QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).toUtf8();
    return fixed.toStdString();
}

} // namespace

struct MessageWriter::Impl {
    MessageFormat format = MessageFormat::Jsonl;
    std::vector<Column> columns;
    ParsedValue parsed;
    std::string cell;
    qint64 written = 0;
};

Result<MessageFormat> messageFormatNamed(const QString &name)
{
    if (name == QLatin1String("jsonl"))
        return MessageFormat::Jsonl;
    if (name == QLatin1String("json"))
        return MessageFormat::Json;
    if (name == QLatin1String("csv"))
        return MessageFormat::Csv;
    if (name == QLatin1String("value"))
        return MessageFormat::Value;
    return Error{QStringLiteral("unknown format \"%1\" (jsonl, json, csv or value)").arg(name)};
}

QStringList MessageWriter::defaultColumns()
{
    return {QStringLiteral("partition"), QStringLiteral("offset"), QStringLiteral("timestamp"), QStringLiteral("key"),
            QStringLiteral("value")};
}

Status MessageWriter::checkColumns(const QStringList &columns)
{
    if (columns.isEmpty())
        return Error{QStringLiteral("no columns")};
    for (const QString &c : columns)
        if (!columnNamed(c))
            return Error{QStringLiteral("unknown column \"%1\" (topic, partition, offset, timestamp, timestamp_ms, "
                                        "key, value, headers, header:NAME, or a path such as .value.title)")
                             .arg(c)};
    return {};
}

MessageWriter::MessageWriter(MessageFormat format, const QStringList &columns)
    : d(std::make_unique<Impl>())
{
    d->format = format;
    for (const QString &c : columns)
        if (auto column = columnNamed(c))
            d->columns.push_back(std::move(*column));
}

MessageWriter::~MessageWriter() = default;

QByteArray MessageWriter::begin() const
{
    if (d->format == MessageFormat::Json)
        return "[\n";
    if (d->format != MessageFormat::Csv)
        return {};
    QByteArray out;
    for (size_t i = 0; i < d->columns.size(); ++i) {
        if (i > 0)
            out += ',';
        appendCell(out, view(d->columns[i].header));
    }
    out += "\r\n";
    return out;
}

QByteArray MessageWriter::end() const
{
    if (d->format != MessageFormat::Json)
        return {};
    return d->written > 0 ? "\n]\n" : "]\n";
}

void MessageWriter::appendJsonString(QByteArray &out, std::string_view bytes)
{
    if (simdjson::validate_utf8(bytes.data(), bytes.size())) {
        JsonObjectWriter::appendEscaped(out, bytes, JsonObjectWriter::Escapes::Kcat);
    } else {
        const QByteArray fixed = QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).toUtf8();
        JsonObjectWriter::appendEscaped(out, view(fixed), JsonObjectWriter::Escapes::Kcat);
    }
}

void MessageWriter::append(QByteArray &out, const MessageView &m)
{
    switch (d->format) {
    case MessageFormat::Jsonl:
        appendKcatRecord(out, m);
        out += '\n';
        break;
    case MessageFormat::Json:
        if (d->written > 0)
            out += ",\n";
        appendKcatRecord(out, m);
        break;
    case MessageFormat::Value:
        out.append(m.value.bytes.data(), qsizetype(m.value.bytes.size()));
        out += '\n';
        break;
    case MessageFormat::Csv: {
        d->parsed.reset(m.value);
        for (size_t i = 0; i < d->columns.size(); ++i) {
            if (i > 0)
                out += ',';
            const Column &c = d->columns[i];
            std::string &cell = d->cell;
            cell.clear();
            switch (c.kind) {
            case Column::Kind::Topic: cell = utf8Text(m.topic); break;
            case Column::Kind::Partition: cell = std::to_string(m.partition); break;
            case Column::Kind::Offset: cell = std::to_string(m.offset); break;
            case Column::Kind::Timestamp:
                if (m.timestampMs >= 0)
                    cell = formatIsoTime(m.timestampMs).toStdString();
                break;
            case Column::Kind::TimestampMs:
                if (m.timestampMs >= 0)
                    cell = std::to_string(m.timestampMs);
                break;
            case Column::Kind::Key: cell = m.key.isNull ? std::string() : utf8Text(m.key.bytes); break;
            case Column::Kind::Value: cell = m.value.isNull ? std::string() : utf8Text(m.value.bytes); break;
            case Column::Kind::Headers: {
                QByteArray json = "{";
                // The last value where a name repeats, as the filters read them.
                std::vector<const HeaderView *> kept;
                for (const HeaderView &h : m.headers) {
                    std::erase_if(kept, [&](const HeaderView *k) { return k->name == h.name; });
                    kept.push_back(&h);
                }
                for (const HeaderView *h : kept) {
                    if (json.size() > 1)
                        json += ',';
                    appendJsonString(json, h->name);
                    json += ':';
                    appendStringOrNull(json, h->value);
                }
                json += '}';
                cell = json.toStdString();
                break;
            }
            case Column::Kind::Header: {
                const std::string_view name = view(c.header).substr(7);
                for (const HeaderView &h : m.headers)
                    if (h.name == name)
                        cell = h.value.isNull ? std::string() : utf8Text(h.value.bytes);
                break;
            }
            case Column::Kind::Path: fieldText(c.path, m, d->parsed, cell); break;
            }
            appendCell(out, cell);
        }
        out += "\r\n";
        break;
    }
    }
    ++d->written;
}

} // namespace peakwatch
