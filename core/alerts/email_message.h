// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace peakwatch {

// RFC 5322 says a line holds at most 998 octets besides its CRLF; quoted-printable and encoded-words keep to 76.
inline constexpr int kEmailMaxLineOctets = 998;
inline constexpr int kEmailEncodedLineOctets = 76;

// A product episode's e-mail thread, as a follow-up names it: the Message-ID and the subject of the episode's first
// message. A follow-up answers it (In-Reply-To, References) under "Re: " and that subject, so that mail readers
// show the episode as one conversation: Thunderbird and Apple Mail by the references, Gmail by both, Outlook by
// the subject.
struct EmailThread {
    QByteArray firstMessageId; // "<…@…>"; empty: the message starts its episode's thread, or is a digest
    QString firstSubject;
    bool isFollowUp() const { return !firstMessageId.isEmpty(); }
};

// How the outbox keeps a thread for the sink (Alert::threadReference): the Message-ID, a space, the subject.
QByteArray emailThreadReference(const EmailThread &thread);
// The thread a reference names; none (not a follow-up) for anything that is not such a reference.
EmailThread emailThreadFromReference(const QByteArray &reference);

// A group of alerts as one e-mail (RFC 5322, MIME): From, To, Subject, Date, Message-ID, MIME-Version and
// Auto-Submitted, then multipart/alternative with a text/plain and a text/html part, both UTF-8 in quoted-printable.
// The most urgent alerts come first. Each alert names its rule, the product (linked to the Shopify admin), the
// shop, the stock, the selling rate, the predicted sell-out in UTC and relative to `nowMs`, and its 80 % interval.
// A follow-up in `thread` also carries In-Reply-To and References, and its subject is "Re: " and the first
// message's. `from` and each of `to` are mailboxes as checkMailbox() takes them. Every line ends in CRLF and
// holds only ASCII, at most kEmailMaxLineOctets octets. Pure: no I/O, no clock.
QByteArray emailMessage(const std::vector<Alert> &alerts, const QString &from, const QStringList &to, qint64 nowMs,
                        const EmailThread &thread = {});

// "Peakwatch: Fleece Hoodie is selling out (northwind-apparel.myshopify.com)" for one alert;
// "Peakwatch: 5 alerts — 2 sold out, 3 selling out" for several.
QString emailSubject(const std::vector<Alert> &alerts);

// "<0f3c…@example.com>": the same for the same alerts whatever their order (a group sent again after a crash
// carries the Message-ID it had), the domain being the sender's.
QByteArray emailMessageId(const std::vector<Alert> &alerts, const QString &from);

// A mailbox as "alerts@example.com" or "Peakwatch <alerts@example.com>": an error naming what is wrong, or none.
Status checkMailbox(const QString &mailbox);
// The address of a mailbox: "alerts@example.com" for "Peakwatch <alerts@example.com>".
QString mailboxAddress(const QString &mailbox);

// A header's value in RFC 2047 encoded-words (UTF-8, base64) when it holds anything but printable ASCII, folded
// after `nameLength` octets (the name and ": ") so that no line passes 78 octets where it can be avoided.
QByteArray encodedHeaderValue(const QString &value, int nameLength);
// Quoted-printable (RFC 2045): '\n' in `text` become hard CRLF line breaks, lines are at most
// kEmailEncodedLineOctets octets.
QByteArray quotedPrintable(const QByteArray &text);
// &, <, >, " and ' as HTML entities.
QString htmlEscaped(const QString &text);

} // namespace peakwatch
