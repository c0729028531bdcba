// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "product_event.h"
#include "raw_message.h"
#include "reject_log.h"
#include "shopify_event.h"

#include <functional>
#include <memory>

namespace peakwatch {

// Parses what Peakwatch reads with simdjson: Shopify's products/update, inventory_levels/update and orders/create
// payloads, each raw or inside an EventBridge envelope, and the Spark job's output rows. One parser per thread; no I/O.
class EventParser final {
public:
    static constexpr size_t kDefaultMaxValueBytes = 1 << 20;
    // Event times further ahead than this of the clock (or of X-Shopify-Triggered-At) are rejected.
    static constexpr qint64 kMaxAheadMs = 24 * 60 * 60 * 1000;

    explicit EventParser(size_t maxValueBytes = kDefaultMaxValueBytes);
    ~EventParser();
    Q_DISABLE_COPY_MOVE(EventParser)

    // Fills `parsed` (its topic says which part) and returns true, or fills `rejection` and returns false. The topic
    // is X-Shopify-Topic's (a header or the envelope's metadata) where the message names one, else the payload's
    // shape: inventory_item_id and location_id, an inventory level; line_items, an order; else a product.
    // `parsed`'s views stay valid until the next call.
    bool parse(const RawMessage &message, ParsedMessage &parsed, Rejection &rejection);
    // A products/update (or a Spark row) only: any other topic is rejected, by name.
    bool parse(const RawMessage &message, ProductEvent &event, Rejection &rejection);

    // The wall clock (ms since the epoch) that bounds event times; QDateTime's by default. Replays of old
    // files are unaffected: only the future is bounded.
    void setClock(std::function<qint64()> clock);
    // How far ahead of the clock an event time may be (kMaxAheadMs by default); 0 or less: no bound, for a stream
    // whose times are simulated ahead of today. X-Shopify-Triggered-At still bounds a message that carries it.
    void setMaxAheadMs(qint64 ms);

    // Bytes past a value's end that must be readable for the parser to work in place.
    static size_t padding();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace peakwatch
