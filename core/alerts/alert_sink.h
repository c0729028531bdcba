// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"

#include <QObject>
#include <QString>

#include <vector>

namespace peakwatch {

// How one send() went. Delivered: the sink has every alert of the group (Slack answered "ok", the notification
// service returned an id, Kafka acknowledged). Retry: nothing of the group is known to have arrived; try the
// group again after retryAfterMs (the sink's own figure, e.g. Slack's Retry-After; 0 lets the dispatcher back
// off). Failed: the sink refused the group for good (Slack's 404 no_service, 410 channel_is_archived, …):
// the alerts are not retried, and `error` is shown to the user.
struct SendOutcome {
    enum class Kind { Delivered, Retry, Failed };
    Kind kind = Kind::Delivered;
    QString error;           // what went wrong, for a person; never holds a secret (see redaction.h)
    qint64 retryAfterMs = 0; // Retry only
    // Retry or Failed: the alerts of the group that arrived all the same (a Kafka batch can half succeed);
    // they are not sent again.
    std::vector<QByteArray> arrived;
    // Any kind: the threads the sink started for episodes (episode, the sink's reference to the thread, e.g. a
    // Slack channel and message ts), kept by the outbox and handed back in Alert::threadReference.
    std::vector<std::pair<QByteArray, QByteArray>> threadsStarted;

    static SendOutcome delivered() { return {}; }
    static SendOutcome retry(QString error, qint64 afterMs = 0)
    {
        return {Kind::Retry, std::move(error), afterMs, {}, {}};
    }
    static SendOutcome failed(QString error) { return {Kind::Failed, std::move(error), 0, {}, {}}; }
};

// Somewhere alerts go: a Slack webhook, the desktop's notifications, a Kafka topic. The dispatcher hands a sink
// one group of alerts at a time (at most maxGroup(), oldest first) and hands it the next only after the sink
// has emitted finished() for the previous one, and no sooner than minIntervalMs() after the previous send.
// A sink that gets many alerts at once puts them in one message (Slack) or one notification (desktop).
// Sinks live in the thread of the dispatcher, which needs an event loop; send() must not block.
class AlertSink : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Unique among the sinks of one outbox and stable across runs: the outbox remembers per alert and sink
    // whether it was delivered. "slack", "slack:<shop domain>", "desktop", "kafka:<topic>".
    virtual QString name() const = 0;
    virtual int maxGroup() const = 0;
    virtual qint64 minIntervalMs() const { return 0; }
    // Whether quiet hours hold this sink's alerts back (people are not woken; a Kafka topic is not a person).
    virtual bool quietHoursApply() const { return true; }
    // Sends the group; exactly one finished() follows, possibly before send() returns.
    virtual void send(const std::vector<Alert> &alerts) = 0;

Q_SIGNALS:
    void finished(const peakwatch::SendOutcome &outcome);
};

// How urgent an alert is: sold out is critical, selling out and low stock are normal, a restock is low.
enum class AlertSeverity { Low, Normal, Critical };
AlertSeverity alertSeverity(AlertRule rule);

} // namespace peakwatch

Q_DECLARE_METATYPE(peakwatch::SendOutcome)
