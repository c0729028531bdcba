// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli: the embedded cluster, the analysis and the demo from the command line.
#include "cli_msk_token.h"
#include "cli_support.h"
#include "redaction.h"

#include <QCoreApplication>
#include <QStringBuilder>

#include <cstdio>

namespace {

constexpr char kUsage[] = R"(Usage: peakwatch-cli COMMAND [OPTIONS]

Live stock, sell-out prediction and Kafka tooling for peak sales.

Commands:
  broker     start the embedded Kafka cluster and print its bootstrap servers
  analyze    replay NDJSON or consume a topic; print alerts and one snapshot per product
  simulate   produce Black-Friday-scale synthetic webhooks to Kafka or to an HTTP endpoint
  gateway    take Shopify webhooks over HTTP, verify them and produce them to Kafka
  demo       the whole pipeline on the embedded cluster, with live figures
  doctor     diagnose reaching a Kafka cluster step by step: DNS, TCP, TLS, sign-in, advertised brokers
  msk-token  print the SASL/OAUTHBEARER token for an Amazon MSK cluster's IAM listener
  profile    list, show, import (client.properties, -X), export and remove saved connections
  topics     topics with partitions, first and last offsets, message counts, first and last timestamps
  consume    a topic's messages from an offset or a time, through jq filters, as kcat -J, JSON, CSV or values
  produce    write a message (or one a line) with a key, headers and a partition
  lag        a consumer group's committed offsets, end offsets and lag; without a group, the groups
  filter     list, show, save and remove saved filters (shared with the desktop)

Every command takes --help, and -X key=value to pass any librdkafka property.
analyze, simulate, gateway, doctor, msk-token, topics, consume, produce and lag take --profile NAME, a saved connection (see profile list).
Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.
)";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    peakwatch::installRedactingMessageHandler(); // no secret reaches a log line
    QCoreApplication::setApplicationName(QStringLiteral("peakwatch-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Peakwatch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PEAKWATCH_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty())
        return peakwatch::cli::fail(
            peakwatch::cli::kExitUsageError,
            QStringLiteral("missing command (broker, analyze, simulate, gateway, demo, doctor, "
                           "msk-token, profile, topics, consume, produce, lag, filter); see --help"));
    const QString command = args.first();
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        std::fputs(kUsage, stdout);
        return peakwatch::cli::kExitOk;
    }
    if (command == QLatin1String("--version")) {
        std::printf("peakwatch-cli %s\n", PEAKWATCH_VERSION);
        return peakwatch::cli::kExitOk;
    }
    if (command == QLatin1String("broker"))
        return peakwatch::cli::runBroker(args);
    if (command == QLatin1String("analyze"))
        return peakwatch::cli::runAnalyze(args);
    if (command == QLatin1String("demo"))
        return peakwatch::cli::runDemo(args);
    if (command == QLatin1String("doctor"))
        return peakwatch::cli::runDoctor(args);
    if (command == QLatin1String("gateway"))
        return peakwatch::cli::runGateway(args);
    if (command == QLatin1String("simulate"))
        return peakwatch::cli::runSimulate(args);
    if (command == QLatin1String("msk-token"))
        return peakwatch::cli::runMskToken(args);
    if (command == QLatin1String("profile"))
        return peakwatch::cli::runProfile(args);
    if (command == QLatin1String("topics"))
        return peakwatch::cli::runTopics(args);
    if (command == QLatin1String("consume"))
        return peakwatch::cli::runConsume(args);
    if (command == QLatin1String("produce"))
        return peakwatch::cli::runProduce(args);
    if (command == QLatin1String("lag"))
        return peakwatch::cli::runLag(args);
    if (command == QLatin1String("filter"))
        return peakwatch::cli::runFilter(args);
    return peakwatch::cli::fail(
        peakwatch::cli::kExitUsageError,
        QStringLiteral("unknown command \"") % command %
            QStringLiteral("\" (commands: broker, analyze, simulate, gateway, demo, doctor, "
                           "msk-token, profile, topics, consume, produce, lag, filter); see --help"));
}
