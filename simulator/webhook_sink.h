// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "raw_message.h"
#include "webhook_delivery.h"

#include <QString>

namespace peakwatch::sim {

class RunStats;

// Where a load run sends its webhooks: Kafka directly, or an HTTP endpoint.
// Used from the thread that owns the load run; outcomes go to the RunStats.
class WebhookSink {
public:
    virtual ~WebhookSink() = default;
    // Whether another delivery may be sent now (false while the sink is at its in-flight limit).
    virtual bool canSend() const = 0;
    virtual void send(const WebhookDelivery &delivery) = 0;
    virtual qint64 inFlight() const = 0;
    // Called by the load run at each turn of its loop: a sink whose outcomes arrive on the run's own
    // thread takes them here.
    virtual void serve() {}
    // A body buffer whose delivery is over, to write the next body into without allocating; empty when
    // the sink has none to give back.
    virtual QByteArray spareBody() { return {}; }
    // A one-line description for the run's report: "kafka products at 127.0.0.1:9092".
    virtual QByteArray describe() const = 0;
    // What keeps deliveries from going through right now ("127.0.0.1:9/bootstrap: Connect to … failed: Connection
    // refused"), as the sink last heard it; empty while they go through or when the sink cannot tell.
    virtual QString trouble() const { return {}; }
    // The run gave up: drop what is not delivered yet (counted as errors), so that ending does not wait for it.
    virtual void abandon() {}
};

using peakwatch::kCreatedAtHeader; // core/engine/raw_message.h

} // namespace peakwatch::sim
