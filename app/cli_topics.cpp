// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli topics: a cluster's topics with their partitions, offsets, message counts and first and last
// timestamps.
#include "cli_support.h"

#include "iso_time.h"
#include "json_writer.h"
#include "partition_timestamps.h"
#include "topic_browser.h"

#include <QEventLoop>
#include <QStringBuilder>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

namespace peakwatch::cli {
namespace {

enum class OutputFormat { Table, Json };

// A topic that does not exist is reported with at most this many of those that do.
constexpr qsizetype kTopicsNamed = 10;

Result<QList<TopicInfo>> listTopics(const QString &bootstrap, const KafkaProperties &properties,
                                    const TopicBrowserOptions &options)
{
    TopicBrowser browser(bootstrap, properties, options);
    QEventLoop loop;
    std::optional<Result<QList<TopicInfo>>> answer;
    QObject::connect(&browser, &TopicBrowser::topicsListed, &loop, [&](quint64, const QList<TopicInfo> &topics) {
        answer = topics;
        loop.quit();
    });
    QObject::connect(&browser, &TopicBrowser::failed, &loop,
                     [&](quint64, TopicBrowser::Operation, const QString &message) {
                         answer = Error{message};
                         loop.quit();
                     });
    browser.listTopics();
    loop.exec();
    return std::move(*answer);
}

// The topics asked for, in the order asked; or an error naming the first that does not exist and some that do.
Result<QList<TopicInfo>> selectTopics(const QList<TopicInfo> &listed, const QStringList &names,
                                      const QString &bootstrap)
{
    QList<TopicInfo> out;
    for (const QString &name : names) {
        const auto it =
            std::find_if(listed.cbegin(), listed.cend(), [&](const TopicInfo &t) { return t.name == name; });
        if (it != listed.cend()) {
            out.append(*it);
            continue;
        }
        QStringList existing;
        for (const TopicInfo &t : listed)
            if (!t.name.startsWith(QLatin1String("__")))
                existing << t.name;
        if (existing.isEmpty())
            return Error{QStringLiteral("topic %1 does not exist on %2, which has no topics").arg(name, bootstrap)};
        const qsizetype more = existing.size() - kTopicsNamed;
        return Error{QStringLiteral("topic %1 does not exist on %2; its topics: ").arg(name, bootstrap) %
                     existing.mid(0, kTopicsNamed).join(QStringLiteral(", ")) %
                     (more > 0 ? QStringLiteral(" and %1 more").arg(more) : QString())};
    }
    return out;
}

bool isEmpty(const PartitionInfo &p)
{
    return p.offsetsKnown() && p.high == p.low;
}

// What is wrong with a partition's figures, if anything.
QString problem(const PartitionInfo &p)
{
    if (!p.offsetsKnown())
        return p.error.isEmpty() ? QStringLiteral("offsets unknown") : p.error;
    return p.timestampsError.isEmpty() ? QString() : QStringLiteral("timestamps unknown: ") % p.timestampsError;
}

// The span of a topic's messages: the earliest first timestamp and the latest last one (-1 when none).
std::pair<qint64, qint64> timeSpan(const TopicInfo &topic)
{
    qint64 first = -1, last = -1;
    for (const PartitionInfo &p : topic.partitions) {
        if (p.firstTimestampMs >= 0 && (first < 0 || p.firstTimestampMs < first))
            first = p.firstTimestampMs;
        last = std::max(last, p.lastTimestampMs);
    }
    return {first, last};
}

void timestamp(JsonObjectWriter &json, std::string_view key, qint64 ms)
{
    if (ms >= 0)
        json.string(key, formatIsoTime(ms));
    else
        json.null(key);
}

// {"name":…,"partitions":[{"partition":0,"first_offset":0,"last_offset":3,"messages":4,"first_timestamp":…,
// "last_timestamp":…},…],"messages":…,"first_timestamp":…,"last_timestamp":…}
QByteArray jsonRecord(const TopicInfo &topic)
{
    QByteArray partitions = "[";
    for (const PartitionInfo &p : topic.partitions) {
        if (partitions.size() > 1)
            partitions += ',';
        JsonObjectWriter json(partitions);
        json.integer("partition", p.partition);
        if (p.offsetsKnown()) {
            json.integer("first_offset", p.low);
            if (isEmpty(p))
                json.null("last_offset");
            else
                json.integer("last_offset", p.high - 1);
            json.integer("messages", p.messageCount());
        } else {
            json.null("first_offset");
            json.null("last_offset");
            json.null("messages");
        }
        timestamp(json, "first_timestamp", p.firstTimestampMs);
        timestamp(json, "last_timestamp", p.lastTimestampMs);
        if (const QString why = problem(p); !why.isEmpty())
            json.string("error", why);
    }
    partitions += ']';
    QByteArray out;
    {
        JsonObjectWriter json(out);
        json.string("name", topic.name);
        json.raw("partitions", std::string_view(partitions.constData(), size_t(partitions.size())));
        json.integer("messages", topic.messageCount());
        const auto [first, last] = timeSpan(topic);
        timestamp(json, "first_timestamp", first);
        timestamp(json, "last_timestamp", last);
        if (!topic.error.isEmpty())
            json.string("error", topic.error);
    }
    return out;
}

// A table of six columns, and after them (or after the last cell that says something) a remark, never padded.
class Table final {
public:
    static constexpr int kColumns = 6;

