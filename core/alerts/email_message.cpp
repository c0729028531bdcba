// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "email_message.h"

#include "alert_sink.h"
#include "alert_text.h"
#include "shopify_admin.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QStringBuilder>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>

namespace peakwatch {
namespace {

// Characters of a product title in the subject and in the body, and of a shop domain as shown. Shopify allows 255
// for a title; a shop domain comes from a header and is not trusted.
constexpr qsizetype kSubjectTitleChars = 80;
constexpr qsizetype kBodyTitleChars = 255;
constexpr qsizetype kShopChars = 120;
// A header line is folded before this many octets where it can be (RFC 5322 2.1.1).
constexpr int kHeaderFoldOctets = 78;
// UTF-8 octets in one encoded-word: 42 octets are 56 base64 characters, 68 with "=?UTF-8?B?" and "?=".
constexpr qsizetype kEncodedWordOctets = 42;
// A run of printable ASCII longer than this cannot be folded within the line limit: it goes as encoded-words.
constexpr qsizetype kLongestUnfoldedWord = 900;

QString ruleWords(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return QStringLiteral("Sold out");
    case AlertRule::SellingOut: return QStringLiteral("Selling out");
    case AlertRule::LowStock: return QStringLiteral("Low stock");
    case AlertRule::Restocked: return QStringLiteral("Restocked");
    case AlertRule::Count: break;
    }
    return QStringLiteral("Alert");
}

// How the subject says it of one product: "Fleece Hoodie is selling out".
QString subjectPredicate(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return QStringLiteral("is sold out");
    case AlertRule::SellingOut: return QStringLiteral("is selling out");
    case AlertRule::LowStock: return QStringLiteral("is low on stock");
    case AlertRule::Restocked: return QStringLiteral("is restocked");
    case AlertRule::Count: break;
    }
    return QStringLiteral("has an alert");
}

// How the subject counts a rule among several: "2 sold out".
QString subjectCount(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return QStringLiteral("sold out");
    case AlertRule::SellingOut: return QStringLiteral("selling out");
    case AlertRule::LowStock: return QStringLiteral("low on stock");
    case AlertRule::Restocked: return QStringLiteral("restocked");
    case AlertRule::Count: break;
    }
    return QStringLiteral("other");
}

// What the rule watches for, for the reader who wonders why the alert came.
QString ruleExplanation(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return QStringLiteral("the product has no stock left");
    case AlertRule::SellingOut: return QStringLiteral("the product is likely to sell out within the alert horizon");
    case AlertRule::LowStock: return QStringLiteral("the stock is at or below the low-stock threshold");
    case AlertRule::Restocked: return QStringLiteral("stock came back after the product ran low or sold out");
    case AlertRule::Count: break;
    }
    return {};
}

// Web colours of the rule's name in the HTML part: red for critical, orange for normal, green for good news.
QString severityColour(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical: return QStringLiteral("#c62828");
    case AlertSeverity::Normal: return QStringLiteral("#e65100");
    case AlertSeverity::Low: return QStringLiteral("#2e7d32");
    }
    return QStringLiteral("#333333");
}

// On one line, at most `max` UTF-16 units, cut with "…" and never inside a surrogate pair.
QString elided(const QString &text, qsizetype max)
{
    QString line = text.simplified();
    if (line.size() <= max)
        return line;
    qsizetype cut = std::max<qsizetype>(max - 1, 0);
    if (cut > 0 && line.at(cut - 1).isHighSurrogate())
        --cut;
    return line.left(cut) % u'…';
}

QString titleOf(const Alert &alert, qsizetype max)
{
    const QString title = elided(QString::fromUtf8(alert.title), max);
    return title.isEmpty() ? QStringLiteral("Product ") % QString::number(alert.productId) : title;
}

