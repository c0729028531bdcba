// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "result.h"

#include <QByteArray>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace peakwatch {

// Where a Slack app's bot posts: a channel (its id, C0123ABCD, or its name, #alerts) and the bot's token
// (xoxb-…), a secret kept in the keychain like a webhook URL. `apiUrl` is Slack's Web API; a test points it at
// the Slack test server.
struct SlackBot {
    QString channel;
    QString token;
    QUrl apiUrl = QUrl(QStringLiteral("https://slack.com/api/"));
};

// Alerts as messages a Slack bot posts with chat.postMessage. Unlike an incoming webhook, which answers "ok" and
// nothing more, chat.postMessage answers with the message's ts, so one product's episode reads as one thread: the
// episode's first message goes to the channel, and its follow-ups are posted as replies to it (thread_ts), a
// sold-out reply also shown in the channel (reply_broadcast). The ts of each episode's first message is kept in
// the outbox (SendOutcome::threadsStarted, Alert::threadReference), so a restart keeps the threads.
//
// A group from the dispatcher becomes at most four posts, a second apart (Slack takes about a message a second
// per channel): the alerts of episodes without a thread yet as one channel message, and the follow-ups of each
// thread as one reply. When the follow-ups of a group span more than three threads (a burst), the whole group
// goes as one channel message, each follow-up saying where it stands, rather than a queue of replies.
//
// Slack's answer decides the outcome: ok; HTTP 429 (error "ratelimited") after its Retry-After; 5xx and
// Slack's internal_error, fatal_error, service_unavailable and request_timeout are retried; invalid_auth,
// not_in_channel, channel_not_found, is_archived and the other refusals are failures only a person can fix, and
// the error says what to do. The token is registered as a secret (redaction.h): no error or log line shows it.
class SlackBotSink final : public AlertSink {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 15'000;
    static constexpr int kMaxThreadedReplies = 3;

    SlackBotSink(QString name, SlackBot bot, QObject *parent = nullptr);
    ~SlackBotSink() override;
    Q_DISABLE_COPY_MOVE(SlackBotSink)

    // Whether the bot can be used: a token, a channel, an API URL that is https (or plain http to this machine).
    static Status check(const SlackBot &bot);

    // How an answer of chat.postMessage is taken; `ts` receives the message's ts when it was posted. Pure.
    static SendOutcome outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter,
                                        QByteArray *ts = nullptr);

    QString name() const override { return m_name; }
    int maxGroup() const override { return 100; }
    qint64 minIntervalMs() const override { return 1000; }
    void send(const std::vector<Alert> &alerts) override;

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    // Between two posts of one group (Slack: about one message a second per channel).
    void setPostIntervalMs(int ms) { m_postIntervalMs = ms; }

private:
    struct Post {
        std::vector<Alert> alerts;
        QByteArray threadTs; // empty: a message to the channel
    };
    void postNext();
    void onReplyFinished(QNetworkReply *reply);
    void onTimeout();
    void finish(SendOutcome outcome);

    const QString m_name;
    const SlackBot m_bot;
    const Status m_status;
    QNetworkAccessManager *const m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    QTimer m_nextPost;
    bool m_timedOut = false;
    bool m_sending = false;
    int m_timeoutMs = kDefaultTimeoutMs;
    int m_postIntervalMs = 1000;
    std::vector<Post> m_posts; // of the group being sent, the first one in flight
    SendOutcome m_progress;    // what has arrived of the group so far
};

} // namespace peakwatch
