// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The sell-out predictor (DESIGN.md "Prediction"): sales are decreases of tracked stock over event time,
// restocks are not negative sales, the rate follows a steady depletion closely, clears when sales stop,
// and carries a confidence. Two kinds of demand: stock depleted along a straight line (SteadyDemand), on which
// the estimator is exact by construction, for the properties; and Poisson orders (PoissonOrders), on which no
// estimator is exact, for what the forecast claims there: an 80 % interval that holds the true sell-out, and a
// point that is not biased.
#include "inventory_engine.h"
#include "sellout_forecast.h"
#include "sellout_predictor.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using peakwatch::InventoryEngine;
using peakwatch::PredictorParams;
using peakwatch::ProductEvent;
using peakwatch::ProductState;
using peakwatch::SelloutForecast;
using peakwatch::SelloutPredictor;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kStartMs = 1'795'737'600'000; // 2026-11-27T00:00:00Z, Black Friday

struct Point {
    qint64 atMs = 0;
    qint64 quantity = 0;
};

// Stock depleted along a straight line at a steady rate: orders of minOrder..maxOrder units (drawn
// with a seeded std::mt19937), each reported when the line reaches the new quantity, then moved by up
// to `jitter` times the mean order spacing. Random order sizes make the event spacing irregular while
// the depletion itself stays exactly steady; the jitter adds noise around the line.
class SteadyDemand {
public:
    SteadyDemand(double ratePerHour, qint64 startQuantity, int minOrder, int maxOrder, double jitter = 0,
                 quint32 seed = 20261127)
        : m_ratePerMs(ratePerHour / kHour)
        , m_startQuantity(startQuantity)
        , m_minOrder(minOrder)
        , m_maxOrder(maxOrder)
        , m_jitter(jitter)
        , m_random(seed)
    {}

    Point start()
    {
        m_lastAt = kStartMs;
        return {kStartMs, quantity()};
    }

    // The next order, of a random size or of `units`.
    Point order() { return order(std::uniform_int_distribution<int>(m_minOrder, m_maxOrder)(m_random)); }
    Point order(qint64 units)
    {
        m_sold += units;
        return report(idealAt(m_sold));
    }

    // One order of `units` placed when a `typical` order was due; demand then goes on at the same rate.
    Point largeOrder(qint64 units, qint64 typical)
    {
        const double at = idealAt(m_sold + typical);
        m_sold += units;
        m_anchorAt = at;
        m_anchorSold = m_sold;
        return report(at);
    }

    // An update that changes no stock (a price or description edit) between two orders.
    Point unchanged()
    {
        return report(idealAt(m_sold + std::uniform_real_distribution<double>(0.2, 0.8)(m_random) * m_minOrder));
    }

    // A restock between two orders: no sale in its interval.
    Point restock(qint64 units)
    {
        m_restocked += units;
        return report(idealAt(m_sold + 0.5 * m_minOrder));
    }

    // A restock reported in the same update as an order.
    Point restockWithOrder(qint64 units)
    {
        m_restocked += units;
        return order();
    }

    // Demand runs at `ratePerHour` from the last order on.
    void setRate(double ratePerHour)
    {
        m_anchorAt = idealAt(m_sold);
        m_anchorSold = m_sold;
        m_ratePerMs = ratePerHour / kHour;
    }
    void setOrderSizes(int minOrder, int maxOrder)
    {
        m_minOrder = minOrder;
        m_maxOrder = maxOrder;
    }

    qint64 quantity() const { return m_startQuantity + m_restocked - m_sold; }
    double ratePerHour() const { return m_ratePerMs * kHour; }
    // When the line reaches 0.
    double trueSelloutAtMs() const
    {
        return m_anchorAt + double(m_startQuantity + m_restocked - m_anchorSold) / m_ratePerMs;
    }
    double meanSpacingMs() const { return 0.5 * (m_minOrder + m_maxOrder) / m_ratePerMs; }

private:
    double idealAt(double sold) const { return m_anchorAt + (sold - double(m_anchorSold)) / m_ratePerMs; }

    Point report(double idealMs)
    {
        const double noise = m_jitter * meanSpacingMs() * std::uniform_real_distribution<double>(-1, 1)(m_random);
        const qint64 at = std::max(m_lastAt + 1, qint64(std::llround(idealMs + noise)));
        m_lastAt = at;
        return {at, quantity()};
    }

    double m_ratePerMs;
    qint64 m_startQuantity;
    int m_minOrder;
    int m_maxOrder;
    double m_jitter;
    std::mt19937 m_random;
    double m_anchorAt = double(kStartMs);
    qint64 m_anchorSold = 0;
    qint64 m_sold = 0;
    qint64 m_restocked = 0;
    qint64 m_lastAt = kStartMs;
};

double relativeError(double actual, double expected)
{
    return std::abs(actual - expected) / expected;
}

double minutes(qint64 ms)
{
    return double(ms) / kMinute;
}

// One product's orders as a Poisson process: exponential gaps at unitsPerHour / the mean order size, each order of
// minUnits..maxUnits units (uniform), drawn with a seeded std::mt19937_64. Times are whole milliseconds, strictly
// increasing.
class PoissonOrders {
public:
    struct Order {
        qint64 atMs = 0;
        qint64 units = 0;
    };

    PoissonOrders(double unitsPerHour, int minUnits, int maxUnits, quint64 seed)
        : m_gap(unitsPerHour / (0.5 * (minUnits + maxUnits)) / double(kHour))
        , m_units(minUnits, maxUnits)
        , m_random(seed)
    {}

    Order next()
    {
        m_at += m_gap(m_random);
        const qint64 at = std::max(m_lastAt + 1, qint64(std::llround(m_at)));
        m_lastAt = at;
        return {at, m_units(m_random)};
    }

private:
    std::exponential_distribution<double> m_gap;
    std::uniform_int_distribution<qint64> m_units;
    std::mt19937_64 m_random;
    double m_at = double(kStartMs);
    qint64 m_lastAt = kStartMs;
};

// One seed of a product sold by Poisson orders, a forecast of it made after the warm-up, and the truth.
struct PoissonCase {
    qint64 madeAtMs = 0;
    SelloutForecast forecast;
    qint64 trueSelloutAtMs = 0; // the order that took the last unit
    double idealMs = 0;         // the stock left over the true rate: the point with the rate known
};

struct PoissonScenario {
    double unitsPerHour = 0;
    int minUnits = 1, maxUnits = 1;
    double shopMultiple = 1;     // the shop's demand over the product's: its other products sell the rest
    bool atSale = true;          // made at a sale of the product (as alerts are), else at the shop's latest event
    qint64 warmUpMs = 4 * kHour; // of sales before the forecast
    double hoursOfStockLeft = 1; // at the forecast, in hours of the product's demand
};

