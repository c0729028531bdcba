// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>
#include <variant>

namespace peakwatch {

// What an HTTP/1.1 server holds for one request at most.
struct HttpLimits {
    qsizetype maxRequestLineBytes = 8 * 1024; // over it: 414
    qsizetype maxHeadBytes = 32 * 1024;       // request line and header fields with their line ends: 431
    int maxHeaderFields = 100;                // 431
    qint64 maxBodyBytes = 1 << 20;            // declared or received, chunked or not: 413
};

// A request that cannot be served as sent: the status to answer (400, 413, 414, 431, 501, 505) and why.
struct HttpError {
    int status = 400;
    QString reason;
};

// A request's head (RFC 9112 section 2 to 7), parsed strictly.
struct HttpRequestHead {
    QByteArray method;
    QByteArray target; // as sent
    QByteArray path;   // the target's path, without its query (origin form, or taken from the absolute form)
    int minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> fields; // names as sent, values without surrounding whitespace
    qint64 contentLength = 0;                    // 0 when chunked
    bool chunked = false;                        // Transfer-Encoding: chunked
    bool keepAlive = true;                       // HTTP/1.1 unless "Connection: close"; HTTP/1.0 if "keep-alive"
    bool expectContinue = false;                 // Expect: 100-continue

    // The value of the first field of this name (case-insensitive); empty if none.
    QByteArray value(QByteArrayView name) const;
};

// Where the head ends in `buffer`: the index just past its empty line; nullopt while it has not arrived
// yet. An error for a line that ends in a bare LF or holds a bare CR, for a request line or head over the
// limits (checked on what has arrived, so an endless head is refused without waiting for its end).
// Empty lines before the request line (RFC 9112 section 2.2) are part of what is returned.
std::variant<std::optional<qsizetype>, HttpError> findHttpHeadEnd(QByteArrayView buffer, const HttpLimits &limits);

// Parses a complete head, as findHttpHeadEnd delimits it. Refuses (RFC 9112): a malformed request line
// (400), a request-target over the limit (414), a version other than HTTP/1.0 or 1.1 (505, or 400 if not a
// version at all), a field name that is not a token or whitespace before the colon (400), obsolete line
// folding (400), control characters in a value (400), too many fields (431), HTTP/1.1 without exactly one
// Host (400), an invalid or conflicting Content-Length (400) or one over the body limit (413), both
// Content-Length and Transfer-Encoding (400: a smuggling attempt), Transfer-Encoding in HTTP/1.0 (400),
// a transfer coding other than chunked (501).
std::variant<HttpRequestHead, HttpError> parseHttpRequestHead(QByteArrayView head, const HttpLimits &limits);

} // namespace peakwatch
