// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "main_window.h"

#include "alert_center.h"
#include "alerts_model.h"
#include "alerts_view.h"
#include "delivery_dialog.h"
#include "rules_dialog.h"
#include "dashboard_view.h"
#include "ui_format.h"
#include "embedded_cluster.h"
#include "live_analysis.h"
#include "msk_iam_auth.h"
#include "profile_dialog.h"
#include "redaction.h"
#include "rejects_dialog.h"
#include "secret_store.h"
#include "simulator_view.h"
#include "status_figures.h"
#include "topics_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QFontMetrics>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QPointer>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStringBuilder>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

// The icons, from the static peakwatch_ui library (Q_INIT_RESOURCE must be called outside a namespace).
static void initResources()
{
    Q_INIT_RESOURCE(peakwatch);
}

namespace peakwatch::ui {
namespace {

constexpr char kProductsTopic[] = "products";
constexpr int kEmbeddedPartitions = 6;

} // namespace

QString MainWindow::embeddedName()
{
    return QStringLiteral("Embedded cluster (demo)");
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_dashboard(new DashboardView(this))
    , m_topics(new TopicsView(this))
    , m_alerts(new AlertsView(this))
    , m_simulator(new SimulatorView(this))
    , m_figures(new StatusFigures(this))
    , m_alertCenter(new AlertCenter(this))
    , m_deliveryProblem(new QLabel(this))
    , m_analysis(std::make_unique<LiveAnalysis>())
{
    initResources();
    setWindowTitle(QString()); // the application's display name alone
    setWindowIcon(QIcon(QStringLiteral(":/peakwatch/icons/peakwatch.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_dashboard, QStringLiteral("&Dashboard"));
    m_tabs->addTab(m_topics, QStringLiteral("&Topics"));
    m_tabs->addTab(m_alerts, QStringLiteral("&Alerts"));
    m_tabs->addTab(m_simulator, QStringLiteral("&Simulator"));
    m_tabs->setTabToolTip(0, QStringLiteral("Every product's stock and predicted sell-out, live (Ctrl+1)"));
    m_tabs->setTabToolTip(1, QStringLiteral("Browse the cluster's topics and messages (Ctrl+2)"));
    m_tabs->setTabToolTip(2, QStringLiteral("The alerts fired, newest first (Ctrl+3)"));
    m_tabs->setTabToolTip(3, QStringLiteral("Load-test the pipeline with simulated webhooks (Ctrl+4)"));
    setCentralWidget(m_tabs);
    for (int i = 0; i < 4; ++i) {
        auto *action = new QAction(this);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(action);
    }
    auto *quit = new QAction(this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    addAction(quit);

    statusBar()->addWidget(m_figures, 1);
    statusBar()->addPermanentWidget(m_deliveryProblem);
    statusBar()->setSizeGripEnabled(true);
    buildToolBar();
    buildAlerting();

    connect(m_analysis.get(), &LiveAnalysis::batchReady, this, &MainWindow::onBatch);
    connect(m_analysis.get(), &LiveAnalysis::dataLost, this,
            [this](const QString &description) { say(description, 15000); });
    // A connection that fails (the VPN dropped, a broker restarting) is tried again, 2 s after the first
    // failure, doubling to a minute; Disconnect stops it.
    m_reconnect = new QTimer(this);
    m_reconnect->setSingleShot(true);
    m_reconnect->setTimerType(Qt::PreciseTimer);
    // The wait before the next attempt counts down in the status bar, a second at a time.
    m_countdown = new QTimer(this);
    m_countdown->setObjectName(QStringLiteral("reconnectCountdown"));
    m_countdown->setInterval(250); // looked at four times a second, so that each second shows on time
    connect(m_countdown, &QTimer::timeout, this, &MainWindow::showCountdown);
    connect(m_reconnect, &QTimer::timeout, this, [this] {
        m_countdown->stop();
        if (Status s = connectTo(m_connection); !s)
            m_figures->setState(StatusFigures::State::Failed, s.error());
    });
    connect(m_analysis.get(), &LiveAnalysis::connected, this, [this] {
        m_reconnects = 0;
        m_figures->setState(StatusFigures::State::Live, QStringLiteral("%1 at %2").arg(m_topic, m_bootstrap));
    });
    connect(m_analysis.get(), &LiveAnalysis::finished, this, [this](const QString &error) {
        m_figures->setState(error.isEmpty() ? StatusFigures::State::Disconnected : StatusFigures::State::Failed, error);
        if (!m_analysis->isRunning())
            m_connectButton->setText(QStringLiteral("Connect"));
        if (!error.isEmpty() && !m_connection.isEmpty()) {
            const int seconds = reconnectDelaySeconds(++m_reconnects);
            m_lastError = error;
            m_connectButton->setText(QStringLiteral("Stop retrying"));
            m_reconnect->start(seconds * 1000);
            m_countdown->start();
            showCountdown();
        }
        if (!error.isEmpty())
            say(QStringLiteral("Cannot read %1 at %2: %3").arg(m_topic, m_bootstrap, error), 30000);
    });
    connect(m_dashboard, &DashboardView::selectionChanged, this,
            [this](const std::vector<ProductRef> &products) { m_analysis->setWatched(products); });
    connect(m_alerts, &AlertsView::productActivated, this, [this](const ProductRef &product) {
        m_tabs->setCurrentWidget(m_dashboard);
        m_dashboard->showProduct(product);
    });
    connect(m_alertCenter, &AlertCenter::productActivated, this, [this](const ProductRef &product) {
        m_tabs->setCurrentWidget(m_dashboard);
        m_dashboard->showProduct(product);
    });
    connect(m_figures, &StatusFigures::rejectsRequested, this, &MainWindow::showRejects);

    resize(1280, 820);
    restoreLayout();
}

MainWindow::~MainWindow()
{
    shutDown();
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(QStringLiteral("Connection"));
    bar->setObjectName(QStringLiteral("ConnectionToolBar"));
    bar->setMovable(false);
    auto *label = new QLabel(QStringLiteral(" &Connection: "), bar);
    m_connections = new QComboBox(bar);
    m_connections->setObjectName(QStringLiteral("connectionSelector"));
    m_connections->setMinimumContentsLength(28);
    m_connections->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_connections->setToolTip(QStringLiteral("The cluster to watch: the embedded demo cluster on this machine, or a "
                                             "saved connection"));
    label->setBuddy(m_connections);
    bar->addWidget(label);
    bar->addWidget(m_connections);
    m_connectButton = new QToolButton(bar);
    m_connectButton->setText(QStringLiteral("Connect"));
    m_connectButton->setToolTip(QStringLiteral("Connect to the chosen cluster, or disconnect"));
    connect(m_connectButton, &QToolButton::clicked, this, [this] {
        m_reconnects = 0;
        if (m_analysis->isRunning() || m_reconnect->isActive())
            disconnectFromCluster();
        else
            onConnectionChosen(m_connections->currentIndex());
    });
    bar->addWidget(m_connectButton);
    bar->addSeparator();
    QAction *add = bar->addAction(QStringLiteral("New…"), this, &MainWindow::newConnection);
    add->setToolTip(QStringLiteral("Save a new connection: bootstrap servers, topic and Kafka properties"));
    QAction *edit = bar->addAction(QStringLiteral("Edit…"), this, &MainWindow::editConnection);
    edit->setToolTip(QStringLiteral("Edit the chosen saved connection"));
    QAction *remove = bar->addAction(QStringLiteral("Remove"), this, &MainWindow::removeConnection);
    remove->setToolTip(QStringLiteral("Forget the chosen saved connection"));
    reloadConnections(QString());
    connect(m_connections, &QComboBox::activated, this, &MainWindow::onConnectionChosen);
}

void MainWindow::buildAlerting()
{
    QToolBar *bar = addToolBar(QStringLiteral("Alerts"));
    bar->setObjectName(QStringLiteral("AlertsToolBar"));
    bar->setMovable(false);
    QAction *rules = bar->addAction(QStringLiteral("Alert rules…"), this, &MainWindow::editRules);
    rules->setToolTip(QStringLiteral("When alerts fire: thresholds, sell-out horizon, cooldown, quiet hours and "
                                     "per-product overrides"));
    QAction *delivery = bar->addAction(QStringLiteral("Alert delivery…"), this, &MainWindow::editDelivery);
    delivery->setToolTip(QStringLiteral("Where this connection's alerts go: desktop notifications, Slack, an alerts "
                                        "topic"));

    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (Status s = m_alertCenter->open(QDir(folder).filePath(QStringLiteral("alerts.sqlite"))); !s)
        say(QStringLiteral("Alerts will not be delivered: ") % s.error(), 60000);
    if (QFile file(QDir(folder).filePath(QStringLiteral("rules.json"))); file.exists()) {
        auto loaded = AlertRules::load(file.fileName());
        if (loaded)
            m_rules = *loaded;
        else
            say(QStringLiteral("Alert rules not read, defaults apply: ") % loaded.error(), 60000);
    }
    m_alertCenter->setQuietHours(m_rules.quietHours());
    m_dashboard->setAlertHorizon(m_rules.defaults().horizonMs);
    // Read in the alert thread; it arrives before any alert recorded later, since the thread works in order.
    m_alertCenter->readHistory(10000, m_alerts, [this](const std::vector<AlertOutbox::Entry> &entries) {
        m_alerts->model().setHistory(entries);
    });

    m_deliveryProblem->setStyleSheet(QStringLiteral("color: #cf222e"));
    m_deliveryProblem->setToolTip(QStringLiteral("Alert delivery: what is not going well. Alert delivery… to change "
                                                 "where alerts go"));
    connect(m_alertCenter, &AlertCenter::problemChanged, m_deliveryProblem, [this](const QString &problem) {
        // Cut to a third of a wide window with an ellipsis; the tooltip has it whole.
        const QString text = problem.isEmpty() ? QString() : QStringLiteral("Alerts: ") % problem;
        const QFontMetrics metrics = m_deliveryProblem->fontMetrics();
        m_deliveryProblem->setText(metrics.elidedText(text, Qt::ElideRight, 60 * metrics.averageCharWidth()));
        m_deliveryProblem->setToolTip(problem.isEmpty() ? QString()
                                                        : text % QStringLiteral("\n\nAlert delivery… to change where "
                                                                                "alerts go"));
    });
    connect(m_alertCenter, &AlertCenter::alertsActivated, this, [this] { m_tabs->setCurrentWidget(m_alerts); });
    connect(m_alertCenter, &AlertCenter::alertsRecorded, m_alerts, &AlertsView::addAlerts);
    connect(m_alerts, &AlertsView::acknowledgeRequested, m_alertCenter, &AlertCenter::acknowledge);
    connect(
        m_alerts, &AlertsView::snoozeRequested, this, [this](const std::vector<ProductRef> &products, qint64 untilMs) {
            m_alertCenter->snooze(products, untilMs);
            say(QStringLiteral("%1 snoozed until %2 (stream time): no desktop or Slack alerts for %3 till then")
                    .arg(products.size() == 1 ? QStringLiteral("1 product")
                                              : QStringLiteral("%1 products").arg(products.size()),
                         clockWithZone(untilMs), products.size() == 1 ? QStringLiteral("it") : QStringLiteral("them")),
                10000);
        });
    // Deliveries and acknowledgements change the history's states: refreshed at most once a second.
    auto *refresh = new QTimer(this);
    refresh->setObjectName(QStringLiteral("alertHistoryRefresh"));
    refresh->setSingleShot(true);
    refresh->setInterval(1000);
    connect(refresh, &QTimer::timeout, this, [this] {
        m_alertCenter->readHistory(500, m_alerts, [this](const std::vector<AlertOutbox::Entry> &entries) {
            m_alerts->model().updateStates(entries);
        });
    });
    connect(m_alertCenter, &AlertCenter::deliveriesChanged, refresh, [refresh] {
        if (!refresh->isActive())
            refresh->start();
    });
    // New alerts show "recording…" until their deliveries are read back, with or without a destination.
    connect(m_alertCenter, &AlertCenter::alertsRecorded, refresh, [refresh] {
        if (!refresh->isActive())
            refresh->start();
    });
}

void MainWindow::setRules(const AlertRules &rules)
{
    m_rules = rules;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    QSaveFile file(QDir(folder).filePath(QStringLiteral("rules.json")));
    if (!file.open(QIODevice::WriteOnly) || file.write(rules.toJson()) < 0 || !file.commit())
        say(QStringLiteral("Alert rules not saved: ") % file.errorString(), 30000);
    m_analysis->setRules(rules);
    m_alertCenter->setQuietHours(rules.quietHours());
    m_dashboard->setAlertHorizon(rules.defaults().horizonMs);
}

void MainWindow::editRules()
{
    RulesDialog dialog(m_rules, this);
    if (dialog.exec() == QDialog::Accepted)
        setRules(dialog.rules());
}

void MainWindow::editDelivery()
{
    const QString connection = m_connection.isEmpty() ? m_connections->currentText() : m_connection;
    DeliveryDialog dialog(connection, m_alertCenter->secrets(), this);
    dialog.setSessionStore(&m_alertCenter->sessionSecrets());
    if (connection == m_connection && m_analysis->isRunning())
        dialog.setKafkaConnection(m_bootstrap, m_properties); // the alerts topic's test alert goes there
    if (dialog.exec() != QDialog::Accepted || connection != m_connection)
        return;
    m_alertCenter->configure(m_connection, m_bootstrap, m_properties);
    m_alertCenter->setQuietHours(m_rules.quietHours());
}

void MainWindow::reloadConnections(const QString &select)
{
    ProfileSettings settings; // shared with peakwatch-cli
    m_profiles = ConnectionProfile::loadAll(settings);
    const QSignalBlocker block(m_connections);
    m_connections->clear();
    m_connections->addItem(embeddedName());
    for (const ConnectionProfile &p : m_profiles)
        m_connections->addItem(p.name);
    const int index = m_connections->findText(select);
    m_connections->setCurrentIndex(index < 0 ? 0 : index);
}

void MainWindow::onConnectionChosen(int index)
{
    if (index < 0)
        return;
    if (Status s = connectTo(m_connections->itemText(index)); !s)
        QMessageBox::warning(this, QStringLiteral("Cannot connect"), s.error());
}

Status MainWindow::startEmbeddedCluster()
{
    if (m_cluster)
        return {};
    auto cluster = EmbeddedCluster::start(1, {{QString::fromLatin1(kProductsTopic), kEmbeddedPartitions}});
    if (!cluster)
        return Error{cluster.error()};
    m_cluster = std::move(*cluster);
    return {};
}

Status MainWindow::connectTo(const QString &connectionName)
{
    if (connectionName == embeddedName()) {
        if (Status s = startEmbeddedCluster(); !s)
            return s;
        startConnection(connectionName, m_cluster->bootstrapServers(), QString::fromLatin1(kProductsTopic), {});
        return {};
    }
    const auto it = std::find_if(m_profiles.cbegin(), m_profiles.cend(),
                                 [&](const ConnectionProfile &p) { return p.name == connectionName; });
    if (it == m_profiles.cend())
        return Error{QStringLiteral("there is no saved connection named \"%1\"").arg(connectionName)};
    // The desktop reads every partition without joining the profile's consumer group (that is for
    // peakwatch-cli analyze): a window must not take partitions away from the group's members.
    const ConnectionProfile profile = *it;
    if (profile.security == ConnectionProfile::Security::Iam) {
        connectWithAwsKeys(profile);
        return {};
    }
    if (!profile.needsPassword()) {
        startConnection(profile.name, profile.bootstrapServers, profile.topic, profile.kafkaProperties());
        return {};
    }
    connectWithSecret(
        profile, kafkaPasswordKey(profile.name),
        [profile](const Result<std::optional<QString>> &found) -> Result<KafkaProperties> {
            if (!found)
                return Error{
                    QStringLiteral("the password of \"%1\" could not be read: %2").arg(profile.name, found.error())};
            if (!found->has_value())
                return Error{QStringLiteral("no password is kept for \"%1\": edit the connection and "
                                            "enter it")
                                 .arg(profile.name)};
            KafkaProperties properties = profile.kafkaProperties();
            properties.append({"sasl.password", (*found)->toUtf8()});
            return properties;
        });
    return {};
}

void MainWindow::connectWithAwsKeys(const ConnectionProfile &profile)
{
    connectWithSecret(
        profile, awsKeysKey(profile.name),
        [profile](const Result<std::optional<QString>> &found) -> Result<KafkaProperties> {
            KafkaProperties properties = profile.kafkaProperties();
            // No keys kept (or no keychain to keep them): the AWS chain signs, as peakwatch-cli's does.
            if (!found || !found->has_value())
                return properties;
            const auto keys = awsKeysOfSecret(**found);
            if (!keys)
                return Error{QStringLiteral("the AWS keys kept for \"%1\" are not readable: edit the connection and "
                                            "enter them again")
                                 .arg(profile.name)};
            registerSecret(keys->second);
            AwsCredentials credentials;
            credentials.accessKeyId = keys->first;
            credentials.secretAccessKey = keys->second;
            credentials.source = QStringLiteral("the keys of \"%1\" in the system keychain").arg(profile.name);
            useMskIamKeys(properties, registerMskIamKeys(credentials));
            return properties;
        });
}

void MainWindow::connectWithSecret(const ConnectionProfile &profile, const QString &key, SecretApplier withSecret)
{
    disconnectFromCluster();
    m_figures->setState(StatusFigures::State::Connecting, profile.bootstrapServers);
    const quint64 attempt = ++m_connectAttempt;
    QPointer<MainWindow> self(this);
    readSecret(key, [self, attempt, profile, withSecret](Result<std::optional<QString>> found) {
        if (!self || attempt != self->m_connectAttempt)
            return; // disconnected, or connecting elsewhere, meanwhile
        const Result<KafkaProperties> properties = withSecret(found);
        if (!properties) {
            self->m_figures->setState(StatusFigures::State::Failed, properties.error());
            self->say(QStringLiteral("Cannot connect: ") % properties.error(), 30000);
            return;
        }
        self->startConnection(profile.name, profile.bootstrapServers, profile.topic, *properties);
    });
}

void MainWindow::startConnection(const QString &connectionName, const QString &bootstrap, const QString &topic,
                                 const KafkaProperties &properties)
{
    disconnectFromCluster();
    m_figures->setState(StatusFigures::State::Connecting, bootstrap);
    LiveAnalysis::Options options;
    options.consumer.bootstrapServers = bootstrap;
    options.consumer.topic = topic;
    options.consumer.start = ConsumerOptions::Start::Beginning;
    options.consumer.properties = properties;
    options.rules = m_rules;
    if (connectionName == embeddedName())
        options.maxAheadMs = 0; // fed only by the simulator, whose day may be ahead of today's
    m_analysis->start(options); // connects off the UI thread: connected() or finished() follows
    m_bootstrap = bootstrap;
    m_topic = topic;
    m_connection = connectionName;
    m_properties = properties;
    m_alertCenter->configure(connectionName, bootstrap, properties);
    m_alertCenter->setQuietHours(m_rules.quietHours());
    m_topics->setConnection(bootstrap, properties);
    m_simulator->setConnection(bootstrap, properties, topic);
    m_connectButton->setText(QStringLiteral("Disconnect"));
    {
        const QSignalBlocker block(m_connections);
        m_connections->setCurrentIndex(std::max(0, m_connections->findText(connectionName)));
    }
    setWindowTitle(connectionName); // Qt adds " — Peakwatch", the application's display name
    QSettings().setValue(QStringLiteral("window/last_connection"), connectionName);
}

void MainWindow::disconnectFromCluster()
{
    ++m_connectAttempt; // a password still being read connects nowhere
    m_reconnect->stop();
    m_countdown->stop();
    m_analysis->stop();
    m_dashboard->clear();
    m_rejects.reset(); // the alert history stays: it is the outbox's, across connections and runs
    m_figures->setStats({});
    m_figures->setState(StatusFigures::State::Disconnected, QString());
    m_connectButton->setText(QStringLiteral("Connect"));
    setWindowTitle(QString());
}

Status MainWindow::startDemo(double timeCompression)
{
    if (Status s = connectTo(embeddedName()); !s)
        return s;
    SimulationRequest request;
    request.scenario = QStringLiteral("black-friday");
    request.skipMs = 110 * 60 * 1000; // from 23:50: the midnight surge shows within seconds
    request.shopifyTopics = true;     // orders, inventory levels at three locations, coalesced products/update
    request.timeCompression = timeCompression;
    request.target = SimulationRequest::Target::Kafka;
    request.bootstrapServers = m_bootstrap;
    request.topic = m_topic;
    if (Status s = m_simulator->controller().start(request); !s)
        return s;
    m_tabs->setCurrentWidget(m_dashboard);
    say(QStringLiteral("Demo: a simulated Black Friday from ten minutes before its midnight surge, %1 simulated "
                       "minutes a real minute, fed to the embedded cluster (its clock: Stream time, in the status bar)")
            .arg(timeCompression),
        20000);
    return {};
}

void MainWindow::onBatch(const LiveBatchPtr &batch)
{
    QElapsedTimer timer;
    timer.start();
    ++m_batches;
    m_dashboard->applyBatch(*batch);
    m_alerts->setStreamTime(batch->stats.watermarkMs);
    m_alertCenter->submit(batch->alerts); // alertsRecorded() brings those not seen before to the Alerts tab
    m_figures->setStats(batch->stats);
    if (batch->rejects) {
        m_rejects = batch->rejects;
        if (m_rejectsDialog && m_rejectsDialog->isVisible())
            m_rejectsDialog->setSummary(m_rejects);
    }
    Q_EMIT batchApplied(batch, timer.nsecsElapsed() / 1000);
}

int MainWindow::reconnectDelaySeconds(int failures)
{
    return std::min(60, 2 << std::clamp(failures - 1, 0, 5));
}

void MainWindow::showCountdown()
{
    if (!m_reconnect->isActive()) {
        m_countdown->stop();
        return;
    }
    const int seconds = std::clamp((m_reconnect->remainingTime() + 999) / 1000, 1, m_reconnect->interval() / 1000);
    // The countdown first: a long error is cut at its end, and the countdown must stay on screen.
    m_figures->setState(StatusFigures::State::Failed,
                        QStringLiteral("trying again in %1 s — ").arg(seconds) % m_lastError);
}

void MainWindow::say(const QString &message, int timeoutMs)
{
    // Cut to the status bar's width with an ellipsis; the status bar's tooltip has it whole while it shows.
    const QFontMetrics metrics = statusBar()->fontMetrics();
    const int width = std::max(200, statusBar()->width() - m_deliveryProblem->width() - 40);
    statusBar()->showMessage(metrics.elidedText(message, Qt::ElideRight, width), timeoutMs);
    statusBar()->setToolTip(message);
    QTimer::singleShot(timeoutMs, statusBar(), [bar = statusBar(), message] {
        if (bar->toolTip() == message)
            bar->setToolTip(QString());
    });
}

void MainWindow::showRejects()
{
    if (!m_rejectsDialog)
        m_rejectsDialog = new RejectsDialog(this);
    m_rejectsDialog->setSummary(m_rejects);
    m_rejectsDialog->show();
    m_rejectsDialog->raise();
}

void MainWindow::newConnection()
{
    ProfileDialog dialog(ConnectionProfile{}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile profile = dialog.profile();
    if (profile.name == embeddedName() ||
        std::any_of(m_profiles.cbegin(), m_profiles.cend(),
                    [&](const ConnectionProfile &p) { return p.name == profile.name; })) {
        QMessageBox::warning(this, QStringLiteral("Connection not saved"),
                             QStringLiteral("There is already a connection named \"%1\".").arg(profile.name));
        return;
    }
    saveConnection(profile, dialog.password(), dialog.awsKeys(), ConnectionProfile{});
}

void MainWindow::editConnection()
{
    const QString name = m_connections->currentText();
    const auto it = std::find_if(m_profiles.cbegin(), m_profiles.cend(),
                                 [&](const ConnectionProfile &p) { return p.name == name; });
    if (it == m_profiles.cend()) {
        say(QStringLiteral("The embedded cluster has nothing to edit"), 5000);
        return;
    }
    ProfileDialog dialog(*it, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    saveConnection(dialog.profile(), dialog.password(), dialog.awsKeys(), *it);
}

void MainWindow::saveConnection(const ConnectionProfile &profile, const QString &password, const QString &awsKeys,
                                const ConnectionProfile &previous)
{
    ProfileSettings settings;
    if (!previous.name.isEmpty())
        ConnectionProfile::remove(settings, previous.name);
    const QStringList leftOut = profile.save(settings);
    settings.sync();
    if (settings.status() != QSettings::NoError)
        QMessageBox::warning(this, QStringLiteral("Connection not saved"),
                             QStringLiteral("The settings file could not be written: %1")
                                 .arg(QDir::toNativeSeparators(settings.fileName())));
    else if (!leftOut.isEmpty())
        QMessageBox::information(this, QStringLiteral("Secrets not saved"),
                                 QStringLiteral("These properties hold secrets and were not written to disk: %1. "
                                                "Enter them again for each session.")
                                     .arg(leftOut.join(QStringLiteral(", "))));
    // The keychain is only asked when a secret is involved: it may prompt to be unlocked. Secrets go with the name.
    const bool renamed = previous.name != profile.name;
    const auto carry = [this, renamed](const QString &value, bool needed, bool neededBefore, const QString &from,
                                       const QString &to, const QString &what) {
        if (!value.isEmpty()) {
            keepSecret(to, value, what);
            if (renamed && neededBefore)
                forgetSecret(from);
        } else if (renamed && needed && neededBefore) {
            QPointer<MainWindow> self(this);
            readSecret(from, [self, from, to, what](Result<std::optional<QString>> found) {
                if (!self || !found || !found->has_value())
                    return;
                self->keepSecret(to, **found, what);
                self->forgetSecret(from);
            });
        } else if (!needed && neededBefore) {
            forgetSecret(from);
        }
    };
    carry(password, profile.needsPassword(), previous.needsPassword(), kafkaPasswordKey(previous.name),
          kafkaPasswordKey(profile.name), QStringLiteral("password"));
    const bool iam = profile.security == ConnectionProfile::Security::Iam;
    const bool iamBefore = !previous.name.isEmpty() && previous.security == ConnectionProfile::Security::Iam;
    carry(awsKeys, iam, iamBefore, awsKeysKey(previous.name), awsKeysKey(profile.name), QStringLiteral("AWS keys"));

    // The selector names the connection being watched. A saved connection takes effect when connected to: a
    // new one, or the one in use once changed, is offered at once rather than switched to silently.
    const bool watching = m_analysis->isRunning() || m_reconnect->isActive();
    const bool active = watching && !previous.name.isEmpty() && previous.name == m_connection;
    if (active) {
        m_connection = profile.name; // renamed, perhaps; still the one in use
        setWindowTitle(m_connection);
    }
    reloadConnections(watching ? m_connection : profile.name);
    if (previous.name.isEmpty() || active)
        offerToConnect(profile.name, active);
}

void MainWindow::offerToConnect(const QString &name, bool reconnect)
{
    auto *box = new QMessageBox(
        QMessageBox::Question, reconnect ? QStringLiteral("Reconnect?") : QStringLiteral("Connect?"),
        reconnect
            ? QStringLiteral("\"%1\" is saved. The window still reads with its previous settings: reconnect now "
                             "to use the new ones?")
                  .arg(name)
            : QStringLiteral("\"%1\" is saved. Connect to it now?%2")
                  .arg(name, m_analysis->isRunning() ? QStringLiteral(" The window leaves \"%1\".").arg(m_connection)
                                                     : QString()),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("connectOffer"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *now = box->addButton(reconnect ? QStringLiteral("Reconnect now") : QStringLiteral("Connect now"),
                                      QMessageBox::AcceptRole);
    box->addButton(QStringLiteral("Later"), QMessageBox::RejectRole);
    box->setDefaultButton(now);
    QPointer<MainWindow> self(this);
    connect(box, &QMessageBox::buttonClicked, this, [self, name, now](QAbstractButton *clicked) {
        if (!self || clicked != now)
            return;
        if (Status s = self->connectTo(name); !s)
            QMessageBox::warning(self, QStringLiteral("Cannot connect"), s.error());
    });
    box->open(); // never waits: the answer comes back through buttonClicked
}

void MainWindow::readSecret(const QString &key, std::function<void(Result<std::optional<QString>>)> found)
{
    m_alertCenter->sessionSecrets().read(key, [this, key, found](Result<std::optional<QString>> session) {
        if (session && session->has_value())
            found(std::move(session));
        else
            m_alertCenter->secrets().read(key, found);
    });
}

void MainWindow::keepSecret(const QString &key, const QString &secret, const QString &what)
{
    for (const QString &part : secret.split(u'\n'))
        registerSecret(part);
    QPointer<MainWindow> self(this);
    m_alertCenter->secrets().write(key, secret, [self, key, secret, what](Status s) {
        if (!self)
            return;
        MemorySecretStore &session = self->m_alertCenter->sessionSecrets();
        if (s) {
            session.remove(key, [](Status) {});
            return;
        }
        // No keychain to keep it in: said, and the person chooses (never written anywhere else).
        const QString connection = key.section(u'/', 1, -1);
        auto *box = new QMessageBox(QMessageBox::Warning, QStringLiteral("System keychain not available"),
                                    QStringLiteral("The %1 of \"%2\" cannot be kept in the system keychain: %3\n\n"
                                                   "Keep the %1 for this session only? Peakwatch never writes secrets "
                                                   "to a file, so without the keychain the %1 must be entered again "
                                                   "next session.")
                                        .arg(what, connection, s.error()),
                                    QMessageBox::NoButton, self);
        box->setObjectName(QStringLiteral("keychainChoice"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        QPushButton *keep = box->addButton(QStringLiteral("Keep for this session"), QMessageBox::AcceptRole);
        box->addButton(QStringLiteral("Do not keep"), QMessageBox::RejectRole);
        QObject::connect(
            box, &QMessageBox::buttonClicked, self,
            [self, key, secret, what, connection, keep](QAbstractButton *clicked) {
                if (clicked != keep) {
                    self->say(QStringLiteral("\"%1\": %2 not kept (no keychain)").arg(connection, what), 30000);
                    return;
                }
                self->m_alertCenter->sessionSecrets().write(key, secret, [](Status) {});
                self->say(QStringLiteral("\"%1\": %2 kept for this session only").arg(connection, what), 30000);
            });
        box->open(); // never waits: the answer comes back through buttonClicked
    });
}

void MainWindow::forgetSecret(const QString &key)
{
    m_alertCenter->sessionSecrets().remove(key, [](Status) {});
    m_alertCenter->secrets().remove(key, [](Status) {}); // best effort: the keychain may not be there
}

void MainWindow::removeConnection()
{
    const QString name = m_connections->currentText();
    if (name == embeddedName())
        return;
    if (QMessageBox::question(this, QStringLiteral("Remove connection"),
                              QStringLiteral("Forget the connection \"%1\"?").arg(name)) != QMessageBox::Yes)
        return;
    ProfileSettings settings;
    ConnectionProfile::remove(settings, name);
    const auto it = std::find_if(m_profiles.cbegin(), m_profiles.cend(),
                                 [&](const ConnectionProfile &p) { return p.name == name; });
    if (it != m_profiles.cend() && it->needsPassword())
        forgetSecret(kafkaPasswordKey(name));
    if (it != m_profiles.cend() && it->security == ConnectionProfile::Security::Iam)
        forgetSecret(awsKeysKey(name));
    reloadConnections(QString());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_dashboard->splitter().restoreState(settings.value(QStringLiteral("window/dashboard_splitter")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/dashboard_splitter"), m_dashboard->splitter().saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    shutDown();
    event->accept();
}

void MainWindow::shutDown()
{
    // In reverse order of start-up: the simulator, the analysis, then the cluster they use.
    if (m_shutDown)
        return;
    m_shutDown = true;
    m_simulator->controller().shutDown(); // bounded; before the cluster its messages go to
    m_analysis->stop();
    m_cluster.reset();
}

} // namespace peakwatch::ui
