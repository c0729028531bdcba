// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "topic_browser.h"

#include <QtGlobal>

#include <span>
#include <string_view>
#include <vector>

namespace peakwatch {

// Bytes that may be absent: a Kafka key, value or header value is either null or a (possibly empty) string of bytes.
struct BytesView {
    std::string_view bytes;
    bool isNull = true;

    static BytesView of(const void *data, size_t size)
    {
        return data ? BytesView{std::string_view(static_cast<const char *>(data), size), false} : BytesView{};
    }
};

struct HeaderView {
    std::string_view name;
    BytesView value;
};

// One Kafka message as filters and writers read it, without copying its bytes: the views point into the client's
// message (or into a TopicMessage) and are valid as long as it is.
struct MessageView {
    std::string_view topic;
    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1; // milliseconds since the epoch; -1 when the message carries none
    TopicMessage::TimestampType timestampType = TopicMessage::TimestampType::NotAvailable;
    int broker = -1; // the broker it was read from, -1 when not known
    BytesView key;
    BytesView value;
    std::span<const HeaderView> headers; // in the order the producer set them; names may repeat
};

// A view of a message the browser read. `headers` is where the header views are kept; `topic` must outlive the view.
MessageView viewOf(const TopicMessage &message, std::string_view topic, std::vector<HeaderView> &headers);

} // namespace peakwatch
