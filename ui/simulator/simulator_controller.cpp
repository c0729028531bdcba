// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "simulator_controller.h"

#include "http_sink.h"
#include "kafka_sink.h"
#include "load_run.h"
#include "run_report.h"
#include "scenario.h"
#include "thread_priority.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QStringBuilder>
#include <QThread>

#include <sys/resource.h>
#include <unistd.h>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <chrono>

namespace peakwatch::ui {
namespace {

Q_LOGGING_CATEGORY(lcSimulatorUi, "peakwatch.ui.simulator", QtInfoMsg)

using namespace std::chrono_literals;

// The nice value of the simulator's thread (0 is the default, 19 the lowest priority).
constexpr int kGeneratorNice = 5;

// How long a run may take to settle what is in flight once stopped; past that the report says so.
constexpr qint64 kDrainTimeoutMs = 10000;
// When the controller is destroyed: how long the run may drain before it is torn down regardless...
constexpr auto kHurryDrain = 2s;
// ...and how long the destructor waits for the thread (connecting, draining and Kafka's final flush are
// each bounded, at 10 s at most).
constexpr auto kShutdownBound = 30s;

} // namespace

namespace detail {

// Everything the run's thread needs, prepared and checked in the caller's thread.
struct SimulationSetup {
    sim::LoadRun::Options options;
    SimulationRequest::Target target = SimulationRequest::Target::Kafka;
    QString bootstrapServers;
    QString topic;
    KafkaProperties properties;
    QUrl url;
    QByteArray secret;
};

// Lives in the run's thread: creates the sink and the load run there, ticks the statistics once a second,
// and at the end builds the report, tears everything down in that thread and ends the thread's loop.
class SimulationWorker final : public QObject {
    Q_OBJECT
public:
    explicit SimulationWorker(SimulationSetup setup)
        : m_setup(std::move(setup))
    {}
    ~SimulationWorker() override = default; // what run() made is gone before the thread ends
    Q_DISABLE_COPY_MOVE(SimulationWorker)

    // In the run's thread, once.
    void run();
    // From any thread: stop generating and drain; `hurry` gives the drain only a short time.
    void requestStop(bool hurry)
    {
        m_stopRequested.store(true);
        QMetaObject::invokeMethod(
            this, [this, hurry] { stopRun(hurry); }, Qt::QueuedConnection);
    }

Q_SIGNALS:
    void progress(const peakwatch::sim::RunStats::Interval &interval);
    void faultsInjected(qint64 duplicates, qint64 late, qint64 malformed);
    // Emitted just before the thread's loop ends.
    void done(const QByteArray &reportJson, const QString &error);

private:
    void stopRun(bool hurry);
    void onRunFinished();
    void end(const QByteArray &reportJson, const QString &error);

