// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "slack_message.h"

#include "alert_sink.h"
#include "alert_text.h"
#include "shopify_admin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStringBuilder>

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {

// Characters of a product title in a detailed section, in a compact line and in the fallback text; of a shop
// domain as shown. Shopify allows 255 for a title; a shop domain comes from a header and is not trusted.
constexpr qsizetype kDetailedTitleChars = 200;
constexpr qsizetype kCompactTitleChars = 80;
constexpr qsizetype kFallbackTitleChars = 60;
constexpr qsizetype kShopChars = 120;
// Titles named in the fallback text of a group.
constexpr int kFallbackTitles = 3;

constexpr QLatin1StringView kMyShopify(".myshopify.com");

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

// Slack emoji: red for critical, orange for normal, green for good news.
QString severityMark(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical: return QStringLiteral(":red_circle:");
    case AlertSeverity::Normal: return QStringLiteral(":large_orange_circle:");
    case AlertSeverity::Low: return QStringLiteral(":large_green_circle:");
    }
    return QStringLiteral(":white_circle:");
}

// On one line, at most `max` UTF-16 units (Slack counts characters, never more than these), cut with "…" and
// never inside a surrogate pair.
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

QString titleOf(const Alert &alert)
{
    const QString title = QString::fromUtf8(alert.title).simplified();
    return title.isEmpty() ? QStringLiteral("Product ") % QString::number(alert.productId) : title;
}

QString shopLabel(const QByteArray &shop)
{
    return elided(QString::fromUtf8(shop), kShopChars);
}

// The shop as it is known in the admin: "peak-apparel" for peak-apparel.myshopify.com.
QString shopHandle(const QByteArray &shop)
{
    QString label = shopLabel(shop);
    if (label.endsWith(kMyShopify, Qt::CaseInsensitive))
        label.chop(kMyShopify.size());
    return label;
}

// The product's title as a link to its admin page, in mrkdwn.
QString productLink(const Alert &alert, qsizetype maxTitle)
{
    const QString title = slackEscaped(elided(titleOf(alert), maxTitle));
    const QString url = shopifyAdminProductUrl(alert.shop, alert.productId);
    if (url.isEmpty())
        return title;
    return u'<' % url % u'|' % title % u'>';
}

// The sell-out in the reader's own time zone (Slack's date formatting, with a UTC fallback for clients that
// cannot format it) and relative to now: "<!date^1795756980^{date_short_pretty} {time}|2026-11-27 05:23 UTC>
// (in 23 min)".
std::optional<QString> selloutText(const Alert &alert, qint64 nowMs)
{
    if (!alert.selloutAtMs)
        return std::nullopt;
    const qint64 at = *alert.selloutAtMs;
    const qint64 seconds = at >= 0 ? at / 1000 : -((-at + 999) / 1000);
    return QStringLiteral("<!date^") % QString::number(seconds) % QStringLiteral("^{date_short_pretty} {time}|") %
           utcDateTimeText(at) % QStringLiteral("> (") % relativeTimeText(at, nowMs) % u')';
}

// A follow-up of an episode, in the reader's time zone: "3rd alert since the selling-out warning at
// <!date^1795755240^{time}|05:14 UTC>". Empty for an episode's first alert, or one whose thread is not known.
QString threadText(const Alert &alert)
{
    if (!alert.thread || alert.thread->position <= 1)
        return {};
    const qint64 at = alert.thread->firstAtMs;
    const qint64 seconds = at >= 0 ? at / 1000 : -((-at + 999) / 1000);
    const QString time =
        QStringLiteral("<!date^") % QString::number(seconds) % QStringLiteral("^{time}|") % utcTimeText(at) % u'>';
    return episodeFollowUpText(alert.thread->position, alert.thread->firstRule, time);
}

// The same for the plain "text" fallback (notifications show it as it is): the time in UTC.
QString threadFallback(const Alert &alert)
{
    if (!alert.thread || alert.thread->position <= 1)
        return {};
    return episodeFollowUpText(alert.thread->position, alert.thread->firstRule, utcTimeText(alert.thread->firstAtMs));
}

