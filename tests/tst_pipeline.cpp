// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// End to end: the embedded cluster, the webhook gateway, `simulate` over HTTP with duplicate, late and
// malformed deliveries, and `analyze` reading what reached Kafka, checked against the simulator's truth.
#include "cli_runner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimeZone>

#include <cmath>

namespace {

constexpr char kSecretVariable[] = "PEAKWATCH_TEST_WEBHOOK_SECRET";

QJsonObject lastJson(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

// simulate's pacing and delivery faults: webhooks a second, the fractions delivered twice, late and malformed.
QStringList paceAndFaults(int rate, double duplicates, double late, double malformed, int seed)
{
    return {QStringLiteral("--rate"),         QString::number(rate),
            QStringLiteral("--duplicates"),   QString::number(duplicates),
            QStringLiteral("--out-of-order"), QString::number(late),
            QStringLiteral("--malformed"),    QString::number(malformed),
            QStringLiteral("--seed"),         QString::number(seed)};
}

// The latest snapshot of each product in analyze's output, by product id.
QHash<qint64, QJsonObject> latestSnapshots(const CliResult &analyzed)
{
    QHash<qint64, QJsonObject> snapshots;
    for (const QByteArray &line : analyzed.outLines()) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("snapshot"))
            snapshots.insert(o.value(QStringLiteral("product_id")).toInteger(), o);
    }
    return snapshots;
}

QJsonObject readJsonFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}
qint64 msOf(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// The standard deviation, relative to the rate, of the difference between analyze's rate of a product and the units
// it really sold an hour over the run (the truth's rate_per_hour), when its demand is steady.
// Both are averages of the same random orders: analyze's weighs an order placed s before the end by
// a(s) = exp(-s / window) / (window (1 - exp(-run / window))), the truth's by b = 1 / run. Orders arrive as a
// Poisson process and carry u units each, so the difference has variance
//   rate x E[u^2] / E[u] x integral of (a - b)^2 = rate x k / window x ((1 + e) / (2 (1 - e)) - window / run),
// e = exp(-run / window): relative to the rate, k / (rate x window) x that. k = E[u^2] / E[u] is 19 / 9 for the
// simulator's orders (1 unit 70 %, 2 units 20 %, 3 to 5 units 10 %: sales_simulator.cpp, drawUnits). Conservative
// for analyze: it spreads each order's units over the time since the previous one and caps how far one order can
// raise the rate, both of which make its rate steadier than the weights say.
double relativeRateNoise(double unitsPerHour, double runHours, double windowHours)
{
    constexpr double kUnitsPerOrder = 19.0 / 9.0; // E[u^2] / E[u] = (0.7 + 0.8 + 0.1 x 50 / 3) / 1.5
    const double e = std::exp(-runHours / windowHours);
    const double shape = (1 + e) / (2 * (1 - e)) - windowHours / runHours;
    return std::sqrt(kUnitsPerOrder / (unitsPerHour * windowHours) * shape);
}

} // namespace

class TstPipeline final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyAcceptedEventArrivesOnceAndPredictionsMatchTheTruth();
    void shopifysThreeTopicsGiveEveryProductsTrueStock();

private:
    // Starts `gateway` producing to `topic`; returns its URL, empty on failure.
    QString startGateway(QProcess &gateway, const QString &topic);
    // Runs `simulate` over HTTP to `url` with the scenario file and `extra` arguments; returns its JSON report.
    QJsonObject simulate(const QString &url, const QString &scenario, const QString &truthPath,
                         const QStringList &extra);
    // Stops `gateway` as on Ctrl+C; returns its summary (standard error).
    QByteArray stopGateway(QProcess &gateway);
    // Reads `analyze`'s output until its alerts stop coming, then stops it as on Ctrl+C.
    CliResult finishAnalyze(QProcess &analyze);
    QProcess m_broker;
    QProcess m_gateway;
    QString m_bootstrap;
    QString m_url;
    QTemporaryDir m_dir;
};

