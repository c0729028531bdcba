// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "live_analysis.h"

#include <QElapsedTimer>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch {

// Runs on the consumer thread: owns the Analyzer and builds the batches.
class LiveAnalysis::Handler final : public ConsumerHandler {
public:
    Handler(LiveAnalysis &owner, const LiveAnalysis::Options &options)
        : m_owner(owner)
        , m_analyzer(options.rules, options.params)
        , m_intervalMs(options.intervalMs)
        , m_fullRefreshMs(options.fullRefreshMs)
        , m_pending(owner.m_batchPending)
    {
        m_analyzer.setTrackChanges(true);
        m_analyzer.setMaxAheadMs(options.maxAheadMs);
        m_sinceBatch.start();
        m_sinceRate.start();
    }

    void setConsumer(const KafkaConsumer *consumer)
    {
        m_consumer = consumer;
        m_analyzer.setPartitionNames([consumer](int partition) { return consumer->partitionName(partition); });
    }
    void setRun(quint64 run) { m_run = run; }

    void onStreamOrigin(const QByteArray &origin) override { m_analyzer.setStream(origin); }

    void onMessages(const std::vector<RawMessage> &batch) override
    {
        if (m_owner.m_rulesChanged.exchange(false)) {
            std::lock_guard lock(m_owner.m_watchedMutex);
            if (m_owner.m_newRules)
                m_analyzer.setRules(*std::exchange(m_owner.m_newRules, std::nullopt));
        }
        for (const RawMessage &message : batch)
            m_analyzer.process(message, m_alerts);
    }

    void onPartitionsRevoked(const QList<int> &partitions) override
    {
        for (int p : partitions)
            m_analyzer.dropPartition(p);
        m_refreshOrder.clear(); // it may point at products just dropped
        m_refreshNext = 0;
    }

    void onDataLost(const QString &description) override
    {
        QMetaObject::invokeMethod(
            &m_owner, [owner = &m_owner, description] { Q_EMIT owner->dataLost(description); }, Qt::QueuedConnection);
    }

    void onIdle() override
    {
        if (m_sinceBatch.elapsed() < m_intervalMs || m_pending->load())
            return;
        m_sinceBatch.restart();
        auto batch = std::make_shared<LiveBatch>();
        batch->sequence = ++m_sequence;
        const bool watchedChanged = m_owner.m_watchedChanged.exchange(false);
        batch->changed = m_analyzer.takeChangedSnapshots();
        const bool cycleStarts = addRefreshSlice(*batch);
        batch->alerts = std::move(m_alerts);
        m_alerts.clear();
        addHistories(*batch, watchedChanged || cycleStarts);
        if (m_analyzer.rejects().total() != m_reportedRejects) {
            m_reportedRejects = m_analyzer.rejects().total();
            batch->rejects = rejectSummary();
        }
        batch->stats = stats();
        m_pending->store(true);
        // Handed over in the owner's thread, and only if this run is still the current one there: a batch
        // queued while the run was being stopped never reaches a window that has moved on (a disconnected
        // dashboard filling up again with a few dozen stale products).
        QMetaObject::invokeMethod(
            &m_owner,
            [owner = &m_owner, run = m_run, pending = m_pending, batch = LiveBatchPtr(std::move(batch))] {
                if (run == owner->m_generation)
                    Q_EMIT owner->batchReady(batch);
                else
                    pending->store(false);
            },
            Qt::QueuedConnection);
    }

private:
    // Predictions move with time even for products that sell nothing, so every product is refreshed once
    // per `fullRefreshMs`: a slice of them with each batch, rather than all at once (20,000 rows in one
    // batch cost the UI thread tens of milliseconds). Returns whether a new cycle began.
    bool addRefreshSlice(LiveBatch &batch)
    {
        bool cycleStarts = false;
        if (m_refreshNext >= m_refreshOrder.size()) {
            m_refreshOrder = m_analyzer.engine().sortedProducts();
            m_refreshNext = 0;
            cycleStarts = true;
        }
        const size_t batchesPerCycle = size_t(std::max(1, m_fullRefreshMs / std::max(1, m_intervalMs)));
        const size_t slice = (m_refreshOrder.size() + batchesPerCycle - 1) / batchesPerCycle;
        const size_t end = std::min(m_refreshOrder.size(), m_refreshNext + std::max<size_t>(slice, 1));
        for (; m_refreshNext < end; ++m_refreshNext)
            batch.changed.push_back(m_analyzer.snapshotOf(*m_refreshOrder[m_refreshNext]));
        return cycleStarts;
    }

    void addHistories(LiveBatch &batch, bool all)
    {
        std::vector<ProductRef> watched;
        {
            std::lock_guard lock(m_owner.m_watchedMutex);
            watched = m_owner.m_watched;
        }
        for (const ProductRef &ref : watched) {
            const bool changed =
                all || std::any_of(batch.changed.begin(), batch.changed.end(), [&](const ProductSnapshot &s) {
                    return s.productId == ref.productId && s.shop == ref.shop;
                });
            if (!changed)
                continue;
            const std::string_view shop(ref.shop.constData(), size_t(ref.shop.size()));
            const ProductState *state = m_analyzer.engine().find(shop, ref.productId);
            if (!state)
                continue;
            batch.histories.push_back(
                {ref, state->historyInOrder(), m_analyzer.rules().ruleSetFor(shop, ref.productId)});
        }
    }

