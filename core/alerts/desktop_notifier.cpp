// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "desktop_notifier.h"

#include "logging.h"

#include <QDBusAbstractInterface>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>
#include <QDateTime>
#include <QLocale>
#include <QStringList>
#include <QVariantMap>

#include <algorithm>

namespace peakwatch {

namespace {

// The names of the Desktop Notifications Specification.
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
constexpr char kInterface[] = "org.freedesktop.Notifications";

constexpr int kNotifyTimeoutMs = 10'000; // a service that does not answer Notify in this time is retried
constexpr int kListedProducts = 5;       // a notification of several products names this many

// The service's signals, relayed as Qt signals (what qdbusxml2cpp would generate for the two of them).
class NotificationsProxy final : public QDBusAbstractInterface {
    Q_OBJECT
public:
    NotificationsProxy(const QDBusConnection &bus, QObject *parent)
        : QDBusAbstractInterface(kService, kPath, kInterface, bus, parent)
    {}

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};

QString productTitle(const Alert &alert)
{
    return alert.title.isEmpty() ? QStringLiteral("product %1").arg(alert.productId) : QString::fromUtf8(alert.title);
}

// "23 min", "1 h 5 min"; never negative.
QString durationText(qint64 ms)
{
    const qint64 minutes = std::max<qint64>((ms + 30 * 1000) / (60 * 1000), 0);
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

// The sell-out as a local clock time ("14:05"), with the day ("Sat 14:05") when not the day of the alert.
QString clockText(qint64 atMs, qint64 alertAtMs)
{
    const QLocale locale;
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(atMs);
    const QString time = locale.toString(at.time(), QLocale::ShortFormat);
    if (at.date() == QDateTime::fromMSecsSinceEpoch(alertAtMs).date())
        return time;
    return locale.toString(at.date(), QStringLiteral("ddd")) % u' ' % time;
}

QString rateText(double perHour)
{
    return QLocale().toString(perHour, 'f', perHour < 10 ? 1 : 0);
}

std::optional<qint64> msToSellout(const Alert &alert)
{
    if (!alert.selloutAtMs)
        return std::nullopt;
    return *alert.selloutAtMs - alert.atMs;
}

// "Sold out: Snowboard Liquid", "Selling out in 23 min: Snowboard Liquid".
QString summaryOf(const Alert &alert)
{
    const QString title = productTitle(alert);
    switch (alert.rule) {
    case AlertRule::SoldOut: return QStringLiteral("Sold out: ") % title;
    case AlertRule::SellingOut:
        if (const auto left = msToSellout(alert))
            return QStringLiteral("Selling out in ") % durationText(*left) % QStringLiteral(": ") % title;
        return QStringLiteral("Selling out: ") % title;
    case AlertRule::LowStock: return QStringLiteral("Low stock: ") % title;
    case AlertRule::Restocked: return QStringLiteral("Restocked: ") % title;
    case AlertRule::Count: break;
    }
    return title;
}

// The shop, the stock and its rate, and when it sells out.
QString bodyOf(const Alert &alert)
{
    QStringList lines{QString::fromUtf8(alert.shop)};
    QString stock = QStringLiteral("Stock %1").arg(alert.quantity);
    if (alert.ratePerHour && *alert.ratePerHour > 0)
        stock += QStringLiteral(", selling %1 per hour").arg(rateText(*alert.ratePerHour));
    lines << stock;
    if (alert.selloutAtMs && alert.quantity > 0 && alert.rule != AlertRule::Restocked)
        lines << QStringLiteral("Sells out around %1").arg(clockText(*alert.selloutAtMs, alert.atMs));
    return lines.join(u'\n');
}

// "sold out", "selling out in 23 min", "low stock, 3 left", "restocked, 40 in stock".
QString stateOf(const Alert &alert)
{
    switch (alert.rule) {
    case AlertRule::SoldOut: return QStringLiteral("sold out");
    case AlertRule::SellingOut:
        if (const auto left = msToSellout(alert))
            return QStringLiteral("selling out in ") % durationText(*left);
        return QStringLiteral("selling out");
    case AlertRule::LowStock: return QStringLiteral("low stock, %1 left").arg(alert.quantity);
    case AlertRule::Restocked: return QStringLiteral("restocked, %1 in stock").arg(alert.quantity);
    case AlertRule::Count: break;
    }
    return alertRuleName(alert.rule);
}

uchar urgencyOf(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Low: return 0;
    case AlertSeverity::Normal: return 1;
    case AlertSeverity::Critical: return 2;
    }
    return 1;
}

QString noServiceText()
{
    return QStringLiteral("no desktop notification service (org.freedesktop.Notifications) on the session bus");
}

QString noBusText()
{
    return QStringLiteral("no D-Bus session bus, so no desktop notification service (org.freedesktop.Notifications)");
}

// Servers that support body markup parse it: a title such as "Tees <XL> & more" must reach them as text.
QString escapedMarkup(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&': out += QStringLiteral("&amp;"); break;
        case u'<': out += QStringLiteral("&lt;"); break;
        case u'>': out += QStringLiteral("&gt;"); break;
        default: out += c;
        }
    }
    return out;
}

} // namespace

