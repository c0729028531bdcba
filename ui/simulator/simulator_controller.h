// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "result.h"
#include "run_stats.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace peakwatch::ui {

namespace detail {
class SimulationWorker;
}

// What to simulate and where to send it.
struct SimulationRequest {
    QString scenario = QStringLiteral("black-friday"); // a built-in name or a JSON scenario file path
    qint64 skipMs = 0;                                 // start this far into the scenario (the demo skips 110 min)
    double timeCompression = 0;                        // 0 = the scenario's own
    enum class Target { Kafka, Http } target = Target::Kafka;
    QString bootstrapServers; // Target::Kafka
    QString topic = QStringLiteral("products");
    peakwatch::KafkaProperties properties;
    QString webhookUrl;         // Target::Http
    QByteArray secret;          // Target::Http; the secret is never logged or shown
    double eventsPerSecond = 0; // 0 = paced by the scenario; < 0 = as fast as possible
    qint64 durationSeconds = 0; // 0 = until stopped or the scenario ends
    quint64 seed = 1;
    int shops = 0, productsPerShop = 0; // 0 = the scenario's
    // Shopify's delivery faults, as fractions of the webhooks from 0 to 1 (peakwatch-cli simulate --duplicates,
    // --out-of-order, --malformed): delivered twice with the same webhook id; held back behind later ones;
    // followed by an extra delivery whose body is not valid JSON.
    double duplicates = 0;
    double outOfOrder = 0;
    double malformed = 0;
    // Send the stock as Shopify does (sim::Scenario::useShopifysTopics): orders/create, inventory_levels/update per
    // location (3 a shop) and coalesced products/update. Off: one products/update per change.
    bool shopifyTopics = false;
};

// Runs one load run at a time off the UI thread: the load run and its sink (Kafka or HTTP) are created and
// used in a thread of their own, which reports the run's figures once a second and the report at the end.
// No widgets here: the simulator view and the main window's demo both drive it.
class SimulatorController final : public QObject {
    Q_OBJECT
public:
    explicit SimulatorController(QObject *parent = nullptr);
    ~SimulatorController() override; // stops the run (bounded) and joins its thread
    Q_DISABLE_COPY_MOVE(SimulatorController)

    // Checks the request (scenario, target, numbers) and starts the run; the error says what is wrong
    // (a bad scenario file, no Kafka connection, a URL that is not http(s), a run already going).
    // Connecting happens in the run's thread, so as not to block the caller: a cluster that cannot be
    // reached is reported by finished() with an empty report and the error.
    Status start(const SimulationRequest &request);
    // Asks the run to stop generating; what is in flight is waited for (bounded), then finished() follows.
    void stop();
    // Stops the run and waits for its thread, as the destructor does: the drain gets a couple of seconds, then
    // the run is torn down (the Kafka sink's final flush is bounded by librdkafka at 10 s). finished() is not
    // emitted. For an application shutting down before it takes away the cluster the run sends to.
    void shutDown();
    // From a successful start() until finished() has been emitted.
    bool isRunning() const;
    // The request of the current (or last) run.
    const SimulationRequest &request() const { return m_request; }

Q_SIGNALS:
    void started();
    // The run's figures, once a second, in the controller's thread.
    void progress(const peakwatch::sim::RunStats::Interval &interval);
    // The delivery faults injected so far, with each progress().
    void faultsInjected(qint64 duplicates, qint64 late, qint64 malformed);
    // The run is over and its thread has ended: the JSON report (empty if the run never began), and an
    // error in words when it did not go well (cannot reach Kafka, webhooks that could not be delivered).
    void finished(const QByteArray &reportJson, const QString &error);

private:
    void onThreadFinished();

    SimulationRequest m_request;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<detail::SimulationWorker> m_worker; // lives in m_thread while it runs
    QByteArray m_report;
    QString m_error;
};

} // namespace peakwatch::ui

Q_DECLARE_METATYPE(peakwatch::sim::RunStats::Interval)
