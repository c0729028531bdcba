// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "raw_message.h"

#include <QString>

#include <memory>
#include <string_view>

namespace peakwatch {

// A Kafka record as one line of `kcat -C -J` writes it:
//   {"topic":"shopify-webhooks","partition":2,"offset":4411,"tstype":"create","ts":1764219600000,"broker":1,
//    "headers":["X-Shopify-Topic","products/update","X-Shopify-Shop-Domain","peak-apparel.myshopify.com"],
//    "key":"peak-apparel.myshopify.com","payload":"{\"id\":8841726390317,…}"}
// so that a capture replays with the headers it was sent with. headers is a flat list of names and values (kcat
// writes it only when the record has some); key and payload are strings or null.
class KcatRecordDecoder final {
public:
    KcatRecordDecoder();
    ~KcatRecordDecoder();
    Q_DISABLE_COPY_MOVE(KcatRecordDecoder)

    // Whether a line (blanks in front allowed) is a kcat -J record: an object whose first member is "topic".
    static bool looksLikeRecord(std::string_view line);

    // Fills `message` from the record: key, value (the payload), the headers Peakwatch reads, partition and
    // position (the record's offset). The views point into this decoder: valid until the next call. False with
    // `problem` saying what is wrong ("payload: expected a string or null").
    bool decode(std::string_view line, RawMessage &message, QString &problem);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace peakwatch
