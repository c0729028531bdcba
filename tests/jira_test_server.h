// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace peakwatch::test {

using JiraHeaders = QList<QPair<QByteArray, QByteArray>>;

// An answer the test imposes on the next request, whatever it asks (a rate limit, a server error, a slow answer).
struct JiraAnswer {
    static constexpr int kNever = -1;

    int status = 200;
    QByteArray body;
    JiraHeaders headers; // besides Content-Type, Content-Length and Connection
    int delayMs = 0;     // before the answer; kNever: no answer at all, the connection is held open

    static JiraAnswer rateLimited(int retryAfterSeconds)
    {
        return {429,
                QByteArrayLiteral("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}"),
                {{QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds)}},
                0};
    }
    static JiraAnswer serverError(int status = 500)
    {
        return {status, QByteArrayLiteral("{\"errorMessages\":[\"Internal server error\"],\"errors\":{}}"), {}, 0};
    }
    static JiraAnswer never() { return {200, {}, {}, kNever}; }
};

// One request as the server received it, and its answer.
struct JiraRequest {
    qint64 receivedAtMs = 0; // wall clock, ms since the epoch
    QByteArray method;
    QByteArray path; // with the query, as on the request line
    JiraHeaders headers;
    QByteArray body;
    int status = 0; // the status answered, 0 unless answered

    QByteArray header(QByteArrayView name) const; // case-insensitive; empty when absent
    QJsonObject json() const;                     // the body as a JSON object; empty when it is not one
};

// An issue as the server keeps it.
struct JiraIssue {
    QString id; // "10001"
    QString key;
    QString project;
    QString issueType;
    QString summary;
    QString description;
    QStringList labels;
    QString status = QStringLiteral("To Do");
    QStringList comments; // their bodies, oldest first
    bool deleted = false;
};

// A real HTTP/1.1 server on 127.0.0.1 that answers as Jira Cloud's REST API (v2) does, for what an alert sink uses:
//   POST /rest/api/2/issue                       201 {"id","key","self"}; 400 {"errorMessages":[…],"errors":{…}}
//                                                 when the project, the issue type or the summary is missing or
//                                                 unknown, a label has a space, or the JSON is not;
//   POST /rest/api/2/issue/{key}/comment         201 the comment; 400 when the body is empty; 404 unknown issue;
//   GET  /rest/api/2/issue/{key}/transitions     200 {"transitions":[…]} to the other statuses of the workflow
//                                                 To Do, In Progress, Done (each transition named as its status);
//   POST /rest/api/2/issue/{key}/transitions     204; 400 for a transition the issue does not have.
// Every request needs Basic auth with kUser and kToken (else 401, as Jira Cloud answers it). Issues are keyed
// PW-1, PW-2, … in project PW (more projects with addProject()). A script of answers (enqueue()) overrides the next
// requests, whatever they ask. Keep-alive, one request at a time per connection. Lives in the thread that creates
// it and needs its event loop (QTRY_*, waitForRequests()).
class JiraTestServer final : public QObject {
    Q_OBJECT
public:
    static constexpr char kUser[] = "pat@peak-apparel.example";
    static constexpr char kToken[] = "ATATT3xFfGF0TestTokenForPeakwatchJiraSink=0A1B2C3D";
    static constexpr char kProject[] = "PW";

    explicit JiraTestServer(QObject *parent = nullptr);
    ~JiraTestServer() override;
    Q_DISABLE_COPY_MOVE(JiraTestServer)

    bool listen(); // on 127.0.0.1, a free port; false when it cannot (see errorString())
    QString errorString() const;
    quint16 port() const;
    // http://<kUser>:<kToken>@127.0.0.1:PORT (the user percent-encoded), or with another user and token.
    QUrl siteUrl() const;
    QUrl siteUrl(const QString &user, const QString &token) const;

    void addProject(const QString &key) { m_projects.insert(key); }
    void enqueue(const JiraAnswer &answer) { m_script.push_back(answer); }
    // As if someone deleted the issue in Jira: it is answered 404 from now on.
    void deleteIssue(const QString &key);

    const std::vector<JiraRequest> &requests() const { return m_requests; }
    // The issues filed, oldest first (deleted ones too).
    std::vector<JiraIssue> issues() const;
    std::optional<JiraIssue> issue(const QString &key) const;
    int connectionCount() const { return m_connectionsAccepted; }
    bool waitForRequests(qsizetype count, int timeoutMs = 5000);

Q_SIGNALS:
    void requestReceived(qsizetype index);

private:
    struct Connection {
        QByteArray buffer;
        bool busy = false; // a request awaits its (delayed) answer
        QTimer *delay = nullptr;
    };
    struct Answer {
        int status = 200;
        QByteArray body;
        JiraHeaders headers;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void processBuffer(QTcpSocket *socket);
    void write(QTcpSocket *socket, qsizetype index, const Answer &answer, bool close);
    Answer route(const JiraRequest &request);
    Answer search(const JiraRequest &request) const;
    Answer createIssue(const JiraRequest &request);
    Answer addComment(JiraIssue &issue, const JiraRequest &request);
    Answer transitions(const JiraIssue &issue) const;
    Answer transition(JiraIssue &issue, const JiraRequest &request);
    QString base() const;

    QTcpServer *const m_server;
    std::unordered_map<QTcpSocket *, Connection> m_connections;
    std::deque<JiraAnswer> m_script;
    std::vector<JiraRequest> m_requests;
    QSet<QString> m_projects{QString::fromLatin1(kProject)};
    std::map<QString, JiraIssue> m_issues; // by key
    std::vector<QString> m_order;          // keys, as filed
    std::map<QString, int> m_nextNumber;   // per project
    int m_nextId = 10000;
    int m_nextCommentId = 20000;
    int m_connectionsAccepted = 0;
};

} // namespace peakwatch::test
