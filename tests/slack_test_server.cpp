// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "slack_test_server.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace peakwatch::test {
namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 8 * 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 400: return QByteArrayLiteral("Bad Request");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 410: return QByteArrayLiteral("Gone");
    case 411: return QByteArrayLiteral("Length Required");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    default: return QByteArrayLiteral("Status");
    }
}

QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// Block Kit's rules for a text object: its type, 1 to `max` characters.
QString textProblem(const QJsonValue &value, const QString &where, int max, bool plainOnly = false)
{
    if (!value.isObject())
        return where % QStringLiteral(": not a text object");
    const QJsonObject text = value.toObject();
    const QString type = text.value(QLatin1StringView("type")).toString();
    if (type != QLatin1StringView("plain_text") && (plainOnly || type != QLatin1StringView("mrkdwn")))
        return where % QStringLiteral(": text type \"") % type % QStringLiteral("\" not allowed here");
    const QJsonValue content = text.value(QLatin1StringView("text"));
    if (!content.isString() || content.toString().isEmpty())
        return where % QStringLiteral(": empty text");
    if (content.toString().size() > max)
        return where % QStringLiteral(": text is ") % QString::number(content.toString().size()) %
               QStringLiteral(" characters, over ") % QString::number(max);
    return {};
}

QString blockProblem(const QJsonObject &block, const QString &where)
{
    static const QSet<QString> knownTypes{
        QStringLiteral("actions"), QStringLiteral("context"), QStringLiteral("divider"), QStringLiteral("file"),
        QStringLiteral("header"),  QStringLiteral("image"),   QStringLiteral("input"),   QStringLiteral("rich_text"),
        QStringLiteral("section"), QStringLiteral("video"),   QStringLiteral("markdown")};
    const QString type = block.value(QLatin1StringView("type")).toString();
    if (!knownTypes.contains(type))
        return where % QStringLiteral(": unknown block type \"") % type % u'"';
    if (block.value(QLatin1StringView("block_id")).toString().size() > 255)
        return where % QStringLiteral(": block_id over 255 characters");
    if (type == QLatin1StringView("header"))
        return textProblem(block.value(QLatin1StringView("text")), where % QStringLiteral(".text"), 150, true);
    if (type == QLatin1StringView("section")) {
        const QJsonValue text = block.value(QLatin1StringView("text"));
        const QJsonValue fields = block.value(QLatin1StringView("fields"));
        if (text.isUndefined() && fields.isUndefined())
            return where % QStringLiteral(": a section needs text or fields");
        if (!text.isUndefined())
            if (QString problem = textProblem(text, where % QStringLiteral(".text"), 3000); !problem.isEmpty())
                return problem;
        if (!fields.isUndefined()) {
            const QJsonArray list = fields.toArray();
            if (!fields.isArray() || list.isEmpty() || list.size() > 10)
                return where % QStringLiteral(".fields: 1 to 10 text objects expected");
            for (qsizetype i = 0; i < list.size(); ++i)
                if (QString problem = textProblem(list[i], where % QStringLiteral(".fields[%1]").arg(i), 2000);
                    !problem.isEmpty())
                    return problem;
        }
        return {};
    }
    if (type == QLatin1StringView("context")) {
        const QJsonArray elements = block.value(QLatin1StringView("elements")).toArray();
        if (elements.isEmpty() || elements.size() > 10)
            return where % QStringLiteral(".elements: 1 to 10 elements expected");
        for (qsizetype i = 0; i < elements.size(); ++i) {
            const QString elementWhere = where % QStringLiteral(".elements[%1]").arg(i);
            if (elements[i].toObject().value(QLatin1StringView("type")).toString() == QLatin1StringView("image"))
                continue;
            if (QString problem = textProblem(elements[i], elementWhere, 3000); !problem.isEmpty())
                return problem;
        }
    }
    return {};
}

} // namespace

QByteArray SlackRequest::header(QByteArrayView name) const
{
    return headerValue(headers, name);
}

QJsonObject SlackRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

SlackTestServer::SlackTestServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &SlackTestServer::onNewConnection);
}

SlackTestServer::~SlackTestServer()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool SlackTestServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QString SlackTestServer::errorString() const
{
    return m_server->errorString();
}

quint16 SlackTestServer::port() const
{
    return m_server->serverPort();
}

QByteArray SlackTestServer::webhookPath()
{
    return QByteArrayLiteral("/services/T0TEST/B0TEST/") + QByteArray(kToken);
}

QUrl SlackTestServer::apiUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:") % QString::number(port()) % QStringLiteral("/api/"));
}

