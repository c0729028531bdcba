// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"
#include "topic_browser.h"

#include <QByteArrayView>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace peakwatch::ui {

class WebhookView;

// One message in full: where it is, its key, timestamp and every header, and its value pretty-printed
// (JSON indented, other text as it is, binary as a hex dump) up to a bound, so that a large value never stalls the
// window; the whole value can be saved to a file. A Shopify webhook is also shown as what it is, beside its JSON.
class MessageDetailView final : public QWidget {
    Q_OBJECT
public:
    // A value is shown as text up to this many bytes. JSON is checked and indented when the whole value fits; the
    // start of a longer value that begins as JSON is indented unchecked.
    static constexpr qsizetype kMaxTextBytes = 256 * 1024;
    // A binary value is shown as a hex dump of up to this many bytes.
    static constexpr qsizetype kMaxHexBytes = 64 * 1024;

    explicit MessageDetailView(QWidget *parent = nullptr);

    void showMessage(const QString &topic, const TopicMessage &message);
    void clear();

    // Writes the value as read to `path`: all of it, or the first bytes the browser kept of a longer one.
    Status saveValueTo(const QString &path) const;

    // The value as shown: pretty JSON, text, or a hex dump, within the bounds above.
    static QString formatValue(const TopicMessage &message);
    // How much of the value formatValue() shows, of how much: "Showing the first 256.0 kB of 1.0 MB, as text. …".
    static QString shownText(const TopicMessage &message);
    // `json` re-indented (two spaces a level), keys in their order and numbers as written; empty when
    // it is not a JSON object or array.
    static QString prettyJson(QByteArrayView json);
    // "00000000  7b 22 69 64 …  |{"id…|", 16 bytes a line, at most `maxBytes`.
    static QString hexDump(QByteArrayView bytes, qsizetype maxBytes);

private:
    void saveValue();

    QString m_topic;
    TopicMessage m_message; // the one shown; its bytes are shared, not copied
    QLabel *m_summary = nullptr;
    QLabel *m_timestamp = nullptr;
    QLineEdit *m_key = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QLabel *m_shown = nullptr;
    QPushButton *m_save = nullptr;
    WebhookView *m_webhook = nullptr;
    QPlainTextEdit *m_value = nullptr;
};

} // namespace peakwatch::ui
