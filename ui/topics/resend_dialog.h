// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "topic_browser.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QRadioButton;

namespace peakwatch::ui {

class MessageSendJob;

// Sends messages read from one topic to another (or the same) as they are: keys, headers and values, in the order
// read; to the partition each was read from, or to the one its key hashes to; with their timestamps or new ones.
// Messages the reader cut short are refused, not sent short.
class ResendDialog final : public QDialog {
    Q_OBJECT
public:
    ResendDialog(const QString &bootstrapServers, const KafkaProperties &properties, const QList<TopicInfo> &topics,
                 const QString &fromTopic, const QList<TopicMessage> &messages, QWidget *parent = nullptr);

    // Sends, as the Send button does; false when refused (and says why).
    bool send();

Q_SIGNALS:
    // Every message was written; `summary` says where.
    void sent(const QString &topic, const QString &summary);

private:
    QString m_bootstrapServers;
    KafkaProperties m_properties;
    QList<TopicInfo> m_topics;
    QList<TopicMessage> m_messages;
    MessageSendJob *m_job = nullptr;

    QComboBox *m_topic = nullptr;
    QRadioButton *m_samePartition = nullptr;
    QRadioButton *m_byKey = nullptr;
    QCheckBox *m_keepTimestamps = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_sendButton = nullptr;
};

} // namespace peakwatch::ui