SlackAnswer SlackTestServer::apiAnswer(SlackRequest &request)
{
    const QByteArray authorization = request.header("Authorization");
    if (authorization.isEmpty())
        return SlackAnswer::apiError("not_authed");
    if (authorization != QByteArrayLiteral("Bearer ") + QByteArray(kBotToken))
        return SlackAnswer::apiError("invalid_auth");
    const QJsonObject message = request.json();
    const QString channel = message.value(QLatin1StringView("channel")).toString();
    if (channel != QLatin1StringView(kBotChannel) && channel != QLatin1StringView("#alerts"))
        return SlackAnswer::apiError(channel == QLatin1StringView(kOtherChannel) ||
                                             channel == QLatin1StringView("#general")
                                         ? "not_in_channel"
                                         : "channel_not_found");
    if (m_checkPayloads)
        if (const QString problem = payloadProblem(request.body); !problem.isEmpty())
            return SlackAnswer::apiError(problem.section(u':', 0, 0).toLatin1());
    SlackAnswer answer = m_defaultAnswer;
    if (!m_script.empty()) {
        answer = m_script.front();
        m_script.pop_front();
    }
    if (answer.status != 200 || answer.body != "ok")
        return answer;
    // Posted: Slack's ts is the time in seconds with a sequence after the point, unique in the channel.
    request.postedTs =
        QByteArray::number(request.receivedAtMs / 1000) + '.' + QByteArray::number(++m_posted).rightJustified(6, '0');
    QJsonObject posted{{QStringLiteral("type"), QStringLiteral("message")},
                       {QStringLiteral("text"), message.value(QLatin1StringView("text"))},
                       {QStringLiteral("ts"), QString::fromLatin1(request.postedTs)}};
    if (message.contains(QLatin1StringView("thread_ts")))
        posted.insert(QStringLiteral("thread_ts"), message.value(QLatin1StringView("thread_ts")));
    answer.body = QJsonDocument(QJsonObject{{QStringLiteral("ok"), true},
                                            {QStringLiteral("channel"), QString::fromLatin1(kBotChannel)},
                                            {QStringLiteral("ts"), QString::fromLatin1(request.postedTs)},
                                            {QStringLiteral("message"), posted}})
                      .toJson(QJsonDocument::Compact);
    return answer;
}

QUrl SlackTestServer::webhookUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:") % QString::number(port()) % QString::fromLatin1(webhookPath()));
}

void SlackTestServer::enqueue(const SlackAnswer &answer)
{
    m_script.push_back(answer);
}

qsizetype SlackTestServer::answeredCount() const
{
    return std::count_if(m_requests.begin(), m_requests.end(), [](const SlackRequest &r) { return r.answered; });
}

bool SlackTestServer::waitForRequests(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return qsizetype(m_requests.size()) >= count; }, timeoutMs);
}

void SlackTestServer::closeConnections()
{
    std::vector<QTcpSocket *> sockets;
    for (auto &[socket, connection] : m_connections) {
        sockets.push_back(socket);
        if (connection.pending >= 0) {
            m_requests[size_t(connection.pending)].dropped = true;
            Q_EMIT requestSettled(std::exchange(connection.pending, -1));
        }
    }
    for (QTcpSocket *socket : sockets)
        socket->abort(); // disconnected() forgets the connection
}

void SlackTestServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        Connection &connection = m_connections[socket];
        connection.id = ++m_connectionsAccepted;
        connection.delay = new QTimer(socket);
        connection.delay->setSingleShot(true);
        connect(connection.delay, &QTimer::timeout, this, [this, socket] { answer(socket); });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void SlackTestServer::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->second.buffer += socket->readAll();
    processBuffer(socket);
}

void SlackTestServer::onDisconnected(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    const qsizetype pending = it->second.pending;
    it->second.delay->stop();
    m_connections.erase(it);
    socket->deleteLater();
    if (pending >= 0) {
        m_requests[size_t(pending)].clientGone = true;
        Q_EMIT requestSettled(pending);
    }
}

