// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_detail_view.h"

#include "message_page_model.h"
#include "webhook_reading.h"
#include "webhook_view.h"

#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStringBuilder>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace peakwatch::ui {
namespace {

// The indented start of a large JSON value is cut at this many bytes of text.
constexpr qsizetype kMaxIndentedBytes = 2 * MessageDetailView::kMaxTextBytes;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The first bytes of `text`, at most `maxBytes`, not ending inside a UTF-8 character.
QByteArrayView utf8Prefix(QByteArrayView text, qsizetype maxBytes)
{
    qsizetype end = std::min(text.size(), maxBytes);
    qsizetype lead = end; // after the last byte that is not a continuation byte
    while (lead > 0 && end - lead < 4 && (uchar(text[lead - 1]) & 0xc0) == 0x80)
        --lead;
    if (lead > 0) {
        const uchar c = uchar(text[lead - 1]);
        const qsizetype length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (end - (lead - 1) < length)
            end = lead - 1;
    }
    return text.first(end);
}

// `json` re-indented, two spaces a level, whitespace outside strings redone; the text is not checked to be JSON.
// Stops between two tokens once the text reaches `maxBytes` (deep nesting indents a short value far), and sets
// `*read` to the bytes of `json` it indented.
QByteArray indentJson(QByteArrayView json, qsizetype maxBytes = std::numeric_limits<qsizetype>::max(),
                      qsizetype *read = nullptr)
{
    QByteArray out;
    out.reserve(std::min(json.size() * 2, maxBytes));
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    const auto newLine = [&] {
        out += '\n';
        out.append(qsizetype(depth) * 2, ' ');
    };
    qsizetype i = 0;
    for (; i < json.size(); ++i) {
        const char c = json[i];
        if (!inString && out.size() >= maxBytes)
            break;
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            qsizetype next = i + 1;
            while (next < json.size() && isJsonSpace(json[next]))
                ++next;
            if (next < json.size() && (json[next] == '}' || json[next] == ']')) { // empty: {} or []
                out += c;
                out += json[next];
                i = next;
                break;
            }
            out += c;
            ++depth;
            newLine();
            break;
        }
        case '}':
        case ']':
            depth = std::max(0, depth - 1);
            newLine();
            out += c;
            break;
        case ',':
            out += c;
            newLine();
            break;
        case ':': out += ": "; break;
        default:
            if (!isJsonSpace(c))
                out += c;
            break;
        }
    }
    if (read)
        *read = std::min(i, json.size());
    return out;
}

// Whether `text` starts as a JSON object or array does, after any whitespace.
bool startsLikeJson(QByteArrayView text)
{
    qsizetype i = 0;
    while (i < text.size() && isJsonSpace(text[i]))
        ++i;
    return i < text.size() && (text[i] == '{' || text[i] == '[');
}

// The value as the pane shows it, and how many of its bytes that is.
struct ShownValue {
    enum class Form {
        Null,
        Empty,
        Json,      // the whole value, checked to be JSON and indented
        JsonStart, // the first bytes of a larger value that starts as JSON, indented unchecked
        Text,
        Hex,
    };
    Form form = Form::Null;
    qsizetype bytes = 0;
    QString text;
};

ShownValue shownValue(const TopicMessage &m)
{
    using Form = ShownValue::Form;
    if (m.valueIsNull)
        return {Form::Null, 0,
                MessageDetailView::tr("(null: the message has no value; on a compacted topic it deletes its key)")};
    if (m.value.isEmpty())
        return {Form::Empty, 0, MessageDetailView::tr("(empty)")};
    // Checking a value is JSON takes all of it: only a value within the bound is checked, and then indented whole.
    if (!m.valueTruncated() && m.value.size() <= MessageDetailView::kMaxTextBytes)
        if (QString pretty = MessageDetailView::prettyJson(m.value); !pretty.isEmpty())
            return {Form::Json, m.value.size(), pretty};
    const QByteArrayView start = utf8Prefix(m.value, MessageDetailView::kMaxTextBytes);
    if (!MessagePageModel::isText(start, start.size() < m.valueSize))
        return {Form::Hex, std::min(m.value.size(), MessageDetailView::kMaxHexBytes),
                MessageDetailView::hexDump(m.value, MessageDetailView::kMaxHexBytes)};
    // The start of a larger value that looks like JSON is indented too, unchecked: Shopify sends JSON on one line, and
    // a text box takes about 90 ms to lay out and paint one line of 256 KB (measured), where the whole pane with the
    // start indented takes under 30 ms.
    if (m.value.size() > MessageDetailView::kMaxTextBytes && startsLikeJson(start)) {
        qsizetype read = 0;
        const QByteArray indented = indentJson(start, kMaxIndentedBytes, &read);
        return {Form::JsonStart, read, QString::fromUtf8(indented)};
    }
    return {Form::Text, start.size(), QString::fromUtf8(start)};
}

