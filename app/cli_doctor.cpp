// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli doctor: step-by-step diagnosis of reaching a Kafka cluster.
#include "cli_support.h"

#include "connection_doctor.h"

#include <QStringBuilder>

#include <cstdio>

namespace peakwatch::cli {
namespace {

QByteArray mark(DoctorStep::Outcome outcome)
{
    switch (outcome) {
    case DoctorStep::Outcome::Passed: return "\u2713"; // ✓
    case DoctorStep::Outcome::Failed: return "\u2717"; // ✗
    case DoctorStep::Outcome::Skipped: return "-";
    }
    return "?";
}

void print(const DoctorStep &step)
{
    QString line = step.subject % QStringLiteral(": ") % step.finding;
    if (!step.advice.isEmpty())
        line += QStringLiteral(" \u2014 ") % step.advice;
    std::printf("%s %-6s %s\n", mark(step.outcome).constData(), qPrintable(DoctorStep::kindName(step.kind)),
                line.toUtf8().constData());
    std::fflush(stdout); // each step as it finishes: some take seconds
}

} // namespace

int runDoctor(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption &bootstrap = bootstrapOption();
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("Also check that this topic exists."), QStringLiteral("TOPIC"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds for each lookup, connection and TLS handshake (default "
                                                    "5); the Kafka client gets twice as long."),
                                     QStringLiteral("SECONDS"), QStringLiteral("5"));
    parser.addOptions({bootstrap, topic, timeout, profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("doctor (-b HOST:PORT,... | --profile NAME) [-t TOPIC] [--timeout SECONDS] [-X key=value]..."),
        QStringLiteral(
            "Diagnose reaching a Kafka cluster, step by step: DNS of each bootstrap host, a TCP connection to each, "
            "the TLS handshake (with security.protocol SSL or SASL_SSL; the CA bundle of ssl.ca.location), "
            "authentication and metadata through librdkafka, and whether each broker the cluster advertises can be "
            "reached from here. Prints each step as it finishes, with what to do about a failure. Exit status 0 "
            "when every step passed, 1 when one failed."));
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic}, target, exitCode))
        return exitCode;
    qint64 seconds = 5;
    if (!integerOption(parser, timeout, 1, 300, seconds, exitCode))
        return exitCode;
    DoctorOptions options;
    options.bootstrapServers = target.bootstrapServers;
    options.properties = target.properties;
    options.topic = target.topic;
    options.connectTimeoutMs = int(seconds * 1000);
    options.metadataTimeoutMs = int(seconds * 2000);
    const QString servers = options.bootstrapServers.isEmpty()
                                ? QString::fromUtf8(ConnectionDoctor::property(options.properties, "bootstrap.servers"))
                                : options.bootstrapServers;
    if (servers.isEmpty())
        return fail(kExitUsageError,
                    QStringLiteral("doctor needs --bootstrap HOST:PORT or --profile NAME (see --help)"));
    if (auto parsedServers = KafkaAddress::parseList(servers); !parsedServers)
        return fail(kExitUsageError, QStringLiteral("--bootstrap: ") % parsedServers.error());
    ConnectionDoctor doctor(options);
    const QList<DoctorStep> steps = doctor.run(print);
    qsizetype failed = 0;
    for (const DoctorStep &step : steps)
        failed += step.outcome == DoctorStep::Outcome::Failed;
    if (failed == 0)
        std::printf("Every check passed.\n");
    else
        std::printf("%lld of %lld checks failed.\n", qint64(failed), qint64(steps.size()));
    std::fflush(stdout);
    return ConnectionDoctor::passed(steps) ? kExitOk : kExitRuntimeError;
}

} // namespace peakwatch::cli
