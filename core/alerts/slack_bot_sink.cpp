// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "slack_bot_sink.h"

#include "http_delivery.h"
#include "logging.h"
#include "redaction.h"
#include "slack_message.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch {
namespace {

constexpr qint64 kDefaultRetryAfterMs = 1000;
constexpr qint64 kRateLimitedWithoutHeaderMs = 30'000; // rate_limited in a 200: Slack's spam limit on messages

QString tokenAdvice()
{
    return QStringLiteral("copy the app's Bot User OAuth Token (xoxb-…) from Slack (the app's OAuth & Permissions "
                          "page) and enter it");
}

// What a person can do about a refusal, by the error chat.postMessage answered.
QString refusalText(const QString &code)
{
    auto text = [&code](const QString &what, const QString &todo) -> QString {
        return QStringLiteral("Slack: ") % what % QStringLiteral(" (") % code % QStringLiteral("): ") % todo;
    };
    if (code == QLatin1StringView("not_authed") || code == QLatin1StringView("invalid_auth") ||
        code == QLatin1StringView("token_revoked") || code == QLatin1StringView("token_expired") ||
        code == QLatin1StringView("account_inactive") || code == QLatin1StringView("not_allowed_token_type"))
        return text(QStringLiteral("the bot's token is not valid"), tokenAdvice());
    if (code == QLatin1StringView("not_in_channel"))
        return text(
            QStringLiteral("the bot is not a member of the channel"),
            QStringLiteral("invite the app to the channel in Slack (/invite @app), or choose a channel it is in"));
    if (code == QLatin1StringView("channel_not_found"))
        return text(QStringLiteral("the bot sees no such channel"),
                    QStringLiteral("check the channel's name or id (C0123ABCD), and that the app is in it"));
    if (code == QLatin1StringView("is_archived"))
        return text(QStringLiteral("the channel is archived"),
                    QStringLiteral("unarchive it, or choose another channel"));
    if (code == QLatin1StringView("missing_scope") || code == QLatin1StringView("no_permission"))
        return text(QStringLiteral("the app may not post messages"),
                    QStringLiteral("give it the chat:write scope on its OAuth & Permissions page, reinstall it, "
                                   "and enter its new token"));
    if (code.startsWith(QLatin1StringView("restricted_action")) || code == QLatin1StringView("ekm_access_denied") ||
        code == QLatin1StringView("team_access_not_granted") || code == QLatin1StringView("access_denied"))
        return text(QStringLiteral("a workspace admin does not allow the bot to post there"),
                    QStringLiteral("ask an admin of the Slack workspace, or choose another channel"));
    if (code == QLatin1StringView("msg_too_long") || code == QLatin1StringView("no_text") ||
        code.startsWith(QLatin1StringView("invalid_")) || code == QLatin1StringView("too_many_attachments"))
        return text(QStringLiteral("the message was refused as malformed"),
                    QStringLiteral("this is a Peakwatch bug; update Peakwatch or report it"));
    return text(QStringLiteral("the message was refused"), QStringLiteral("check the bot's token and channel"));
}

} // namespace

SlackBotSink::SlackBotSink(QString name, SlackBot bot, QObject *parent)
    : AlertSink(parent)
    , m_name(std::move(name))
    , m_bot(std::move(bot))
    , m_status(check(m_bot))
    , m_network(new QNetworkAccessManager(this))
    , m_timeout(this)
    , m_nextPost(this)
{
    registerSecret(m_bot.token);
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &SlackBotSink::onTimeout);
    m_nextPost.setSingleShot(true);
    connect(&m_nextPost, &QTimer::timeout, this, &SlackBotSink::postNext);
}

SlackBotSink::~SlackBotSink()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

