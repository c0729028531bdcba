// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli filter: the saved filters, shared with the desktop's Topics view.
#include "cli_support.h"

#include "connection_profile.h"
#include "saved_filters.h"

#include <QStringBuilder>

namespace peakwatch::cli {

int runFilter(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("list, show, save or remove."),
                                 QStringLiteral("list | show NAME | save NAME EXPR... | remove NAME"));
    const int parsed = parseCommandLine(
        parser, arguments, QStringLiteral("filter (list | show NAME | save NAME EXPR... | remove NAME)"),
        QStringLiteral("Saved filters: named sets of jq filters that must all pass, shared with the Topics view and "
                       "used with consume --saved-filter NAME. save checks every expression with jq first and "
                       "replaces a filter of the same name."),
        Positionals::Taken);
    if (parsed >= 0)
        return parsed;
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    ProfileSettings settings;
    if (action == QLatin1String("list") && args.size() == 1) {
        for (const SavedFilter &f : SavedFilter::loadAll(settings))
            writeLine((f.name % QStringLiteral("\t") % f.expressions.join(QStringLiteral(" ; "))).toUtf8());
        flushOutput();
        return kExitOk;
    }
    if (action == QLatin1String("show") && args.size() == 2) {
        const auto f = SavedFilter::load(settings, args[1]);
        if (!f)
            return fail(kExitUsageError, QStringLiteral("no filter is saved as \"%1\"").arg(args[1]));
        for (const QString &e : f->expressions)
            writeLine(e.toUtf8());
        flushOutput();
        return kExitOk;
    }
    if (action == QLatin1String("save") && args.size() >= 3) {
        if (Status s = SavedFilter::save(settings, {args[1], args.mid(2)}); !s)
            return fail(kExitUsageError, s.error());
        return kExitOk;
    }
    if (action == QLatin1String("remove") && args.size() == 2) {
        if (!SavedFilter::remove(settings, args[1]))
            return fail(kExitUsageError, QStringLiteral("no filter is saved as \"%1\"").arg(args[1]));
        return kExitOk;
    }
    return fail(kExitUsageError,
                QStringLiteral("expected list, show NAME, save NAME EXPR... or remove NAME (see --help)"));
}

} // namespace peakwatch::cli