// Takes the next complete request off the connection's buffer, records it and schedules its answer. One request
// at a time per connection: the next is read once this one is answered, as HTTP/1.1 answers in order.
void SlackTestServer::processBuffer(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &connection = it->second;
    if (connection.pending >= 0)
        return;
    const qsizetype headerEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (connection.buffer.size() > kMaxHeaderBytes)
            writeResponse(socket, 431, {}, {}, true);
        return;
    }
    const QList<QByteArray> lines = connection.buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    HttpHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        writeResponse(socket, 400, QByteArrayLiteral("invalid_request"), {}, true);
        return;
    }
    if (!headerValue(headers, "Transfer-Encoding").isEmpty()) { // not needed by Slack's clients
        writeResponse(socket, 411, {}, {}, true);
        return;
    }
    bool lengthOk = true;
    const QByteArray lengthHeader = headerValue(headers, "Content-Length");
    const qint64 length = lengthHeader.isEmpty() ? 0 : lengthHeader.toLongLong(&lengthOk);
    if (!lengthOk || length < 0 || length > kMaxBodyBytes) {
        writeResponse(socket, 413, {}, {}, true);
        return;
    }
    if (connection.buffer.size() < headerEnd + 4 + length)
        return; // the body is still coming

    SlackRequest request;
    request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    request.connection = connection.id;
    request.method = requestLine[0];
    request.path = requestLine[1];
    request.headers = headers;
    request.body = connection.buffer.mid(headerEnd + 4, length);
    connection.buffer.remove(0, headerEnd + 4 + length);
    connection.closeAfterAnswer =
        headerValue(headers, "Connection").compare("close", Qt::CaseInsensitive) == 0 || requestLine[2] == "HTTP/1.0";

    const QByteArray path = request.path.split('?').first();
    QString problem;
    const bool api = path == "/api/chat.postMessage";
    if (api && request.method != "POST")
        connection.answer = SlackAnswer::apiError("invalid_method");
    else if (api)
        connection.answer = apiAnswer(request);
    else if (path != webhookPath())
        connection.answer = SlackAnswer::error(404, QByteArrayLiteral("no_service"));
    else if (request.method != "POST")
        connection.answer = SlackAnswer::error(405, QByteArrayLiteral("invalid_method"));
    else if (m_checkPayloads && !(problem = payloadProblem(request.body)).isEmpty())
        connection.answer = SlackAnswer::error(400, problem.section(u':', 0, 0).toLatin1());
    else if (!m_script.empty()) {
        connection.answer = m_script.front();
        m_script.pop_front();
    } else {
        connection.answer = m_defaultAnswer;
    }

    m_requests.push_back(std::move(request));
    connection.pending = qsizetype(m_requests.size()) - 1;
    const int delayMs = connection.answer.delayMs;
    Q_EMIT requestReceived(connection.pending);
    if (delayMs == SlackAnswer::kNever)
        return;
    if (delayMs > 0)
        connection.delay->start(delayMs);
    else
        answer(socket);
}

void SlackTestServer::answer(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->second.pending < 0)
        return;
    Connection &connection = it->second;
    const qsizetype index = connection.pending;
    SlackRequest &request = m_requests[size_t(index)];
    connection.pending = -1;
    if (connection.answer.drop) {
        request.dropped = true;
        Q_EMIT requestSettled(index);
        socket->abort(); // disconnected() forgets the connection
        return;
    }
    request.answered = true;
    request.status = connection.answer.status;
    request.answeredAtMs = QDateTime::currentMSecsSinceEpoch();
    const bool close = connection.closeAfterAnswer;
    const bool api = request.path.startsWith("/api/");
    writeResponse(socket, connection.answer.status, connection.answer.body, connection.answer.headers, close,
                  api ? QByteArrayLiteral("application/json; charset=utf-8") : QByteArrayLiteral("text/html"));
    Q_EMIT requestSettled(index);
    if (!close)
        processBuffer(socket); // a request that came in meanwhile
}

void SlackTestServer::writeResponse(QTcpSocket *socket, int status, const QByteArray &body, const HttpHeaders &headers,
                                    bool close, const QByteArray &contentType)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += close ? QByteArrayLiteral("Connection: close\r\n") : QByteArrayLiteral("Connection: keep-alive\r\n");
    for (const auto &[name, value] : headers)
        response += name + ": " + value + "\r\n";
    response += "\r\n" + body;
    socket->write(response);
    if (close)
        socket->disconnectFromHost(); // after the answer is written; disconnected() forgets the connection
}

QString SlackTestServer::payloadProblem(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("invalid_payload: not a JSON object (") % error.errorString() % u')';
    const QJsonObject message = document.object();
    const QJsonValue text = message.value(QLatin1StringView("text"));
    const QJsonValue blocks = message.value(QLatin1StringView("blocks"));
    if (!text.isUndefined() && !text.isString())
        return QStringLiteral("invalid_payload: text is not a string");
    if (!blocks.isUndefined() && !blocks.isArray())
        return QStringLiteral("invalid_blocks_format: blocks is not an array");
    if (text.toString().isEmpty() && blocks.toArray().isEmpty())
        return QStringLiteral("no_text: neither text nor blocks");
    const QJsonArray list = blocks.toArray();
    if (list.size() > 50)
        return QStringLiteral("invalid_blocks: ") % QString::number(list.size()) % QStringLiteral(" blocks, over 50");
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("blocks[%1]").arg(i);
        if (!list[i].isObject())
            return QStringLiteral("invalid_blocks: ") % where % QStringLiteral(": not an object");
        if (QString problem = blockProblem(list[i].toObject(), where); !problem.isEmpty())
            return QStringLiteral("invalid_blocks: ") % problem;
    }
    return {};
}

} // namespace peakwatch::test