    SimulationSetup m_setup;
    std::atomic<bool> m_stopRequested{false}; // the only member touched from outside the run's thread
    sim::RunStats m_stats;
    std::unique_ptr<sim::WebhookSink> m_sink;
    sim::HttpSink *m_httpSink = nullptr; // m_sink when it is one
    std::unique_ptr<sim::LoadRun> m_run;
    std::unique_ptr<QTimer> m_ticker;
    std::unique_ptr<QTimer> m_hurry;
};

void SimulationWorker::run()
{
    if (m_setup.target == SimulationRequest::Target::Kafka) {
        auto created = sim::KafkaSink::create(m_setup.bootstrapServers, m_setup.topic, m_stats, m_setup.properties);
        if (!created) {
            end({}, created.error());
            return;
        }
        m_sink = std::move(*created);
    } else {
        auto http = std::make_unique<sim::HttpSink>(
            sim::HttpSink::Options{.url = m_setup.url, .secret = m_setup.secret}, m_stats);
        m_httpSink = http.get();
        m_sink = std::move(http);
    }
    // The load yields to the window: on two cores shared with the broker and the analysis, an equal share
    // for the generator would take the UI thread's time slices at the peak. (Linux: a thread's nice value.)
    if (::setpriority(PRIO_PROCESS, pid_t(::gettid()), kGeneratorNice) != 0)
        qCDebug(lcSimulatorUi) << "could not lower the simulator thread's priority";
    m_run = std::make_unique<sim::LoadRun>(m_setup.options, *m_sink, m_stats);
    connect(m_run.get(), &sim::LoadRun::finished, this, &SimulationWorker::onRunFinished);
    m_ticker = std::make_unique<QTimer>();
    m_ticker->setInterval(1s);
    connect(m_ticker.get(), &QTimer::timeout, this, [this] {
        Q_EMIT progress(m_stats.tick());
        const sim::DeliveryFaults::Counts &faults = m_run->faultCounts();
        Q_EMIT faultsInjected(faults.duplicates, faults.late, faults.malformed);
    });
    qCDebug(lcSimulatorUi).noquote() << "simulation of" << m_setup.options.scenario.name << "started, to"
                                     << (m_httpSink ? QStringLiteral("an HTTP endpoint") : m_setup.topic);
    m_run->start();
    m_ticker->start();
    if (m_stopRequested.load())
        m_run->stop(); // stopped while connecting: an empty run, and its report
}

void SimulationWorker::stopRun(bool hurry)
{
    if (!m_run)
        return; // over already
    m_run->stop();
    if (hurry && !m_hurry) {
        m_hurry = std::make_unique<QTimer>();
        m_hurry->setSingleShot(true);
        connect(m_hurry.get(), &QTimer::timeout, this, &SimulationWorker::onRunFinished);
        m_hurry->start(kHurryDrain);
    }
}

void SimulationWorker::onRunFinished()
{
    if (!m_run)
        return;
    m_ticker.reset();
    m_hurry.reset();
    QStringList problems;
    if (!m_run->drained())
        problems << QStringLiteral("%1 webhooks were still unacknowledged at the end").arg(m_sink->inFlight());
    if (m_stats.errorCount() > 0)
        problems << QStringLiteral("%1 webhooks could not be delivered").arg(m_stats.errorCount());
    const QByteArray report =
        m_stats.reportJson(sim::runReportFields(m_setup.options.scenario.name, *m_run, m_httpSink));
    // In reverse order of creation, in this thread (the HTTP sink's network managers belong to it).
    m_run.reset();
    m_httpSink = nullptr;
    m_sink.reset();
    qCDebug(lcSimulatorUi) << "simulation finished:" << m_stats.acknowledgedCount() << "webhooks acknowledged";
    end(report, problems.join(QStringLiteral("; ")));
}

void SimulationWorker::end(const QByteArray &reportJson, const QString &error)
{
    Q_EMIT done(reportJson, error);
    QThread::currentThread()->quit();
}

} // namespace detail

namespace {

Result<detail::SimulationSetup> prepare(const SimulationRequest &request)
{
    detail::SimulationSetup setup;
    sim::LoadRun::Options &options = setup.options;
    auto loaded = sim::Scenario::load(request.scenario);
    if (!loaded)
        return Error{QStringLiteral("Scenario: ") % loaded.error()};
    options.scenario = std::move(*loaded);
    if (request.skipMs < 0)
        return Error{QStringLiteral("The time to skip into the scenario cannot be negative.")};
    if (request.skipMs > 0)
        options.scenario = options.scenario.skipped(request.skipMs);
    if (request.timeCompression < 0 || request.timeCompression > 1e6)
        return Error{QStringLiteral("The time compression must be from 0.001 to 1,000,000 (0: the scenario's own).")};
    if (request.timeCompression > 0)
        options.scenario.timeCompression = std::max(0.001, request.timeCompression);
    if (request.shopifyTopics)
        options.scenario.useShopifysTopics();
    if (request.shops < 0 || request.shops > 100000)
        return Error{QStringLiteral("The number of shops must be from 1 to 100,000 (0: the scenario's own).")};
    if (request.productsPerShop < 0 || request.productsPerShop > 10000000)
        return Error{
            QStringLiteral("The number of products per shop must be from 1 to 10,000,000 (0: the scenario's own).")};
    if (request.shops > 0)
        options.scenario.shops = request.shops;
    if (request.productsPerShop > 0)
        options.scenario.productsPerShop = request.productsPerShop;
    if (request.eventsPerSecond > 0) {
        options.pace = sim::LoadRun::Pace::Rate;
        options.eventsPerSecond = request.eventsPerSecond;
    } else {
        options.pace = request.eventsPerSecond < 0 ? sim::LoadRun::Pace::Max : sim::LoadRun::Pace::Scenario;
    }
    if (request.durationSeconds < 0)
        return Error{QStringLiteral("The duration cannot be negative (0: until stopped).")};
    options.maxDurationMs = request.durationSeconds * 1000;
    options.seed = request.seed;
    options.drainTimeoutMs = kDrainTimeoutMs;
    for (const double fraction : {request.duplicates, request.outOfOrder, request.malformed})
        if (!(fraction >= 0 && fraction <= 1)) // NaN too
            return Error{QStringLiteral("The delivery faults must each be from 0 % to 100 % of the webhooks.")};
    options.faults.duplicates = request.duplicates;
    options.faults.outOfOrder = request.outOfOrder;
    options.faults.malformed = request.malformed;

    setup.target = request.target;
    if (request.target == SimulationRequest::Target::Kafka) {
        if (request.bootstrapServers.trimmed().isEmpty())
            return Error{QStringLiteral("There is no Kafka connection to send to: connect to a cluster first, or "
                                        "choose an HTTP endpoint.")};
        if (request.topic.trimmed().isEmpty())
            return Error{QStringLiteral("There is no topic to send to.")};
        setup.bootstrapServers = request.bootstrapServers.trimmed();
        setup.topic = request.topic.trimmed();
        setup.properties = request.properties;
    } else {
        const QUrl url(request.webhookUrl.trimmed(), QUrl::StrictMode);
        if (request.webhookUrl.trimmed().isEmpty())
            return Error{QStringLiteral("Give the URL of the HTTP endpoint to send the webhooks to.")};
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            return Error{QStringLiteral("The webhook URL must be an http:// or https:// address.")};
        if (request.secret.isEmpty())
            return Error{QStringLiteral("Give the secret the webhooks are signed with (the endpoint checks "
                                        "X-Shopify-Hmac-Sha256 with it).")};
        setup.url = url;
        setup.secret = request.secret;
    }
    return setup;
}

} // namespace

SimulatorController::SimulatorController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<sim::RunStats::Interval>();
}