DesktopNotifier::DesktopNotifier(QDBusConnection bus, QObject *parent)
    : AlertSink(parent)
    , m_bus(std::move(bus))
{
    if (!m_bus.isConnected()) {
        qCInfo(lcAlerts) << "desktop notifications: no D-Bus session bus";
        return;
    }
    auto *proxy = new NotificationsProxy(m_bus, this);
    connect(proxy, &NotificationsProxy::ActionInvoked, this, &DesktopNotifier::actionInvoked);
    connect(proxy, &NotificationsProxy::NotificationClosed, this, &DesktopNotifier::notificationClosed);
}

bool DesktopNotifier::available() const
{
    const QDBusConnectionInterface *daemon = m_bus.isConnected() ? m_bus.interface() : nullptr;
    if (!daemon)
        return false;
    if (const QDBusReply<bool> registered = daemon->isServiceRegistered(kService); registered.isValid() && registered)
        return true;
    const QDBusReply<QStringList> activatable = daemon->activatableServiceNames();
    return activatable.isValid() && activatable.value().contains(kService);
}

void DesktopNotifier::setFallback(Fallback show)
{
    m_fallback = std::move(show);
}

DesktopNotifier::Notification DesktopNotifier::compose(const std::vector<Alert> &alerts)
{
    Q_ASSERT(!alerts.empty());
    // Each product once, with its latest alert (what holds now), in the order the products first alerted.
    std::vector<const Alert *> latest;
    for (const Alert &alert : alerts) {
        const auto same = std::find_if(latest.begin(), latest.end(), [&](const Alert *seen) {
            return seen->shop == alert.shop && seen->productId == alert.productId;
        });
        if (same == latest.end())
            latest.push_back(&alert);
        else
            *same = &alert;
    }

    Notification n;
    for (const Alert *alert : latest) {
        n.products.push_back({alert->shop, alert->productId});
        n.severity = std::max(n.severity, alertSeverity(alert->rule));
    }
    if (latest.size() == 1) {
        n.summary = summaryOf(*latest.front());
        n.body = bodyOf(*latest.front());
        return n;
    }
    n.summary = QStringLiteral("%1 products need attention").arg(latest.size());
    QStringList lines;
    for (size_t i = 0; i < latest.size() && i < size_t(kListedProducts); ++i) {
        const Alert &alert = *latest[i];
        lines << productTitle(alert) % QStringLiteral(" (") % QString::fromUtf8(alert.shop) % QStringLiteral("): ") %
                     stateOf(alert);
    }
    if (latest.size() > size_t(kListedProducts))
        lines << QStringLiteral("and %1 more").arg(latest.size() - size_t(kListedProducts));
    n.body = lines.join(u'\n');
    return n;
}

