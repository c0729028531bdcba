// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Alert rules (DESIGN.md "Prediction"): the rules file, the conditions, hysteresis and cooldown, and the
// rules as the Analyzer applies them to real products/update payloads, and the alerts' ids per stream.
#include "alert_rules.h"
#include "analyzer.h"
#include "inventory_engine.h"
#include "product_snapshot.h"
#include "raw_message.h"
#include "sellout_forecast.h"
#include "stream_origin.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <optional>
#include <vector>

using peakwatch::Alert;
using peakwatch::AlertRule;
using peakwatch::AlertRules;
using peakwatch::AlertRuleState;
using peakwatch::Analyzer;
using peakwatch::ProductState;
using peakwatch::RawMessage;
using peakwatch::RuleSet;
using peakwatch::SelloutForecast;

namespace {

// A forecast with a point and no distribution: the rules take it as certain.
SelloutForecast pointForecast(std::optional<double> ratePerHour, std::optional<qint64> selloutAtMs)
{
    SelloutForecast forecast;
    forecast.ratePerHour = ratePerHour;
    forecast.selloutAtMs = selloutAtMs;
    return forecast;
}

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kStartMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z = 00:00 in New York
constexpr qint64 kHoodie = 8841726390317;
constexpr qint64 k2p53 = qint64(1) << 53;

const QByteArray kShop = QByteArrayLiteral("peak-apparel.myshopify.com");
const QByteArray kOtherShop = QByteArrayLiteral("northwind.myshopify.com");

// A products/update payload as Shopify sends it: updated_at in the shop's zone (-05:00), prices as
// decimal strings, the quantity split over two tracked variants, plus a gift-wrap variant that is
// not tracked (inventory_management: null) and must not count. `tracked` false makes every variant
// untracked.
QByteArray productsUpdate(qint64 productId, qint64 quantity, qint64 atMs, bool tracked = true,
                          const QByteArray &title = QByteArrayLiteral("Fleece Hoodie"))
{
    const QByteArray updatedAt =
        QDateTime::fromMSecsSinceEpoch(atMs, QTimeZone(-5 * 3600)).toString(Qt::ISODate).toLatin1();
    const QByteArray management = tracked ? QByteArrayLiteral("\"shopify\"") : QByteArrayLiteral("null");
    const qint64 small = quantity / 2;
    return QByteArrayLiteral("{\"id\":") + QByteArray::number(productId) + QByteArrayLiteral(",\"title\":\"") + title +
           QByteArrayLiteral("\",\"updated_at\":\"") + updatedAt +
           QByteArrayLiteral("\",\"vendor\":\"Northwind Apparel\",\"variants\":[") +
           QByteArrayLiteral("{\"id\":46120031850541,\"price\":\"24.00\",\"inventory_management\":") + management +
           QByteArrayLiteral(",\"inventory_quantity\":") + QByteArray::number(small) +
           QByteArrayLiteral(",\"inventory_policy\":\"continue\"},") +
           QByteArrayLiteral("{\"id\":46120031850542,\"price\":\"26.50\",\"inventory_management\":") + management +
           QByteArrayLiteral(",\"inventory_quantity\":") + QByteArray::number(quantity - small) +
           QByteArrayLiteral("},") +
           QByteArrayLiteral("{\"id\":46120031850543,\"price\":\"3.00\",\"inventory_management\":null,"
                             "\"inventory_quantity\":999}]}");
}

// What one message did.
struct Fed {
    Analyzer::Outcome outcome;
    std::vector<Alert> alerts;
};

// Feeds one message (key = shop domain, value = the payload) to the analyzer.
Fed feed(Analyzer &analyzer, const QByteArray &shop, const QByteArray &value)
{
    RawMessage message;
    message.key = std::string_view(shop.constData(), size_t(shop.size()));
    message.value = std::string_view(value.constData(), size_t(value.size()));
    message.capacity = size_t(value.size());
    Fed fed{Analyzer::Outcome::Rejected, {}};
    fed.outcome = analyzer.process(message, fed.alerts);
    return fed;
}

// The error of a failed result, for a test message (empty when it succeeded).
template <typename T> QByteArray why(const peakwatch::Result<T> &result)
{
    return result ? QByteArray() : result.error().toUtf8();
}

AlertRules parseRules(const QByteArray &json)
{
    auto rules = AlertRules::fromJson(json);
    if (!rules) // a mistake in the test itself: stop rather than run on the defaults
        qFatal("rules did not parse: %s", qPrintable(rules.error()));
    return *rules;
}

QString ruleName(const Alert &alert)
{
    return peakwatch::alertRuleName(alert.rule);
}

// "0:20 5:10 12:9": minute offset and quantity of each update.
std::vector<std::pair<qint64, qint64>> parseSteps(const QString &steps)
{
    std::vector<std::pair<qint64, qint64>> out;
    for (const QString &step : steps.split(u' ', Qt::SkipEmptyParts)) {
        const QStringList parts = step.split(u':');
        out.emplace_back(parts.value(0).toLongLong(), parts.value(1).toLongLong());
    }
    return out;
}

QString utcIso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace

class TstRules final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The rules file
    void emptyFileGivesDefaults();
    void defaultsAreRead();
    void mostSpecificOverrideWins_data();
    void mostSpecificOverrideWins();
    void rulesListEnablesSubset_data();
    void rulesListEnablesSubset();
    void malformedFileNamesThePath_data();
    void malformedFileNamesThePath();
    void loadNamesTheFile();
    void rulesRoundTripThroughJson();
    void quietHoursSpanMidnight_data();
    void quietHoursSpanMidnight();

    // The conditions, one update at a time
    void evaluateConditions_data();
    void evaluateConditions();
    void hysteresisAndCooldown();

    // Through the Analyzer, with products/update payloads
    void analyzerTimeline_data();
    void analyzerTimeline();
    void sellingOutFiresWithinHorizon_data();
    void sellingOutFiresWithinHorizon();
    void sellingOutClearsWhenSalesStop_data();
    void sellingOutClearsWhenSalesStop();
    void alertsOfAnEpisodeShareIt();
    void overrideThresholdsApply_data();
    void overrideThresholdsApply();
    void alertIdsAreStable();
    void alertIdsFollowTheStream_data();
    void alertIdsFollowTheStream();
    void alertRecordHasEveryField();
};

// ---- The rules file ----------------------------------------------------------------------------

void TstRules::rulesRoundTripThroughJson()
{
    // What the rules editor saves is read back the same, overrides and quiet hours included.
    AlertRules rules;
    RuleSet defaults;
    defaults.lowStock = 7;
    defaults.horizonMs = 45 * kMinute;
    defaults.cooldownMs = 90 * kMinute;
    defaults.enabled = {true, true, false, true};
    rules.setDefaults(defaults);
    RuleSet hoodie = defaults;
    hoodie.lowStock = 40;
    rules.setOverride(kShop, kHoodie, hoodie);
    RuleSet bigId = defaults;
    bigId.horizonMs = 10 * kMinute;
    rules.setOverride(kOtherShop, k2p53 + 1, bigId); // an id a double would round
    rules.setQuietHours(peakwatch::QuietHours{22 * 60 + 30, 6 * 60});
    auto again = AlertRules::fromJson(rules.toJson());
    QVERIFY2(again, qPrintable(again.error()));
    QCOMPARE(again->defaults().lowStock, 7);
    QCOMPARE(again->defaults().horizonMs, 45 * kMinute);
    QCOMPARE(again->defaults().cooldownMs, 90 * kMinute);
    QCOMPARE(again->defaults().enabled, defaults.enabled);
    QCOMPARE(again->ruleSetFor(kShop.toStdString(), kHoodie).lowStock, 40);
    QCOMPARE(again->ruleSetFor(kOtherShop.toStdString(), k2p53 + 1).horizonMs, 10 * kMinute);
    QCOMPARE(again->overrides().size(), size_t(2));
    QVERIFY(again->quietHours() == (peakwatch::QuietHours{22 * 60 + 30, 6 * 60}));
}

