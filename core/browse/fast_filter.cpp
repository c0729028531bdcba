// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "fast_filter.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace peakwatch {
namespace {

// Below jq 1.6's parsing depth (256), so that a value deep enough for jq to refuse is left to jq.
constexpr size_t kMaxDepth = 200;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isIdentStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isIdentChar(char c)
{
    return isIdentStart(c) || (c >= '0' && c <= '9');
}

// A cursor over a filter's text.
class Cursor {
public:
    explicit Cursor(std::string_view text)
        : m_text(text)
    {}
    void skipSpace()
    {
        while (m_pos < m_text.size() && isSpace(m_text[m_pos]))
            ++m_pos;
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek(size_t ahead = 0) const { return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0'; }
    bool take(std::string_view token)
    {
        if (m_text.substr(m_pos, token.size()) != token)
            return false;
        m_pos += token.size();
        return true;
    }
    // A keyword: the token, not followed by a character that would make it a longer name.
    bool takeWord(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word || isIdentChar(peek(word.size())))
            return false;
        m_pos += word.size();
        return true;
    }
    std::string_view identifier()
    {
        const size_t start = m_pos;
        if (!isIdentStart(peek()))
            return {};
        while (isIdentChar(peek()))
            ++m_pos;
        return m_text.substr(start, m_pos - start);
    }
    // A string literal as JSON writes it; jq's interpolation (`\(…)`) is not taken.
    std::optional<std::string> string()
    {
        if (peek() != '"')
            return std::nullopt;
        size_t end = m_pos + 1;
        while (end < m_text.size() && m_text[end] != '"') {
            if (m_text[end] == '\\') {
                if (end + 1 >= m_text.size() || m_text[end + 1] == '(')
                    return std::nullopt;
                ++end;
            }
            ++end;
        }
        if (end >= m_text.size())
            return std::nullopt;
        const std::string_view token = m_text.substr(m_pos, end + 1 - m_pos);
        simdjson::dom::parser parser;
        std::string_view out;
        if (parser.parse(simdjson::padded_string(token)).get_string().get(out) != simdjson::SUCCESS)
            return std::nullopt;
        m_pos = end + 1;
        return std::string(out);
    }
    // A number as jq's lexer reads one ([0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?), with an optional minus before it.
    std::optional<double> number()
    {
        size_t p = m_pos;
        const bool negative = p < m_text.size() && m_text[p] == '-';
        if (negative) {
            ++p;
            while (p < m_text.size() && isSpace(m_text[p]))
                ++p;
        }
        const size_t start = p;
        auto digits = [&] {
            const size_t from = p;
            while (p < m_text.size() && m_text[p] >= '0' && m_text[p] <= '9')
                ++p;
            return p > from;
        };
        if (!digits())
            return std::nullopt;
        if (p < m_text.size() && m_text[p] == '.') {
            ++p;
            digits();
        }
        if (p < m_text.size() && (m_text[p] == 'e' || m_text[p] == 'E')) {
            size_t q = p + 1;
            if (q < m_text.size() && (m_text[q] == '+' || m_text[q] == '-'))
                ++q;
            p = q;
            if (!digits())
                return std::nullopt;
        }
        if (p < m_text.size() && (isIdentChar(m_text[p]) || m_text[p] == '.'))
            return std::nullopt;
        const std::string token(m_text.substr(start, p - start));
        const double value = std::strtod(token.c_str(), nullptr);
        m_pos = p;
        return negative ? -value : value;
    }
    size_t position() const { return m_pos; }
    std::string_view rest() const { return m_text.substr(m_pos); }
    void moveTo(size_t pos) { m_pos = pos; }

private:
    std::string_view m_text;
    size_t m_pos = 0;
};

std::optional<FieldPath::Root> rootNamed(std::string_view name)
{
    using Root = FieldPath::Root;
    static constexpr std::pair<std::string_view, Root> kRoots[] = {
        {"topic", Root::Topic},     {"partition", Root::Partition},
        {"offset", Root::Offset},   {"timestamp", Root::Timestamp},
        {"key", Root::Key},         {"value", Root::Value},
        {"headers", Root::Headers},
    };
    for (const auto &[n, root] : kRoots)
        if (n == name)
            return root;
    return std::nullopt;
}

// A path at the cursor: `.root` then `.name`, `."name"`, `["name"]` or `[index]` steps, with no space between.
std::optional<FieldPath> parsePath(Cursor &c)
{
    if (!c.take("."))
        return std::nullopt;
    const auto root = rootNamed(c.identifier());
    if (!root)
        return std::nullopt;
    FieldPath path;
    path.root = *root;
    for (;;) {
        FieldPath::Step step;
        if (c.peek() == '.' && c.peek(1) != '.') {
            c.take(".");
            auto name = c.peek() == '"' ? c.string() : std::optional<std::string>(c.identifier());
            if (!name || name->empty())
                return std::nullopt;
            step.name = std::move(*name);
            path.steps.push_back(std::move(step));
        } else if (c.peek() == '[') {
            c.take("[");
            c.skipSpace();
            if (c.peek() == '"') {
                auto name = c.string();
                if (!name)
                    return std::nullopt;
                step.name = std::move(*name);
            } else {
                // An index that is a whole number a double holds exactly; anything else is jq's to read.
                constexpr double kExact = 9007199254740992.0; // 2^53
                const auto index = c.number();
                if (!index || std::abs(*index) > kExact || *index != std::trunc(*index))
                    return std::nullopt;
                step.isIndex = true;
                step.index = qint64(*index);
            }
            c.skipSpace();
            if (!c.take("]"))
                return std::nullopt;
            path.steps.push_back(std::move(step));
        } else {
            break;
        }
    }
    if (c.peek() == '?')
        return std::nullopt;
    return path;
}

std::optional<FastFilter::Literal> parseLiteral(Cursor &c)
{
    FastFilter::Literal literal;
    using Kind = FieldValue::Kind;
    if (c.takeWord("null")) {
        literal.kind = Kind::Null;
    } else if (c.takeWord("true")) {
        literal.kind = Kind::True;
    } else if (c.takeWord("false")) {
        literal.kind = Kind::False;
    } else if (c.peek() == '"') {
        auto text = c.string();
        if (!text)
            return std::nullopt;
        literal.kind = Kind::String;
        literal.text = std::move(*text);
    } else if (auto n = c.number()) {
        literal.kind = Kind::Number;
        literal.number = *n;
    } else {
        return std::nullopt;
    }
    return literal;
}

std::optional<FastFilter::Op> parseOp(Cursor &c)
{
    using Op = FastFilter::Op;
    if (c.take("=="))
        return Op::Equal;
    if (c.take("!="))
        return Op::NotEqual;
    if (c.take("<="))
        return Op::LessOrEqual;
    if (c.take(">="))
        return Op::GreaterOrEqual;
    if (c.take("<"))
        return Op::Less;
    if (c.take(">"))
        return Op::Greater;
    return std::nullopt;
}

// `5 > .x` is `.x < 5`.
FastFilter::Op mirrored(FastFilter::Op op)
{
    using Op = FastFilter::Op;
    switch (op) {
    case Op::Less: return Op::Greater;
    case Op::LessOrEqual: return Op::GreaterOrEqual;
    case Op::Greater: return Op::Less;
    case Op::GreaterOrEqual: return Op::LessOrEqual;
    case Op::Equal:
    case Op::NotEqual: break;
    }
    return op;
}

std::optional<FastFilter::Comparison> parseComparison(Cursor &c)
{
    FastFilter::Comparison comparison;
    c.skipSpace();
    if (c.peek() == '.') {
        auto path = parsePath(c);
        c.skipSpace();
        auto op = path ? parseOp(c) : std::nullopt;
        c.skipSpace();
        auto literal = op ? parseLiteral(c) : std::nullopt;
        if (!literal)
            return std::nullopt;
        return FastFilter::Comparison{std::move(*path), *op, std::move(*literal)};
    }
    auto literal = parseLiteral(c);
    c.skipSpace();
    auto op = literal ? parseOp(c) : std::nullopt;
    c.skipSpace();
    auto path = op ? parsePath(c) : std::nullopt;
    if (!path)
        return std::nullopt;
    return FastFilter::Comparison{std::move(*path), mirrored(*op), std::move(*literal)};
}

bool holds(FastFilter::Op op, int order)
{
    using Op = FastFilter::Op;
    switch (op) {
    case Op::Equal: return order == 0;
    case Op::NotEqual: return order != 0;
    case Op::Less: return order < 0;
    case Op::LessOrEqual: return order <= 0;
    case Op::Greater: return order > 0;
    case Op::GreaterOrEqual: return order >= 0;
    }
    return false;
}

bool isUtf8(std::string_view s)
{
    return simdjson::validate_utf8(s.data(), s.size());
}

// Whether jq cannot take these bytes for JSON whatever its parser accepts beyond the standard (a byte-order mark,
// "nan", numbers such as "+1" or ".5"): they start with an ASCII character that begins no JSON, nor any of those.
bool certainlyNotJson(std::string_view bytes)
{
    size_t i = 0;
    while (i < bytes.size() && isSpace(bytes[i]))
        ++i;
    if (i == bytes.size())
        return false; // nothing but blanks: left to jq
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x80 || c == 0)
        return false;
    return !std::strchr("{[\"+-.0123456789tfnNiI", int(c));
}

} // namespace

