// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "jira_test_server.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QStringBuilder>
#include <QUrlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

namespace peakwatch::test {
namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 8 * 1024 * 1024;

const QStringList kStatuses{QStringLiteral("To Do"), QStringLiteral("In Progress"), QStringLiteral("Done")};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 204: return QByteArrayLiteral("No Content");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 503: return QByteArrayLiteral("Service Unavailable");
    default: return QByteArrayLiteral("Status");
    }
}

QByteArray headerValue(const JiraHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Jira's error shape: {"errorMessages": [...], "errors": {"field": "message"}}.
QByteArray errorBody(const QStringList &messages, const QJsonObject &errors = {})
{
    return json(
        {{QStringLiteral("errorMessages"), QJsonArray::fromStringList(messages)}, {QStringLiteral("errors"), errors}});
}

// The id of the transition to a status: 11, 21, 31.
QString transitionId(qsizetype status)
{
    return QString::number(11 + 10 * status);
}

} // namespace

QByteArray JiraRequest::header(QByteArrayView name) const
{
    return headerValue(headers, name);
}

QJsonObject JiraRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

JiraTestServer::JiraTestServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &JiraTestServer::onNewConnection);
}

JiraTestServer::~JiraTestServer()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool JiraTestServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QString JiraTestServer::errorString() const
{
    return m_server->errorString();
}

quint16 JiraTestServer::port() const
{
    return m_server->serverPort();
}

QUrl JiraTestServer::siteUrl() const
{
    return siteUrl(QString::fromLatin1(kUser), QString::fromLatin1(kToken));
}

QUrl JiraTestServer::siteUrl(const QString &user, const QString &token) const
{
    QUrl url(base());
    url.setUserName(user);
    url.setPassword(token);
    return url;
}

QString JiraTestServer::base() const
{
    return QStringLiteral("http://127.0.0.1:") % QString::number(port());
}

void JiraTestServer::deleteIssue(const QString &key)
{
    if (auto it = m_issues.find(key); it != m_issues.end())
        it->second.deleted = true;
}

std::vector<JiraIssue> JiraTestServer::issues() const
{
    std::vector<JiraIssue> out;
    for (const QString &key : m_order)
        out.push_back(m_issues.at(key));
    return out;
}

std::optional<JiraIssue> JiraTestServer::issue(const QString &key) const
{
    const auto it = m_issues.find(key);
    if (it == m_issues.end())
        return std::nullopt;
    return it->second;
}

bool JiraTestServer::waitForRequests(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return qsizetype(m_requests.size()) >= count; }, timeoutMs);
}

void JiraTestServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_connectionsAccepted;
        Connection &connection = m_connections[socket];
        connection.delay = new QTimer(socket);
        connection.delay->setSingleShot(true);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_connections.erase(socket);
            socket->deleteLater();
        });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void JiraTestServer::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->second.buffer += socket->readAll();
    processBuffer(socket);
}

// Takes the next complete request off the connection's buffer, records it and answers it. One request at a time per
// connection, in order, as HTTP/1.1 answers.
void JiraTestServer::processBuffer(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->second.busy)
        return;
    Connection &connection = it->second;
    const qsizetype headerEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (connection.buffer.size() > kMaxHeaderBytes)
            socket->abort();
        return;
    }
    const QList<QByteArray> lines = connection.buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    JiraHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    bool lengthOk = true;
    const QByteArray lengthHeader = headerValue(headers, "Content-Length");
    const qint64 length = lengthHeader.isEmpty() ? 0 : lengthHeader.toLongLong(&lengthOk);
    if (requestLine.size() != 3 || !lengthOk || length < 0 || length > kMaxBodyBytes) {
        socket->abort();
        return;
    }
    if (connection.buffer.size() < headerEnd + 4 + length)
        return; // the body is still coming

    JiraRequest request;
    request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    request.method = requestLine[0];
    request.path = requestLine[1];
    request.headers = headers;
    request.body = connection.buffer.mid(headerEnd + 4, length);
    connection.buffer.remove(0, headerEnd + 4 + length);
    const bool close =
        headerValue(headers, "Connection").compare("close", Qt::CaseInsensitive) == 0 || requestLine[2] == "HTTP/1.0";

    Answer answer;
    int delayMs = 0;
    if (!m_script.empty()) {
        const JiraAnswer scripted = m_script.front();
        m_script.pop_front();
        answer = {scripted.status, scripted.body, scripted.headers};
        delayMs = scripted.delayMs;
    } else {
        answer = route(request);
    }
    m_requests.push_back(std::move(request));
    const qsizetype index = qsizetype(m_requests.size()) - 1;
    Q_EMIT requestReceived(index);
    if (delayMs == JiraAnswer::kNever) {
        connection.busy = true;
        return;
    }
    if (delayMs > 0) {
        connection.busy = true;
        connection.delay->disconnect(this);
        connect(connection.delay, &QTimer::timeout, this, [this, socket, index, answer, close] {
            if (auto found = m_connections.find(socket); found != m_connections.end())
                found->second.busy = false;
            write(socket, index, answer, close);
        });
        connection.delay->start(delayMs);
        return;
    }
    write(socket, index, answer, close);
}

