// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The sell-out forecast (DESIGN.md "Prediction"): a product's rate from its own sales and its share of its shop's
// demand, and an 80 % interval that holds the truth about 80 % of the time. Demand here is random, as a shop's
// is: Poisson orders over a shop's products, orders of several units, demand that steps up, products that sell
// out and take their demand with them. Every claim is checked against the truth the generator knows.
#include "alert_rules.h"
#include "interval_audit.h"
#include "inventory_engine.h"
#include "product_snapshot.h"
#include "sellout_forecast.h"
#include "shop_demand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace peakwatch;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kStartMs = 1'795'748'400'000; // 2026-11-26T22:00:00-05:00
const std::string kShop = "peak-apparel.myshopify.com";

// One shop's demand: Poisson orders at `ordersPerHour` (times `surge` from `surgeAtMs` on), each for one of the
// products in stock chosen by popularity (an order for a sold-out product is lost), of 1 unit or, with
// `meanUnits` above 1, a geometric number of units up to 12. No restocks: every product sells out in the end.
struct ShopDemandModel {
    int products = 30;
    double ordersPerHour = 600;
    double meanUnits = 1;
    double surge = 1;
    qint64 surgeAtMs = 0;
    qint64 minStock = 20, maxStock = 160;
    quint64 seed = 1;
};

struct Sale {
    int product;
    qint64 atMs;
    qint64 quantity; // after the sale
};

struct World {
    std::vector<double> popularity;    // sums to 1
    std::vector<qint64> startQuantity; // per product
    std::vector<Sale> sales;           // in time order
    std::vector<qint64> soldOutAtMs;   // per product, 0 if not by the end
    double ordersPerHour(const ShopDemandModel &m, qint64 atMs) const
    {
        return m.ordersPerHour * (m.surgeAtMs > 0 && atMs >= m.surgeAtMs ? m.surge : 1);
    }
};

World generate(const ShopDemandModel &m, qint64 endMs)
{
    World w;
    std::mt19937_64 random(m.seed);
    std::uniform_real_distribution<double> unit(0, 1);
    double total = 0;
    for (int i = 0; i < m.products; ++i) {
        w.popularity.push_back(1.0 / std::pow(i + 1, 0.8)); // a few products take most of the sales
        total += w.popularity.back();
        w.startQuantity.push_back(std::uniform_int_distribution<qint64>(m.minStock, m.maxStock)(random));
    }
    for (double &p : w.popularity)
        p /= total;
    std::vector<qint64> quantity = w.startQuantity;
    std::vector<qint64> lastAt(size_t(m.products), kStartMs);
    w.soldOutAtMs.assign(size_t(m.products), 0);
    const double q = m.meanUnits > 1 ? 1 - 1 / m.meanUnits : 0;
    double peak = m.ordersPerHour * std::max(1.0, m.surge);
    for (double t = double(kStartMs);;) {
        t += std::exponential_distribution<double>(peak / double(kHour))(random);
        if (t >= double(endMs))
            break;
        if (unit(random) * peak > w.ordersPerHour(m, qint64(t)))
            continue; // thinning: the demand at t
        double pick = unit(random);
        int p = 0;
        while (p + 1 < m.products && pick > w.popularity[size_t(p)]) {
            pick -= w.popularity[size_t(p)];
            ++p;
        }
        if (quantity[size_t(p)] <= 0)
            continue; // lost: the product is sold out
        qint64 units = 1;
        while (q > 0 && units < 12 && unit(random) < q)
            ++units;
        quantity[size_t(p)] = std::max<qint64>(0, quantity[size_t(p)] - units);
        const qint64 at = std::max(qint64(t), lastAt[size_t(p)] + 1);
        lastAt[size_t(p)] = at;
        w.sales.push_back({p, at, quantity[size_t(p)]});
        if (quantity[size_t(p)] == 0)
            w.soldOutAtMs[size_t(p)] = at;
    }
    return w;
}

ProductEvent eventOf(int product, qint64 atMs, qint64 quantity)
{
    ProductEvent e;
    e.shop = kShop;
    e.title = "Product";
    e.productId = 8'841'726'390'317 + product;
    e.quantity = quantity;
    e.tracked = true;
    e.updatedAtMs = atMs;
    return e;
}

