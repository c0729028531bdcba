// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Is Peakwatch's sell-out prediction better than what a shop would otherwise use, is its 80 % interval honest,
// and do its selling_out alerts come early, rarely wrong and few?
//
// Each run simulates a day of demand with the load simulator (scenario and seed), turns every order and
// restock into the products/update webhook Shopify would send, and feeds it through the real analysis
// (Analyzer: parser, engine, predictor, alert rules). Every 30 minutes of event time the stream is cut, and
// for every product in stock that then sells out within 3 hours the predicted sell-out time of each method is
// scored against the truth: |predicted - true| / (true - cut). The methods, all from the same updates:
//   Peakwatch        the engine's prediction (and its 80 % interval)
//   run rate         units sold since the product was first seen / time since
//   gradient         least squares over the product's last 10 updates (the original Spark job)
//   moving 15 min    the product's units sold over the last 15 minutes
//   present known    the demand model's true rate at the cut: what no estimate of the present can beat
// A method with no prediction for a case scores an infinite error.
//
// The runs are split: the tuning set is what the predictor's constants were chosen on; the report set (other
// seeds, other scenarios, and a demand model with different units per order, drifting popularity, flash sales
// and restocks) is what the figures in docs/benchmarks.md come from.
//
//   bench_prediction [--set tune|report|all] [--param NAME=VALUE]... [--cases FILE]
#include "analyzer.h"
#include "catalog.h"
#include "prediction_baselines.h"
#include "sales_simulator.h"
#include "scenario.h"
#include "webhook_builder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStringBuilder>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

using namespace peakwatch;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kMaxHorizonMs = 3 * kHour;
constexpr qint64 kEarlyMs = 30 * kMinute; // a warning at least this far ahead counts as early

enum Method { Peakwatch, RunRate, Gradient, Moving, Present, kMethods };
constexpr const char *kMethodNames[kMethods] = {"Peakwatch", "run rate", "gradient (10 updates)", "moving 15 min",
                                                "present known"};

struct BenchRun {
    QString label;
    sim::Scenario scenario;
    quint64 seed = 1;
    bool tuning = false;
};

sim::Scenario builtin(const char *name)
{
    const auto scenario = sim::Scenario::builtin(QString::fromLatin1(name));
    if (!scenario)
        qFatal("%s", qPrintable(scenario.error()));
    return *scenario;
}

// The demand the figures were measured on: 40 shops of 15 products.
sim::Scenario blackFriday()
{
    sim::Scenario s = builtin("black-friday");
    s.shops = 40;
    s.productsPerShop = 15;
    return s;
}

sim::Scenario flashSale()
{
    sim::Scenario s = builtin("flash-sale");
    s.durationMs = 6 * kHour; // three hours after the sale to see what sold out
    return s;
}

// Tuning only: larger orders, some drift, a later and sharper surge.
sim::Scenario cyberMonday()
{
    sim::Scenario s = blackFriday();
    s.name = QStringLiteral("cyber-monday");
    s.curve = {{0, 1500}, {kHour, 1500}, {kHour + 20 * kMinute, 14000}, {6 * kHour, 12000}, {14 * kHour, 3000}};
    s.meanUnitsPerOrder = 1.8;
    s.maxUnitsPerOrder = 8;
    s.popularityDrift = 0.3;
    s.flashSales = {{4 * kHour, 5 * kHour, 6, 2, {}}};
    return s;
}

// Report only, never tuned on: Poisson orders of 1 to 12 units, a midnight surge, popularity that drifts, two
// flash sales and two restocks, on 30 shops of 20 products.
sim::Scenario independent()
{
    sim::Scenario s = builtin("black-friday");
    s.name = QStringLiteral("independent");
    s.shops = 30;
    s.productsPerShop = 20;
    s.minStock = 15;
    s.maxStock = 220;
    s.curve = {{0, 900},           {2 * kHour, 1200}, {2 * kHour + 10 * kMinute, 21000},
               {4 * kHour, 16000}, {9 * kHour, 7000}, {14 * kHour, 5000}};
    s.meanUnitsPerOrder = 2.4;
    s.maxUnitsPerOrder = 12;
    s.popularityDrift = 0.5;
    s.flashSales = {{5 * kHour, 5 * kHour + 45 * kMinute, 8, 3, {}}, {9 * kHour, 9 * kHour + 30 * kMinute, 15, 1, {}}};
    s.restocks = {{6 * kHour, 0.6, 20, 150}, {10 * kHour, 0.4, 30, 100}};
    s.restockChance = 0.03;
    return s;
}