SimulatorController::~SimulatorController()
{
    shutDown();
}

void SimulatorController::shutDown()
{
    if (!m_thread)
        return;
    disconnect(m_thread.get(), nullptr, this, nullptr);
    disconnect(m_worker.get(), nullptr, this, nullptr);
    m_worker->requestStop(true);
    if (!m_thread->wait(QDeadlineTimer(kShutdownBound))) {
        qCWarning(lcSimulatorUi) << "the simulation has not ended" << kShutdownBound.count()
                                 << "s after it was asked to; waiting for it";
        m_thread->wait();
    }
    m_worker.reset();
    m_thread.reset();
    QCoreApplication::removePostedEvents(this, QEvent::MetaCall); // figures and results queued before the end
    m_report.clear();
    m_error.clear();
}

Status SimulatorController::start(const SimulationRequest &request)
{
    if (m_thread)
        return Error{QStringLiteral("A simulation is already running: stop it first.")};
    auto setup = prepare(request);
    if (!setup)
        return Error{setup.error()};
    m_request = request;
    m_report.clear();
    m_error.clear();
    m_worker = std::make_unique<detail::SimulationWorker>(std::move(*setup));
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("simulator"));
    m_worker->moveToThread(m_thread.get());
    // Emitted in the run's thread, so queued to this one.
    connect(m_worker.get(), &detail::SimulationWorker::progress, this, &SimulatorController::progress);
    connect(m_worker.get(), &detail::SimulationWorker::faultsInjected, this, &SimulatorController::faultsInjected);
    connect(m_worker.get(), &detail::SimulationWorker::done, this,
            [this](const QByteArray &reportJson, const QString &error) {
                m_report = reportJson;
                m_error = error;
            });
    connect(m_thread.get(), &QThread::finished, this, &SimulatorController::onThreadFinished);
    connect(m_thread.get(), &QThread::started, m_thread.get(), &yieldToTheWindow, Qt::DirectConnection);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker.get(), &detail::SimulationWorker::run, Qt::QueuedConnection);
    Q_EMIT started();
    return {};
}

void SimulatorController::stop()
{
    if (m_worker)
        m_worker->requestStop(false);
}

bool SimulatorController::isRunning() const
{
    return m_thread != nullptr;
}

void SimulatorController::onThreadFinished()
{
    if (!m_thread)
        return;
    m_thread->wait();
    m_worker.reset();
    m_thread.reset();
    const QByteArray report = std::exchange(m_report, {});
    const QString error = std::exchange(m_error, {});
    Q_EMIT finished(report, error);
}

} // namespace peakwatch::ui

#include "simulator_controller.moc"
