#include "alert_center.h"

#include "alert_dispatcher.h"
#include "delivery_dialog.h"
#include "desktop_notifier.h"
#include "kafka_alert_sink.h"
#include "secret_store.h"
#include "slack_sink.h"

#include <QApplication>
#include <QDateTime>
#include <QMenu>
#include <QPainter>
#include <QStringBuilder>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QUrl>
#include <QWidget>

namespace peakwatch::ui {
namespace {

constexpr int kHistoryCapacity = 10000;

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
    , m_keychain(std::make_unique<KeychainSecretStore>())
    , m_session(std::make_unique<MemorySecretStore>())
    , m_tray(new QSystemTrayIcon(this))
    , m_recorder(new QTimer(this))
    , m_trayTimer(new QTimer(this))
{
    m_trayTimer->setSingleShot(true);
    m_trayTimer->setInterval(2000);
    connect(m_trayTimer, &QTimer::timeout, this, &AlertCenter::showActiveCount);
    m_recorder->setObjectName(QStringLiteral("alertRecorder"));
    m_recorder->setSingleShot(true);
    m_recorder->setInterval(0);
    connect(m_recorder, &QTimer::timeout, this, &AlertCenter::recordSome);
    auto *menu = new QMenu(window);
    menu->addAction(QStringLiteral("Show Peakwatch"), this, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
    menu->addAction(QStringLiteral("Show alerts"), this, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
        Q_EMIT alertsActivated();
    });
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason != QSystemTrayIcon::Trigger && reason != QSystemTrayIcon::DoubleClick)
            return;
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
        Q_EMIT alertsActivated();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertCenter::alertsActivated);
    showActiveCount();
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
}

AlertCenter::~AlertCenter()
{
    m_dispatcher.reset(); // its sinks first, then the outbox they report to
}

Status AlertCenter::open(const QString &outboxPath)
{
    auto opened = AlertOutbox::open(outboxPath);
    if (!opened)
        return Status(Error{opened.error()});
    m_outbox = std::move(*opened);
    makeDispatcher(); // records alerts before any destination is configured
    showActiveCount();
    return {};
}

void AlertCenter::makeDispatcher()
{
    m_dispatcher = std::make_unique<AlertDispatcher>(*m_outbox);
    connect(m_dispatcher.get(), &AlertDispatcher::changed, this, [this] {
        Q_EMIT deliveriesChanged();
        updateTray();
    });
    connect(m_dispatcher.get(), &AlertDispatcher::sinkFailed, this, [this](const QString &sink, const QString &error) {
        setProblem(sink % QStringLiteral(" refused alerts: ") % error);
    });
    connect(m_dispatcher.get(), &AlertDispatcher::retrying, this, [this](const QString &sink, const QString &error) {
        setProblem(sink % QStringLiteral(": ") % error % QStringLiteral("; retrying"));
    });
    connect(m_dispatcher.get(), &AlertDispatcher::delivered, this, [this](const QString &sink) {
        if (m_problem.startsWith(sink))
            setProblem(QString());
    });
}

void AlertCenter::configure(const QString &connection, const QString &bootstrapServers,
                            const KafkaProperties &properties)
{
    if (!m_outbox)
        return;
    ++m_configuration;
    m_connection = connection;
    setProblem(QString());
    m_desktop = nullptr;
    makeDispatcher();

    const DeliverySettings settings = DeliveryDialog::load(connection);
    const bool desktop = settings.desktop;
    const QString alertsTopic = settings.alertsTopic;
    const QStringList shops = settings.slackShops;
    const bool sessionOnly = settings.sessionOnly;
    const bool tray = QSystemTrayIcon::isSystemTrayAvailable();
    if (desktop && !tray && !DesktopNotifier().available()) {
        // Nowhere to show them: not a failure of each alert, a fact about this desktop, said once.
        setProblem(QStringLiteral("no desktop notification service or system tray here: alerts show in the "
                                  "Alerts tab only"));
    } else if (desktop) {
        auto notifier = std::make_unique<DesktopNotifier>();
        if (tray)
            notifier->setFallback([this](const QString &summary, const QString &body, AlertSeverity severity) {
                m_tray->showMessage(summary, body,
                                    severity == AlertSeverity::Critical ? QSystemTrayIcon::Critical
                                                                        : QSystemTrayIcon::Information);
            });
        connect(notifier.get(), &DesktopNotifier::productActivated, this, [this](const QByteArray &shop, qint64 id) {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
            Q_EMIT productActivated({shop, id});
        });
        connect(notifier.get(), &DesktopNotifier::alertsActivated, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
            Q_EMIT alertsActivated();
        });
        m_desktop = notifier.get();
        m_dispatcher->addSink(std::move(notifier));
    }
    if (!alertsTopic.isEmpty()) {
        // Not checked for the topic here: that waits for the cluster, and the UI thread must not.
        auto sink = KafkaAlertSink::create(bootstrapServers, alertsTopic, properties, false);
        if (sink)
            m_dispatcher->addSink(std::move(*sink));
        else
            setProblem(QStringLiteral("alerts topic: ") % sink.error());
    }
    QStringList own;
    for (const QString &shop : shops)
        own << shop;
    if (settings.slackDefault)
        addSlack(connection, {}, own, sessionOnly);
    for (const QString &shop : shops)
        addSlack(connection, shop.toUtf8(), own, sessionOnly);
}

