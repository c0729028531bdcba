// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_outbox.h"
#include "kafka_config.h"
#include "live_batch.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QSystemTrayIcon;
class QThread;
class QWidget;

namespace peakwatch {
class MemorySecretStore;
class SecretStore;
} // namespace peakwatch

namespace peakwatch::ui {
class AlertWorker;
struct DeliverySettings;

// Where the desktop's alerts go: the outbox (alerts.sqlite in the user's data folder), the dispatcher and
// its sinks for the current connection — desktop notifications (the tray balloon where no notification
// service runs), the Slack webhooks or bot, e-mail, Jira and a signed webhook kept in the keychain, the alerts topic —
// and the tray icon, which shows how many alerts are active. The outbox, the dispatcher and the sinks run in a thread
// of their own (AlertWorker): at the peak, recording thousands of alerts a second must not hold the window. Every call
// here returns at once; what it leads to comes back as a signal or a callback, in order.
class AlertCenter final : public QObject {
    Q_OBJECT
public:
    explicit AlertCenter(QWidget *window);
    ~AlertCenter() override;

    // Opens the outbox (waits for it: a few milliseconds, once); alerts left pending by an earlier run go out
    // once sinks are configured.
    Status open(const QString &outboxPath);
    bool isOpen() const { return m_open; }
    // The sinks for a connection, from its delivery settings and the secret store. Replaces the previous ones.
    void configure(const QString &connection, const QString &bootstrapServers, const KafkaProperties &properties);
    void setQuietHours(std::optional<QuietHours> hours);

    // Records the alerts and sends them on; alertsRecorded() then names those not seen before (a stream
    // read again after a restart fires the same alerts: they are not shown or sent twice).
    void submit(const std::vector<Alert> &alerts);
    bool recording() const { return m_recording > 0; }
    qint64 backlog() const { return m_recording; }                     // submitted, not yet recorded
    void acknowledge(const std::vector<QByteArray> &ids, qint64 atMs); // atMs: the stream's time
    void snooze(const std::vector<ProductRef> &products, qint64 untilMs);
    // The newest `limit` alerts (at most 10,000) with what became of them, handed to `done` in this thread
    // unless `context` is gone by then.
    using HistoryReader = std::function<void(const std::vector<AlertOutbox::Entry> &)>;
    void readHistory(int limit, QObject *context, HistoryReader done);
    // Alerts neither acknowledged nor older than a day, as last counted (at most 2 s after a change).
    qint64 activeCount() const { return m_active; }

    SecretStore &secrets() { return *m_keychain; }
    MemorySecretStore &sessionSecrets() { return *m_session; }
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
    void addSlackBot(const QString &connection, const QString &channel, const QStringList &ownShops, bool sessionOnly);
    // Reads `keys` in turn from the connection's store; once all are there, `use` checks them and adds the sink (in
    // the worker's thread). A missing secret adds nothing; an error becomes the problem of `which`.
    using SecretsUser = std::function<Status(const QStringList &secrets)>;
    void addWithSecrets(const QStringList &keys, const QString &which, bool sessionOnly, SecretsUser use);
    void readSecrets(SecretStore &store, QStringList keys, QStringList found, const QString &which,
                     const SecretsUser &use);
    void addEmail(const QString &connection, const DeliverySettings &settings);
    void addJira(const QString &connection, const DeliverySettings &settings);
    void addWebhook(const QString &connection, const DeliverySettings &settings);
    // A secret read for the current configuration began or ended; once none is left, the alerts held meanwhile go
    // to the worker, after the sinks the reads added.
    void secretReadStarted() { ++m_secretReads; }
    void secretReadEnded();
    void releaseHeld();
    void setProblem(const QString &problem);
    void showActiveCount(qint64 active);
    void bringWindowUp();
    template <typename Work> void onWorker(Work &&work);

    QWidget *m_window;
    QThread *m_thread;
    AlertWorker *m_worker; // lives in m_thread
    std::unique_ptr<SecretStore> m_keychain;
    std::unique_ptr<MemorySecretStore> m_session;
    QSystemTrayIcon *m_tray;
    bool m_open = false;
    QString m_connection;
    QString m_problem;
    quint64 m_configuration = 0; // secrets read for an older configuration are dropped
    qint64 m_active = 0;
    qint64 m_shownActive = -1;
    qint64 m_recording = 0; // submitted, not yet recorded
    // Secret reads of the current configuration not answered yet; while there are any, alerts are held here, so
    // that none is recorded before its Slack sink exists (it would never go to Slack).
    int m_secretReads = 0;
    std::vector<Alert> m_held;
    quint64 m_historyRequests = 0;
    std::map<quint64, std::pair<QPointer<QObject>, HistoryReader>> m_historyReaders;
};

} // namespace peakwatch::ui