std::vector<BenchRun> benchRuns()
{
    return {
        {QStringLiteral("black-friday 40x15"), blackFriday(), 1, true},
        {QStringLiteral("black-friday 40x15"), blackFriday(), 2, true},
        {QStringLiteral("sell-out"), builtin("sell-out"), 1, true},
        {QStringLiteral("flash-sale"), flashSale(), 1, true},
        {QStringLiteral("cyber-monday"), cyberMonday(), 1, true},
        {QStringLiteral("black-friday 40x15"), blackFriday(), 3, false},
        {QStringLiteral("black-friday 40x15"), blackFriday(), 4, false},
        {QStringLiteral("sell-out"), builtin("sell-out"), 2, false},
        {QStringLiteral("flash-sale"), flashSale(), 2, false},
        {QStringLiteral("restocks"), builtin("restocks"), 2, false},
        {QStringLiteral("independent"), independent(), 3, false},
        {QStringLiteral("independent"), independent(), 4, false},
    };
}

// One product in stock at one cut, with each method's prediction.
struct Case {
    int product = 0;
    qint64 cutMs = 0;
    qint64 quantity = 0;
    std::array<std::optional<qint64>, kMethods> sellout;
    std::optional<qint64> earliest, latest; // Peakwatch's 80 % interval
    qint64 trueSelloutMs = 0;               // 0: not within kMaxHorizonMs
};

struct AlertSeen {
    int product;
    AlertRule rule;
    qint64 atMs;
    QByteArray episode;
};

struct RunResult {
    std::vector<Case> cases; // only those that sold out within kMaxHorizonMs
    // Alerts.
    int sellouts = 0;         // products that sold out, having been seen for at least an hour before
    int warnedEarly = 0;      // ... with a selling_out alert at least kEarlyMs before their first sell-out
    int sellingOutAlerts = 0; // judged (not within kMaxHorizonMs of the end, unless it sold out)
    int falseAlerts = 0;      // ... for products that did not sell out within kMaxHorizonMs
    int alertedProducts = 0;
    int alerts = 0;
    int maxAlertsPerProduct = 0;
    int productsOverFour = 0; // alerted more than 4 times (in more than one episode)
    int episodes = 0;         // with an alert
    int maxAlertsPerEpisode = 0;
    qint64 events = 0;
    QString audit; // what the engine measured of its intervals on the stream
};

class Runner final {
public:
    Runner(const BenchRun &run, PredictorParams params, AlertRules rules)
        : m_run(run)
        , m_params(params)
        , m_rules(std::move(rules))
    {}

