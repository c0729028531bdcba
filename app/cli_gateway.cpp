// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli gateway: Shopify webhooks over HTTP, verified and produced to Kafka; the producer Lambda
// of the original design, on one machine.
#include "cli_support.h"

#include "embedded_cluster.h"
#include "webhook_gateway.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QStringBuilder>

#include <cstdio>

namespace peakwatch::cli {
namespace {

struct ListenAddress {
    QHostAddress address;
    quint16 port = 0;
};

// HOST:PORT, where HOST is an IP address ([...] for IPv6) or localhost; port 0 picks a free one.
Result<ListenAddress> parseListen(const QString &text)
{
    const auto invalid = [&text](const QString &why) {
        return Error{QStringLiteral("--listen ") % text % QStringLiteral(": ") % why};
    };
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return invalid(QStringLiteral("expected HOST:PORT, such as 127.0.0.1:8080"));
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return invalid(QStringLiteral("expected a port from 0 to 65535"));
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    ListenAddress listen;
    listen.port = quint16(port);
    if (host == QLatin1String("localhost"))
        listen.address = QHostAddress(QHostAddress::LocalHost);
    else if (!listen.address.setAddress(host))
        return invalid(QStringLiteral("expected an IP address or localhost as the host"));
    return listen;
}

QString urlOf(const QHostAddress &address, quint16 port)
{
    const QString host =
        address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' % address.toString() % u']' : address.toString();
    return QStringLiteral("http://") % host % u':' % QString::number(port);
}

} // namespace