void DesktopNotifier::send(const std::vector<Alert> &alerts)
{
    if (alerts.empty()) {
        Q_EMIT finished(SendOutcome::delivered());
        return;
    }
    Notification notification = compose(alerts);
    if (!m_bus.isConnected()) {
        Q_EMIT finished(showWithoutService(notification, noBusText()));
        return;
    }

    const bool grouped = notification.products.size() > 1;
    const QStringList actions{QStringLiteral("default"),
                              grouped ? QStringLiteral("Open alerts") : QStringLiteral("Open product")};
    const QVariantMap hints{
        {QStringLiteral("urgency"), QVariant::fromValue(urgencyOf(notification.severity))}, // a byte, per the spec
        {QStringLiteral("desktop-entry"), QStringLiteral("peakwatch")},
        {QStringLiteral("category"), QStringLiteral("x-peakwatch.alert")},
    };
    QDBusMessage notify =
        QDBusMessage::createMethodCall(kService, kPath, QLatin1String(kInterface), QStringLiteral("Notify"));
    notify << QStringLiteral("Peakwatch") << uint(0) << QStringLiteral("peakwatch") << notification.summary
           << escapedMarkup(notification.body) << actions << hints << qint32(-1);

    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(notify, kNotifyTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, notification = std::move(notification)](QDBusPendingCallWatcher *call) {
                call->deleteLater();
                Q_EMIT finished(replied(call, notification));
            });
}

SendOutcome DesktopNotifier::replied(QDBusPendingCallWatcher *call, const Notification &notification)
{
    const QDBusPendingReply<uint> reply = *call;
    if (!reply.isError()) {
        remember(reply.value(), notification.products);
        return SendOutcome::delivered();
    }
    const QDBusError error = reply.error();
    // The bus daemon answers ServiceUnknown when no one owns the name and no service can be started for it.
    if (error.type() == QDBusError::ServiceUnknown)
        return showWithoutService(notification, noServiceText());
    if (error.type() == QDBusError::Disconnected)
        return showWithoutService(notification, noBusText());
    const QString text = QStringLiteral("the desktop notification service failed: ") % error.name() %
                         QStringLiteral(": ") % error.message();
    qCWarning(lcAlerts).noquote() << text;
    return SendOutcome::retry(text);
}

SendOutcome DesktopNotifier::showWithoutService(const Notification &notification, const QString &why)
{
    if (!m_fallback) {
        qCWarning(lcAlerts).noquote() << why;
        return SendOutcome::failed(why);
    }
    qCInfo(lcAlerts).noquote() << why << "- showing the alert through the fallback";
    m_fallback(notification.summary, notification.body, notification.severity);
    return SendOutcome::delivered();
}

void DesktopNotifier::remember(uint id, std::vector<ProductRef> products)
{
    if (m_shown.size() >= kMaxShown && !m_shown.contains(id)) {
        // Notifications the service never reported closed (it need not, for ones it dropped) are let go.
        const auto oldest = std::min_element(m_shown.begin(), m_shown.end(),
                                             [](const Shown &a, const Shown &b) { return a.sequence < b.sequence; });
        m_shown.erase(oldest);
    }
    m_shown.insert(id, Shown{std::move(products), ++m_sequence});
}

void DesktopNotifier::actionInvoked(uint id, const QString &actionKey)
{
    const auto it = m_shown.constFind(id);
    if (it == m_shown.cend())
        return; // another application's notification, or one forgotten
    qCDebug(lcAlerts) << "notification" << id << "action" << actionKey;
    // Peakwatch's notifications have one action, "default": opening what they are about.
    if (it->products.size() == 1)
        Q_EMIT productActivated(it->products.front().shop, it->products.front().productId);
    else
        Q_EMIT alertsActivated();
}

void DesktopNotifier::notificationClosed(uint id, uint reason)
{
    if (m_shown.remove(id))
        qCDebug(lcAlerts) << "notification" << id << "closed, reason" << reason;
}

} // namespace peakwatch

#include "desktop_notifier.moc"