Status SlackBotSink::check(const SlackBot &bot)
{
    if (bot.token.trimmed().isEmpty())
        return Error{QStringLiteral("No Slack bot token: enter the app's Bot User OAuth Token (xoxb-…)")};
    static const QRegularExpression tokenCharacters(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (!tokenCharacters.match(bot.token).hasMatch())
        return Error{QStringLiteral("The Slack bot token has characters a token never has: copy it again from Slack")};
    if (bot.channel.trimmed().isEmpty())
        return Error{QStringLiteral("No Slack channel for the bot: enter the channel's name (#alerts) or id")};
    const QString scheme = bot.apiUrl.scheme().toLower();
    if (!bot.apiUrl.isValid() || bot.apiUrl.host().isEmpty() ||
        !(scheme == QLatin1StringView("https") ||
          (scheme == QLatin1StringView("http") && isLoopbackHost(bot.apiUrl.host()))))
        return Error{QStringLiteral("The Slack API URL must be https (plain http only to this machine)")};
    return {};
}

SendOutcome SlackBotSink::outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter,
                                           QByteArray *ts)
{
    QJsonParseError parseError;
    const QJsonObject answer = QJsonDocument::fromJson(body, &parseError).object();
    static const QRegularExpression codeShape(QStringLiteral("^[a-z0-9_.-]{1,80}$"));
    QString code = answer.value(QLatin1StringView("error")).toString();
    if (!codeShape.match(code).hasMatch())
        code.clear();
    if (httpStatus == 429) {
        const qint64 afterMs = retryAfterMs(retryAfter, kDefaultRetryAfterMs);
        return SendOutcome::retry(
            QStringLiteral("Slack: too many messages (") % (code.isEmpty() ? QStringLiteral("ratelimited") : code) %
                QStringLiteral("): trying again in ") % QString::number((afterMs + 999) / 1000) % QStringLiteral(" s"),
            afterMs);
    }
    if (httpStatus >= 500 || httpStatus == 408)
        return SendOutcome::retry(QStringLiteral("Slack: no answer from its server (HTTP ") %
                                  QString::number(httpStatus) % QStringLiteral("): trying again"));
    if (httpStatus != 200)
        return SendOutcome::failed(QStringLiteral("Slack: the API answered HTTP ") % QString::number(httpStatus) %
                                   QStringLiteral(": is the API URL Slack's Web API? Check the bot's settings"));
    if (parseError.error != QJsonParseError::NoError || !answer.value(QLatin1StringView("ok")).isBool())
        return SendOutcome::retry(
            QStringLiteral("Slack: an unexpected answer (not Slack's JSON): is the API URL Slack's? Trying again"));
    if (answer.value(QLatin1StringView("ok")).toBool()) {
        const QString posted = answer.value(QLatin1StringView("ts")).toString();
        if (ts)
            *ts = posted.toUtf8();
        return SendOutcome::delivered();
    }
    if (code == QLatin1StringView("ratelimited") || code == QLatin1StringView("rate_limited")) {
        const qint64 afterMs = retryAfterMs(retryAfter, kRateLimitedWithoutHeaderMs);
        return SendOutcome::retry(QStringLiteral("Slack: too many messages (") % code %
                                      QStringLiteral("): trying again in ") % QString::number((afterMs + 999) / 1000) %
                                      QStringLiteral(" s"),
                                  afterMs);
    }
    if (code == QLatin1StringView("internal_error") || code == QLatin1StringView("fatal_error") ||
        code == QLatin1StringView("service_unavailable") || code == QLatin1StringView("request_timeout"))
        return SendOutcome::retry(QStringLiteral("Slack: its server failed (") % code %
                                  QStringLiteral("): trying again"));
    return SendOutcome::failed(refusalText(code.isEmpty() ? QStringLiteral("unknown error") : code));
}

void SlackBotSink::send(const std::vector<Alert> &alerts)
{
    if (m_sending) { // the dispatcher waits for finished(); this is a caller's mistake, and the group is kept
        qCWarning(lcAlerts).noquote() << m_name << "send() while a message is being sent";
        Q_EMIT finished(SendOutcome::retry(QStringLiteral("Slack: the previous message is still being sent")));
        return;
    }
    m_sending = true;
    m_progress = SendOutcome::delivered();
    m_posts.clear();
    if (!m_status) {
        finish(SendOutcome::failed(m_status.error()));
        return;
    }
    if (alerts.empty()) {
        finish(SendOutcome::delivered());
        return;
    }
    // The thread of each alert's episode in this channel, if it has one: "<channel> <ts>".
    auto threadOf = [this](const Alert &a) -> QByteArray {
        const qsizetype space = a.threadReference.lastIndexOf(' ');
        if (space <= 0 || a.threadReference.left(space) != m_bot.channel.toUtf8())
            return {};
        return a.threadReference.mid(space + 1);
    };
    Post fresh;
    std::vector<Post> replies;
    for (const Alert &a : alerts) {
        const QByteArray ts = threadOf(a);
        if (ts.isEmpty()) {
            fresh.alerts.push_back(a);
            continue;
        }
        auto it = std::find_if(replies.begin(), replies.end(), [&ts](const Post &p) { return p.threadTs == ts; });
        if (it == replies.end())
            replies.push_back({{a}, ts});
        else
            it->alerts.push_back(a);
    }
    if (replies.size() > size_t(kMaxThreadedReplies)) { // a burst: one message, not a queue of replies
        m_posts.push_back({alerts, {}});
    } else {
        if (!fresh.alerts.empty())
            m_posts.push_back(std::move(fresh));
        for (Post &reply : replies)
            m_posts.push_back(std::move(reply));
    }
    postNext();
}

