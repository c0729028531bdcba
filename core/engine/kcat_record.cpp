// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "kcat_record.h"

#include <simdjson.h>

#include <QStringBuilder>

#include <string>
#include <vector>

namespace peakwatch {
namespace {

namespace od = simdjson::ondemand;

QString utf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

struct KcatRecordDecoder::Impl {
    od::parser parser;
    simdjson::padded_string line; // the line, padded for simdjson
    std::string key;
    std::string payload; // the value, unescaped, with simdjson's padding behind it
    std::vector<std::pair<std::string, std::string>> headers;
};

KcatRecordDecoder::KcatRecordDecoder()
    : d(std::make_unique<Impl>())
{}

KcatRecordDecoder::~KcatRecordDecoder() = default;

bool KcatRecordDecoder::looksLikeRecord(std::string_view line)
{
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '{')
        return false;
    const size_t name = line.find_first_not_of(" \t", first + 1);
    return name != std::string_view::npos && line.substr(name).starts_with("\"topic\"");
}

bool KcatRecordDecoder::decode(std::string_view line, RawMessage &message, QString &problem)
{
    d->line = simdjson::padded_string(line);
    d->key.clear();
    d->payload.clear();
    d->headers.clear();
    bool hasPayload = false, hasPartition = false, hasOffset = false;
    qint64 partition = -1, offset = 0;

    const auto fail = [&](QString what) {
        problem = QStringLiteral("kcat -J record: ") % what;
        return false;
    };
    od::document doc;
    od::object record;
    if (d->parser.iterate(d->line).get(doc) || doc.get_object().get(record))
        return fail(QStringLiteral("not a complete JSON object"));
    for (auto fieldResult : record) {
        od::field field;
        std::string_view name;
        if (std::move(fieldResult).get(field) || field.unescaped_key().get(name))
            return fail(QStringLiteral("not valid JSON"));
        od::value value = field.value();
        if (name == "partition" || name == "offset") {
            int64_t number = 0;
            if (value.get_int64().get(number))
                return fail(utf8(name) % QStringLiteral(": expected a whole number"));
            (name == "partition" ? partition : offset) = number;
            (name == "partition" ? hasPartition : hasOffset) = true;
        } else if (name == "key" || name == "payload") {
            std::string &target = name == "key" ? d->key : d->payload;
            bool isNull = false;
            if (value.is_null().get(isNull))
                return fail(utf8(name) % QStringLiteral(": not valid JSON"));
            if (!isNull) {
                std::string_view text;
                if (value.get_string().get(text))
                    return fail(utf8(name) % QStringLiteral(": expected a string or null"));
                target.assign(text);
            }
            hasPayload |= name == "payload";
        } else if (name == "headers") {
            od::array list;
            if (value.get_array().get(list))
                return fail(QStringLiteral("headers: expected a list of names and values"));
            std::string pendingName;
            bool haveName = false;
            for (auto itemResult : list) {
                od::value item;
                if (std::move(itemResult).get(item))
                    return fail(QStringLiteral("headers: not valid JSON"));
                bool isNull = false;
                if (item.is_null().get(isNull))
                    return fail(QStringLiteral("headers: not valid JSON"));
                std::string_view text;
                if (!isNull && item.get_string().get(text))
                    return fail(QStringLiteral("headers: expected strings (names and values)"));
                if (!haveName) {
                    if (isNull)
                        return fail(QStringLiteral("headers: a header name is null"));
                    pendingName.assign(text);
                } else {
                    d->headers.emplace_back(std::move(pendingName), std::string(isNull ? std::string_view() : text));
                    pendingName.clear();
                }
                haveName = !haveName;
            }
            if (haveName)
                return fail(QStringLiteral("headers: a name without a value"));
        } // topic, tstype, ts and broker are not needed to read the record again
    }
    const char *trailing = nullptr; // a location past the object: something follows it
    if (doc.current_location().get(trailing) == simdjson::SUCCESS)
        return fail(QStringLiteral("text after the record"));
    if (!hasPayload)
        return fail(QStringLiteral("payload is missing"));
    if (!hasPartition || !hasOffset)
        return fail(QStringLiteral("partition and offset are missing"));

    message = RawMessage{};
    d->payload.reserve(d->payload.size() + simdjson::SIMDJSON_PADDING);
    message.value = d->payload;
    message.capacity = d->payload.capacity();
    message.key = d->key;
    message.partition = int(partition);
    message.position = offset;
    for (const auto &[headerName, headerValue] : d->headers)
        takeShopifyHeader(message, headerName, headerValue);
    return true;
}

} // namespace peakwatch