    void add(QStringList cells, const QString &remark = {})
    {
        for (int i = 0; i < kColumns; ++i)
            m_widths[i] = std::max(m_widths[i], cells.value(i).size());
        m_rows.append({std::move(cells), remark});
    }
    // The first four columns, numbers, are aligned right; the two timestamps left.
    QByteArray render(qsizetype row) const
    {
        const auto &[cells, remark] = m_rows[row];
        QString line = QStringLiteral("  ");
        int last = kColumns - 1; // a remark follows the last cell that says something
        while (last > 0 && cells.value(last).isEmpty())
            --last;
        for (int i = 0; i <= last; ++i) {
            if (i > 0)
                line += QStringLiteral("  ");
            line += i < 4 ? cells.value(i).rightJustified(m_widths[i]) : cells.value(i).leftJustified(m_widths[i]);
        }
        if (!remark.isEmpty())
            line += QStringLiteral("  ") % remark;
        while (line.endsWith(u' '))
            line.chop(1);
        return line.toUtf8();
    }

private:
    std::array<qsizetype, kColumns> m_widths{};
    QList<std::pair<QStringList, QString>> m_rows;
};

QString isoOrDash(qint64 ms)
{
    return ms >= 0 ? QString::fromLatin1(formatIsoTime(ms)) : QStringLiteral("-");
}

// Each topic: a heading, then a line per partition and a total, in columns aligned across all topics.
void printTable(const QList<TopicInfo> &topics)
{
    Table table;
    for (const TopicInfo &topic : topics) {
        table.add({QStringLiteral("partition"), QStringLiteral("first offset"), QStringLiteral("last offset"),
                   QStringLiteral("messages"), QStringLiteral("first timestamp"), QStringLiteral("last timestamp")});
        for (const PartitionInfo &p : topic.partitions) {
            const QString number = QString::number(p.partition);
            if (!p.offsetsKnown()) {
                table.add({number, QStringLiteral("?"), QStringLiteral("?"), QStringLiteral("?")}, problem(p));
            } else if (isEmpty(p)) {
                table.add({number, QString::number(p.low), QStringLiteral("-"), QStringLiteral("0"),
                           QStringLiteral("empty")});
            } else {
                table.add({number, QString::number(p.low), QString::number(p.high - 1),
                           QString::number(p.messageCount()), isoOrDash(p.firstTimestampMs),
                           isoOrDash(p.lastTimestampMs)},
                          problem(p));
            }
        }
        const auto [first, last] = timeSpan(topic);
        table.add({QStringLiteral("total"), QString(), QString(), QString::number(topic.messageCount()),
                   isoOrDash(first), isoOrDash(last)});
    }
    qsizetype row = 0;
    for (qsizetype t = 0; t < topics.size(); ++t) {
        const TopicInfo &topic = topics[t];
        const qsizetype n = topic.partitions.size();
        if (t > 0)
            writeLine({});
        writeLine(
            (topic.name %
             QStringLiteral(" (%1 %2)").arg(n).arg(n == 1 ? QLatin1String("partition") : QLatin1String("partitions")) %
             (topic.error.isEmpty() ? QString() : QStringLiteral(": ") % topic.error))
                .toUtf8());
        for (qsizetype i = 0; i < n + 2; ++i)
            writeLine(table.render(row++));
    }
}

} // namespace

int runTopics(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption &bootstrap = bootstrapOption();
    const QCommandLineOption topic(
        {QStringLiteral("t"), QStringLiteral("topic")},
        QStringLiteral("Only these topics, in this order (comma-separated); an internal one (named \"__…\") too. "
                       "Without it, every topic but the internal ones, whatever topics a profile names."),
        QStringLiteral("TOPIC[,TOPIC...]"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("table (the default: a heading per topic, a line per partition "
                                                   "and a total) or json (a JSON object per topic and line)."),
                                    QStringLiteral("table|json"), QStringLiteral("table"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds each step waits for the cluster: the metadata, the "
                                                    "offsets, the first messages, the last ones (default 10)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("10"));
    parser.addOptions({bootstrap, topic, format, timeout, profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("topics (-b HOST:PORT,... | --profile NAME) [-t TOPIC[,TOPIC...]] [--format table|json] "
                       "[--timeout SECONDS] [-X key=value]..."),
        QStringLiteral(
            "List a cluster's topics with their partitions: for each, its first and last offsets, how many messages "
            "it holds (the end offset minus the first: exact on an ordinary topic, an upper bound on a compacted or "
            "transactional one), and the timestamps of its first and last messages in ISO 8601 UTC, read from the "
            "messages themselves. An empty partition says so. Internal topics (named \"__…\") are left out unless "
            "-t names one. Exit status 1 when the cluster cannot be reached, a topic asked for does not exist, or a "
            "partition could not be read in full."));
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap}, target, exitCode))
        return exitCode;
    qint64 seconds = 10;
    if (!integerOption(parser, timeout, 1, 300, seconds, exitCode))
        return exitCode;
    OutputFormat outputFormat = OutputFormat::Table;
    if (const QString name = parser.value(format); name == QLatin1String("json"))
        outputFormat = OutputFormat::Json;
    else if (name != QLatin1String("table"))
        return fail(kExitUsageError, QStringLiteral("--format: unknown format \"%1\" (table or json)").arg(name));
    const QString servers = bootstrapServers(target, QStringLiteral("topics"), exitCode);
    if (servers.isEmpty())
        return exitCode;
    QStringList names;
    for (const QString &value : parser.values(topic))
        for (const QString &name : value.split(u',', Qt::SkipEmptyParts))
            if (const QString trimmed = name.trimmed(); !trimmed.isEmpty() && !names.contains(trimmed))
                names << trimmed;

    TopicBrowserOptions options;
    options.timeout = std::chrono::seconds(seconds);
    options.includeInternalTopics =
        std::any_of(names.cbegin(), names.cend(), [](const QString &n) { return n.startsWith(QLatin1String("__")); });
    auto listed = listTopics(servers, target.properties, options);
    if (!listed)
        return fail(kExitRuntimeError, listed.error());
    auto topics = names.isEmpty() ? std::move(listed) : selectTopics(*listed, names, servers);
    if (!topics)
        return fail(kExitRuntimeError, topics.error());
    if (Status read = readPartitionTimestamps(servers, target.properties, *topics, options.timeout); !read)
        return fail(kExitRuntimeError, QStringLiteral("cannot read the messages' timestamps: ") % read.error());

    if (outputFormat == OutputFormat::Json) {
        for (const TopicInfo &t : std::as_const(*topics))
            writeLine(jsonRecord(t));
    } else {
        printTable(*topics);
    }
    flushOutput();

    QStringList problems;
    for (const TopicInfo &t : std::as_const(*topics)) {
        if (!t.error.isEmpty())
            problems << t.name % QStringLiteral(": ") % t.error;
        for (const PartitionInfo &p : t.partitions)
            if (const QString why = problem(p); !why.isEmpty())
                problems << QStringLiteral("%1 partition %2: ").arg(t.name).arg(p.partition) % why;
    }
    if (topics->isEmpty() && outputFormat == OutputFormat::Table)
        std::fprintf(stderr, "the Kafka cluster at %s has no topics\n", qPrintable(servers));
    if (problems.isEmpty())
        return kExitOk;
    return fail(kExitRuntimeError,
                QStringLiteral("not everything could be read: ") % problems.first() %
                    (problems.size() > 1 ? QStringLiteral(" (and %1 more)").arg(problems.size() - 1) : QString()));
}

} // namespace peakwatch::cli
