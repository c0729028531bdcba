// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli consume: a topic's messages from an offset or a time, through filters in jq's language, written as
// kcat -J does, as JSON, CSV or the values alone.
#include "cli_support.h"

#include "iso_time.h"
#include "message_filter.h"
#include "message_format.h"
#include "saved_filters.h"
#include "topic_scan.h"

#include <QStringBuilder>

#include <cstdio>
#include <malloc.h>
#include <unistd.h>

namespace peakwatch::cli {
namespace {

// Output is written when this much is waiting, and at every progress tick.
constexpr qsizetype kFlushBytes = 1 << 20;
// librdkafka takes a buffer for every fetch answer (up to 4 MB, TopicScan's fetch.max.bytes) and frees it once its
// messages are gone. Above glibc's thresholds each one is mapped, faulted in page by page and unmapped again: half
// of a scan's time in the kernel (docs/benchmarks.md). Kept in the heap, they are reused.
constexpr int kKeepInHeapBytes = 256 << 20;

QString mebibytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) % QStringLiteral(" MiB");
}

QString progressLine(const ScanProgress &p)
{
    return QStringLiteral("%1 messages read (%2)%3, %4 passed; %5 of %6 partitions done")
        .arg(p.scanned)
        .arg(mebibytes(p.bytes))
        .arg(p.total >= 0 ? QStringLiteral(" of %1").arg(p.total) : QString())
        .arg(p.matched)
        .arg(p.partitionsDone)
        .arg(p.partitions);
}

} // namespace