void JiraTestServer::write(QTcpSocket *socket, qsizetype index, const Answer &answer, bool close)
{
    m_requests[size_t(index)].status = answer.status;
    QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + ' ' + reasonPhrase(answer.status) + "\r\n";
    if (!answer.body.isEmpty())
        response += "Content-Type: application/json;charset=UTF-8\r\n";
    response += "Content-Length: " + QByteArray::number(answer.body.size()) + "\r\n";
    response += close ? QByteArrayLiteral("Connection: close\r\n") : QByteArrayLiteral("Connection: keep-alive\r\n");
    for (const auto &[name, value] : answer.headers)
        response += name + ": " + value + "\r\n";
    response += "\r\n" + answer.body;
    socket->write(response);
    if (close)
        socket->disconnectFromHost();
    else
        processBuffer(socket); // a request that came in meanwhile
}

JiraTestServer::Answer JiraTestServer::route(const JiraRequest &request)
{
    // Jira Cloud's answer to a missing or wrong Basic auth on the REST API.
    const QByteArray expected = "Basic " + QByteArray(QByteArray(kUser) + ':' + QByteArray(kToken)).toBase64();
    if (request.header("Authorization") != expected)
        return {401,
                errorBody({QStringLiteral("You are not authenticated. Authentication required to perform this "
                                          "operation.")}),
                {{QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("OAuth realm=\"https%3A%2F%2Fjira\"")}}};

    static const QRegularExpression issuePath(
        QStringLiteral("^/rest/api/2/issue/([A-Za-z0-9_-]+)/(comment|transitions)$"));
    const QString path = QString::fromUtf8(request.path.split('?').first());
    if (path == QLatin1StringView("/rest/api/2/issue")) {
        if (request.method != "POST")
            return {405, {}, {}};
        return createIssue(request);
    }
    if (path == QLatin1StringView("/rest/api/2/search")) {
        if (request.method != "GET")
            return {405, {}, {}};
        return search(request);
    }
    const auto match = issuePath.match(path);
    if (!match.hasMatch())
        return {404, errorBody({QString(QStringLiteral("No resource found at ") % path)}), {}};
    auto it = m_issues.find(match.captured(1).toUpper());
    if (it == m_issues.end() || it->second.deleted)
        return {404, errorBody({QStringLiteral("Issue does not exist or you do not have permission to see it.")}), {}};
    JiraIssue &issue = it->second;
    if (match.captured(2) == QLatin1StringView("comment")) {
        if (request.method != "POST")
            return {405, {}, {}};
        return addComment(issue, request);
    }
    if (request.method == "GET")
        return transitions(issue);
    if (request.method == "POST")
        return transition(issue, request);
    return {405, {}, {}};
}

JiraTestServer::Answer JiraTestServer::search(const JiraRequest &request) const
{
    // The JQL the sink asks: project = "KEY" AND labels = "LABEL". Anything else is a 400, as Jira answers a JQL
    // it cannot parse.
    const QUrlQuery query(QString::fromUtf8(request.path.mid(request.path.indexOf('?') + 1)));
    const QString jql = query.queryItemValue(QStringLiteral("jql"), QUrl::FullyDecoded);
    static const QRegularExpression shape(QStringLiteral(R"re(^project = "([^"]+)" AND labels = "([^"]+)"$)re"));
    const auto match = shape.match(jql);
    if (!match.hasMatch())
        return {400, errorBody({QStringLiteral("Error in the JQL Query: ") % jql}), {}};
    QJsonArray found;
    for (const auto &[key, issue] : m_issues)
        if (!issue.deleted && issue.project == match.captured(1) && issue.labels.contains(match.captured(2)))
            found.append(QJsonObject{{QStringLiteral("id"), issue.id}, {QStringLiteral("key"), issue.key}});
    const QJsonObject answer{{QStringLiteral("startAt"), 0},
                             {QStringLiteral("maxResults"), 1},
                             {QStringLiteral("total"), found.size()},
                             {QStringLiteral("issues"), found.isEmpty() ? QJsonArray() : QJsonArray{found.first()}}};
    return {200, QJsonDocument(answer).toJson(QJsonDocument::Compact), {}};
}

