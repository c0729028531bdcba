// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli simulate: Black-Friday-scale synthetic webhooks, to Kafka or to an HTTP endpoint.
#include "cli_support.h"
#include "connection_failure.h"

#include "http_sink.h"
#include "iso_time.h"
#include "kafka_sink.h"
#include "load_run.h"
#include "run_report.h"
#include "run_stats.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStringBuilder>
#include <QTimer>
#include <QUrl>

#include <cstdio>
#include <limits>

namespace peakwatch::cli {

int runSimulate(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption bootstrap({QStringLiteral("b"), QStringLiteral("bootstrap")},
                                       QStringLiteral("Produce to Kafka at these bootstrap servers."),
                                       QStringLiteral("HOST:PORT,..."));
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("The Kafka topic; or several, comma-separated, each Shopify topic "
                                                  "going to the one whose name contains product, inventory or level, "
                                                  "order (else the first)."),
                                   QStringLiteral("TOPIC"));
    const QCommandLineOption url(QStringLiteral("webhook-url"),
                                 QStringLiteral("POST the webhooks to this URL, signed as Shopify signs them."),
                                 QStringLiteral("URL"));
    const QCommandLineOption secretEnv(QStringLiteral("secret-env"),
                                       QStringLiteral("The environment variable that holds the signing secret."),
                                       QStringLiteral("VAR"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("A built-in scenario (%1) or a scenario file (default black-friday).")
            .arg(sim::Scenario::builtinNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME|FILE"), QStringLiteral("black-friday"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("Webhooks a second, or max (default: the scenario's own pace, its "
                                                 "time compressed)."),
                                  QStringLiteral("N|max"));
    const QCommandLineOption compression(QStringLiteral("time-compression"),
                                         QStringLiteral("Simulated seconds per real second (default: the "
                                                        "scenario's, 60: an hour of sales a minute)."),
                                         QStringLiteral("X"));
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Stop after this many seconds."),
                                      QStringLiteral("SECONDS"));
    const QCommandLineOption events(QStringLiteral("events"), QStringLiteral("Stop after this many webhooks."),
                                    QStringLiteral("N"));
    const QCommandLineOption shops(QStringLiteral("shops"), QStringLiteral("Number of shops."), QStringLiteral("N"));
    const QCommandLineOption products(QStringLiteral("products"), QStringLiteral("Products per shop."),
                                      QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed: the same seed, the same run (default 1)."), QStringLiteral("N"),
                                  QStringLiteral("1"));
    const QCommandLineOption duplicates(QStringLiteral("duplicates"),
                                        QStringLiteral("Fraction of webhooks delivered twice (same webhook id)."),
                                        QStringLiteral("F"));
    const QCommandLineOption outOfOrder(QStringLiteral("out-of-order"),
                                        QStringLiteral("Fraction of webhooks delivered late, behind later ones."),
                                        QStringLiteral("F"));
    const QCommandLineOption malformed(QStringLiteral("malformed"),
                                       QStringLiteral("Fraction of webhooks followed by a malformed body."),
                                       QStringLiteral("F"));
    const QCommandLineOption truth(QStringLiteral("truth"),
                                   QStringLiteral("Write the ground truth per product (JSON) to this file."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption connections(QStringLiteral("connections"),
                                         QStringLiteral("HTTP requests in flight at once (default 64)."),
                                         QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No statistics each second."));
    const QCommandLineOption topics(
        QStringLiteral("topics"),
        QStringLiteral("The Shopify topics to send, comma-separated: products/update (always), "
                       "inventory_levels/update (one per location an order takes stock from), orders/create "
                       "(default: the scenario's, products/update alone)."),
        QStringLiteral("LIST"));
    const QCommandLineOption locations(QStringLiteral("locations"),
                                       QStringLiteral("Locations per shop, 1 to 8 (default: the scenario's, 1)."),
                                       QStringLiteral("N"));
    const QCommandLineOption coalesce(QStringLiteral("coalesce"),
                                      QStringLiteral("Gather a product's changes into one products/update sent this "
                                                     "many simulated seconds after the first, as Shopify does "
                                                     "(default: the scenario's, 0: one per change)."),
                                      QStringLiteral("SECONDS"));
    const QCommandLineOption giveUpAfter(
        QStringLiteral("give-up-after"),
        QStringLiteral("Give up (exit status 1) when no webhook has been delivered for this long while some wait "
                       "(default 60)."),
        QStringLiteral("SECONDS"), QStringLiteral("60"));
    parser.addOptions({bootstrap,   topic, url,         secretEnv, scenario,   rate,       compression,    duration,
                       events,      shops, products,    seed,      duplicates, outOfOrder, malformed,      truth,
                       connections, quiet, giveUpAfter, topics,    locations,  coalesce,   profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("simulate (--bootstrap B --topic T | --profile NAME | --webhook-url URL --secret-env VAR) "
                       "[--scenario NAME|FILE] "
                       "[--rate N|max] [--duration SECONDS | --events N] [--shops N] [--products N] [--seed N] "
                       "[--topics LIST] [--locations N] [--coalesce SECONDS] "
                       "[--duplicates F] [--out-of-order F] [--malformed F] [--truth FILE] [--give-up-after SECONDS]"),
        QStringLiteral("Generate Shopify webhooks (products/update, and with --topics orders/create and "
                       "inventory_levels/update) from synthetic shops following a scenario, and "
                       "send them to Kafka or to an HTTP endpoint (signed as Shopify signs them). Prints statistics "
                       "each second on standard error and a JSON report at the end on standard output."));
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    const bool toKafka = parser.isSet(bootstrap) || parser.isSet(topic) || parser.isSet(profileOption());
    const bool toHttp = parser.isSet(url) || parser.isSet(secretEnv);
    if (toKafka == toHttp)
        return fail(kExitUsageError,
                    toKafka
                        ? QStringLiteral("give either --bootstrap/--topic (or --profile) or --webhook-url, not both")
                        : QStringLiteral("simulate needs --bootstrap and --topic, or --profile NAME, or "
                                         "--webhook-url and --secret-env"));
    KafkaTarget kafka;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic}, kafka, exitCode))
        return exitCode;
    if (toKafka && (kafka.bootstrapServers.isEmpty() || kafka.topic.isEmpty())) {
        const QString missing =
            kafka.bootstrapServers.isEmpty() ? QStringLiteral("bootstrap") : QStringLiteral("topic");
        if (kafka.profile)
            return fail(kExitUsageError,
                        QStringLiteral("profile \"%1\" has no %2: give --%2").arg(kafka.profile->name, missing));
        return fail(kExitUsageError, parser.isSet(bootstrap) ? QStringLiteral("--bootstrap needs --topic")
                                                             : QStringLiteral("--topic needs --bootstrap"));
    }
    QByteArray secret;
    QUrl target;
    if (toHttp) {
        if (!parser.isSet(url) || !parser.isSet(secretEnv))
            return fail(kExitUsageError, parser.isSet(url) ? QStringLiteral("--webhook-url needs --secret-env")
                                                           : QStringLiteral("--secret-env needs --webhook-url"));
        target = QUrl(parser.value(url), QUrl::StrictMode);
        if (!target.isValid() ||
            (target.scheme() != QLatin1String("http") && target.scheme() != QLatin1String("https")))
            return fail(kExitUsageError, QStringLiteral("--webhook-url ") % parser.value(url) %
                                             QStringLiteral(": expected an http(s) URL"));
        if (!secretFromEnvironment(parser, secretEnv, secret, exitCode))
            return exitCode;
    }
    if (parser.isSet(duration) && parser.isSet(events))
        return fail(kExitUsageError, QStringLiteral("give --duration or --events, not both"));

    sim::LoadRun::Options options;
    auto loaded = sim::Scenario::load(parser.value(scenario));
    if (!loaded)
        return fail(QFile::exists(parser.value(scenario)) ? kExitRuntimeError : kExitUsageError,
                    QStringLiteral("--scenario: ") % loaded.error());
    options.scenario = *loaded;
    qint64 shopCount = options.scenario.shops, productCount = options.scenario.productsPerShop, seconds = 0;
    if (!integerOption(parser, shops, 1, 100000, shopCount, exitCode) ||
        !integerOption(parser, products, 1, 10000000, productCount, exitCode) ||
        !integerOption(parser, events, 1, std::numeric_limits<qint64>::max(), options.maxEvents, exitCode) ||
        !integerOption(parser, duration, 1, 365LL * 86400, seconds, exitCode))
        return exitCode;
    if (parser.isSet(topics))
        if (const QString error = options.scenario.setTopics(parser.value(topics).split(u',', Qt::SkipEmptyParts));
            !error.isEmpty())
            return fail(kExitUsageError, QStringLiteral("--") % error);
    qint64 locationCount = options.scenario.locations;
    double coalesceSeconds = double(options.scenario.coalesceMs) / 1000;
    if (!integerOption(parser, locations, 1, sim::kMaxLocations, locationCount, exitCode) ||
        !numberOption(parser, coalesce, 0, 3600, coalesceSeconds, exitCode))
        return exitCode;
    options.scenario.locations = int(locationCount);
    options.scenario.coalesceMs = qint64(coalesceSeconds * 1000);
    options.scenario.shops = int(shopCount);
    options.scenario.productsPerShop = int(productCount);
    options.maxDurationMs = seconds * 1000;
    qint64 seedValue = 1;
    if (!integerOption(parser, seed, 0, std::numeric_limits<qint64>::max(), seedValue, exitCode))
        return exitCode;
    options.seed = quint64(seedValue);
    if (parser.isSet(rate)) {
        if (parser.value(rate) == QLatin1String("max")) {
            options.pace = sim::LoadRun::Pace::Max;
        } else {
            bool ok = false;
            options.pace = sim::LoadRun::Pace::Rate;
            options.eventsPerSecond = parser.value(rate).toDouble(&ok);
            if (!ok || options.eventsPerSecond <= 0)
                return fail(kExitUsageError, QStringLiteral("--rate ") % parser.value(rate) %
                                                 QStringLiteral(": expected a number or max"));
        }
    }
    qint64 httpConnections = 64, giveUpSeconds = 60;
    if (!integerOption(parser, giveUpAfter, 1, 24 * 3600, giveUpSeconds, exitCode))
        return exitCode;
    if (!numberOption(parser, compression, 0.001, 1e6, options.scenario.timeCompression, exitCode) ||
        !numberOption(parser, duplicates, 0, 1, options.faults.duplicates, exitCode) ||
        !numberOption(parser, outOfOrder, 0, 1, options.faults.outOfOrder, exitCode) ||
        !numberOption(parser, malformed, 0, 1, options.faults.malformed, exitCode) ||
        !integerOption(parser, connections, 1, 10000, httpConnections, exitCode))
        return exitCode;
    if (parser.isSet(truth)) {
        QFile probe(parser.value(truth));
        if (!probe.open(QIODevice::WriteOnly))
            return fail(kExitRuntimeError,
                        QStringLiteral("--truth ") % parser.value(truth) % QStringLiteral(": ") % probe.errorString());
    }

    sim::RunStats stats;
    std::unique_ptr<sim::WebhookSink> sink;
    sim::HttpSink *httpSink = nullptr;
    if (toKafka) {
        auto created = sim::KafkaSink::create(kafka.bootstrapServers, kafka.topic, stats, kafka.properties);
        if (!created)
            return fail(kExitRuntimeError, created.error());
        sink = std::move(*created);
    } else {
        auto http = std::make_unique<sim::HttpSink>(
            sim::HttpSink::Options{.url = target, .secret = secret, .connections = int(httpConnections)}, stats);
        httpSink = http.get();
        sink = std::move(http);
    }

    sim::LoadRun run(options, *sink, stats);
    QObject::connect(&run, &sim::LoadRun::finished, qApp, &QCoreApplication::quit);
    QTimer ticker;
    // Deliveries that stop going through are said as they happen, and given up on after --give-up-after.
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    qint64 settledBefore = 0;
    QString trouble, gaveUp;
    QObject::connect(&ticker, &QTimer::timeout, &run, [&] {
        if (!gaveUp.isEmpty())
            return; // ending
        const auto s = stats.tick();
        if (stats.settled() != settledBefore || sink->inFlight() == 0) {
            settledBefore = stats.settled();
            sinceProgress.restart();
        }
        const QString raw = sink->trouble();
        const QString now = raw.isEmpty() ? QString() : classifyConnectionFailure(raw).text();
        if (!now.isEmpty() && now != trouble)
            std::fprintf(stderr, "simulate: cannot deliver: %s; giving up after %llds without a delivery\n",
                         qPrintable(now), static_cast<long long>(giveUpSeconds));
        trouble = now;
        const qint64 stalledSeconds = sinceProgress.elapsed() / 1000;
        if (stalledSeconds >= giveUpSeconds) {
            gaveUp = QStringLiteral("no webhook delivered for %1 s (--give-up-after %2)")
                         .arg(stalledSeconds)
                         .arg(giveUpSeconds);
            if (!trouble.isEmpty())
                gaveUp += QStringLiteral(": ") % trouble;
            if (toKafka)
                gaveUp += QStringLiteral("; run peakwatch-cli doctor -b ") % kafka.bootstrapServers %
                          QStringLiteral(" to find out why");
            sink->abandon();
            QCoreApplication::quit();
            return;
        }
        if (parser.isSet(quiet))
            return;
        std::fprintf(stderr,
                     "[%5.0fs] sent %lld (%.0f/s)  acked %lld (%.0f/s)  errors %lld  rejected %lld  retries %lld  "
                     "latency p50 %.1f ms p99 %.1f ms  simulated %s\n",
                     s.seconds, static_cast<long long>(s.sent), s.sentPerSecond, static_cast<long long>(s.acknowledged),
                     s.ackedPerSecond, static_cast<long long>(s.errors), static_cast<long long>(s.rejected),
                     static_cast<long long>(s.retries), s.p50Ms, s.p99Ms,
                     formatIsoTime(run.simulator().nowMs()).constData());
    });
    ticker.start(1000);
    std::fprintf(stderr, "simulate: scenario %s, %d shops x %d products, to %s\n", qPrintable(options.scenario.name),
                 options.scenario.shops, options.scenario.productsPerShop, sink->describe().constData());
    SignalWatcher watcher([&run](int) { run.stop(); });
    run.start();
    QCoreApplication::exec();
    ticker.stop();

    writeLine(stats.reportJson(sim::runReportFields(options.scenario.name, run, httpSink)));
    flushOutput();
    if (!gaveUp.isEmpty())
        return fail(kExitRuntimeError, QStringLiteral("gave up: ") % gaveUp);
    if (parser.isSet(truth)) {
        QFile file(parser.value(truth));
        if (!file.open(QIODevice::WriteOnly) || file.write(run.truth().toJson()) < 0)
            return fail(kExitRuntimeError,
                        QStringLiteral("--truth ") % parser.value(truth) % QStringLiteral(": ") % file.errorString());
    }
    if (!run.drained())
        return fail(kExitRuntimeError,
                    QStringLiteral("%1 webhooks were still unacknowledged at the end").arg(sink->inFlight()));
    if (stats.errorCount() > 0)
        return fail(kExitRuntimeError, QStringLiteral("%1 webhooks could not be delivered").arg(stats.errorCount()));
    return kExitOk;
}

} // namespace peakwatch::cli