    RunResult run()
    {
        const sim::Scenario &s = m_run.scenario;
        sim::Catalog::Options o;
        o.shops = s.shops;
        o.productsPerShop = s.productsPerShop;
        o.seed = m_run.seed;
        o.startMs = s.startAtMs - 60LL * 86400000;
        o.minStock = s.minStock;
        o.maxStock = s.maxStock;
        o.minVariants = s.minVariants;
        o.maxVariants = s.maxVariants;
        sim::Catalog catalog = sim::Catalog::generate(o);
        sim::SalesSimulator simulator(catalog, s, m_run.seed);
        for (sim::SimShop &shop : catalog.shops())
            for (sim::SimProduct &product : shop.products) {
                m_index.emplace(&product, int(m_products.size()));
                m_products.push_back({&shop, &product});
            }
        m_history.resize(m_products.size());
        m_baselines.resize(m_products.size());

        Analyzer analyzer(m_rules, m_params);
        sim::WebhookWriter writer;
        QByteArray body;
        std::vector<Alert> alerts;
        const qint64 endMs = s.startAtMs + s.durationMs;
        qint64 nextCut = s.startAtMs + kHour;
        RunResult result;
        for (;;) {
            const sim::SalesSimulator::Change change = simulator.next();
            const qint64 at = change.product ? change.atMs : endMs + 1;
            while (nextCut < at && nextCut <= endMs - kMaxHorizonMs) {
                cut(analyzer, simulator, nextCut);
                nextCut += 30 * kMinute;
            }
            if (!change.product)
                break;
            const int p = m_index.at(change.product);
            const qint64 quantity = change.product->quantity();
            m_history[size_t(p)].push_back({change.atMs, quantity});
            m_baselines[size_t(p)].observe(change.atMs, quantity);
            writer.write(*change.shop, *change.product, change.atMs, body);
            const QByteArray webhookId = simulator.newWebhookId();
            body.reserve(body.size() + qsizetype(simdjson::SIMDJSON_PADDING));
            RawMessage message;
            message.key = std::string_view(change.shop->domain.constData(), size_t(change.shop->domain.size()));
            message.value = std::string_view(body.constData(), size_t(body.size()));
            message.capacity = size_t(body.capacity());
            message.webhookIdHeader = std::string_view(webhookId.constData(), size_t(webhookId.size()));
            message.position = ++result.events;
            analyzer.process(message, alerts);
            for (const Alert &a : alerts)
                m_alerts.push_back({m_index.at(change.product), a.rule, a.atMs, a.episode});
            alerts.clear();
        }
        const IntervalAudit &audit = analyzer.engine().intervalAudit();
        result.audit = QStringLiteral("the engine judged %1 intervals on the stream: %2 % held, %3 earlier, %4 later")
                           .arg(audit.judged())
                           .arg(100 * audit.held(), 0, 'f', 1)
                           .arg(audit.early())
                           .arg(audit.late());
        judgeCases(result);
        judgeAlerts(result, endMs);
        return result;
    }

private:
    struct Product {
        sim::SimShop *shop;
        sim::SimProduct *product;
    };

    void cut(const Analyzer &analyzer, const sim::SalesSimulator &simulator, qint64 cutMs)
    {
        const RuleSet &rules = analyzer.rules().defaults();
        for (size_t p = 0; p < m_products.size(); ++p) {
            bench::PredictionBaselines &b = m_baselines[p];
            if (m_history[p].empty() || b.quantity() <= 0)
                continue;
            const QByteArray &shop = m_products[p].shop->domain;
            const ProductState *state = analyzer.engine().find(std::string_view(shop.constData(), size_t(shop.size())),
                                                               m_products[p].product->id);
            if (!state || !state->tracked)
                continue;
            Case c;
            c.product = int(p);
            c.cutMs = cutMs;
            c.quantity = b.quantity();
            const ProductSnapshot snap = makeSnapshot(analyzer.engine(), *state, rules, cutMs);
            c.sellout[Peakwatch] = snap.selloutAtMs;
            c.earliest = snap.selloutEarliestMs;
            c.latest = snap.selloutLatestMs;
            c.sellout[RunRate] = b.selloutAtMs(b.runRatePerHour(cutMs));
            c.sellout[Gradient] = b.selloutAtMs(b.gradientPerHour());
            c.sellout[Moving] = b.selloutAtMs(b.movingRatePerHour(cutMs));
            c.sellout[Present] = b.selloutAtMs(simulator.expectedUnitsPerHour(*m_products[p].product));
            m_cases.push_back(c);
        }
    }

    // The first time after `afterMs` the product's stock reached zero, or 0.
    qint64 soldOutAfter(int product, qint64 afterMs) const
    {
        const auto &h = m_history[size_t(product)];
        auto it = std::upper_bound(h.begin(), h.end(), afterMs,
                                   [](qint64 t, const HistoryPoint &point) { return t < point.atMs; });
        for (; it != h.end(); ++it)
            if (it->quantity <= 0)
                return it->atMs;
        return 0;
    }