struct Judged {
    int cases = 0, held = 0, early = 0, late = 0;
    std::vector<double> logRatios; // log(predicted time left / true time left)
    double shopDrift = 0;          // the shop's drift as the engine saw it at the end
    double coverage() const { return cases ? double(held) / cases : 0; }
    double medianLogRatio() const
    {
        std::vector<double> v = logRatios;
        if (v.empty())
            return 0;
        std::nth_element(v.begin(), v.begin() + qsizetype(v.size() / 2), v.end());
        return v[v.size() / 2];
    }
};

// Feeds the world to an engine, and at every cut (each 20 minutes of event time) judges the forecast of every
// product in stock that has one against when it really sold out.
Judged judge(const ShopDemandModel &model, qint64 durationMs, qint64 firstCutMs)
{
    const World w = generate(model, kStartMs + durationMs);
    InventoryEngine engine;
    Judged j;
    // A first update of each product at the start: its stock before any sale.
    for (int p = 0; p < model.products; ++p)
        engine.apply(eventOf(p, kStartMs, w.startQuantity[size_t(p)]));
    qint64 nextCut = kStartMs + firstCutMs;
    for (const Sale &s : w.sales) {
        while (s.atMs > nextCut) {
            for (int p = 0; p < model.products; ++p) {
                const ProductState *state = engine.find(kShop, eventOf(p, 0, 0).productId);
                if (!state || state->quantity <= 0 || w.soldOutAtMs[size_t(p)] == 0)
                    continue;
                const SelloutForecast f =
                    forecastSellout(*state, engine.shopDemand(*state), engine.predictorParams(), nextCut);
                if (!f.selloutAtMs || !f.earliestMs || !f.latestMs)
                    continue;
                const qint64 truth = w.soldOutAtMs[size_t(p)];
                ++j.cases;
                j.early += truth < *f.earliestMs;
                j.late += truth > *f.latestMs;
                j.held += truth >= *f.earliestMs && truth <= *f.latestMs;
                j.logRatios.push_back(
                    std::log(double(std::max<qint64>(1, *f.selloutAtMs - nextCut)) / double(truth - nextCut)));
            }
            nextCut += 20 * kMinute;
        }
        engine.apply(eventOf(s.product, s.atMs, s.quantity));
    }
    if (const ProductState *state = engine.find(kShop, eventOf(0, 0, 0).productId))
        j.shopDrift = engine.shopDemand(*state).driftPerHour();
    return j;
}

} // namespace

class TstForecast final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void intervalHoldsTheTruthOnRandomDemand_data();
    void intervalHoldsTheTruthOnRandomDemand();
    void quantilesAreThoseOfTheDistribution_data();
    void quantilesAreThoseOfTheDistribution();
    void quantilesExistWhereGslsInverseFails();
    void shopClockOnlyMovesForward();
    void shareHoldsWhileOtherProductsSellOut();
    void intervalsAreJudgedOnTheStream();
    void recordsCarryTheIntervalAndTheEpisode();
};

void TstForecast::intervalHoldsTheTruthOnRandomDemand_data()
{
    QTest::addColumn<int>("ordersPerHour");
    QTest::addColumn<double>("meanUnits");
    QTest::addColumn<double>("surge");
    QTest::addColumn<quint64>("seed");
    QTest::addRow("600 orders an hour, one unit each") << 600 << 1.0 << 1.0 << quint64(1);
    QTest::addRow("600 orders an hour, one unit each, another seed") << 600 << 1.0 << 1.0 << quint64(2);
    QTest::addRow("200 orders an hour of 1 to 12 units, 2.5 on average") << 200 << 2.5 << 1.0 << quint64(3);
    QTest::addRow("150 orders an hour, then three times as many") << 150 << 1.0 << 3.0 << quint64(4);
}