QString shopLabel(const QByteArray &shop)
{
    return elided(QString::fromUtf8(shop), kShopChars);
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

// "2026-11-27 05:23 UTC (in 23 min)".
std::optional<QString> selloutText(const Alert &alert, qint64 nowMs)
{
    if (!alert.selloutAtMs)
        return std::nullopt;
    return utcDateTimeText(*alert.selloutAtMs) % QStringLiteral(" (") % relativeTimeText(*alert.selloutAtMs, nowMs) %
           u')';
}

QString threadText(const Alert &alert)
{
    if (!alert.thread || alert.thread->position <= 1)
        return {};
    return episodeFollowUpText(alert.thread->position, alert.thread->firstRule, utcTimeText(alert.thread->firstAtMs));
}

QString ruleText(const Alert &alert)
{
    return ruleWords(alert.rule) % QStringLiteral(" (") % alertRuleName(alert.rule) % QStringLiteral("): ") %
           ruleExplanation(alert.rule);
}

// The facts of one alert, in the order both parts show them: a label and a value each.
std::vector<std::pair<QString, QString>> alertFacts(const Alert &alert, qint64 nowMs)
{
    std::vector<std::pair<QString, QString>> facts;
    facts.emplace_back(QStringLiteral("Shop"), shopLabel(alert.shop));
    facts.emplace_back(QStringLiteral("Stock"), QString::number(alert.quantity));
    if (const auto rate = alertRateText(alert))
        facts.emplace_back(QStringLiteral("Rate"), *rate);
    if (const auto sellout = selloutText(alert, nowMs))
        facts.emplace_back(QStringLiteral("Predicted sell-out"), *sellout);
    if (const auto interval = alertIntervalText(alert))
        facts.emplace_back(QStringLiteral("80 % interval"), *interval);
    facts.emplace_back(QStringLiteral("Rule"), ruleText(alert));
    if (const QString message = alert.message.simplified(); !message.isEmpty())
        facts.emplace_back(QStringLiteral("Details"), message);
    if (const QString thread = threadText(alert); !thread.isEmpty())
        facts.emplace_back(QStringLiteral("Episode"), thread);
    return facts;
}

qsizetype distinctProducts(const std::vector<const Alert *> &alerts)
{
    QSet<QPair<QByteArray, qint64>> products;
    for (const Alert *alert : alerts)
        products.insert({alert->shop, alert->productId});
    return products.size();
}

// The first line over several alerts: "3 products need attention (4 alerts)".
QString headline(const std::vector<const Alert *> &alerts)
{
    const qsizetype products = distinctProducts(alerts);
    QString text = products == 1 ? QStringLiteral("1 product needs attention")
                                 : QString::number(products) % QStringLiteral(" products need attention");
    if (qsizetype(alerts.size()) != products)
        text += QStringLiteral(" (") % QString::number(qsizetype(alerts.size())) % QStringLiteral(" alerts)");
    return text;
}

std::vector<const Alert *> mostUrgentFirst(const std::vector<Alert> &alerts)
{
    std::vector<const Alert *> ordered;
    ordered.reserve(alerts.size());
    for (const Alert &alert : alerts)
        ordered.push_back(&alert);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Alert *a, const Alert *b) {
        return int(alertSeverity(a->rule)) > int(alertSeverity(b->rule));
    });
    return ordered;
}

QString plainText(const std::vector<const Alert *> &alerts, qint64 nowMs)
{
    // One alert's heading says it all; several get a headline over them.
    QString text = alerts.size() > 1 ? QString(headline(alerts) % u'\n') : QString();
    for (const Alert *alert : alerts) {
        if (!text.isEmpty())
            text += u'\n';
        text += ruleWords(alert->rule) % QStringLiteral(": ") % titleOf(*alert, kBodyTitleChars) % u'\n';
        for (const auto &[label, value] : alertFacts(*alert, nowMs))
            text += QStringLiteral("  ") % label % QStringLiteral(": ") % value % u'\n';
        if (const QString url = shopifyAdminProductUrl(alert->shop, alert->productId); !url.isEmpty())
            text += QStringLiteral("  In the Shopify admin: ") % url % u'\n';
    }
    text += QStringLiteral("\n-- \nSent by Peakwatch. Times are in UTC.\n");
    return text;
}

