// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The filters' fast path against jq itself. The first line of the input is a filter, the second a header value,
// the rest a message's value. Whenever the fast path takes the filter and decides on the message, it must decide
// as libjq does; and the filter as a whole (fast path, then jq) must pass exactly what jq passes.
#include "fast_filter.h"
#include "fuzz_support.h"
#include "jq_program.h"
#include "message_filter.h"

#include <cstdint>
#include <string_view>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const size_t firstEnd = input.find('\n');
    if (firstEnd == std::string_view::npos || firstEnd > 256)
        return 0;
    const std::string_view expression = input.substr(0, firstEnd);
    std::string_view rest = input.substr(firstEnd + 1);
    const size_t secondEnd = rest.find('\n');
    const std::string_view header =
        secondEnd == std::string_view::npos ? std::string_view() : rest.substr(0, secondEnd);
    const std::string_view value = secondEnd == std::string_view::npos ? rest : rest.substr(secondEnd + 1);

    const auto fast = FastFilter::parse(expression);
    if (!fast)
        return 0; // only filters the fast path takes are compared; jq alone decides the others
    const QString text = QString::fromUtf8(expression.data(), qsizetype(expression.size()));
    auto jq = JqProgram::compile(text);
    if (!jq)
        return 0; // a filter jq refuses is refused before any message is read

    const HeaderView headers[] = {
        {"X-Shopify-Topic", BytesView{header, false}}, {"a", BytesView{"1", false}}, {"a", BytesView{header, false}}};
    MessageView m;
    m.topic = "shopify-webhooks";
    m.partition = 1;
    m.offset = 42;
    m.timestampMs = 1764230400000;
    m.key = BytesView{header, header.empty()};
    m.value = BytesView{value, false};
    m.headers = headers;

    const bool expected = (*jq)->evaluate(m) == JqProgram::Verdict::Pass;
    ParsedValue parsed;
    parsed.reset(m.value);
    const FastFilter::Verdict verdict = fast->evaluate(m, parsed);
    if (verdict != FastFilter::Verdict::AskJq)
        PEAKWATCH_FUZZ_CHECK((verdict == FastFilter::Verdict::Pass) == expected);
    auto whole = MessageFilter::compile({text});
    PEAKWATCH_FUZZ_CHECK(whole.ok());
    PEAKWATCH_FUZZ_CHECK(whole.value().matches(m) == expected);
    return 0;
}
