#pragma once

#include "alert_outbox.h"
#include "kafka_config.h"
#include "live_batch.h"

#include <QObject>

#include <deque>

#include <memory>
#include <optional>

class QSystemTrayIcon;
class QTimer;
class QWidget;

namespace peakwatch {
class AlertDispatcher;
class DesktopNotifier;
class MemorySecretStore;
class SecretStore;
} // namespace peakwatch

namespace peakwatch::ui {

// Where the desktop's alerts go: the outbox (alerts.sqlite in the user's data folder), the dispatcher and
// its sinks for the current connection — desktop notifications (the tray balloon where no notification
// service runs), the Slack webhooks kept in the keychain, the alerts topic — and the tray icon, which shows
// how many alerts are active. Lives in the UI thread; every call returns at once.
class AlertCenter final : public QObject {
    Q_OBJECT
public:
    explicit AlertCenter(QWidget *window);
    ~AlertCenter() override;

    // Opens the outbox; alerts left pending by an earlier run go out once sinks are configured.
    Status open(const QString &outboxPath);
    bool isOpen() const { return m_outbox != nullptr; }
    // The sinks for a connection, from its delivery settings and the secret store. Replaces the previous ones.
    void configure(const QString &connection, const QString &bootstrapServers, const KafkaProperties &properties);
    void setQuietHours(std::optional<QuietHours> hours);

    // Records the alerts and sends them on; alertsRecorded() then names those not seen before (a stream
    // read again after a restart fires the same alerts: they are not shown or sent twice). Recording costs
    // about 20 µs an alert, so a burst is recorded kChunk alerts an event-loop turn, never holding the UI
    // thread for long (10,000 alerts at once would hold it for a third of a second).
    void submit(const std::vector<Alert> &alerts);
    static constexpr size_t kChunk = 50;
    bool recording() const { return !m_queue.empty(); }
    void acknowledge(const std::vector<QByteArray> &ids);
    void snooze(const std::vector<ProductRef> &products, qint64 untilMs);
    std::vector<AlertOutbox::Entry> history(int limit);
    qint64 activeCount();

    SecretStore &secrets() { return *m_keychain; }
    MemorySecretStore &sessionSecrets() { return *m_session; }
    AlertDispatcher *dispatcher() { return m_dispatcher.get(); }
    DesktopNotifier *desktop() { return m_desktop; }
    QSystemTrayIcon &tray() { return *m_tray; }
    // What the delivery is doing, in a sentence for the status bar ("" when all is well).
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void alertsRecorded(const std::vector<peakwatch::Alert> &fresh); // oldest first
    void productActivated(const peakwatch::ProductRef &product);
    void alertsActivated();
    void problemChanged(const QString &problem);
    void deliveriesChanged(); // some delivery or acknowledgement changed: refresh the history's states
    void activeCountChanged(qint64 active);

private:
    void addSlack(const QString &connection, const QByteArray &shop, const QStringList &ownShops, bool sessionOnly);
    void setProblem(const QString &problem);
    void updateTray(); // soon, at most every 2 s
    void showActiveCount();
    void recordSome();
    void makeDispatcher();

    QWidget *m_window;
    std::unique_ptr<AlertOutbox> m_outbox;
    std::unique_ptr<AlertDispatcher> m_dispatcher;
    std::unique_ptr<SecretStore> m_keychain;
    std::unique_ptr<MemorySecretStore> m_session;
    DesktopNotifier *m_desktop = nullptr; // owned by the dispatcher
    QSystemTrayIcon *m_tray;
    QString m_connection;
    QString m_problem;
    quint64 m_configuration = 0; // secrets read for an older configuration are dropped
    qint64 m_shownActive = -1;
    std::deque<Alert> m_queue; // fired, not yet recorded
    QTimer *m_recorder;
    QTimer *m_trayTimer;
};

} // namespace peakwatch::ui
