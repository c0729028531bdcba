#include "cli_alert_delivery.h"

#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "desktop_notifier.h"
#include "kafka_alert_sink.h"
#include "redaction.h"
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

#include <cstdio>
#include <set>

namespace peakwatch::cli {
namespace {

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
    , m_notify(QStringLiteral("notify"),
               QStringLiteral("desktop: show alerts as desktop notifications (over the session D-Bus)."),
               QStringLiteral("WHERE"))
    , m_alertsTopic(QStringLiteral("alerts-topic"),
                    QStringLiteral("Publish alert records to this topic, keyed by shop and product."),
                    QStringLiteral("TOPIC"))
{}

CliAlertDelivery::~CliAlertDelivery() = default;

void CliAlertDelivery::addOptions(QCommandLineParser &parser) const
{
    parser.addOptions({m_alertsTopic, m_slack, m_slackShop, m_notify, m_outbox});
}

bool CliAlertDelivery::wanted(const QCommandLineParser &parser) const
{
    return parser.isSet(m_alertsTopic) || parser.isSet(m_slack) || parser.isSet(m_slackShop) || parser.isSet(m_notify);
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
                say(sink % QStringLiteral(": ") % error %
                    QStringLiteral("; trying again in %1 s")
                        .arg(std::max<qint64>(0, retryAtMs - QDateTime::currentMSecsSinceEpoch()) / 1000.0, 0, 'f', 1));
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

Status CliAlertDelivery::drain(int timeoutMs)
{
    QEventLoop loop;
    QTimer check;
    QElapsedTimer clock;
    clock.start();
    connect(&check, &QTimer::timeout, &loop, [&] {
        if (m_dispatcher->settled() || !m_refusals.isEmpty() || clock.elapsed() >= timeoutMs)
            loop.quit();
    });
    check.start(50);
    loop.exec();
    if (!m_refusals.isEmpty())
        return Error{m_refusals.join(QStringLiteral("; "))};
    if (m_dispatcher->settled())
        return {};
    QStringList waiting;
    for (const AlertDispatcher::SinkState &s : m_dispatcher->sinkStates())
        if (s.counts.pending > 0)
            waiting << QStringLiteral("%1 for %2%3")
                           .arg(s.counts.pending)
                           .arg(s.name, s.counts.lastError.isEmpty()
                                            ? QString()
                                            : QStringLiteral(" (") % s.counts.lastError % u')');
    return Error{QStringLiteral("alerts still waiting after %1 s: %2; they go out on the next run with --outbox %3")
                     .arg(timeoutMs / 1000)
                     .arg(waiting.join(QStringLiteral(", ")), m_store->path())};
}

} // namespace peakwatch::cli
