// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "http_connection.h"

#include "http_server.h"
#include "logging.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace peakwatch {
namespace {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

} // namespace

HttpConnection::HttpConnection(qintptr descriptor, HttpServer &server)
    : QObject(&server)
    , m_server(server)
    , m_fd(int(descriptor))
{
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_readNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &HttpConnection::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &HttpConnection::onWritable);
    m_idleSinceMs = nowMs();
}

HttpConnection::~HttpConnection()
{
    if (m_fd >= 0) {
        delete m_readNotifier;
        delete m_writeNotifier;
        ::close(m_fd);
    }
    m_server.forget(this);
}

qint64 HttpConnection::nowMs() const
{
    return m_server.nowMs();
}

void HttpConnection::setReading(bool enabled)
{
    if (m_readNotifier && m_readNotifier->isEnabled() != enabled)
        m_readNotifier->setEnabled(enabled);
}

void HttpConnection::setWriting(bool enabled)
{
    if (m_writeNotifier && m_writeNotifier->isEnabled() != enabled)
        m_writeNotifier->setEnabled(enabled);
}

void HttpConnection::onReadable()
{
    const HttpLimits &limits = m_server.options().limits;
    QByteArray &scratch = m_server.scratch();
    qsizetype want = scratch.size();
    if (m_state == State::Reading || m_state == State::Handling) {
        // Hold at most one head ahead of what is being served (pipelined requests); the body of the
        // request being read is bounded by its decoder and the limit.
        const qsizetype buffered = m_in.size() - m_inPos;
        if (m_state == State::Handling || m_phase == Phase::Head) {
            const qsizetype room = limits.maxHeadBytes + 1 - buffered;
            if (room <= 0) {
                setReading(false); // resumed once the request before is answered
                if (m_state == State::Reading)
                    processInput();
                return;
            }
            want = std::min(want, room);
        } else if (m_phase == Phase::Body) {
            want = std::min<qint64>(want, std::max<qint64>(1, m_head.contentLength - m_body.size() - buffered));
        }
    } else if (m_state != State::Lingering) {
        setReading(false);
        return;
    }
    const ssize_t n = ::recv(m_fd, scratch.data(), size_t(want), 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        qCDebug(lcGateway) << "http: a client's connection failed:" << qt_error_string(errno);
        closeNow(); // reset by the client: nothing can be written to it any more
        return;
    }
    if (n == 0) {
        m_peerClosed = true;
        setReading(false);
        switch (m_state) {
        case State::Reading:
            if (m_requestStartMs >= 0)
                refuse(HttpError{400, QStringLiteral("the client stopped sending before the request was whole")});
            else
                closeNow();
            return;
        case State::Handling: return; // answered once the handler answers, then closed
        case State::Closing: return;  // closed once the answer is written
        case State::Lingering:
        case State::Closed: closeNow(); return;
        }
        return;
    }
    if (m_state == State::Lingering)
        return; // dropped
    if (m_requestStartMs < 0 && m_state == State::Reading)
        m_requestStartMs = nowMs();
    m_in.append(scratch.constData(), n);
    if (m_state == State::Reading)
        processInput();
}

void HttpConnection::onWritable()
{
    if (m_out.isEmpty()) {
        setWriting(false);
        return;
    }
    const ssize_t n = ::send(m_fd, m_out.constData(), size_t(m_out.size()), MSG_NOSIGNAL);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        closeNow();
        return;
    }
    m_out.remove(0, n);
    m_writeDeadlineMs = nowMs() + m_server.options().requestTimeout.count();
    if (!m_out.isEmpty())
        return;
    setWriting(false);
    if (m_state == State::Closing)
        startLinger();
}

bool HttpConnection::write(QByteArrayView bytes)
{
    qsizetype sent = 0;
    if (m_out.isEmpty()) {
        const ssize_t n = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            qCDebug(lcGateway) << "http: cannot answer a client:" << qt_error_string(errno);
            return false;
        }
        sent = std::max<qsizetype>(n, 0);
    }
    if (sent < bytes.size()) {
        if (m_out.isEmpty())
            m_writeDeadlineMs = nowMs() + m_server.options().requestTimeout.count();
        m_out.append(bytes.sliced(sent));
        setWriting(true);
    }
    return true;
}

bool HttpConnection::respond(int status, QByteArrayView contentType, QByteArrayView body,
                             std::initializer_list<Field> fields, bool close)
{
    if (m_state == State::Closed || m_state == State::Closing || m_state == State::Lingering)
        return false;
    // An answer before the request was whole (a refusal) is the connection's last: the rest of the
    // request cannot be told from a next one.
    const bool last = close || m_state != State::Handling || !m_head.keepAlive || m_peerClosed;
    QByteArray out;
    out.reserve(160 + body.size());
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nContent-Type: ";
    out += contentType;
    out += "\r\nContent-Length: ";
    out += QByteArray::number(body.size());
    for (const Field &field : fields) {
        out += "\r\n";
        out += field.name;
        out += ": ";
        out += field.value;
    }
    if (last)
        out += "\r\nConnection: close";
    else if (m_head.minorVersion == 0)
        out += "\r\nConnection: keep-alive"; // HTTP/1.0 keeps a connection only when told (RFC 9112 9.3)
    out += "\r\n\r\n";
    out += body;
    if (!write(out)) {
        closeNow();
        return false;
    }
    if (last) {
        m_state = State::Closing;
        setReading(false);
        if (m_out.isEmpty())
            startLinger();
        return true;
    }
    startRequest();
    if (!m_processing && m_in.size() > m_inPos)
        scheduleProcessInput(); // a pipelined request, taken from the event loop
    return true;
}

