// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_rules.h"

#include "inventory_engine.h"
#include "iso_time.h"
#include "json_object_file.h"
#include "sellout_forecast.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringBuilder>
#include <QTime>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace peakwatch {

QString alertRuleName(AlertRule rule)
{
    switch (rule) {
    case AlertRule::LowStock: return QStringLiteral("low_stock");
    case AlertRule::SellingOut: return QStringLiteral("selling_out");
    case AlertRule::SoldOut: return QStringLiteral("sold_out");
    case AlertRule::Restocked: return QStringLiteral("restocked");
    case AlertRule::Count: break;
    }
    return QStringLiteral("unknown");
}

bool QuietHours::contains(int minuteOfDay) const
{
    if (fromMinute == toMinute)
        return false;
    if (fromMinute < toMinute)
        return minuteOfDay >= fromMinute && minuteOfDay < toMinute;
    return minuteOfDay >= fromMinute || minuteOfDay < toMinute;
}

qint64 QuietHours::msUntilEnd(int minuteOfDay, int secondOfMinute) const
{
    const int minutes = (toMinute - minuteOfDay + 24 * 60) % (24 * 60);
    return (qint64(minutes) * 60 - secondOfMinute) * 1000;
}

QString episodeFollowUpText(int position, AlertRule firstRule, const QString &firstAt)
{
    if (position <= 1)
        return {};
    const int lastTwo = position % 100;
    const char *suffix = (lastTwo >= 11 && lastTwo <= 13) ? "th"
                         : position % 10 == 1             ? "st"
                         : position % 10 == 2             ? "nd"
                         : position % 10 == 3             ? "rd"
                                                          : "th";
    QString first;
    switch (firstRule) {
    case AlertRule::SellingOut: first = QStringLiteral("the selling-out warning"); break;
    case AlertRule::LowStock: first = QStringLiteral("the low-stock warning"); break;
    case AlertRule::SoldOut: first = QStringLiteral("the sold-out alert"); break;
    case AlertRule::Restocked: first = QStringLiteral("the restock"); break;
    case AlertRule::Count: first = QStringLiteral("the first alert"); break;
    }
    return QString::number(position) % QLatin1StringView(suffix) % QStringLiteral(" alert since ") % first %
           QStringLiteral(" at ") % firstAt;
}

std::optional<AlertRule> alertRuleFromName(const QString &name)
{
    for (size_t i = 0; i < kAlertRuleCount; ++i)
        if (alertRuleName(AlertRule(i)) == name)
            return AlertRule(i);
    return std::nullopt;
}

QByteArray alertId(const QByteArray &stream, AlertRule rule, const QByteArray &shop, qint64 productId, qint64 atMs)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(stream);
    hash.addData(QByteArrayView("|"));
    hash.addData(alertRuleName(rule).toUtf8());
    hash.addData(QByteArrayView("|"));
    hash.addData(shop);
    hash.addData(QByteArrayView("|"));
    hash.addData(QByteArray::number(productId));
    hash.addData(QByteArrayView("|"));
    hash.addData(QByteArray::number(atMs));
    return hash.result().toHex().left(24);
}

namespace {

// Reads the fields of a defaults or override object over `base`; `path` names it in errors.
Status readRuleSet(const QJsonObject &object, const QString &path, RuleSet &rules, bool isOverride)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        const QString where = path % u'.' % key;
        auto wholeNumber = [&](qint64 &out, double scale) -> Status {
            const double d = value.toDouble(-1);
            if (!value.isDouble() || d < 0 || d != std::floor(d) || d > 1e12)
                return Error{where % QStringLiteral(": expected a whole number of 0 or more")};
            out = qint64(d * scale);
            return {};
        };
        Status status;
        if (key == QLatin1String("low_stock")) {
            status = wholeNumber(rules.lowStock, 1);
        } else if (key == QLatin1String("sellout_horizon_minutes")) {
            status = wholeNumber(rules.horizonMs, 60 * 1000);
        } else if (key == QLatin1String("cooldown_minutes")) {
            status = wholeNumber(rules.cooldownMs, 60 * 1000);
        } else if (key == QLatin1String("rules")) {
            if (!value.isArray())
                return Error{where % QStringLiteral(": expected an array of rule names")};
            rules.enabled.fill(false);
            for (const QJsonValue &name : value.toArray()) {
                const auto rule = alertRuleFromName(name.toString());
                if (!rule)
                    return Error{where % QStringLiteral(": unknown rule \"") % name.toString() %
                                 QStringLiteral("\" (known: low_stock, selling_out, sold_out, restocked)")};
                rules.enabled[size_t(*rule)] = true;
            }
        } else if (!(isOverride && (key == QLatin1String("shop") || key == QLatin1String("product_id")))) {
            return Error{where % QStringLiteral(": unknown setting")};
        }
        if (!status)
            return status;
    }
    return {};
}