QString shownLine(const TopicMessage &m, const ShownValue &shown)
{
    using Form = ShownValue::Form;
    const auto size = [](qint64 bytes) { return MessagePageModel::sizeText(bytes); };
    QString as;
    switch (shown.form) {
    case Form::Null: return MessageDetailView::tr("No value.");
    case Form::Empty: return MessageDetailView::tr("An empty value.");
    case Form::Json:
    case Form::Text: as = MessageDetailView::tr("as text"); break;
    case Form::JsonStart: as = MessageDetailView::tr("indented as JSON"); break;
    case Form::Hex: as = MessageDetailView::tr("as hex"); break;
    }
    if (shown.bytes == m.valueSize)
        return MessageDetailView::tr("Value %1, shown whole.").arg(size(m.valueSize));
    QString line;
    if (m.valueTruncated())
        line = MessageDetailView::tr("The browser read the first %1 of %2 (its limit); ")
                   .arg(size(m.value.size()), size(m.valueSize));
    if (shown.bytes < m.value.size() && m.valueTruncated())
        line += MessageDetailView::tr("showing the first %1 of that, %2.").arg(size(shown.bytes), as);
    else if (shown.bytes < m.value.size())
        line += MessageDetailView::tr("Showing the first %1 of %2, %3.").arg(size(shown.bytes), size(m.valueSize), as);
    else
        line += MessageDetailView::tr("all of that is shown, %1.").arg(as);
    line += m.valueTruncated() ? MessageDetailView::tr(" Save value… writes the %1 read.").arg(size(m.value.size()))
                               : MessageDetailView::tr(" Save value… writes all of it.");
    return line;
}

} // namespace

MessageDetailView::MessageDetailView(QWidget *parent)
    : QWidget(parent)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("messageSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_timestamp = new QLabel(this);
    m_timestamp->setObjectName(QStringLiteral("messageTimestamp"));
    m_timestamp->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("messageKey"));
    m_key->setReadOnly(true);
    m_key->setFont(mono);
    m_key->setToolTip(tr("The message's key, as text or (when binary) hex"));

    m_headers = new QPlainTextEdit(this);
    m_headers->setObjectName(QStringLiteral("messageHeaders"));
    m_headers->setReadOnly(true);
    m_headers->setFont(mono);
    m_headers->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_headers->setToolTip(tr("Every header of the message, name: value, in the order they were set"));
    m_headers->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 4 + 12);

    m_shown = new QLabel(this);
    m_shown->setObjectName(QStringLiteral("messageValueShown"));
    m_shown->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_shown->setWordWrap(true);

    m_save = new QPushButton(tr("Save value…"), this);
    m_save->setObjectName(QStringLiteral("saveValueButton"));
    m_save->setToolTip(tr("Write the value, as read, to a file"));

    m_webhook = new WebhookView(this);
    m_webhook->setObjectName(QStringLiteral("webhookView"));

    m_value = new QPlainTextEdit(this);
    m_value->setObjectName(QStringLiteral("messageValue"));
    m_value->setReadOnly(true);
    m_value->setFont(mono);
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_value->setToolTip(tr("The message's value: JSON indented, other text as it is, binary as hex"));

    // The webhook as what it is on the left, its JSON on the right; the left is hidden for other values.
    auto *valueSplitter = new QSplitter(Qt::Horizontal, this);
    valueSplitter->setObjectName(QStringLiteral("messageValueSplitter"));
    valueSplitter->addWidget(m_webhook);
    valueSplitter->addWidget(m_value);
    valueSplitter->setStretchFactor(0, 3); // the variants' table needs the room more than the JSON
    valueSplitter->setStretchFactor(1, 2);
    valueSplitter->setSizes({480, 320});
    valueSplitter->setChildrenCollapsible(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Timestamp:"), m_timestamp);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Headers:"), m_headers);

    auto *valueBar = new QHBoxLayout;
    valueBar->addWidget(m_shown, 1);
    valueBar->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addLayout(valueBar);
    layout->addWidget(valueSplitter, 1);

    connect(m_save, &QPushButton::clicked, this, &MessageDetailView::saveValue);
    clear();
}

void MessageDetailView::clear()
{
    m_topic.clear();
    m_message = {};
    m_summary->setText(tr("Select a message to see it whole."));
    m_timestamp->clear();
    m_key->clear();
    m_headers->clear();
    m_shown->clear();
    m_save->setEnabled(false);
    m_webhook->clear();
    m_webhook->hide();
    m_value->clear();
    setEnabled(false);
}