std::optional<FieldPath> FieldPath::parse(std::string_view text)
{
    Cursor c(text);
    auto path = parsePath(c);
    if (!path || !c.atEnd())
        return std::nullopt;
    return path;
}

struct ParsedValue::Impl {
    enum class State { Unread, Json, Text, AskJq };
    simdjson::dom::parser parser;
    std::vector<char> buffer; // the value's bytes with simdjson's padding after them
    simdjson::dom::element root;
    BytesView value;
    State state = State::Unread;

    Impl()
    {
        // Grown by parse() when a value needs more; a failure here shows there too.
        if (parser.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS)
            state = State::AskJq;
    }

    void parse()
    {
        if (value.isNull) {
            state = State::Json; // null, as jq reads it
            return;
        }
        if (certainlyNotJson(value.bytes)) {
            state = isUtf8(value.bytes) ? State::Text : State::AskJq;
            return;
        }
        const size_t size = value.bytes.size();
        if (buffer.size() < size + simdjson::SIMDJSON_PADDING)
            buffer.resize(size + simdjson::SIMDJSON_PADDING);
        std::memcpy(buffer.data(), value.bytes.data(), size);
        if (parser.capacity() < size && parser.allocate(size, kMaxDepth) != simdjson::SUCCESS) {
            state = State::AskJq;
            return;
        }
        state = parser.parse(buffer.data(), size, false).get(root) == simdjson::SUCCESS ? State::Json : State::AskJq;
    }
};

