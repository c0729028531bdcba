// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_faults.h"
#include "ground_truth.h"
#include "sales_simulator.h"
#include "scenario.h"
#include "shopify_feed.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>

namespace peakwatch::sim {

class RunStats;
class WebhookSink;

// One load run: generates the scenario's orders as Shopify's webhooks (products/update, and where the scenario
// says so orders/create and inventory_levels/update per location, with products/update coalesced), injects the
// delivery faults
// asked for, paces them (by the scenario's time compression, a target rate, or as fast as the sink takes
// them) and sends them to a sink, keeping the ground truth. Lives in a thread with an event loop.
class LoadRun final : public QObject {
    Q_OBJECT
public:
    enum class Pace { Scenario, Rate, Max };
    struct Options {
        Scenario scenario;
        quint64 seed = 1;
        Pace pace = Pace::Scenario;
        double eventsPerSecond = 0; // with Pace::Rate
        qint64 maxEvents = 0;       // 0 = no limit
        qint64 maxDurationMs = 0;   // real time; 0 = no limit
        qint64 drainTimeoutMs = 30000;
        DeliveryFaults::Options faults;
    };

    LoadRun(Options options, WebhookSink &sink, RunStats &stats, QObject *parent = nullptr);
    ~LoadRun() override;

    void start();
    // Stops generating; what is in flight is still waited for (bounded), then finished() comes.
    void stop();

    qint64 events() const { return m_events; } // original webhooks generated, of every topic
    const GroundTruth &truth() const { return m_truth; }
    const DeliveryFaults::Counts &faultCounts() const { return m_faults.counts(); }
    const Catalog &catalog() const { return m_catalog; }
    const SalesSimulator &simulator() const { return m_simulator; }
    bool drained() const { return m_drained; }

Q_SIGNALS:
    void finished();

private:
    void tick();
    void generate(const SalesSimulator::Change &change);
    void send(const ShopifyFeed::Webhook &webhook);
    void enqueue(WebhookDelivery d);
    bool sendQueued();
    void beginDrain();

    Options m_options;
    WebhookSink &m_sink;
    RunStats &m_stats;
    Catalog m_catalog;
    SalesSimulator m_simulator;
    ShopifyFeed m_feed;
    DeliveryFaults m_faults;
    GroundTruth m_truth;
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::deque<WebhookDelivery> m_queue;
    std::vector<WebhookDelivery> m_out;
    SalesSimulator::Change m_next;
    bool m_haveNext = false;
    qint64 m_events = 0;
    bool m_generating = false;
    bool m_draining = false;
    bool m_drained = false;
    qint64 m_drainStartedMs = 0;
};

} // namespace peakwatch::sim
