// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli produce: one message (or one a line) to a topic, with a key, headers and a partition.
#include "cli_support.h"

#include "json_check.h"
#include "message_sender.h"

#include <QFile>
#include <QStringBuilder>

#include <cstdio>
#include <vector>

namespace peakwatch::cli {
namespace {

constexpr int kFlushTimeoutMs = 30000;

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

    QList<MessageHeader> headers;
    for (const QString &h : parser.values(header)) {
        const qsizetype eq = h.indexOf(u'=');
        if (eq <= 0)
            return fail(kExitUsageError, QStringLiteral("-H %1: expected NAME=VALUE").arg(h));
        headers.append({h.left(eq).toUtf8(), h.mid(eq + 1).toUtf8(), false});
    }

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
            if (const auto problem = jsonProblem(values[i]))
                return fail(kExitUsageError, (values.size() > 1 ? QStringLiteral("line %1: ").arg(i + 1) : QString()) %
                                                 QStringLiteral("the value is not JSON: ") % problem->text() %
                                                 QStringLiteral("; nothing sent"));

    QList<OutgoingMessage> messages;
    for (const QByteArray &value : values)
        messages.append({.key = parser.value(key).toUtf8(),
                         .keyIsNull = !parser.isSet(key),
                         .value = value,
                         .valueIsNull = nullValue,
                         .headers = headers,
                         .partition = int(partitionNumber)});
    const auto deliveries =
        sendMessages(servers, target.properties, topicName, messages, std::chrono::milliseconds(kFlushTimeoutMs));
    if (!deliveries)
        return fail(kExitRuntimeError, deliveries.error());
    if (deliveries->size() == 1)
        writeLine(QStringLiteral("%1 partition %2 offset %3")
                      .arg(topicName)
                      .arg(deliveries->front().partition)
                      .arg(deliveries->front().offset)
                      .toUtf8());
    else
        writeLine(QStringLiteral("%1: %2 messages delivered").arg(topicName).arg(deliveries->size()).toUtf8());
    flushOutput();
    return kExitOk;
}

} // namespace peakwatch::cli