void HttpConnection::startRequest()
{
    m_state = State::Reading;
    m_phase = Phase::Head;
    m_head = {};
    m_body.clear();
    m_chunked.reset();
    m_requestStartMs = m_in.size() > m_inPos ? nowMs() : -1;
    m_idleSinceMs = nowMs();
    if (!m_peerClosed)
        setReading(true);
}

void HttpConnection::scheduleProcessInput()
{
    if (m_processQueued)
        return;
    m_processQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_processQueued = false;
        if (m_state == State::Reading)
            processInput();
    });
}

void HttpConnection::processInput()
{
    const HttpLimits &limits = m_server.options().limits;
    m_processing = true;
    while (m_state == State::Reading) {
        const QByteArrayView input = QByteArrayView(m_in).sliced(m_inPos);
        if (m_phase == Phase::Head) {
            const auto found = findHttpHeadEnd(input, limits);
            if (const auto *error = std::get_if<HttpError>(&found)) {
                refuse(*error);
                break;
            }
            const std::optional<qsizetype> end = std::get<std::optional<qsizetype>>(found);
            if (!end) {
                if (m_peerClosed && m_requestStartMs >= 0)
                    refuse(HttpError{400, QStringLiteral("the client stopped sending before the request was whole")});
                break;
            }
            auto parsed = parseHttpRequestHead(input.first(*end), limits);
            m_inPos += *end;
            if (auto *error = std::get_if<HttpError>(&parsed)) {
                refuse(*error);
                break;
            }
            m_head = std::move(std::get<HttpRequestHead>(parsed));
            m_server.handler().onHead(*this, m_head);
            if (m_state != State::Reading)
                break; // refused by the handler
            if (m_head.chunked) {
                m_phase = Phase::Chunked;
                m_chunked.emplace(limits);
            } else {
                m_phase = Phase::Body;
                m_body.reserve(qsizetype(std::min<qint64>(m_head.contentLength, 64 * 1024)));
            }
            if (m_head.expectContinue && (m_head.chunked || m_head.contentLength > 0) && m_inPos == m_in.size() &&
                !write("HTTP/1.1 100 Continue\r\n\r\n")) {
                closeNow();
                break;
            }
            continue;
        }
        if (m_phase == Phase::Body) {
            const qint64 take = std::min<qint64>(m_head.contentLength - m_body.size(), input.size());
            m_body.append(input.first(take));
            m_inPos += take;
            if (m_body.size() < m_head.contentLength)
                break;
        } else {
            qsizetype consumed = 0;
            const auto state = m_chunked->feed(input, consumed, m_body);
            m_inPos += consumed;
            if (state == ChunkedBodyDecoder::State::Failed) {
                refuse(m_chunked->error());
                break;
            }
            if (state == ChunkedBodyDecoder::State::NeedMore)
                break;
        }
        // Whole: the handler has it until it answers.
        m_state = State::Handling;
        m_requestStartMs = -1;
        m_server.handler().onRequest(*this, m_head, m_body);
    }
    m_processing = false;
    if (m_inPos > 0 && m_state != State::Closed) {
        m_in.remove(0, m_inPos);
        m_inPos = 0;
    }
    if (m_state == State::Reading && m_peerClosed && m_in.isEmpty() && m_requestStartMs < 0)
        closeNow(); // answered everything the client sent before it half-closed
}

void HttpConnection::refuse(const HttpError &error)
{
    if (m_state == State::Closed || m_state == State::Closing || m_state == State::Lingering)
        return;
    qCDebug(lcGateway).noquote() << "http: refusing a request:" << error.status << error.reason;
    m_state = State::Reading; // an answer before the request is whole: the connection's last
    m_server.handler().onRefused(*this, error);
    if (m_state == State::Reading) // the handler did not answer: the connection closes all the same
        closeNow();
}

void HttpConnection::startLinger()
{
    if (m_peerClosed) {
        closeNow();
        return;
    }
    ::shutdown(m_fd, SHUT_WR);
    m_state = State::Lingering;
    m_in.clear();
    m_inPos = 0;
    m_lingerDeadlineMs = nowMs() + m_server.options().lingerTimeout.count();
    setReading(true);
}

void HttpConnection::checkDeadline(qint64 now)
{
    const HttpServerOptions &options = m_server.options();
    if (!m_out.isEmpty() && now >= m_writeDeadlineMs) {
        qCDebug(lcGateway) << "http: a client does not take its answer; closing";
        closeNow();
        return;
    }
    switch (m_state) {
    case State::Reading:
        if (m_requestStartMs >= 0 && now - m_requestStartMs >= options.requestTimeout.count())
            refuse(HttpError{408, QStringLiteral("the request did not arrive whole within %1 s")
                                      .arg(double(options.requestTimeout.count()) / 1000)});
        else if (m_requestStartMs < 0 && now - m_idleSinceMs >= options.idleTimeout.count())
            closeNow();
        return;
    case State::Lingering:
        if (now >= m_lingerDeadlineMs)
            closeNow();
        return;
    case State::Handling:
    case State::Closing:
    case State::Closed: return;
    }
}

void HttpConnection::closeNow()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    delete m_readNotifier;
    delete m_writeNotifier;
    m_readNotifier = m_writeNotifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
    m_out.clear();
    m_server.forget(this);
    deleteLater();
}

} // namespace peakwatch