ParsedValue::ParsedValue()
    : d(std::make_unique<Impl>())
{}

ParsedValue::~ParsedValue() = default;

void ParsedValue::reset(const BytesView &value)
{
    d->value = value;
    d->state = Impl::State::Unread;
}

namespace {

FieldValue ofElement(const simdjson::dom::element &e)
{
    using simdjson::dom::element_type;
    FieldValue v;
    switch (e.type()) {
    case element_type::NULL_VALUE: v.kind = FieldValue::Kind::Null; break;
    case element_type::BOOL:
        v.kind = bool(e.get_bool().value_unsafe()) ? FieldValue::Kind::True : FieldValue::Kind::False;
        break;
    case element_type::INT64:
        v.kind = FieldValue::Kind::Number;
        v.number = double(e.get_int64().value_unsafe());
        break;
    case element_type::UINT64:
        v.kind = FieldValue::Kind::Number;
        v.number = double(e.get_uint64().value_unsafe());
        break;
    case element_type::DOUBLE:
        v.kind = FieldValue::Kind::Number;
        v.number = e.get_double().value_unsafe();
        break;
    case element_type::STRING:
        v.kind = FieldValue::Kind::String;
        v.text = e.get_string().value_unsafe();
        break;
    case element_type::ARRAY: v.kind = FieldValue::Kind::Array; break;
    case element_type::OBJECT: v.kind = FieldValue::Kind::Object; break;
    }
    return v;
}

enum class Reached { Element, Null, Error };

// Follows `steps` from the JSON element `e`, which becomes the element reached. Null where a member or an index is
// missing or a step meets null (null.x and null[0] are null in jq); Error where jq raises one (a step into a scalar,
// a name into an array, an index into an object), which jq then reports.
Reached followSteps(simdjson::dom::element &e, const std::vector<FieldPath::Step> &steps)
{
    using simdjson::dom::element_type;
    for (const FieldPath::Step &step : steps) {
        const element_type type = e.type();
        if (type == element_type::NULL_VALUE)
            return Reached::Null;
        if (step.isIndex) {
            if (type != element_type::ARRAY)
                return Reached::Error;
            const simdjson::dom::array array = e.get_array().value_unsafe();
            qint64 index = step.index;
            if (index < 0)
                index += qint64(array.size());
            if (index < 0 || index >= qint64(array.size()))
                return Reached::Null;
            e = array.at(size_t(index)).value_unsafe();
        } else {
            if (type != element_type::OBJECT)
                return Reached::Error;
            // The last member of that name, as jq keeps it.
            bool found = false;
            const simdjson::dom::object object = e.get_object().value_unsafe();
            for (const simdjson::dom::key_value_pair field : object)
                if (field.key == step.name) {
                    e = field.value;
                    found = true;
                }
            if (!found)
                return Reached::Null;
        }
    }
    return Reached::Element;
}

std::optional<FieldValue> follow(simdjson::dom::element e, const std::vector<FieldPath::Step> &steps)
{
    switch (followSteps(e, steps)) {
    case Reached::Element: return ofElement(e);
    case Reached::Null: return FieldValue{};
    case Reached::Error: break;
    }
    return std::nullopt;
}

FieldValue numberValue(qint64 n)
{
    return FieldValue{FieldValue::Kind::Number, double(n), {}};
}

// A string jq would hold as it is (valid UTF-8), or nullopt to let jq replace what is not.
std::optional<FieldValue> textValue(const BytesView &bytes)
{
    if (bytes.isNull)
        return FieldValue{};
    if (!isUtf8(bytes.bytes))
        return std::nullopt;
    return FieldValue{FieldValue::Kind::String, 0, bytes.bytes};
}

std::optional<FieldValue> resolve(const FieldPath &path, const MessageView &m, ParsedValue::Impl &value)
{
    using Root = FieldPath::Root;
    std::optional<FieldValue> scalar;
    switch (path.root) {
    case Root::Topic: scalar = textValue(BytesView{m.topic, false}); break;
    case Root::Partition: scalar = numberValue(m.partition); break;
    case Root::Offset: scalar = numberValue(m.offset); break;
    case Root::Timestamp: scalar = m.timestampMs >= 0 ? numberValue(m.timestampMs) : FieldValue{}; break;
    case Root::Key: scalar = textValue(m.key); break;
    case Root::Headers: {
        if (path.steps.empty())
            return FieldValue{FieldValue::Kind::Object, 0, {}};
        const FieldPath::Step &first = path.steps.front();
        if (first.isIndex)
            return std::nullopt; // jq: cannot index object with number
        const HeaderView *last = nullptr;
        for (const HeaderView &h : m.headers) {
            if (!isUtf8(h.name))
                return std::nullopt; // jq holds it with its bad bytes replaced
            if (h.name == first.name)
                last = &h;
        }
        if (!last)
            return path.steps.size() == 1 ? std::optional(FieldValue{}) : std::nullopt;
        if (path.steps.size() > 1)
            return last->value.isNull ? std::optional(FieldValue{}) : std::nullopt;
        return textValue(last->value);
    }
    case Root::Value:
        if (value.state == ParsedValue::Impl::State::Unread)
            value.parse();
        switch (value.state) {
        case ParsedValue::Impl::State::Json:
            if (value.value.isNull)
                return FieldValue{};
            return follow(value.root, path.steps);
        case ParsedValue::Impl::State::Text: scalar = FieldValue{FieldValue::Kind::String, 0, value.value.bytes}; break;
        case ParsedValue::Impl::State::Unread:
        case ParsedValue::Impl::State::AskJq: return std::nullopt;
        }
        break;
    }
    if (!scalar)
        return std::nullopt;
    if (path.steps.empty() || scalar->kind == FieldValue::Kind::Null)
        return scalar;
    return std::nullopt; // a step into a number or a string: jq's error
}

} // namespace

