// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli produce: one message (or one a line) to a topic, with a key, headers and a partition.
#include "cli_support.h"

#include "kafka_producer.h"
#include "reading_client.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringBuilder>

#include <cstdio>
#include <mutex>
#include <vector>

namespace peakwatch::cli {
namespace {

constexpr int kFlushTimeoutMs = 30000;

// A message's value that is to be JSON: nothing, or where and why it is not.
QString jsonProblem(const QByteArray &value)
{
    QJsonParseError error;
    QJsonDocument::fromJson(value, &error);
    if (error.error == QJsonParseError::NoError)
        return {};
    return QStringLiteral("%1 at byte %2").arg(error.errorString()).arg(error.offset);
}

} // namespace

int runProduce(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption &bootstrap = bootstrapOption();
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("The topic to write to (default: the profile's)."),
                                   QStringLiteral("TOPIC"));
    const QCommandLineOption key({QStringLiteral("k"), QStringLiteral("key")},
                                 QStringLiteral("The key (default: none, a null key)."), QStringLiteral("KEY"));
    const QCommandLineOption partition({QStringLiteral("p"), QStringLiteral("partition")},
                                       QStringLiteral("The partition (default: the one the key hashes to)."),
                                       QStringLiteral("PARTITION"));
    const QCommandLineOption header({QStringLiteral("H"), QStringLiteral("header")},
                                    QStringLiteral("A header; repeat it for more (names may repeat)."),
                                    QStringLiteral("NAME=VALUE"));
    const QCommandLineOption file(QStringLiteral("file"),
                                  QStringLiteral("Take the value from this file (- for standard input) instead of "
                                                 "the argument."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption lines(QStringLiteral("lines"),
                                   QStringLiteral("Each line of the file is a message of its own (empty lines are "
                                                  "skipped)."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Refuse a value that is not JSON, saying where it goes wrong; "
                                                 "nothing is sent then."));
    const QCommandLineOption tombstone(QStringLiteral("null"),
                                       QStringLiteral("Send a null value (a tombstone) instead of one."));
    parser.addOptions({bootstrap, topic, key, partition, header, file, lines, json, tombstone, profileOption()});
    parser.addPositionalArgument(QStringLiteral("VALUE"), QStringLiteral("The message's value."),
                                 QStringLiteral("[VALUE]"));
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("produce (-b HOST:PORT,... | --profile NAME) -t TOPIC [-k KEY] [-p PARTITION] "
                       "[-H NAME=VALUE]... [--json] (VALUE | --file FILE [--lines] | --null) [-X key=value]..."),
        QStringLiteral("Write a message to a topic and wait until the cluster has it; print its partition and "
                       "offset. With --lines, each line of the file is a message. Exit status 1 when a message is "
                       "not delivered, 2 on a usage error."),
        Positionals::Taken);
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic}, target, exitCode))
        return exitCode;
    const QString servers = bootstrapServers(target, QStringLiteral("produce"), exitCode);
    if (servers.isEmpty())
        return exitCode;
    const QString topicName = target.topic.trimmed();
    if (topicName.isEmpty())
        return fail(kExitUsageError, QStringLiteral("produce needs a topic: -t TOPIC"));
    if (topicName.contains(u','))
        return fail(
            kExitUsageError,
            QStringLiteral("produce writes to one topic; \"%1\" names several: pick one with -t").arg(topicName));
    qint64 partitionNumber = -1;
    if (!integerOption(parser, partition, 0, 1000000, partitionNumber, exitCode))
        return exitCode;

    std::vector<QByteArray> headerBytes;
    for (const QString &h : parser.values(header)) {
        const qsizetype eq = h.indexOf(u'=');
        if (eq <= 0)
            return fail(kExitUsageError, QStringLiteral("-H %1: expected NAME=VALUE").arg(h));
        headerBytes.push_back(h.left(eq).toUtf8());
        headerBytes.push_back(h.mid(eq + 1).toUtf8());
    }
    std::vector<KafkaHeader> headers;
    for (size_t i = 0; i + 1 < headerBytes.size(); i += 2)
        headers.push_back({std::string_view(headerBytes[i].constData(), size_t(headerBytes[i].size())),
                           std::string_view(headerBytes[i + 1].constData(), size_t(headerBytes[i + 1].size()))});

    const QStringList positional = parser.positionalArguments();
    const int sources = int(!positional.isEmpty()) + int(parser.isSet(file)) + int(parser.isSet(tombstone));
    if (sources != 1 || positional.size() > 1)
        return fail(kExitUsageError, QStringLiteral("produce takes one value: an argument, --file FILE or --null"));
    if (parser.isSet(lines) && !parser.isSet(file))
        return fail(kExitUsageError, QStringLiteral("--lines needs --file FILE (- for standard input)"));
    std::vector<QByteArray> values;
    bool nullValue = parser.isSet(tombstone);
    if (!positional.isEmpty()) {
        values.push_back(positional.first().toUtf8());
    } else if (parser.isSet(file)) {
        QFile in;
        const QString path = parser.value(file);
        const bool opened = path == QLatin1String("-") ? in.open(stdin, QIODevice::ReadOnly)
                                                       : (in.setFileName(path), in.open(QIODevice::ReadOnly));
        if (!opened)
            return fail(kExitUsageError, QStringLiteral("--file %1: %2").arg(path, in.errorString()));
        const QByteArray all = in.readAll();
        if (parser.isSet(lines)) {
            for (QByteArray line : all.split('\n')) {
                if (line.endsWith('\r'))
                    line.chop(1);
                if (!line.isEmpty())
                    values.push_back(line);
            }
            if (values.empty())
                return fail(kExitUsageError, QStringLiteral("--file %1 has no lines").arg(path));
        } else {
            values.push_back(all);
        }
    } else {
        values.emplace_back();
    }
    if (parser.isSet(json) && !nullValue)
        for (size_t i = 0; i < values.size(); ++i)
            if (const QString problem = jsonProblem(values[i]); !problem.isEmpty())
                return fail(kExitUsageError, (values.size() > 1 ? QStringLiteral("line %1: ").arg(i + 1) : QString()) %
                                                 QStringLiteral("the value is not JSON: ") % problem %
                                                 QStringLiteral("; nothing sent"));

    // The topic is looked up first: a producer's own look-up creates a missing topic on a cluster that creates
    // topics on demand, and a typing mistake would leave a new topic behind.
    auto partitions = topicPartitions(servers, target.properties, topicName, std::chrono::seconds(10));
    if (!partitions)
        return fail(kExitRuntimeError, partitions.error());
    if (partitionNumber >= 0 && !partitions->contains(int(partitionNumber)))
        return fail(kExitRuntimeError, noSuchPartition(topicName, partitionNumber, partitions->size()));
    auto producer = KafkaProducer::create(servers, target.properties);
    if (!producer)
        return fail(kExitRuntimeError, producer.error());
    if (Status ready = (*producer)->prepareTopic(topicName); !ready)
        return fail(kExitRuntimeError, ready.error());
    std::mutex mutex;
    std::vector<KafkaProducer::Delivery> deliveries;
    (*producer)->setDeliveryHandler([&](const KafkaProducer::Delivery &d) {
        std::lock_guard lock(mutex);
        deliveries.push_back(d);
    });
    const QByteArray topicBytes = topicName.toUtf8();
    const QByteArray keyBytes = parser.value(key).toUtf8();
    const std::string_view keyView =
        parser.isSet(key) ? std::string_view(keyBytes.constData(), size_t(keyBytes.size())) : std::string_view();
    for (const QByteArray &value : values) {
        const std::string_view valueView =
            nullValue ? std::string_view() : std::string_view(value.constData(), size_t(value.size()));
        if (Status s = (*producer)->produce(std::string_view(topicBytes.constData(), size_t(topicBytes.size())),
                                            keyView, valueView, headers, int(partitionNumber));
            !s)
            return fail(kExitRuntimeError, s.error());
    }
    if (!(*producer)->flush(kFlushTimeoutMs)) {
        const QString why = (*producer)->brokerFailure();
        return fail(kExitRuntimeError,
                    QStringLiteral("not every message was delivered within %1 s").arg(kFlushTimeoutMs / 1000) %
                        (why.isEmpty() ? QString() : QStringLiteral(": ") % why));
    }
    std::lock_guard lock(mutex);
    qint64 failed = 0;
    QString firstError;
    for (const KafkaProducer::Delivery &d : deliveries) {
        if (!d.ok && failed++ == 0)
            firstError = d.error;
    }
    if (failed > 0)
        return fail(kExitRuntimeError, QStringLiteral("%1 of %2 messages were not delivered: %3")
                                           .arg(failed)
                                           .arg(deliveries.size())
                                           .arg(firstError));
    if (deliveries.size() == 1)
        writeLine(QStringLiteral("%1 partition %2 offset %3")
                      .arg(topicName)
                      .arg(deliveries.front().partition)
                      .arg(deliveries.front().offset)
                      .toUtf8());
    else
        writeLine(QStringLiteral("%1: %2 messages delivered").arg(topicName).arg(deliveries.size()).toUtf8());
    flushOutput();
    return kExitOk;
}

} // namespace peakwatch::cli
