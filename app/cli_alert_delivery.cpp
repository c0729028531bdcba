// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "cli_alert_delivery.h"

#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "desktop_notifier.h"
#include "email_recipients.h"
#include "email_sink.h"
#include "jira_sink.h"
#include "kafka_alert_sink.h"
#include "redaction.h"
#include "slack_bot_sink.h"
#include "slack_sink.h"
#include "webhook_alert_sink.h"

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
#include <map>
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

// A secret held in an environment variable (a URL with credentials, a signing key): never on a command line.
Result<QByteArray> secretFromEnvironment(const QString &option, const QString &variable, const QString &holds)
{
    const QByteArray value = qgetenv(variable.toLocal8Bit().constData()).trimmed();
    if (value.isEmpty())
        return Error{option % u' ' % variable %
                     QStringLiteral(": the environment variable is not set; it should hold ") % holds};
    registerSecret(QString::fromUtf8(value));
    return value;
}

Result<QUrl> urlFromEnvironment(const QString &option, const QString &variable, const QString &holds)
{
    auto value = secretFromEnvironment(option, variable, holds);
    if (!value)
        return Error{value.error()};
    const QUrl url(QString::fromUtf8(*value), QUrl::StrictMode);
    if (!url.isValid())
        return Error{option % u' ' % variable % QStringLiteral(": not a URL; it should hold ") % holds};
    registerSecret(url.toString());
    if (!url.password().isEmpty())
        registerSecret(url.password());
    return url;
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
    , m_email(QStringLiteral("email-env"),
              QStringLiteral("Send alerts by e-mail through the SMTP server in this environment variable: "
                             "smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. "
                             "Needs --email-to or --email-shop-to."),
              QStringLiteral("VAR"))
    , m_emailTo(QStringLiteral("email-to"), QStringLiteral("An address the alerts are mailed to. Repeatable."),
                QStringLiteral("ADDRESS"))
    , m_emailShopTo(QStringLiteral("email-shop-to"),
                    QStringLiteral("An address a shop's alerts go to instead of --email-to (a buyer, a supplier). "
                                   "Repeatable."),
                    QStringLiteral("SHOP=ADDRESS"))
    , m_emailFrom(QStringLiteral("email-from"),
                  QStringLiteral("The sender's address (default: the SMTP user when it is an address)."),
                  QStringLiteral("ADDRESS"))
    , m_emailDigest(QStringLiteral("email-digest-minutes"),
                    QStringLiteral("Gather the alerts of this many minutes into one message (default 0: each "
                                   "product episode a conversation of its own, a message as its alerts come)."),
                    QStringLiteral("MINUTES"), QStringLiteral("0"))
    , m_jira(QStringLiteral("jira-env"),
             QStringLiteral("Open a Jira issue per product episode, commented on as it moves on, on the site in this "
                            "environment variable: https://user:api-token@yoursite.atlassian.net. Needs "
                            "--jira-project."),
             QStringLiteral("VAR"))
    , m_jiraProject(QStringLiteral("jira-project"), QStringLiteral("The Jira project's key (e.g. OPS)."),
                    QStringLiteral("KEY"))
    , m_jiraIssueType(QStringLiteral("jira-issue-type"), QStringLiteral("The issue type (default Task)."),
                      QStringLiteral("TYPE"), QStringLiteral("Task"))
    , m_jiraLabel(QStringLiteral("jira-label"), QStringLiteral("A label on each issue. Repeatable."),
                  QStringLiteral("LABEL"))
    , m_jiraOnRestock(QStringLiteral("jira-on-restock"),
                      QStringLiteral("resolve: move the issue through --jira-resolve-transition when the product is "
                                     "restocked (default); leave: comment only."),
                      QStringLiteral("resolve|leave"), QStringLiteral("resolve"))
    , m_jiraTransition(QStringLiteral("jira-resolve-transition"),
                       QStringLiteral("The workflow transition that resolves an issue (default Done)."),
                       QStringLiteral("NAME"), QStringLiteral("Done"))
    , m_webhook(QStringLiteral("webhook-env"),
                QStringLiteral("POST each alert record as JSON to the URL in this environment variable (Zapier, a "
                               "shop's own reorder service), signed with --webhook-secret-env."),
                QStringLiteral("VAR"))
    , m_webhookSecret(QStringLiteral("webhook-secret-env"),
                      QStringLiteral("The key that signs each webhook body (X-Peakwatch-Signature: sha256=HMAC), in "
                                     "this environment variable."),
                      QStringLiteral("VAR"))
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
    parser.addOptions({m_alertsTopic, m_slack,         m_slackShop,      m_slackBot,    m_slackChannel,
                       m_slackApi,    m_notify,        m_email,          m_emailTo,     m_emailShopTo,
                       m_emailFrom,   m_emailDigest,   m_jira,           m_jiraProject, m_jiraIssueType,
                       m_jiraLabel,   m_jiraOnRestock, m_jiraTransition, m_webhook,     m_webhookSecret,
                       m_outbox,      m_drainTimeout});
}