// Requirement: the 80 % interval is never narrower than it says: it holds the true sell-out time in at least 72 %
// of cases. On demand as steady as this it is wider than it needs to be (measured: 90 to 94 %), since it keeps a
// floor of drift (PredictorParams::driftPerHour: demand that has looked steady can still turn), and on demand
// that moves as Black Friday's does it holds 75 to 81 % (bench_prediction); above 95 % it would tell a store
// manager nothing, and fails. The point forecast is not biased: its median log-ratio to the true time left is
// within ±0.2 (±22 %) on demand that does not change (no bound on the bias after the surge: no forecast knows a
// surge is coming).
void TstForecast::intervalHoldsTheTruthOnRandomDemand()
{
    QFETCH(int, ordersPerHour);
    QFETCH(double, meanUnits);
    QFETCH(double, surge);
    QFETCH(quint64, seed);

    ShopDemandModel model;
    model.ordersPerHour = ordersPerHour;
    model.meanUnits = meanUnits;
    model.surge = surge;
    model.surgeAtMs = surge > 1 ? kStartMs + 2 * kHour : 0;
    model.seed = seed;
    const Judged j = judge(model, 12 * kHour, 40 * kMinute);
    qInfo("%d cases: %.1f %% held, %.1f %% earlier, %.1f %% later; median log(predicted / true time left) %.3f; "
          "shop drift %.3f an hour",
          j.cases, 100 * j.coverage(), 100.0 * j.early / std::max(1, j.cases), 100.0 * j.late / std::max(1, j.cases),
          j.medianLogRatio(), j.shopDrift);
    QCOMPARE_GE(j.cases, 150);
    QCOMPARE_GE(j.coverage(), 0.72);
    QCOMPARE_LE(j.coverage(), 0.95);
    if (surge == 1)
        QCOMPARE_LE(std::fabs(j.medianLogRatio()), 0.2);
}

void TstForecast::quantilesAreThoseOfTheDistribution_data()
{
    QTest::addColumn<double>("remainingShape");
    QTest::addColumn<double>("rateShape");
    QTest::addRow("many left, much evidence") << 50.0 << 200.0;
    QTest::addRow("few left, much evidence") << 2.0 << 200.0;
    QTest::addRow("many left, little evidence") << 50.0 << 3.0;
    QTest::addRow("one left, two sales seen") << 1.0 << 2.0;
}

// The interval's ends are quantiles of scale x X / Y, X ~ Gamma(remainingShape), Y ~ Gamma(rateShape): checked
// against a million draws of that, and against the forecast's own probabilities.
void TstForecast::quantilesAreThoseOfTheDistribution()
{
    QFETCH(double, remainingShape);
    QFETCH(double, rateShape);
    SelloutForecast f;
    f.selloutAtMs = kStartMs + kHour;
    f.anchorMs = kStartMs;
    f.scaleMs = double(kHour);
    f.remainingShape = remainingShape;
    f.rateShape = rateShape;
    std::mt19937_64 random(7);
    std::gamma_distribution<double> x(remainingShape), y(rateShape);
    std::vector<double> draws(1'000'000);
    for (double &d : draws)
        d = f.scaleMs * x(random) / y(random);
    std::sort(draws.begin(), draws.end());
    for (const double p : {0.1, 0.5, 0.9}) {
        const auto q = f.quantileMs(p);
        QVERIFY(q);
        const double drawn = draws[size_t(p * double(draws.size()))];
        QVERIFY2(std::fabs(double(*q - kStartMs) - drawn) <= 0.02 * drawn + 1000,
                 qPrintable(QStringLiteral("p %1: %2 ms vs %3 ms drawn").arg(p).arg(*q - kStartMs).arg(drawn)));
        QVERIFY(std::fabs(f.probabilityBy(*q) - p) < 0.001);
    }
    // The cheap bound the rules look at first is never below the probability, and is tight enough to spare the
    // exact one far from the point.
    for (double hours = 0.05; hours < 5; hours *= 1.3) {
        const qint64 at = kStartMs + qint64(hours * double(kHour));
        QCOMPARE_GE(f.probabilityBoundBy(at) + 1e-12, f.probabilityBy(at));
    }
    if (remainingShape >= 50)
        QCOMPARE_LT(f.probabilityBoundBy(kStartMs + kHour / 10), 0.4); // a fifth of the median: far
    QCOMPARE(f.probabilityBy(kStartMs), 0.0);
}