    void judgeCases(RunResult &result)
    {
        for (Case &c : m_cases) {
            const qint64 soldOut = soldOutAfter(c.product, c.cutMs);
            if (soldOut == 0 || soldOut - c.cutMs > kMaxHorizonMs)
                continue;
            c.trueSelloutMs = soldOut;
            result.cases.push_back(c);
        }
    }

    void judgeAlerts(RunResult &result, qint64 endMs)
    {
        std::vector<std::vector<qint64>> warnings(m_products.size());
        std::vector<int> perProduct(m_products.size());
        for (const AlertSeen &a : m_alerts) {
            ++perProduct[size_t(a.product)];
            if (a.rule != AlertRule::SellingOut)
                continue;
            warnings[size_t(a.product)].push_back(a.atMs);
            const qint64 soldOut = soldOutAfter(a.product, a.atMs - 1);
            const bool soldOutInTime = soldOut != 0 && soldOut - a.atMs <= kMaxHorizonMs;
            if (!soldOutInTime && a.atMs > endMs - kMaxHorizonMs)
                continue; // the run ended before it could be told
            ++result.sellingOutAlerts;
            result.falseAlerts += soldOutInTime ? 0 : 1;
        }
        for (const int n : perProduct) {
            result.alerts += n;
            result.alertedProducts += n > 0 ? 1 : 0;
            result.maxAlertsPerProduct = std::max(result.maxAlertsPerProduct, n);
            result.productsOverFour += n > 4 ? 1 : 0;
        }
        std::unordered_map<QByteArray, int> perEpisode;
        for (const AlertSeen &a : m_alerts)
            ++perEpisode[a.episode];
        result.episodes = int(perEpisode.size());
        for (const auto &[episode, n] : perEpisode)
            result.maxAlertsPerEpisode = std::max(result.maxAlertsPerEpisode, n);
        // Each product's first sell-out (stock reaching zero from above), if it was seen for an hour before.
        for (size_t p = 0; p < m_products.size(); ++p) {
            const auto &h = m_history[p];
            for (size_t i = 1; i < h.size(); ++i) {
                if (!(h[i].quantity <= 0 && h[i - 1].quantity > 0))
                    continue;
                if (h[i].atMs - h.front().atMs >= kHour) {
                    ++result.sellouts;
                    const auto &w = warnings[p];
                    result.warnedEarly +=
                        std::any_of(w.begin(), w.end(), [&](qint64 at) { return at <= h[i].atMs - kEarlyMs; });
                }
                break;
            }
        }
    }

    const BenchRun &m_run;
    PredictorParams m_params;
    AlertRules m_rules;
    std::vector<Product> m_products;
    std::unordered_map<const sim::SimProduct *, int> m_index;
    std::vector<std::vector<HistoryPoint>> m_history;
    std::vector<bench::PredictionBaselines> m_baselines;
    std::vector<Case> m_cases;
    std::vector<AlertSeen> m_alerts;
};