void TstRules::quietHoursSpanMidnight_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<int>("minute");
    QTest::addColumn<bool>("quiet");
    QTest::addColumn<int>("minutesLeft");
    QTest::addRow("22-07 at 23:00") << 22 * 60 << 7 * 60 << 23 * 60 << true << 8 * 60;
    QTest::addRow("22-07 at 06:59") << 22 * 60 << 7 * 60 << 6 * 60 + 59 << true << 1;
    QTest::addRow("22-07 at 07:00") << 22 * 60 << 7 * 60 << 7 * 60 << false << 0;
    QTest::addRow("22-07 at noon") << 22 * 60 << 7 * 60 << 12 * 60 << false << 0;
    QTest::addRow("13-14 at 13:30") << 13 * 60 << 14 * 60 << 13 * 60 + 30 << true << 30;
    QTest::addRow("13-14 at 14:30") << 13 * 60 << 14 * 60 << 14 * 60 + 30 << false << 0;
    QTest::addRow("from equals to: never quiet") << 8 * 60 << 8 * 60 << 8 * 60 << false << 0;
}

void TstRules::quietHoursSpanMidnight()
{
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(int, minute);
    QFETCH(bool, quiet);
    QFETCH(int, minutesLeft);
    const peakwatch::QuietHours hours{from, to};
    QCOMPARE(hours.contains(minute), quiet);
    if (quiet)
        QCOMPARE(hours.msUntilEnd(minute), minutesLeft * kMinute);
}

void TstRules::emptyFileGivesDefaults()
{
    const auto rules = AlertRules::fromJson(QByteArrayLiteral("{}"));
    QVERIFY2(rules, why(rules).constData());
    const RuleSet &d = rules->defaults();
    QCOMPARE(d.lowStock, 10);
    QCOMPARE(d.horizonMs, 120 * kMinute);
    QCOMPARE(d.cooldownMs, 120 * kMinute);
    for (const bool enabled : d.enabled)
        QVERIFY(enabled);
    // No overrides: every product gets the defaults.
    QCOMPARE(&rules->ruleSetFor("a.myshopify.com", kHoodie), &rules->defaults());
    // A default-constructed AlertRules is the same as an empty file.
    QCOMPARE(AlertRules().defaults().lowStock, d.lowStock);
    QCOMPARE(AlertRules().defaults().horizonMs, d.horizonMs);
    QCOMPARE(AlertRules().defaults().cooldownMs, d.cooldownMs);
}

void TstRules::defaultsAreRead()
{
    const auto rules = AlertRules::fromJson(
        QByteArrayLiteral(R"({"defaults": {"low_stock": 0, "sellout_horizon_minutes": 45, "cooldown_minutes": 5}})"));
    QVERIFY2(rules, why(rules).constData());
    QCOMPARE(rules->defaults().lowStock, 0); // 0 is a valid threshold: "0 or more"
    QCOMPARE(rules->defaults().horizonMs, 45 * kMinute);
    QCOMPARE(rules->defaults().cooldownMs, 5 * kMinute);
    QCOMPARE(rules->ruleSetFor(kShop.toStdString(), kHoodie).horizonMs, 45 * kMinute);
}

void TstRules::mostSpecificOverrideWins_data()
{
    QTest::addColumn<QByteArray>("shop");
    QTest::addColumn<qint64>("productId");
    QTest::addColumn<qint64>("lowStock");
    QTest::addColumn<qint64>("horizonMinutes");
    QTest::addColumn<qint64>("cooldownMinutes");
    // See the file in mostSpecificOverrideWins().
    QTest::addRow("no override: defaults")
        << QByteArrayLiteral("c.myshopify.com") << qint64(1) << qint64(7) << qint64(90) << qint64(20);
    QTest::addRow("shop override") << QByteArrayLiteral("a.myshopify.com") << qint64(1) << qint64(20) << qint64(90)
                                   << qint64(20);
    QTest::addRow("product override (id as a number), any shop")
        << QByteArrayLiteral("c.myshopify.com") << kHoodie << qint64(30) << qint64(90) << qint64(20);
    QTest::addRow("product override beats shop override")
        << QByteArrayLiteral("b.myshopify.com") << kHoodie << qint64(30) << qint64(90) << qint64(20);
    QTest::addRow("shop and product beats product and shop")
        << QByteArrayLiteral("a.myshopify.com") << kHoodie << qint64(50) << qint64(90) << qint64(20);
    QTest::addRow("product id above 2^53 as a string, exact")
        << QByteArrayLiteral("c.myshopify.com") << k2p53 + 1 << qint64(40) << qint64(90) << qint64(20);
    QTest::addRow("its neighbour 2^53 is not matched")
        << QByteArrayLiteral("c.myshopify.com") << k2p53 << qint64(7) << qint64(90) << qint64(20);
    QTest::addRow("the most specific override applies whole, over the defaults")
        << QByteArrayLiteral("b.myshopify.com") << k2p53 + 1 << qint64(7) << qint64(15) << qint64(20);
    QTest::addRow("a shop's override does not reach another shop")
        << QByteArrayLiteral("aa.myshopify.com") << qint64(1) << qint64(7) << qint64(90) << qint64(20);
}

// An override names a shop, a product id, or both; shop+product beats product, product beats shop,
// shop beats the defaults. An override starts from the defaults, wherever they sit in the file.
void TstRules::mostSpecificOverrideWins()
{
    QFETCH(QByteArray, shop);
    QFETCH(qint64, productId);
    QFETCH(qint64, lowStock);
    QFETCH(qint64, horizonMinutes);
    QFETCH(qint64, cooldownMinutes);

    const QByteArray json = QByteArrayLiteral(R"({
      "overrides": [
        {"shop": "a.myshopify.com", "low_stock": 20},
        {"shop": "b.myshopify.com", "low_stock": 25},
        {"product_id": 8841726390317, "low_stock": 30},
        {"product_id": "9007199254740993", "low_stock": 40},
        {"shop": "a.myshopify.com", "product_id": 8841726390317, "low_stock": 50},
        {"shop": "b.myshopify.com", "product_id": "9007199254740993", "sellout_horizon_minutes": 15}
      ],
      "defaults": {"low_stock": 7, "sellout_horizon_minutes": 90, "cooldown_minutes": 20}
    })");
    const auto rules = AlertRules::fromJson(json);
    QVERIFY2(rules, why(rules).constData());
    const RuleSet &set = rules->ruleSetFor(std::string_view(shop.constData(), size_t(shop.size())), productId);
    QCOMPARE(set.lowStock, lowStock);
    QCOMPARE(set.horizonMs, horizonMinutes * kMinute);
    QCOMPARE(set.cooldownMs, cooldownMinutes * kMinute);
}