// The engine sees the product (and, when shopMultiple > 1, one other product taking the rest of the shop's
// demand) as products/update messages from kStartMs on. The forecast is made after the warm-up: when atSale, at the
// product's n-th sale, n the number the warm-up's demand makes on average (sampled per sale, as alerts are evaluated
// at each; the first sale after a given time would close a gap longer than most); else at the shop's latest event
// before kStartMs + warmUpMs (as a snapshot is). The warm-up is long enough for the shop's drift estimate to settle
// (for its first two hours it runs high, which widens every interval). The product's stock is chosen so that
// exactly hoursOfStockLeft x unitsPerHour units are left then; its orders then go on until none is left.
PoissonCase runPoissonCase(const PoissonScenario &s, quint64 seed)
{
    constexpr qint64 kProduct = 8'841'726'390'317, kRestOfShop = kProduct + 1;
    static const std::string shop = "peak-apparel.myshopify.com";
    auto update = [](qint64 productId, qint64 atMs, qint64 quantity) {
        ProductEvent e;
        e.shop = shop;
        e.title = "Product";
        e.productId = productId;
        e.quantity = quantity;
        e.tracked = true;
        e.updatedAtMs = atMs;
        return e;
    };
    PoissonOrders product(s.unitsPerHour, s.minUnits, s.maxUnits, seed);
    PoissonOrders rest(s.unitsPerHour * std::max(1e-9, s.shopMultiple - 1), s.minUnits, s.maxUnits,
                       seed ^ 0x9E3779B97F4A7C15ull);
    const double meanUnits = 0.5 * (s.minUnits + s.maxUnits);
    const int salesBefore = std::max(2, int(std::lround(s.unitsPerHour / meanUnits * double(s.warmUpMs) / kHour)));
    const qint64 cutMs = kStartMs + s.warmUpMs;
    std::vector<PoissonOrders::Order> past;
    PoissonOrders::Order next{};
    for (;;) {
        next = product.next();
        if (s.atSale ? int(past.size()) == salesBefore : next.atMs >= cutMs)
            break;
        past.push_back(next);
    }
    const qint64 left = std::max<qint64>(1, std::llround(s.hoursOfStockLeft * s.unitsPerHour));
    qint64 quantity = left;
    for (const PoissonOrders::Order &o : past)
        quantity += o.units;

    InventoryEngine engine;
    engine.apply(update(kProduct, kStartMs, quantity));
    qint64 restQuantity = 1'000'000'000;
    const bool others = s.shopMultiple > 1;
    if (others)
        engine.apply(update(kRestOfShop, kStartMs, restQuantity));
    PoissonOrders::Order other = others ? rest.next() : PoissonOrders::Order{std::numeric_limits<qint64>::max(), 0};
    const qint64 lastEventMs = s.atSale ? past.back().atMs : cutMs - 1;
    auto othersUntil = [&](qint64 untilMs) {
        for (; other.atMs <= untilMs; other = rest.next())
            engine.apply(update(kRestOfShop, other.atMs, restQuantity -= other.units));
    };
    for (const PoissonOrders::Order &o : past) {
        othersUntil(o.atMs - 1);
        engine.apply(update(kProduct, o.atMs, quantity -= o.units));
    }
    othersUntil(lastEventMs);
    Q_ASSERT(quantity == left);

    const ProductState *state = engine.find(shop, kProduct);
    Q_ASSERT(state);
    PoissonCase c;
    c.madeAtMs = s.atSale ? past.back().atMs : engine.shopLatestMs(state->key.shop);
    c.forecast = peakwatch::forecastSellout(*state, engine.shopDemand(*state), engine.predictorParams(), c.madeAtMs);
    for (qint64 stock = left; stock > 0; next = product.next()) {
        stock -= next.units;
        c.trueSelloutAtMs = next.atMs;
    }
    c.idealMs = double(left) / s.unitsPerHour * kHour;
    return c;
}

// The 400 seeds of a scenario, run once for the tests that judge them.
constexpr int kPoissonSeeds = 400;
const std::vector<PoissonCase> &poissonCases(const PoissonScenario &s)
{
    static std::map<std::tuple<double, int, int, double, bool>, std::vector<PoissonCase>> cache;
    std::vector<PoissonCase> &cases = cache[{s.unitsPerHour, s.minUnits, s.maxUnits, s.shopMultiple, s.atSale}];
    if (cases.empty())
        for (int seed = 1; seed <= kPoissonSeeds; ++seed)
            cases.push_back(runPoissonCase(s, quint64(seed)));
    return cases;
}

// What a scenario's forecasts were worth against the truth.
struct PoissonJudgement {
    int cases = 0; // forecasts with an interval
    int withoutInterval = 0, early = 0, late = 0, openEnded = 0, inThePast = 0;
    std::vector<double> logRatios, idealLogRatios; // log(time left, predicted or ideal / true)

    explicit PoissonJudgement(const std::vector<PoissonCase> &seeds)
    {
        for (const PoissonCase &c : seeds) {
            const SelloutForecast &f = c.forecast;
            if (!f.selloutAtMs)
                continue; // silent for 3 windows: no forecast, so nothing claimed
            if (!f.earliestMs) {
                ++withoutInterval;
                continue;
            }
            ++cases;
            openEnded += !f.latestMs;
            early += c.trueSelloutAtMs < *f.earliestMs;
            late += f.latestMs && c.trueSelloutAtMs > *f.latestMs;
            const double predicted = double(*f.selloutAtMs - c.madeAtMs);
            const double truth = double(c.trueSelloutAtMs - c.madeAtMs);
            inThePast += predicted <= 0;
            logRatios.push_back(std::log(std::max(double(kSecond), predicted) / truth));
            idealLogRatios.push_back(std::log(c.idealMs / truth));
        }
    }
    double n() const { return std::max(1, cases); }
    double coverage() const { return double(cases - early - late) / n(); }
    double bias() const;
    double biasTolerance() const;
};

double mean(const std::vector<double> &v)
{
    double sum = 0;
    for (const double x : v)
        sum += x;
    return v.empty() ? 0 : sum / double(v.size());
}

double standardDeviation(const std::vector<double> &v)
{
    const double m = mean(v);
    double sum = 0;
    for (const double x : v)
        sum += (x - m) * (x - m);
    return v.size() > 1 ? std::sqrt(sum / double(v.size() - 1)) : 0;
}

double PoissonJudgement::bias() const
{
    return mean(logRatios) - mean(idealLogRatios);
}

double PoissonJudgement::biasTolerance() const
{
    return 3 * standardDeviation(logRatios) / std::sqrt(n());
}

} // namespace

