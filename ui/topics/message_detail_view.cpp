// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_detail_view.h"

#include "message_page_model.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStringBuilder>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

constexpr qsizetype kHexDumpBytes = 64 * 1024;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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
    m_headers->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 5 + 12);

    m_value = new QPlainTextEdit(this);
    m_value->setObjectName(QStringLiteral("messageValue"));
    m_value->setReadOnly(true);
    m_value->setFont(mono);
    m_value->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_value->setToolTip(tr("The message's value: JSON indented, other text as it is, binary as hex"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Timestamp:"), m_timestamp);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Headers:"), m_headers);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addWidget(m_value, 1);
    clear();
}

void MessageDetailView::clear()
{
    m_summary->setText(tr("Select a message to see it whole."));
    m_timestamp->clear();
    m_key->clear();
    m_headers->clear();
    m_value->clear();
    setEnabled(false);
}

void MessageDetailView::showMessage(const QString &topic, const TopicMessage &m)
{
    setEnabled(true);
    const QLocale locale;
    QString summary = tr("%1, partition %2, offset %3").arg(topic).arg(m.partition).arg(m.offset);
    if (m.valueIsNull)
        summary += tr("; no value (a tombstone)");
    else
        summary += tr("; value %1").arg(MessagePageModel::sizeText(m.valueSize));
    if (m.valueTruncated())
        summary += tr(", of which the first %1 are shown").arg(MessagePageModel::sizeText(m.value.size()));
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
    m_value->setPlainText(formatValue(m));
}

QString MessageDetailView::formatValue(const TopicMessage &m)
{
    if (m.valueIsNull)
        return tr("(null: the message has no value; on a compacted topic it deletes its key)");
    if (m.value.isEmpty())
        return tr("(empty)");
    if (!m.valueTruncated())
        if (QString pretty = prettyJson(m.value); !pretty.isEmpty())
            return pretty;
    if (MessagePageModel::isText(m.value, m.valueTruncated()))
        return QString::fromUtf8(m.value);
    return hexDump(m.value, kHexDumpBytes);
}

QString MessageDetailView::prettyJson(QByteArrayView json)
{
    // QJsonDocument decides whether it is JSON; the text is re-indented as written, since a
    // QJsonObject would sort the keys.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || (!document.isObject() && !document.isArray()))
        return {};

    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    const auto newLine = [&] {
        out += '\n';
        out.append(qsizetype(depth) * 2, ' ');
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
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
            --depth;
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
    return QString::fromUtf8(out);
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
