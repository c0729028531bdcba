// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_outbox.h"
#include "alert_sink.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace peakwatch {

// Delivers alerts at least once to every sink, through the outbox: submit() records each alert and its
// pending deliveries before anything is sent, and a delivery is marked done only when its sink reports it
// arrived. What a crash or a restart interrupts is sent on the next run; what was delivered never is again.
//
// Per sink: one group in flight at a time, at most maxGroup() alerts (so a burst becomes one Slack message,
// not minutes of queue), no sooner than minIntervalMs() after the previous send. A failed attempt is retried
// with exponential backoff (1 s doubling to 5 min) or after the sink's own delay (Slack's Retry-After).
// A permanent refusal (Slack: channel archived) marks the group failed and pauses the sink, keeping later
// alerts pending, until it is added again; the error is reported once through sinkFailed().
// Snoozed products and quiet hours keep alerts from people (desktop, Slack), never from a Kafka topic.
// Lives in a thread with an event loop; not thread-safe.
class AlertDispatcher final : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // milliseconds since the epoch
    using Route = std::function<bool(const Alert &)>;

    explicit AlertDispatcher(AlertOutbox &outbox, QObject *parent = nullptr);
    ~AlertDispatcher() override;

    // Adds a sink (the dispatcher takes it) and starts sending what it has pending, from this run or an
    // earlier one. `route` picks the alerts it gets (all when empty). A sink of the same name is replaced.
    void addSink(std::unique_ptr<AlertSink> sink, Route route = {});
    void removeSink(const QString &name);
    AlertSink *sink(const QString &name) const;
    void setQuietHours(std::optional<QuietHours> hours);
    void setClock(Clock clock); // for tests; the system clock by default

    // Records the alerts and sends them on. Returns the alerts not seen before (an alert fired again when
    // a stream is read again after a restart is not new).
    Result<std::vector<Alert>> submit(const std::vector<Alert> &alerts);

    struct SinkState {
        QString name;
        AlertOutbox::SinkCounts counts;
        QString pausedBecause; // a permanent refusal, until the sink is added again
        bool quiet = false;    // held by quiet hours now
        bool sending = false;  // a group is in flight, its answer awaited
        // When what is pending is next due to go out: the earliest due delivery, now at the soonest, past the
        // quiet hours that would hold it then. None when nothing is pending or the sink is paused.
        std::optional<qint64> nextAttemptAtMs;
    };
    std::vector<SinkState> sinkStates() const;
    // Nothing in flight, and nothing that will be sent now or within `withinMs`: neither a delivery due by
    // then (after a 429's Retry-After, a backoff, or from an earlier run) nor one held by quiet hours that end
    // by then. A paused sink's deliveries do not count. For a command that ends: what is settled for the time
    // it may still wait will not go out before it ends.
    bool settled(qint64 withinMs = 0) const;
    AlertOutbox &outbox() const { return m_outbox; }

Q_SIGNALS:
    void delivered(const QString &sink, int alerts);
    void retrying(const QString &sink, const QString &error, qint64 retryAtMs);
    void sinkFailed(const QString &sink, const QString &error);
    void changed(); // counts changed

private:
    struct Slot;
    void pump(Slot &slot);
    void finish(Slot &slot, const SendOutcome &outcome);
    Slot *slotOf(const QString &name) const;
    qint64 now() const { return m_clock(); }
    // How long the quiet hours that hold `slot` at `atMs` have still to run; 0 when none hold it.
    qint64 quietLeftMs(const Slot &slot, qint64 atMs) const;
    std::optional<qint64> nextAttemptAt(const Slot &slot, qint64 atMs) const;

    AlertOutbox &m_outbox;
    Clock m_clock;
    std::optional<QuietHours> m_quietHours;
    std::vector<std::unique_ptr<Slot>> m_slots;
};

} // namespace peakwatch