void TstPipeline::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_broker.start(QStringLiteral(PEAKWATCH_CLI),
                   {QStringLiteral("broker"), QStringLiteral("--brokers"), QStringLiteral("1"),
                    QStringLiteral("--topic"), QStringLiteral("products:16"), QStringLiteral("--topic"),
                    QStringLiteral("shopify:8")});
    QVERIFY(m_broker.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_broker.canReadLine(), 15000);
    m_bootstrap = QString::fromUtf8(m_broker.readLine().trimmed());
    m_url = startGateway(m_gateway, QStringLiteral("products"));
    QVERIFY2(m_url.startsWith(QLatin1String("http://127.0.0.1:")), qPrintable(m_url));
}

QString TstPipeline::startGateway(QProcess &gateway, const QString &topic)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(kSecretVariable), QStringLiteral("shpss_test_0123456789abcdef"));
    gateway.setProcessEnvironment(env);
    gateway.start(QStringLiteral(PEAKWATCH_CLI),
                  {QStringLiteral("gateway"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--topic"), topic,
                   QStringLiteral("--secret-env"), QLatin1String(kSecretVariable)});
    if (!gateway.waitForStarted() || !QTest::qWaitFor([&gateway] { return gateway.canReadLine(); }, 15000))
        return {};
    return QString::fromUtf8(gateway.readLine().trimmed());
}

QJsonObject TstPipeline::simulate(const QString &url, const QString &scenario, const QString &truthPath,
                                  const QStringList &extra)
{
    QProcess simulate;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(kSecretVariable), QStringLiteral("shpss_test_0123456789abcdef"));
    simulate.setProcessEnvironment(env);
    simulate.start(QStringLiteral(PEAKWATCH_CLI),
                   QStringList{QStringLiteral("simulate"), QStringLiteral("--webhook-url"),
                               url + QStringLiteral("/webhooks"), QStringLiteral("--secret-env"),
                               QLatin1String(kSecretVariable), QStringLiteral("--scenario"), scenario,
                               QStringLiteral("--truth"), truthPath, QStringLiteral("--quiet")} +
                       extra);
    if (!simulate.waitForFinished(300000))
        return {};
    const QByteArray err = simulate.readAllStandardError();
    if (simulate.exitCode() != 0) {
        qWarning("simulate: %s", err.constData());
        return {};
    }
    return lastJson(simulate.readAllStandardOutput());
}

QByteArray TstPipeline::stopGateway(QProcess &gateway)
{
    gateway.terminate();
    if (!gateway.waitForFinished(20000) || gateway.exitCode() != 0)
        return "the gateway did not stop cleanly: " + gateway.readAllStandardError();
    return gateway.readAllStandardError();
}

CliResult TstPipeline::finishAnalyze(QProcess &analyze)
{
    QByteArray analyzedOut;
    QElapsedTimer quiet;
    quiet.start();
    for (QElapsedTimer waited; !waited.isValid() || waited.elapsed() < 60000;) {
        if (!waited.isValid())
            waited.start();
        QTest::qWait(250);
        const QByteArray more = analyze.readAllStandardOutput();
        if (!more.isEmpty())
            quiet.restart();
        analyzedOut += more;
        if (quiet.elapsed() > 2500)
            break;
    }
    analyze.terminate();
    CliResult analyzed;
    analyzed.exitCode = analyze.waitForFinished(30000) ? analyze.exitCode() : -1;
    analyzed.out = analyzedOut + analyze.readAllStandardOutput();
    analyzed.err = analyze.readAllStandardError();
    return analyzed;
}

void TstPipeline::cleanupTestCase()
{
    for (QProcess *p : {&m_gateway, &m_broker}) {
        if (p->state() == QProcess::NotRunning)
            continue;
        p->terminate();
        QVERIFY(p->waitForFinished(20000));
        QCOMPARE(p->exitCode(), 0);
    }
}

