// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "result.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace peakwatch {

// The alerts fired, and their deliveries waiting to go out, in a SQLite file (QtSql) that survives a
// restart or a crash. Each alert has a stable id (the same rule firing on the same event of the same stream
// gets the same id every time the stream is read: see alertId()), and per alert and sink one delivery that goes from
// pending to delivered or failed and never back: an alert delivered to a sink is never handed out for that sink again,
// and an alert fired again after a restart (the stream read again) is recognised and not sent twice.
//
// Every change is committed before the call returns (WAL journal, synchronous=NORMAL: a killed process
// loses nothing committed). Not thread-safe: use it from one thread.
class AlertOutbox final {
public:
    static Result<std::unique_ptr<AlertOutbox>> open(const QString &path);
    ~AlertOutbox();
    Q_DISABLE_COPY_MOVE(AlertOutbox)

    const QString &path() const { return m_path; }

    // Records the alerts (those already known are left as they are), and a pending delivery of each to
    // each sink in `sinksOf` (same length as `alerts`) that it does not have yet. Returns the alerts new here,
    // each with its place in its episode's thread (Alert::thread). due() and recent() give that place too.
    Result<std::vector<Alert>> add(const std::vector<Alert> &alerts, const std::vector<QStringList> &sinksOf,
                                   qint64 nowMs);

    // Pending deliveries for `sink` that are due at nowMs, oldest alert first, each with its place in its episode's
    // thread and where `sink` put that thread (Alert::threadReference).
    Result<std::vector<Alert>> due(const QString &sink, qint64 nowMs, int limit);
    // When the next pending delivery for `sink` is due; none when nothing is pending.
    std::optional<qint64> nextDueAt(const QString &sink);
    // How many attempts the deliveries of these alerts to `sink` have had (the most of them).
    int attempts(const QString &sink, const std::vector<QByteArray> &ids);

    // Where `sink` put the threads of these episodes (episode, reference), replacing what it had for them.
    Status setThreadReferences(const QString &sink, const std::vector<std::pair<QByteArray, QByteArray>> &threads);

    Status markDelivered(const QString &sink, const std::vector<QByteArray> &ids, qint64 nowMs);
    Status markRetry(const QString &sink, const std::vector<QByteArray> &ids, qint64 retryAtMs, const QString &error);
    Status markFailed(const QString &sink, const std::vector<QByteArray> &ids, const QString &error, qint64 nowMs);

    struct SinkCounts {
        qint64 pending = 0;
        qint64 delivered = 0;
        qint64 failed = 0;
        QString lastError; // of the latest failed or retried delivery
    };
    SinkCounts counts(const QString &sink);

    // The history: the newest alerts first, with what became of them.
    enum class DeliveryState { Pending, Delivered, Failed };
    struct Delivery {
        QString sink;
        DeliveryState state = DeliveryState::Pending;
        int attempts = 0;
        QString error;
    };
    struct Entry {
        Alert alert;
        qint64 firedAtMs = 0; // wall clock, when this program first saw it fire
        std::optional<qint64> acknowledgedAtMs;
        std::vector<Delivery> deliveries;
    };
    Result<std::vector<Entry>> recent(int limit);
    Status acknowledge(const std::vector<QByteArray> &ids, qint64 nowMs);
    // Alerts neither acknowledged nor older than a day: what the tray icon counts.
    qint64 activeCount(qint64 nowMs);

    // Forgets what no longer matters, so the file stays bounded at Black Friday rates (thousands of alerts a
    // second under load): alerts first seen before `olderThanMs`, and beyond the `keepAtMost` newest, together
    // with their deliveries; and snoozes made over two days ago (a snooze runs in the stream's time, which need
    // not be today's, and lasts at most until the next morning). An alert with a delivery still pending is kept
    // whatever its age. At most `batch` alerts go per call (a call holds the file for a few milliseconds per
    // thousand); returns how many went. A pruned alert fired again (its stream read again from the start)
    // counts as new.
    Result<qint64> prune(qint64 olderThanMs, qint64 keepAtMost, qint64 nowMs, int batch = 2000);
    qint64 alertCount();

    // A snoozed product's alerts are recorded but reach no person until the snooze ends. `untilMs` is in the
    // stream's time, as alerts are (the simulated time in the demo); `madeAtMs`, the wall clock, is when the
    // snooze was made, for pruning.
    Status snooze(const QByteArray &shop, qint64 productId, qint64 untilMs, qint64 madeAtMs);
    // The end of the product's snooze if it is snoozed at `atMs`, stream time.
    std::optional<qint64> snoozedUntil(const QByteArray &shop, qint64 productId, qint64 atMs);

private:
    AlertOutbox() = default;
    Status exec(const QString &sql);
    Status migrate(); // brings a file of an earlier schema up to this one's
    Status setState(const QString &sink, const std::vector<QByteArray> &ids, const QString &assignments,
                    const QVariantList &values);

    QString m_path;
    QString m_connection; // QSqlDatabase connection name, unique per outbox
};

} // namespace peakwatch
