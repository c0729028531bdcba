// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_dispatcher.h"

#include "logging.h"
#include "redaction.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace peakwatch {
namespace {

constexpr qint64 kFirstBackoffMs = 1000;
constexpr qint64 kLongestBackoffMs = 5 * 60 * 1000;

std::vector<QByteArray> idsOf(const std::vector<Alert> &alerts)
{
    std::vector<QByteArray> ids;
    ids.reserve(alerts.size());
    for (const Alert &a : alerts)
        ids.push_back(a.id);
    return ids;
}

} // namespace

struct AlertDispatcher::Slot {
    std::unique_ptr<AlertSink> sink;
    Route route;
    QTimer timer; // the next pump
    bool busy = false;
    std::vector<QByteArray> inFlight;
    qint64 lastSendMs = std::numeric_limits<qint64>::min() / 2;
    QString pausedBecause;
};

AlertDispatcher::AlertDispatcher(AlertOutbox &outbox, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    qRegisterMetaType<SendOutcome>();
}

AlertDispatcher::~AlertDispatcher() = default;

void AlertDispatcher::addSink(std::unique_ptr<AlertSink> sink, Route route)
{
    removeSink(sink->name());
    auto slot = std::make_unique<Slot>();
    slot->sink = std::move(sink);
    slot->route = std::move(route);
    slot->timer.setSingleShot(true);
    Slot *s = slot.get();
    connect(&slot->timer, &QTimer::timeout, this, [this, s] { pump(*s); });
    // Queued: a sink that answers within send() must not re-enter the pump.
    // The slot is looked up again: the sink may have been removed while its answer was queued.
    connect(
        slot->sink.get(), &AlertSink::finished, this,
        [this, sink = slot->sink.get()](const SendOutcome &outcome) {
            for (const auto &candidate : m_slots)
                if (candidate->sink.get() == sink)
                    finish(*candidate, outcome);
        },
        Qt::QueuedConnection);
    m_slots.push_back(std::move(slot));
    s->timer.start(0);
}

void AlertDispatcher::removeSink(const QString &name)
{
    std::erase_if(m_slots, [&](const std::unique_ptr<Slot> &slot) { return slot->sink->name() == name; });
}

AlertSink *AlertDispatcher::sink(const QString &name) const
{
    Slot *slot = slotOf(name);
    return slot ? slot->sink.get() : nullptr;
}

AlertDispatcher::Slot *AlertDispatcher::slotOf(const QString &name) const
{
    for (const auto &slot : m_slots)
        if (slot->sink->name() == name)
            return slot.get();
    return nullptr;
}

void AlertDispatcher::setQuietHours(std::optional<QuietHours> hours)
{
    m_quietHours = hours;
    for (const auto &slot : m_slots)
        slot->timer.start(0);
}

void AlertDispatcher::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 AlertDispatcher::quietLeftMs(const Slot &slot, qint64 atMs) const
{
    if (!m_quietHours || !slot.sink->quietHoursApply())
        return 0;
    const QTime local = QDateTime::fromMSecsSinceEpoch(atMs).time();
    const int minute = local.hour() * 60 + local.minute();
    return m_quietHours->contains(minute) ? m_quietHours->msUntilEnd(minute, local.second()) : 0;
}

std::optional<qint64> AlertDispatcher::nextAttemptAt(const Slot &slot, qint64 atMs) const
{
    if (!slot.pausedBecause.isEmpty())
        return std::nullopt;
    const auto due = m_outbox.nextDueAt(slot.sink->name());
    if (!due)
        return std::nullopt;
    const qint64 at = std::max(*due, atMs);
    return at + quietLeftMs(slot, at);
}

Result<std::vector<Alert>> AlertDispatcher::submit(const std::vector<Alert> &alerts)
{
    if (alerts.empty())
        return std::vector<Alert>{};
    const qint64 at = now();
    std::vector<QStringList> sinksOf(alerts.size());
    for (size_t i = 0; i < alerts.size(); ++i) {
        const Alert &a = alerts[i];
        // Looked up once per alert and only when a person would be told.
        std::optional<bool> snoozed;
        for (const auto &slot : m_slots) {
            if (slot->route && !slot->route(a))
                continue;
            if (slot->sink->quietHoursApply()) {
                if (!snoozed)
                    snoozed = m_outbox.snoozedUntil(a.shop, a.productId, a.atMs).has_value(); // stream time
                if (*snoozed)
                    continue;
            }
            sinksOf[i].append(slot->sink->name());
        }
    }
    auto added = m_outbox.add(alerts, sinksOf, at);
    if (!added)
        return added;
    for (const auto &slot : m_slots)
        if (!slot->busy && !slot->timer.isActive())
            slot->timer.start(0);
    Q_EMIT changed();
    return added;
}

