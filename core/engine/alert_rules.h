// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rule_state.h"
#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace peakwatch {

struct ProductState;
struct SelloutForecast;

QString alertRuleName(AlertRule rule); // "low_stock", "selling_out", "sold_out", "restocked"
std::optional<AlertRule> alertRuleFromName(const QString &name);
// An alert's stable id: the same rule firing on the same product's update (event time) of the same stream has
// the same id on every reading of that stream, which is what lets the outbox recognise an alert fired again.
// `stream` says what the updates were read from (see streamOrigin() in stream_origin.h): the same topic of the
// same cluster read again, or the same file replayed, gives the same ids; another cluster, another topic, or a
// new embedded cluster (a second demo replaying the same simulated world) gives others.
QByteArray alertId(const QByteArray &stream, AlertRule rule, const QByteArray &shop, qint64 productId, qint64 atMs);
// An episode's id: the product's, from its start (first update or restock), within the stream.
QByteArray alertEpisode(const QByteArray &stream, const QByteArray &shop, qint64 productId, qint64 startMs);

// The thresholds one product is judged by.
struct RuleSet {
    qint64 lowStock = 10;                  // low_stock fires at or below this quantity
    qint64 horizonMs = 2 * 60 * 60 * 1000; // selling_out fires when sell-out is this close
    // A restocked product's episode closes once it has been calm this long (see AlertRuleState), and a rule fires
    // at most once per product within it.
    qint64 cooldownMs = 2 * 60 * 60 * 1000;
    // selling_out fires once sell-out within the horizon is at least this likely, and clears when it falls
    // below kSellingOutClearsAt of it (chosen on bench_prediction's tuning runs).
    double selloutLikelihood = 0.4;
    std::array<bool, kAlertRuleCount> enabled{true, true, true, true};
};

// Hours in which alerts reach no person (desktop, Slack): they wait and go out together when the quiet
// hours end. Local time; `from` later than `to` spans midnight (22:00 to 07:00).
struct QuietHours {
    int fromMinute = 22 * 60; // minutes after midnight
    int toMinute = 7 * 60;
    bool contains(int minuteOfDay) const;
    // Milliseconds from a time of day in them to their end.
    qint64 msUntilEnd(int minuteOfDay, int secondOfMinute = 0) const;
    bool operator==(const QuietHours &) const = default;
};

// Defaults plus per-shop and per-product overrides, from a JSON rules file:
//   {"defaults": {"low_stock": 10, "sellout_horizon_minutes": 120, "cooldown_minutes": 120,
//                 "rules": ["low_stock", "selling_out", "sold_out", "restocked"]},
//    "overrides": [{"shop": "a.myshopify.com", "product_id": 8841726390317, "low_stock": 25}],
//    "quiet_hours": {"from": "22:00", "to": "07:00"}}
// An override names a shop, a product id, or both; the most specific one applies.
class AlertRules final {
public:
    AlertRules() = default;
    static Result<AlertRules> fromJson(const QByteArray &json);
    static Result<AlertRules> load(const QString &path);

    const RuleSet &defaults() const { return m_defaults; }
    const RuleSet &ruleSetFor(std::string_view shop, qint64 productId) const;

    void setDefaults(const RuleSet &rules) { m_defaults = rules; }
    void setOverride(const QByteArray &shop, qint64 productId, const RuleSet &rules);
    struct Override {
        QByteArray shop;      // empty: any shop
        qint64 productId = 0; // 0: any product of the shop
        RuleSet rules;
    };
    std::vector<Override> overrides() const; // by shop, then product
    void clearOverrides();

    std::optional<QuietHours> quietHours() const { return m_quietHours; }
    void setQuietHours(std::optional<QuietHours> hours) { m_quietHours = hours; }

    // The rules file's JSON, as fromJson() reads it.
    QByteArray toJson() const;

private:
    RuleSet m_defaults;
    // Key: shop ("" = any) and product id (0 = any).
    QHash<QPair<QByteArray, qint64>, RuleSet> m_overrides;
    std::optional<QuietHours> m_quietHours;
};

// One fired alert. `id` is stable: the same rule firing on the same event of the same stream gets the same id on
// every reading of it.
struct Alert {
    QByteArray id;
    AlertRule rule = AlertRule::LowStock;
    QByteArray shop;
    qint64 productId = 0;
    QByteArray title;
    qint64 quantity = 0;
    std::optional<double> ratePerHour;
    std::optional<qint64> selloutAtMs;
    std::optional<qint64> selloutEarliestMs; // the 80 % interval, when predicted
    std::optional<qint64> selloutLatestMs;
    qint64 atMs = 0;    // event time of the update that fired it
    QByteArray episode; // the same for every alert of one product's episode (first update or restock to restock)
    QString message;

    // Where the alert stands in its episode's thread, as the outbox knows it (AlertOutbox fills it in; the engine
    // does not): its place, 1 for the episode's first alert, and that first alert's rule and event time.
    struct Thread {
        int position = 1;
        AlertRule firstRule = AlertRule::SellingOut;
        qint64 firstAtMs = 0;
        bool operator==(const Thread &) const = default;
    };
    std::optional<Thread> thread;
    // AlertOutbox::due() fills it in for the sink asked: where that sink put the episode's thread, as the sink
    // reported it when it posted the episode's first message (Slack's bot: "<channel> <ts>"); empty when none.
    QByteArray threadReference;
};

// How a follow-up of an episode names its place in the thread: "3rd alert since the selling-out warning at 00:14",
// `firstAt` being the first alert's time as the reader's clock shows it. Empty for the first alert (position 1).
QString episodeFollowUpText(int position, AlertRule firstRule, const QString &firstAt);

// selling_out clears when sell-out within the horizon is less likely than this share of selloutLikelihood.
inline constexpr double kSellingOutClearsAt = 0.5;

// Evaluates the rules for one product after an accepted update: each rule fires once when its condition starts
// to hold (hysteresis), at most once per episode (see AlertRuleState), and not again within the cooldown. selling_out
// is decided on the forecast's distribution, not on its point: it fires once sell-out within the horizon is
// selloutLikelihood likely, and holds until that falls below half of it. `stream` goes into the alerts' ids and
// episodes (see alertId()).
void evaluateAlerts(const ProductState &state, const QByteArray &stream, const QByteArray &shop, const RuleSet &rules,
                    const SelloutForecast &forecast, AlertRuleState &ruleState, std::vector<Alert> &out);

} // namespace peakwatch