JiraTestServer::Answer JiraTestServer::createIssue(const JiraRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return {400, errorBody({QStringLiteral("Unexpected character: the request body is not JSON.")}), {}};
    const QJsonObject fields = document.object().value(QLatin1StringView("fields")).toObject();
    QJsonObject errors;
    const QJsonObject project = fields.value(QLatin1StringView("project")).toObject();
    const QString projectKey = project.value(QLatin1StringView("key")).toString();
    if (projectKey.isEmpty())
        errors.insert(QStringLiteral("project"), QStringLiteral("project is required"));
    else if (!m_projects.contains(projectKey))
        errors.insert(QStringLiteral("project"), QStringLiteral("valid project is required"));
    const QString issueType =
        fields.value(QLatin1StringView("issuetype")).toObject().value(QLatin1StringView("name")).toString();
    static const QStringList issueTypes{QStringLiteral("Task"), QStringLiteral("Bug"), QStringLiteral("Story"),
                                        QStringLiteral("Epic")};
    if (issueType.isEmpty())
        errors.insert(QStringLiteral("issuetype"), QStringLiteral("Specify an issue type"));
    else if (!issueTypes.contains(issueType))
        errors.insert(QStringLiteral("issuetype"), QStringLiteral("Specify a valid issue type"));
    const QString summary = fields.value(QLatin1StringView("summary")).toString();
    if (summary.trimmed().isEmpty())
        errors.insert(QStringLiteral("summary"), QStringLiteral("You must specify a summary of the issue."));
    else if (summary.size() > 255)
        errors.insert(QStringLiteral("summary"), QStringLiteral("Summary must be less than 255 characters."));
    else if (summary.contains(u'\n'))
        errors.insert(QStringLiteral("summary"), QStringLiteral("The summary is invalid because it contains newline "
                                                                "characters."));
    QStringList labels;
    for (const QJsonValue &label : fields.value(QLatin1StringView("labels")).toArray()) {
        if (label.toString().contains(u' '))
            errors.insert(QStringLiteral("labels"), QString(QStringLiteral("The label '") % label.toString() %
                                                            QStringLiteral("' contains spaces which is invalid.")));
        labels << label.toString();
    }
    if (fields.value(QLatin1StringView("description")).toString().size() > 32767)
        errors.insert(QStringLiteral("description"), QStringLiteral("The entered text is too long."));
    if (!errors.isEmpty())
        return {400, errorBody({}, errors), {}};

    JiraIssue issue;
    issue.id = QString::number(++m_nextId);
    issue.key = projectKey % u'-' % QString::number(++m_nextNumber[projectKey]);
    issue.project = projectKey;
    issue.issueType = issueType;
    issue.summary = summary;
    issue.description = fields.value(QLatin1StringView("description")).toString();
    issue.labels = labels;
    const QString key = issue.key;
    const QString id = issue.id;
    m_issues.emplace(key, std::move(issue));
    m_order.push_back(key);
    return {201,
            json({{QStringLiteral("id"), id},
                  {QStringLiteral("key"), key},
                  {QStringLiteral("self"), QString(base() % QStringLiteral("/rest/api/2/issue/") % id)}}),
            {}};
}

JiraTestServer::Answer JiraTestServer::addComment(JiraIssue &issue, const JiraRequest &request)
{
    const QString body = request.json().value(QLatin1StringView("body")).toString();
    if (body.trimmed().isEmpty())
        return {
            400, errorBody({}, {{QStringLiteral("comment"), QStringLiteral("Comment body can not be empty!")}}), {}};
    if (body.size() > 32767)
        return {400, errorBody({}, {{QStringLiteral("comment"), QStringLiteral("The entered text is too long.")}}), {}};
    issue.comments << body;
    const QString id = QString::number(++m_nextCommentId);
    return {201,
            json({{QStringLiteral("id"), id},
                  {QStringLiteral("self"), QString(base() % QStringLiteral("/rest/api/2/issue/") % issue.id %
                                                   QStringLiteral("/comment/") % id)},
                  {QStringLiteral("body"), body},
                  {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}}),
            {}};
}

JiraTestServer::Answer JiraTestServer::transitions(const JiraIssue &issue) const
{
    QJsonArray list;
    for (qsizetype i = 0; i < kStatuses.size(); ++i) {
        if (kStatuses[i] == issue.status)
            continue;
        const QJsonObject to{{QStringLiteral("id"), QString::number(10000 + i)},
                             {QStringLiteral("name"), kStatuses[i]}};
        list.append(QJsonObject{{QStringLiteral("id"), transitionId(i)},
                                {QStringLiteral("name"), kStatuses[i]},
                                {QStringLiteral("to"), to},
                                {QStringLiteral("hasScreen"), false},
                                {QStringLiteral("isAvailable"), true}});
    }
    return {200,
            json({{QStringLiteral("expand"), QStringLiteral("transitions")}, {QStringLiteral("transitions"), list}}),
            {}};
}

JiraTestServer::Answer JiraTestServer::transition(JiraIssue &issue, const JiraRequest &request)
{
    const QString id =
        request.json().value(QLatin1StringView("transition")).toObject().value(QLatin1StringView("id")).toString();
    for (qsizetype i = 0; i < kStatuses.size(); ++i) {
        if (transitionId(i) == id && kStatuses[i] != issue.status) {
            issue.status = kStatuses[i];
            return {204, {}, {}};
        }
    }
    return {
        400,
        errorBody({QString(QStringLiteral("Transition id '") % id % QStringLiteral("' is not valid for this issue."))}),
        {}};
}

} // namespace peakwatch::test