Result<QuietHours> readQuietHours(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    if (!value.isObject() || object.size() != 2 || !object.contains(QLatin1String("from")) ||
        !object.contains(QLatin1String("to")))
        return Error{QStringLiteral("quiet_hours: expected {\"from\": \"22:00\", \"to\": \"07:00\"}")};
    QuietHours hours;
    for (auto [key, minute] :
         {std::pair{QStringLiteral("from"), &hours.fromMinute}, {QStringLiteral("to"), &hours.toMinute}}) {
        const QTime time = QTime::fromString(object.value(key).toString(), QStringLiteral("HH:mm"));
        if (!time.isValid())
            return Error{QStringLiteral("quiet_hours.") % key % QStringLiteral(": expected a time as HH:MM, not \"") %
                         object.value(key).toString() % u'"'};
        *minute = time.hour() * 60 + time.minute();
    }
    return hours;
}

QJsonObject ruleSetJson(const RuleSet &rules)
{
    QJsonArray enabled;
    for (size_t i = 0; i < kAlertRuleCount; ++i)
        if (rules.enabled[i])
            enabled.append(alertRuleName(AlertRule(i)));
    return {{QStringLiteral("low_stock"), rules.lowStock},
            {QStringLiteral("sellout_horizon_minutes"), rules.horizonMs / (60 * 1000)},
            {QStringLiteral("cooldown_minutes"), rules.cooldownMs / (60 * 1000)},
            {QStringLiteral("rules"), enabled}};
}

QString minutesText(qint64 ms)
{
    const qint64 minutes = (ms + 30 * 1000) / (60 * 1000);
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(std::max<qint64>(minutes, 0));
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

} // namespace

Result<AlertRules> AlertRules::fromJson(const QByteArray &json)
{
    const auto parsed =
        parseJsonObject(json, QStringLiteral("expected a JSON object with \"defaults\" and \"overrides\""));
    if (!parsed)
        return Error{parsed.error()};
    const QJsonObject &root = *parsed;
    AlertRules rules;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == QLatin1String("defaults")) {
            if (!it.value().isObject())
                return Error{QStringLiteral("defaults: expected an object")};
            if (Status s = readRuleSet(it.value().toObject(), QStringLiteral("defaults"), rules.m_defaults, false); !s)
                return Error{s.error()};
        } else if (it.key() == QLatin1String("quiet_hours")) {
            auto hours = readQuietHours(it.value());
            if (!hours)
                return Error{hours.error()};
            rules.m_quietHours = *hours;
        } else if (it.key() != QLatin1String("overrides")) {
            return Error{it.key() % QStringLiteral(": unknown section (expected defaults, overrides or quiet_hours)")};
        }
    }
    const QJsonValue overrides = root.value(QLatin1String("overrides"));
    if (!overrides.isUndefined() && !overrides.isArray())
        return Error{QStringLiteral("overrides: expected an array")};
    const QJsonArray list = overrides.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("overrides[%1]").arg(i);
        if (!list[i].isObject())
            return Error{path % QStringLiteral(": expected an object")};
        const QJsonObject object = list[i].toObject();
        const QJsonValue shop = object.value(QLatin1String("shop"));
        const QJsonValue product = object.value(QLatin1String("product_id"));
        if (!shop.isUndefined() && (!shop.isString() || shop.toString().isEmpty()))
            return Error{path % QStringLiteral(".shop: expected a shop domain")};
        qint64 productId = 0;
        if (!product.isUndefined()) {
            // Product ids exceed 2^53: accept them as strings too, and never round them.
            bool ok = false;
            productId = product.isString() ? product.toString().toLongLong(&ok) : product.toInteger(0);
            ok = ok || (product.isDouble() && productId > 0 && productId < (qint64(1) << 53));
            if (!ok || productId <= 0)
                return Error{path % QStringLiteral(".product_id: expected a product id (as a string when above 2^53)")};
        }
        if (shop.isUndefined() && product.isUndefined())
            return Error{path % QStringLiteral(": names neither a shop nor a product_id")};
        RuleSet set = rules.m_defaults;
        if (Status s = readRuleSet(object, path, set, true); !s)
            return Error{s.error()};
        rules.setOverride(shop.toString().toUtf8(), productId, set);
    }
    return rules;
}