void TstPipeline::everyAcceptedEventArrivesOnceAndPredictionsMatchTheTruth()
{
    // Steady strong demand for 30 simulated minutes on four shops of twelve products: popularity falls with rank
    // (the simulator's), so the products sell from about 200 to 3,000 units an hour, and the best sellers run out
    // or nearly.
    const QString scenario = m_dir.filePath(QStringLiteral("steady.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "steady", "shops": 4, "products_per_shop": 12, "stock": [50, 1000], "variants": [2, 4],
                   "curve": [{"at_minutes": 0, "orders_per_hour": 24000}], "duration_minutes": 30,
                   "restock_chance": 0})");
    file.close();

    // analyze reads the topic live, as it fills: the embedded cluster keeps only ~4.3 MB a partition, about
    // 1,600 of these payloads. The topic is keyed by shop; on 16 partitions each of the four shops has its own
    // (on 8, two share one). At 1,000 events/s a partition fills at ~250 messages/s, so analyze may fall
    // more than 6 s behind a busy machine before retention overtakes it (at full speed, under 1 s).
    QProcess analyze;
    analyze.start(QStringLiteral(PEAKWATCH_CLI), {QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap,
                                                  QStringLiteral("-t"), QStringLiteral("products")});
    QVERIFY(analyze.waitForStarted());
    const QString truthPath = m_dir.filePath(QStringLiteral("truth.json"));

    const QJsonObject report = simulate(m_url, scenario, truthPath, paceAndFaults(1000, 0.05, 0.05, 0.02, 5));
    const qint64 events = report.value(QStringLiteral("events")).toInteger();
    const qint64 duplicates = report.value(QStringLiteral("duplicates")).toInteger();
    const qint64 malformed = report.value(QStringLiteral("malformed")).toInteger();
    QVERIFY2(events > 5000 && duplicates > 0 && malformed > 0 && report.value(QStringLiteral("late")).toInteger() > 0,
             QJsonDocument(report).toJson().constData());
    // The gateway took every real delivery and redelivery, and refused every malformed body.
    const QJsonObject status = report.value(QStringLiteral("http_status")).toObject();
    QCOMPARE(status.value(QStringLiteral("200")).toInteger(), events + duplicates);
    QCOMPARE(status.value(QStringLiteral("400")).toInteger(), malformed);
    QCOMPARE(report.value(QStringLiteral("errors")).toInteger(), 0);

    // The gateway produced each event once and answered each redelivery without producing it again.
    const QByteArray gatewaySummary = stopGateway(m_gateway);
    QVERIFY2(gatewaySummary.contains(QByteArray("accepted " + QByteArray::number(events) + ", duplicates " +
                                                QByteArray::number(duplicates) + ',')),
             gatewaySummary.constData());

    // analyze catches up with the last messages (its alerts stop coming), then stops as on Ctrl+C.
    const CliResult analyzed = finishAnalyze(analyze);
    QVERIFY2(analyzed.exitCode == 0, analyzed.err.constData());
    QVERIFY2(!analyzed.err.contains("data lost"), analyzed.err.constData());
    // Every event arrived once: applied, or (delivered late, behind a newer update) counted out of order.
    const QRegularExpression counts(
        QStringLiteral("accepted (\\d+), duplicates (\\d+), out of order (\\d+), rejected (\\d+)"));
    const auto m = counts.match(QString::fromUtf8(analyzed.err));
    QVERIFY2(m.hasMatch(), analyzed.err.constData());
    QCOMPARE(m.captured(1).toLongLong() + m.captured(3).toLongLong(), events);
    QVERIFY(m.captured(3).toLongLong() > 0);
    QCOMPARE(m.captured(2).toLongLong(), 0);
    QCOMPARE(m.captured(4).toLongLong(), 0);

    QVERIFY2(analyzed.err.contains("end-to-end latency"), analyzed.err.constData()); // the stamp came through

    const QHash<qint64, QJsonObject> snapshots = latestSnapshots(analyzed);
    const QJsonObject truth = readJsonFile(truthPath);
    const qint64 start = msOf(truth.value(QStringLiteral("start"))), end = msOf(truth.value(QStringLiteral("end")));
    const double runHours = double(end - start) / 3600000.0;
    constexpr double kWindowHours = 0.25; // analyze's default --window
    // The engine's sell-out time against the one the units really sold give (the stock left over the units sold an
    // hour in the run, which the simulator counts from its own orders: its demand is steady here, so the run's
    // average is the rate to compare with), for every product in stock that sold enough units to judge (50: the
    // normal approximation behind the bound holds from a few dozen orders). Bound: 4 standard deviations of the
    // difference between the two (relativeRateNoise: 7 % at 250 units an hour, 2 % at 3,000), so a product
    // whose rate analyze follows fails by chance with probability 6e-5, and one of 50 with 0.3 %. Over all of them,
    // the mean of the standardised errors is within 4 / sqrt(n) of 0: a bias common to all products (say, a few
    // sales counted twice) that no single one shows.
    int soldOut = 0, judged = 0, tooFew = 0;
    double sumZ = 0, sumZ2 = 0, worstZ = 0;
    for (const QJsonValue &v : truth.value(QStringLiteral("products")).toArray()) {
        const QJsonObject p = v.toObject();
        const qint64 id = p.value(QStringLiteral("product_id")).toInteger();
        QVERIFY2(snapshots.contains(id), qPrintable(QString::number(id)));
        const QJsonObject s = snapshots[id];
        QCOMPARE(s.value(QStringLiteral("quantity")).toInteger(), p.value(QStringLiteral("final_stock")).toInteger());
        if (!p.value(QStringLiteral("sold_out_at")).isNull()) {
            ++soldOut;
            QCOMPARE(s.value(QStringLiteral("status")).toString(), QStringLiteral("sold_out"));
            QCOMPARE(s.value(QStringLiteral("sellout_at")).toString(),
                     p.value(QStringLiteral("sold_out_at")).toString());
            continue;
        }
        const qint64 unitsSold = p.value(QStringLiteral("units_sold")).toInteger();
        if (unitsSold < 50) {
            ++tooFew;
            continue;
        }
        ++judged;
        const double soldPerHour = double(unitsSold) / runHours;
        const qint64 stock = p.value(QStringLiteral("final_stock")).toInteger();
        const double trueHours = double(stock) / soldPerHour;
        QVERIFY2(!s.value(QStringLiteral("sellout_at")).isNull(), qPrintable(QString::number(id)));
        const double predictedHours =
            double(msOf(s.value(QStringLiteral("sellout_at"))) - msOf(s.value(QStringLiteral("updated_at")))) /
            3600000.0;
        const double noise = relativeRateNoise(soldPerHour, runHours, kWindowHours);
        const double z = std::log(trueHours / predictedHours) / noise; // the rate's relative error, in its noise
        sumZ += z;
        sumZ2 += z * z;
        worstZ = std::max(worstZ, std::fabs(z));
        QVERIFY2(std::fabs(z) <= 4,
                 qPrintable(QStringLiteral("product %1: %2 left, sold %3/h in the run: sells out in %4 h; predicted %5 "
                                           "h (%6/h), %7 standard deviations (of %8 %) off")
                                .arg(id)
                                .arg(stock)
                                .arg(soldPerHour, 0, 'f', 0)
                                .arg(trueHours, 0, 'f', 3)
                                .arg(predictedHours, 0, 'f', 3)
                                .arg(s.value(QStringLiteral("rate_per_hour")).toDouble(), 0, 'f', 0)
                                .arg(z, 0, 'f', 1)
                                .arg(100 * noise, 0, 'f', 1)));
    }
    const double meanZ = sumZ / std::max(1, judged);
    qInfo("%d products sold out, %d predictions judged against the units sold (%d sold fewer than 50): "
          "standardised errors mean %+.2f, rms %.2f, worst %.1f (end %s)",
          soldOut, judged, tooFew, meanZ, std::sqrt(sumZ2 / std::max(1, judged)), worstZ, qPrintable(iso(end)));
    QCOMPARE_GE(judged, 30);
    QCOMPARE_GT(soldOut, 0);
    QVERIFY2(std::fabs(meanZ) <= 4 / std::sqrt(double(judged)),
             qPrintable(QStringLiteral("analyze's rates are off the units sold by %1 standard deviations on average "
                                       "over %2 products")
                            .arg(meanZ, 0, 'f', 2)
                            .arg(judged)));
}

