// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "http_request_head.h"

#include <QStringBuilder>

#include <string_view>

namespace peakwatch {
namespace {

// tchar of RFC 9110 section 5.6.2.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

// field-vchar / obs-text, SP and HTAB (RFC 9110 section 5.5): no other control character, no DEL.
bool isFieldValue(QByteArrayView value)
{
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

// The request-target's characters (RFC 3986): visible ASCII only.
bool isTargetText(QByteArrayView target)
{
    for (char ch : target) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Whether a comma-separated list (Connection) holds `option`.
bool listHolds(QByteArrayView list, QByteArrayView option)
{
    for (qsizetype start = 0; start <= list.size();) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        if (equalsIgnoringCase(trimmed(list.sliced(start, comma - start)), option))
            return true;
        start = comma + 1;
    }
    return false;
}

HttpError error(int status, const QString &reason)
{
    return HttpError{status, reason};
}

} // namespace

QByteArray HttpRequestHead::value(QByteArrayView name) const
{
    for (const auto &[fieldName, fieldValue] : fields)
        if (equalsIgnoringCase(fieldName, name))
            return fieldValue;
    return {};
}

std::variant<std::optional<qsizetype>, HttpError> findHttpHeadEnd(QByteArrayView buffer, const HttpLimits &limits)
{
    qsizetype lineStart = 0;
    bool requestLineSeen = false;
    for (;;) {
        const qsizetype lf = buffer.indexOf('\n', lineStart);
        const qsizetype lineEnd = lf < 0 ? buffer.size() : lf;
        if (!requestLineSeen && lineEnd - lineStart > limits.maxRequestLineBytes)
            return error(414, QStringLiteral("the request line is over %1 bytes").arg(limits.maxRequestLineBytes));
        if (lineEnd > limits.maxHeadBytes)
            return error(431, QStringLiteral("the request's header fields are over %1 bytes").arg(limits.maxHeadBytes));
        if (lf < 0) {
            // A CR that is not the last byte must be followed by LF.
            const qsizetype cr = buffer.indexOf('\r', lineStart);
            if (cr >= 0 && cr + 1 < buffer.size())
                return error(400, QStringLiteral("a CR inside a line of the request's head"));
            return std::optional<qsizetype>();
        }
        if (lf == lineStart || buffer[lf - 1] != '\r')
            return error(400, QStringLiteral("a line of the request's head ends in LF without CR"));
        const QByteArrayView line = buffer.sliced(lineStart, lf - 1 - lineStart);
        if (line.contains('\r'))
            return error(400, QStringLiteral("a CR inside a line of the request's head"));
        lineStart = lf + 1;
        if (line.isEmpty()) {
            if (requestLineSeen)
                return std::optional<qsizetype>(lineStart);
            continue; // an empty line before the request line is ignored
        }
        requestLineSeen = true;
    }
}

std::variant<HttpRequestHead, HttpError> parseHttpRequestHead(QByteArrayView head, const HttpLimits &limits)
{
    // Lines, without their CRLF; findHttpHeadEnd has checked the line ends.
    QList<QByteArrayView> lines;
    for (qsizetype start = 0; start < head.size();) {
        const qsizetype lf = head.indexOf('\n', start);
        if (lf < 0)
            break;
        lines.append(head.sliced(start, lf - 1 - start));
        start = lf + 1;
    }
    while (!lines.isEmpty() && lines.front().isEmpty())
        lines.removeFirst();
    if (lines.isEmpty())
        return error(400, QStringLiteral("no request line"));
    if (!lines.back().isEmpty())
        return error(400, QStringLiteral("the request's head does not end with an empty line"));
    lines.removeLast();

    // request-line = method SP request-target SP HTTP-version
    HttpRequestHead out;
    const QByteArrayView requestLine = lines.front();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return error(400, QStringLiteral("the request line is not METHOD TARGET HTTP/1.1"));
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method))
        return error(400, QStringLiteral("the method is not a token"));
    if (target.isEmpty() || !isTargetText(target))
        return error(400, QStringLiteral("the request target is empty or holds a space or control character"));
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return error(400, QStringLiteral("the request line does not end with an HTTP version"));
    if (version[5] != '1' || version[7] > '1')
        return error(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served here"));
    out.method = method.toByteArray();
    out.target = target.toByteArray();
    out.minorVersion = version[7] - '0';

    // origin-form (/path?query), absolute-form (http://host/path?query) or asterisk-form (*).
    QByteArrayView path = target;
    if (!path.startsWith('/') && path != "*") {
        const qsizetype scheme = path.indexOf("://");
        if (scheme <= 0 || !isToken(path.first(scheme)))
            return error(400, QStringLiteral("the request target is neither a path nor an absolute URI"));
        const qsizetype slash = path.indexOf('/', scheme + 3);
        path = slash < 0 ? QByteArrayView("/") : path.sliced(slash);
    }
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path = path.first(query);
    if (const qsizetype fragment = path.indexOf('#'); fragment >= 0)
        return error(400, QStringLiteral("the request target holds a fragment"));
    out.path = path.toByteArray();

    // field-line = field-name ":" OWS field-value OWS
    if (lines.size() - 1 > limits.maxHeaderFields)
        return error(431, QStringLiteral("the request has over %1 header fields").arg(limits.maxHeaderFields));
    out.fields.reserve(lines.size() - 1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.front() == ' ' || line.front() == '\t')
            return error(400, QStringLiteral("a header field is folded over lines (obsolete line folding)"));
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            return error(400, QStringLiteral("a header line has no colon"));
        const QByteArrayView name = line.first(colon);
        if (!isToken(name))
            return error(400,
                         QStringLiteral("a header field name is not a token (or has whitespace before its colon)"));
        const QByteArrayView value = trimmed(line.sliced(colon + 1));
        if (!isFieldValue(value))
            return error(400, QStringLiteral("a header field value holds a control character"));
        out.fields.append({name.toByteArray(), value.toByteArray()});
    }

