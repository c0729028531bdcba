// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The event parser on any bytes as a Kafka value: a Shopify products/update payload, the EventBridge envelope or
// a Spark-output row. Each input is parsed twice, in place (padded, as from the NDJSON reader) and from an unpadded
// buffer (as from a Kafka record), and both readings must agree.
#include "event_parser.h"
#include "fuzz_support.h"

#include <cstdint>
#include <cstring>
#include <vector>

using namespace peakwatch;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static EventParser parser;
    static EventParser copyingParser;

    std::vector<char> padded(size + EventParser::padding(), 0);
    if (size > 0)
        std::memcpy(padded.data(), data, size);
    RawMessage inPlace;
    inPlace.key = "fuzz.myshopify.com";
    inPlace.value = std::string_view(padded.data(), size);
    inPlace.capacity = padded.size();

    std::vector<char> exact(data, data + size); // ASan catches any read past the value
    RawMessage copied = inPlace;
    copied.value = std::string_view(exact.data(), size);
    copied.capacity = size;

    ProductEvent a, b;
    Rejection ra, rb;
    const bool okA = parser.parse(inPlace, a, ra);
    const bool okB = copyingParser.parse(copied, b, rb);
    PEAKWATCH_FUZZ_CHECK(okA == okB);
    if (okA) {
        PEAKWATCH_FUZZ_CHECK(a.productId == b.productId && a.quantity == b.quantity && a.tracked == b.tracked);
        PEAKWATCH_FUZZ_CHECK(a.updatedAtMs == b.updatedAtMs && a.title == b.title && a.shop == b.shop);
        PEAKWATCH_FUZZ_CHECK(a.hasPrice == b.hasPrice && a.minPrice == b.minPrice && a.maxPrice == b.maxPrice);
    } else {
        PEAKWATCH_FUZZ_CHECK(ra.reason == rb.reason && !ra.detail.isEmpty());
    }
    return 0;
}