void SlackBotSink::postNext()
{
    if (m_posts.empty()) {
        finish(std::move(m_progress));
        return;
    }
    const Post &post = m_posts.front();
    QJsonObject message =
        QJsonDocument::fromJson(slackMessage(post.alerts, QDateTime::currentMSecsSinceEpoch())).object();
    message.insert(QStringLiteral("channel"), m_bot.channel);
    if (!post.threadTs.isEmpty()) {
        message.insert(QStringLiteral("thread_ts"), QString::fromUtf8(post.threadTs));
        // A sold-out reply shows in the channel too: it is the one a store manager must not miss.
        const bool critical = std::any_of(post.alerts.begin(), post.alerts.end(), [](const Alert &a) {
            return alertSeverity(a.rule) == AlertSeverity::Critical;
        });
        if (critical)
            message.insert(QStringLiteral("reply_broadcast"), true);
    }
    QUrl url = m_bot.apiUrl;
    url.setPath(url.path().endsWith(u'/') ? url.path() % QStringLiteral("chat.postMessage")
                                          : url.path() % QStringLiteral("/chat.postMessage"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Peakwatch"));
    request.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + m_bot.token.toUtf8());
    m_timedOut = false;
    QNetworkReply *reply = m_network->post(request, QJsonDocument(message).toJson(QJsonDocument::Compact));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
    m_timeout.start(m_timeoutMs);
    qCDebug(lcAlerts).noquote() << m_name << "posting" << post.alerts.size() << "alerts to" << m_bot.channel
                                << (post.threadTs.isEmpty()
                                        ? QStringLiteral("(channel)")
                                        : QStringLiteral("(thread ") % QString::fromUtf8(post.threadTs) % u')');
}

void SlackBotSink::onReplyFinished(QNetworkReply *reply)
{
    if (reply != m_reply) // already settled (timed out)
        return;
    reply->deleteLater();
    m_reply = nullptr;
    m_timeout.stop();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    QByteArray ts;
    SendOutcome outcome;
    if (m_timedOut)
        outcome = SendOutcome::retry(QStringLiteral("Slack: no answer within ") %
                                     QString::number(m_timeoutMs / 1000.0) % QStringLiteral(" s: trying again"));
    else if (status.isValid() && status.toInt() > 0)
        outcome =
            outcomeForAnswer(status.toInt(), reply->readAll(), reply->rawHeader(QByteArrayLiteral("Retry-After")), &ts);
    else
        outcome = SendOutcome::retry(QStringLiteral("Slack could not be reached (") % reply->errorString() %
                                     QStringLiteral("): check the network connection; trying again"));
    if (outcome.kind != SendOutcome::Kind::Delivered) {
        outcome.arrived = std::move(m_progress.arrived);
        outcome.threadsStarted = std::move(m_progress.threadsStarted);
        finish(std::move(outcome));
        return;
    }
    const Post post = std::move(m_posts.front());
    m_posts.erase(m_posts.begin());
    for (const Alert &a : post.alerts) {
        m_progress.arrived.push_back(a.id);
        // A message to the channel starts the thread of each episode in it.
        if (post.threadTs.isEmpty() && !a.episode.isEmpty() && !ts.isEmpty())
            m_progress.threadsStarted.emplace_back(a.episode, m_bot.channel.toUtf8() + ' ' + ts);
    }
    if (m_posts.empty())
        finish(std::move(m_progress));
    else
        m_nextPost.start(m_postIntervalMs);
}

void SlackBotSink::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    QNetworkReply *reply = m_reply;
    reply->abort(); // emits finished(), which settles the post
    if (m_reply == reply) {
        reply->disconnect(this);
        onReplyFinished(reply);
    }
}

void SlackBotSink::finish(SendOutcome outcome)
{
    m_timeout.stop();
    m_nextPost.stop();
    m_reply = nullptr;
    m_posts.clear();
    m_sending = false;
    outcome.error = redacted(outcome.error);
    switch (outcome.kind) {
    case SendOutcome::Kind::Delivered: qCDebug(lcAlerts).noquote() << m_name << "delivered"; break;
    case SendOutcome::Kind::Retry: qCInfo(lcAlerts).noquote() << m_name << "will retry:" << outcome.error; break;
    case SendOutcome::Kind::Failed: qCWarning(lcAlerts).noquote() << m_name << "failed:" << outcome.error; break;
    }
    Q_EMIT finished(outcome);
}

} // namespace peakwatch