int compareAsJq(const FieldValue &a, const FieldValue &b)
{
    if (a.kind != b.kind)
        return a.kind < b.kind ? -1 : 1;
    switch (a.kind) {
    case FieldValue::Kind::Number: return a.number < b.number ? -1 : a.number == b.number ? 0 : 1;
    case FieldValue::Kind::String: {
        const size_t common = std::min(a.text.size(), b.text.size());
        const int r = common ? std::memcmp(a.text.data(), b.text.data(), common) : 0;
        if (r != 0)
            return r < 0 ? -1 : 1;
        return a.text.size() < b.text.size() ? -1 : a.text.size() == b.text.size() ? 0 : 1;
    }
    default: return 0; // null, false, true; arrays and objects are never compared with each other here
    }
}

std::optional<FastFilter> FastFilter::parse(std::string_view expression)
{
    Cursor c(expression);
    c.skipSpace();
    bool wrapped = false;
    if (c.takeWord("select")) {
        c.skipSpace();
        if (!c.take("("))
            return std::nullopt;
        wrapped = true;
    }
    FastFilter filter;
    for (;;) {
        auto comparison = parseComparison(c);
        if (!comparison)
            return std::nullopt;
        filter.m_comparisons.push_back(std::move(*comparison));
        c.skipSpace();
        if (!c.takeWord("and"))
            break;
    }
    if (wrapped && !c.take(")"))
        return std::nullopt;
    c.skipSpace();
    if (!c.atEnd())
        return std::nullopt;
    return filter;
}

