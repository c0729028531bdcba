// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "kafka_config.h"
#include "live_batch.h"

#include <QObject>

#include <deque>
#include <memory>
#include <optional>

class QTimer;

namespace peakwatch::ui {

// What the desktop's alert delivery does off the UI thread: the outbox (SQLite), the dispatcher and its sinks.
// At the peak, alerts fire in thousands a second and each costs about 20 µs to record; here that work waits
// for nobody. Every member runs in the worker's own thread (AlertCenter calls them there); the results come
// back as signals.
class AlertWorker final : public QObject {
    Q_OBJECT
public:
    AlertWorker();
    ~AlertWorker() override;

    Status open(const QString &path);
    void shutdown(); // the sinks first, then the outbox they report to

    // Drops the sinks and starts again with none (alerts are still recorded, and wait for sinks).
    void resetSinks();
    struct Destinations {
        bool desktop = false;
        bool trayFallback = false; // a tray shows alerts where no notification service runs
        QString alertsTopic;
        QString bootstrapServers;
        KafkaProperties properties;
    };
    void addSinks(const Destinations &destinations);
    void addSink(std::unique_ptr<AlertSink> sink, AlertDispatcher::Route route);
    void setQuietHours(std::optional<QuietHours> hours);

    // Records a chunk an event-loop turn, so that sends and queries interleave with a burst.
    void submit(std::vector<Alert> alerts);
    static constexpr size_t kChunk = 500;
    void acknowledge(const std::vector<QByteArray> &ids, qint64 atMs);
    void snooze(const std::vector<ProductRef> &products, qint64 untilMs);
    void readHistory(quint64 request, int limit);
    void prune(); // what is older than kKeepDays days or beyond the newest kKeepAlerts

    static constexpr qint64 kKeepDays = 14;
    static constexpr qint64 kKeepAlerts = 200000;
    static constexpr int kPruneBatch = 5000;

Q_SIGNALS:
    // `handled` alerts of those submitted are recorded; `fresh` are those not seen before.
    void recorded(qsizetype handled, const std::vector<peakwatch::Alert> &fresh);
    void history(quint64 request, const std::vector<peakwatch::AlertOutbox::Entry> &entries);
    void activeCount(qint64 active);
    void problem(const QString &problem);
    void deliveriesChanged();
    void delivered(const QString &sink);
    void retrying(const QString &sink, const QString &error);
    void sinkFailed(const QString &sink, const QString &error);
    void productActivated(const QByteArray &shop, qint64 productId);
    void alertsActivated();
    void trayMessage(const QString &summary, const QString &body, bool critical);

private:
    void makeDispatcher();
    void recordSome();
    void countSoon(); // at most every 2 s: counting scans the day's alerts
    void count();

    std::unique_ptr<AlertOutbox> m_outbox;
    std::unique_ptr<AlertDispatcher> m_dispatcher;
    std::deque<Alert> m_queue; // submitted, not yet recorded
    QTimer *m_recorder;
    QTimer *m_counter;
    QTimer *m_pruner;
};

} // namespace peakwatch::ui
