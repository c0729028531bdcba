// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "connection_profile.h"
#include "live_batch.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QTimer;
class QLabel;
class QTabWidget;
class QToolButton;

namespace peakwatch {
class EmbeddedCluster;
class LiveAnalysis;
} // namespace peakwatch

namespace peakwatch::ui {

class AlertCenter;
class AlertsView;
class DashboardView;
class RejectsDialog;
class SimulatorView;
class StatusFigures;
class TopicsView;

// Peakwatch's main window: a connection selector (the embedded cluster or a saved connection), the
// Dashboard, Topics, Alerts and Simulator tabs, and the status bar's live figures. Its geometry, layout
// and last connection are remembered.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // The README's first command: the embedded cluster, a time-compressed Black Friday fed to it by the
    // simulator, and the dashboard on it.
    Status startDemo(double timeCompression = 60);
    // Connects to the embedded cluster (started on first use) or to a saved connection by name.
    Status connectTo(const QString &connectionName);
    void disconnectFromCluster();

    static QString embeddedName();
    // How long the window waits before it tries a failed connection again, after `failures` failures in a row
    // (1 for the first): 2 s, doubling, at most a minute.
    static int reconnectDelaySeconds(int failures);
    QString bootstrapServers() const { return m_bootstrap; }
    DashboardView &dashboard() { return *m_dashboard; }
    AlertsView &alerts() { return *m_alerts; }
    TopicsView &topics() { return *m_topics; }
    SimulatorView &simulator() { return *m_simulator; }
    StatusFigures &figures() { return *m_figures; }
    QTabWidget &tabs() { return *m_tabs; }
    quint64 batchesReceived() const { return m_batches; }
    LiveAnalysis &analysis() { return *m_analysis; }
    AlertCenter &alertCenter() { return *m_alertCenter; }
    const AlertRules &rules() const { return m_rules; }
    // New alert rules: saved, and applied to the analysis and the delivery at once.
    void setRules(const AlertRules &rules);
    void editRules();
    void editDelivery();
    // Saves a connection in place of `previous` (no name: a new one) and keeps its SASL/SCRAM password, if one was
    // typed; a renamed connection's password goes with it. What New… and Edit… do once their dialog is accepted:
    // the window stays on the connection it reads, and offers to connect to the saved one ("connectOffer").
    void saveConnection(const ConnectionProfile &profile, const QString &password, const QString &awsKeys,
                        const ConnectionProfile &previous);

Q_SIGNALS:
    // A batch of the live analysis is on screen; applying it took `micros` of the UI thread.
    void batchApplied(const peakwatch::LiveBatchPtr &batch, qint64 micros);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildToolBar();
    void reloadConnections(const QString &select);
    void onConnectionChosen(int index);
    void onBatch(const LiveBatchPtr &batch);
    void newConnection();
    void editConnection();
    void removeConnection();
    // A connection's SASL/SCRAM password: from the session-only store, else the system keychain. Kept in the
    // keychain, or for this session only when the keychain fails (the status bar says so).
    // A connection's secret (its SASL/SCRAM password, its AWS keys) by SecretStore key: the session's, else the
    // keychain's. Kept in the keychain, or for the session only where there is none (said in the status bar).
    void readSecret(const QString &key, std::function<void(Result<std::optional<QString>>)> found);
    void keepSecret(const QString &key, const QString &secret, const QString &what);
    void forgetSecret(const QString &key);
    // Connects to an IAM profile with the AWS keys kept for it, else with the AWS credential chain.
    void connectWithAwsKeys(const ConnectionProfile &profile);
    // Reads the connection's secret at `key` (off the UI thread's way), then connects with the properties
    // `withSecret` makes of what was found, or shows the error it returns.
    using SecretApplier = std::function<Result<KafkaProperties>(const Result<std::optional<QString>> &found)>;
    void connectWithSecret(const ConnectionProfile &profile, const QString &key, SecretApplier withSecret);
    // Starts the live analysis and points every view at the cluster.
    void startConnection(const QString &connectionName, const QString &bootstrap, const QString &topic,
                         const KafkaProperties &properties);
    void showRejects();
    void showCountdown();
    // Asks whether to connect to a connection just saved (or, `reconnect`, to the one in use, just changed).
    void offerToConnect(const QString &name, bool reconnect);
    // A status bar message, cut with an ellipsis where it does not fit (its tooltip has it whole).
    void say(const QString &message, int timeoutMs);
    void buildAlerting();
    void restoreLayout();
    void saveLayout();
    Status startEmbeddedCluster();
    void shutDown();

    QComboBox *m_connections = nullptr;
    QToolButton *m_connectButton = nullptr;
    QTabWidget *m_tabs;
    DashboardView *m_dashboard;
    TopicsView *m_topics;
    AlertsView *m_alerts;
    SimulatorView *m_simulator;
    StatusFigures *m_figures;
    AlertCenter *m_alertCenter;
    QLabel *m_deliveryProblem;
    AlertRules m_rules;
    QString m_connection;          // the name of the connection in use, "" when none
    quint64 m_connectAttempt = 0;  // a password read for an older attempt is dropped
    QTimer *m_reconnect = nullptr; // after a failed connection: the next attempt, backing off
    QTimer *m_countdown = nullptr; // the seconds until then, in the status bar
    QString m_lastError;
    int m_reconnects = 0; // failed attempts since the connection last came up
    KafkaProperties m_properties;
    RejectsDialog *m_rejectsDialog = nullptr;
    std::shared_ptr<const RejectSummary> m_rejects;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<LiveAnalysis> m_analysis;
    QList<ConnectionProfile> m_profiles;
    QString m_bootstrap;
    QString m_topic;
    quint64 m_batches = 0;
    bool m_shutDown = false;
};

} // namespace peakwatch::ui
