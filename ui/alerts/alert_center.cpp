// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_center.h"

#include "alert_worker.h"
#include "delivery_dialog.h"
#include "email_recipients.h"
#include "email_sink.h"
#include "jira_sink.h"
#include "secret_store.h"
#include "slack_bot_sink.h"
#include "slack_sink.h"
#include "thread_priority.h"
#include "webhook_alert_sink.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QScopeGuard>
#include <QStringBuilder>
#include <QSystemTrayIcon>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QWidget>

namespace peakwatch::ui {
namespace {

constexpr int kHistoryCapacity = 10000;
constexpr int kSecretWaitMs = 30000; // the longest alerts wait for the keychain's answer

// The application icon with the number of active alerts in a red badge, as a tray shows it.
QIcon trayIcon(qint64 active)
{
    const QIcon base = QApplication::windowIcon().isNull() ? QIcon(QStringLiteral(":/peakwatch/icons/peakwatch.svg"))
                                                           : QApplication::windowIcon();
    QPixmap pixmap = base.pixmap(64, 64);
    if (pixmap.isNull()) {
        pixmap = QPixmap(64, 64);
        pixmap.fill(QColor(0x1f, 0x6f, 0xeb));
    }
    if (active <= 0)
        return QIcon(pixmap);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF badge(26, 26, 38, 38);
    painter.setBrush(QColor(0xcf, 0x22, 0x2e));
    painter.setPen(QPen(Qt::white, 3));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(active > 99 ? 15 : 22);
    painter.setFont(font);
    painter.drawText(badge, Qt::AlignCenter, active > 99 ? QStringLiteral("99+") : QString::number(active));
    return QIcon(pixmap);
}

} // namespace

AlertCenter::AlertCenter(QWidget *window)
    : QObject(window)
    , m_window(window)
    , m_thread(new QThread(this))
    , m_worker(new AlertWorker)
    , m_keychain(std::make_unique<KeychainSecretStore>())
    , m_session(std::make_unique<MemorySecretStore>())
    , m_tray(new QSystemTrayIcon(this))
{
    m_thread->setObjectName(QStringLiteral("alert delivery"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_thread, &yieldToTheWindow, Qt::DirectConnection);
    m_thread->start();

    connect(m_worker, &AlertWorker::recorded, this, [this](qsizetype handled, const std::vector<Alert> &fresh) {
        m_recording -= handled;
        if (!fresh.empty())
            Q_EMIT alertsRecorded(fresh);
    });
    connect(m_worker, &AlertWorker::history, this,
            [this](quint64 request, const std::vector<AlertOutbox::Entry> &entries) {
                auto it = m_historyReaders.find(request);
                if (it == m_historyReaders.end())
                    return;
                auto [context, done] = std::move(it->second);
                m_historyReaders.erase(it);
                if (context)
                    done(entries);
            });
    connect(m_worker, &AlertWorker::activeCount, this, &AlertCenter::showActiveCount);
    connect(m_worker, &AlertWorker::problem, this, &AlertCenter::setProblem);
    connect(m_worker, &AlertWorker::deliveriesChanged, this, &AlertCenter::deliveriesChanged);
    connect(m_worker, &AlertWorker::sinkFailed, this, [this](const QString &sink, const QString &error) {
        setProblem(sink % QStringLiteral(" refused alerts: ") % error);
    });
    connect(m_worker, &AlertWorker::retrying, this, [this](const QString &sink, const QString &error) {
        setProblem(sink % QStringLiteral(": ") % error % QStringLiteral("; retrying"));
    });
    connect(m_worker, &AlertWorker::delivered, this, [this](const QString &sink) {
        if (m_problem.startsWith(sink))
            setProblem(QString());
    });
    connect(m_worker, &AlertWorker::productActivated, this, [this](const QByteArray &shop, qint64 id) {
        bringWindowUp();
        Q_EMIT productActivated({shop, id});
    });
    connect(m_worker, &AlertWorker::alertsActivated, this, [this] {
        bringWindowUp();
        Q_EMIT alertsActivated();
    });
    connect(m_worker, &AlertWorker::trayMessage, this,
            [this](const QString &summary, const QString &body, bool critical) {
                m_tray->showMessage(summary, body, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information);
            });

    auto *menu = new QMenu(window);
    menu->addAction(QStringLiteral("Show Peakwatch"), this, &AlertCenter::bringWindowUp);
    menu->addAction(QStringLiteral("Show alerts"), this, [this] {
        bringWindowUp();
        Q_EMIT alertsActivated();
    });
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason != QSystemTrayIcon::Trigger && reason != QSystemTrayIcon::DoubleClick)
            return;
        bringWindowUp();
        Q_EMIT alertsActivated();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertCenter::alertsActivated);
    showActiveCount(0);
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
}