QString htmlText(const std::vector<const Alert *> &alerts, const QString &subject, qint64 nowMs)
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>") %
                   htmlEscaped(subject) %
                   QStringLiteral("</title>\n</head>\n<body style=\"font-family: sans-serif; color: #222222\">\n");
    if (alerts.size() > 1)
        html += QStringLiteral("<h2>") % htmlEscaped(headline(alerts)) % QStringLiteral("</h2>\n");
    for (const Alert *alert : alerts) {
        const QString title = htmlEscaped(titleOf(*alert, kBodyTitleChars));
        const QString url = shopifyAdminProductUrl(alert->shop, alert->productId);
        html += QStringLiteral("<h3><span style=\"color: ") % severityColour(alertSeverity(alert->rule)) %
                QStringLiteral("\">") % htmlEscaped(ruleWords(alert->rule)) % QStringLiteral("</span>: ") %
                (url.isEmpty() ? title
                               : QString(QStringLiteral("<a href=\"") % htmlEscaped(url) % QStringLiteral("\">") %
                                         title % QStringLiteral("</a>"))) %
                QStringLiteral("</h3>\n<table cellpadding=\"2\">\n");
        for (const auto &[label, value] : alertFacts(*alert, nowMs))
            html += QStringLiteral("<tr><th align=\"left\" valign=\"top\">") % htmlEscaped(label) %
                    QStringLiteral("</th><td>") % htmlEscaped(value) % QStringLiteral("</td></tr>\n");
        if (!url.isEmpty())
            html += QStringLiteral("<tr><th align=\"left\" valign=\"top\">Shopify admin</th><td><a href=\"") %
                    htmlEscaped(url) % QStringLiteral("\">") % htmlEscaped(url) % QStringLiteral("</a></td></tr>\n");
        html += QStringLiteral("</table>\n");
    }
    html += QStringLiteral("<p style=\"color: #666666; font-size: smaller\">Sent by Peakwatch. Times are in "
                           "UTC.</p>\n</body>\n</html>\n");
    return html;
}

bool isPrintableAscii(const QString &text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x20 && c.unicode() < 0x7f; });
}

// RFC 2047 encoded-words of whole characters, kEncodedWordOctets of UTF-8 at most each, one per folded line.
QByteArray encodedWords(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    qsizetype start = 0;
    while (start < utf8.size()) {
        qsizetype end = std::min(start + kEncodedWordOctets, utf8.size());
        while (end < utf8.size() && end > start && (uchar(utf8.at(end)) & 0xC0) == 0x80) // not inside a character
            --end;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + utf8.mid(start, end - start).toBase64() + "?=";
        start = end;
    }
    return out;
}

// The mailbox's display name and address; the name empty when there is none.
std::pair<QString, QString> splitMailbox(const QString &mailbox)
{
    const QString text = mailbox.trimmed();
    const qsizetype open = text.lastIndexOf(u'<');
    if (open >= 0 && text.endsWith(u'>')) {
        QString name = text.left(open).trimmed();
        if (name.size() >= 2 && name.startsWith(u'"') && name.endsWith(u'"'))
            name = name.mid(1, name.size() - 2).replace(QStringLiteral("\\\""), QStringLiteral("\""));
        return {name, text.mid(open + 1, text.size() - open - 2).trimmed()};
    }
    return {QString(), text};
}

// A mailbox as a header writes it: the name as an atom phrase, a quoted string or encoded-words.
QByteArray headerMailbox(const QString &mailbox)
{
    const auto [name, address] = splitMailbox(mailbox);
    if (name.isEmpty())
        return address.toLatin1();
    static const QRegularExpression atoms(QStringLiteral("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$"));
    QByteArray phrase;
    if (!isPrintableAscii(name))
        phrase = encodedWords(name);
    else if (atoms.match(name).hasMatch())
        phrase = name.toLatin1();
    else
        phrase = '"' +
                 QString(name).replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\"")).toLatin1() +
                 '"';
    return phrase + " <" + address.toLatin1() + '>';
}

// A header of mailboxes, folded between them.
QByteArray mailboxHeader(const char *name, const QStringList &mailboxes)
{
    QByteArray line = QByteArray(name) + ": ";
    qsizetype column = line.size();
    for (qsizetype i = 0; i < mailboxes.size(); ++i) {
        const QByteArray mailbox = headerMailbox(mailboxes.at(i)) + (i + 1 < mailboxes.size() ? "," : "");
        const qsizetype firstLine = mailbox.indexOf("\r\n") < 0 ? mailbox.size() : mailbox.indexOf("\r\n");
        if (i > 0) {
            if (column + 1 + firstLine > kHeaderFoldOctets) {
                line += "\r\n";
                column = 0;
            }
            line += ' ';
            ++column;
        }
        line += mailbox;
        const qsizetype lastBreak = mailbox.lastIndexOf("\r\n");
        column = lastBreak < 0 ? column + mailbox.size() : mailbox.size() - lastBreak - 2;
    }
    return line + "\r\n";
}

