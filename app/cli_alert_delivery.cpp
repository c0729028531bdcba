// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "cli_alert_delivery.h"

#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "desktop_notifier.h"
#include "kafka_alert_sink.h"
#include "redaction.h"
#include "slack_bot_sink.h"
#include "slack_sink.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QStringBuilder>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <set>

namespace peakwatch::cli {
namespace {

// A drain that has waited this long says what it is waiting for.
constexpr qint64 kAnnounceWaitAfterMs = 1000;

void say(const QString &text)
{
    std::fprintf(stderr, "analyze: %s\n", qPrintable(redacted(text)));
}

Result<QUrl> webhookFromEnvironment(const QString &variable)
{
    const QByteArray value = qgetenv(variable.toLocal8Bit().constData()).trimmed();
    if (value.isEmpty())
        return Error{QStringLiteral("environment variable ") % variable %
                     QStringLiteral(" is not set; it should hold the Slack incoming webhook URL")};
    const QUrl url(QString::fromUtf8(value), QUrl::StrictMode);
    registerSecret(url.toString());
    if (Status s = SlackSink::checkWebhookUrl(url); !s)
        return Error{QStringLiteral("the Slack webhook in ") % variable % QStringLiteral(": ") % s.error()};
    return url;
}

Result<QString> botTokenFromEnvironment(const QString &variable)
{
    const QString token = QString::fromUtf8(qgetenv(variable.toLocal8Bit().constData()).trimmed());
    if (token.isEmpty())
        return Error{QStringLiteral("environment variable ") % variable %
                     QStringLiteral(" is not set; it should hold the Slack bot's token (xoxb-…)")};
    registerSecret(token);
    return token;
}

QString alertCount(qint64 n)
{
    return n == 1 ? QStringLiteral("1 alert") : QStringLiteral("%1 alerts").arg(n);
}

// "40 s", "12 min", "7 h 5 min": a wait as a person reads it, rounded up.
QString duration(qint64 ms)
{
    const qint64 seconds = (std::max<qint64>(ms, 0) + 999) / 1000;
    if (seconds < 120)
        return QStringLiteral("%1 s").arg(seconds);
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 120)
        return QStringLiteral("%1 min").arg(minutes);
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

} // namespace

CliAlertDelivery::CliAlertDelivery()
    : m_outbox(QStringLiteral("outbox"),
               QStringLiteral("The SQLite file where alerts wait for delivery: what a crash interrupts goes out on "
                              "the next run, and what was delivered never again (default: in the user's data "
                              "folder)."),
               QStringLiteral("FILE"))
    , m_slack(QStringLiteral("slack-webhook-env"),
              QStringLiteral("Post alerts to the Slack incoming webhook whose URL is in this environment variable "
                             "(the URL is a secret: it never goes on a command line or into a log)."),
              QStringLiteral("VAR"))
    , m_slackShop(QStringLiteral("slack-shop-webhook-env"),
                  QStringLiteral("A shop's own Slack webhook, its URL in environment variable VAR; that shop's "
                                 "alerts go there instead. Repeatable."),
                  QStringLiteral("SHOP=VAR"))
    , m_slackBot(QStringLiteral("slack-bot-token-env"),
                 QStringLiteral("Post alerts as a Slack app's bot (chat.postMessage) to --slack-channel, its token "
                                "(xoxb-…) in this environment variable: each product's episode becomes one thread, "
                                "its follow-ups replies to its first message. Instead of --slack-webhook-env."),
                 QStringLiteral("VAR"))
    , m_slackChannel(QStringLiteral("slack-channel"),
                     QStringLiteral("The channel the bot posts to: its id (C0123ABCD) or its name (#alerts)."),
                     QStringLiteral("CHANNEL"))
    , m_slackApi(QStringLiteral("slack-api-url"),
                 QStringLiteral("Slack's Web API, for the bot (default https://slack.com/api/; plain http only to "
                                "this machine)."),
                 QStringLiteral("URL"))
    , m_notify(QStringLiteral("notify"),
               QStringLiteral("desktop: show alerts as desktop notifications (over the session D-Bus)."),
               QStringLiteral("WHERE"))
    , m_alertsTopic(QStringLiteral("alerts-topic"),
                    QStringLiteral("Publish alert records to this topic, keyed by shop and product."),
                    QStringLiteral("TOPIC"))
    , m_drainTimeout(QStringLiteral("drain-timeout"),
                     QStringLiteral("Once the stream has ended, wait up to this long for alerts still to be "
                                    "delivered: those due after a Slack 429's Retry-After, a retry after a failed "
                                    "send, or left by an earlier run (default 30; 0: do not wait). What is still "
                                    "pending then stays in the outbox for the next run, and analyze exits 1."),
                     QStringLiteral("SECONDS"), QStringLiteral("30"))
{}

CliAlertDelivery::~CliAlertDelivery() = default;

void CliAlertDelivery::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions({m_alertsTopic, m_slack, m_slackShop, m_slackBot, m_slackChannel, m_slackApi, m_notify, m_outbox,
                       m_drainTimeout});
}