// GSL's inverse of the beta distribution returns NaN for some shapes (many units left, half a sale of evidence,
// p = 0.1); the interval's end is still there, and is the quantile the forecast's own probability gives.
void TstForecast::quantilesExistWhereGslsInverseFails()
{
    SelloutForecast f;
    f.selloutAtMs = kStartMs + kHour;
    f.anchorMs = kStartMs;
    f.scaleMs = 1000; // so that the whole distribution is within the forecast's horizon
    f.remainingShape = 1200;
    f.rateShape = 0.5;
    for (const double p : {0.1, 0.5, 0.9}) {
        const auto q = f.quantileMs(p);
        QVERIFY2(q, qPrintable(QString::number(p)));
        QVERIFY2(std::fabs(f.probabilityBy(*q) - p) < 0.001,
                 qPrintable(QStringLiteral("p %1: probability %2 at the quantile").arg(p).arg(f.probabilityBy(*q))));
    }
}

// A shop's products each keep their own clock (Shopify's updated_at), so the shop's sales arrive up to a minute
// out of time order; the shop's demand is the same as if they came in order, not half of it.
void TstForecast::shopClockOnlyMovesForward()
{
    PredictorParams params;
    ShopDemand ordered, jittered;
    std::mt19937_64 random(3);
    std::uniform_int_distribution<qint64> jitter(-kMinute, kMinute);
    const qint64 spacing = 1000; // 3,600 units an hour
    for (qint64 i = 0; i < 3600; ++i) {
        ordered.observeSale(kStartMs + i * spacing, 1, params);
        jittered.observeSale(kStartMs + i * spacing + jitter(random), 1, params);
    }
    const qint64 now = kStartMs + 3600 * spacing;
    const auto a = ordered.demandPerHour(now, params), b = jittered.demandPerHour(now, params);
    QVERIFY(a && b);
    QVERIFY2(std::fabs(*a - 3600) <= 0.05 * 3600, qPrintable(QString::number(*a)));
    QVERIFY2(std::fabs(*b - *a) <= 0.05 * *a, qPrintable(QStringLiteral("%1 vs %2").arg(*b).arg(*a)));
}

// When other products sell out their demand is lost, so the shop sells less; a product still in stock sells as
// before, and its forecast must not fall with the shop's sales.
void TstForecast::shareHoldsWhileOtherProductsSellOut()
{
    ShopDemandModel model;
    model.products = 20;
    model.ordersPerHour = 1200;
    model.minStock = 30;
    model.maxStock = 60;
    model.seed = 11;
    World w = generate(model, kStartMs + 12 * kHour);
    // The least popular product gets stock enough to outlast every other.
    const int last = model.products - 1;
    InventoryEngine engine;
    for (int p = 0; p < model.products; ++p)
        engine.apply(eventOf(p, kStartMs, p == last ? 100000 : w.startQuantity[size_t(p)]));
    qint64 soldBefore = 0;
    qint64 firstAt = 0;
    for (const Sale &s : w.sales) {
        if (s.product == last) {
            soldBefore += 1;
            firstAt = firstAt ? firstAt : s.atMs;
        }
        engine.apply(eventOf(s.product, s.atMs, s.product == last ? 100000 - soldBefore : s.quantity));
    }
    // By the end every other product sold out (their demand lost); the last one's true rate never changed.
    for (int p = 0; p < last; ++p)
        QVERIFY2(w.soldOutAtMs[size_t(p)] != 0, qPrintable(QString::number(p)));
    const double trueRate = model.ordersPerHour * w.popularity[size_t(last)];
    const ProductState *state = engine.find(kShop, eventOf(last, 0, 0).productId);
    QVERIFY(state);
    const SelloutForecast f =
        forecastSellout(*state, engine.shopDemand(*state), engine.predictorParams(), state->updatedAtMs);
    QVERIFY(f.ratePerHour);
    QVERIFY2(std::fabs(*f.ratePerHour - trueRate) <= 0.35 * trueRate,
             qPrintable(QStringLiteral("%1/h, truly %2/h").arg(*f.ratePerHour).arg(trueRate)));
    QCOMPARE_LT(engine.shopDemand(*state).inStockShare(), 0.5);
}