void TstRules::rulesListEnablesSubset_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("shop");
    QTest::addColumn<QStringList>("enabled");
    const QStringList all{QStringLiteral("low_stock"), QStringLiteral("selling_out"), QStringLiteral("sold_out"),
                          QStringLiteral("restocked")};
    QTest::addRow("no list: every rule") << QByteArrayLiteral(R"({"defaults": {"low_stock": 3}})") << kShop << all;
    QTest::addRow("two rules") << QByteArrayLiteral(R"({"defaults": {"rules": ["sold_out", "low_stock"]}})") << kShop
                               << QStringList{QStringLiteral("low_stock"), QStringLiteral("sold_out")};
    QTest::addRow("empty list: none") << QByteArrayLiteral(R"({"defaults": {"rules": []}})") << kShop << QStringList{};
    QTest::addRow("a shop's own list")
        << QByteArrayLiteral(
               R"({"defaults": {"rules": ["low_stock"]}, "overrides": [{"shop": "peak-apparel.myshopify.com", "rules": ["restocked", "selling_out"]}]})")
        << kShop << QStringList{QStringLiteral("selling_out"), QStringLiteral("restocked")};
    QTest::addRow("another shop keeps the default list")
        << QByteArrayLiteral(
               R"({"defaults": {"rules": ["low_stock"]}, "overrides": [{"shop": "peak-apparel.myshopify.com", "rules": ["restocked"]}]})")
        << kOtherShop << QStringList{QStringLiteral("low_stock")};
    QTest::addRow("an override without a list inherits the default list")
        << QByteArrayLiteral(
               R"({"defaults": {"rules": ["sold_out"]}, "overrides": [{"shop": "peak-apparel.myshopify.com", "low_stock": 2}]})")
        << kShop << QStringList{QStringLiteral("sold_out")};
}

void TstRules::rulesListEnablesSubset()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, shop);
    QFETCH(QStringList, enabled);
    const auto rules = AlertRules::fromJson(json);
    QVERIFY2(rules, why(rules).constData());
    const RuleSet &set = rules->ruleSetFor(std::string_view(shop.constData(), size_t(shop.size())), kHoodie);
    QStringList actual;
    for (size_t i = 0; i < peakwatch::kAlertRuleCount; ++i)
        if (set.enabled[i])
            actual << peakwatch::alertRuleName(AlertRule(i));
    QCOMPARE(actual, enabled);
}

void TstRules::malformedFileNamesThePath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // the error starts with this
    QTest::addRow("negative threshold in the second override")
        << QByteArrayLiteral(
               R"({"overrides": [{"shop": "a.myshopify.com"}, {"shop": "b.myshopify.com", "low_stock": -1}]})")
        << QStringLiteral("overrides[1].low_stock: expected a whole number of 0 or more");
    QTest::addRow("fractional cooldown") << QByteArrayLiteral(R"({"defaults": {"cooldown_minutes": 2.5}})")
                                         << QStringLiteral(
                                                "defaults.cooldown_minutes: expected a whole number of 0 or more");
    QTest::addRow("threshold as a string")
        << QByteArrayLiteral(R"({"defaults": {"low_stock": "10"}})")
        << QStringLiteral("defaults.low_stock: expected a whole number of 0 or more");
    QTest::addRow("horizon as null") << QByteArrayLiteral(R"({"defaults": {"sellout_horizon_minutes": null}})")
                                     << QStringLiteral(
                                            "defaults.sellout_horizon_minutes: expected a whole number of 0 or more");
    QTest::addRow("unknown setting in defaults") << QByteArrayLiteral(R"({"defaults": {"low_stok": 5}})")
                                                 << QStringLiteral("defaults.low_stok: unknown setting");
    QTest::addRow("shop in defaults") << QByteArrayLiteral(R"({"defaults": {"shop": "a.myshopify.com"}})")
                                      << QStringLiteral("defaults.shop: unknown setting");
    QTest::addRow("unknown setting in an override")
        << QByteArrayLiteral(R"({"overrides": [{"product_id": 5, "threshold": 3}]})")
        << QStringLiteral("overrides[0].threshold: unknown setting");
    QTest::addRow("quiet hours without an end")
        << QByteArrayLiteral(R"({"quiet_hours": {"from": "22:00"}})") << QStringLiteral("quiet_hours: expected");
    QTest::addRow("quiet hours past midnight")
        << QByteArrayLiteral(R"({"quiet_hours": {"from": "22:00", "to": "24:30"}})")
        << QStringLiteral("quiet_hours.to: expected a time as HH:MM, not \"24:30\"");
    QTest::addRow("unknown section") << QByteArrayLiteral(R"({"default": {"low_stock": 5}})")
                                     << QStringLiteral("default: unknown section");
    QTest::addRow("unknown rule name") << QByteArrayLiteral(R"({"defaults": {"rules": ["low_stock", "sellingout"]}})")
                                       << QStringLiteral("defaults.rules: unknown rule \"sellingout\"");
    QTest::addRow("unknown rule name in an override")
        << QByteArrayLiteral(R"({"overrides": [{"shop": "a.myshopify.com", "rules": ["LOW_STOCK"]}]})")
        << QStringLiteral("overrides[0].rules: unknown rule \"LOW_STOCK\"");
    QTest::addRow("rules not a list") << QByteArrayLiteral(R"({"defaults": {"rules": "low_stock"}})")
                                      << QStringLiteral("defaults.rules: expected an array of rule names");
    QTest::addRow("not JSON") << QByteArrayLiteral("low_stock = 10\n") << QStringLiteral("not valid JSON at byte");
    QTest::addRow("truncated JSON") << QByteArrayLiteral(R"({"defaults": {"low_stock": 10})")
                                    << QStringLiteral("not valid JSON at byte");
    QTest::addRow("empty file") << QByteArray() << QStringLiteral("not valid JSON at byte");
    QTest::addRow("not an object") << QByteArrayLiteral(R"([{"low_stock": 10}])")
                                   << QStringLiteral("expected a JSON object");
    QTest::addRow("defaults not an object")
        << QByteArrayLiteral(R"({"defaults": [10]})") << QStringLiteral("defaults: expected an object");
    QTest::addRow("overrides not a list") << QByteArrayLiteral(R"({"overrides": {"shop": "a.myshopify.com"}})")
                                          << QStringLiteral("overrides: expected an array");
    QTest::addRow("override not an object") << QByteArrayLiteral(R"({"overrides": [{"shop": "a.myshopify.com"}, 5]})")
                                            << QStringLiteral("overrides[1]: expected an object");
    QTest::addRow("override names neither shop nor product")
        << QByteArrayLiteral(R"({"overrides": [{"low_stock": 3}]})")
        << QStringLiteral("overrides[0]: names neither a shop nor a product_id");
    QTest::addRow("empty shop") << QByteArrayLiteral(R"({"overrides": [{"shop": "", "low_stock": 3}]})")
                                << QStringLiteral("overrides[0].shop: expected a shop domain");
    QTest::addRow("product id above 2^53 as a number")
        << QByteArrayLiteral(R"({"overrides": [{"product_id": 9007199254740993, "low_stock": 3}]})")
        << QStringLiteral("overrides[0].product_id: expected a product id (as a string when above 2^53)");
    QTest::addRow("product id that is not a number")
        << QByteArrayLiteral(R"({"overrides": [{"product_id": "hoodie", "low_stock": 3}]})")
        << QStringLiteral("overrides[0].product_id: expected a product id");
    QTest::addRow("product id zero") << QByteArrayLiteral(R"({"overrides": [{"product_id": 0}]})")
                                     << QStringLiteral("overrides[0].product_id: expected a product id");
    QTest::addRow("negative product id") << QByteArrayLiteral(R"({"overrides": [{"product_id": "-5"}]})")
                                         << QStringLiteral("overrides[0].product_id: expected a product id");
}

// Each malformed file is refused with an error that names where the mistake is.
void TstRules::malformedFileNamesThePath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto rules = AlertRules::fromJson(json);
    QVERIFY2(!rules, "a malformed rules file was accepted");
    QVERIFY2(rules.error().startsWith(error), qPrintable(rules.error()));
}