bool CliAlertDelivery::wanted(const QCommandLineParser &parser) const
{
    return parser.isSet(m_alertsTopic) || parser.isSet(m_slack) || parser.isSet(m_slackShop) ||
           parser.isSet(m_slackBot) || parser.isSet(m_notify);
}

Status CliAlertDelivery::setUp(const QCommandLineParser &parser, const QString &bootstrapServers,
                               const KafkaProperties &properties, const AlertRules &rules)
{
    const QString path = parser.isSet(m_outbox)
                             ? parser.value(m_outbox)
                             : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                                   .filePath(QStringLiteral("peakwatch/analyze-outbox.sqlite"));
    auto opened = AlertOutbox::open(path);
    if (!opened)
        return Error{opened.error()};
    m_store = std::move(*opened);
    m_dispatcher = std::make_unique<AlertDispatcher>(*m_store);
    m_dispatcher->setQuietHours(rules.quietHours());

    // Shops with a webhook of their own; the others' alerts go to the default one.
    std::set<QByteArray> ownWebhook;
    for (const QString &entry : parser.values(m_slackShop)) {
        const qsizetype eq = entry.indexOf(u'=');
        if (eq <= 0 || eq == entry.size() - 1)
            return Error{QStringLiteral("--slack-shop-webhook-env wants SHOP=VAR, not ") % entry};
        const QByteArray shop = entry.left(eq).toUtf8();
        auto url = webhookFromEnvironment(entry.mid(eq + 1));
        if (!url)
            return Error{url.error()};
        ownWebhook.insert(shop);
        m_dispatcher->addSink(std::make_unique<SlackSink>(QStringLiteral("slack:") + QString::fromUtf8(shop), *url),
                              [shop](const Alert &a) { return a.shop == shop; });
    }
    if (parser.isSet(m_slackBot) && parser.isSet(m_slack))
        return Error{QStringLiteral("give either --slack-webhook-env or --slack-bot-token-env, not both")};
    if (parser.isSet(m_slackBot) != parser.isSet(m_slackChannel))
        return Error{parser.isSet(m_slackBot) ? QStringLiteral("--slack-bot-token-env needs --slack-channel")
                                              : QStringLiteral("--slack-channel needs --slack-bot-token-env")};
    if (parser.isSet(m_slackApi) && !parser.isSet(m_slackBot))
        return Error{QStringLiteral("--slack-api-url needs --slack-bot-token-env")};
    if (parser.isSet(m_slackBot)) {
        auto token = botTokenFromEnvironment(parser.value(m_slackBot));
        if (!token)
            return Error{token.error()};
        SlackBot bot{parser.value(m_slackChannel), *token};
        if (parser.isSet(m_slackApi))
            bot.apiUrl = QUrl(parser.value(m_slackApi), QUrl::StrictMode);
        if (Status s = SlackBotSink::check(bot); !s)
            return Error{QStringLiteral("the Slack bot: ") % s.error()};
        m_dispatcher->addSink(std::make_unique<SlackBotSink>(QStringLiteral("slack"), bot),
                              [ownWebhook](const Alert &a) { return !ownWebhook.contains(a.shop); });
    }
    if (parser.isSet(m_slack)) {
        auto url = webhookFromEnvironment(parser.value(m_slack));
        if (!url)
            return Error{url.error()};
        m_dispatcher->addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), *url),
                              [ownWebhook](const Alert &a) { return !ownWebhook.contains(a.shop); });
    }
    if (parser.isSet(m_notify)) {
        if (parser.value(m_notify) != QLatin1String("desktop"))
            return Error{QStringLiteral("--notify takes desktop, not ") % parser.value(m_notify)};
        auto notifier = std::make_unique<DesktopNotifier>();
        if (!notifier->available())
            return Error{QStringLiteral("--notify desktop: no desktop notification service "
                                        "(org.freedesktop.Notifications) on the session D-Bus")};
        m_dispatcher->addSink(std::move(notifier));
    }
    if (parser.isSet(m_alertsTopic)) {
        auto sink = KafkaAlertSink::create(bootstrapServers, parser.value(m_alertsTopic), properties);
        if (!sink)
            return Error{sink.error()};
        m_dispatcher->addSink(std::move(*sink));
    }
    connect(m_dispatcher.get(), &AlertDispatcher::retrying, this,
            [](const QString &sink, const QString &error, qint64 retryAtMs) {
                say(sink % QStringLiteral(": ") % error % QStringLiteral(" (next attempt in ") %
                    duration(retryAtMs - QDateTime::currentMSecsSinceEpoch()) % u')');
            });
    connect(m_dispatcher.get(), &AlertDispatcher::sinkFailed, this, [this](const QString &sink, const QString &error) {
        const QString text = sink % QStringLiteral(" refused alerts: ") % error;
        say(text);
        m_refusals << text;
    });
    return {};
}