QJsonObject mrkdwn(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("mrkdwn")}, {QStringLiteral("text"), text}};
}

QJsonObject section(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("section")}, {QStringLiteral("text"), mrkdwn(text)}};
}

QJsonObject headerBlock(const QString &text)
{
    const QJsonObject plain{{QStringLiteral("type"), QStringLiteral("plain_text")},
                            {QStringLiteral("text"), elided(text, kSlackMaxHeaderChars)},
                            {QStringLiteral("emoji"), true}};
    return {{QStringLiteral("type"), QStringLiteral("header")}, {QStringLiteral("text"), plain}};
}

QJsonObject contextBlock(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("context")},
            {QStringLiteral("elements"), QJsonArray{mrkdwn(text)}}};
}

QString ruleHeading(const Alert &alert)
{
    return severityMark(alertSeverity(alert.rule)) % QStringLiteral(" *") % ruleWords(alert.rule) % u'*';
}

// One alert in full: the rule and the linked title, then the facts as fields.
QJsonObject detailedSection(const Alert &alert, qint64 nowMs)
{
    QString heading = ruleHeading(alert) % QStringLiteral(" · ") % productLink(alert, kDetailedTitleChars);
    if (const QString thread = threadText(alert); !thread.isEmpty())
        heading += QStringLiteral("\n_") % thread % u'_';
    QJsonObject block = section(heading);
    QJsonArray fields;
    auto field = [&fields](const QString &name, const QString &value) {
        fields.append(mrkdwn(QString(u'*' % name % QStringLiteral("*\n") % value).left(kSlackMaxFieldChars)));
    };
    field(QStringLiteral("Shop"), slackEscaped(shopLabel(alert.shop)));
    field(QStringLiteral("Stock"), QString::number(alert.quantity));
    if (const auto rate = alertRateText(alert))
        field(QStringLiteral("Rate"), *rate);
    if (const auto sellout = selloutText(alert, nowMs))
        field(QStringLiteral("Predicted sell-out"), *sellout);
    block.insert(QStringLiteral("fields"), fields);
    return block;
}

// One alert on one line, for groups larger than kSlackDetailedAlerts.
QString compactLine(const Alert &alert, qint64 nowMs)
{
    QString line = ruleHeading(alert) % u' ' % productLink(alert, kCompactTitleChars) % QStringLiteral(" · ") %
                   slackEscaped(shopHandle(alert.shop)) % QStringLiteral(" · stock ") % QString::number(alert.quantity);
    if (const auto rate = alertRateText(alert))
        line += QStringLiteral(" · ") % *rate;
    if (const auto sellout = selloutText(alert, nowMs))
        line += QStringLiteral(" · sells out ") % *sellout;
    if (const QString thread = threadText(alert); !thread.isEmpty())
        line += QStringLiteral(" · ") % thread;
    return line.left(kSlackMaxSectionChars);
}

qsizetype distinctProducts(const std::vector<const Alert *> &alerts)
{
    QSet<QPair<QByteArray, qint64>> products;
    for (const Alert *alert : alerts)
        products.insert({alert->shop, alert->productId});
    return products.size();
}

// "3 products need attention", "1 product needs attention (2 alerts)".
QString groupHeadline(const std::vector<const Alert *> &alerts)
{
    const qsizetype products = distinctProducts(alerts);
    const qsizetype count = qsizetype(alerts.size());
    QString headline = products == 1 ? QStringLiteral("1 product needs attention")
                                     : QString::number(products) % QStringLiteral(" products need attention");
    if (count != products)
        headline += QStringLiteral(" (") % QString::number(count) % QStringLiteral(" alerts)");
    return headline;
}

QString fallbackOne(const Alert &alert)
{
    QString text = ruleWords(alert.rule) % QStringLiteral(": ") % elided(titleOf(alert), kFallbackTitleChars) %
                   QStringLiteral(" (") % shopLabel(alert.shop) % QStringLiteral("), stock ") %
                   QString::number(alert.quantity);
    if (alert.selloutAtMs)
        text += QStringLiteral(", sells out ") % utcDateTimeText(*alert.selloutAtMs);
    if (const QString thread = threadFallback(alert); !thread.isEmpty())
        text += QStringLiteral(" — ") % thread;
    return text;
}