bool CliAlertDelivery::wanted(const QCommandLineParser &parser) const
{
    return parser.isSet(m_alertsTopic) || parser.isSet(m_slack) || parser.isSet(m_slackShop) ||
           parser.isSet(m_slackBot) || parser.isSet(m_notify) || parser.isSet(m_email) || parser.isSet(m_jira) ||
           parser.isSet(m_webhook);
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
    for (Status s : {addEmailSinks(parser), addJiraSink(parser), addWebhookSink(parser)})
        if (!s)
            return s;
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

Status CliAlertDelivery::addEmailSinks(const QCommandLineParser &parser)
{
    const QString option = QStringLiteral("--email-env");
    const bool recipients = parser.isSet(m_emailTo) || parser.isSet(m_emailShopTo);
    if (!parser.isSet(m_email)) {
        for (const QCommandLineOption *o : {&m_emailTo, &m_emailShopTo, &m_emailFrom})
            if (parser.isSet(*o))
                return Error{QStringLiteral("--") % o->names().constFirst() % QStringLiteral(" needs --email-env")};
        return {};
    }
    if (!recipients)
        return Error{QStringLiteral("--email-env needs --email-to ADDRESS or --email-shop-to SHOP=ADDRESS")};
    auto url = urlFromEnvironment(option, parser.value(m_email), QStringLiteral("smtp[s]://user:password@host:port"));
    if (!url)
        return Error{url.error()};
    if (Status s = EmailSink::checkSmtpUrl(*url); !s)
        return Error{option % u' ' % parser.value(m_email) % QStringLiteral(": ") % s.error()};
    bool digestOk = false;
    const int digestMinutes = parser.value(m_emailDigest).toInt(&digestOk);
    if (!digestOk || digestMinutes < 0 || digestMinutes > 24 * 60)
        return Error{QStringLiteral("--email-digest-minutes takes 0 to 1440, not ") % parser.value(m_emailDigest)};
    EmailOptions base;
    base.from = parser.isSet(m_emailFrom) ? parser.value(m_emailFrom) : url->userName();
    if (!base.from.contains(u'@'))
        return Error{QStringLiteral("--email-from ADDRESS is needed: the SMTP user is not an address")};
    base.digestIntervalMs = qint64(digestMinutes) * 60'000;

    // Shops with addresses of their own; the others' alerts go to --email-to.
    std::vector<ShopRecipients> shops;
    for (const QString &entry : parser.values(m_emailShopTo)) {
        auto parsed = parseShopRecipients(entry);
        if (!parsed)
            return Error{QStringLiteral("--email-shop-to: ") % parsed.error()};
        shops.push_back(std::move(*parsed));
    }
    for (EmailRoute &route : emailRoutes(base, parser.values(m_emailTo), shops))
        m_dispatcher->addSink(std::make_unique<EmailSink>(route.sinkName, *url, std::move(route.options)),
                              std::move(route.route));
    return {};
}

Status CliAlertDelivery::addJiraSink(const QCommandLineParser &parser)
{
    const QString option = QStringLiteral("--jira-env");
    if (!parser.isSet(m_jira)) {
        for (const QCommandLineOption *o : {&m_jiraProject, &m_jiraLabel})
            if (parser.isSet(*o))
                return Error{QStringLiteral("--") % o->names().constFirst() % QStringLiteral(" needs --jira-env")};
        return {};
    }
    if (!parser.isSet(m_jiraProject))
        return Error{QStringLiteral("--jira-env needs --jira-project KEY")};
    auto site =
        urlFromEnvironment(option, parser.value(m_jira), QStringLiteral("https://user:api-token@site.atlassian.net"));
    if (!site)
        return Error{site.error()};
    if (Status s = JiraSink::checkSite(*site); !s)
        return Error{option % u' ' % parser.value(m_jira) % QStringLiteral(": ") % s.error()};
    JiraOptions options;
    options.projectKey = parser.value(m_jiraProject).trimmed();
    options.issueType = parser.value(m_jiraIssueType).trimmed();
    options.labels = parser.values(m_jiraLabel);
    options.resolveTransition = parser.value(m_jiraTransition).trimmed();
    const QString onRestock = parser.value(m_jiraOnRestock);
    if (onRestock == QLatin1String("resolve"))
        options.onRestock = JiraOptions::OnRestock::Resolve;
    else if (onRestock == QLatin1String("leave"))
        options.onRestock = JiraOptions::OnRestock::Leave;
    else
        return Error{QStringLiteral("--jira-on-restock takes resolve or leave, not ") % onRestock};
    m_dispatcher->addSink(std::make_unique<JiraSink>(QStringLiteral("jira"), *site, options));
    return {};
}

Status CliAlertDelivery::addWebhookSink(const QCommandLineParser &parser)
{
    if (parser.isSet(m_webhook) != parser.isSet(m_webhookSecret))
        return Error{parser.isSet(m_webhook) ? QStringLiteral("--webhook-env needs --webhook-secret-env VAR")
                                             : QStringLiteral("--webhook-secret-env needs --webhook-env VAR")};
    if (!parser.isSet(m_webhook))
        return {};
    const QString option = QStringLiteral("--webhook-env");
    auto url = urlFromEnvironment(option, parser.value(m_webhook), QStringLiteral("the receiver's https:// URL"));
    if (!url)
        return Error{url.error()};
    if (Status s = WebhookSink::checkUrl(*url); !s)
        return Error{option % u' ' % parser.value(m_webhook) % QStringLiteral(": ") % s.error()};
    auto secret = secretFromEnvironment(QStringLiteral("--webhook-secret-env"), parser.value(m_webhookSecret),
                                        QStringLiteral("the key that signs each body"));
    if (!secret)
        return Error{secret.error()};
    m_dispatcher->addSink(std::make_unique<WebhookSink>(QStringLiteral("webhook"), *url, *secret));
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
