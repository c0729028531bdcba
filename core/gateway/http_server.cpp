// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "http_server.h"

#include "logging.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace peakwatch {

HttpServer::HttpServer(HttpServerOptions options, HttpHandler &handler, QObject *parent)
    : QTcpServer(parent)
    , m_options(std::move(options))
    , m_handler(handler)
{
    m_clock.start();
    m_scratch.resize(64 * 1024);
    // Deadlines are checked a few times per shortest timeout: a connection is closed at most a quarter
    // of its timeout late.
    const auto shortest = std::min({m_options.idleTimeout, m_options.requestTimeout, m_options.lingerTimeout});
    m_sweep.setInterval(int(std::clamp<qint64>(shortest.count() / 4, 20, 1000)));
    connect(&m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
    m_sweep.start();
}

HttpServer::~HttpServer()
{
    // Every connection, the closed ones waiting for deleteLater too, before the set they leave is gone.
    qDeleteAll(findChildren<HttpConnection *>(QString(), Qt::FindDirectChildrenOnly));
}

void HttpServer::incomingConnection(qintptr descriptor)
{
    // Refused connections linger a moment to be answered; past twice the cap they are closed at once.
    if (m_connections.size() >= 2 * qsizetype(m_options.maxConnections)) {
        ::close(int(descriptor));
        return;
    }
    auto *connection = new HttpConnection(descriptor, *this);
    m_connections.insert(connection);
    if (m_connections.size() > m_options.maxConnections) {
        qCDebug(lcGateway) << "http: over" << m_options.maxConnections << "connections; refusing one";
        connection->refuse(HttpError{
            503, QStringLiteral("too many connections (over %1); try again shortly").arg(m_options.maxConnections)});
    }
}

void HttpServer::sweep()
{
    const qint64 now = nowMs();
    const QList<HttpConnection *> connections = m_connections.values();
    for (HttpConnection *connection : connections)
        if (m_connections.contains(connection))
            connection->checkDeadline(now);
}

} // namespace peakwatch