AlertCenter::~AlertCenter()
{
    QMetaObject::invokeMethod(m_worker, &AlertWorker::shutdown, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

template <typename Work> void AlertCenter::onWorker(Work &&work)
{
    QMetaObject::invokeMethod(m_worker, std::forward<Work>(work));
}

void AlertCenter::bringWindowUp()
{
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

Status AlertCenter::open(const QString &outboxPath)
{
    Status status;
    QMetaObject::invokeMethod(
        m_worker, [&] { status = m_worker->open(outboxPath); }, Qt::BlockingQueuedConnection);
    m_open = bool(status);
    return status;
}

void AlertCenter::configure(const QString &connection, const QString &bootstrapServers,
                            const KafkaProperties &properties)
{
    if (!m_open)
        return;
    const quint64 configuration = ++m_configuration;
    m_connection = connection;
    m_secretReads = 0; // the reads of an older configuration no longer count
    setProblem(QString());

    const DeliverySettings settings = DeliveryDialog::load(connection);
    AlertWorker::Destinations destinations;
    destinations.desktop = settings.desktop;
    destinations.trayFallback = QSystemTrayIcon::isSystemTrayAvailable();
    destinations.alertsTopic = settings.alertsTopic;
    destinations.bootstrapServers = bootstrapServers;
    destinations.properties = properties;
    AlertWorker *worker = m_worker;
    onWorker([worker, destinations] {
        worker->resetSinks();
        worker->addSinks(destinations);
    });
    QStringList own;
    for (const QString &shop : settings.slackShops)
        own << shop;
    if (settings.slackBot)
        addSlackBot(connection, settings.slackChannel, own, settings.sessionOnly);
    else if (settings.slackDefault)
        addSlack(connection, {}, own, settings.sessionOnly);
    for (const QString &shop : settings.slackShops)
        addSlack(connection, shop.toUtf8(), own, settings.sessionOnly);
    if (settings.email)
        addEmail(connection, settings);
    if (settings.jira)
        addJira(connection, settings);
    if (settings.webhook)
        addWebhook(connection, settings);
    if (m_secretReads == 0) {
        releaseHeld();
        return;
    }
    // A keychain that never answers must not hold the alerts for ever (its D-Bus calls time out well before).
    QTimer::singleShot(kSecretWaitMs, this, [this, configuration] {
        if (configuration != m_configuration || m_secretReads == 0)
            return;
        setProblem(
            QStringLiteral("The keychain has not answered for %1 s: alerts go out without the destinations kept in "
                           "it until it does")
                .arg(kSecretWaitMs / 1000));
        m_secretReads = 0;
        releaseHeld();
    });
}

void AlertCenter::secretReadEnded()
{
    if (m_secretReads > 0 && --m_secretReads == 0)
        releaseHeld();
}

void AlertCenter::releaseHeld()
{
    if (m_held.empty())
        return;
    AlertWorker *worker = m_worker;
    onWorker([worker, alerts = std::exchange(m_held, {})] { worker->submit(alerts); });
}

void AlertCenter::addSlack(const QString &connection, const QByteArray &shop, const QStringList &ownShops,
                           bool sessionOnly)
{
    SecretStore &store = sessionOnly ? static_cast<SecretStore &>(*m_session) : *m_keychain;
    const quint64 configuration = m_configuration;
    secretReadStarted();
    store.read(slackWebhookKey(connection, shop), [this, configuration, shop,
                                                   ownShops](Result<std::optional<QString>> found) {
        if (configuration != m_configuration)
            return; // configured again since
        const auto ended = qScopeGuard([this] { secretReadEnded(); });
        const QString which =
            shop.isEmpty() ? QStringLiteral("Slack") : QStringLiteral("Slack (") % QString::fromUtf8(shop) % u')';
        if (!found) {
            setProblem(which % QStringLiteral(": ") % found.error());
            return;
        }
        if (!found->has_value())
            return; // no webhook set
        const QUrl url(**found);
        if (Status s = SlackSink::checkWebhookUrl(url); !s) {
            setProblem(which % QStringLiteral(": ") % s.error());
            return;
        }
        AlertWorker *worker = m_worker;
        // The sink is made in the worker's thread, where its network requests run.
        onWorker([worker, shop, ownShops, url] {
            if (shop.isEmpty())
                worker->addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), url),
                                [ownShops](const Alert &a) { return !ownShops.contains(QString::fromUtf8(a.shop)); });
            else
                worker->addSink(std::make_unique<SlackSink>(QStringLiteral("slack:") % QString::fromUtf8(shop), url),
                                [shop](const Alert &a) { return a.shop == shop; });
        });
    });
}

