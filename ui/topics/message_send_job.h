// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "message_sender.h"

#include <QObject>

#include <thread>

namespace peakwatch::ui {

// Writes messages to a topic off the window's thread (sendMessages) and says how it went. One send at a time;
// destroying the job waits for a send under way (at most its timeout).
class MessageSendJob final : public QObject {
    Q_OBJECT
public:
    explicit MessageSendJob(QObject *parent = nullptr);
    ~MessageSendJob() override;

    // False when a send is under way.
    bool start(const QString &bootstrapServers, const KafkaProperties &properties, const QString &topic,
               const QList<OutgoingMessage> &messages);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // Where each message went, in the order given; or `error` in words, and nothing in `sent`.
    void finished(const QString &topic, const QList<peakwatch::SentMessage> &sent, const QString &error);

private:
    std::jthread m_thread;
    bool m_running = false;
};

// "Sent to orders, partition 2, at offset 1234"; "12 messages sent to orders (partitions 0, 2)".
QString sentSummary(const QString &topic, const QList<SentMessage> &sent);

} // namespace peakwatch::ui
