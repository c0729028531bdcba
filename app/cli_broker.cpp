// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli broker: the embedded Kafka cluster, until SIGINT or SIGTERM.
#include "cli_support.h"

#include "embedded_cluster.h"

#include <QCoreApplication>
#include <QStringBuilder>

#include <cstdio>

namespace peakwatch::cli {

int runBroker(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption brokers(QStringLiteral("brokers"), QStringLiteral("Number of brokers (default 3)."),
                                     QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption topic(QStringLiteral("topic"),
                                   QStringLiteral("Create a topic, with 1 partition unless given (repeatable)."),
                                   QStringLiteral("NAME[:PARTITIONS]"));
    parser.addOptions({brokers, topic});
    const int parsed = parseCommandLine(
        parser, arguments, QStringLiteral("broker [--brokers N] [--topic NAME[:PARTITIONS]]..."),
        QStringLiteral("Start the embedded Kafka cluster: real brokers on loopback that any Kafka client "
                       "(kcat too) can use. Prints its bootstrap servers as the first line of standard output, "
                       "then runs until SIGINT or SIGTERM."));
    if (parsed >= 0)
        return parsed;
    KafkaProperties ignored;
    int exitCode = 0;
    if (!kafkaProperties(parser, ignored, exitCode))
        return exitCode;

    qint64 brokerCount = 3;
    if (!integerOption(parser, brokers, 1, 32, brokerCount, exitCode))
        return exitCode;
    QList<EmbeddedCluster::Topic> topics;
    for (const QString &text : parser.values(topic)) {
        auto parsedTopic = EmbeddedCluster::parseTopic(text);
        if (!parsedTopic)
            return fail(kExitUsageError, parsedTopic.error());
        topics.append(*parsedTopic);
    }

    auto cluster = EmbeddedCluster::start(int(brokerCount), topics);
    if (!cluster)
        return fail(kExitRuntimeError, cluster.error());
    std::printf("%s\n", (*cluster)->bootstrapServers().toUtf8().constData());
    std::fflush(stdout);
    QStringList names;
    for (const auto &t : topics)
        names << QStringLiteral("%1 (%2 %3)")
                     .arg(t.name)
                     .arg(t.partitions)
                     .arg(t.partitions == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"));
    std::fprintf(stderr, "embedded Kafka cluster: %d brokers%s; Ctrl+C to stop\n", int(brokerCount),
                 names.isEmpty() ? "" : qPrintable(QStringLiteral(", topics ") % names.join(QStringLiteral(", "))));

    SignalWatcher watcher([](int) { QCoreApplication::quit(); });
    QCoreApplication::exec();
    return kExitOk;
}

} // namespace peakwatch::cli
