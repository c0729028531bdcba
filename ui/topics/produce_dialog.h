// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "topic_browser.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace peakwatch::ui {

class MessageSendJob;

// Writes one message to a topic: its key (or none), headers, partition (or by key) and value, checked as JSON as
// it is typed (where it goes wrong is shown and can be jumped to). It stays open after a send, saying where the
// message went, so that the next can be written from it.
class ProduceDialog final : public QDialog {
    Q_OBJECT
public:
    // `topics` with their partition counts, for the topic box; `topic` is chosen.
    ProduceDialog(const QString &bootstrapServers, const KafkaProperties &properties, const QList<TopicInfo> &topics,
                  const QString &topic, QWidget *parent = nullptr);

    // Fills the form from a message read (its key, headers and value; the partition by key).
    void fillFrom(const TopicMessage &message);
    // Sends what the form holds, as the Send button does; false when the form is refused (and says why).
    bool send();

Q_SIGNALS:
    // A message was written (after send()).
    void sent(const QString &topic, int partition, qint64 offset);

private:
    void updateTopic();
    void checkValue();
    void showJsonProblem();
    void prettyPrint();
    void addHeaderRow(const QString &name = {}, const QString &value = {});
    void setBusy(bool busy);

    QString m_bootstrapServers;
    KafkaProperties m_properties;
    QList<TopicInfo> m_topics;
    MessageSendJob *m_job = nullptr;

    QComboBox *m_topic = nullptr;
    QSpinBox *m_partition = nullptr;
    QLineEdit *m_key = nullptr;
    QCheckBox *m_noKey = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_value = nullptr;
    QCheckBox *m_json = nullptr;
    QCheckBox *m_tombstone = nullptr;
    QLabel *m_valueCheck = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_sendButton = nullptr;
    qsizetype m_problemOffset = -1; // where the value stops being JSON; -1 when it is JSON
};

} // namespace peakwatch::ui
