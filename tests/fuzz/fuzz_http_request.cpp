// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The gateway's request handling on any bytes as they might arrive on a connection: where the head ends, the head
// parsed, and a chunked body decoded. Small limits, so that the fuzzer reaches every refusal. Promises besides no
// crash: nothing found or consumed lies past the input; an accepted head declares no body over the limit and not
// both a length and chunks; a chunked body never holds more than the limit, and decoding it in two pieces, split
// anywhere, ends as decoding it whole does.
#include "chunked_body_decoder.h"
#include "fuzz_support.h"
#include "http_request_head.h"

#include <cstdint>

using namespace peakwatch;

namespace {

struct Decoded {
    ChunkedBodyDecoder::State state;
    QByteArray body;
    qsizetype consumed = 0;
};

Decoded decode(QByteArrayView input, qsizetype split, const HttpLimits &limits)
{
    ChunkedBodyDecoder decoder(limits);
    Decoded out{ChunkedBodyDecoder::State::NeedMore, {}, 0};
    // The bytes arrive in two reads: the decoder sees the first part, then everything received so far.
    out.state = decoder.feed(input.first(split), out.consumed, out.body);
    if (out.state == ChunkedBodyDecoder::State::NeedMore)
        out.state = decoder.feed(input, out.consumed, out.body);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpLimits limits;
    limits.maxRequestLineBytes = 256;
    limits.maxHeadBytes = 1024;
    limits.maxHeaderFields = 10;
    limits.maxBodyBytes = 4096;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    const auto found = findHttpHeadEnd(input, limits);
    if (std::holds_alternative<HttpError>(found))
        return 0;
    const std::optional<qsizetype> end = std::get<std::optional<qsizetype>>(found);
    if (!end)
        return 0;
    PEAKWATCH_FUZZ_CHECK(*end > 0 && *end <= input.size());
    const auto parsed = parseHttpRequestHead(input.first(*end), limits);
    if (const auto *error = std::get_if<HttpError>(&parsed)) {
        PEAKWATCH_FUZZ_CHECK(error->status >= 400 && error->status <= 505 && !error->reason.isEmpty());
        return 0;
    }
    const HttpRequestHead &head = std::get<HttpRequestHead>(parsed);
    PEAKWATCH_FUZZ_CHECK(head.contentLength >= 0 && head.contentLength <= limits.maxBodyBytes);
    PEAKWATCH_FUZZ_CHECK(!(head.chunked && head.contentLength != 0));
    PEAKWATCH_FUZZ_CHECK(!head.method.isEmpty() && !head.target.isEmpty());
    if (!head.chunked)
        return 0;

    const QByteArrayView body = input.sliced(*end);
    const Decoded whole = decode(body, body.size(), limits);
    PEAKWATCH_FUZZ_CHECK(whole.consumed <= body.size());
    PEAKWATCH_FUZZ_CHECK(whole.body.size() <= limits.maxBodyBytes);
    // Split where the head's last byte says, so that the fuzzer chooses.
    const qsizetype split = body.isEmpty() ? 0 : qsizetype(uint8_t(input[*end - 1])) * 7 % (body.size() + 1);
    const Decoded pieces = decode(body, split, limits);
    PEAKWATCH_FUZZ_CHECK(pieces.state == whole.state);
    if (whole.state != ChunkedBodyDecoder::State::Failed) {
        PEAKWATCH_FUZZ_CHECK(pieces.body == whole.body);
        PEAKWATCH_FUZZ_CHECK(pieces.consumed == whole.consumed);
    }
    return 0;
}