int runGateway(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption listenOption(QStringLiteral("listen"),
                                          QStringLiteral("Address and port to take webhooks on (port 0: a free one)."),
                                          QStringLiteral("HOST:PORT"));
    const QCommandLineOption bootstrap({QStringLiteral("b"), QStringLiteral("bootstrap")},
                                       QStringLiteral("Kafka bootstrap servers."), QStringLiteral("HOST:PORT,..."));
    const QCommandLineOption embedded(QStringLiteral("embedded"),
                                      QStringLiteral("Start the embedded Kafka cluster with the topic, and produce to "
                                                     "it; its bootstrap servers are printed on standard error."));
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("The topic to produce webhooks to."), QStringLiteral("TOPIC"));
    const QCommandLineOption secretEnv(QStringLiteral("secret-env"),
                                       QStringLiteral("The environment variable holding the app's webhook secret "
                                                      "(the key of X-Shopify-Hmac-Sha256)."),
                                       QStringLiteral("VAR"));
    const QCommandLineOption maxBody(QStringLiteral("max-body"),
                                     QStringLiteral("Answer 413 to bodies over this many bytes (default 1048576)."),
                                     QStringLiteral("BYTES"), QStringLiteral("1048576"));
    const QCommandLineOption dedupeWindow(
        QStringLiteral("dedupe-window"),
        QStringLiteral("Answer a redelivered webhook id 200 without producing it again for this long after Kafka "
                       "acknowledged it (default 600)."),
        QStringLiteral("SECONDS"), QStringLiteral("600"));
    const QCommandLineOption maxConnections(
        QStringLiteral("max-connections"),
        QStringLiteral("Serve at most this many connections at once; beyond, 503 and close (default 1024)."),
        QStringLiteral("N"), QStringLiteral("1024"));
    const QCommandLineOption idleTimeout(
        QStringLiteral("idle-timeout"),
        QStringLiteral("Close a connection with no request on it after this long (default 15)."),
        QStringLiteral("SECONDS"), QStringLiteral("15"));
    const QCommandLineOption requestTimeout(
        QStringLiteral("request-timeout"),
        QStringLiteral("Answer 408 and close when a request has not arrived whole this long after its first byte "
                       "(default 20)."),
        QStringLiteral("SECONDS"), QStringLiteral("20"));
    const QCommandLineOption partitions(QStringLiteral("partitions"),
                                        QStringLiteral("Partitions of the topic with --embedded (default 6)."),
                                        QStringLiteral("N"), QStringLiteral("6"));
    parser.addOptions({listenOption, bootstrap, embedded, topic, secretEnv, maxBody, dedupeWindow, maxConnections,
                       idleTimeout, requestTimeout, partitions, profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("gateway --listen HOST:PORT (--bootstrap B --topic T | --profile NAME | --embedded --topic T) "
                       "--secret-env VAR "
                       "[--max-body BYTES] [--dedupe-window SECONDS] [--max-connections N] [--idle-timeout SECONDS] "
                       "[--request-timeout SECONDS] [--partitions N] [-X key=value]..."),
        QStringLiteral("Take Shopify webhooks over HTTP (POST / or /webhooks), check X-Shopify-Hmac-Sha256, and "
                       "produce each body to Kafka keyed by X-Shopify-Shop-Domain, with the Shopify headers as Kafka "
                       "headers. Answers 200 once Kafka has acknowledged the webhook (or already had it: redeliveries "
                       "of a webhook id are produced once), 401 for a missing or wrong signature, 413 over the size "
                       "limit (refused from its declared length, before it is read), 400 for a body that is not a JSON "
                       "object or a malformed request, and 503 when Kafka does not acknowledge in time "
                       "(message.timeout.ms, 4000 unless -X sets it), so that Shopify retries. Idle and slow "
                       "connections are closed (--idle-timeout, --request-timeout). GET /healthz and "
                       "GET /metrics report health and counters. Prints http://HOST:PORT as the first line of "
                       "standard output, then runs until SIGINT or SIGTERM."));
    if (parsed >= 0)
        return parsed;
    WebhookGateway::Options options;
    int exitCode = 0;
    const bool withProfile = parser.isSet(profileOption());
    if (withProfile && parser.isSet(embedded))
        return fail(kExitUsageError, QStringLiteral("--profile and --embedded cannot be combined"));
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic}, target, exitCode))
        return exitCode;
    options.properties = target.properties;

    if (!parser.isSet(listenOption))
        return fail(kExitUsageError, QStringLiteral("gateway needs --listen (see --help)"));
    if (target.topic.isEmpty())
        return fail(kExitUsageError, QStringLiteral("gateway needs --topic (see --help)"));
    if (!parser.isSet(secretEnv))
        return fail(kExitUsageError, QStringLiteral("gateway needs --secret-env (see --help)"));
    if ((parser.isSet(bootstrap) || withProfile) == parser.isSet(embedded))
        return fail(kExitUsageError,
                    parser.isSet(embedded)
                        ? QStringLiteral("--bootstrap and --embedded cannot be combined")
                        : QStringLiteral("gateway needs --bootstrap B or --embedded (or --profile NAME)"));
    if (withProfile && target.bootstrapServers.isEmpty())
        return fail(
            kExitUsageError,
            QStringLiteral("profile \"%1\" has no bootstrap servers: give --bootstrap").arg(target.profile->name));
    if (parser.isSet(partitions) && !parser.isSet(embedded))
        return fail(kExitUsageError, QStringLiteral("--partitions applies to --embedded only"));
    auto listen = parseListen(parser.value(listenOption));
    if (!listen)
        return fail(kExitUsageError, listen.error());
    qint64 maxBodyBytes = 0, windowSeconds = 0, partitionCount = 0, connectionLimit = 0, idleSeconds = 0,
           requestSeconds = 0;
    if (!integerOption(parser, maxBody, 1, 100 << 20, maxBodyBytes, exitCode) ||
        !integerOption(parser, maxConnections, 1, 100000, connectionLimit, exitCode) ||
        !integerOption(parser, idleTimeout, 1, 3600, idleSeconds, exitCode) ||
        !integerOption(parser, requestTimeout, 1, 3600, requestSeconds, exitCode) ||
        !integerOption(parser, dedupeWindow, 0, 7 * 24 * 3600, windowSeconds, exitCode) ||
        !integerOption(parser, partitions, 1, 10000, partitionCount, exitCode) ||
        !secretFromEnvironment(parser, secretEnv, options.secret, exitCode))
        return exitCode;

    std::unique_ptr<EmbeddedCluster> cluster;
    options.topic = target.topic;
    if (parser.isSet(embedded)) {
        auto started = EmbeddedCluster::start(3, {{options.topic, int(partitionCount)}});
        if (!started)
            return fail(kExitRuntimeError, started.error());
        cluster = std::move(*started);
        options.bootstrapServers = cluster->bootstrapServers();
        std::fprintf(stderr, "gateway: embedded Kafka cluster at %s, topic %s (%d partitions)\n",
                     qPrintable(options.bootstrapServers), qPrintable(options.topic), int(partitionCount));
    } else {
        options.bootstrapServers = target.bootstrapServers;
    }
    options.maxBodyBytes = maxBodyBytes;
    options.dedupeWindow = std::chrono::seconds(windowSeconds);
    options.maxConnections = int(connectionLimit);
    options.idleTimeout = std::chrono::seconds(idleSeconds);
    options.requestTimeout = std::chrono::seconds(requestSeconds);

    // Kept for the messages below: the gateway takes the options.
    const QString producingTo = options.topic % QStringLiteral(" at ") % options.bootstrapServers;
    auto created = WebhookGateway::create(std::move(options));
    if (!created)
        return fail(kExitRuntimeError, created.error());
    WebhookGateway &gateway = **created;
    auto port = gateway.listen(listen->address, listen->port);
    if (!port)
        return fail(kExitRuntimeError, port.error());
    const QString url = urlOf(listen->address, *port);
    std::printf("%s\n", qPrintable(url));
    std::fflush(stdout);
    std::fprintf(stderr,
                 "gateway: POST webhooks to %s/webhooks (or /); GET /healthz, GET /metrics; "
                 "producing to %s; Ctrl+C to stop\n",
                 qPrintable(url), qPrintable(producingTo));

    // The first signal drains: no new connections, in-flight webhooks answered once Kafka acknowledges
    // them (or 503 after the delivery timeout). A second signal stops at once.
    QObject::connect(&gateway, &WebhookGateway::drained, &gateway, [] { QCoreApplication::quit(); });
    bool stopping = false;
    SignalWatcher watcher([&gateway, &stopping](int) {
        if (stopping) {
            QCoreApplication::quit();
            return;
        }
        stopping = true;
        gateway.shutdown(gateway.deliveryTimeout() + std::chrono::seconds(1));
    });
    QCoreApplication::exec();
    const QString summary = gateway.counters().summary();
    created->reset();
    std::fprintf(stderr, "gateway: stopped; %s\n", qPrintable(summary));
    return kExitOk;
}

} // namespace peakwatch::cli
