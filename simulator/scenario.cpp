// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "scenario.h"

#include "catalog.h"

#include "iso_time.h"
#include "json_object_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringBuilder>

#include <algorithm>
#include <cmath>

namespace peakwatch::sim {
namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;

// Thursday 2026-11-26 22:00 in New York (UTC-5): two hours before Black Friday starts.
constexpr qint64 kBlackFridayEve = 1795748400000;
// Tuesday 2026-11-17 06:00 in New York.
constexpr qint64 kOrdinaryMorning = 1794913200000;

Scenario makeOrdinaryDay()
{
    Scenario s;
    s.name = QStringLiteral("ordinary-day");
    s.description = QStringLiteral("An ordinary Tuesday: a morning rise, a lunchtime and an evening peak.");
    s.startAtMs = kOrdinaryMorning;
    s.durationMs = 18 * kHour;
    s.curve = {{0, 600},           {3 * kHour, 1500},  {6 * kHour, 2400}, {8 * kHour, 1800},
               {13 * kHour, 3000}, {16 * kHour, 1500}, {18 * kHour, 600}};
    s.minStock = 40;
    s.maxStock = 300;
    return s;
}

Scenario makeBlackFriday()
{
    Scenario s;
    s.name = QStringLiteral("black-friday");
    s.description = QStringLiteral("Black Friday: a quiet night, the midnight surge to the peak, a sustained peak "
                                   "until the early morning, then a slow decay.");
    s.startAtMs = kBlackFridayEve;
    s.durationMs = 14 * kHour;
    s.curve = {{0, 1200},                         // 22:00 quiet night
               {2 * kHour - kMinute, 1500},       // 23:59
               {2 * kHour + 15 * kMinute, 18000}, // 00:15 the surge reaches the peak
               {5 * kHour, 18000},                // 03:00 end of the sustained peak
               {8 * kHour, 9000},                 // 06:00
               {14 * kHour, 4500}};               // 12:00 slow decay
    s.minStock = 10;
    s.maxStock = 150;
    s.restocks = {{7 * kHour, 0.5, 20, 120}};
    return s;
}

Scenario makeFlashSale()
{
    Scenario s;
    s.name = QStringLiteral("flash-sale");
    s.description = QStringLiteral("An ordinary afternoon, then a one-hour flash sale on each shop's five most "
                                   "popular products at twenty times their demand.");
    s.startAtMs = kOrdinaryMorning + 6 * kHour;
    s.durationMs = 4 * kHour;
    s.curve = {{0, 2400}};
    s.flashSales = {{kHour, 2 * kHour, 20, 5, {}}};
    s.minStock = 30;
    s.maxStock = 200;
    return s;
}

Scenario makeRestocks()
{
    Scenario s;
    s.name = QStringLiteral("restocks");
    s.description = QStringLiteral("Steady strong demand on low stock, with the warehouse restocking every "
                                   "sold-out or low product each hour.");
    s.startAtMs = kOrdinaryMorning + 3 * kHour;
    s.durationMs = 6 * kHour;
    s.curve = {{0, 6000}};
    s.minStock = 5;
    s.maxStock = 40;
    for (qint64 h = 1; h < 6; ++h)
        s.restocks.push_back({h * kHour, 1.0, 30, 90});
    s.restockChance = 0;
    return s;
}

Scenario makeSellOut()
{
    Scenario s;
    s.name = QStringLiteral("sell-out");
    s.description = QStringLiteral("Steady demand on small stock and no restocks: products sell out one after "
                                   "another.");
    s.startAtMs = kOrdinaryMorning + 4 * kHour;
    s.durationMs = 6 * kHour;
    s.curve = {{0, 4000}};
    s.minStock = 5;
    s.maxStock = 60;
    s.restockChance = 0;
    return s;
}

// Reads JSON numbers with a path for errors.
class Reader {
public:
    explicit Reader(QString path)
        : m_path(std::move(path))
    {}
    const QString &error() const { return m_error; }
    bool ok() const { return m_error.isEmpty(); }