QString fallbackText(const std::vector<const Alert *> &alerts)
{
    if (alerts.size() == 1)
        return slackEscaped(fallbackOne(*alerts.front()));
    QString text = groupHeadline(alerts) % QStringLiteral(": ");
    const int named = std::min<int>(kFallbackTitles, int(alerts.size()));
    for (int i = 0; i < named; ++i) {
        if (i > 0)
            text += QStringLiteral("; ");
        text += ruleWords(alerts[size_t(i)]->rule) % QStringLiteral(": ") %
                elided(titleOf(*alerts[size_t(i)]), kFallbackTitleChars);
    }
    if (alerts.size() > size_t(named))
        text += QStringLiteral("; and ") % QString::number(qsizetype(alerts.size()) - named) % QStringLiteral(" more");
    return slackEscaped(text);
}

} // namespace

QString slackEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&': out += QStringLiteral("&amp;"); break;
        case u'<': out += QStringLiteral("&lt;"); break;
        case u'>': out += QStringLiteral("&gt;"); break;
        default: out += c;
        }
    }
    return out;
}

QByteArray slackMessage(const std::vector<Alert> &alerts, qint64 nowMs)
{
    // The most urgent first; otherwise in the order given (oldest first).
    std::vector<const Alert *> ordered;
    ordered.reserve(alerts.size());
    for (const Alert &alert : alerts)
        ordered.push_back(&alert);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Alert *a, const Alert *b) {
        return int(alertSeverity(a->rule)) > int(alertSeverity(b->rule));
    });

    QJsonObject message;
    QJsonArray blocks;
    if (ordered.empty()) {
        message.insert(QStringLiteral("text"), QStringLiteral("No alerts"));
        return QJsonDocument(message).toJson(QJsonDocument::Compact);
    }

    const Alert &first = *ordered.front();
    if (ordered.size() == 1)
        blocks.append(headerBlock(severityMark(alertSeverity(first.rule)) % u' ' % ruleWords(first.rule) %
                                  QStringLiteral(": ") % titleOf(first)));
    else
        blocks.append(headerBlock(severityMark(alertSeverity(first.rule)) % u' ' % groupHeadline(ordered)));

    const size_t detailed = std::min<size_t>(ordered.size(), kSlackDetailedAlerts);
    for (size_t i = 0; i < detailed; ++i)
        blocks.append(detailedSection(*ordered[i], nowMs));

    if (ordered.size() > detailed) {
        blocks.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("divider")}});
        // The other alerts one per line, as many lines to a section as its limit allows.
        std::vector<std::pair<QString, qsizetype>> sections; // text, alerts in it
        for (size_t i = detailed; i < ordered.size(); ++i) {
            const QString line = compactLine(*ordered[i], nowMs);
            if (sections.empty() || sections.back().first.size() + 1 + line.size() > kSlackMaxSectionChars)
                sections.emplace_back(line, 1);
            else {
                sections.back().first += u'\n' % line;
                ++sections.back().second;
            }
        }
        const qsizetype room = kSlackMaxBlocks - blocks.size();
        const bool fits = qsizetype(sections.size()) <= room;
        const qsizetype shown = fits ? qsizetype(sections.size()) : room - 1;
        qsizetype left = 0;
        for (qsizetype i = 0; i < qsizetype(sections.size()); ++i) {
            if (i < shown)
                blocks.append(section(sections[size_t(i)].first));
            else
                left += sections[size_t(i)].second;
        }
        if (!fits)
            blocks.append(contextBlock(QStringLiteral("…and ") % QString::number(left) %
                                       QStringLiteral(" more alerts that do not fit in one message: see Peakwatch")));
    }

    message.insert(QStringLiteral("text"), fallbackText(ordered));
    message.insert(QStringLiteral("blocks"), blocks);
    // The admin links lead to a login page: no previews of them.
    message.insert(QStringLiteral("unfurl_links"), false);
    message.insert(QStringLiteral("unfurl_media"), false);
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

} // namespace peakwatch