    std::shared_ptr<const RejectSummary> rejectSummary() const
    {
        auto summary = std::make_shared<RejectSummary>();
        for (int r = 0; r < int(RejectReason::Count); ++r) {
            const auto reason = RejectReason(r);
            if (const qint64 count = m_analyzer.rejects().count(reason); count > 0)
                summary->entries.push_back({reason, count, m_analyzer.rejects().samples(reason)});
        }
        return summary;
    }

    LiveStats stats()
    {
        LiveStats s;
        s.accepted = m_analyzer.accepted();
        s.duplicates = m_analyzer.duplicates();
        s.outOfOrder = m_analyzer.outOfOrder();
        s.rejected = m_analyzer.rejects().total();
        s.consumed = m_consumer ? m_consumer->consumed() : 0;
        s.lag = m_consumer ? m_consumer->lag() : 0;
        s.products = qint64(m_analyzer.engine().size());
        s.historyPoints = qint64(m_analyzer.engine().historyPoints());
        s.watermarkMs = s.accepted > 0 ? m_analyzer.engine().watermarkMs() : 0;
        // Events per second over the last second or so, updated once a second.
        if (const qint64 elapsed = m_sinceRate.elapsed(); elapsed >= 1000) {
            m_rate = double(s.accepted - m_rateBase) * 1000.0 / double(elapsed);
            m_rateBase = s.accepted;
            m_sinceRate.restart();
        }
        s.eventsPerSecond = m_rate;
        return s;
    }

    LiveAnalysis &m_owner;
    Analyzer m_analyzer;
    const KafkaConsumer *m_consumer = nullptr;
    int m_intervalMs;
    int m_fullRefreshMs;
    std::shared_ptr<std::atomic<bool>> m_pending;
    std::vector<Alert> m_alerts;
    QElapsedTimer m_sinceBatch;
    std::vector<const ProductState *> m_refreshOrder; // this cycle's products, valid until one is dropped
    size_t m_refreshNext = 0;
    QElapsedTimer m_sinceRate;
    quint64 m_sequence = 0;
    quint64 m_run = 0; // the owner's generation this handler works for
    qint64 m_reportedRejects = 0;
    qint64 m_rateBase = 0;
    double m_rate = 0;
};

LiveAnalysis::LiveAnalysis(QObject *parent)
    : QObject(parent)
    , m_batchPending(std::make_shared<std::atomic<bool>>(false))
{
    qRegisterMetaType<LiveBatchPtr>();
    // Runs in this object's thread before any other receiver's queued slot sees the batch is gone: the
    // consumer may then build the next one.
    connect(
        this, &LiveAnalysis::batchReady, this,
        [pending = m_batchPending](const LiveBatchPtr &) { pending->store(false); }, Qt::QueuedConnection);
}

LiveAnalysis::~LiveAnalysis()
{
    stop();
}

void LiveAnalysis::start(Options options)
{
    stop();
    m_batchPending->store(false);
    const quint64 generation = ++m_generation;
    m_handler = std::make_unique<Handler>(*this, options);
    m_handler->setRun(generation);
    m_consumer = std::make_unique<KafkaConsumer>(options.consumer, *m_handler);
    m_handler->setConsumer(m_consumer.get());
    KafkaConsumer *consumer = m_consumer.get();
    m_consumer->setFinishedCallback([this, consumer, generation] {
        QString error = consumer->fatalError();
        QMetaObject::invokeMethod(
            this,
            [this, error, generation] {
                if (generation == m_generation) // not stopped or restarted since
                    Q_EMIT finished(error);
            },
            Qt::QueuedConnection);
    });
    m_connecting = std::jthread([this, consumer, generation] {
        Status started = consumer->start();
        QMetaObject::invokeMethod(
            this,
            [this, started, generation] {
                if (generation != m_generation)
                    return;
                if (started) {
                    Q_EMIT connected();
                    return;
                }
                m_connecting.join();
                m_consumer.reset();
                m_handler.reset();
                Q_EMIT finished(started.error());
            },
            Qt::QueuedConnection);
    });
}

void LiveAnalysis::stop()
{
    ++m_generation;
    if (m_connecting.joinable()) {
        m_consumer->requestStop(); // a wait for an unreachable cluster ends within a fraction of a second
        m_connecting.join();
    }
    if (!m_consumer)
        return;
    m_consumer->requestStop();
    m_consumer->wait();
    m_consumer.reset();
    m_handler.reset();
}

void LiveAnalysis::setRules(AlertRules rules)
{
    {
        std::lock_guard lock(m_watchedMutex);
        m_newRules = std::move(rules);
    }
    m_rulesChanged = true;
}

void LiveAnalysis::setWatched(std::vector<ProductRef> products)
{
    {
        std::lock_guard lock(m_watchedMutex);
        m_watched = std::move(products);
    }
    m_watchedChanged = true;
}

} // namespace peakwatch