    double number(const QJsonObject &o, const char *key, double fallback, double min, double max)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max) {
            fail(QLatin1String(key), QStringLiteral("expected a number from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return v.toDouble();
    }
    qint64 minutes(const QJsonObject &o, const char *key, qint64 fallbackMs, double maxMinutes = 1e7)
    {
        return qint64(std::llround(number(o, key, double(fallbackMs) / kMinute, 0, maxMinutes) * kMinute));
    }
    void fail(const QString &field, const QString &what)
    {
        if (m_error.isEmpty())
            m_error = m_path % (field.isEmpty() ? QString() : u'.' % field) % QStringLiteral(": ") % what;
    }

private:
    QString m_path;
    QString m_error;
};

} // namespace

QString Scenario::setTopics(const QStringList &names)
{
    static const QStringList known{QStringLiteral("products/update"), QStringLiteral("inventory_levels/update"),
                                   QStringLiteral("orders/create")};
    if (names.isEmpty())
        return QStringLiteral("topics: expected a list of Shopify topics (%1)").arg(known.join(QStringLiteral(", ")));
    bool products = false, levels = false, orders = false;
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names[i] == known[0])
            products = true;
        else if (names[i] == known[1])
            levels = true;
        else if (names[i] == known[2])
            orders = true;
        else
            return QStringLiteral("topics[%1]: \"%2\" is not a topic the simulator sends (%3)")
                .arg(i)
                .arg(names[i], known.join(QStringLiteral(", ")));
    }
    // Levels alone name no product: without products/update nothing maps their items.
    if (!products)
        return QStringLiteral("topics: products/update must be among them: it is what maps inventory items to "
                              "products");
    sendsProductUpdates = products;
    sendsInventoryLevels = levels;
    sendsOrders = orders;
    return {};
}

void Scenario::useShopifysTopics(int shopLocations)
{
    locations = std::clamp(shopLocations, 1, kMaxLocations);
    sendsProductUpdates = sendsInventoryLevels = sendsOrders = true;
    coalesceMs = 10 * 1000;
}

double Scenario::ordersPerHourAt(qint64 atMs) const
{
    if (curve.empty())
        return 0;
    if (atMs <= curve.front().atMs)
        return curve.front().ordersPerHour;
    for (size_t i = 1; i < curve.size(); ++i) {
        if (atMs <= curve[i].atMs) {
            const RatePoint &a = curve[i - 1], &b = curve[i];
            const double f = double(atMs - a.atMs) / double(std::max<qint64>(1, b.atMs - a.atMs));
            return a.ordersPerHour + f * (b.ordersPerHour - a.ordersPerHour);
        }
    }
    return curve.back().ordersPerHour;
}

double Scenario::peakOrdersPerHour() const
{
    double peak = 0;
    for (const RatePoint &p : curve)
        peak = std::max(peak, p.ordersPerHour);
    return peak;
}

Scenario Scenario::skipped(qint64 offsetMs) const
{
    Scenario s = *this;
    s.startAtMs += offsetMs;
    if (s.durationMs > 0)
        s.durationMs = std::max<qint64>(1, s.durationMs - offsetMs);
    s.curve = {{0, ordersPerHourAt(offsetMs)}};
    for (const RatePoint &p : curve)
        if (p.atMs > offsetMs)
            s.curve.push_back({p.atMs - offsetMs, p.ordersPerHour});
    s.flashSales.clear();
    for (FlashSale f : flashSales)
        if (f.endMs > offsetMs) {
            f.startMs = std::max<qint64>(0, f.startMs - offsetMs);
            f.endMs -= offsetMs;
            s.flashSales.push_back(f);
        }
    s.restocks.clear();
    for (Restock r : restocks)
        if (r.atMs >= offsetMs) {
            r.atMs -= offsetMs;
            s.restocks.push_back(r);
        }
    return s;
}

QStringList Scenario::builtinNames()
{
    return {QStringLiteral("ordinary-day"), QStringLiteral("black-friday"), QStringLiteral("flash-sale"),
            QStringLiteral("restocks"), QStringLiteral("sell-out")};
}