    int hosts = 0;
    std::optional<qint64> contentLength;
    QByteArray transferEncoding;
    bool connectionClose = false, connectionKeepAlive = false;
    for (const auto &[name, value] : std::as_const(out.fields)) {
        if (equalsIgnoringCase(name, "Host")) {
            ++hosts;
        } else if (equalsIgnoringCase(name, "Content-Length")) {
            // 1*DIGIT; a list of identical values (a field repeated by an intermediary) is one value.
            for (qsizetype start = 0; start <= value.size();) {
                qsizetype comma = value.indexOf(',', start);
                if (comma < 0)
                    comma = value.size();
                const QByteArrayView digits = trimmed(QByteArrayView(value).sliced(start, comma - start));
                if (digits.isEmpty())
                    return error(400, QStringLiteral("Content-Length is empty"));
                qint64 length = 0;
                for (char c : digits) {
                    if (c < '0' || c > '9')
                        return error(400, QStringLiteral("Content-Length is not a number of bytes"));
                    if (length > (limits.maxBodyBytes * 10 + 9)) // certainly over the limit: stop before overflowing
                        break;
                    length = length * 10 + (c - '0');
                }
                if (contentLength && *contentLength != length)
                    return error(400, QStringLiteral("Content-Length is given twice with different values"));
                contentLength = length;
                start = comma + 1;
            }
        } else if (equalsIgnoringCase(name, "Transfer-Encoding")) {
            if (!transferEncoding.isEmpty())
                transferEncoding += ',';
            transferEncoding += value;
        } else if (equalsIgnoringCase(name, "Connection")) {
            connectionClose = connectionClose || listHolds(value, "close");
            connectionKeepAlive = connectionKeepAlive || listHolds(value, "keep-alive");
        } else if (equalsIgnoringCase(name, "Expect")) {
            out.expectContinue = equalsIgnoringCase(value, "100-continue");
        }
    }
    if (out.minorVersion == 1 && hosts != 1)
        return error(400, hosts == 0 ? QStringLiteral("an HTTP/1.1 request without Host")
                                     : QStringLiteral("a request with more than one Host"));
    if (!transferEncoding.isEmpty()) {
        if (contentLength)
            return error(400, QStringLiteral("both Content-Length and Transfer-Encoding: refused, as a request "
                                             "smuggling attempt would be"));
        if (out.minorVersion == 0)
            return error(400, QStringLiteral("Transfer-Encoding in an HTTP/1.0 request"));
        // RFC 9112 section 6.3: chunked must be the final coding, else the body's length is unknown (400);
        // any other coding before it is one this server does not implement (501).
        const qsizetype lastComma = transferEncoding.lastIndexOf(',');
        if (!equalsIgnoringCase(trimmed(QByteArrayView(transferEncoding).sliced(lastComma + 1)), "chunked"))
            return error(400, QStringLiteral("Transfer-Encoding does not end with chunked"));
        if (lastComma >= 0)
            return error(501, QStringLiteral("only the chunked transfer coding is served here, not: ") %
                                  QString::fromLatin1(transferEncoding));
        out.chunked = true;
    } else if (contentLength) {
        if (*contentLength > limits.maxBodyBytes)
            return error(
                413, *contentLength > limits.maxBodyBytes * 10
                         ? QStringLiteral("the declared body is over the limit of %1 bytes").arg(limits.maxBodyBytes)
                         : QStringLiteral("the declared body of %1 bytes is over the limit of %2")
                               .arg(*contentLength)
                               .arg(limits.maxBodyBytes));
        out.contentLength = *contentLength;
    }
    out.keepAlive = out.minorVersion == 1 ? !connectionClose : (connectionKeepAlive && !connectionClose);
    return out;
}

} // namespace peakwatch
