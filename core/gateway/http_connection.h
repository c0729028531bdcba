// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "chunked_body_decoder.h"
#include "http_request_head.h"

#include <QByteArray>
#include <QObject>

#include <chrono>
#include <initializer_list>
#include <optional>

class QSocketNotifier;

namespace peakwatch {

class HttpConnection;
class HttpServer;

// What an HttpServer asks of the application, on the server's thread.
class HttpHandler {
public:
    virtual ~HttpHandler() = default;
    // A valid head has arrived and its body has not been read. Answering now (HttpConnection::respond)
    // refuses the request without reading its body, and the connection closes after the answer.
    virtual void onHead(HttpConnection &connection, const HttpRequestHead &head) = 0;
    // The whole request has arrived: answer it now or later, once, with HttpConnection::respond.
    virtual void onRequest(HttpConnection &connection, const HttpRequestHead &head, const QByteArray &body) = 0;
    // The request cannot be served as sent (error.status 400, 408, 413, 414, 431, 501, 503 or 505):
    // answer it now. The connection closes after the answer.
    virtual void onRefused(HttpConnection &connection, const HttpError &error) = 0;
};

struct HttpServerOptions {
    HttpLimits limits;
    int maxConnections = 1024; // beyond: 503 and close
    // A kept-alive connection with no request on it is closed after this.
    std::chrono::milliseconds idleTimeout{15000};
    // A request must arrive whole within this from its first byte (else 408 and close), and an answer be
    // taken by the client within it (else the connection is closed).
    std::chrono::milliseconds requestTimeout{20000};
    // After a refusal, what the client still sends is read and dropped for at most this long, so that
    // closing does not reset the connection before the client has read the answer.
    std::chrono::milliseconds lingerTimeout{2000};
};

// One client's HTTP/1.1 connection, on a socket the server accepted: reads one request at a time within
// the limits, hands it to the handler, writes the answer, and closes when a request asks to, after a
// refusal, on a timeout, or once a client that half-closed (shut down its sending side) has its answer.
// Pipelined requests are read once the answer before them is written.
class HttpConnection final : public QObject {
    Q_OBJECT
public:
    struct Field {
        QByteArrayView name;
        QByteArrayView value;
    };

    HttpConnection(qintptr descriptor, HttpServer &server);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    // Writes an answer (with Content-Type and Content-Length; Connection: close when it is the last).
    // Returns false when it cannot be written: the client has reset the connection or is gone.
    bool respond(int status, QByteArrayView contentType, QByteArrayView body, std::initializer_list<Field> fields = {},
                 bool close = false);
    bool isOpen() const { return m_state != State::Closed; }
    bool awaitingAnswer() const { return m_state == State::Handling; }
    // The client shut down its sending side: it still gets its answer, then the connection closes.
    bool peerHalfClosed() const { return m_peerClosed; }

    // For the server.
    void checkDeadline(qint64 nowMs);
    void refuse(const HttpError &error);

private:
    enum class State { Reading, Handling, Closing, Lingering, Closed };
    enum class Phase { Head, Body, Chunked };

    void onReadable();
    void onWritable();
    void processInput();
    void scheduleProcessInput();
    void startRequest();
    bool write(QByteArrayView bytes);
    void startLinger();
    void closeNow();
    void setReading(bool enabled);
    void setWriting(bool enabled);
    qint64 nowMs() const;

    HttpServer &m_server;
    int m_fd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    State m_state = State::Reading;
    Phase m_phase = Phase::Head;
    QByteArray m_in;
    qsizetype m_inPos = 0;
    QByteArray m_out;
    HttpRequestHead m_head;
    QByteArray m_body;
    std::optional<ChunkedBodyDecoder> m_chunked;
    bool m_peerClosed = false;
    bool m_processing = false; // inside processInput
    bool m_processQueued = false;
    qint64 m_requestStartMs = -1; // first byte of the request being read; -1 while idle
    qint64 m_idleSinceMs = 0;
    qint64 m_writeDeadlineMs = 0; // while m_out holds bytes
    qint64 m_lingerDeadlineMs = 0;
};

} // namespace peakwatch
