// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_send_job.h"

#include <QLocale>
#include <QSet>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch::ui {
namespace {

// The window waits this long for the cluster before a send fails.
constexpr auto kSendTimeout = std::chrono::seconds(15);

} // namespace

MessageSendJob::MessageSendJob(QObject *parent)
    : QObject(parent)
{}

MessageSendJob::~MessageSendJob() = default; // the jthread joins: a send under way ends within its timeout

bool MessageSendJob::start(const QString &bootstrapServers, const KafkaProperties &properties, const QString &topic,
                           const QList<OutgoingMessage> &messages)
{
    if (m_running)
        return false;
    m_running = true;
    if (m_thread.joinable())
        m_thread.join(); // the one before has posted its answer already
    // The job outlives the thread (its destructor joins), and an answer posted to a job destroyed meanwhile is
    // dropped with it.
    m_thread = std::jthread([this, bootstrapServers, properties, topic, messages] {
        auto result = sendMessages(bootstrapServers, properties, topic, messages, kSendTimeout);
        QMetaObject::invokeMethod(
            this,
            [this, topic, sent = result ? *result : QList<SentMessage>{}, error = result.error()] {
                m_running = false;
                Q_EMIT finished(topic, sent, error);
            },
            Qt::QueuedConnection);
    });
    return true;
}

QString sentSummary(const QString &topic, const QList<SentMessage> &sent)
{
    if (sent.size() == 1)
        return QStringLiteral("Sent to %1, partition %2, at offset %3")
            .arg(topic)
            .arg(sent.front().partition)
            .arg(sent.front().offset);
    QSet<int> partitions;
    for (const SentMessage &s : sent)
        partitions.insert(s.partition);
    QList<int> ordered(partitions.begin(), partitions.end());
    std::sort(ordered.begin(), ordered.end());
    QStringList names;
    for (int p : ordered)
        names << QString::number(p);
    return QStringLiteral("%1 messages sent to %2 (%3 %4)")
        .arg(QLocale().toString(sent.size()), topic,
             ordered.size() == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"),
             names.join(QStringLiteral(", ")));
}

} // namespace peakwatch::ui
