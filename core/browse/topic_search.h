// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "message_format.h"
#include "topic_browser.h"
#include "topic_scan.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <thread>

namespace peakwatch {

// A search of a whole topic (or a time range of it) through filters, for the desktop: a TopicScan on a worker
// thread, its progress about ten times a second, and the first page of matches. Only that page is held; the
// matches beyond it are counted, and exportTo() writes all of them to a file as the scan finds them. Use it from
// the thread it lives in; signals arrive there.
class TopicSearch final : public QObject {
    Q_OBJECT
public:
    static constexpr int kPageSize = 200;

    TopicSearch(const QString &bootstrapServers, const KafkaProperties &properties, QObject *parent = nullptr);
    ~TopicSearch() override; // cancels a search and waits for its thread
    Q_DISABLE_COPY_MOVE(TopicSearch)

    // Starts a search (cancelling one that runs). The filters are compiled first; an error is returned at once,
    // naming the filter and where jq says it is wrong, and nothing starts.
    Status start(const ScanRequest &request, const QStringList &filters);
    // Like start(), writing every match to `path` in `format` (CSV with `columns`); the page is filled as well.
    Status exportTo(const QString &path, MessageFormat format, const QStringList &columns, const ScanRequest &request,
                    const QStringList &filters);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progressed(const peakwatch::ScanProgress &progress);
    // Matches as they are found, up to kPageSize in all; each carries the topic it was read from.
    void found(const QString &topic, const QList<peakwatch::TopicMessage> &messages);
    // The search ended: at the end, the count, or cancelled. `exported` is the number of matches written to a file.
    void finished(const peakwatch::ScanSummary &summary, qint64 exported);
    void failed(const QString &message);

private:
    Status launch(const ScanRequest &request, const QStringList &filters, const QString &path, MessageFormat format,
                  const QStringList &columns);

    QString m_bootstrap;
    KafkaProperties m_properties;
    std::jthread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    quint64 m_generation = 0; // answers of a search that was replaced are dropped
    bool m_running = false;
};

} // namespace peakwatch

Q_DECLARE_METATYPE(peakwatch::ScanProgress)
Q_DECLARE_METATYPE(peakwatch::ScanSummary)