double relativeError(const Case &c, Method m)
{
    if (!c.sellout[m])
        return std::numeric_limits<double>::infinity();
    return std::fabs(double(*c.sellout[m] - c.trueSelloutMs)) / double(c.trueSelloutMs - c.cutMs);
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return std::nan("");
    const size_t k = std::min(values.size() - 1, size_t(q * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qint64(k), values.end());
    return values[k];
}

struct Scores {
    size_t cases = 0;
    std::array<double, kMethods> median{}, p80{}, within20{};
    double coverage = 0, below = 0, above = 0, width = 0; // the interval: holds, truth earlier, later; median width
};

Scores score(const std::vector<const Case *> &cases)
{
    Scores s;
    s.cases = cases.size();
    if (cases.empty())
        return s;
    for (int m = 0; m < kMethods; ++m) {
        std::vector<double> errors;
        int within = 0;
        for (const Case *c : cases) {
            errors.push_back(relativeError(*c, Method(m)));
            within += errors.back() <= 0.2 ? 1 : 0;
        }
        s.median[size_t(m)] = quantile(errors, 0.5);
        s.p80[size_t(m)] = quantile(errors, 0.8);
        s.within20[size_t(m)] = double(within) / double(cases.size());
    }
    int holds = 0, below = 0, above = 0;
    std::vector<double> widths;
    for (const Case *c : cases) {
        if (!c->earliest) {
            ++above; // no interval: the product was not expected to sell out
            continue;
        }
        // No latest end: not even a slow sale could be ruled out, and the interval is open to the right.
        const bool late = c->latest && c->trueSelloutMs > *c->latest;
        holds += c->trueSelloutMs >= *c->earliest && !late;
        below += c->trueSelloutMs < *c->earliest;
        above += late;
        if (c->latest)
            widths.push_back(double(*c->latest - *c->earliest) / double(c->trueSelloutMs - c->cutMs));
    }
    s.coverage = double(holds) / double(cases.size());
    s.below = double(below) / double(cases.size());
    s.above = double(above) / double(cases.size());
    s.width = quantile(widths, 0.5);
    return s;
}

void printHeader()
{
    std::printf("| run | cases |");
    for (const char *name : kMethodNames)
        std::printf(" %s |", name);
    std::printf(" best baseline | Peakwatch / best | interval holds (early, late) |\n|---|---:|");
    for (int m = 0; m < kMethods + 3; ++m)
        std::printf("---:|");
    std::printf("\n");
}

// "| label | cases | median (p80, within 20 %) per method | ratio | coverage |"
void printScores(const QString &label, const Scores &s)
{
    std::printf("| %s | %zu |", qPrintable(label), s.cases);
    for (int m = 0; m < kMethods; ++m)
        std::printf(" %.3f (%.2f, %.0f %%) |", s.median[size_t(m)], s.p80[size_t(m)], 100 * s.within20[size_t(m)]);
    int best = RunRate;
    for (int m : {Gradient, Moving})
        if (s.median[size_t(m)] < s.median[size_t(best)])
            best = m;
    std::printf(" %s | %.2f | %.0f %% (%.0f %%, %.0f %%) |\n", kMethodNames[best],
                s.median[Peakwatch] / s.median[size_t(best)], 100 * s.coverage, 100 * s.below, 100 * s.above);
}

void printAlerts(const QString &label, const RunResult &r)
{
    std::printf("| %s | %d | %.0f %% | %d | %.0f %% | %.1f (%d) | %.1f %% | %.1f (%d) |\n", qPrintable(label),
                r.sellouts, r.sellouts ? 100.0 * r.warnedEarly / r.sellouts : 0.0, r.sellingOutAlerts,
                r.sellingOutAlerts ? 100.0 * r.falseAlerts / r.sellingOutAlerts : 0.0,
                r.alertedProducts ? double(r.alerts) / r.alertedProducts : 0.0, r.maxAlertsPerProduct,
                r.alertedProducts ? 100.0 * r.productsOverFour / r.alertedProducts : 0.0,
                r.episodes ? double(r.alerts) / r.episodes : 0.0, r.maxAlertsPerEpisode);
}

bool setParam(PredictorParams &params, const QString &assignment)
{
    const QString name = assignment.section(u'=', 0, 0);
    bool ok = false;
    const double value = assignment.section(u'=', 1).toDouble(&ok);
    if (!ok)
        return false;
    return params.set(name.toStdString(), value);
}

void writeCases(const QString &path, const std::vector<std::pair<const BenchRun *, RunResult>> &results)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write("run,seed,product,cut,quantity,true,peakwatch,earliest,latest,run_rate,gradient,moving,present\n");
    auto field = [](const std::optional<qint64> &v) { return v ? QByteArray::number(*v) : QByteArray(); };
    for (const auto &[run, result] : results)
        for (const Case &c : result.cases) {
            QByteArray line = run->label.toUtf8() + ',' + QByteArray::number(run->seed) + ',' +
                              QByteArray::number(c.product) + ',' + QByteArray::number(c.cutMs) + ',' +
                              QByteArray::number(c.quantity) + ',' + QByteArray::number(c.trueSelloutMs);
            line += ',' + field(c.sellout[Peakwatch]) + ',' + field(c.earliest) + ',' + field(c.latest);
            for (int m = RunRate; m < kMethods; ++m)
                line += ',' + field(c.sellout[size_t(m)]);
            file.write(line + '\n');
        }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_prediction"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sell-out prediction and alerts against ground truth."));
    parser.addHelpOption();
    const QCommandLineOption set(QStringLiteral("set"), QStringLiteral("tune, report or all (default all)."),
                                 QStringLiteral("SET"), QStringLiteral("all"));
    const QCommandLineOption param(QStringLiteral("param"), QStringLiteral("A predictor constant, NAME=VALUE."),
                                   QStringLiteral("NAME=VALUE"));
    const QCommandLineOption casesFile(QStringLiteral("cases"), QStringLiteral("Write every case as CSV."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption likelihood(QStringLiteral("sellout-likelihood"),
                                        QStringLiteral("The alert rules' selloutLikelihood (default the rules')."),
                                        QStringLiteral("P"));
    parser.addOptions({set, param, casesFile, likelihood});
    parser.process(app);

    PredictorParams params;
    for (const QString &p : parser.values(param))
        if (!setParam(params, p)) {
            std::fprintf(stderr, "bench_prediction: unknown or bad --param %s\n", qPrintable(p));
            return 2;
        }
    const QString which = parser.value(set);
    std::vector<BenchRun> runs = benchRuns();
    std::vector<std::pair<const BenchRun *, RunResult>> results;
    QElapsedTimer clock;
    clock.start();
    for (const BenchRun &run : runs) {
        if ((which == QLatin1String("tune") && !run.tuning) || (which == QLatin1String("report") && run.tuning))
            continue;
        AlertRules rules;
        if (parser.isSet(likelihood)) {
            RuleSet defaults = rules.defaults();
            defaults.selloutLikelihood = parser.value(likelihood).toDouble();
            rules.setDefaults(defaults);
        }
        results.emplace_back(&run, Runner(run, params, rules).run());
    }

    std::printf("Sell-out prediction: median |predicted - true| / time remaining (80th percentile, share within "
                "20 %%), over products in stock at a cut that sold out within 3 hours; cuts every 30 minutes.\n\n");
    for (const bool tuning : {true, false}) {
        std::vector<const Case *> pooled, nearer, farther;
        bool any = false;
        for (const auto &[run, result] : results) {
            if (run->tuning != tuning)
                continue;
            if (!any) {
                std::printf("%s\n\n",
                            tuning ? "Tuning set (the constants were chosen on these)" : "Report set (never tuned on)");
                printHeader();
                any = true;
            }
            std::vector<const Case *> cases;
            for (const Case &c : result.cases) {
                cases.push_back(&c);
                pooled.push_back(&c);
                (c.trueSelloutMs - c.cutMs <= kHour ? nearer : farther).push_back(&c);
            }
            printScores(run->label % QStringLiteral(", seed ") % QString::number(run->seed), score(cases));
        }
        if (!any)
            continue;
        printScores(QStringLiteral("**all**"), score(pooled));
        printScores(QStringLiteral("sold out within 1 h"), score(nearer));
        printScores(QStringLiteral("sold out in 1 to 3 h"), score(farther));
        std::printf("\n| run | products that sold out | warned 30 min ahead | selling_out alerts | of them, no "
                    "sell-out within 3 h | alerts per alerted product (most) | of them, over 4 | per episode (most) "
                    "|\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (const auto &[run, result] : results)
            if (run->tuning == tuning)
                printAlerts(run->label % QStringLiteral(", seed ") % QString::number(run->seed), result);
        std::printf("\n");
        for (const auto &[run, result] : results)
            if (run->tuning == tuning)
                std::printf("- %s, seed %llu: %s\n", qPrintable(run->label), (unsigned long long)run->seed,
                            qPrintable(result.audit));
        std::printf("\n");
    }
    std::printf(
        "%zu runs, %lld events, in %.1f s\n", results.size(),
        [&] {
            long long n = 0;
            for (const auto &r : results)
                n += r.second.events;
            return n;
        }(),
        double(clock.elapsed()) / 1000);
    if (parser.isSet(casesFile))
        writeCases(parser.value(casesFile), results);
    return 0;
}