void MessageDetailView::showMessage(const QString &topic, const TopicMessage &m)
{
    setEnabled(true);
    m_topic = topic;
    m_message = m;
    // Where it is, its key and headers first: small, and shown whole.
    QString summary = tr("%1, partition %2, offset %3").arg(topic).arg(m.partition).arg(m.offset);
    if (m.valueIsNull)
        summary += tr("; no value (a tombstone)");
    else
        summary += tr("; value %1").arg(MessagePageModel::sizeText(m.valueSize));
    if (m.valueTruncated())
        summary += tr(", of which the first %1 were read").arg(MessagePageModel::sizeText(m.value.size()));
    m_summary->setText(summary);

    m_timestamp->setText(m.timestampMs < 0 ? tr("none")
                                           : MessagePageModel::timestampText(m) % tr(" local time, ") %
                                                 MessagePageModel::timestampTypeText(m.timestampType));

    if (m.keyIsNull)
        m_key->setText(QStringLiteral("(null)"));
    else if (MessagePageModel::isText(m.key, m.keyTruncated()))
        m_key->setText(QString::fromUtf8(m.key));
    else
        m_key->setText(MessagePageModel::hexBytes(m.key, m.key.size()));
    m_key->setCursorPosition(0);

    QStringList headers;
    for (const MessageHeader &h : m.headers)
        headers << QString::fromUtf8(h.name) % QStringLiteral(": ") % MessagePageModel::headerValueText(h);
    m_headers->setPlainText(headers.isEmpty() ? tr("(none)") : headers.join(u'\n'));

    // Then the value, within its bounds, and what it is as a webhook.
    const ShownValue shown = shownValue(m);
    m_shown->setText(shownLine(m, shown));
    m_save->setEnabled(!m.valueIsNull);
    const WebhookReading reading = readWebhook(m);
    m_webhook->showReading(reading);
    m_webhook->setVisible(reading.isWebhook());
    m_value->setPlainText(shown.text);
}

Status MessageDetailView::saveValueTo(const QString &path) const
{
    if (m_message.valueIsNull)
        return Error{tr("The message has no value to save.")};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    if (file.write(m_message.value) != m_message.value.size() || !file.commit())
        return Error{tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    return {};
}

void MessageDetailView::saveValue()
{
    if (m_message.valueIsNull)
        return;
    const QByteArray start = m_message.value.first(std::min<qsizetype>(m_message.value.size(), 64)).trimmed();
    const bool json = start.startsWith('{') || start.startsWith('[');
    const QString name = QStringLiteral("%1-%2-%3.%4")
                             .arg(m_topic)
                             .arg(m_message.partition)
                             .arg(m_message.offset)
                             .arg(json ? QStringLiteral("json") : QStringLiteral("bin"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save value"), QDir::home().filePath(name));
    if (path.isEmpty())
        return;
    if (const Status saved = saveValueTo(path); !saved)
        QMessageBox::warning(this, tr("Save value"), saved.error());
}

QString MessageDetailView::formatValue(const TopicMessage &m)
{
    return shownValue(m).text;
}

QString MessageDetailView::shownText(const TopicMessage &m)
{
    return shownLine(m, shownValue(m));
}

QString MessageDetailView::prettyJson(QByteArrayView json)
{
    // QJsonDocument decides whether it is JSON; the text is re-indented as written, since a
    // QJsonObject would sort the keys.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || (!document.isObject() && !document.isArray()))
        return {};

    return QString::fromUtf8(indentJson(json));
}

QString MessageDetailView::hexDump(QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype shown = std::min(bytes.size(), maxBytes);
    QString out;
    out.reserve((shown / 16 + 2) * 80);
    static constexpr char digits[] = "0123456789abcdef";
    for (qsizetype line = 0; line < shown; line += 16) {
        out += QStringLiteral("%1 ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i - line == 8)
                out += u' ';
            if (i < shown) {
                const auto b = uchar(bytes[i]);
                out += u' ';
                out += QLatin1Char(digits[b >> 4]);
                out += QLatin1Char(digits[b & 0xf]);
                ascii += (b >= 0x20 && b < 0x7f) ? QLatin1Char(char(b)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
        }
        out += QStringLiteral("  |") % ascii % QStringLiteral("|\n");
    }
    if (bytes.size() > shown)
        out += tr("… %1 more bytes not shown").arg(QLocale().toString(bytes.size() - shown));
    return out;
}

} // namespace peakwatch::ui
