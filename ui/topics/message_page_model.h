// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "topic_browser.h"

#include <QAbstractTableModel>
#include <QByteArrayView>
#include <QList>

#include <limits>

namespace peakwatch::ui {

// The messages of one partition as loaded (a page, replaced whole, or a live tail, appended to and capped), or
// the first messages a search of a whole topic found (the Partition column says where each is). The text shown is built
// in data() from the messages as read.
class MessagePageModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Partition, Offset, Timestamp, Key, Headers, Value, ColumnCount };
    enum Role {
        FilterTextRole = Qt::UserRole + 1, // key, headers and value as text, for the filter
        OffsetRole,
    };

    explicit MessagePageModel(QObject *parent = nullptr);

    void setMessages(const QList<TopicMessage> &messages);
    // Appends `messages` (newer than those held), then drops the oldest beyond `maxRows`, and beyond
    // `maxBytes` of keys and values (the newest row always stays).
    void appendMessages(const QList<TopicMessage> &messages, int maxRows,
                        qint64 maxBytes = std::numeric_limits<qint64>::max());
    void clear();
    // Rows newest first (a live tail: new messages come in at the top, the oldest leave at the bottom), or in
    // the order held (a page). messages() keeps the order held either way.
    void setNewestFirst(bool on);
    bool newestFirst() const { return m_newestFirst; }

    const TopicMessage &message(int row) const { return m_messages.at(indexOfRow(row)); }
    const QList<TopicMessage> &messages() const { return m_messages; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shared with the detail pane.
    // Valid UTF-8 with no control characters but tab, CR and LF. A cut value (`truncated`) may end in
    // part of a character.
    static bool isText(QByteArrayView bytes, bool truncated = false);
    // "7b 22 69 64", at most `maxBytes` of them, then "…".
    static QString hexBytes(QByteArrayView bytes, qsizetype maxBytes);
    // The timestamp as local time, "2026-11-27 00:03:12.345"; empty when there is none.
    static QString timestampText(const TopicMessage &message);
    static QString timestampTypeText(TopicMessage::TimestampType type);
    // One line: the key as text, or hex when binary, or "(null)".
    static QString keyText(const TopicMessage &message);
    // A header's value as text, hex when binary, "(null)" when it has none.
    static QString headerValueText(const MessageHeader &header);
    // "name=value; name=value", one line.
    static QString headersSummary(const TopicMessage &message);
    // The start of the value on one line (whitespace runs folded), or a note when binary or null.
    static QString valuePreview(const TopicMessage &message);
    // "3.4 KB"
    static QString sizeText(qint64 bytes);

    // The bytes of the keys and values held.
    qint64 byteCount() const { return m_bytes; }

private:
    static qint64 bytesOf(const TopicMessage &m) { return m.key.size() + m.value.size(); }
    qsizetype indexOfRow(int row) const { return m_newestFirst ? m_messages.size() - 1 - row : row; }

    QList<TopicMessage> m_messages; // in the order read
    qint64 m_bytes = 0;
    bool m_newestFirst = false;
};

} // namespace peakwatch::ui