QByteArray AlertRules::toJson() const
{
    QJsonObject root{{QStringLiteral("defaults"), ruleSetJson(m_defaults)}};
    if (m_quietHours) {
        auto time = [](int minute) { return QTime(minute / 60, minute % 60).toString(QStringLiteral("HH:mm")); };
        root.insert(QStringLiteral("quiet_hours"), QJsonObject{{QStringLiteral("from"), time(m_quietHours->fromMinute)},
                                                               {QStringLiteral("to"), time(m_quietHours->toMinute)}});
    }
    QJsonArray overrides;
    for (const Override &o : this->overrides()) {
        QJsonObject object = ruleSetJson(o.rules);
        if (!o.shop.isEmpty())
            object.insert(QStringLiteral("shop"), QString::fromUtf8(o.shop));
        if (o.productId != 0) // as a string: ids exceed 2^53
            object.insert(QStringLiteral("product_id"), QString::number(o.productId));
        overrides.append(object);
    }
    root.insert(QStringLiteral("overrides"), overrides);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::vector<AlertRules::Override> AlertRules::overrides() const
{
    std::vector<Override> out;
    for (auto it = m_overrides.cbegin(); it != m_overrides.cend(); ++it)
        out.push_back({it.key().first, it.key().second, it.value()});
    std::sort(out.begin(), out.end(), [](const Override &a, const Override &b) {
        return std::tie(a.shop, a.productId) < std::tie(b.shop, b.productId);
    });
    return out;
}

void AlertRules::clearOverrides()
{
    m_overrides.clear();
}

Result<AlertRules> AlertRules::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path % QStringLiteral(": ") % file.errorString()};
    auto rules = fromJson(file.readAll());
    if (!rules)
        return Error{path % QStringLiteral(": ") % rules.error()};
    return rules;
}

void AlertRules::setOverride(const QByteArray &shop, qint64 productId, const RuleSet &rules)
{
    m_overrides.insert({shop, productId}, rules);
}

const RuleSet &AlertRules::ruleSetFor(std::string_view shop, qint64 productId) const
{
    if (m_overrides.isEmpty())
        return m_defaults;
    const QByteArray shopKey(shop.data(), qsizetype(shop.size()));
    for (const auto &key : {QPair<QByteArray, qint64>{shopKey, productId}, QPair<QByteArray, qint64>{{}, productId},
                            QPair<QByteArray, qint64>{shopKey, 0}}) {
        const auto it = m_overrides.constFind(key);
        if (it != m_overrides.cend())
            return *it;
    }
    return m_defaults;
}

QByteArray alertEpisode(const QByteArray &stream, const QByteArray &shop, qint64 productId, qint64 startMs)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(stream);
    hash.addData(QByteArrayView("|"));
    hash.addData(shop);
    hash.addData(QByteArrayView("|"));
    hash.addData(QByteArray::number(productId));
    hash.addData(QByteArrayView("|"));
    hash.addData(QByteArray::number(startMs));
    return hash.result().toHex().left(16);
}

