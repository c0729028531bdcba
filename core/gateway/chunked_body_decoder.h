// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "http_request_head.h"

#include <QByteArray>
#include <QByteArrayView>

namespace peakwatch {

// Decodes a chunked request body (RFC 9112 section 7.1) as its bytes arrive, holding at most the body
// limit: a chunk that would take the body over it is refused before its data is read (413). Chunk
// extensions and trailer fields are read and dropped; a size line or the trailer section over the head
// limits is refused (400 and 431).
class ChunkedBodyDecoder final {
public:
    enum class State { NeedMore, Done, Failed };

    explicit ChunkedBodyDecoder(const HttpLimits &limits)
        : m_limits(limits)
    {}

    // Consumes what it can of `input` from `consumed` on, advancing it, and appends the data to `body`.
    State feed(QByteArrayView input, qsizetype &consumed, QByteArray &body);
    const HttpError &error() const { return m_error; }

private:
    enum class Phase { SizeLine, Data, DataEnd, Trailers, Finished };
    State fail(int status, const QString &reason);

    HttpLimits m_limits;
    Phase m_phase = Phase::SizeLine;
    qint64 m_chunkLeft = 0;
    qsizetype m_trailerBytes = 0;
    bool m_failed = false;
    HttpError m_error;
};

} // namespace peakwatch