// RFC 5322's date: "Fri, 27 Nov 2026 05:00:00 +0000", in English whatever the locale.
QByteArray rfc5322Date(qint64 ms)
{
    static constexpr std::array<const char *, 7> days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::array<const char *, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime at = utc(ms);
    const QDate date = at.date();
    return QByteArray(days[size_t(date.dayOfWeek() - 1)]) + ", " + QByteArray::number(date.day()) + ' ' +
           months[size_t(date.month() - 1)] + ' ' + QByteArray::number(date.year()) + ' ' +
           at.time().toString(QStringLiteral("HH:mm:ss")).toLatin1() + " +0000";
}

QByteArray idsDigest(const std::vector<Alert> &alerts)
{
    std::vector<QByteArray> ids;
    ids.reserve(alerts.size());
    for (const Alert &alert : alerts)
        ids.push_back(alert.id);
    std::sort(ids.begin(), ids.end());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QByteArray &id : ids) {
        hash.addData(id);
        hash.addData(QByteArrayView("\n"));
    }
    return hash.result().toHex().left(32);
}

const QRegularExpression &addressPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"));
    return pattern;
}

} // namespace

QString htmlEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&': out += QStringLiteral("&amp;"); break;
        case u'<': out += QStringLiteral("&lt;"); break;
        case u'>': out += QStringLiteral("&gt;"); break;
        case u'"': out += QStringLiteral("&quot;"); break;
        case u'\'': out += QStringLiteral("&#39;"); break;
        default: out += c;
        }
    }
    return out;
}

QByteArray quotedPrintable(const QByteArray &text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(text.size() + text.size() / 4);
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        qsizetype column = 0;
        for (qsizetype j = 0; j < line.size(); ++j) {
            const uchar c = uchar(line.at(j));
            const bool last = j + 1 == line.size();
            char token[3];
            qsizetype length = 1;
            if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
                token[0] = char(c);
            } else {
                token[0] = '=';
                token[1] = hex[c >> 4];
                token[2] = hex[c & 0xF];
                length = 3;
            }
            // Room for the soft break's "=" unless this is the line's end.
            if (column + length > kEmailEncodedLineOctets - (last ? 0 : 1)) {
                out += "=\r\n";
                column = 0;
            }
            out.append(token, length);
            column += length;
        }
        if (i + 1 < lines.size())
            out += "\r\n";
    }
    return out;
}

QByteArray encodedHeaderValue(const QString &value, int nameLength)
{
    const QString text = value.simplified();
    if (!isPrintableAscii(text))
        return encodedWords(text);
    const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
    if (std::any_of(words.begin(), words.end(), [](const QString &w) { return w.size() > kLongestUnfoldedWord; }))
        return encodedWords(text);
    QByteArray out;
    qsizetype column = nameLength;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QByteArray word = words.at(i).toLatin1();
        if (i > 0) {
            if (column + 1 + word.size() > kHeaderFoldOctets) {
                out += "\r\n";
                column = 0;
            }
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
    }
    // An encoded-word-like run in plain text would be decoded by the reader: such a value goes encoded.
    if (out.contains("=?"))
        return encodedWords(text);
    return out;
}

