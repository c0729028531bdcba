// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "produce_dialog.h"

#include "json_check.h"
#include "message_detail_view.h"
#include "message_page_model.h"
#include "message_send_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStringBuilder>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

// The value is checked this long after the last key stroke.
constexpr int kCheckDelayMs = 250;

} // namespace

ProduceDialog::ProduceDialog(const QString &bootstrapServers, const KafkaProperties &properties,
                             const QList<TopicInfo> &topics, const QString &topic, QWidget *parent)
    : QDialog(parent)
    , m_bootstrapServers(bootstrapServers)
    , m_properties(properties)
    , m_topics(topics)
{
    setWindowTitle(tr("Produce a message"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_job = new MessageSendJob(this);

    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("produceTopic"));
    m_topic->setEditable(true);
    m_topic->setInsertPolicy(QComboBox::NoInsert);
    for (const TopicInfo &t : topics)
        m_topic->addItem(t.name);
    m_topic->setCurrentText(topic);
    m_topic->setToolTip(tr("The topic to write to; it must exist (nothing creates it)"));

    m_partition = new QSpinBox(this);
    m_partition->setObjectName(QStringLiteral("producePartition"));
    m_partition->setMinimum(-1);
    m_partition->setSpecialValueText(tr("By key"));
    m_partition->setToolTip(tr("The partition to write to, or By key: the one the key hashes to (any partition "
                               "when there is no key)"));

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("produceKey"));
    m_key->setFont(mono);
    m_key->setPlaceholderText(tr("e.g. the shop's domain, as the gateway keys webhooks"));
    m_noKey = new QCheckBox(tr("No key"), this);
    m_noKey->setObjectName(QStringLiteral("produceNoKey"));
    m_noKey->setToolTip(tr("Send the message without a key (a null key), not with an empty one"));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_noKey);

    m_headers = new QTableWidget(0, 2, this);
    m_headers->setObjectName(QStringLiteral("produceHeaders"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->horizontalHeader()->resizeSection(0, 200);
    m_headers->verticalHeader()->hide();
    m_headers->setToolTip(tr("Headers in the order they are sent; names may repeat. Rows without a name are left "
                             "out."));
    m_headers->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 7);
    auto *addHeader = new QPushButton(tr("Add header"), this);
    addHeader->setObjectName(QStringLiteral("produceAddHeader"));
    auto *removeHeader = new QPushButton(tr("Remove header"), this);
    auto *headerButtons = new QVBoxLayout;
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch(1);
    auto *headersRow = new QHBoxLayout;
    headersRow->addWidget(m_headers, 1);
    headersRow->addLayout(headerButtons);

    m_value = new QPlainTextEdit(this);
    m_value->setObjectName(QStringLiteral("produceValue"));
    m_value->setFont(mono);
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_value->setMinimumHeight(220);
    m_json = new QCheckBox(tr("The value is JSON"), this);
    m_json->setObjectName(QStringLiteral("produceJson"));
    m_json->setChecked(true);
    m_json->setToolTip(tr("Check the value as JSON while it is typed, and refuse to send it until it is"));
    m_tombstone = new QCheckBox(tr("No value (a tombstone)"), this);
    m_tombstone->setObjectName(QStringLiteral("produceTombstone"));
    m_tombstone->setToolTip(tr("Send a null value: on a compacted topic it deletes the key"));
    auto *pretty = new QPushButton(tr("Indent JSON"), this);
    pretty->setObjectName(QStringLiteral("producePretty"));
    pretty->setToolTip(tr("Indent the value, keys in their order and numbers as written"));
    m_valueCheck = new QLabel(this);
    m_valueCheck->setObjectName(QStringLiteral("produceValueCheck"));
    m_valueCheck->setTextFormat(Qt::PlainText);
    m_valueCheck->setWordWrap(true);
    auto *goToProblem = new QPushButton(tr("Go to the error"), this);
    goToProblem->setObjectName(QStringLiteral("produceGoToError"));
    auto *valueOptions = new QHBoxLayout;
    valueOptions->addWidget(m_json);
    valueOptions->addWidget(m_tombstone);
    valueOptions->addStretch(1);
    valueOptions->addWidget(pretty);
    auto *checkRow = new QHBoxLayout;
    checkRow->addWidget(m_valueCheck, 1);
    checkRow->addWidget(goToProblem);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("produceStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_sendButton = buttons->addButton(tr("Send"), QDialogButtonBox::ActionRole);
    m_sendButton->setObjectName(QStringLiteral("produceSend"));
    m_sendButton->setDefault(false);
    m_sendButton->setAutoDefault(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Topic:"), m_topic);
    form->addRow(tr("Partition:"), m_partition);
    form->addRow(tr("Key:"), keyRow);
    form->addRow(tr("Headers:"), headersRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Value:"), this));
    layout->addWidget(m_value, 1);
    layout->addLayout(valueOptions);
    layout->addLayout(checkRow);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 640);

    auto *checkTimer = new QTimer(this);
    checkTimer->setSingleShot(true);
    checkTimer->setInterval(kCheckDelayMs);
    connect(checkTimer, &QTimer::timeout, this, &ProduceDialog::checkValue);
    connect(m_value, &QPlainTextEdit::textChanged, checkTimer, qOverload<>(&QTimer::start));
    connect(m_json, &QCheckBox::toggled, this, &ProduceDialog::checkValue);
    connect(m_tombstone, &QCheckBox::toggled, this, [this](bool on) {
        m_value->setEnabled(!on);
        checkValue();
    });
    connect(m_noKey, &QCheckBox::toggled, m_key, &QWidget::setDisabled);
    connect(m_topic, &QComboBox::currentTextChanged, this, &ProduceDialog::updateTopic);
    connect(addHeader, &QPushButton::clicked, this, [this] {
        addHeaderRow();
        m_headers->setCurrentCell(m_headers->rowCount() - 1, 0);
        m_headers->editItem(m_headers->item(m_headers->rowCount() - 1, 0));
    });
    connect(removeHeader, &QPushButton::clicked, this, [this] {
        if (m_headers->currentRow() >= 0)
            m_headers->removeRow(m_headers->currentRow());
    });
    connect(pretty, &QPushButton::clicked, this, &ProduceDialog::prettyPrint);
    connect(goToProblem, &QPushButton::clicked, this, &ProduceDialog::showJsonProblem);
    connect(m_sendButton, &QPushButton::clicked, this, &ProduceDialog::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_job, &MessageSendJob::finished, this,
            [this](const QString &sentTo, const QList<SentMessage> &sent, const QString &error) {
                setBusy(false);
                if (!error.isEmpty() || sent.isEmpty()) {
                    m_status->setText(tr("Not sent: %1").arg(error));
                    return;
                }
                m_status->setText(sentSummary(sentTo, sent) % u'.');
                Q_EMIT this->sent(sentTo, sent.front().partition, sent.front().offset);
            });

    updateTopic();
    checkValue();
}

void ProduceDialog::addHeaderRow(const QString &name, const QString &value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
}

void ProduceDialog::fillFrom(const TopicMessage &message)
{
    m_noKey->setChecked(message.keyIsNull);
    m_key->setText(message.keyIsNull ? QString() : QString::fromUtf8(message.key));
    m_headers->setRowCount(0);
    for (const MessageHeader &h : message.headers)
        addHeaderRow(QString::fromUtf8(h.name), h.valueIsNull ? QString() : QString::fromUtf8(h.value));
    m_tombstone->setChecked(message.valueIsNull);
    const QString pretty = MessageDetailView::prettyJson(message.value);
    m_json->setChecked(!message.valueIsNull && !pretty.isEmpty());
    m_value->setPlainText(pretty.isEmpty() ? QString::fromUtf8(message.value) : pretty);
    m_partition->setValue(-1);
    if (message.keyTruncated() || message.valueTruncated())
        m_status->setText(tr("The message was cut when it was read (its first %1 are here): what is sent is what "
                             "the form holds.")
                              .arg(MessagePageModel::sizeText(message.value.size())));
    checkValue();
}

void ProduceDialog::updateTopic()
{
    const QString name = m_topic->currentText().trimmed();
    int partitions = 0;
    for (const TopicInfo &t : std::as_const(m_topics))
        if (t.name == name)
            partitions = int(t.partitions.size());
    m_partition->setMaximum(std::max(0, partitions - 1));
    m_partition->setEnabled(partitions > 0);
    if (partitions == 0)
        m_partition->setValue(-1);
}

void ProduceDialog::checkValue()
{
    m_problemOffset = -1;
    if (m_tombstone->isChecked() || !m_json->isChecked()) {
        m_valueCheck->setText(m_tombstone->isChecked() ? tr("No value: a tombstone will be sent.")
                                                       : tr("The value is sent as typed, in UTF-8."));
        m_valueCheck->setStyleSheet({});
        return;
    }
    const QByteArray value = m_value->toPlainText().toUtf8();
    if (value.trimmed().isEmpty()) {
        m_problemOffset = 0;
        m_valueCheck->setText(tr("Type the value: JSON, or clear \"The value is JSON\" to send text."));
        m_valueCheck->setStyleSheet({});
    } else if (const auto problem = jsonProblem(value)) {
        m_problemOffset = problem->offset;
        m_valueCheck->setText(tr("Not JSON: %1.").arg(problem->text()));
        m_valueCheck->setStyleSheet(QStringLiteral("color: #c62828;"));
    } else {
        m_valueCheck->setText(tr("Valid JSON, %1.").arg(MessagePageModel::sizeText(value.size())));
        m_valueCheck->setStyleSheet({});
    }
}

void ProduceDialog::showJsonProblem()
{
    checkValue();
    if (m_problemOffset < 0)
        return;
    // The problem's byte offset, as a position in the text (characters, not bytes).
    const QByteArray value = m_value->toPlainText().toUtf8();
    const int position = int(QString::fromUtf8(value.left(m_problemOffset)).size());
    QTextCursor cursor = m_value->textCursor();
    cursor.setPosition(position);
    if (position < m_value->document()->characterCount() - 1)
        cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
    m_value->setTextCursor(cursor);
    m_value->setFocus();
}

void ProduceDialog::prettyPrint()
{
    const QString pretty = MessageDetailView::prettyJson(m_value->toPlainText().toUtf8());
    if (pretty.isEmpty()) {
        showJsonProblem();
        return;
    }
    m_value->setPlainText(pretty);
}

bool ProduceDialog::send()
{
    if (m_job->isRunning())
        return false;
    const QString topic = m_topic->currentText().trimmed();
    if (topic.isEmpty()) {
        m_status->setText(tr("Choose a topic to write to."));
        return false;
    }
    checkValue();
    if (m_problemOffset >= 0) {
        m_status->setText(tr("Not sent: the value is not JSON (%1). Mend it, or clear \"The value is JSON\".")
                              .arg(m_valueCheck->text()));
        showJsonProblem();
        return false;
    }
    OutgoingMessage message;
    message.keyIsNull = m_noKey->isChecked();
    message.key = message.keyIsNull ? QByteArray() : m_key->text().toUtf8();
    message.valueIsNull = m_tombstone->isChecked();
    message.value = message.valueIsNull ? QByteArray() : m_value->toPlainText().toUtf8();
    message.partition = m_partition->isEnabled() ? m_partition->value() : -1;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QTableWidgetItem *name = m_headers->item(row, 0);
        const QTableWidgetItem *value = m_headers->item(row, 1);
        if (!name || name->text().trimmed().isEmpty())
            continue;
        message.headers.append({name->text().trimmed().toUtf8(), value ? value->text().toUtf8() : QByteArray(), false});
    }
    setBusy(true);
    m_status->setText(tr("Sending to %1…").arg(topic));
    m_job->start(m_bootstrapServers, m_properties, topic, {message});
    return true;
}

void ProduceDialog::setBusy(bool busy)
{
    m_sendButton->setEnabled(!busy);
}

} // namespace peakwatch::ui