void AlertDispatcher::pump(Slot &slot)
{
    if (slot.busy || !slot.pausedBecause.isEmpty())
        return;
    const qint64 at = now();
    if (const qint64 quiet = quietLeftMs(slot, at); quiet > 0) {
        slot.timer.start(int(std::min<qint64>(quiet, 60 * 60 * 1000)));
        return;
    }
    const qint64 earliest = slot.lastSendMs + slot.sink->minIntervalMs();
    if (at < earliest) {
        slot.timer.start(int(earliest - at));
        return;
    }
    auto due = m_outbox.due(slot.sink->name(), at, slot.sink->maxGroup());
    if (!due) {
        qCWarning(lcAlerts).noquote() << due.error();
        slot.timer.start(int(kFirstBackoffMs));
        return;
    }
    if (due->empty()) {
        if (const auto next = m_outbox.nextDueAt(slot.sink->name()))
            slot.timer.start(int(std::clamp<qint64>(*next - at, 0, kLongestBackoffMs)));
        return;
    }
    slot.busy = true;
    slot.lastSendMs = at;
    slot.inFlight = idsOf(*due);
    slot.sink->send(*due);
}

void AlertDispatcher::finish(Slot &slot, const SendOutcome &outcome)
{
    if (!slot.busy)
        return;
    slot.busy = false;
    const QString name = slot.sink->name();
    const qint64 at = now();
    std::vector<QByteArray> ids = std::move(slot.inFlight);
    slot.inFlight.clear();
    if (Status s = m_outbox.setThreadReferences(name, outcome.threadsStarted); !s)
        qCWarning(lcAlerts).noquote() << s.error();
    if (!outcome.arrived.empty() && outcome.kind != SendOutcome::Kind::Delivered) {
        if (Status s = m_outbox.markDelivered(name, outcome.arrived, at); !s)
            qCWarning(lcAlerts).noquote() << s.error();
        std::erase_if(ids, [&](const QByteArray &id) {
            return std::find(outcome.arrived.begin(), outcome.arrived.end(), id) != outcome.arrived.end();
        });
    }
    const QString error = redacted(outcome.error);
    Status recorded;
    switch (outcome.kind) {
    case SendOutcome::Kind::Delivered:
        recorded = m_outbox.markDelivered(name, ids, at);
        Q_EMIT delivered(name, int(ids.size()));
        break;
    case SendOutcome::Kind::Retry: {
        const int attempts = m_outbox.attempts(name, ids); // before this one
        const qint64 backoff = outcome.retryAfterMs > 0
                                   ? outcome.retryAfterMs
                                   : std::min(kLongestBackoffMs, kFirstBackoffMs << std::min(attempts, 9));
        recorded = m_outbox.markRetry(name, ids, at + backoff, error);
        qCInfo(lcAlerts).noquote() << name << "will retry" << ids.size() << "alerts in" << backoff << "ms:" << error;
        Q_EMIT retrying(name, error, at + backoff);
        break;
    }
    case SendOutcome::Kind::Failed:
        recorded = m_outbox.markFailed(name, ids, error, at);
        slot.pausedBecause = error;
        qCWarning(lcAlerts).noquote() << name << "refused" << ids.size() << "alerts, not retried:" << error;
        Q_EMIT sinkFailed(name, error);
        break;
    }
    if (!recorded)
        qCWarning(lcAlerts).noquote() << recorded.error();
    Q_EMIT changed();
    slot.timer.start(0);
}

std::vector<AlertDispatcher::SinkState> AlertDispatcher::sinkStates() const
{
    const qint64 at = now();
    std::vector<SinkState> states;
    for (const auto &slot : m_slots)
        states.push_back({slot->sink->name(), m_outbox.counts(slot->sink->name()), slot->pausedBecause,
                          quietLeftMs(*slot, at) > 0, slot->busy, nextAttemptAt(*slot, at)});
    return states;
}

bool AlertDispatcher::settled(qint64 withinMs) const
{
    const qint64 at = now();
    for (const auto &slot : m_slots) {
        if (slot->busy)
            return false;
        if (const auto next = nextAttemptAt(*slot, at); next && *next <= at + withinMs)
            return false;
    }
    return true;
}

} // namespace peakwatch