int runConsume(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption &bootstrap = bootstrapOption();
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("The topic to read (default: the profile's, when it names one)."),
                                   QStringLiteral("TOPIC"));
    const QCommandLineOption partition({QStringLiteral("p"), QStringLiteral("partition")},
                                       QStringLiteral("Only this partition; repeat it, or separate several with "
                                                      "commas (default: every partition)."),
                                       QStringLiteral("PARTITION"));
    const QCommandLineOption offset(
        {QStringLiteral("o"), QStringLiteral("offset")},
        QStringLiteral("Where each partition starts: beginning (the default), end, stored (the committed offset of "
                       "the group -G names), an offset, or -N for the last N messages."),
        QStringLiteral("beginning|end|stored|OFFSET|-N"), QStringLiteral("beginning"));
    const QCommandLineOption fromTime(QStringLiteral("from-time"),
                                      QStringLiteral("Start at the first message at or after this time (ISO 8601), "
                                                     "in every partition, instead of -o."),
                                      QStringLiteral("TIME"));
    const QCommandLineOption untilTime(QStringLiteral("until-time"),
                                       QStringLiteral("End each partition after its last message at or before this "
                                                      "time (ISO 8601)."),
                                       QStringLiteral("TIME"));
    const QCommandLineOption filter(
        {QStringLiteral("f"), QStringLiteral("filter")},
        QStringLiteral("Only messages for which this jq filter yields true, run on {topic, partition, offset, "
                       "timestamp, key, value, headers} with the value parsed when it is JSON; repeat it for "
                       "filters that must all pass. E.g. '.value.variants[0].inventory_quantity < 5'."),
        QStringLiteral("EXPR"));
    const QCommandLineOption savedFilter(QStringLiteral("saved-filter"),
                                         QStringLiteral("The filters saved under this name (peakwatch-cli filter "
                                                        "list; the Topics view's saved filters)."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption count({QStringLiteral("c"), QStringLiteral("count")},
                                   QStringLiteral("Stop after this many messages passed."), QStringLiteral("N"));
    const QCommandLineOption exitAtEnd({QStringLiteral("e"), QStringLiteral("exit-at-end")},
                                       QStringLiteral("Stop at the end of every partition, instead of waiting for "
                                                      "new messages."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("jsonl (the default: one object a line, as kcat -J writes it), "
                                                   "json (an array of them), csv, or value (the value alone)."),
                                    QStringLiteral("jsonl|json|csv|value"), QStringLiteral("jsonl"));
    const QCommandLineOption columns(
        QStringLiteral("columns"),
        QStringLiteral("The CSV columns, comma-separated: topic, partition, offset, timestamp, timestamp_ms, key, "
                       "value, headers, header:NAME, or a path such as .value.title (default: partition, offset, "
                       "timestamp, key, value)."),
        QStringLiteral("COLUMN,..."));
    const QCommandLineOption group({QStringLiteral("G"), QStringLiteral("group")},
                                   QStringLiteral("The consumer group whose committed offsets -o stored reads; it "
                                                  "is never joined, nothing is committed."),
                                   QStringLiteral("GROUP"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds to wait for the cluster before giving up (default 10)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("10"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")},
                                   QStringLiteral("No progress nor summary on standard error."));
    parser.addOptions({bootstrap, topic, partition, offset, fromTime, untilTime, filter, savedFilter, count, exitAtEnd,
                       format, columns, group, timeout, quiet, profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("consume (-b HOST:PORT,... | --profile NAME) -t TOPIC [-p PARTITION]... "
                       "[-o beginning|end|stored|OFFSET|-N] [--from-time ISO-8601] [--until-time ISO-8601] "
                       "[-f EXPR]... [--saved-filter NAME]... [-c COUNT] [-e] [--format jsonl|json|csv|value] "
                       "[-X key=value]..."),
        QStringLiteral(
            "Read a topic's messages, all partitions at once, from an offset or a time, and write those that pass "
            "the filters to standard output. Filters are jq's language (libjq); comparisons of fields and headers "
            "with a value are evaluated without jq, with the same results. Progress goes to standard error while "
            "it reads, and a summary at the end. Joins no consumer group and commits nothing. Exit status 1 when "
            "the cluster cannot be read, 2 on a usage error (a filter that does not compile says where)."));
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic, .group = &group}, target, exitCode))
        return exitCode;
    const QString servers = bootstrapServers(target, QStringLiteral("consume"), exitCode);
    if (servers.isEmpty())
        return exitCode;
    ScanRequest request;
    request.topic = target.topic.trimmed();
    if (request.topic.isEmpty())
        return fail(kExitUsageError, QStringLiteral("consume needs a topic: -t TOPIC"));
    if (request.topic.contains(u','))
        return fail(
            kExitUsageError,
            QStringLiteral("consume reads one topic; \"%1\" names several: pick one with -t").arg(request.topic));
    for (const QString &value : parser.values(partition))
        for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int p = part.trimmed().toInt(&ok);
            if (!ok || p < 0)
                return fail(kExitUsageError,
                            QStringLiteral("--partition %1: expected a partition number such as 0").arg(part));
            if (!request.partitions.contains(p))
                request.partitions << p;
        }
    auto start = ScanStart::parse(parser.value(offset));
    if (!start)
        return fail(kExitUsageError, QStringLiteral("-o: ") % start.error());
    request.start = *start;
    request.group = target.group;
    if (request.start.kind == ScanStart::Kind::Stored && request.group.isEmpty())
        return fail(kExitUsageError, QStringLiteral("-o stored needs the consumer group whose offsets to read: -G "
                                                    "GROUP"));
    if (!timeOption(parser, fromTime, request.fromTimeMs, exitCode) ||
        !timeOption(parser, untilTime, request.untilTimeMs, exitCode))
        return exitCode;
    if (request.fromTimeMs >= 0 && request.untilTimeMs >= 0 && request.untilTimeMs < request.fromTimeMs)
        return fail(kExitUsageError, QStringLiteral("--until-time is before --from-time"));
    if (!integerOption(parser, count, 1, std::numeric_limits<qint64>::max(), request.maxMatches, exitCode))
        return exitCode;
    qint64 seconds = 10;
    if (!integerOption(parser, timeout, 1, 3600, seconds, exitCode))
        return exitCode;
    request.timeout = std::chrono::seconds(seconds);
    request.stopAtEnd = parser.isSet(exitAtEnd);

    QStringList expressions = parser.values(filter);
    if (parser.isSet(savedFilter)) {
        ProfileSettings settings;
        for (const QString &name : parser.values(savedFilter)) {
            const auto saved = SavedFilter::load(settings, name);
            if (!saved) {
                QStringList names;
                for (const SavedFilter &f : SavedFilter::loadAll(settings))
                    names << f.name;
                return fail(kExitUsageError,
                            QStringLiteral("--saved-filter: no filter is saved as \"%1\"").arg(name) %
                                (names.isEmpty() ? QStringLiteral(" (none is saved)")
                                                 : QStringLiteral("; saved: ") % names.join(QStringLiteral(", "))));
            }
            expressions += saved->expressions;
        }
    }
    auto compiled = MessageFilter::compile(expressions);
    if (!compiled)
        return fail(kExitUsageError, compiled.error());
    auto outputFormat = messageFormatNamed(parser.value(format));
    if (!outputFormat)
        return fail(kExitUsageError, QStringLiteral("--format: ") % outputFormat.error());
    QStringList csvColumns = MessageWriter::defaultColumns();
    if (parser.isSet(columns)) {
        csvColumns.clear();
        for (const QString &c : parser.value(columns).split(u',', Qt::SkipEmptyParts))
            csvColumns << c.trimmed();
        if (Status s = MessageWriter::checkColumns(csvColumns); !s)
            return fail(kExitUsageError, QStringLiteral("--columns: ") % s.error());
    }

    mallopt(M_MMAP_THRESHOLD, kKeepInHeapBytes);
    mallopt(M_TRIM_THRESHOLD, kKeepInHeapBytes);
    MessageWriter writer(*outputFormat, csvColumns);
    QByteArray out = writer.begin();
    const bool showProgress = !parser.isSet(quiet) && ::isatty(STDERR_FILENO);
    auto flush = [&out] {
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout);
        out.clear();
    };
    InterruptFlag interrupt;
    TopicScan scan(servers, target.properties);
    auto summary = scan.run(
        request, *compiled,
        [&](const MessageView &m) {
            writer.append(out, m);
            if (out.size() >= kFlushBytes)
                flush();
            return true;
        },
        [&](const ScanProgress &p) {
            flush();
            if (showProgress)
                std::fprintf(stderr, "\r\033[K%s", qPrintable(progressLine(p)));
        },
        &InterruptFlag::raised);
    out += writer.end();
    flush();
    if (showProgress)
        std::fputs("\r\033[K", stderr);
    if (!summary)
        return fail(kExitRuntimeError, summary.error());
    if (!parser.isSet(quiet)) {
        std::fprintf(stderr, "consume: %s%s\n", qPrintable(progressLine(summary->progress)),
                     summary->ended == ScanSummary::Ended::Interrupted ? " (interrupted)"
                     : summary->ended == ScanSummary::Ended::Count     ? " (count reached)"
                                                                       : "");
        if (!summary->seek.isEmpty())
            std::fprintf(stderr, "consume: start time %s: %s\n", formatIsoTime(request.fromTimeMs).constData(),
                         qPrintable(summary->seek));
        for (const QString &note : std::as_const(summary->notes))
            std::fprintf(stderr, "consume: %s\n", qPrintable(note));
        if (summary->filterErrors > 0)
            std::fprintf(stderr, "consume: the filter failed on %lld messages, which did not pass; the first: %s\n",
                         static_cast<long long>(summary->filterErrors), qPrintable(summary->firstFilterError));
    }
    return kExitOk;
}

} // namespace peakwatch::cli
