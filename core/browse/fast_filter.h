// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "message_view.h"

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peakwatch {

// A path into the object a filter reads: `.value.variants[0].inventory_quantity`, `.headers["X-Shopify-Topic"]`,
// `.key`, `.partition`. Its root is one of the object's members; its steps name members or index arrays (from the
// end when negative), as jq's do.
struct FieldPath {
    enum class Root { Topic, Partition, Offset, Timestamp, Key, Value, Headers };
    struct Step {
        std::string name; // a member's name, when not an index
        qint64 index = 0;
        bool isIndex = false;
    };
    Root root = Root::Value;
    std::vector<Step> steps;

    // Parses a whole path ("." then the root's name, then steps); nullopt when `text` is anything else.
    static std::optional<FieldPath> parse(std::string_view text);
};

// The value a message's field has, as far as the filters compare it. Arrays and objects only by kind: jq orders
// every array after every scalar, and every object after every array.
struct FieldValue {
    // In jq's order of kinds: null < false < true < numbers < strings < arrays < objects.
    enum class Kind { Null, False, True, Number, String, Array, Object };
    Kind kind = Kind::Null;
    double number = 0;
    std::string_view text;
};

class ParsedValue;
bool fieldText(const FieldPath &path, const MessageView &message, ParsedValue &value, std::string &out);

// The message's value parsed once for all the comparisons of one message (simdjson's DOM, which validates it whole).
class ParsedValue final {
public:
    ParsedValue();
    ~ParsedValue();
    Q_DISABLE_COPY_MOVE(ParsedValue)

    // Forgets the message before: the next lookup parses `value`.
    void reset(const BytesView &value);

    struct Impl;

private:
    friend class FastFilter;
    friend bool fieldText(const FieldPath &, const MessageView &, ParsedValue &, std::string &);
    std::unique_ptr<Impl> d;
};

// The filters most people write, evaluated without jq: comparisons of a field or a header with a literal
// (`.value.variants[0].inventory_quantity < 5`, `.headers["X-Shopify-Topic"] == "products/update"`), joined by
// `and`, optionally inside `select(…)`. Exactly jq's semantics: the same ordering across kinds, the last member
// where a name repeats, null for what is missing. Whatever it cannot decide as jq would — a value that is not valid
// JSON to simdjson but might be to jq, a string that is not UTF-8, a step into a scalar (an error in jq) — it leaves
// to jq.
class FastFilter final {
public:
    enum class Verdict { Pass, Fail, AskJq };

    // The fast form of a filter, or nullopt when the filter is not one (jq evaluates it then).
    static std::optional<FastFilter> parse(std::string_view expression);

    Verdict evaluate(const MessageView &message, ParsedValue &value) const;

    struct Literal {
        FieldValue::Kind kind = FieldValue::Kind::Null;
        double number = 0;
        std::string text;
    };
    enum class Op { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };
    struct Comparison {
        FieldPath path;
        Op op = Op::Equal;
        Literal literal;
    };
    const std::vector<Comparison> &comparisons() const { return m_comparisons; }

private:
    std::vector<Comparison> m_comparisons; // all must hold, tested in order as jq's `and` does
};

// jq's ordering of two values: negative, zero or positive.
int compareAsJq(const FieldValue &a, const FieldValue &b);

} // namespace peakwatch

namespace peakwatch {

// A field's value as a CSV cell shows it: a string as its text, anything else as compact JSON, nothing when it is
// missing or null. False when the field cannot be read as jq would (a value simdjson does not take for JSON, a
// step into a scalar): the cell stays empty.
bool fieldText(const FieldPath &path, const MessageView &message, ParsedValue &value, std::string &out);

} // namespace peakwatch