FastFilter::Verdict FastFilter::evaluate(const MessageView &message, ParsedValue &value) const
{
    for (const Comparison &comparison : m_comparisons) {
        const auto field = resolve(comparison.path, message, *value.d);
        if (!field)
            return Verdict::AskJq;
        const FieldValue literal{comparison.literal.kind, comparison.literal.number, comparison.literal.text};
        if (!holds(comparison.op, compareAsJq(*field, literal)))
            return Verdict::Fail;
    }
    return Verdict::Pass;
}

} // namespace peakwatch

namespace peakwatch {

bool fieldText(const FieldPath &path, const MessageView &message, ParsedValue &value, std::string &out)
{
    out.clear();
    ParsedValue::Impl &v = *value.d;
    if (path.root == FieldPath::Root::Value && !path.steps.empty()) {
        if (v.state == ParsedValue::Impl::State::Unread)
            v.parse();
        if (v.state != ParsedValue::Impl::State::Json)
            return false;
        if (v.value.isNull)
            return true;
        simdjson::dom::element e = v.root;
        switch (followSteps(e, path.steps)) {
        case Reached::Null: return true;
        case Reached::Error: return false;
        case Reached::Element: break;
        }
        if (e.is_string())
            out = std::string(e.get_string().value_unsafe());
        else if (!e.is_null())
            out = simdjson::minify(e);
        return true;
    }
    // The other fields: their scalar value.
    const auto field = resolve(path, message, v);
    if (!field)
        return false;
    switch (field->kind) {
    case FieldValue::Kind::Null: break;
    case FieldValue::Kind::False: out = "false"; break;
    case FieldValue::Kind::True: out = "true"; break;
    case FieldValue::Kind::Number: out = std::to_string(qint64(field->number)); break;
    case FieldValue::Kind::String: out = std::string(field->text); break;
    case FieldValue::Kind::Array:
    case FieldValue::Kind::Object: return false;
    }
    return true;
}

} // namespace peakwatch
