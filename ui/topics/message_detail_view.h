// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "topic_browser.h"

#include <QByteArrayView>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace peakwatch::ui {

// One message in full: where it is, its key, timestamp and every header, and its value pretty-printed
// (JSON indented, other text as it is, binary as a hex dump).
class MessageDetailView final : public QWidget {
    Q_OBJECT
public:
    explicit MessageDetailView(QWidget *parent = nullptr);

    void showMessage(const QString &topic, const TopicMessage &message);
    void clear();

    // The value as shown: pretty JSON, text, or a hex dump.
    static QString formatValue(const TopicMessage &message);
    // `json` re-indented (two spaces a level), keys in their order and numbers as written; empty when
    // it is not a JSON object or array.
    static QString prettyJson(QByteArrayView json);
    // "00000000  7b 22 69 64 …  |{"id…|", 16 bytes a line, at most `maxBytes`.
    static QString hexDump(QByteArrayView bytes, qsizetype maxBytes);

private:
    QLabel *m_summary = nullptr;
    QLabel *m_timestamp = nullptr;
    QLineEdit *m_key = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QPlainTextEdit *m_value = nullptr;
};

} // namespace peakwatch::ui