void AlertCenter::addSlack(const QString &connection, const QByteArray &shop, const QStringList &ownShops,
                           bool sessionOnly)
{
    SecretStore &store = sessionOnly ? static_cast<SecretStore &>(*m_session) : *m_keychain;
    const quint64 configuration = m_configuration;
    store.read(slackWebhookKey(connection, shop), [this, configuration, shop,
                                                   ownShops](Result<std::optional<QString>> found) {
        if (configuration != m_configuration || !m_dispatcher)
            return; // configured again since
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
        if (shop.isEmpty())
            m_dispatcher->addSink(std::make_unique<SlackSink>(QStringLiteral("slack"), url),
                                  [ownShops](const Alert &a) { return !ownShops.contains(QString::fromUtf8(a.shop)); });
        else
            m_dispatcher->addSink(std::make_unique<SlackSink>(QStringLiteral("slack:") % QString::fromUtf8(shop), url),
                                  [shop](const Alert &a) { return a.shop == shop; });
    });
}

void AlertCenter::setQuietHours(std::optional<QuietHours> hours)
{
    if (m_dispatcher)
        m_dispatcher->setQuietHours(hours);
}

void AlertCenter::submit(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return;
    m_queue.insert(m_queue.end(), alerts.begin(), alerts.end());
    if (!m_recorder->isActive())
        m_recorder->start();
}

void AlertCenter::recordSome()
{
    const size_t n = std::min(kChunk, m_queue.size());
    std::vector<Alert> chunk(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.begin() + n));
    m_queue.erase(m_queue.begin(), m_queue.begin() + qsizetype(n));
    if (!m_queue.empty())
        m_recorder->start(); // the next chunk on the next turn of the event loop
    if (!m_dispatcher) {     // no outbox (it could not be opened): show them, deliver nothing
        Q_EMIT alertsRecorded(chunk);
        return;
    }
    auto added = m_dispatcher->submit(chunk);
    if (!added) {
        setProblem(added.error());
        Q_EMIT alertsRecorded(chunk);
        return;
    }
    updateTray();
    if (!added->empty())
        Q_EMIT alertsRecorded(*added);
}

void AlertCenter::acknowledge(const std::vector<QByteArray> &ids)
{
    if (!m_outbox || ids.empty())
        return;
    if (Status s = m_outbox->acknowledge(ids, QDateTime::currentMSecsSinceEpoch()); !s)
        setProblem(s.error());
    Q_EMIT deliveriesChanged();
    showActiveCount();
}

void AlertCenter::snooze(const std::vector<ProductRef> &products, qint64 untilMs)
{
    if (!m_outbox)
        return;
    for (const ProductRef &p : products)
        if (Status s = m_outbox->snooze(p.shop, p.productId, untilMs); !s)
            setProblem(s.error());
}

std::vector<AlertOutbox::Entry> AlertCenter::history(int limit)
{
    if (!m_outbox)
        return {};
    auto entries = m_outbox->recent(std::min(limit, kHistoryCapacity));
    if (!entries) {
        setProblem(entries.error());
        return {};
    }
    return std::move(*entries);
}

qint64 AlertCenter::activeCount()
{
    return m_outbox ? m_outbox->activeCount(QDateTime::currentMSecsSinceEpoch()) : 0;
}

void AlertCenter::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged(problem);
}

void AlertCenter::updateTray()
{
    // Counting is a scan of the day's alerts, and alerts come in thousands a second at the peak: at most every
    // 2 s, then.
    if (!m_trayTimer->isActive())
        m_trayTimer->start();
}

void AlertCenter::showActiveCount()
{
    const qint64 active = activeCount();
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