// The engine judges the intervals it gave on the stream itself, each once its latest end has passed: sold out
// before the earliest end is early, not sold out by the latest is late, a restock before the sell-out leaves it
// unjudged. On random steady demand what it measures is what the truth says (checked here against the
// generator's own sell-out times).
void TstForecast::intervalsAreJudgedOnTheStream()
{
    IntervalAudit audit;
    audit.judge(kStartMs + kHour, kStartMs + 2 * kHour, kStartMs + 30 * kMinute);
    audit.judge(kStartMs + kHour, kStartMs + 2 * kHour, kStartMs + 90 * kMinute);
    audit.judge(kStartMs + kHour, kStartMs + 2 * kHour, 0);
    audit.judge(kStartMs + kHour, kStartMs + 2 * kHour, kStartMs + 2 * kHour);
    QCOMPARE(audit.judged(), qint64(4));
    QCOMPARE(audit.early(), qint64(1));
    QCOMPARE(audit.late(), qint64(1));
    QCOMPARE(audit.held(), 0.5);

    ShopDemandModel model;
    model.seed = 5;
    const World w = generate(model, kStartMs + 16 * kHour);
    InventoryEngine engine;
    for (int p = 0; p < model.products; ++p)
        engine.apply(eventOf(p, kStartMs, w.startQuantity[size_t(p)]));
    for (const Sale &s : w.sales)
        engine.apply(eventOf(s.product, s.atMs, s.quantity));
    const IntervalAudit &judged = engine.intervalAudit();
    qInfo("the engine judged %lld intervals: %.1f %% held, %lld earlier, %lld later", judged.judged(),
          100 * judged.held(), judged.early(), judged.late());
    QCOMPARE_GE(judged.judged(), 200);
    QCOMPARE_GE(judged.held(), 0.72);
    QCOMPARE_LE(judged.held(), 0.95);
}

// The snapshot record carries the interval as [earliest, latest] in ISO 8601 UTC (latest null when open), null
// without one; the alert record carries its episode.
void TstForecast::recordsCarryTheIntervalAndTheEpisode()
{
    ProductSnapshot s;
    s.shop = QByteArray::fromStdString(kShop);
    s.productId = 8'841'726'390'317;
    s.title = "Fleece Hoodie";
    s.quantity = 12;
    s.updatedAtMs = kStartMs;
    s.ratePerHour = 24;
    s.selloutAtMs = kStartMs + 30 * kMinute;
    s.selloutEarliestMs = kStartMs + 20 * kMinute;
    s.selloutLatestMs = kStartMs + 50 * kMinute;
    QJsonObject o = QJsonDocument::fromJson(snapshotRecord(s)).object();
    QCOMPARE(o.value(QStringLiteral("sellout_interval")).toArray(),
             QJsonArray({QStringLiteral("2026-11-27T03:20:00Z"), QStringLiteral("2026-11-27T03:50:00Z")}));
    s.selloutLatestMs.reset();
    o = QJsonDocument::fromJson(snapshotRecord(s)).object();
    QCOMPARE(o.value(QStringLiteral("sellout_interval")).toArray(),
             QJsonArray({QStringLiteral("2026-11-27T03:20:00Z"), QJsonValue()}));
    s.selloutEarliestMs.reset();
    o = QJsonDocument::fromJson(snapshotRecord(s)).object();
    QVERIFY(o.value(QStringLiteral("sellout_interval")).isNull());

    Alert a;
    a.id = "0123456789abcdef01234567";
    a.shop = s.shop;
    a.productId = s.productId;
    a.title = s.title;
    a.atMs = kStartMs;
    a.selloutAtMs = s.selloutAtMs;
    a.selloutEarliestMs = kStartMs + 20 * kMinute;
    a.selloutLatestMs = kStartMs + 50 * kMinute;
    a.episode = "5f1d3c0a9e8b7a61";
    o = QJsonDocument::fromJson(alertRecord(a)).object();
    QCOMPARE(o.value(QStringLiteral("episode")).toString(), QStringLiteral("5f1d3c0a9e8b7a61"));
    QCOMPARE(o.value(QStringLiteral("sellout_interval")).toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TstForecast)
#include "tst_forecast.moc"