void AlertCenter::addSlackBot(const QString &connection, const QString &channel, const QStringList &ownShops,
                              bool sessionOnly)
{
    SecretStore &store = sessionOnly ? static_cast<SecretStore &>(*m_session) : *m_keychain;
    const quint64 configuration = m_configuration;
    secretReadStarted();
    store.read(
        slackBotTokenKey(connection), [this, configuration, channel, ownShops](Result<std::optional<QString>> found) {
            if (configuration != m_configuration)
                return; // configured again since
            const auto ended = qScopeGuard([this] { secretReadEnded(); });
            if (!found) {
                setProblem(QStringLiteral("Slack bot: ") % found.error());
                return;
            }
            if (!found->has_value())
                return; // no token set
            const SlackBot bot{channel, **found};
            if (Status s = SlackBotSink::check(bot); !s) {
                setProblem(QStringLiteral("Slack bot: ") % s.error());
                return;
            }
            AlertWorker *worker = m_worker;
            // The sink is made in the worker's thread, where its network requests run.
            onWorker([worker, bot, ownShops] {
                worker->addSink(std::make_unique<SlackBotSink>(QStringLiteral("slack"), bot),
                                [ownShops](const Alert &a) { return !ownShops.contains(QString::fromUtf8(a.shop)); });
            });
        });
}

void AlertCenter::addWithSecrets(const QStringList &keys, const QString &which, bool sessionOnly, SecretsUser use)
{
    SecretStore &store = sessionOnly ? static_cast<SecretStore &>(*m_session) : *m_keychain;
    secretReadStarted();
    readSecrets(store, keys, {}, which, std::move(use));
}

void AlertCenter::readSecrets(SecretStore &store, QStringList keys, QStringList found, const QString &which,
                              const SecretsUser &use)
{
    const quint64 configuration = m_configuration;
    const QString key = keys.takeFirst();
    store.read(key,
               [this, &store, configuration, keys, found, which, use](Result<std::optional<QString>> read) mutable {
                   if (configuration != m_configuration)
                       return; // configured again since
                   auto ended = qScopeGuard([this] { secretReadEnded(); });
                   if (!read) {
                       setProblem(which % QStringLiteral(": ") % read.error());
                       return;
                   }
                   if (!read->has_value())
                       return; // not set
                   found << **read;
                   if (!keys.isEmpty()) {
                       ended.dismiss(); // the next read ends it
                       readSecrets(store, keys, found, which, use);
                       return;
                   }
                   if (Status s = use(found); !s)
                       setProblem(which % QStringLiteral(": ") % s.error());
               });
}

void AlertCenter::addEmail(const QString &connection, const DeliverySettings &settings)
{
    EmailOptions base;
    base.from = settings.emailFrom;
    base.digestIntervalMs = qint64(settings.emailDigestMinutes) * 60'000;
    std::vector<ShopRecipients> shops;
    for (const QString &entry : settings.emailShopTo) {
        auto parsed = parseShopRecipients(entry);
        if (!parsed) {
            setProblem(QStringLiteral("E-mail, per shop: ") % parsed.error());
            return;
        }
        shops.push_back(std::move(*parsed));
    }
    addWithSecrets({emailSmtpUrlKey(connection)}, QStringLiteral("E-mail"), settings.sessionOnly,
                   [this, base, everyShop = settings.emailTo, shops](const QStringList &secrets) -> Status {
                       const QUrl url(secrets.value(0), QUrl::StrictMode);
                       if (Status s = EmailSink::checkSmtpUrl(url); !s)
                           return s;
                       EmailOptions from = base;
                       if (from.from.isEmpty())
                           from.from = url.userName();
                       std::vector<EmailRoute> routes = emailRoutes(from, everyShop, shops);
                       for (const EmailRoute &route : routes)
                           if (Status s = EmailSink::checkOptions(route.options); !s)
                               return s;
                       AlertWorker *worker = m_worker;
                       // Each shop's to its own addresses, every other shop's to the profile's; the sinks are made
                       // in the worker's thread.
                       onWorker([worker, url, routes = std::move(routes)]() mutable {
                           for (EmailRoute &route : routes)
                               worker->addSink(
                                   std::make_unique<EmailSink>(route.sinkName, url, std::move(route.options)),
                                   std::move(route.route));
                       });
                       return {};
                   });
}