Result<Scenario> Scenario::builtin(const QString &name)
{
    if (name == QLatin1String("ordinary-day"))
        return makeOrdinaryDay();
    if (name == QLatin1String("black-friday"))
        return makeBlackFriday();
    if (name == QLatin1String("flash-sale"))
        return makeFlashSale();
    if (name == QLatin1String("restocks"))
        return makeRestocks();
    if (name == QLatin1String("sell-out"))
        return makeSellOut();
    return Error{QStringLiteral("no built-in scenario \"") % name % QStringLiteral("\" (built-in: ") %
                 builtinNames().join(QStringLiteral(", ")) % QStringLiteral("; or give a scenario file)")};
}

Result<Scenario> Scenario::fromJson(const QByteArray &json)
{
    const auto parsed = parseJsonObject(json, QStringLiteral("expected a JSON object"));
    if (!parsed)
        return Error{parsed.error()};
    const QJsonObject &root = *parsed;
    static const QStringList known{QStringLiteral("name"),
                                   QStringLiteral("description"),
                                   QStringLiteral("base"),
                                   QStringLiteral("start"),
                                   QStringLiteral("duration_minutes"),
                                   QStringLiteral("time_compression"),
                                   QStringLiteral("curve"),
                                   QStringLiteral("flash_sales"),
                                   QStringLiteral("restocks"),
                                   QStringLiteral("restock_chance"),
                                   QStringLiteral("backorder_limit"),
                                   QStringLiteral("shops"),
                                   QStringLiteral("products_per_shop"),
                                   QStringLiteral("stock"),
                                   QStringLiteral("variants"),
                                   QStringLiteral("units_per_order"),
                                   QStringLiteral("popularity_drift"),
                                   QStringLiteral("locations"),
                                   QStringLiteral("topics"),
                                   QStringLiteral("coalesce_seconds")};
    for (auto it = root.begin(); it != root.end(); ++it)
        if (!known.contains(it.key()))
            return Error{it.key() % QStringLiteral(": unknown setting (known: ") % known.join(QStringLiteral(", ")) %
                         u')'};

    Scenario s;
    if (root.contains(QLatin1String("base"))) {
        auto base = Scenario::builtin(root.value(QLatin1String("base")).toString());
        if (!base)
            return Error{QStringLiteral("base: ") % base.error()};
        s = *base;
        s.flashSales.clear();
        s.restocks.clear();
    } else {
        s.startAtMs = kOrdinaryMorning;
        s.curve = {{0, 3000}};
    }
    s.name = root.value(QLatin1String("name")).toString(s.name.isEmpty() ? QStringLiteral("custom") : s.name);
    s.description = root.value(QLatin1String("description")).toString(s.description);

    Reader r{QString()};
    if (root.contains(QLatin1String("start"))) {
        const auto start = parseIsoTime(root.value(QLatin1String("start")).toString().toStdString());
        if (!start)
            return Error{QStringLiteral("start: expected an ISO 8601 time such as 2026-11-27T05:00:00Z")};
        s.startAtMs = *start;
    }
    s.durationMs = r.minutes(root, "duration_minutes", s.durationMs);
    s.timeCompression = r.number(root, "time_compression", s.timeCompression, 0.001, 1e6);
    s.restockChance = r.number(root, "restock_chance", s.restockChance, 0, 1);
    if (const QJsonValue limit = root.value(QLatin1String("backorder_limit")); !limit.isUndefined()) {
        // Whole units, at most a billion as the stock: with the stock it stays far inside a 64-bit sum.
        const double units = limit.toDouble(-1);
        if (!limit.isDouble() || units < 0 || units > 1e9 || units != std::floor(units)) {
            const QString given = limit.isDouble()   ? QString::number(units, 'g', 12)
                                  : limit.isString() ? QString(u'"' % limit.toString() % u'"')
                                                     : QStringLiteral("not a number");
            return Error{QStringLiteral("backorder_limit: expected a whole number of units per variant, 0 to "
                                        "1000000000 (got %1)")
                             .arg(given)};
        }
        s.backorderLimit = qint64(units);
    }
    s.shops = int(r.number(root, "shops", s.shops, 1, 10000));
    s.productsPerShop = int(r.number(root, "products_per_shop", s.productsPerShop, 1, 1000000));
    if (const QJsonValue stock = root.value(QLatin1String("stock")); !stock.isUndefined()) {
        const QJsonArray a = stock.toArray();
        // At most a billion units, as restocks add: more would pass a product's 64-bit sum of its variants.
        if (a.size() != 2 || !a[0].isDouble() || !a[1].isDouble() || a[0].toDouble() < 0 ||
            a[1].toDouble() < a[0].toDouble() || a[1].toDouble() > 1e9)
            return Error{QStringLiteral("stock: expected [min, max] units per variant, 0 to 1000000000")};
        s.minStock = qint64(a[0].toDouble());
        s.maxStock = qint64(a[1].toDouble());
    }
    if (const QJsonValue variants = root.value(QLatin1String("variants")); !variants.isUndefined()) {
        const QJsonArray a = variants.toArray();
        if (a.size() != 2 || a[0].toInt() < 1 || a[1].toInt() < a[0].toInt() || a[1].toInt() > 100)
            return Error{QStringLiteral("variants: expected [min, max] variants per product, 1 to 100")};
        s.minVariants = a[0].toInt();
        s.maxVariants = a[1].toInt();
    }
    s.popularityDrift = r.number(root, "popularity_drift", s.popularityDrift, 0, 10);
    s.locations = int(r.number(root, "locations", s.locations, 1, kMaxLocations));
    if (const double l = root.value(QLatin1String("locations")).toDouble(1); l != std::floor(l))
        return Error{QStringLiteral("locations: expected a whole number of locations per shop, 1 to %1 (got %2)")
                         .arg(kMaxLocations)
                         .arg(l)};
    s.coalesceMs = qint64(r.number(root, "coalesce_seconds", double(s.coalesceMs) / 1000, 0, 3600) * 1000);
    if (!r.ok())
        return Error{r.error().mid(1)};
    if (const QJsonValue topics = root.value(QLatin1String("topics")); !topics.isUndefined()) {
        const QJsonArray list = topics.toArray();
        QStringList names;
        for (const QJsonValue &name : list)
            names << (name.isString() ? name.toString() : QStringLiteral("(not a string)"));
        if (!topics.isArray())
            names.clear();
        if (const QString error = s.setTopics(names); !error.isEmpty())
            return Error{error};
    }
    if (const QJsonValue units = root.value(QLatin1String("units_per_order")); !units.isUndefined()) {
        Reader ur(QStringLiteral("units_per_order"));
        const QJsonObject o = units.toObject();
        if (!units.isObject() || !o.contains(QLatin1String("mean")))
            return Error{QStringLiteral("units_per_order: expected {\"mean\": M, \"max\": N}")};
        s.maxUnitsPerOrder = int(ur.number(o, "max", 12, 1, 10000));
        s.meanUnitsPerOrder = ur.number(o, "mean", 1, 1, double(s.maxUnitsPerOrder));
        if (!ur.ok())
            return Error{ur.error()};
        // Units are drawn geometrically (many single units, few large orders): at most as many large as small
        // ones, so the mean can reach (max + 1) / 2, when every size is as likely.
        if (const double reachable = (s.maxUnitsPerOrder + 1) / 2.0; s.meanUnitsPerOrder > reachable)
            return Error{QStringLiteral("units_per_order.mean: %1 cannot be reached with orders of at most %2 units, "
                                        "which are mostly single units: the mean can be at most %3; raise max to "
                                        "%4 or lower the mean")
                             .arg(s.meanUnitsPerOrder)
                             .arg(s.maxUnitsPerOrder)
                             .arg(reachable)
                             .arg(int(std::ceil(2 * s.meanUnitsPerOrder - 1)))};
    }

    if (const QJsonValue curve = root.value(QLatin1String("curve")); !curve.isUndefined()) {
        if (!curve.isArray() || curve.toArray().isEmpty())
            return Error{QStringLiteral("curve: expected a list of {\"at_minutes\", \"orders_per_hour\"} points")};
        s.curve.clear();
        const QJsonArray points = curve.toArray();
        for (qsizetype i = 0; i < points.size(); ++i) {
            Reader pr(QStringLiteral("curve[%1]").arg(i));
            const QJsonObject p = points[i].toObject();
            const qint64 at = pr.minutes(p, "at_minutes", 0);
            const double rate = pr.number(p, "orders_per_hour", -1, 0, 1e9);
            if (!p.contains(QLatin1String("orders_per_hour")))
                pr.fail(QStringLiteral("orders_per_hour"), QStringLiteral("missing"));
            if (!s.curve.empty() && at < s.curve.back().atMs)
                pr.fail(QStringLiteral("at_minutes"), QStringLiteral("points must be in time order"));
            if (!pr.ok())
                return Error{pr.error()};
            s.curve.push_back({at, rate});
        }
    }
    for (const char *list : {"flash_sales", "restocks"})
        if (const QJsonValue v = root.value(QLatin1String(list)); !v.isUndefined() && !v.isArray())
            return Error{QLatin1String(list) % QStringLiteral(": expected a list")};
    const QJsonArray sales = root.value(QLatin1String("flash_sales")).toArray();
    for (qsizetype i = 0; i < sales.size(); ++i) {
        Reader fr(QStringLiteral("flash_sales[%1]").arg(i));
        if (!sales[i].isObject())
            return Error{QStringLiteral("flash_sales[%1]: expected an object").arg(i)};
        const QJsonObject f = sales[i].toObject();
        FlashSale sale;
        sale.startMs = fr.minutes(f, "start_minutes", 0);
        sale.endMs = sale.startMs + fr.minutes(f, "duration_minutes", 60 * kMinute);
        sale.multiplier = fr.number(f, "multiplier", 10, 1, 10000);
        sale.topProducts = int(fr.number(f, "top_products", 0, 0, 1000000));
        for (const QJsonValue &id : f.value(QLatin1String("product_ids")).toArray()) {
            const qint64 value = id.isString() ? id.toString().toLongLong() : id.toInteger();
            if (value <= 0)
                fr.fail(QStringLiteral("product_ids"), QStringLiteral("expected product ids (strings above 2^53)"));
            sale.productIds << value;
        }
        if (sale.topProducts == 0 && sale.productIds.isEmpty())
            fr.fail(QString(), QStringLiteral("names no products (top_products or product_ids)"));
        if (!fr.ok())
            return Error{fr.error()};
        s.flashSales.push_back(sale);
    }
    const QJsonArray restockList = root.value(QLatin1String("restocks")).toArray();
    for (qsizetype i = 0; i < restockList.size(); ++i) {
        Reader rr(QStringLiteral("restocks[%1]").arg(i));
        if (!restockList[i].isObject())
            return Error{QStringLiteral("restocks[%1]: expected an object").arg(i)};
        const QJsonObject o = restockList[i].toObject();
        Restock restock;
        restock.atMs = rr.minutes(o, "at_minutes", 0);
        restock.fraction = rr.number(o, "fraction", 1, 0, 1);
        restock.minUnits = qint64(rr.number(o, "min_units", 20, 1, 1e9));
        restock.maxUnits = qint64(rr.number(o, "max_units", 120, double(restock.minUnits), 1e9));
        if (!rr.ok())
            return Error{rr.error()};
        s.restocks.push_back(restock);
    }
    std::sort(s.restocks.begin(), s.restocks.end(), [](const Restock &a, const Restock &b) { return a.atMs < b.atMs; });
    return s;
}

Result<Scenario> Scenario::load(const QString &nameOrPath)
{
    if (builtinNames().contains(nameOrPath))
        return builtin(nameOrPath);
    QFile file(nameOrPath);
    if (!file.exists())
        return builtin(nameOrPath); // says which names there are
    if (!file.open(QIODevice::ReadOnly))
        return Error{nameOrPath % QStringLiteral(": ") % file.errorString()};
    auto scenario = fromJson(file.readAll());
    if (!scenario)
        return Error{nameOrPath % QStringLiteral(": ") % scenario.error()};
    return scenario;
}

} // namespace peakwatch::sim
