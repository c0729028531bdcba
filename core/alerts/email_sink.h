// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "result.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <thread>

namespace peakwatch {

struct EmailOptions {
    QString from;                // "alerts@example.com" or "Peakwatch <alerts@example.com>"
    QStringList to;              // the same forms
    qint64 digestIntervalMs = 0; // 0: a message per product episode as its alerts come
};

// Alerts as e-mail through an SMTP server (libcurl), one message per product episode: the episode's first alerts
// start a thread, and its later ones (selling out, then sold out, then restocked) follow up in it, with the first
// message's subject after "Re: " (email_message.h, EmailThread). Alerts of one episode that come together share a
// message. With a digest interval, all that came in the interval go as one message instead, in no thread.
// `smtpUrl` is smtp://user:password@host:port, with STARTTLS required (plain text only to this machine: a test, a
// local relay), or smtps://user:password@host:port for TLS from the start; user and password percent-encoded as in
// any URL. libcurl picks the AUTH mechanism the server offers (PLAIN, LOGIN, …). The password and the URL are
// registered as secrets (redaction.h): no error or log line shows them.
//
// The server's answer decides the outcome: the message taken is delivered; a refused user and password, a 5xx
// for the sender, a recipient or the message, and a certificate that does not verify are failures a person must
// fix; a 4xx (421, 450, 451, …), a server that cannot be reached, a timeout and other TLS trouble are retried.
//
// With a digest interval, the dispatcher sends at most one message per interval and holds what comes in between,
// so that one message carries it all (up to 500 alerts); without one, each group goes as it comes (up to 50
// alerts, in as many messages as episodes, over one connection). When a message of a group is refused, those
// before it count as delivered and the rest are retried or failed. send() does the SMTP exchange on a thread of
// its own, one at a time, and emits finished() in the sink's thread.
class EmailSink final : public AlertSink {
    Q_OBJECT
public:
    static constexpr int kConnectTimeoutMs = 10'000;
    static constexpr int kTimeoutMs = 60'000;
    static constexpr int kMaxGroup = 50;
    static constexpr int kMaxDigestGroup = 500;

    // `name` as AlertSink::name() ("email", "email:<address>"). A URL that checkSmtpUrl() refuses, or options
    // that checkOptions() refuses, are kept, and every send() fails with that error.
    EmailSink(QString name, QUrl smtpUrl, EmailOptions options, QObject *parent = nullptr);
    // Waits for a send in flight, which gives up within about a second.
    ~EmailSink() override;
    Q_DISABLE_COPY_MOVE(EmailSink)

    // Whether `url` may be used: smtp or smtps, a host, a user and a password; smtp to another machine only with
    // STARTTLS (which the sink requires). The error says what is wrong without repeating the URL.
    static Status checkSmtpUrl(const QUrl &url);
    // Whether the sender and the recipients are e-mail addresses (at least one recipient).
    static Status checkOptions(const EmailOptions &options);

    // How libcurl's result is taken: `curlCode` a CURLcode, `responseCode` the SMTP server's last reply code (0 when
    // none), `serverReply` that reply's text, `curlError` libcurl's error text. Pure: for tests.
    static SendOutcome outcomeFor(int curlCode, long responseCode, const QString &serverReply,
                                  const QString &curlError);

    QString name() const override { return m_name; }
    int maxGroup() const override { return m_options.digestIntervalMs > 0 ? kMaxDigestGroup : kMaxGroup; }
    qint64 minIntervalMs() const override { return m_options.digestIntervalMs; }
    void send(const std::vector<Alert> &alerts) override;

private:
    struct Attempt; // what the thread of a send needs, by value
    struct Answer;  // what it found
    // A message of the group being sent: the alerts it carries, and the thread it starts (episode, reference).
    struct Piece {
        QByteArray message;
        std::vector<QByteArray> ids;
        QByteArray episode; // empty: the message starts no thread
        QByteArray threadReference;
    };
    std::vector<Piece> messagesFor(const std::vector<Alert> &alerts, qint64 nowMs) const;
    static Answer perform(const Attempt &attempt, const std::atomic<bool> &stopping);
    void onPerformed(const Answer &answer);
    void finish(const SendOutcome &outcome);

    const QString m_name;
    const QUrl m_smtpUrl;
    const EmailOptions m_options;
    const Status m_status;
    bool m_sending = false;
    std::vector<Piece> m_pieces;         // of the send in flight, their messages moved to its thread
    std::atomic<bool> m_stopping{false}; // the destructor asks the send in flight to give up
    std::thread m_worker;                // the latest send's; joined before the next starts and in the destructor
};

} // namespace peakwatch
