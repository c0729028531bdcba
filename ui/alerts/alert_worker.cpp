// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_worker.h"

#include "desktop_notifier.h"
#include "kafka_alert_sink.h"

#include <QDateTime>
#include <QStringBuilder>
#include <QTimer>

namespace peakwatch::ui {
namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

AlertWorker::AlertWorker()
    : m_recorder(new QTimer(this))
    , m_counter(new QTimer(this))
    , m_pruner(new QTimer(this))
{
    m_recorder->setObjectName(QStringLiteral("alertRecorder"));
    m_recorder->setSingleShot(true);
    m_recorder->setInterval(0);
    connect(m_recorder, &QTimer::timeout, this, &AlertWorker::recordSome);
    m_counter->setSingleShot(true);
    m_counter->setInterval(2000);
    connect(m_counter, &QTimer::timeout, this, &AlertWorker::count);
    m_pruner->setInterval(60 * 1000);
    connect(m_pruner, &QTimer::timeout, this, &AlertWorker::prune);
}

AlertWorker::~AlertWorker()
{
    shutdown();
}

Status AlertWorker::open(const QString &path)
{
    auto opened = AlertOutbox::open(path);
    if (!opened)
        return Status(Error{opened.error()});
    m_outbox = std::move(*opened);
    makeDispatcher(); // records alerts before any destination is configured
    count();
    prune();
    m_pruner->start();
    return {};
}

void AlertWorker::shutdown()
{
    m_recorder->stop();
    m_counter->stop();
    m_pruner->stop();
    m_dispatcher.reset();
    m_outbox.reset();
}

void AlertWorker::makeDispatcher()
{
    m_dispatcher = std::make_unique<AlertDispatcher>(*m_outbox);
    connect(m_dispatcher.get(), &AlertDispatcher::changed, this, [this] {
        Q_EMIT deliveriesChanged();
        countSoon();
    });
    connect(m_dispatcher.get(), &AlertDispatcher::sinkFailed, this, &AlertWorker::sinkFailed);
    connect(m_dispatcher.get(), &AlertDispatcher::retrying, this,
            [this](const QString &sink, const QString &error) { Q_EMIT retrying(sink, error); });
    connect(m_dispatcher.get(), &AlertDispatcher::delivered, this,
            [this](const QString &sink) { Q_EMIT delivered(sink); });
}

void AlertWorker::resetSinks()
{
    if (m_outbox)
        makeDispatcher();
}

void AlertWorker::addSinks(const Destinations &destinations)
{
    if (!m_dispatcher)
        return;
    if (destinations.desktop && !destinations.trayFallback && !DesktopNotifier().available()) {
        // Nowhere to show them: not a failure of each alert, a fact about this desktop, said once.
        Q_EMIT problem(QStringLiteral("no desktop notification service or system tray here: alerts show in the "
                                      "Alerts tab only"));
    } else if (destinations.desktop) {
        auto notifier = std::make_unique<DesktopNotifier>();
        if (destinations.trayFallback)
            notifier->setFallback([this](const QString &summary, const QString &body, AlertSeverity severity) {
                Q_EMIT trayMessage(summary, body, severity == AlertSeverity::Critical);
            });
        connect(notifier.get(), &DesktopNotifier::productActivated, this, &AlertWorker::productActivated);
        connect(notifier.get(), &DesktopNotifier::alertsActivated, this, &AlertWorker::alertsActivated);
        m_dispatcher->addSink(std::move(notifier));
    }
    if (!destinations.alertsTopic.isEmpty()) {
        // Not checked for the topic here: that would wait for the cluster.
        auto sink = KafkaAlertSink::create(destinations.bootstrapServers, destinations.alertsTopic,
                                           destinations.properties, false);
        if (sink)
            m_dispatcher->addSink(std::move(*sink));
        else
            Q_EMIT problem(QStringLiteral("alerts topic: ") % sink.error());
    }
}

void AlertWorker::addSink(std::unique_ptr<AlertSink> sink, AlertDispatcher::Route route)
{
    if (m_dispatcher)
        m_dispatcher->addSink(std::move(sink), std::move(route));
}

void AlertWorker::setQuietHours(std::optional<QuietHours> hours)
{
    if (m_dispatcher)
        m_dispatcher->setQuietHours(hours);
}

void AlertWorker::submit(std::vector<Alert> alerts)
{
    m_queue.insert(m_queue.end(), std::make_move_iterator(alerts.begin()), std::make_move_iterator(alerts.end()));
    if (!m_recorder->isActive())
        m_recorder->start();
}

void AlertWorker::recordSome()
{
    const size_t n = std::min(kChunk, m_queue.size());
    std::vector<Alert> chunk(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.begin() + n));
    m_queue.erase(m_queue.begin(), m_queue.begin() + qsizetype(n));
    if (!m_queue.empty())
        m_recorder->start(); // the next chunk on the next turn of the event loop
    if (!m_dispatcher) {     // no outbox (it could not be opened): shown, delivered nowhere
        Q_EMIT recorded(qsizetype(n), chunk);
        return;
    }
    auto added = m_dispatcher->submit(chunk);
    if (!added) {
        Q_EMIT problem(added.error());
        Q_EMIT recorded(qsizetype(n), chunk);
        return;
    }
    countSoon();
    Q_EMIT recorded(qsizetype(n), *added);
}

void AlertWorker::acknowledge(const std::vector<QByteArray> &ids, qint64 atMs)
{
    if (!m_outbox || ids.empty())
        return;
    if (Status s = m_outbox->acknowledge(ids, atMs); !s)
        Q_EMIT problem(s.error());
    Q_EMIT deliveriesChanged();
    count();
}

void AlertWorker::snooze(const std::vector<ProductRef> &products, qint64 untilMs)
{
    if (!m_outbox)
        return;
    for (const ProductRef &p : products)
        if (Status s = m_outbox->snooze(p.shop, p.productId, untilMs, now()); !s)
            Q_EMIT problem(s.error());
}

void AlertWorker::readHistory(quint64 request, int limit)
{
    std::vector<AlertOutbox::Entry> entries;
    if (m_outbox) {
        auto read = m_outbox->recent(limit);
        if (read)
            entries = std::move(*read);
        else
            Q_EMIT problem(read.error());
    }
    Q_EMIT history(request, entries);
}

void AlertWorker::prune()
{
    if (!m_outbox)
        return;
    const qint64 at = now();
    auto pruned = m_outbox->prune(at - kKeepDays * kDayMs, kKeepAlerts, at, kPruneBatch);
    if (!pruned)
        Q_EMIT problem(pruned.error());
    else if (*pruned == kPruneBatch) // more to go, a batch a turn: recording and sending go on in between
        QTimer::singleShot(0, this, &AlertWorker::prune);
}

void AlertWorker::countSoon()
{
    if (!m_counter->isActive())
        m_counter->start();
}

void AlertWorker::count()
{
    m_counter->stop();
    Q_EMIT activeCount(m_outbox ? m_outbox->activeCount(now()) : 0);
}

} // namespace peakwatch::ui
