// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_page_model.h"

#include <QDateTime>
#include <QLocale>
#include <QStringBuilder>
#include <QStringDecoder>

namespace peakwatch::ui {
namespace {

constexpr qsizetype kPreviewBytes = 400; // of a value, decoded for its one-line preview
constexpr qsizetype kPreviewChars = 200;
constexpr qsizetype kSummaryChars = 160;

// Decodes UTF-8; invalid sequences become U+FFFD.
QString decode(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes);
}

// Folds runs of whitespace (line breaks included) into one space and cuts at `maxChars`.
QString oneLine(const QString &text, qsizetype maxChars)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars + 1));
    bool space = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            space = !out.isEmpty();
            continue;
        }
        if (space)
            out += u' ';
        space = false;
        if (out.size() >= maxChars) {
            out += u'…';
            break;
        }
        out += c;
    }
    return out;
}

} // namespace

MessagePageModel::MessagePageModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MessagePageModel::setMessages(const QList<TopicMessage> &messages)
{
    beginResetModel();
    m_messages = messages;
    m_bytes = 0;
    for (const TopicMessage &m : std::as_const(m_messages))
        m_bytes += bytesOf(m);
    endResetModel();
}

void MessagePageModel::appendMessages(const QList<TopicMessage> &messages, int maxRows, qint64 maxBytes)
{
    if (messages.isEmpty() || maxRows <= 0)
        return;
    const qsizetype incoming = std::min<qsizetype>(messages.size(), maxRows);
    // Only the newest `maxRows` of the incoming ones can stay. Newest first, they come in at the top.
    if (incoming > 0) {
        const int first = m_newestFirst ? 0 : int(m_messages.size());
        beginInsertRows({}, first, first + int(incoming) - 1);
        m_messages.reserve(m_messages.size() + incoming);
        for (qsizetype i = messages.size() - incoming; i < messages.size(); ++i) {
            m_messages.append(messages[i]);
            m_bytes += bytesOf(messages[i]);
        }
        endInsertRows();
    }
    qsizetype excess = std::max<qsizetype>(0, m_messages.size() - maxRows);
    qint64 removedBytes = 0;
    for (qsizetype i = 0; i < excess; ++i)
        removedBytes += bytesOf(m_messages[i]);
    while (m_bytes - removedBytes > maxBytes && excess < m_messages.size() - 1)
        removedBytes += bytesOf(m_messages[excess++]);
    if (excess > 0) {
        // The oldest: the first rows, or the last ones newest first.
        const int first = m_newestFirst ? int(m_messages.size() - excess) : 0;
        beginRemoveRows({}, first, first + int(excess) - 1);
        m_messages.remove(0, excess);
        m_bytes -= removedBytes;
        endRemoveRows();
    }
}

void MessagePageModel::clear()
{
    setMessages({});
}

void MessagePageModel::setNewestFirst(bool on)
{
    if (on == m_newestFirst)
        return;
    beginResetModel();
    m_newestFirst = on;
    endResetModel();
}

int MessagePageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int MessagePageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessagePageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TopicMessage &m = message(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Partition: return QString::number(m.partition);
        case Offset: return QString::number(m.offset);
        case Timestamp: return timestampText(m);
        case Key: return keyText(m);
        case Headers: return headersSummary(m);
        case Value: return valuePreview(m);
        default: return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Timestamp:
            return m.timestampMs < 0
                       ? QStringLiteral("No timestamp")
                       : timestampText(m) % QStringLiteral(" local time, ") % timestampTypeText(m.timestampType);
        case Key:
            return m.keyIsNull ? QStringLiteral("No key")
                               : QStringLiteral("Key, %1").arg(sizeText(m.keySize)) % u'\n' %
                                     (isText(m.key, m.keyTruncated()) ? decode(m.key).left(1000) : hexBytes(m.key, 64));
        case Headers: {
            if (m.headers.isEmpty())
                return QStringLiteral("No headers");
            QStringList lines;
            for (const MessageHeader &h : m.headers)
                lines << decode(h.name) % QStringLiteral(": ") % headerValueText(h);
            return lines.join(u'\n');
        }
        case Value:
            return m.valueIsNull
                       ? QStringLiteral("No value (a tombstone)")
                       : QStringLiteral("Value, %1; select the message to see it whole").arg(sizeText(m.valueSize));
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Offset || index.column() == Partition)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case FilterTextRole: {
        QString text = keyText(m);
        for (const MessageHeader &h : m.headers)
            text += u'\n' % decode(h.name) % u'=' % headerValueText(h);
        if (!m.valueIsNull)
            text += u'\n' % decode(m.value);
        return text;
    }
    case OffsetRole: return m.offset;
    default: return {};
    }
}

