// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "live_batch.h"

#include <QByteArray>
#include <QDBusConnection>
#include <QHash>
#include <QString>

#include <functional>
#include <vector>

class QDBusPendingCallWatcher;

namespace peakwatch {

// Alerts as desktop notifications, through the freedesktop Desktop Notifications Specification: a Notify call to
// org.freedesktop.Notifications on the session bus. One alert becomes one notification naming the rule and the
// product ("Sold out: Snowboard Liquid"); several become one notification that sums them up ("7 products need
// attention"). Clicking a notification emits productActivated() (one product) or alertsActivated() (several).
//
// Where no notification service runs (a bare window manager, a headless machine), send() shows the alert through
// the fallback when one is set (the GUI passes its system tray balloon) and fails otherwise. Every call to the
// notification service is asynchronous: send() never waits for it.
class DesktopNotifier final : public AlertSink {
    Q_OBJECT
public:
    using Fallback = std::function<void(const QString &summary, const QString &body, AlertSeverity severity)>;

    explicit DesktopNotifier(QDBusConnection bus = QDBusConnection::sessionBus(), QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

    QString name() const override { return QStringLiteral("desktop"); }
    int maxGroup() const override { return 20; }
    // A burst becomes one notification, not a stream of them: at most one every 3 s.
    qint64 minIntervalMs() const override { return 3000; }
    bool quietHoursApply() const override { return true; }
    void send(const std::vector<Alert> &alerts) override;

    // Whether org.freedesktop.Notifications is registered on the bus or can be started by it. Asks the bus
    // daemon (a blocking call to it, never to the notification service): for a settings page, not for every
    // alert. send() does not call it: the Notify call itself tells it that no service runs.
    bool available() const;

    // Where alerts go when no notification service runs. An empty function removes the fallback.
    void setFallback(Fallback show);

    // What one notification shows. The body is plain text (escaped when sent, since servers may parse markup).
    struct Notification {
        QString summary;
        QString body;
        AlertSeverity severity = AlertSeverity::Low; // the highest among the products' latest alerts
        std::vector<ProductRef> products;            // the products it is about, one or several
    };
    // The notification for a group of alerts, oldest first (not empty). Several alerts of one product make a
    // notification of its latest alert. Pure: no bus involved.
    static Notification compose(const std::vector<Alert> &alerts);

Q_SIGNALS:
    // The person clicked a notification of one product's alert.
    void productActivated(const QByteArray &shop, qint64 productId);
    // The person clicked a notification that sums up several products' alerts.
    void alertsActivated();

private:
    SendOutcome replied(QDBusPendingCallWatcher *call, const Notification &notification);
    SendOutcome showWithoutService(const Notification &notification, const QString &why);
    void remember(uint id, std::vector<ProductRef> products);
    void actionInvoked(uint id, const QString &actionKey);
    void notificationClosed(uint id, uint reason);

    // The notifications shown and not yet closed, by the id the service gave them; at most kMaxShown.
    struct Shown {
        std::vector<ProductRef> products;
        quint64 sequence = 0; // the oldest is forgotten first
    };
    static constexpr qsizetype kMaxShown = 64;

    QDBusConnection m_bus;
    Fallback m_fallback;
    QHash<uint, Shown> m_shown;
    quint64 m_sequence = 0;
};

} // namespace peakwatch
