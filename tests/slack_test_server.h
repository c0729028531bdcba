// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <deque>
#include <unordered_map>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace peakwatch::test {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// One answer as a Slack incoming webhook gives it: 200 "ok", or an error status with Slack's code as the body.
struct SlackAnswer {
    static constexpr int kNever = -1;

    int status = 200;
    QByteArray body = QByteArrayLiteral("ok");
    HttpHeaders headers; // besides Content-Type, Content-Length and Connection
    int delayMs = 0;     // before the answer; kNever: no answer at all, the connection is held open
    bool drop = false;   // after the delay, close the connection instead of answering

    static SlackAnswer ok(int delayMs = 0) { return {200, QByteArrayLiteral("ok"), {}, delayMs, false}; }
    static SlackAnswer error(int status, const QByteArray &code) { return {status, code, {}, 0, false}; }
    static SlackAnswer rateLimited(int retryAfterSeconds)
    {
        return {429,
                QByteArrayLiteral("rate_limited"),
                {{QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds)}},
                0,
                false};
    }
    static SlackAnswer never() { return {200, {}, {}, kNever, false}; }
    // chat.postMessage's answers to a bot: an error in a 200 ({"ok":false,"error":"not_in_channel"}), and a 429
    // with Retry-After. (The default answer, ok, becomes {"ok":true,"channel":…,"ts":…} there.)
    static SlackAnswer apiError(const QByteArray &code)
    {
        return {200, QByteArrayLiteral("{\"ok\":false,\"error\":\"") + code + QByteArrayLiteral("\"}"), {}, 0, false};
    }
    static SlackAnswer apiRateLimited(int retryAfterSeconds)
    {
        return {429,
                QByteArrayLiteral("{\"ok\":false,\"error\":\"ratelimited\"}"),
                {{QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds)}},
                0,
                false};
    }
    static SlackAnswer dropped(int delayMs = 0) { return {0, {}, {}, delayMs, true}; }
};

// One request as the server received it, and what became of it.
struct SlackRequest {
    qint64 receivedAtMs = 0; // wall clock, ms since the epoch
    qint64 answeredAtMs = 0; // 0 unless answered
    int connection = 0;      // 1 for the first connection accepted, 2 for the next, …
    QByteArray method;
    QByteArray path; // with the query, as on the request line
    HttpHeaders headers;
    QByteArray body;
    bool answered = false;   // the answer was written to the connection
    int status = 0;          // the status answered, 0 unless answered
    bool clientGone = false; // the client closed the connection before the answer
    bool dropped = false;    // the server closed the connection instead of answering (SlackAnswer::drop)
    QByteArray postedTs;     // chat.postMessage: the ts of the message posted, empty unless it was

    QByteArray header(QByteArrayView name) const; // case-insensitive; empty when absent
    QJsonObject json() const;                     // the body as a JSON object; empty when it is not one
};

// A real HTTP/1.1 server on 127.0.0.1 that answers as a Slack incoming webhook: POSTs to webhookPath() are
// checked as Slack checks a message (payloadProblem(): 400 invalid_payload, no_text, invalid_blocks) and then
// answered from a script of answers (default 200 "ok"); other paths get 404 no_service.
// It answers chat.postMessage of the Web API (apiUrl()) as Slack answers a bot, always HTTP 200 with JSON unless
// rate limited: without the bot's token not_authed or invalid_auth, a channel the bot is not in not_in_channel,
// an unknown one channel_not_found, a message Slack would refuse its code; then the script, whose default "ok"
// becomes {"ok":true,"channel":"C0TESTALERTS","ts":"<seconds>.<sequence>"}, a new ts per message. Every request is
// recorded, with whether and when it was answered. Keep-alive, several requests on one connection (answered in
// order, one at a time) and clients that leave before their answer are handled. Lives in the thread that
// creates it and needs its event loop: a test spins it with waitForRequests() or QTRY_*; a client in another
// process (peakwatch-cli) is served the same way.
class SlackTestServer final : public QObject {
    Q_OBJECT
public:
    static constexpr char kToken[] = "abcdefghijklmnopqrstuvwx";

    explicit SlackTestServer(QObject *parent = nullptr);
    ~SlackTestServer() override;
    Q_DISABLE_COPY_MOVE(SlackTestServer)

    // Listens on 127.0.0.1 on a free port; false when it cannot (see errorString()).
    bool listen();
    QString errorString() const;
    quint16 port() const;
    // http://127.0.0.1:PORT/services/T0TEST/B0TEST/abcdefghijklmnopqrstuvwx
    QUrl webhookUrl() const;
    static QByteArray webhookPath();
    // The Web API as the bot uses it: http://127.0.0.1:PORT/api/, its token and the channel it is in (also known
    // as #alerts). kOtherChannel (#general) exists, without the bot.
    static constexpr char kBotToken[] = "xoxb-1234567890-0987654321-testbottokentestbottoken";
    static constexpr char kBotChannel[] = "C0TESTALERTS";
    static constexpr char kOtherChannel[] = "C0GENERAL";
    QUrl apiUrl() const;

    // Answers for the next requests to the webhook, in order; once they are used up, the default answer.
    void enqueue(const SlackAnswer &answer);
    void setDefaultAnswer(const SlackAnswer &answer) { m_defaultAnswer = answer; }
    qsizetype scriptLeft() const { return qsizetype(m_script.size()); }
    // Whether messages Slack would refuse are answered 400 before the script is consulted (default true).
    void setCheckPayloads(bool check) { m_checkPayloads = check; }

    const std::vector<SlackRequest> &requests() const { return m_requests; }
    qsizetype answeredCount() const;
    int connectionCount() const { return m_connectionsAccepted; }
    // Spins the event loop until `count` requests have arrived; false on timeout.
    bool waitForRequests(qsizetype count, int timeoutMs = 5000);
    // Closes every open connection (the clients see the server go away); the server keeps listening.
    void closeConnections();

    // What Slack would refuse in a message body, as "<code>: <detail>" ("invalid_blocks: blocks[3]: section
    // text is 3012 characters, over 3000"); empty when Slack would take it. Checks the JSON, the text or blocks,
    // and Block Kit's types and limits for header, section, context and divider blocks.
    static QString payloadProblem(const QByteArray &body);

Q_SIGNALS:
    void requestReceived(qsizetype index);
    void requestSettled(qsizetype index); // answered, dropped, or its client left

private:
    struct Connection {
        int id = 0;
        QByteArray buffer;
        qsizetype pending = -1; // the request awaiting its answer
        SlackAnswer answer;
        bool closeAfterAnswer = false;
        QTimer *delay = nullptr;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    void processBuffer(QTcpSocket *socket);
    void answer(QTcpSocket *socket);
    void writeResponse(QTcpSocket *socket, int status, const QByteArray &body, const HttpHeaders &headers, bool close,
                       const QByteArray &contentType = QByteArrayLiteral("text/html"));
    // chat.postMessage's answer to `request` (the checks, then the script's).
    SlackAnswer apiAnswer(SlackRequest &request);

    QTcpServer *const m_server;
    std::unordered_map<QTcpSocket *, Connection> m_connections;
    std::deque<SlackAnswer> m_script;
    SlackAnswer m_defaultAnswer;
    std::vector<SlackRequest> m_requests;
    int m_connectionsAccepted = 0;
    bool m_checkPayloads = true;
    int m_posted = 0; // messages the bot posted, for their ts
};

} // namespace peakwatch::test