QVariant MessagePageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Partition: return QStringLiteral("Partition");
        case Offset: return QStringLiteral("Offset");
        case Timestamp: return QStringLiteral("Timestamp");
        case Key: return QStringLiteral("Key");
        case Headers: return QStringLiteral("Headers");
        case Value: return QStringLiteral("Value");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Partition: return QStringLiteral("The partition the message is in");
        case Offset: return QStringLiteral("The message's position in its partition");
        case Timestamp: return QStringLiteral("The message's timestamp, in local time");
        case Key: return QStringLiteral("The message's key, as text or (when binary) hex");
        case Headers: return QStringLiteral("The message's headers, name=value");
        case Value: return QStringLiteral("The start of the message's value; select a message to see it whole");
        default: return {};
        }
    }
    return {};
}

bool MessagePageModel::isText(QByteArrayView bytes, bool truncated)
{
    // A cut value may end inside a character: a stateful decoder keeps those bytes without an error.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           truncated ? QStringDecoder::Flag::Default : QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0x7f)
            return false;
    }
    return true;
}

QString MessagePageModel::hexBytes(QByteArrayView bytes, qsizetype maxBytes)
{
    const QByteArray hex = bytes.first(std::min(bytes.size(), maxBytes)).toByteArray().toHex(' ');
    return QString::fromLatin1(hex) % (bytes.size() > maxBytes ? QStringLiteral(" …") : QString());
}

QString MessagePageModel::timestampText(const TopicMessage &message)
{
    if (message.timestampMs < 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(message.timestampMs)
        .toLocalTime()
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString MessagePageModel::timestampTypeText(TopicMessage::TimestampType type)
{
    switch (type) {
    case TopicMessage::TimestampType::CreateTime: return QStringLiteral("create time (set by the producer)");
    case TopicMessage::TimestampType::LogAppendTime: return QStringLiteral("log append time (set by the broker)");
    case TopicMessage::TimestampType::NotAvailable: break;
    }
    return QStringLiteral("no timestamp");
}

QString MessagePageModel::keyText(const TopicMessage &message)
{
    if (message.keyIsNull)
        return QStringLiteral("(null)");
    if (isText(message.key, message.keyTruncated()))
        return oneLine(decode(message.key.first(std::min<qsizetype>(message.key.size(), kPreviewBytes))),
                       kPreviewChars);
    return hexBytes(message.key, 32);
}

QString MessagePageModel::headerValueText(const MessageHeader &header)
{
    if (header.valueIsNull)
        return QStringLiteral("(null)");
    if (isText(header.value))
        return decode(header.value);
    return QStringLiteral("0x") % QString::fromLatin1(header.value.toHex());
}

QString MessagePageModel::headersSummary(const TopicMessage &message)
{
    QString out;
    for (const MessageHeader &h : message.headers) {
        if (!out.isEmpty())
            out += QStringLiteral("; ");
        out += decode(h.name) % u'=' % headerValueText(h);
        if (out.size() > kSummaryChars)
            break;
    }
    return oneLine(out, kSummaryChars);
}

QString MessagePageModel::valuePreview(const TopicMessage &message)
{
    if (message.valueIsNull)
        return QStringLiteral("(null)");
    const QByteArrayView start = QByteArrayView(message.value).first(std::min(message.value.size(), kPreviewBytes));
    // The preview may cut a character; only the whole value being cut matters for that.
    if (isText(start, start.size() < message.valueSize))
        return oneLine(decode(start), kPreviewChars);
    return QStringLiteral("binary, %1: ").arg(sizeText(message.valueSize)) % hexBytes(start, 16);
}

QString MessagePageModel::sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace peakwatch::ui