void TstPipeline::shopifysThreeTopicsGiveEveryProductsTrueStock()
{
    // Shopify as a shop with three locations sends it: for each order an orders/create and an
    // inventory_levels/update per location it took stock from, and each product's changes gathered into one
    // products/update 10 s later. Through the gateway, with redeliveries, late and malformed deliveries.
    const QString scenario = m_dir.filePath(QStringLiteral("three-topics.json"));
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "three-topics", "shops": 3, "products_per_shop": 3, "stock": [150, 900],
                   "variants": [2, 3], "curve": [{"at_minutes": 0, "orders_per_hour": 12000}],
                   "duration_minutes": 20, "restock_chance": 0.2, "locations": 3, "coalesce_seconds": 10,
                   "topics": ["products/update", "inventory_levels/update", "orders/create"]})");
    file.close();
    QProcess gateway;
    const QString url = startGateway(gateway, QStringLiteral("shopify"));
    QVERIFY2(url.startsWith(QLatin1String("http://127.0.0.1:")), qPrintable(url));
    QProcess analyze;
    analyze.start(QStringLiteral(PEAKWATCH_CLI), {QStringLiteral("analyze"), QStringLiteral("-b"), m_bootstrap,
                                                  QStringLiteral("-t"), QStringLiteral("shopify")});
    QVERIFY(analyze.waitForStarted());
    const QString truthPath = m_dir.filePath(QStringLiteral("three-topics-truth.json"));
    const QJsonObject report = simulate(url, scenario, truthPath, paceAndFaults(1500, 0.03, 0.03, 0.01, 9));
    const qint64 events = report.value(QStringLiteral("events")).toInteger();
    const qint64 duplicates = report.value(QStringLiteral("duplicates")).toInteger();
    QVERIFY2(events > 5000 && duplicates > 0, QJsonDocument(report).toJson().constData());
    const QJsonObject status = report.value(QStringLiteral("http_status")).toObject();
    QCOMPARE(status.value(QStringLiteral("200")).toInteger(), events + duplicates);
    QCOMPARE(status.value(QStringLiteral("400")).toInteger(), report.value(QStringLiteral("malformed")).toInteger());
    const QByteArray gatewaySummary = stopGateway(gateway);
    QVERIFY2(gatewaySummary.contains(QByteArray("accepted " + QByteArray::number(events) + ',')),
             gatewaySummary.constData());

    const CliResult analyzed = finishAnalyze(analyze);
    QVERIFY2(analyzed.exitCode == 0, analyzed.err.constData());
    QVERIFY2(!analyzed.err.contains("data lost"), analyzed.err.constData());
    // Every message of the three topics has one outcome: applied, held until its item was named, or (delivered
    // late) recognised as older or already known; none is rejected.
    const QRegularExpression counts(
        QStringLiteral("accepted (\\d+), duplicates (\\d+), out of order (\\d+), rejected (\\d+); inventory levels "
                       "(\\d+), (\\d+) held "
                       "until a products/update named their item \\(0 still held\\), orders (\\d+)"));
    const auto m = counts.match(QString::fromUtf8(analyzed.err));
    QVERIFY2(m.hasMatch(), analyzed.err.constData());
    QCOMPARE(m.captured(1).toLongLong() + m.captured(2).toLongLong() + m.captured(3).toLongLong() +
                 m.captured(6).toLongLong(),
             events);
    QCOMPARE(m.captured(4).toLongLong(), 0);
    QVERIFY(m.captured(5).toLongLong() > 1000 && m.captured(7).toLongLong() > 1000);
    qInfo("%s", qPrintable(m.captured(0)));

    const QHash<qint64, QJsonObject> snapshots = latestSnapshots(analyzed);
    const QJsonObject truth = readJsonFile(truthPath);
    int withLocations = 0, judged = 0;
    const double runHours =
        double(msOf(truth.value(QStringLiteral("end"))) - msOf(truth.value(QStringLiteral("start")))) / 3600000.0;
    const QJsonArray products = truth.value(QStringLiteral("products")).toArray();
    QCOMPARE(products.size(), qsizetype(9));
    for (const QJsonValue &v : products) {
        const QJsonObject p = v.toObject();
        const qint64 id = p.value(QStringLiteral("product_id")).toInteger();
        QVERIFY2(snapshots.contains(id), qPrintable(QString::number(id)));
        const QJsonObject s = snapshots[id];
        // The stock summed over the locations is the truth; what the locations hold adds up to it.
        QCOMPARE(s.value(QStringLiteral("quantity")).toInteger(), p.value(QStringLiteral("final_stock")).toInteger());
        qint64 located = s.value(QStringLiteral("unlocated")).toInteger();
        for (const QJsonValue &l : s.value(QStringLiteral("locations")).toArray())
            located += l.toObject().value(QStringLiteral("available")).toInteger();
        if (s.contains(QStringLiteral("locations")))
            ++withLocations;
        QCOMPARE(located, s.value(QStringLiteral("quantity")).toInteger());
        // Each order counted once, not again when its stock update follows: the rate is the units the product
        // really sold an hour within 4 standard deviations of their difference (relativeRateNoise: 1.6 to 3.1 %
        // here), nowhere near the double that counting both gives. Judged where the run's average is the rate to
        // compare with: a product that sold out, or was restocked (which happens only once it has), lost its demand
        // while it had none to sell.
        const double rate = s.value(QStringLiteral("rate_per_hour")).toDouble();
        const qint64 unitsSold = p.value(QStringLiteral("units_sold")).toInteger();
        const bool steady = p.value(QStringLiteral("restocks")).toInteger() == 0 &&
                            p.value(QStringLiteral("sold_out_at")).isNull() && unitsSold >= 50;
        const double soldPerHour = double(unitsSold) / runHours;
        const double noise = relativeRateNoise(soldPerHour, runHours, 0.25);
        const double z = std::log(rate / soldPerHour) / noise;
        qInfo("product %lld: %lld left, %lld orders seen, %.0f/h estimated, %.0f/h sold in the run%s", id,
              s.value(QStringLiteral("quantity")).toInteger(), s.value(QStringLiteral("observations")).toInteger(),
              rate, soldPerHour,
              steady ? qPrintable(QStringLiteral(": %1 standard deviations (of %2 %)")
                                      .arg(z, 0, 'f', 1)
                                      .arg(100 * noise, 0, 'f', 1))
                     : ", sold out or restocked: not judged");
        if (!steady)
            continue;
        ++judged;
        QVERIFY2(std::fabs(z) <= 4, qPrintable(QStringLiteral("product %1: %2/h estimated, %3/h sold")
                                                   .arg(id)
                                                   .arg(rate, 0, 'f', 0)
                                                   .arg(soldPerHour, 0, 'f', 0)));
    }
    QCOMPARE(withLocations, 9);
    QCOMPARE_GE(judged, 6);
}

QTEST_GUILESS_MAIN(TstPipeline)
#include "tst_pipeline.moc"