void TstRules::loadNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    const QString good = dir.filePath(QStringLiteral("rules.json"));
    QFile file(good);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"defaults": {"low_stock": 4}, "overrides": [{"product_id": "9007199254740993", "low_stock": 9}]})");
    file.close();
    const auto loaded = AlertRules::load(good);
    QVERIFY2(loaded, why(loaded).constData());
    QCOMPARE(loaded->defaults().lowStock, 4);
    QCOMPARE(loaded->ruleSetFor("a.myshopify.com", k2p53 + 1).lowStock, 9);

    const QString bad = dir.filePath(QStringLiteral("bad-rules.json"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write(R"({"overrides": [{"shop": "a.myshopify.com"}, {"shop": "b.myshopify.com", "low_stock": -1}]})");
    badFile.close();
    const auto refused = AlertRules::load(bad);
    QVERIFY(!refused);
    QCOMPARE(refused.error(), bad + QStringLiteral(": overrides[1].low_stock: expected a whole number of 0 or more"));

    const QString missing = dir.filePath(QStringLiteral("no-such-rules.json"));
    const auto absent = AlertRules::load(missing);
    QVERIFY(!absent);
    QVERIFY2(absent.error().contains(missing), qPrintable(absent.error()));
}

// ---- The conditions ----------------------------------------------------------------------------

void TstRules::evaluateConditions_data()
{
    QTest::addColumn<bool>("tracked");
    QTest::addColumn<qint64>("quantity");
    QTest::addColumn<qint64>("previous");
    QTest::addColumn<qint64>("selloutInMinutes"); // -1: no prediction
    QTest::addColumn<QStringList>("disabled");
    QTest::addColumn<QStringList>("fired");
    const QStringList none;
    const auto one = [](const char *rule) { return QStringList{QString::fromLatin1(rule)}; };
    // Defaults: low_stock 10, horizon 120 min.
    QTest::addRow("above the threshold: nothing") << true << qint64(11) << qint64(12) << qint64(-1) << none << none;
    QTest::addRow("at the threshold: low_stock")
        << true << qint64(10) << qint64(11) << qint64(-1) << none << one("low_stock");
    QTest::addRow("one left: low_stock") << true << qint64(1) << qint64(2) << qint64(-1) << none << one("low_stock");
    QTest::addRow("zero: sold_out, not low_stock")
        << true << qint64(0) << qint64(1) << qint64(-1) << none << one("sold_out");
    QTest::addRow("oversold: sold_out") << true << qint64(-3) << qint64(2) << qint64(-1) << none << one("sold_out");
    QTest::addRow("sell-out within the horizon: selling_out")
        << true << qint64(100) << qint64(101) << qint64(119) << none << one("selling_out");
    QTest::addRow("sell-out exactly at the horizon: selling_out")
        << true << qint64(100) << qint64(101) << qint64(120) << none << one("selling_out");
    QTest::addRow("sell-out past the horizon: nothing")
        << true << qint64(100) << qint64(101) << qint64(121) << none << none;
    QTest::addRow("no prediction: no selling_out") << true << qint64(100) << qint64(101) << qint64(-1) << none << none;
    QTest::addRow("low and selling out: both")
        << true << qint64(5) << qint64(6) << qint64(10) << none
        << QStringList{QStringLiteral("low_stock"), QStringLiteral("selling_out")};
    QTest::addRow("restock from low stock: restocked")
        << true << qint64(50) << qint64(10) << qint64(-1) << none << one("restocked");
    QTest::addRow("restock from sold out: restocked")
        << true << qint64(11) << qint64(0) << qint64(-1) << none << one("restocked");
    QTest::addRow("restock from oversold: restocked")
        << true << qint64(40) << qint64(-4) << qint64(-1) << none << one("restocked");
    QTest::addRow("restock up to the threshold: still low, not restocked")
        << true << qint64(10) << qint64(2) << qint64(-1) << none << one("low_stock");
    QTest::addRow("more stock on a stocked product: nothing")
        << true << qint64(80) << qint64(11) << qint64(-1) << none << none;
    QTest::addRow("untracked, at zero: nothing") << false << qint64(0) << qint64(5) << qint64(10) << none << none;
    QTest::addRow("low_stock disabled") << true << qint64(3) << qint64(4) << qint64(-1) << one("low_stock") << none;
    QTest::addRow("sold_out disabled") << true << qint64(0) << qint64(4) << qint64(-1) << one("sold_out") << none;
    QTest::addRow("selling_out disabled, low_stock still fires")
        << true << qint64(5) << qint64(6) << qint64(10) << one("selling_out") << one("low_stock");
    QTest::addRow("restocked disabled") << true << qint64(50) << qint64(0) << qint64(-1) << one("restocked") << none;
}

// One update on a product with no alert history: which rules fire.
void TstRules::evaluateConditions()
{
    QFETCH(bool, tracked);
    QFETCH(qint64, quantity);
    QFETCH(qint64, previous);
    QFETCH(qint64, selloutInMinutes);
    QFETCH(QStringList, disabled);
    QFETCH(QStringList, fired);

    ProductState state;
    state.key.productId = kHoodie;
    state.title = QByteArrayLiteral("Fleece Hoodie");
    state.tracked = tracked;
    state.quantity = quantity;
    state.previousQuantity = previous;
    state.updatedAtMs = kStartMs;
    RuleSet rules;
    for (size_t i = 0; i < peakwatch::kAlertRuleCount; ++i)
        rules.enabled[i] = !disabled.contains(peakwatch::alertRuleName(AlertRule(i)));
    const std::optional<qint64> sellout =
        selloutInMinutes < 0 ? std::nullopt : std::optional<qint64>(kStartMs + selloutInMinutes * kMinute);
    const std::optional<double> rate = sellout ? std::optional<double>(60.0) : std::nullopt;

    AlertRuleState ruleState;
    std::vector<Alert> alerts;
    peakwatch::evaluateAlerts(state, {}, kShop, rules, pointForecast(rate, sellout), ruleState, alerts);
    QStringList actual;
    for (const Alert &alert : alerts) {
        actual << ruleName(alert);
        QCOMPARE(alert.shop, kShop);
        QCOMPARE(alert.productId, kHoodie);
        QCOMPARE(alert.quantity, quantity);
        QCOMPARE(alert.atMs, kStartMs);
        QVERIFY(alert.message.contains(QStringLiteral("Fleece Hoodie")));
    }
    QCOMPARE(actual, fired);
}

// Directly on the rule state: fires once while the condition holds, not again in the same episode however often
// the stock goes up and down, and again once the product, restocked, has been calm for the cooldown (2 hours).
void TstRules::hysteresisAndCooldown()
{
    ProductState state;
    state.key.productId = kHoodie;
    state.title = QByteArrayLiteral("Fleece Hoodie");
    state.tracked = true;
    RuleSet rules; // low_stock 10, cooldown 30 min
    AlertRuleState ruleState;
    auto update = [&](qint64 minute, qint64 quantity) {
        state.previousQuantity = state.quantity;
        state.quantity = quantity;
        state.updatedAtMs = kStartMs + minute * kMinute;
        std::vector<Alert> alerts;
        peakwatch::evaluateAlerts(state, {}, kShop, rules, SelloutForecast{}, ruleState, alerts);
        int lowStock = 0;
        for (const Alert &a : alerts)
            lowStock += a.rule == AlertRule::LowStock;
        return lowStock;
    };
    state.quantity = 20;
    QCOMPARE(update(0, 20), 0);
    QCOMPARE(update(1, 8), 1);    // starts to hold: fires
    QCOMPARE(update(2, 7), 0);    // holds: active
    QCOMPARE(update(90, 6), 0);   // never cleared
    QCOMPARE(update(91, 30), 0);  // clears: restocked, calm from here
    QCOMPARE(update(92, 9), 0);   // holds again a minute later: the same episode, silent
    QCOMPARE(update(93, 30), 0);  // restocked again, calm from here
    QCOMPARE(update(212, 9), 0);  // 119 minutes calm is not the cooldown: still the same episode
    QCOMPARE(update(213, 30), 0); // restocked, calm from here
    QCOMPARE(update(333, 9), 1);  // 120 minutes calm: a new episode, and it fires
    QCOMPARE(update(334, 7), 0);
    QCOMPARE(ruleState.lastFiredAtMs[size_t(AlertRule::LowStock)], kStartMs + 333 * kMinute);
    QCOMPARE(ruleState.episodeStartMs, kStartMs + 333 * kMinute);
    QVERIFY(ruleState.active[size_t(AlertRule::LowStock)]);
}

// ---- Through the Analyzer ----------------------------------------------------------------------

void TstRules::analyzerTimeline_data()
{
    QTest::addColumn<QByteArray>("rules");
    QTest::addColumn<bool>("tracked");
    QTest::addColumn<QString>("steps");        // "minute:quantity" per update
    QTest::addColumn<QStringList>("expected"); // "minute:rule" per alert

    const QByteArray lowOnly = QByteArrayLiteral(R"({"defaults": {"rules": ["low_stock"]}})");
    QTest::addRow("low_stock fires at the threshold, not above")
        << lowOnly << true << QStringLiteral("0:12 5:11 10:10") << QStringList{QStringLiteral("10:low_stock")};
    QTest::addRow("low_stock fires once while stock stays low")
        << lowOnly << true << QStringLiteral("0:20 5:10 10:9 20:5 60:3 120:1")
        << QStringList{QStringLiteral("5:low_stock")};
    // A restock starts the calm (in stock above the threshold, sell-out within the horizon unlikely); after the
    // cooldown (2 hours) of it the episode is over and the next trouble fires again.
    QTest::addRow("low_stock again once restocked and calm for the cooldown")
        << lowOnly << true << QStringLiteral("0:20 5:8 10:50 130:9")
        << QStringList{QStringLiteral("5:low_stock"), QStringLiteral("130:low_stock")};
    QTest::addRow("low again after a restock that did not last: the same episode")
        << lowOnly << true << QStringLiteral("0:20 5:8 10:50 20:9 21:50 140:49 259:9")
        << QStringList{QStringLiteral("5:low_stock")};
    QTest::addRow("calm from when sales slowed down: a new episode after the cooldown")
        << lowOnly << true << QStringLiteral("0:20 5:8 10:50 20:9 21:50 140:49 260:9")
        << QStringList{QStringLiteral("5:low_stock"), QStringLiteral("260:low_stock")};
    QTest::addRow("custom threshold and cooldown")
        << QByteArrayLiteral(R"({"defaults": {"low_stock": 25, "cooldown_minutes": 5, "rules": ["low_stock"]}})")
        << true << QStringLiteral("0:30 1:26 2:25 3:40 30:39 36:24")
        << QStringList{QStringLiteral("2:low_stock"), QStringLiteral("36:low_stock")};
    QTest::addRow("late and redelivered updates fire nothing")
        << QByteArrayLiteral(R"({"defaults": {"rules": ["low_stock", "restocked"]}})") << true
        << QStringLiteral("0:20 5:10 10:50 5:10 7:8 130:9")
        << QStringList{QStringLiteral("5:low_stock"), QStringLiteral("10:restocked"), QStringLiteral("130:low_stock")};

    const QByteArray soldOutOnly = QByteArrayLiteral(R"({"defaults": {"rules": ["sold_out"]}})");
    QTest::addRow("sold_out at zero, once") << soldOutOnly << true << QStringLiteral("0:5 5:1 10:0 15:0 20:-2")
                                            << QStringList{QStringLiteral("10:sold_out")};
    QTest::addRow("oversold is sold out")
        << soldOutOnly << true << QStringLiteral("0:3 5:-1") << QStringList{QStringLiteral("5:sold_out")};
    QTest::addRow("sold_out again after a restock and the cooldown")
        << soldOutOnly << true << QStringLiteral("0:2 5:0 10:40 130:0")
        << QStringList{QStringLiteral("5:sold_out"), QStringLiteral("130:sold_out")};
    QTest::addRow("sold out again soon after a restock: the same episode")
        << soldOutOnly << true << QStringLiteral("0:2 5:0 10:40 50:0") << QStringList{QStringLiteral("5:sold_out")};

    const QByteArray restockedOnly = QByteArrayLiteral(R"({"defaults": {"rules": ["restocked"]}})");
    QTest::addRow("restocked from low stock")
        << restockedOnly << true << QStringLiteral("0:15 5:8 10:60") << QStringList{QStringLiteral("10:restocked")};
    QTest::addRow("restocked from sold out")
        << restockedOnly << true << QStringLiteral("0:3 5:0 10:25") << QStringList{QStringLiteral("10:restocked")};
    QTest::addRow("restock that stays at the threshold is not restocked")
        << restockedOnly << true << QStringLiteral("0:15 5:3 10:10") << QStringList{};
    QTest::addRow("more stock on a stocked product is not restocked")
        << restockedOnly << true << QStringLiteral("0:50 5:40 10:200") << QStringList{};
    QTest::addRow("first sight of a product is not a restock")
        << restockedOnly << true << QStringLiteral("0:500") << QStringList{};
    QTest::addRow("restocked once per episode")
        << restockedOnly << true << QStringLiteral("0:15 5:5 10:50 15:5 20:50 45:5 50:50")
        << QStringList{QStringLiteral("10:restocked")};
    QTest::addRow("restocked again after a restock that lasted the cooldown")
        << restockedOnly << true << QStringLiteral("0:15 5:5 10:50 15:5 20:50 140:49 260:5 261:50")
        << QStringList{QStringLiteral("10:restocked"), QStringLiteral("261:restocked")};

    // A whole cycle at 60/h: selling out, low, sold out, restocked.
    const QString cycle = QStringLiteral("0:14 1:13 2:12 3:11 4:10 5:9 6:5 7:1 8:0 9:-1 10:30");
    QTest::addRow("whole cycle, every rule")
        << QByteArrayLiteral("{}") << true << cycle
        << QStringList{QStringLiteral("2:selling_out"), QStringLiteral("4:low_stock"), QStringLiteral("8:sold_out"),
                       QStringLiteral("10:restocked")};
    QTest::addRow("whole cycle, only sold_out enabled")
        << soldOutOnly << true << cycle << QStringList{QStringLiteral("8:sold_out")};
    QTest::addRow("whole cycle, low_stock and restocked enabled")
        << QByteArrayLiteral(R"({"defaults": {"rules": ["restocked", "low_stock"]}})") << true << cycle
        << QStringList{QStringLiteral("4:low_stock"), QStringLiteral("10:restocked")};
    QTest::addRow("whole cycle, every rule disabled")
        << QByteArrayLiteral(R"({"defaults": {"rules": []}})") << true << cycle << QStringList{};
    QTest::addRow("whole cycle, rules disabled for this shop only")
        << QByteArrayLiteral(R"({"overrides": [{"shop": "peak-apparel.myshopify.com", "rules": []}]})") << true << cycle
        << QStringList{};
    QTest::addRow("whole cycle, untracked product") << QByteArrayLiteral("{}") << false << cycle << QStringList{};
}

// One product's updates, as products/update payloads through the Analyzer, and the alerts they fire.
void TstRules::analyzerTimeline()
{
    QFETCH(QByteArray, rules);
    QFETCH(bool, tracked);
    QFETCH(QString, steps);
    QFETCH(QStringList, expected);

    Analyzer analyzer(parseRules(rules));
    QStringList actual;
    QSet<qint64> seen;
    qint64 latest = -1;
    for (const auto &[minute, quantity] : parseSteps(steps)) {
        const Fed fed = feed(analyzer, kShop, productsUpdate(kHoodie, quantity, kStartMs + minute * kMinute, tracked));
        // A repeated updated_at is a redelivery, an older one is late: neither changes anything.
        QCOMPARE(fed.outcome, seen.contains(minute) ? Analyzer::Outcome::Duplicate
                              : minute < latest     ? Analyzer::Outcome::OutOfOrder
                                                    : Analyzer::Outcome::Accepted);
        seen.insert(minute);
        latest = std::max(latest, minute);
        for (const Alert &alert : fed.alerts) {
            QCOMPARE(alert.atMs, kStartMs + minute * kMinute);
            QCOMPARE(alert.quantity, quantity);
            actual << QString::number(minute) + u':' + ruleName(alert);
        }
    }
    QCOMPARE(actual, expected);
    QCOMPARE(analyzer.rejects().total(), 0);
}

void TstRules::sellingOutFiresWithinHorizon_data()
{
    QTest::addColumn<qint64>("orderUnits");
    QTest::addColumn<qint64>("spacingSeconds");
    QTest::addColumn<qint64>("startQuantity");
    QTest::addColumn<qint64>("horizonMinutes");
    QTest::addRow("60/h, 2 h horizon") << qint64(2) << qint64(120) << qint64(201) << qint64(120);
    QTest::addRow("600/h, 30 min horizon") << qint64(5) << qint64(30) << qint64(1003) << qint64(30);
    QTest::addRow("6/h, 595 min horizon") << qint64(1) << qint64(600) << qint64(65) << qint64(595);
    QTest::addRow("3000/h, 15 min horizon") << qint64(10) << qint64(12) << qint64(2004) << qint64(15);
    QTest::addRow("within the horizon as soon as a rate is known")
        << qint64(1) << qint64(60) << qint64(50) << qint64(120);
}

// selling_out fires once, at the first update after which selling out within the horizon is at least as likely
// as the rules ask (the forecast's distribution, not its point), and carries the prediction and its interval; it
// does not fire again while the product keeps selling out.
void TstRules::sellingOutFiresWithinHorizon()
{
    QFETCH(qint64, orderUnits);
    QFETCH(qint64, spacingSeconds);
    QFETCH(qint64, startQuantity);
    QFETCH(qint64, horizonMinutes);

    Analyzer analyzer(
        parseRules(QByteArrayLiteral(R"({"defaults": {"rules": ["selling_out"], "sellout_horizon_minutes": )") +
                   QByteArray::number(horizonMinutes) + QByteArrayLiteral("}}")));
    const double likelihood = analyzer.rules().defaults().selloutLikelihood;
    const double ratePerHour = double(orderUnits) * 3600 / double(spacingSeconds);
    std::vector<Alert> fired;
    qint64 at = kStartMs;
    qint64 firstLikely = -1; // the quantity at the first update with sell-out within the horizon likely enough
    for (qint64 quantity = startQuantity; quantity > 0; quantity -= orderUnits, at += spacingSeconds * 1000) {
        Fed fed = feed(analyzer, kShop, productsUpdate(kHoodie, quantity, at));
        QCOMPARE(fed.outcome, Analyzer::Outcome::Accepted);
        const ProductState *state = analyzer.engine().find(kShop.toStdString(), kHoodie);
        QVERIFY(state);
        const SelloutForecast forecast = peakwatch::forecastSellout(*state, analyzer.engine().shopDemand(*state),
                                                                    analyzer.engine().predictorParams(), at);
        if (firstLikely < 0 && forecast.probabilityBy(at + horizonMinutes * kMinute) >= likelihood)
            firstLikely = quantity;
        for (Alert &alert : fed.alerts)
            fired.push_back(std::move(alert));
    }
    QCOMPARE(fired.size(), size_t(1));
    const Alert &alert = fired.front();
    QCOMPARE(alert.rule, AlertRule::SellingOut);
    QCOMPARE(alert.quantity, firstLikely);
    QVERIFY(alert.ratePerHour);
    QVERIFY2(qAbs(*alert.ratePerHour - ratePerHour) <= 0.01 * ratePerHour,
             qPrintable(QString::number(*alert.ratePerHour)));
    QVERIFY(alert.selloutAtMs);
    const double expectedSellout = double(alert.atMs) + double(alert.quantity) / *alert.ratePerHour * 3600 * 1000;
    QVERIFY2(qAbs(double(*alert.selloutAtMs) - expectedSellout) <= 1000,
             qPrintable(utcIso(*alert.selloutAtMs) + QStringLiteral(" vs ") + utcIso(qint64(expectedSellout))));
    // The interval holds the point, and the horizon is past its earliest end.
    QVERIFY(alert.selloutEarliestMs && alert.selloutLatestMs);
    QCOMPARE_LE(*alert.selloutEarliestMs, *alert.selloutAtMs);
    QCOMPARE_GE(*alert.selloutLatestMs, *alert.selloutAtMs);
    QCOMPARE_LE(*alert.selloutEarliestMs - alert.atMs, horizonMinutes * kMinute);
    QVERIFY2(alert.message.contains(QStringLiteral("will sell out")), qPrintable(alert.message));
    QVERIFY2(alert.message.contains(QStringLiteral("likely between")), qPrintable(alert.message));
}

void TstRules::sellingOutClearsWhenSalesStop_data()
{
    QTest::addColumn<qint64>("pauseMinutes");
    QTest::addColumn<int>("alerts");
    QTest::addRow("sales go on: once") << qint64(0) << 1;
    QTest::addRow("sales pause for 20 min (under 3 windows): once") << qint64(20) << 1;
    QTest::addRow("sales stop for 3 windows, then resume: once, the same episode") << qint64(50) << 1;
}

// The prediction clears after 3 silent windows, and with it the selling_out condition; when sales resume it is
// the same episode (no restock came between), which has had its selling_out. An update that changes nothing
// during the pause is what lets the Analyzer notice the silence.
void TstRules::sellingOutClearsWhenSalesStop()
{
    QFETCH(qint64, pauseMinutes);
    QFETCH(int, alerts);

    // A 10-hour horizon: the rate that decays during a short pause still predicts a sell-out within it.
    Analyzer analyzer(
        parseRules(QByteArrayLiteral(R"({"defaults": {"rules": ["selling_out"], "sellout_horizon_minutes": 600}})")));
    int fired = 0;
    qint64 quantity = 100;
    qint64 at = kStartMs;
    for (int i = 0; i < 20; ++i, at += kMinute)
        fired += int(feed(analyzer, kShop, productsUpdate(kHoodie, quantity--, at)).alerts.size());
    QCOMPARE(fired, 1);
    if (pauseMinutes > 0) {
        // A price edit near the end of the pause: stock unchanged.
        fired += int(feed(analyzer, kShop, productsUpdate(kHoodie, quantity + 1, at + (pauseMinutes - 4) * kMinute))
                         .alerts.size());
        at += pauseMinutes * kMinute;
        const ProductState *state = analyzer.engine().find(kShop.toStdString(), kHoodie);
        QVERIFY(state);
        if (pauseMinutes >= 45) // 3 windows of 15 minutes: the condition cleared
            QVERIFY(!state->alerts.active[size_t(AlertRule::SellingOut)]);
    }
    for (int i = 0; i < 30; ++i, at += kMinute)
        fired += int(feed(analyzer, kShop, productsUpdate(kHoodie, quantity--, at)).alerts.size());
    QCOMPARE(fired, alerts);
}

// One product's episode has at most one alert of each rule, all with one episode id (the thread they read as). A
// restock that will not last says so and leaves the episode open: selling out again adds nothing to the thread.
// Once restocked and calm for the cooldown, the episode is over; the next has an id of its own and warns again.
void TstRules::alertsOfAnEpisodeShareIt()
{
    Analyzer analyzer;
    QList<Alert> alerts;
    qint64 at = kStartMs;
    auto sell = [&](qint64 from, qint64 to) {
        for (qint64 quantity = from; quantity >= to; --quantity, at += kMinute)
            for (Alert &alert : feed(analyzer, kShop, productsUpdate(kHoodie, quantity, at)).alerts)
                alerts << std::move(alert);
    };
    sell(60, 0);  // selling out, low, sold out
    sell(40, 35); // restocked at 60 an hour: it will not last
    sell(34, 0);  // sold out again: the same episode, nothing new
    QStringList rules;
    for (const Alert &alert : alerts)
        rules << ruleName(alert);
    QCOMPARE(rules, QStringList({QStringLiteral("selling_out"), QStringLiteral("low_stock"), QStringLiteral("sold_out"),
                                 QStringLiteral("restocked")}));
    QVERIFY2(alerts[3].message.contains(QStringLiteral("; at this rate it sells out again in about ")),
             qPrintable(alerts[3].message));
    for (int i = 1; i < 4; ++i)
        QCOMPARE(alerts[i].episode, alerts[0].episode);
    QVERIFY(!alerts[0].episode.isEmpty());

    // A restock that lasts (5,000 at 60 an hour), and two hours later low again: a new episode.
    at += 30 * kMinute;
    sell(5000, 4988);
    at += 120 * kMinute;
    QCOMPARE(alerts.size(), 4);
    sell(9, 9);
    QCOMPARE(alerts.size(), 6);
    QCOMPARE(ruleName(alerts[4]), QStringLiteral("low_stock"));
    QCOMPARE(ruleName(alerts[5]), QStringLiteral("selling_out"));
    QVERIFY(alerts[4].episode != alerts[0].episode);
    QCOMPARE(alerts[5].episode, alerts[4].episode);
}

void TstRules::overrideThresholdsApply_data()
{
    QTest::addColumn<QByteArray>("shop");
    QTest::addColumn<qint64>("productId");
    QTest::addColumn<qint64>("threshold"); // -1: low_stock never fires
    QTest::addRow("defaults") << kShop << qint64(1001) << qint64(10);
    QTest::addRow("product override, id above 2^53") << kShop << k2p53 + 1 << qint64(25);
    QTest::addRow("2^53 itself gets the defaults") << kShop << k2p53 << qint64(10);
    QTest::addRow("shop override") << kOtherShop << qint64(1001) << qint64(5);
    QTest::addRow("shop and product override") << kOtherShop << k2p53 + 1 << qint64(40);
    QTest::addRow("product override in a third shop")
        << QByteArrayLiteral("third.myshopify.com") << k2p53 + 1 << qint64(25);
    QTest::addRow("product override disabling low_stock") << kShop << kHoodie << qint64(-1);
}

// Per-shop and per-product thresholds from the rules file apply to the products the Analyzer sees,
// with product ids above 2^53 matched exactly. The product is fed among others that share its id or
// its shop.
void TstRules::overrideThresholdsApply()
{
    QFETCH(QByteArray, shop);
    QFETCH(qint64, productId);
    QFETCH(qint64, threshold);

    Analyzer analyzer(parseRules(QByteArrayLiteral(R"({
      "defaults": {"rules": ["low_stock"]},
      "overrides": [
        {"product_id": "9007199254740993", "low_stock": 25},
        {"shop": "northwind.myshopify.com", "low_stock": 5},
        {"shop": "northwind.myshopify.com", "product_id": "9007199254740993", "low_stock": 40},
        {"product_id": 8841726390317, "rules": ["sold_out"]}
      ]})")));
    const QByteArray shops[] = {kShop, kOtherShop, QByteArrayLiteral("third.myshopify.com")};
    const qint64 products[] = {qint64(1001), k2p53, k2p53 + 1, kHoodie};
    std::optional<qint64> firedAt;
    for (qint64 quantity = 50; quantity >= 1; --quantity) {
        const qint64 at = kStartMs + (50 - quantity) * kMinute;
        for (const QByteArray &s : shops) {
            for (const qint64 p : products) {
                const Fed fed = feed(analyzer, s, productsUpdate(p, quantity, at));
                QCOMPARE(fed.outcome, Analyzer::Outcome::Accepted);
                for (const Alert &alert : fed.alerts) {
                    if (s != shop || p != productId)
                        continue;
                    QCOMPARE(alert.rule, AlertRule::LowStock);
                    QVERIFY2(!firedAt, "low_stock fired twice");
                    firedAt = alert.quantity;
                }
            }
        }
    }
    QCOMPARE(firedAt.value_or(-1), threshold);
}

// The same rule firing on the same event gets the same id on every run; different products, shops,
// rules and events get different ids.
void TstRules::alertIdsAreStable()
{
    auto run = [](QList<Alert> &out) {
        Analyzer analyzer;
        const QString cycle = QStringLiteral(
            "0:14 1:13 2:12 3:11 4:10 5:9 6:5 7:1 8:0 9:-1 10:30 70:28 190:20 191:16 192:12 193:8 194:4 195:0");
        for (const auto &[minute, quantity] : parseSteps(cycle)) {
            for (const QByteArray &shop : {kShop, kOtherShop}) {
                for (const qint64 product : {kHoodie, k2p53 + 1}) {
                    for (Alert &alert :
                         feed(analyzer, shop, productsUpdate(product, quantity, kStartMs + minute * kMinute)).alerts)
                        out << std::move(alert);
                }
            }
        }
    };
    QList<Alert> first, second;
    run(first);
    run(second);
    // 2 shops x 2 products x (the 4 rules of the cycle, then low_stock, selling_out and sold_out again in the next
    // episode, the restock having been calm for the cooldown).
    QCOMPARE(first.size(), 4 * 7);
    QStringList rulesOfOne;
    for (const Alert &alert : std::as_const(first))
        if (alert.shop == kShop && alert.productId == kHoodie)
            rulesOfOne << ruleName(alert);
    QCOMPARE(rulesOfOne.join(u' '),
             QStringLiteral("selling_out low_stock sold_out restocked low_stock selling_out sold_out"));
    QCOMPARE(second.size(), first.size());
    QSet<QByteArray> ids;
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{24}$"));
    for (qsizetype i = 0; i < first.size(); ++i) {
        QCOMPARE(second[i].id, first[i].id);
        QCOMPARE(second[i].rule, first[i].rule);
        QVERIFY2(hex.match(QString::fromLatin1(first[i].id)).hasMatch(), first[i].id.constData());
        ids.insert(first[i].id);
    }
    QCOMPARE(ids.size(), first.size()); // all different: per shop, product, rule and event
}

void TstRules::alertIdsFollowTheStream_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    QTest::addColumn<bool>("same");
    const QByteArray msk = "kP7x_J2QRk2lcvZ6yZ3QGw"; // a cluster id as MSK's brokers report it
    const QByteArray mock = "mockCluster1567f1ce84a8";
    const QByteArray line =
        "peak-apparel.myshopify.com\t{\"id\":8841726390317,\"updated_at\":\"2026-11-27T00:00:00-05:00\"}";
    using peakwatch::kafkaStreamOrigin;
    using peakwatch::ndjsonStreamOrigin;
    QTest::addRow("the same topic of the same cluster read again")
        << kafkaStreamOrigin(msk, "products") << kafkaStreamOrigin(msk, "products") << true;
    QTest::addRow("another topic of the same cluster")
        << kafkaStreamOrigin(msk, "products") << kafkaStreamOrigin(msk, "products-eu") << false;
    QTest::addRow("the same topic of another cluster")
        << kafkaStreamOrigin(msk, "products") << kafkaStreamOrigin("Zq1Hc0bSTo-7nXf1yQm0Ew", "products") << false;
    // librdkafka's mock cluster reports the same id for each start in one process; the embedded cluster's own
    // identity tells them apart.
    QTest::addRow("a new embedded cluster in the same process")
        << kafkaStreamOrigin(mock + "+4f3c1a9e0b7d4c2e8a6f5b3d1c9e7a05", "products")
        << kafkaStreamOrigin(mock + "+b81e6d0c2a944f7e9c3b5a1d8e6f4c20", "products") << false;
    QTest::addRow("the same NDJSON file replayed")
        << ndjsonStreamOrigin(std::string_view(line.constData(), size_t(line.size())))
        << ndjsonStreamOrigin(std::string_view(line.constData(), size_t(line.size()))) << true;
    QTest::addRow("another NDJSON file") << ndjsonStreamOrigin(std::string_view(line.constData(), size_t(line.size())))
                                         << ndjsonStreamOrigin(
                                                std::string_view(line.constData(), size_t(line.size()) - 3))
                                         << false;
    QTest::addRow("a file and a topic") << ndjsonStreamOrigin(std::string_view(line.constData(), size_t(line.size())))
                                        << kafkaStreamOrigin(msk, "products") << false;
}

// The same events read from the same stream fire alerts with the same ids and episodes; read from another stream,
// none of them: the outbox takes an id it knows as an alert already seen.
void TstRules::alertIdsFollowTheStream()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(bool, same);
    auto run = [](const QByteArray &stream) {
        Analyzer analyzer;
        analyzer.setStream(stream);
        std::vector<Alert> out;
        const QString cycle = QStringLiteral(
            "0:14 1:13 2:12 3:11 4:10 5:9 6:5 7:1 8:0 9:-1 10:30 70:28 190:20 191:16 192:12 193:8 194:4 195:0");
        for (const auto &[minute, quantity] : parseSteps(cycle))
            for (Alert &alert :
                 feed(analyzer, kShop, productsUpdate(kHoodie, quantity, kStartMs + minute * kMinute)).alerts)
                out.push_back(std::move(alert));
        return out;
    };
    const std::vector<Alert> a = run(first);
    const std::vector<Alert> b = run(second);
    QCOMPARE(a.size(), size_t(7));
    QCOMPARE(b.size(), a.size());
    QSet<QByteArray> idsOfA, episodesOfA;
    for (const Alert &alert : a) {
        idsOfA.insert(alert.id);
        episodesOfA.insert(alert.episode);
    }
    QCOMPARE(episodesOfA.size(), 2); // to the restock, and after it
    for (size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].rule, a[i].rule);
        QCOMPARE(b[i].atMs, a[i].atMs);
        if (same) {
            QCOMPARE(b[i].id, a[i].id);
            QCOMPARE(b[i].episode, a[i].episode);
        } else {
            QVERIFY2(!idsOfA.contains(b[i].id), b[i].id.constData());
            QVERIFY2(!episodesOfA.contains(b[i].episode), b[i].episode.constData());
        }
    }
}