void AlertCenter::addJira(const QString &connection, const DeliverySettings &settings)
{
    JiraOptions options;
    options.projectKey = settings.jiraProject;
    options.issueType = settings.jiraIssueType;
    options.labels = settings.jiraLabels;
    options.onRestock = settings.jiraResolveOnRestock ? JiraOptions::OnRestock::Resolve : JiraOptions::OnRestock::Leave;
    options.resolveTransition = settings.jiraResolveTransition;
    addWithSecrets({jiraSiteKey(connection)}, QStringLiteral("Jira"), settings.sessionOnly,
                   [this, options](const QStringList &secrets) -> Status {
                       const QUrl site(secrets.value(0), QUrl::StrictMode);
                       if (Status s = JiraSink::checkSite(site); !s)
                           return s;
                       if (Status s = JiraSink::checkOptions(options); !s)
                           return s;
                       AlertWorker *worker = m_worker;
                       onWorker([worker, site, options] {
                           worker->addSink(std::make_unique<JiraSink>(QStringLiteral("jira"), site, options), {});
                       });
                       return {};
                   });
}

void AlertCenter::addWebhook(const QString &connection, const DeliverySettings &settings)
{
    addWithSecrets({webhookUrlKey(connection), webhookSigningKeyKey(connection)}, QStringLiteral("Webhook"),
                   settings.sessionOnly, [this](const QStringList &secrets) -> Status {
                       const QUrl url(secrets.value(0), QUrl::StrictMode);
                       if (Status s = WebhookSink::checkUrl(url); !s)
                           return s;
                       const QByteArray key = secrets.value(1).toUtf8();
                       AlertWorker *worker = m_worker;
                       onWorker([worker, url, key] {
                           worker->addSink(std::make_unique<WebhookSink>(QStringLiteral("webhook"), url, key), {});
                       });
                       return {};
                   });
}

void AlertCenter::setQuietHours(std::optional<QuietHours> hours)
{
    AlertWorker *worker = m_worker;
    onWorker([worker, hours] { worker->setQuietHours(hours); });
}

void AlertCenter::submit(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return;
    m_recording += qint64(alerts.size());
    if (m_secretReads > 0) {
        m_held.insert(m_held.end(), alerts.begin(), alerts.end());
        return;
    }
    AlertWorker *worker = m_worker;
    onWorker([worker, alerts] { worker->submit(alerts); });
}

void AlertCenter::acknowledge(const std::vector<QByteArray> &ids, qint64 atMs)
{
    AlertWorker *worker = m_worker;
    onWorker([worker, ids, atMs] { worker->acknowledge(ids, atMs); });
}

void AlertCenter::snooze(const std::vector<ProductRef> &products, qint64 untilMs)
{
    AlertWorker *worker = m_worker;
    onWorker([worker, products, untilMs] { worker->snooze(products, untilMs); });
}

void AlertCenter::readHistory(int limit, QObject *context, HistoryReader done)
{
    const quint64 request = ++m_historyRequests;
    m_historyReaders.emplace(request, std::make_pair(QPointer<QObject>(context), std::move(done)));
    AlertWorker *worker = m_worker;
    limit = std::min(limit, kHistoryCapacity);
    onWorker([worker, request, limit] { worker->readHistory(request, limit); });
}

void AlertCenter::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged(problem);
}

void AlertCenter::showActiveCount(qint64 active)
{
    m_active = active;
    if (active == m_shownActive)
        return;
    m_shownActive = active;
    m_tray->setIcon(trayIcon(active));
    m_tray->setToolTip(active == 0 ? QStringLiteral("Peakwatch: no active alerts")
                                   : QStringLiteral("Peakwatch: %1 active alert%2")
                                         .arg(active)
                                         .arg(active == 1 ? QString() : QStringLiteral("s")));
    Q_EMIT activeCountChanged(active);
}

} // namespace peakwatch::ui