Status checkMailbox(const QString &mailbox)
{
    if (mailbox.trimmed().isEmpty())
        return Error{QStringLiteral("an e-mail address is empty")};
    if (std::any_of(mailbox.begin(), mailbox.end(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        return Error{QStringLiteral("an e-mail address holds a line break or a control character")};
    const auto [name, address] = splitMailbox(mailbox);
    if (name.contains(u'<') || name.contains(u'>'))
        return Error{QStringLiteral("\"") % mailbox.left(200) %
                     QStringLiteral("\" is not an e-mail address: write it as name@example.com or "
                                    "Name <name@example.com>")};
    if (!addressPattern().match(address).hasMatch() || address.size() > 254)
        return Error{QStringLiteral("\"") % address.left(200) %
                     QStringLiteral("\" is not an e-mail address: write it as name@example.com")};
    return {};
}

QString mailboxAddress(const QString &mailbox)
{
    return splitMailbox(mailbox).second;
}

QString emailSubject(const std::vector<Alert> &alerts)
{
    const QString prefix = QStringLiteral("Peakwatch: ");
    if (alerts.empty())
        return prefix % QStringLiteral("no alerts");
    if (alerts.size() == 1) {
        const Alert &alert = alerts.front();
        return prefix % titleOf(alert, kSubjectTitleChars) % u' ' % subjectPredicate(alert.rule) %
               QStringLiteral(" (") % shopLabel(alert.shop) % u')';
    }
    std::array<qsizetype, kAlertRuleCount> counts{};
    for (const Alert &alert : alerts)
        if (alert.rule != AlertRule::Count)
            ++counts[size_t(alert.rule)];
    QStringList parts;
    for (const AlertRule rule : {AlertRule::SoldOut, AlertRule::SellingOut, AlertRule::LowStock, AlertRule::Restocked})
        if (const qsizetype n = counts[size_t(rule)]; n > 0)
            parts << QString::number(n) % u' ' % subjectCount(rule);
    return prefix % QString::number(qsizetype(alerts.size())) % QStringLiteral(" alerts — ") %
           parts.join(QStringLiteral(", "));
}

QByteArray emailMessageId(const std::vector<Alert> &alerts, const QString &from)
{
    const QString address = mailboxAddress(from);
    QString domain = address.mid(address.lastIndexOf(u'@') + 1);
    if (!address.contains(u'@') || domain.isEmpty() || !isPrintableAscii(domain))
        domain = QStringLiteral("peakwatch.invalid");
    return "<peakwatch." + idsDigest(alerts) + '@' + domain.toLatin1() + '>';
}

QByteArray emailThreadReference(const EmailThread &thread)
{
    return thread.firstMessageId + ' ' + thread.firstSubject.toUtf8();
}

EmailThread emailThreadFromReference(const QByteArray &reference)
{
    const qsizetype space = reference.indexOf(' ');
    const QByteArray id = reference.left(space);
    // A Message-ID as emailMessageId() makes one: "<", printable ASCII without spaces, "@", ">".
    const bool wellFormed = space > 2 && id.startsWith('<') && id.endsWith('>') && id.contains('@') &&
                            std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (!wellFormed)
        return {};
    return {id, QString::fromUtf8(reference.mid(space + 1)).simplified()};
}

QByteArray emailMessage(const std::vector<Alert> &alerts, const QString &from, const QStringList &to, qint64 nowMs,
                        const EmailThread &thread)
{
    const std::vector<const Alert *> ordered = mostUrgentFirst(alerts);
    const QString subject = thread.isFollowUp() ? QStringLiteral("Re: ") % thread.firstSubject : emailSubject(alerts);
    // Quoted-printable never writes "=_", so the boundary cannot occur in a part.
    const QByteArray boundary = "=_peakwatch_" + idsDigest(alerts).left(16);

    QByteArray message;
    message += mailboxHeader("From", {from});
    message += mailboxHeader("To", to);
    message += "Subject: " + encodedHeaderValue(subject, 9) + "\r\n";
    message += "Date: " + rfc5322Date(nowMs) + "\r\n";
    message += "Message-ID: " + emailMessageId(alerts, from) + "\r\n";
    if (thread.isFollowUp()) {
        message += "In-Reply-To: " + thread.firstMessageId + "\r\n";
        message += "References: " + thread.firstMessageId + "\r\n";
    }
    message += "MIME-Version: 1.0\r\n";
    // An automatic message (RFC 3834): no vacation replies to it.
    message += "Auto-Submitted: auto-generated\r\n";
    message += "X-Auto-Response-Suppress: All\r\n";
    message += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
    message += "\r\nThis is a message in MIME format.\r\n";
    auto part = [&](const char *type, const QString &body) {
        message += "\r\n--" + boundary + "\r\n";
        message += QByteArray("Content-Type: ") + type + "; charset=utf-8\r\n";
        message += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
        message += quotedPrintable(body.toUtf8());
    };
    part("text/plain", plainText(ordered, nowMs));
    part("text/html", htmlText(ordered, subject, nowMs));
    message += "\r\n--" + boundary + "--\r\n";
    return message;
}

} // namespace peakwatch
