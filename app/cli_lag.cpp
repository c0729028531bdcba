// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli lag: a consumer group's committed offsets against the partitions' ends; without a group, the
// cluster's groups.
#include "cli_support.h"

#include "group_lag.h"
#include "json_writer.h"

#include <QStringBuilder>

#include <algorithm>
#include <cstdio>

namespace peakwatch::cli {
namespace {

void optionalInteger(JsonObjectWriter &json, std::string_view key, qint64 n)
{
    if (n >= 0)
        json.integer(key, n);
    else
        json.null(key);
}

QString figure(qint64 n)
{
    return n >= 0 ? QString::number(n) : QStringLiteral("-");
}

void printLag(const GroupLag &lag)
{
    QString heading = QStringLiteral("group ") % lag.group;
    if (!lag.state.isEmpty())
        heading += QStringLiteral(" (%1, %2 %3)")
                       .arg(lag.state)
                       .arg(lag.members)
                       .arg(lag.members == 1 ? QLatin1String("member") : QLatin1String("members"));
    writeLine(heading.toUtf8());
    const QStringList titles = {QStringLiteral("topic"), QStringLiteral("partition"), QStringLiteral("committed"),
                                QStringLiteral("end"), QStringLiteral("lag")};
    QList<QStringList> rows;
    for (const PartitionLag &p : lag.partitions)
        rows.append({p.topic, QString::number(p.partition),
                     p.committed >= 0 ? QString::number(p.committed) : QStringLiteral("none"), figure(p.end),
                     figure(p.lag()), p.error});
    rows.append({QStringLiteral("total"), QString(), QString(), QString(), QString::number(lag.totalLag()), QString()});
    QList<qsizetype> widths;
    for (const QString &t : titles)
        widths << t.size();
    for (const QStringList &r : std::as_const(rows))
        for (int i = 0; i < titles.size(); ++i)
            widths[i] = std::max(widths[i], r[i].size());
    auto line = [&](const QStringList &cells, const QString &remark) {
        QString text = QStringLiteral("  ") % cells[0].leftJustified(widths[0]);
        for (int i = 1; i < titles.size(); ++i)
            text += QStringLiteral("  ") % cells[i].rightJustified(widths[i]);
        if (!remark.isEmpty())
            text += QStringLiteral("  ") % remark;
        writeLine(text.toUtf8());
    };
    line(titles, {});
    for (const QStringList &r : std::as_const(rows))
        line(r, r.value(5));
}

} // namespace

int runLag(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption &bootstrap = bootstrapOption();
    const QCommandLineOption group({QStringLiteral("G"), QStringLiteral("group")},
                                   QStringLiteral("The consumer group (default: the profile's). Without one, the "
                                                  "cluster's groups are listed."),
                                   QStringLiteral("GROUP"));
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("Only these topics (comma-separated), every partition of each, "
                                                  "committed or not (default: the topics the group committed "
                                                  "offsets for)."),
                                   QStringLiteral("TOPIC[,TOPIC...]"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("table (the default) or json."),
                                    QStringLiteral("table|json"), QStringLiteral("table"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds each request waits for the cluster (default 10)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("10"));
    parser.addOptions({bootstrap, group, topic, format, timeout, profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("lag (-b HOST:PORT,... | --profile NAME) [-G GROUP] [-t TOPIC[,TOPIC...]] [--format table|json] "
                       "[-X key=value]..."),
        QStringLiteral("A consumer group's lag, partition by partition: the offset it committed, the partition's "
                       "end, and the messages between them; then the total. The group's state and members when "
                       "the cluster describes groups (the embedded cluster does not, and says so). Without -G, the "
                       "cluster's consumer groups. Joins no group, commits nothing."));
    if (parsed >= 0)
        return parsed;
    int exitCode = 0;
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .group = &group}, target, exitCode))
        return exitCode;
    const QString servers = bootstrapServers(target, QStringLiteral("lag"), exitCode);
    if (servers.isEmpty())
        return exitCode;
    qint64 seconds = 10;
    if (!integerOption(parser, timeout, 1, 300, seconds, exitCode))
        return exitCode;
    const QString formatName = parser.value(format);
    if (formatName != QLatin1String("table") && formatName != QLatin1String("json"))
        return fail(kExitUsageError, QStringLiteral("--format: unknown format \"%1\" (table or json)").arg(formatName));
    const bool asJson = formatName == QLatin1String("json");
    const auto wait = std::chrono::seconds(seconds);

    if (target.group.isEmpty()) {
        auto groups = listGroups(servers, target.properties, wait);
        if (!groups)
            return fail(kExitRuntimeError, groups.error() % QStringLiteral("; name a group with -G to see its lag"));
        for (const GroupListing &g : std::as_const(*groups)) {
            if (asJson) {
                QByteArray out;
                {
                    JsonObjectWriter json(out);
                    json.string("group", g.group);
                    json.string("state", g.state);
                }
                writeLine(out);
            } else
                writeLine((g.group % QStringLiteral("  ") % g.state).toUtf8());
        }
        if (groups->isEmpty() && !asJson)
            std::fprintf(stderr, "the cluster at %s has no consumer groups\n", qPrintable(servers));
        flushOutput();
        return kExitOk;
    }
    QStringList topics;
    for (const QString &t : parser.values(topic))
        for (const QString &name : t.split(u',', Qt::SkipEmptyParts))
            if (!topics.contains(name.trimmed()))
                topics << name.trimmed();
    auto lag = readGroupLag(servers, target.properties, target.group, topics, wait);
    if (!lag)
        return fail(kExitRuntimeError, lag.error());
    if (asJson) {
        QByteArray partitions = "[";
        for (const PartitionLag &p : std::as_const(lag->partitions)) {
            if (partitions.size() > 1)
                partitions += ',';
            JsonObjectWriter json(partitions);
            json.string("topic", p.topic);
            json.integer("partition", p.partition);
            optionalInteger(json, "committed", p.committed);
            optionalInteger(json, "end", p.end);
            optionalInteger(json, "lag", p.lag());
            if (!p.error.isEmpty())
                json.string("error", p.error);
        }
        partitions += ']';
        QByteArray out;
        {
            JsonObjectWriter json(out);
            json.string("group", lag->group);
            if (lag->state.isEmpty())
                json.null("state");
            else
                json.string("state", lag->state);
            optionalInteger(json, "members", lag->members);
            json.raw("partitions", std::string_view(partitions.constData(), size_t(partitions.size())));
            json.integer("lag", lag->totalLag());
        }
        writeLine(out);
    } else {
        printLag(*lag);
    }
    flushOutput();
    for (const QString &note : std::as_const(lag->notes))
        std::fprintf(stderr, "lag: %s\n", qPrintable(note));
    return kExitOk;
}

} // namespace peakwatch::cli
