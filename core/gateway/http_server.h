// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "http_connection.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTcpServer>
#include <QTimer>

namespace peakwatch {

// An HTTP/1.1 server on QTcpServer's listening socket, which defends itself: a request's head and body
// are held only within the limits (a declared body over the limit is refused before it is read), the
// connections are capped, and idle, slow and refused connections are closed within the timeouts. What
// is served is the handler's business. Lives in one thread, the one that creates it.
class HttpServer final : public QTcpServer {
public:
    HttpServer(HttpServerOptions options, HttpHandler &handler, QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    const HttpServerOptions &options() const { return m_options; }
    HttpHandler &handler() { return m_handler; }
    int connectionCount() const { return int(m_connections.size()); }
    qint64 nowMs() const { return m_clock.elapsed(); }

    // For HttpConnection.
    void forget(HttpConnection *connection) { m_connections.remove(connection); }
    QByteArray &scratch() { return m_scratch; } // what a connection reads into before it keeps it

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void sweep();

    HttpServerOptions m_options;
    HttpHandler &m_handler;
    QElapsedTimer m_clock;
    QTimer m_sweep;
    QSet<HttpConnection *> m_connections;
    QByteArray m_scratch;
};

} // namespace peakwatch
