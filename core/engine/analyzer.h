// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "event_parser.h"
#include "inventory_engine.h"
#include "product_snapshot.h"
#include "reject_log.h"

#include <array>
#include <functional>
#include <unordered_set>
#include <vector>

namespace peakwatch {

// The whole analysis of a stream, with no I/O: parse each message, apply it to the inventory engine,
// evaluate the alert rules, count what was accepted, duplicated, out of order or rejected.
// One Analyzer belongs to one thread (the consumer's, or the replay's).
class Analyzer final {
public:
    // Waiting: an inventory level kept until a products/update names its item (InventoryEngine).
    enum class Outcome { Accepted, Duplicate, OutOfOrder, Rejected, Waiting };

    explicit Analyzer(AlertRules rules = {}, PredictorParams params = {},
                      size_t maxValueBytes = EventParser::kDefaultMaxValueBytes);
    Q_DISABLE_COPY_MOVE(Analyzer)

    // What the messages are read from (see stream_origin.h): goes into the ids of the alerts fired from here on,
    // so that reading the same stream again gives the same ids and another stream gives others.
    void setStream(QByteArray stream) { m_stream = std::move(stream); }
    const QByteArray &stream() const { return m_stream; }

    // How the partitions of the stream are named in what is reported (KafkaConsumer::partitionName, where several
    // topics are read as one stream); unset: by number. Called only for a message rejected.
    void setPartitionNames(std::function<QString(int)> names) { m_partitionNames = std::move(names); }
    // The wall clock that bounds event times (see EventParser::setClock).
    void setClock(std::function<qint64()> clock) { m_parser.setClock(std::move(clock)); }
    // How far ahead of the clock an event time may be; 0: no bound (see EventParser::setMaxAheadMs).
    void setMaxAheadMs(qint64 ms) { m_parser.setMaxAheadMs(ms); }

    // Parses and applies one message; appends the alerts it fires to `alerts`.
    Outcome process(const RawMessage &message, std::vector<Alert> &alerts);

    // Every product's snapshot as of its shop's latest event time, sorted by shop then product id.
    std::vector<ProductSnapshot> snapshots() const;
    ProductSnapshot snapshotOf(const ProductState &state) const;

    // Remember which products changed, for publishing their snapshots in batches.
    void setTrackChanges(bool on) { m_trackChanges = on; }
    std::vector<ProductSnapshot> takeChangedSnapshots();

    // Forgets the products of a Kafka partition that this instance no longer owns.
    size_t dropPartition(int partition);

    qint64 accepted() const { return m_accepted; }
    qint64 duplicates() const { return m_duplicates; }
    qint64 outOfOrder() const { return m_outOfOrder; }
    qint64 held() const { return m_held; } // inventory levels that waited for their item's products/update
    // Messages accepted of one topic.
    qint64 accepted(ShopifyTopic topic) const { return m_acceptedByTopic[size_t(topic)]; }
    const RejectLog &rejects() const { return m_rejects; }
    const InventoryEngine &engine() const { return m_engine; }
    const AlertRules &rules() const { return m_rules; }
    // New thresholds apply from the next update on; what rules already fired stays fired (hysteresis).
    void setRules(AlertRules rules) { m_rules = std::move(rules); }

    // "accepted 1200, duplicates 3, out of order 2, rejected 4 (invalid_json 1, bad_price 3)", then, once other
    // topics than products/update come: "; inventory levels 800, 19 held until a products/update named their item
    // (0 still held), orders 300 (4 lines for products not seen yet)". Held levels are in none of the first counts.
    QString summary() const;

private:
    AlertRules m_rules;
    QByteArray m_stream;
    EventParser m_parser;
    InventoryEngine m_engine;
    RejectLog m_rejects;
    std::function<QString(int)> m_partitionNames;
    ParsedMessage m_message;
    Rejection m_rejection;
    std::array<qint64, 3> m_acceptedByTopic{};
    qint64 m_held = 0; // levels that waited for their item's products/update
    qint64 m_accepted = 0;
    qint64 m_duplicates = 0;
    qint64 m_outOfOrder = 0;
    bool m_trackChanges = false;
    std::unordered_set<ProductKey, ProductKeyHash> m_changed;
};

} // namespace peakwatch