void evaluateAlerts(const ProductState &s, const QByteArray &stream, const QByteArray &shop, const RuleSet &rules,
                    const SelloutForecast &forecast, AlertRuleState &state, std::vector<Alert> &out)
{
    const qint64 at = s.updatedAtMs;
    if (state.episodeStartMs == AlertRuleState::kNever)
        state.episodeStartMs = at;
    if (state.calmSinceMs != AlertRuleState::kNever && at - state.calmSinceMs >= rules.cooldownMs) {
        // Restocked and calm for the cooldown: the episode is over, and this update starts the next one.
        state.episodeStartMs = at;
        state.firedInEpisode.fill(false);
        state.restockedInEpisode = false;
        state.calmSinceMs = AlertRuleState::kNever;
    }
    std::array<bool, kAlertRuleCount> holds{};
    if (s.tracked) {
        holds[size_t(AlertRule::LowStock)] = s.quantity > 0 && s.quantity <= rules.lowStock;
        const bool active = state.active[size_t(AlertRule::SellingOut)];
        // Once it fired and cleared, this episode has had its selling_out: no need to weigh the forecast again.
        const bool undecided = active || (rules.enabled[size_t(AlertRule::SellingOut)] &&
                                          !state.firedInEpisode[size_t(AlertRule::SellingOut)]);
        if (s.quantity > 0 && forecast.selloutAtMs && undecided) {
            const double threshold = rules.selloutLikelihood * (active ? kSellingOutClearsAt : 1.0);
            const qint64 by = at + rules.horizonMs;
            holds[size_t(AlertRule::SellingOut)] =
                forecast.probabilityBoundBy(by) >= threshold && forecast.probabilityBy(by) >= threshold;
        }
        holds[size_t(AlertRule::SoldOut)] = s.quantity <= 0;
        holds[size_t(AlertRule::Restocked)] =
            s.quantity > s.previousQuantity && s.previousQuantity <= rules.lowStock && s.quantity > rules.lowStock;
    }
    // Whether sell-out within the horizon is at least `share` of selloutLikelihood likely.
    const auto sellsOutWithinHorizon = [&](const SelloutForecast &f, double share) {
        const qint64 by = at + rules.horizonMs;
        const double p = rules.selloutLikelihood * share;
        return f.probabilityBoundBy(by) >= p && f.probabilityBy(by) >= p;
    };
    QByteArray episode; // made when an alert needs it
    std::optional<SelloutForecast> interval;
    const QString title = QString::fromUtf8(s.title);
    for (size_t i = 0; i < kAlertRuleCount; ++i) {
        if (!holds[i]) {
            state.active[i] = false;
            continue;
        }
        if (state.active[i] || !rules.enabled[i])
            continue;
        if (state.lastFiredAtMs[i] != AlertRuleState::kNever && at - state.lastFiredAtMs[i] < rules.cooldownMs)
            continue; // in cooldown: may fire on a later update once the cooldown has passed
        if (state.firedInEpisode[i])
            continue; // this episode has had it
        state.active[i] = true;
        state.lastFiredAtMs[i] = at;
        state.firedInEpisode[i] = true;

        Alert alert;
        alert.rule = AlertRule(i);
        alert.id = alertId(stream, alert.rule, shop, s.key.productId, at);
        alert.shop = shop;
        alert.productId = s.key.productId;
        alert.title = s.title;
        alert.quantity = s.quantity;
        if (forecast.selloutAtMs && !forecast.earliestMs && !interval) {
            interval = forecast; // the analysis leaves the interval out until an alert needs it
            interval->fillInterval();
        }
        const SelloutForecast &f = interval ? *interval : forecast;
        alert.ratePerHour = f.ratePerHour;
        alert.selloutAtMs = f.selloutAtMs;
        alert.selloutEarliestMs = f.earliestMs;
        alert.selloutLatestMs = f.latestMs;
        alert.atMs = at;
        if (episode.isEmpty())
            episode = alertEpisode(stream, shop, s.key.productId, state.episodeStartMs);
        alert.episode = episode;
        switch (alert.rule) {
        case AlertRule::LowStock:
            alert.message =
                title % QStringLiteral(" is low on stock: %1 left (threshold %2)").arg(s.quantity).arg(rules.lowStock);
            break;
        case AlertRule::SellingOut: {
            QString range;
            if (f.earliestMs)
                range = QStringLiteral("likely between ") % minutesText(*f.earliestMs - at) %
                        (f.latestMs ? QStringLiteral(" and ") % minutesText(*f.latestMs - at)
                                    : QStringLiteral(" and later")) %
                        QStringLiteral("; ");
            alert.message = title % QStringLiteral(" will sell out in about ") % minutesText(*f.selloutAtMs - at) %
                            QStringLiteral(" (") % range %
                            QStringLiteral("%1 left, selling %2 an hour)")
                                .arg(s.quantity)
                                .arg(QString::number(f.ratePerHour.value_or(0), 'f', 0));
            break;
        }
        case AlertRule::SoldOut:
            alert.message = title % QStringLiteral(" sold out") %
                            (s.quantity < 0 ? QStringLiteral(" (oversold by %1)").arg(-s.quantity) : QString());
            break;
        case AlertRule::Restocked:
            alert.message =
                title % QStringLiteral(" restocked: %1 in stock (was %2)").arg(s.quantity).arg(s.previousQuantity);
            if (f.selloutAtMs && sellsOutWithinHorizon(f, 1))
                alert.message +=
                    QStringLiteral("; at this rate it sells out again in about ") % minutesText(*f.selloutAtMs - at);
            break;
        case AlertRule::Count: break;
        }
        out.push_back(std::move(alert));
    }
    const bool alerted =
        std::find(state.firedInEpisode.begin(), state.firedInEpisode.end(), true) != state.firedInEpisode.end();
    if (holds[size_t(AlertRule::Restocked)]) {
        if (!alerted) { // nothing to close: the episode starts again at the restock
            state.episodeStartMs = at;
            return;
        }
        state.restockedInEpisode = true;
    }
    // Calm since when, after a restock in the episode (see AlertRuleState).
    const bool calm = s.tracked && s.quantity > rules.lowStock && !sellsOutWithinHorizon(forecast, kSellingOutClearsAt);
    if (alerted && state.restockedInEpisode && calm) {
        if (state.calmSinceMs == AlertRuleState::kNever)
            state.calmSinceMs = at;
    } else {
        state.calmSinceMs = AlertRuleState::kNever;
    }
}

} // namespace peakwatch
