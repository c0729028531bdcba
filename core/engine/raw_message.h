// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QtGlobal>

#include <string_view>

namespace peakwatch {

// The header in which the load simulator stamps when it made a webhook (microseconds since the epoch,
// wall clock), so the far end of the pipeline can measure end-to-end latency.
inline constexpr char kCreatedAtHeader[] = "X-Peakwatch-Created-At";

// A message as it arrives, before parsing: from a Kafka record or an NDJSON line.
// The views point into the caller's buffer and are valid for the call only.
struct RawMessage {
    std::string_view key;
    std::string_view value;
    // Bytes readable from value.data() on (at least value.size()); the parser needs
    // simdjson::SIMDJSON_PADDING more than value.size() to parse in place, else it copies.
    size_t capacity = 0;
    std::string_view shopDomainHeader;  // X-Shopify-Shop-Domain, if any
    std::string_view webhookIdHeader;   // X-Shopify-Webhook-Id, if any: one delivery (the same on a redelivery)
    std::string_view eventIdHeader;     // X-Shopify-Event-Id, if any: one event (the same for every subscription)
    std::string_view topicHeader;       // X-Shopify-Topic ("products/update"), if any
    std::string_view triggeredAtHeader; // X-Shopify-Triggered-At, if any
    qint64 createdAtMicros = 0;         // X-Peakwatch-Created-At (the load simulator's stamp), if any
    // A line longer than the reader's limit: its length, and value is empty (the line was read past, not held).
    size_t oversizedBytes = 0;
    // What the reader found wrong with the record around the value (a kcat -J line whose payload is not a string),
    // in UTF-8; the parser rejects such a message with it. Empty when the reader found nothing wrong.
    std::string_view readerProblem;
    int partition = -1;  // Kafka partition, -1 for a file
    qint64 position = 0; // Kafka offset, or 1-based line number in a file
};

// Takes a record's header into `message` when it is one Peakwatch reads (X-Shopify-Shop-Domain, -Webhook-Id,
// -Event-Id, -Topic, -Triggered-At, X-Peakwatch-Created-At), its name in any case: HTTP/2 and many relays lower-case
// header names. Called for each header in order, the last of a name wins, as it does for a Kafka consumer. The views
// must live as long as the message.
void takeShopifyHeader(RawMessage &message, std::string_view name, std::string_view value);

} // namespace peakwatch
