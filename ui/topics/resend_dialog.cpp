// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "resend_dialog.h"

#include "message_page_model.h"
#include "message_send_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QStringBuilder>
#include <QVBoxLayout>

namespace peakwatch::ui {

ResendDialog::ResendDialog(const QString &bootstrapServers, const KafkaProperties &properties,
                           const QList<TopicInfo> &topics, const QString &fromTopic,
                           const QList<TopicMessage> &messages, QWidget *parent)
    : QDialog(parent)
    , m_bootstrapServers(bootstrapServers)
    , m_properties(properties)
    , m_topics(topics)
    , m_messages(messages)
{
    setWindowTitle(tr("Send messages to a topic"));
    m_job = new MessageSendJob(this);

    qint64 bytes = 0;
    for (const TopicMessage &m : messages)
        bytes += m.key.size() + m.value.size();
    auto *what = new QLabel(tr("%1 messages of %2 (%3), as they are: keys, headers and values, in the order read.")
                                .arg(QLocale().toString(messages.size()), fromTopic, MessagePageModel::sizeText(bytes)),
                            this);
    what->setWordWrap(true);

    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("resendTopic"));
    m_topic->setEditable(true);
    m_topic->setInsertPolicy(QComboBox::NoInsert);
    for (const TopicInfo &t : topics)
        m_topic->addItem(t.name);
    m_topic->setCurrentIndex(-1);
    m_topic->setCurrentText({});
    m_topic->setToolTip(tr("The topic to send them to; it must exist (nothing creates it)"));

    m_samePartition = new QRadioButton(tr("The partition each was read from"), this);
    m_samePartition->setObjectName(QStringLiteral("resendSamePartition"));
    m_byKey = new QRadioButton(tr("The partition its key hashes to"), this);
    m_byKey->setObjectName(QStringLiteral("resendByKey"));
    m_byKey->setChecked(true);
    m_keepTimestamps = new QCheckBox(tr("Keep their timestamps (otherwise they are stamped now)"), this);
    m_keepTimestamps->setObjectName(QStringLiteral("resendKeepTimestamps"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("resendStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_sendButton = buttons->addButton(tr("Send"), QDialogButtonBox::AcceptRole);
    m_sendButton->setObjectName(QStringLiteral("resendSend"));

    auto *partitions = new QVBoxLayout;
    partitions->addWidget(m_byKey);
    partitions->addWidget(m_samePartition);
    auto *form = new QFormLayout;
    form->addRow(tr("To topic:"), m_topic);
    form->addRow(tr("Partition:"), partitions);
    form->addRow(QString(), m_keepTimestamps);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(560, 260);

    // Send does not close the dialog: it says how the send went first.
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_sendButton, &QPushButton::clicked, this, &ResendDialog::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_job, &MessageSendJob::finished, this,
            [this](const QString &topic, const QList<SentMessage> &sent, const QString &error) {
                m_sendButton->setEnabled(true);
                if (!error.isEmpty()) {
                    m_status->setText(tr("Not sent: %1").arg(error));
                    return;
                }
                const QString summary = sentSummary(topic, sent);
                m_status->setText(summary % u'.');
                Q_EMIT this->sent(topic, summary);
            });

    // A message cut short when read cannot be sent again whole.
    QStringList cut;
    for (const TopicMessage &m : messages)
        if (m.keyTruncated() || m.valueTruncated())
            cut << tr("partition %1 offset %2").arg(m.partition).arg(m.offset);
    if (!cut.isEmpty()) {
        m_sendButton->setEnabled(false);
        m_status->setText(
            tr("%1 of the messages were cut short when read (values over the browser's 1 MB cap), and "
               "would not be sent whole: %2. Send them with peakwatch-cli consume | produce instead.")
                .arg(cut.size())
                .arg(cut.mid(0, 5).join(QStringLiteral("; ")) % (cut.size() > 5 ? QStringLiteral("; …") : QString())));
    }
}

bool ResendDialog::send()
{
    if (m_job->isRunning() || !m_sendButton->isEnabled())
        return false;
    const QString topic = m_topic->currentText().trimmed();
    if (topic.isEmpty()) {
        m_status->setText(tr("Choose a topic to send them to."));
        return false;
    }
    QList<OutgoingMessage> outgoing;
    outgoing.reserve(m_messages.size());
    for (const TopicMessage &m : std::as_const(m_messages))
        outgoing.append(
            OutgoingMessage::from(m, m_samePartition->isChecked() ? m.partition : -1, m_keepTimestamps->isChecked()));
    m_sendButton->setEnabled(false);
    m_status->setText(tr("Sending %1 messages to %2…").arg(QLocale().toString(outgoing.size()), topic));
    m_job->start(m_bootstrapServers, m_properties, topic, outgoing);
    return true;
}

} // namespace peakwatch::ui