void CliAlertDelivery::submit(std::vector<Alert> alerts)
{
    QMetaObject::invokeMethod(
        this,
        [this, alerts = std::move(alerts)] {
            if (auto added = m_dispatcher->submit(alerts); !added)
                say(added.error());
        },
        Qt::QueuedConnection);
}

Status CliAlertDelivery::drain(qint64 timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    m_stopDraining = false;
    const auto waiting = [&] {
        const qint64 left = timeoutMs - clock.elapsed();
        return !m_stopDraining && left > 0 && !m_dispatcher->settled(left);
    };
    if (waiting()) {
        m_draining = true;
        QEventLoop loop;
        QTimer check;
        bool announced = false;
        connect(&check, &QTimer::timeout, &loop, [&] {
            if (!waiting()) {
                loop.quit();
                return;
            }
            if (announced || clock.elapsed() < kAnnounceWaitAfterMs)
                return;
            announced = true;
            const qint64 left = timeoutMs - clock.elapsed();
            const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + left;
            qint64 awaited = 0; // of the sinks that will send within the time left
            for (const AlertDispatcher::SinkState &s : m_dispatcher->sinkStates())
                if (s.sending || (s.nextAttemptAtMs && *s.nextAttemptAtMs <= deadline))
                    awaited += s.counts.pending;
            say(QStringLiteral("waiting up to ") % duration(left) % QStringLiteral(" for ") % alertCount(awaited) %
                QStringLiteral(" still to be delivered (Ctrl-C stops waiting; they stay in the outbox)"));
        });
        check.start(50);
        loop.exec();
        m_draining = false;
    }
    return undelivered();
}

void CliAlertDelivery::stopDraining()
{
    if (m_draining)
        m_stopDraining = true;
}

Status CliAlertDelivery::undelivered()
{
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    QStringList pending;
    QStringList held;
    for (const AlertDispatcher::SinkState &s : m_dispatcher->sinkStates()) {
        if (s.counts.pending == 0)
            continue;
        const qint64 next = s.nextAttemptAtMs.value_or(at);
        if (s.quiet && !s.sending && s.pausedBecause.isEmpty()) {
            held << alertCount(s.counts.pending) % QStringLiteral(" for ") % s.name %
                        QStringLiteral(" held by quiet hours for ") % duration(next - at);
            continue;
        }
        QString why;
        if (!s.pausedBecause.isEmpty())
            why = QStringLiteral("held back since it refused alerts");
        else if (s.sending)
            why = QStringLiteral("a message still unanswered when the wait ended: it is sent again");
        else if (next > at)
            why = QStringLiteral("next attempt in ") % duration(next - at);
        else
            why = QStringLiteral("not sent yet");
        if (s.pausedBecause.isEmpty() && !s.counts.lastError.isEmpty())
            why += QStringLiteral("; last error: ") % s.counts.lastError;
        pending << alertCount(s.counts.pending) % QStringLiteral(" still pending for ") % s.name %
                       QStringLiteral(" (") % why % u')';
    }
    if (!held.isEmpty())
        say(held.join(QStringLiteral(", ")) % QStringLiteral("; they stay in the outbox ") % m_store->path() %
            QStringLiteral(" and go out on a run after the quiet hours"));
    QStringList problems = m_refusals;
    if (!pending.isEmpty())
        problems << pending.join(QStringLiteral(", ")) % QStringLiteral("; they stay in the outbox ") %
                        m_store->path() % QStringLiteral(" and go out on the next run");
    if (problems.isEmpty())
        return {};
    return Error{redacted(problems.join(QStringLiteral("; ")))};
}

} // namespace peakwatch::cli