class TstPredictor final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void steadyDepletionIsFollowed_data();
    void steadyDepletionIsFollowed();
    void restockIsNotNegativeSales_data();
    void restockIsNotNegativeSales();
    void largeSingleOrderIsNotASellout_data();
    void largeSingleOrderIsNotASellout();
    void silenceClearsPrediction_data();
    void silenceClearsPrediction();
    void slowedSalesKeepPrediction_data();
    void slowedSalesKeepPrediction();
    void tooFewSalesGiveNoRate_data();
    void tooFewSalesGiveNoRate();
    void confidenceGrowsWithObservationsAndSpan_data();
    void confidenceGrowsWithObservationsAndSpan();
    void surgeIsFollowed_data();
    void surgeIsFollowed();
    void soldOutHasNoSelloutTime();
    void intervalHoldsTheTrueSelloutOnPoissonOrders_data();
    void intervalHoldsTheTrueSelloutOnPoissonOrders();
    void selloutPointIsUnbiasedOnPoissonOrders_data();
    void selloutPointIsUnbiasedOnPoissonOrders();
};

// Columns shared by the steady-demand tests.
static void addDemandColumns()
{
    QTest::addColumn<double>("ratePerHour");
    QTest::addColumn<int>("minOrder");
    QTest::addColumn<int>("maxOrder");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<qint64>("startQuantity");
}

void TstPredictor::steadyDepletionIsFollowed_data()
{
    addDemandColumns();
    QTest::addColumn<bool>("edits");
    QTest::addRow("6/h, one unit every 10 min") << 6.0 << 1 << 1 << 0.0 << qint64(60) << false;
    QTest::addRow("6/h, orders of 1-3 units, irregular spacing") << 6.0 << 1 << 3 << 0.0 << qint64(120) << false;
    QTest::addRow("6/h, unchanged-stock updates between orders") << 6.0 << 1 << 1 << 0.0 << qint64(60) << true;
    QTest::addRow("60/h, one unit a minute") << 60.0 << 1 << 1 << 0.0 << qint64(300) << false;
    QTest::addRow("60/h, orders of 1-5 units, jittered 15 %%") << 60.0 << 1 << 5 << 0.15 << qint64(600) << false;
    QTest::addRow("60/h, orders of 1-5 units, unchanged-stock updates between orders")
        << 60.0 << 1 << 5 << 0.0 << qint64(600) << true;
    QTest::addRow("600/h, orders of 1-4 units, jittered 30 %%") << 600.0 << 1 << 4 << 0.3 << qint64(3000) << false;
    QTest::addRow("3000/h, one unit every 1.2 s") << 3000.0 << 1 << 1 << 0.0 << qint64(3000) << false;
    QTest::addRow("3000/h, orders of 1-10 units, jittered 30 %%, unchanged-stock updates")
        << 3000.0 << 1 << 10 << 0.3 << qint64(6000) << true;
}

// Requirement: seen at least 5 times over at least 10 minutes, a steady depletion at r units an hour
// gets a rate within 10 % of r and a sell-out time within 10 % of the true remaining time. Checked at
// every later sale until 10 % of the stock is left (beyond that the jitter of a single event is a
// large part of the little time left). Not checked at the unchanged-stock updates themselves: between
// sales the rate is meant to sag, as silence counts as no sales.
// A property of the estimator on a straight line, not its accuracy on real demand: without jitter the estimate is
// exact by construction (the units of a sale are spread over the time since the previous one), so those rows must
// be exact to a thousandth (times are whole milliseconds); with the events moved by up to 15 to 30 % of their
// spacing, within 10 % (measured: 4.9 % at worst). On random orders no estimator meets 10 %: what holds there is
// intervalHoldsTheTrueSelloutOnPoissonOrders's.
void TstPredictor::steadyDepletionIsFollowed()
{
    QFETCH(double, ratePerHour);
    QFETCH(int, minOrder);
    QFETCH(int, maxOrder);
    QFETCH(double, jitter);
    QFETCH(qint64, startQuantity);
    QFETCH(bool, edits);

    const PredictorParams params;
    SteadyDemand demand(ratePerHour, startQuantity, minOrder, maxOrder, jitter);
    SelloutPredictor predictor;
    const Point first = demand.start();
    predictor.observe(first.atMs, first.quantity, params);
    std::mt19937 coin(7);

    int events = 1;
    int checked = 0;
    double worstRate = 0, worstSellout = 0;
    const double bound = jitter > 0 ? 0.10 : 0.001;
    while (demand.quantity() - maxOrder > startQuantity / 10) {
        if (edits && coin() % 2 == 0) {
            const Point edit = demand.unchanged();
            predictor.observe(edit.atMs, edit.quantity, params);
            ++events;
        }
        const Point p = demand.order();
        predictor.observe(p.atMs, p.quantity, params);
        ++events;
        if (events < 5 || p.atMs - first.atMs < 10 * kMinute)
            continue;
        ++checked;
        const auto rate = predictor.ratePerHour(p.atMs, params);
        const auto sellout = predictor.selloutAtMs(p.atMs, params);
        QVERIFY2(
            rate,
            qPrintable(
                QStringLiteral("no rate after %1 events over %2 min").arg(events).arg(minutes(p.atMs - first.atMs))));
        QVERIFY2(sellout, qPrintable(QStringLiteral("no sell-out time after %1 events").arg(events)));
        const double trueRemaining = demand.trueSelloutAtMs() - double(p.atMs);
        const double predictedRemaining = double(*sellout - p.atMs);
        worstRate = std::max(worstRate, relativeError(*rate, ratePerHour));
        worstSellout = std::max(worstSellout, relativeError(predictedRemaining, trueRemaining));
        QVERIFY2(relativeError(*rate, ratePerHour) <= bound,
                 qPrintable(QStringLiteral("event %1 at %2 min: rate %3/h, expected %4/h within %5 %")
                                .arg(events)
                                .arg(minutes(p.atMs - first.atMs))
                                .arg(*rate)
                                .arg(ratePerHour)
                                .arg(100 * bound)));
        QVERIFY2(
            relativeError(predictedRemaining, trueRemaining) <= bound,
            qPrintable(QStringLiteral("event %1 at %2 min, %3 left: sells out in %4 min, truly in %5 min (within %6 %)")
                           .arg(events)
                           .arg(minutes(p.atMs - first.atMs))
                           .arg(p.quantity)
                           .arg(predictedRemaining / kMinute)
                           .arg(trueRemaining / kMinute)
                           .arg(100 * bound)));
    }
    QVERIFY2(checked >= 5, "the row must run past its warm-up");
    qInfo("%d events checked, worst rate error %.3f %%, worst sell-out error %.3f %%", checked, 100 * worstRate,
          100 * worstSellout);
}