// The alert record (DESIGN.md "Formats"): a JSON object with type, id, rule, shop, product_id as an
// exact integer, title, quantity, sellout_at and at in ISO 8601 UTC, and a message.
void TstRules::alertRecordHasEveryField()
{
    Analyzer analyzer;
    const qint64 productId = k2p53 + 1;
    std::vector<Alert> alerts;
    for (const auto &[minute, quantity] : parseSteps(QStringLiteral("0:14 1:13 2:12"))) {
        for (Alert &alert : feed(analyzer, kShop,
                                 productsUpdate(productId, quantity, kStartMs + minute * kMinute, true,
                                                QByteArrayLiteral("Fleece \\\"Navy\\\" Hoodie")))
                                .alerts)
            alerts.push_back(std::move(alert));
    }
    QCOMPARE(alerts.size(), size_t(1));
    const Alert &alert = alerts.front();
    QCOMPARE(alert.rule, AlertRule::SellingOut);

    const QByteArray record = peakwatch::alertRecord(alert);
    QVERIFY2(!record.endsWith('\n'), record.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(record, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + u' ' + QString::fromUtf8(record)));
    const QJsonObject o = doc.object();
    for (const char *key : {"type", "id", "rule", "shop", "product_id", "title", "quantity", "rate_per_hour",
                            "sellout_at", "at", "message"})
        QVERIFY2(o.contains(QLatin1StringView(key)), key);
    QCOMPARE(o.value(QLatin1StringView("type")).toString(), QStringLiteral("alert"));
    QCOMPARE(o.value(QLatin1StringView("id")).toString(), QString::fromLatin1(alert.id));
    QCOMPARE(o.value(QLatin1StringView("rule")).toString(), QStringLiteral("selling_out"));
    QCOMPARE(o.value(QLatin1StringView("shop")).toString(), QString::fromLatin1(kShop));
    QVERIFY2(record.contains(QByteArrayLiteral("\"product_id\":9007199254740993")), record.constData());
    QCOMPARE(o.value(QLatin1StringView("product_id")).toInteger(), productId);
    QCOMPARE(o.value(QLatin1StringView("title")).toString(), QStringLiteral("Fleece \"Navy\" Hoodie"));
    QCOMPARE(o.value(QLatin1StringView("quantity")).toInteger(), 12);
    QVERIFY(qAbs(o.value(QLatin1StringView("rate_per_hour")).toDouble() - 60) < 0.01);
    QCOMPARE(o.value(QLatin1StringView("at")).toString(), QStringLiteral("2026-11-27T05:02:00Z"));
    QCOMPARE(o.value(QLatin1StringView("sellout_at")).toString(), QStringLiteral("2026-11-27T05:14:00Z"));
    const QString message = o.value(QLatin1StringView("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("Fleece \"Navy\" Hoodie")) && message.contains(QStringLiteral("12 min")),
             qPrintable(message));

    // Without a prediction, sellout_at and rate_per_hour are null.
    Alert soldOut = alert;
    soldOut.rule = AlertRule::SoldOut;
    soldOut.quantity = 0;
    soldOut.ratePerHour.reset();
    soldOut.selloutAtMs.reset();
    const QJsonObject s = QJsonDocument::fromJson(peakwatch::alertRecord(soldOut)).object();
    QVERIFY(s.value(QLatin1StringView("sellout_at")).isNull());
    QVERIFY(s.value(QLatin1StringView("rate_per_hour")).isNull());
    QCOMPARE(s.value(QLatin1StringView("rule")).toString(), QStringLiteral("sold_out"));
}

QTEST_GUILESS_MAIN(TstRules)
#include "tst_rules.moc"
