// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "load_run.h"

#include "run_stats.h"
#include "webhook_builder.h"
#include "webhook_sink.h"

namespace peakwatch::sim {
namespace {

Catalog catalogFor(const Scenario &s, quint64 seed)
{
    Catalog::Options o;
    o.shops = s.shops;
    o.productsPerShop = s.productsPerShop;
    o.seed = seed;
    o.startMs = s.startAtMs - 60LL * 86400000;
    o.minStock = s.minStock;
    o.maxStock = s.maxStock;
    o.minVariants = s.minVariants;
    o.maxVariants = s.maxVariants;
    o.locations = s.locations;
    return Catalog::generate(o);
}

} // namespace

LoadRun::LoadRun(Options options, WebhookSink &sink, RunStats &stats, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_sink(sink)
    , m_stats(stats)
    , m_catalog(catalogFor(m_options.scenario, m_options.seed))
    , m_simulator(m_catalog, m_options.scenario, m_options.seed)
    , m_feed(m_options.scenario)
    , m_faults([this] {
        DeliveryFaults::Options f = m_options.faults;
        f.seed = m_options.seed ^ 0x5eed;
        return f;
    }())
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(2);
    connect(&m_timer, &QTimer::timeout, this, &LoadRun::tick);
}

LoadRun::~LoadRun() = default;

void LoadRun::start()
{
    m_clock.start();
    m_stats.start();
    m_generating = true;
    m_timer.start();
}

void LoadRun::stop()
{
    if (m_generating)
        beginDrain();
}

void LoadRun::beginDrain()
{
    m_generating = false;
    m_feed.flush([this](const ShopifyFeed::Webhook &w) { send(w); });
    m_faults.flush(m_out);
    for (WebhookDelivery &d : m_out)
        m_queue.push_back(std::move(d));
    m_out.clear();
    m_truth.finish(m_simulator, m_simulator.nowMs());
    m_draining = true;
    m_drainStartedMs = m_clock.elapsed();
}

void LoadRun::enqueue(WebhookDelivery d)
{
    ++m_events;
    if (!m_faults.enabled()) {
        m_queue.push_back(std::move(d));
        return;
    }
    m_faults.push(std::move(d), m_out);
    for (WebhookDelivery &out : m_out)
        m_queue.push_back(std::move(out));
    m_out.clear();
}

void LoadRun::generate(const SalesSimulator::Change &change)
{
    m_truth.record(change);
    m_feed.change(change, [this](const ShopifyFeed::Webhook &w) { send(w); });
}

void LoadRun::send(const ShopifyFeed::Webhook &w)
{
    WebhookDelivery d;
    d.topic = w.topic;
    d.shop = w.shop->domain;
    d.productId = w.product->id;
    d.updatedAtMs = w.atMs;
    d.triggeredAtMs = w.sentAtMs;
    d.webhookId = m_simulator.newWebhookId();
    d.eventId = m_simulator.newWebhookId();
    d.body = m_sink.spareBody();
    m_feed.write(w, d.body);
    enqueue(std::move(d));
}

bool LoadRun::sendQueued()
{
    while (!m_queue.empty()) {
        if (!m_sink.canSend())
            return false;
        m_sink.send(m_queue.front());
        m_queue.pop_front();
    }
    return true;
}

void LoadRun::tick()
{
    m_sink.serve();
    if (!sendQueued())
        return; // the sink is full: wait for it
    if (m_draining) {
        const bool timedOut = m_clock.elapsed() - m_drainStartedMs > m_options.drainTimeoutMs;
        if (m_sink.inFlight() == 0 || timedOut) {
            m_drained = !timedOut;
            m_timer.stop();
            m_draining = false;
            Q_EMIT finished();
        }
        return;
    }
    if (!m_generating)
        return;

    const qint64 elapsed = m_clock.elapsed();
    if (m_options.maxDurationMs > 0 && elapsed >= m_options.maxDurationMs) {
        beginDrain();
        return;
    }
    const qint64 sliceEnd = elapsed + 8; // leave the event loop room for the sink
    for (;;) {
        if (m_options.maxEvents > 0 && m_events >= m_options.maxEvents) {
            beginDrain();
            return;
        }
        if (!m_haveNext) {
            m_next = m_simulator.next();
            m_haveNext = true;
            if (!m_next.shop) {
                beginDrain(); // the scenario is over
                return;
            }
        }
        bool due = false;
        switch (m_options.pace) {
        case Pace::Max: due = true; break;
        case Pace::Rate: due = double(m_events) < double(m_clock.elapsed()) * m_options.eventsPerSecond / 1000.0; break;
        case Pace::Scenario:
            due = double(m_next.atMs - m_simulator.startMs()) <=
                  double(m_clock.elapsed()) * m_options.scenario.timeCompression;
            break;
        }
        if (!due)
            return;
        m_haveNext = false;
        generate(m_next);
        if (!sendQueued() || m_clock.elapsed() >= sliceEnd)
            return;
    }
}

} // namespace peakwatch::sim