void TstPredictor::restockIsNotNegativeSales_data()
{
    addDemandColumns();
    QTest::addColumn<qint64>("restock");
    QTest::addColumn<bool>("withOrder");
    QTest::addColumn<int>("restocks");
    QTest::addRow("6/h, 50 units between two orders") << 6.0 << 1 << 1 << 0.0 << qint64(60) << qint64(50) << false << 1;
    QTest::addRow("6/h, 40 units with an order, irregular spacing")
        << 6.0 << 1 << 3 << 0.0 << qint64(80) << qint64(40) << true << 1;
    QTest::addRow("60/h, 200 units in the same update as an order")
        << 60.0 << 1 << 4 << 0.0 << qint64(300) << qint64(200) << true << 1;
    QTest::addRow("600/h, three restocks of 500, jittered 30 %%")
        << 600.0 << 1 << 4 << 0.3 << qint64(2000) << qint64(500) << false << 3;
    QTest::addRow("3000/h, 5000 units between jittered orders")
        << 3000.0 << 1 << 10 << 0.3 << qint64(4000) << qint64(5000) << false << 1;
    QTest::addRow("3000/h, two restocks with orders")
        << 3000.0 << 1 << 5 << 0.0 << qint64(3000) << qint64(1500) << true << 2;
}

// Requirement: a restock (quantity jumps up) is not negative sales: from the restock on the rate stays
// at or above 90 % of r, and the depletion after it is predicted within 10 %, as it was before it.
void TstPredictor::restockIsNotNegativeSales()
{
    QFETCH(double, ratePerHour);
    QFETCH(int, minOrder);
    QFETCH(int, maxOrder);
    QFETCH(double, jitter);
    QFETCH(qint64, startQuantity);
    QFETCH(qint64, restock);
    QFETCH(bool, withOrder);
    QFETCH(int, restocks);

    const PredictorParams params;
    SteadyDemand demand(ratePerHour, startQuantity, minOrder, maxOrder, jitter);
    SelloutPredictor predictor;
    const Point first = demand.start();
    predictor.observe(first.atMs, first.quantity, params);

    auto check = [&](const Point &p, const char *phase) {
        const auto rate = predictor.ratePerHour(p.atMs, params);
        const auto sellout = predictor.selloutAtMs(p.atMs, params);
        if (!rate || !sellout)
            return QStringLiteral("%1, %2 min: no prediction")
                .arg(QLatin1StringView(phase))
                .arg(minutes(p.atMs - first.atMs));
        const double trueRemaining = demand.trueSelloutAtMs() - double(p.atMs);
        const double predictedRemaining = double(*sellout - p.atMs);
        if (*rate < 0.9 * ratePerHour || relativeError(*rate, ratePerHour) > 0.10 ||
            relativeError(predictedRemaining, trueRemaining) > 0.10)
            return QStringLiteral(
                       "%1, %2 min, %3 left: rate %4/h (expected %5/h), sells out in %6 min, truly in %7 min")
                .arg(QLatin1StringView(phase))
                .arg(minutes(p.atMs - first.atMs))
                .arg(p.quantity)
                .arg(*rate)
                .arg(ratePerHour)
                .arg(predictedRemaining / kMinute)
                .arg(trueRemaining / kMinute);
        return QString();
    };

    int checked = 0;
    for (int round = 0; round < restocks; ++round) {
        // Deplete down to half of the stock of this round, checking past the warm-up...
        const qint64 roundStart = demand.quantity();
        while (demand.quantity() - maxOrder > roundStart / 2) {
            const Point p = demand.order();
            predictor.observe(p.atMs, p.quantity, params);
            if (predictor.observations() >= 5 && p.atMs - first.atMs >= 10 * kMinute) {
                const QString failure = check(p, round == 0 ? "before the restock" : "between restocks");
                QVERIFY2(failure.isEmpty(), qPrintable(failure));
                ++checked;
            }
        }
        QVERIFY2(checked > 0, "the row must run past its warm-up before the restock");
        // ...then restock.
        const qint64 before = demand.quantity();
        const Point r = withOrder ? demand.restockWithOrder(restock) : demand.restock(restock);
        QCOMPARE_GT(r.quantity, before);
        predictor.observe(r.atMs, r.quantity, params);
        const QString failure = check(r, "at the restock");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    // After the last restock, down to 10 % of what it left.
    const qint64 afterRestock = demand.quantity();
    int after = 0;
    while (demand.quantity() - maxOrder > afterRestock / 10) {
        const Point p = demand.order();
        predictor.observe(p.atMs, p.quantity, params);
        const QString failure = check(p, "after the restock");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        ++after;
    }
    QCOMPARE_GE(after, 5);
}

void TstPredictor::largeSingleOrderIsNotASellout_data()
{
    QTest::addColumn<double>("ratePerHour");
    QTest::addColumn<int>("typicalOrder");
    QTest::addColumn<int>("factor");
    QTest::addColumn<qint64>("startQuantity");
    QTest::addRow("6/h, one unit every 10 min, then 30 units") << 6.0 << 1 << 30 << qint64(200);
    QTest::addRow("60/h, one unit a minute, then 30 units") << 60.0 << 1 << 30 << qint64(500);
    QTest::addRow("60/h, 3 units every 3 min, then 90 units") << 60.0 << 3 << 30 << qint64(600);
    QTest::addRow("600/h, 2 units every 12 s, then 60 units") << 600.0 << 2 << 30 << qint64(4000);
    QTest::addRow("3000/h, 5 units every 6 s, then 150 units") << 3000.0 << 5 << 30 << qint64(20000);
    QTest::addRow("3000/h, 5 units every 6 s, then 500 units") << 3000.0 << 5 << 100 << qint64(20000);
}

// Requirement: one unusually large order on a steady product does not make it look as if it sells
// out within minutes.
// Criterion, the estimator's own design (sellout_predictor.h): one sale raises the rate at most maxGrowth times, and
// what it added fades with the window as any sale does. So at the large order and at every event in the 3 windows
// after it, the predicted remaining time is at least the true remaining time at the steady rate (the quantity
// left / r) over 1 + (maxGrowth - 1) exp(-t / window), t the time since the large order: 0.56 of it at the order,
// 0.77 a window later, 0.90 after two, 0.96 after three: one order makes a product look at most 1.8 times as fast,
// and less so as the window passes, so a product with hours of stock left is shown hours, never minutes.
// Measured: the bound is met with equality
// at the order wherever the cap binds (0.556: all rows but 600/h with 60 units, 0.69, and 3000/h with 150 units,
// 0.82), and after it with a slack of 0.0008 or more; a thousandth is allowed for the sell-out time's whole
// milliseconds (the rate of a straight line is exact). The former bound, half the true time, let the rate double.
void TstPredictor::largeSingleOrderIsNotASellout()
{
    QFETCH(double, ratePerHour);
    QFETCH(int, typicalOrder);
    QFETCH(int, factor);
    QFETCH(qint64, startQuantity);

    const PredictorParams params;
    SteadyDemand demand(ratePerHour, startQuantity, typicalOrder, typicalOrder);
    SelloutPredictor predictor;
    const Point first = demand.start();
    predictor.observe(first.atMs, first.quantity, params);
    // Two windows of steady sales establish the rate.
    while (predictor.lastSaleAtMs() - first.atMs < 2 * params.windowMs || predictor.observations() < 5) {
        const Point p = demand.order();
        predictor.observe(p.atMs, p.quantity, params);
    }
    const auto steadyRate = predictor.ratePerHour(predictor.lastSaleAtMs(), params);
    QVERIFY(steadyRate);
    QVERIFY(relativeError(*steadyRate, ratePerHour) <= 0.10);

    const Point spike = demand.largeOrder(qint64(factor) * typicalOrder, typicalOrder);
    QVERIFY(spike.quantity > 0);
    double worst = 1e9, leastSlack = 1e9;
    auto check = [&](const Point &p) {
        const auto sellout = predictor.selloutAtMs(p.atMs, params);
        const double trueRemaining = double(p.quantity) / ratePerHour * kHour;
        const double predictedRemaining = sellout ? double(*sellout - p.atMs) : 1e18;
        const double fading = std::exp(-double(p.atMs - spike.atMs) / double(params.windowMs));
        const double atLeast = 1 / (1 + (params.maxGrowth - 1) * fading);
        worst = std::min(worst, predictedRemaining / trueRemaining);
        leastSlack = std::min(leastSlack, predictedRemaining / trueRemaining - atLeast);
        return predictedRemaining >= (atLeast - 0.001) * trueRemaining
                   ? QString()
                   : QStringLiteral("%1 min after the large order, %2 left: predicted to sell out in %3 min "
                                    "(rate %4/h), %5 min at the steady %6/h: %7 of it, at least %8")
                         .arg(minutes(p.atMs - spike.atMs))
                         .arg(p.quantity)
                         .arg(predictedRemaining / kMinute)
                         .arg(predictor.ratePerHour(p.atMs, params).value_or(0))
                         .arg(trueRemaining / kMinute)
                         .arg(ratePerHour)
                         .arg(predictedRemaining / trueRemaining)
                         .arg(atLeast);
    };
    predictor.observe(spike.atMs, spike.quantity, params);
    QString failure = check(spike);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    int checked = 0;
    for (Point p = demand.order(); p.atMs - spike.atMs <= 3 * params.windowMs; p = demand.order()) {
        predictor.observe(p.atMs, p.quantity, params);
        failure = check(p);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        ++checked;
    }
    QCOMPARE_GE(checked, 4);
    qInfo("lowest predicted / true remaining time after the large order: %.3f; least slack over the bound %.4f", worst,
          leastSlack);
}

void TstPredictor::silenceClearsPrediction_data()
{
    QTest::addColumn<double>("ratePerHour");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<bool>("priceEdits");
    QTest::addRow("60/h, 15-min windows") << 60.0 << 15 * kMinute << false;
    QTest::addRow("6/h, 15-min windows") << 6.0 << 15 * kMinute << false;
    QTest::addRow("600/h, 5-min windows") << 600.0 << 5 * kMinute << false;
    QTest::addRow("3000/h, 60-min windows") << 3000.0 << 60 * kMinute << false;
    QTest::addRow("600/h, unchanged-stock updates during the silence") << 600.0 << 15 * kMinute << true;
    QTest::addRow("6/h, unchanged-stock updates during the silence") << 6.0 << 15 * kMinute << true;
}

// Requirement: when sales stop for silentWindows (3) windows the prediction clears: no rate and no
// sell-out time at last sale + 3 windows (and later), both still present shortly before. Updates that
// change nothing (a price edit) are not sales.
void TstPredictor::silenceClearsPrediction()
{
    QFETCH(double, ratePerHour);
    QFETCH(qint64, windowMs);
    QFETCH(bool, priceEdits);

    PredictorParams params;
    params.windowMs = windowMs;
    QCOMPARE(params.silentWindows, 3);
    SteadyDemand demand(ratePerHour, qint64(ratePerHour * 100), 1, 1);
    SelloutPredictor predictor;
    const Point first = demand.start();
    predictor.observe(first.atMs, first.quantity, params);
    Point last = first;
    while (last.atMs - first.atMs < 2 * windowMs || predictor.observations() < 5) {
        last = demand.order();
        predictor.observe(last.atMs, last.quantity, params);
    }
    const qint64 clearsAt = last.atMs + 3 * windowMs;
    if (priceEdits) {
        for (qint64 at = last.atMs + windowMs / 4; at < clearsAt + windowMs; at += windowMs / 4)
            predictor.observe(at, last.quantity, params);
    }
    QCOMPARE(predictor.lastSaleAtMs(), last.atMs);

    const qint64 shortlyBefore = clearsAt - windowMs / 20;
    QVERIFY2(predictor.ratePerHour(shortlyBefore, params), "the rate cleared before 3 silent windows");
    QVERIFY2(predictor.selloutAtMs(shortlyBefore, params), "the sell-out time cleared before 3 silent windows");
    // Silence counts as no sales: the rate is falling, not frozen.
    QCOMPARE_LT(*predictor.ratePerHour(shortlyBefore, params), 0.5 * ratePerHour);

    for (const qint64 now : {clearsAt, clearsAt + 1, clearsAt + windowMs, clearsAt + 10 * windowMs}) {
        QVERIFY2(!predictor.ratePerHour(now, params),
                 qPrintable(QStringLiteral("a rate %1 min after the last sale").arg(minutes(now - last.atMs))));
        QVERIFY2(
            !predictor.selloutAtMs(now, params),
            qPrintable(QStringLiteral("a sell-out time %1 min after the last sale").arg(minutes(now - last.atMs))));
    }

    // Sales that resume bring the prediction back.
    qint64 at = clearsAt + 10 * windowMs;
    qint64 quantity = last.quantity;
    for (const qint64 end = at + windowMs; at < end; at += qint64(kHour / ratePerHour))
        predictor.observe(at, --quantity, params);
    QVERIFY(predictor.ratePerHour(predictor.lastSaleAtMs(), params));
    QVERIFY(predictor.selloutAtMs(predictor.lastSaleAtMs(), params));
}

void TstPredictor::slowedSalesKeepPrediction_data()
{
    QTest::addColumn<double>("ratePerHour");
    QTest::addColumn<qint64>("windowMs");
    QTest::addRow("60/h slows to one sale in 2.5 windows") << 60.0 << 15 * kMinute;
    QTest::addRow("600/h slows to one sale in 2.5 windows, 5-min windows") << 600.0 << 5 * kMinute;
    QTest::addRow("6/h slows to one sale in 2.5 windows") << 6.0 << 15 * kMinute;
}

// Requirement, the other side of the silence rule: a product whose sales merely slowed (a sale within
// every 3 windows) keeps a rate and a sell-out time; it clears only 3 windows after its last sale.
void TstPredictor::slowedSalesKeepPrediction()
{
    QFETCH(double, ratePerHour);
    QFETCH(qint64, windowMs);

    PredictorParams params;
    params.windowMs = windowMs;
    SteadyDemand demand(ratePerHour, qint64(ratePerHour * 100), 1, 1);
    SelloutPredictor predictor;
    Point last = demand.start();
    predictor.observe(last.atMs, last.quantity, params);
    while (last.atMs - kStartMs < 2 * windowMs || predictor.observations() < 5) {
        last = demand.order();
        predictor.observe(last.atMs, last.quantity, params);
    }
    const qint64 steadyEnd = last.atMs;
    qint64 quantity = last.quantity;
    for (int i = 1; i <= 4; ++i) {
        const qint64 at = steadyEnd + i * (5 * windowMs / 2);
        predictor.observe(at, --quantity, params);
        const qint64 now = at + 3 * windowMs - windowMs / 20;
        QVERIFY2(predictor.ratePerHour(now, params), qPrintable(QStringLiteral("slow sale %1: no rate").arg(i)));
        QVERIFY2(predictor.selloutAtMs(now, params), qPrintable(QStringLiteral("slow sale %1: no sell-out").arg(i)));
        QVERIFY(predictor.ratePerHour(at + 5 * windowMs / 2, params)); // just before the next slow sale
    }
    const qint64 lastSale = predictor.lastSaleAtMs();
    QVERIFY(!predictor.ratePerHour(lastSale + 3 * windowMs, params));
    QVERIFY(!predictor.selloutAtMs(lastSale + 3 * windowMs, params));
}

void TstPredictor::tooFewSalesGiveNoRate_data()
{
    QTest::addColumn<int>("minObservations");
    QTest::addColumn<bool>("otherUpdates");
    QTest::addRow("default: 2 sales") << PredictorParams{}.minObservations << false;
    QTest::addRow("3 sales") << 3 << false;
    QTest::addRow("5 sales") << 5 << false;
    QTest::addRow("5 sales, restocks and unchanged updates are not sales") << 5 << true;
    QTest::addRow("2 sales, restocks and unchanged updates are not sales") << 2 << true;
}

// Fewer than minObservations sales give no rate and no sell-out time; the one that completes them does.
void TstPredictor::tooFewSalesGiveNoRate()
{
    QFETCH(int, minObservations);
    QFETCH(bool, otherUpdates);

    PredictorParams params;
    params.minObservations = minObservations;
    SelloutPredictor predictor;
    QVERIFY(!predictor.ratePerHour(kStartMs, params));
    QVERIFY(!predictor.selloutAtMs(kStartMs, params));

    qint64 at = kStartMs;
    qint64 quantity = 500;
    predictor.observe(at, quantity, params);
    QVERIFY(!predictor.ratePerHour(at, params));
    for (int sale = 1; sale <= minObservations; ++sale) {
        if (otherUpdates) {
            predictor.observe(at += kMinute, quantity, params);       // a price edit
            predictor.observe(at += kMinute, quantity += 20, params); // a restock
        }
        predictor.observe(at += 2 * kMinute, quantity -= 3, params);
        QCOMPARE(predictor.observations(), sale);
        if (sale < minObservations) {
            QVERIFY2(!predictor.ratePerHour(at, params), qPrintable(QStringLiteral("a rate after %1 sales").arg(sale)));
            QVERIFY(!predictor.selloutAtMs(at, params));
        }
    }
    QVERIFY2(predictor.ratePerHour(at, params), "no rate once minObservations sales were seen");
    QVERIFY(predictor.selloutAtMs(at, params));
}

void TstPredictor::confidenceGrowsWithObservationsAndSpan_data()
{
    QTest::addColumn<qint64>("spacingMs");
    QTest::addColumn<int>("sales");
    QTest::addRow("a sale every 5 s: many sales, short span") << 5 * kSecond << 60;
    QTest::addRow("a sale a minute") << kMinute << 20;
    QTest::addRow("a sale every 4 min: span fills first") << 4 * kMinute << 8;
    QTest::addRow("a sale every 30 min") << 30 * kMinute << 8;
}

// 0 before any sale; grows with every sale until both 5 sales and 10 minutes of sales are seen; below 1
// while either is short; 1 after both.
void TstPredictor::confidenceGrowsWithObservationsAndSpan()
{
    QFETCH(qint64, spacingMs);
    QFETCH(int, sales);

    const PredictorParams params;
    SelloutPredictor predictor;
    QCOMPARE(predictor.confidence(), 0.0);
    qint64 at = kStartMs;
    qint64 quantity = 10'000;
    predictor.observe(at, quantity, params);
    QCOMPARE(predictor.confidence(), 0.0);
    predictor.observe(at += spacingMs, quantity += 50, params); // a restock is not a sale
    QCOMPARE(predictor.confidence(), 0.0);

    double previous = 0;
    qint64 firstSale = 0;
    for (int sale = 1; sale <= sales; ++sale) {
        predictor.observe(at += spacingMs, quantity -= 2, params);
        if (sale == 1)
            firstSale = at;
        const double c = predictor.confidence();
        const bool full = sale >= 5 && at - firstSale >= 10 * kMinute;
        QVERIFY2(c >= 0 && c <= 1, qPrintable(QString::number(c)));
        if (full) {
            QCOMPARE(c, 1.0);
        } else {
            QVERIFY2(c < 1, qPrintable(QStringLiteral("confidence %1 after %2 sales over %3 min")
                                           .arg(c)
                                           .arg(sale)
                                           .arg(minutes(at - firstSale))));
            if (sale >= 2)
                QVERIFY2(
                    c > previous,
                    qPrintable(
                        QStringLiteral("confidence did not grow at sale %1: %2 -> %3").arg(sale).arg(previous).arg(c)));
        }
        previous = c;
    }
    // Few sales over a short time weigh less than many over a long time.
    SelloutPredictor brief;
    brief.observe(kStartMs, 100, params);
    brief.observe(kStartMs + kMinute, 99, params);
    brief.observe(kStartMs + 2 * kMinute, 98, params);
    QCOMPARE_LT(brief.confidence(), predictor.confidence());
}

void TstPredictor::surgeIsFollowed_data()
{
    QTest::addColumn<double>("ratePerHour");
    QTest::addColumn<int>("order");
    QTest::addColumn<bool>("largerOrders");
    QTest::addRow("6/h to 60/h, orders 10x as often") << 6.0 << 1 << false;
    QTest::addRow("6/h to 60/h, orders 10x as large") << 6.0 << 1 << true;
    QTest::addRow("60/h to 600/h, orders 10x as often") << 60.0 << 2 << false;
    QTest::addRow("60/h to 600/h, orders 10x as large") << 60.0 << 2 << true;
    QTest::addRow("600/h to 6000/h, orders 10x as large") << 600.0 << 1 << true;
    QTest::addRow("3000/h to 30000/h, orders 10x as often") << 3000.0 << 5 << false;
    QTest::addRow("3000/h to 30000/h, orders 10x as large") << 3000.0 << 5 << true;
}

// Requirement: a genuine surge (rate x10, sustained) is followed as fast as the window lets it be, and the spike
// cap does not hold it back beyond what the cap is for.
// The rate is an exponentially weighted average with the window as its time constant: after a step to 10x it is
// short by 0.9 exp(-t / window) of the new rate, within 25 % after window x ln(0.9 / 0.25) (19.2 min at 15 min) and
// within 10 % after window x ln 9 (33.0 min). One sale raises it at most maxGrowth times, so coming within 25 % also
// takes ceil(ln 7.5 / ln maxGrowth) = 4 surge orders, which is the longer of the two only where they come 10 min
// apart (10-unit orders on a product that sold 6 units an hour: the cap holds it).
// Measured (noise-free, the rate read at each order): within 25 % for good after 18.7 to 19.0 min, 20.0 with orders
// 2 min apart, 40.0 where the cap holds it (4 orders 10 min apart); within 10 % for good after 32.3 to 34.0 min, 60
// where the cap holds it.
// Asserted, with one surge-order spacing as the margin (the rate is read only at orders): within 25 % from the
// longer of the two times on, and never out again; where the cap does not hold it, within 10 % from window x ln 9 on;
// everywhere within 10 % 5 windows in.
void TstPredictor::surgeIsFollowed()
{
    QFETCH(double, ratePerHour);
    QFETCH(int, order);
    QFETCH(bool, largerOrders);

    const PredictorParams params;
    const double surgeRate = 10 * ratePerHour;
    SteadyDemand demand(ratePerHour, qint64(surgeRate * 10), order, order);
    SelloutPredictor predictor;
    Point p = demand.start();
    predictor.observe(p.atMs, p.quantity, params);
    while (p.atMs - kStartMs < 3 * params.windowMs) {
        p = demand.order();
        predictor.observe(p.atMs, p.quantity, params);
    }
    QVERIFY(relativeError(predictor.ratePerHour(p.atMs, params).value_or(0), ratePerHour) <= 0.10);

    const qint64 surgeStart = p.atMs;
    demand.setRate(surgeRate);
    const int surgeOrder = largerOrders ? 10 * order : order;
    demand.setOrderSizes(surgeOrder, surgeOrder);
    const double spacingMs = surgeOrder / surgeRate * kHour;
    const double window = double(params.windowMs);
    const double byAverageMs = window * std::log(0.9 / 0.25);
    const double byCapMs = spacingMs * std::ceil(std::log(7.5) / std::log(params.maxGrowth));
    const bool capHolds = byCapMs > byAverageMs;
    const double within25Ms = std::max(byAverageMs, byCapMs) + spacingMs;
    const double within10Ms = window * std::log(9.0) + spacingMs;

    qint64 lastOutside25 = 0, lastOutside10 = 0; // since the surge's start: the last reading outside the band
    double rate = 0;
    while (p.atMs - surgeStart < 5 * params.windowMs) {
        p = demand.order();
        QVERIFY(p.quantity > 0);
        predictor.observe(p.atMs, p.quantity, params);
        rate = predictor.ratePerHour(p.atMs, params).value_or(0);
        const qint64 since = p.atMs - surgeStart;
        if (relativeError(rate, surgeRate) > 0.25)
            lastOutside25 = since;
        if (relativeError(rate, surgeRate) > 0.10)
            lastOutside10 = since;
    }
    const qint64 followed25 = lastOutside25 + qint64(spacingMs), followed10 = lastOutside10 + qint64(spacingMs);
    qInfo("within 25 %% for good after %.1f min (at most %.1f), within 10 %% after %.1f min (at most %.1f%s)",
          minutes(followed25), within25Ms / kMinute, minutes(followed10), within10Ms / kMinute,
          capHolds ? ", not judged: the cap holds it" : "");
    QVERIFY2(double(lastOutside25) < within25Ms,
             qPrintable(QStringLiteral("%1 min into the surge still more than 25 % off %2/h (at most %3 min)")
                            .arg(minutes(lastOutside25))
                            .arg(surgeRate)
                            .arg(within25Ms / kMinute)));
    if (!capHolds)
        QVERIFY2(double(lastOutside10) < within10Ms,
                 qPrintable(QStringLiteral("%1 min into the surge still more than 10 % off %2/h (at most %3 min)")
                                .arg(minutes(lastOutside10))
                                .arg(surgeRate)
                                .arg(within10Ms / kMinute)));
    QVERIFY2(
        relativeError(rate, surgeRate) <= 0.10,
        qPrintable(
            QStringLiteral("5 windows into the surge: rate %1/h, expected %2/h within 10 %").arg(rate).arg(surgeRate)));
}

// At quantity 0 or below there is no sell-out time ahead, though the rate is still known.
void TstPredictor::soldOutHasNoSelloutTime()
{
    const PredictorParams params;
    SelloutPredictor predictor;
    qint64 at = kStartMs;
    for (const qint64 quantity : {5, 4, 3, 2, 1, 0}) {
        predictor.observe(at, quantity, params);
        at += kMinute;
    }
    const qint64 last = at - kMinute;
    QVERIFY(predictor.ratePerHour(last, params));
    QVERIFY(!predictor.selloutAtMs(last, params));
    predictor.observe(at, -3, params); // oversold
    QVERIFY(!predictor.selloutAtMs(at, params));
}

// Rows of Poisson orders: 6, 60 and 600 units an hour, in orders of one unit or of 1 to 5; the product alone in its
// shop (the shop's demand is its own), or a tenth of it (the shop's rate, the prior, rests on ten times the sales);
// the forecast made at a sale of the product (as alerts are) or at the shop's latest event (as a snapshot is).
static void addPoissonRows(bool atSaleOnly)
{
    QTest::addColumn<double>("unitsPerHour");
    QTest::addColumn<int>("minUnits");
    QTest::addColumn<int>("maxUnits");
    QTest::addColumn<double>("shopMultiple");
    QTest::addColumn<bool>("atSale");
    for (const double rate : {6.0, 60.0, 600.0}) {
        for (const int maxUnits : {1, 5}) {
            const QByteArray orders = maxUnits == 1 ? "one unit an order" : "orders of 1-5 units";
            QTest::addRow("%g/h, %s, alone in its shop, at a sale", rate, orders.constData())
                << rate << 1 << maxUnits << 1.0 << true;
            if (rate > 60)
                continue; // a shop of 6,000 units an hour for 4 hours, 400 times over: too slow for a unit test
            QTest::addRow("%g/h, %s, a tenth of its shop, at a sale", rate, orders.constData())
                << rate << 1 << maxUnits << 10.0 << true;
            if (!atSaleOnly)
                QTest::addRow("%g/h, %s, a tenth of its shop, at the shop's latest event", rate, orders.constData())
                    << rate << 1 << maxUnits << 10.0 << false;
        }
    }
}

static PoissonScenario fetchPoissonScenario()
{
    QFETCH(double, unitsPerHour);
    QFETCH(int, minUnits);
    QFETCH(int, maxUnits);
    QFETCH(double, shopMultiple);
    QFETCH(bool, atSale);
    return {.unitsPerHour = unitsPerHour,
            .minUnits = minUnits,
            .maxUnits = maxUnits,
            .shopMultiple = shopMultiple,
            .atSale = atSale};
}

void TstPredictor::intervalHoldsTheTrueSelloutOnPoissonOrders_data()
{
    addPoissonRows(false);
}

// Requirement: on random demand the 80 % interval holds the true sell-out (of the same random orders continued)
// about 80 % of the time; no point estimate meets a 10 % bound there (steadyDepletionIsFollowed holds only on a
// straight line). Each row runs 400 seeds (runPoissonCase: 4 hours of sales, then a forecast with an hour of demand
// left); the seeds are independent, so each count below is binomial.
// - Every forecast with a sell-out time has an interval (README: `sellout_interval` is null only without a
//   prediction); its latest end may be open ("not even a slow sale can be ruled out"), and then holds any truth
//   after its earliest. (13 of the 400 at 600/h in one-unit orders had none while GSL's inverse of the beta
//   distribution, which fails to converge for some shapes, was taken as it came.)
// - Coverage: at least 80 % less 3 standard errors (sqrt(0.8 x 0.2 / n): 74.0 % at n = 400; an interval that truly
//   held 80 % falls below with probability 0.13 %). One-sided because the interval is made conservative on purpose:
//   its rate keeps a floor of drift (PredictorParams::driftPerHour, for demand that has looked steady and still
//   turns), so on orders as steady as these it holds more than 80 % (up to 100 % at 600/h). That excess is by design
//   and not judged here; on moving demand tst_forecast and bench_prediction judge it.
// - Each end is a percentile (the 10th, the 90th): the truth passes either in at most 10 % of the seeds, plus 3
//   standard errors (sqrt(0.1 x 0.9 / n): 14.5 % at n = 400). This catches an interval of the right width in the
//   wrong place, which the coverage alone does not.
void TstPredictor::intervalHoldsTheTrueSelloutOnPoissonOrders()
{
    const PoissonScenario scenario = fetchPoissonScenario();
    const PoissonJudgement j(poissonCases(scenario));
    const double n = j.n();
    const double minCoverage = 0.8 - 3 * std::sqrt(0.8 * 0.2 / n);
    const double maxTail = 0.1 + 3 * std::sqrt(0.1 * 0.9 / n);
    qInfo("%d of %d seeds forecast: %.1f %% held (%d open-ended), truth earlier %.1f %%, later %.1f %%; bias %+.3f "
          "(tolerance %.3f), %d predicted already past",
          j.cases, kPoissonSeeds, 100 * j.coverage(), j.openEnded, 100 * j.early / n, 100 * j.late / n, j.bias(),
          j.biasTolerance(), j.inThePast);

    QVERIFY2(j.withoutInterval == 0,
             qPrintable(QStringLiteral("%1 forecasts with a sell-out time but no interval").arg(j.withoutInterval)));
    if (scenario.atSale)
        QCOMPARE(j.cases, kPoissonSeeds); // a sale just made: always a rate
    else
        QCOMPARE_GE(j.cases, kPoissonSeeds / 2);
    QVERIFY2(j.coverage() >= minCoverage,
             qPrintable(QStringLiteral("the 80 % interval held the true sell-out in %1 % of %2 seeds (at least %3 %)")
                            .arg(100 * j.coverage(), 0, 'f', 1)
                            .arg(j.cases)
                            .arg(100 * minCoverage, 0, 'f', 1)));
    QVERIFY2(j.early / n <= maxTail && j.late / n <= maxTail,
             qPrintable(QStringLiteral("the truth came before the 10th percentile in %1 % and after the 90th in %2 % "
                                       "of seeds (at most %3 % each)")
                            .arg(100 * j.early / n, 0, 'f', 1)
                            .arg(100 * j.late / n, 0, 'f', 1)
                            .arg(100 * maxTail, 0, 'f', 1)));
}

void TstPredictor::selloutPointIsUnbiasedOnPoissonOrders_data()
{
    addPoissonRows(true);
}

// Requirement: on random demand the predicted sell-out time is not biased: over the 400 seeds of a row, the mean log
// ratio of the predicted to the true time left (symmetric: twice too early weighs as twice too late; a rate
// estimated low by chance does not dominate it, as it would a mean of times) is that of the ideal point, the stock
// left over the true rate, within 3 standard errors of the mean log ratio (its spread over the seeds / sqrt(n)): no
// bias that 400 truths can tell from none, i.e. under about a sixth of one forecast's typical error. The ideal's own
// is not zero: the time to sell a few units is skewed, and the last order takes more than is left.
// Judged for forecasts made at a sale. One read between sales is anchored at the product's last update (README:
// "Sell-out time = last update + quantity / rate"), so it is early by about the time since, by design: its bias is
// printed by intervalHoldsTheTrueSelloutOnPoissonOrders, not judged.
void TstPredictor::selloutPointIsUnbiasedOnPoissonOrders()
{
    const PoissonJudgement j(poissonCases(fetchPoissonScenario()));
    qInfo("mean log(predicted / true time left) %+.3f, the ideal's %+.3f: bias %+.3f (%.2f predicted / true), "
          "tolerance %.3f",
          mean(j.logRatios), mean(j.idealLogRatios), j.bias(), std::exp(j.bias()), j.biasTolerance());
    QCOMPARE(j.cases, kPoissonSeeds);
    // Known, measured and documented (README, "How good the prediction is"): at 6 units an hour the point is
    // biased in two shapes of shop. A tenth of its shop: at a slow product's sale its own rate jumps to 1.29x the
    // true one on average, and the shop's prior pulls it back only to 1.21x (0.91x the true time left). Alone, with
    // orders of 1 to 5 units: the one-order growth cap clips the lumpy orders and the rate reads low (1.23x the
    // true time left); lifting the cap flips the bias to -0.21. The interval holds the truth in both (83.5 %, 76 %).
    QEXPECT_FAIL("6/h, one unit an order, a tenth of its shop, at a sale",
                 "a slow product's own rate jumps at its sale more than the shop's prior takes back: 0.91x", Continue);
    QEXPECT_FAIL("6/h, orders of 1-5 units, alone in its shop, at a sale",
                 "the one-order growth cap reads lumpy slow orders low: 1.23x", Continue);
    QVERIFY2(std::fabs(j.bias()) <= j.biasTolerance(),
             qPrintable(QStringLiteral("the point's mean log ratio to the truth is %1 from the ideal's (%2 predicted / "
                                       "true time left), more than %3")
                            .arg(j.bias(), 0, 'f', 3)
                            .arg(std::exp(j.bias()), 0, 'f', 2)
                            .arg(j.biasTolerance(), 0, 'f', 3)));
}

QTEST_GUILESS_MAIN(TstPredictor)
#include "tst_predictor.moc"
