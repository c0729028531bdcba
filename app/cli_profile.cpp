// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli profile: the saved connections the desktop and the command line share.
#include "cli_support.h"

#include "client_properties.h"
#include "connection_profile.h"
#include "msk_iam_auth.h"
#include "redaction.h"

#include <QFile>
#include <QStringBuilder>

#include <algorithm>
#include <cstdio>

namespace peakwatch::cli {
namespace {

using Security = ConnectionProfile::Security;

void note(const QString &text)
{
    std::fprintf(stderr, "profile: %s\n", redacted(text).toLocal8Bit().constData());
}

void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
}

QString orNone(const QString &value, const QString &none = QStringLiteral("(none)"))
{
    return value.isEmpty() ? none : value;
}

// "key=value ...", secret values hidden; IAM's sasl.oauthbearer.config (region and AWS profile) is no secret.
QString joined(const KafkaProperties &properties, const ConnectionProfile &p)
{
    const QByteArray iamConfig = p.needsIamToken() ? mskIamOauthbearerConfig(p.awsRegion, p.awsProfile) : QByteArray();
    QStringList out;
    for (const auto &[key, value] : properties) {
        const bool hidden =
            ConnectionProfile::isSecret(key) && !(key == "sasl.oauthbearer.config" && value == iamConfig);
        out << QString::fromUtf8(key) % u'=' % (hidden ? QStringLiteral("(secret)") : QString::fromUtf8(value));
    }
    return out.join(u' ');
}

QString describe(const ConnectionProfile &p)
{
    QString out = QStringLiteral("name: ") % p.name % QStringLiteral("\nbootstrap servers: ") %
                  orNone(p.bootstrapServers) % QStringLiteral("\ntopic: ") % orNone(p.topic) %
                  QStringLiteral("\nconsumer group: ") % orNone(p.group) % QStringLiteral("\nsecurity: ") %
                  ConnectionProfile::securityDescription(p.security) % u'\n';
    if (p.usesTls())
        out += QStringLiteral("CA bundle: ") % orNone(p.caBundle, QStringLiteral("(the system's CA store)")) % u'\n';
    if (p.security == Security::SaslScram)
        out += QStringLiteral("SASL/SCRAM user: ") % orNone(p.saslUsername) %
               QStringLiteral("\npassword: not kept with the profile; peakwatch-cli takes it from %1 (%2 here), the "
                              "desktop from the system keychain\n")
                   .arg(QLatin1String(kKafkaPasswordVariable), qEnvironmentVariableIsEmpty(kKafkaPasswordVariable)
                                                                   ? QStringLiteral("not set")
                                                                   : QStringLiteral("set"));
    if (p.security == Security::Iam)
        out += QStringLiteral("AWS region: ") % orNone(p.awsRegion) % QStringLiteral("\nAWS profile: ") %
               orNone(p.awsProfile, QStringLiteral("(the default credential chain)")) % u'\n';
    out += QStringLiteral("extra properties: ") % orNone(joined(p.properties, p)) %
           QStringLiteral("\nlibrdkafka properties: ") % joined(p.kafkaProperties(), p) % u'\n';
    for (const QString &problem : p.problems())
        out += QStringLiteral("problem: ") % problem % u'\n';
    return out;
}

Result<QString> readText(const QString &path)
{
    QFile file(path);
    const bool opened =
        path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly) : file.open(QIODevice::ReadOnly);
    if (!opened)
        return Error{path % QStringLiteral(": ") % file.errorString()};
    return QString::fromUtf8(file.readAll());
}

int importProfile(const QCommandLineParser &parser, const QString &name, const QString &path,
                  const QCommandLineOption &bootstrap, const QCommandLineOption &topic, const QCommandLineOption &group,
                  const QCommandLineOption &region, const QCommandLineOption &replace)
{
    const QStringList options = parser.values(QStringLiteral("X"));
    if (path.isEmpty() && options.isEmpty())
        return fail(kExitUsageError, QStringLiteral("profile import needs a client.properties FILE, or -X options"));
    if (name.trimmed().isEmpty() || name.trimmed() != name)
        return fail(kExitUsageError,
                    QStringLiteral("profile import: \"%1\" is not a name (no spaces around it)").arg(name));

    ConnectionProfile base;
    base.name = name;
    ProfileImport imported{base, {}, {}, {}};
    const auto report = [](const QString &from, const ProfileImport &part) {
        for (const QString &text : part.notes)
            note(from % text);
        for (const QString &text : part.unknown)
            note(from % QStringLiteral("not understood, skipped: ") % text);
    };
    if (!path.isEmpty()) {
        auto text = readText(path);
        if (!text)
            return fail(kExitRuntimeError, text.error());
        imported = importClientProperties(*text, base);
        report(path % QStringLiteral(": "), imported);
    }
    if (!options.isEmpty()) {
        auto more = importKafkaOptions(options, imported.profile);
        if (!more)
            return fail(kExitUsageError, more.error());
        report(QStringLiteral("-X: "), *more);
        if (more->password.isEmpty())
            more->password = imported.password;
        imported = std::move(*more);
    }
    ConnectionProfile &profile = imported.profile;
    if (parser.isSet(bootstrap))
        profile.bootstrapServers = parser.value(bootstrap);
    if (parser.isSet(topic))
        profile.topic = parser.value(topic);
    if (parser.isSet(group))
        profile.group = parser.value(group);
    if (parser.isSet(region))
        profile.awsRegion = parser.value(region);
    if (profile.security == Security::Iam && profile.awsRegion.isEmpty()) {
        profile.awsRegion = ConnectionProfile::regionOfBootstrap(profile.bootstrapServers);
        if (!profile.awsRegion.isEmpty())
            note(QStringLiteral("AWS region %1: from the bootstrap servers' host names").arg(profile.awsRegion));
    }

    if (savedProfile(name) && !parser.isSet(replace))
        return fail(kExitRuntimeError,
                    QStringLiteral("profile \"%1\" is saved already: give --replace to overwrite it").arg(name));
    if (const QStringList problems = profile.problems(); !problems.isEmpty())
        return fail(
            kExitRuntimeError,
            QStringLiteral("profile \"%1\" not saved: %2 (see --help)").arg(name, problems.join(QStringLiteral("; "))));
    ProfileSettings settings;
    profile.save(settings);
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return fail(kExitRuntimeError, QStringLiteral("cannot write the settings file %1").arg(settings.fileName()));
    note(QStringLiteral("saved \"%1\": %2 at %3, topic %4")
             .arg(name, ConnectionProfile::securityName(profile.security), profile.bootstrapServers, profile.topic));
    const QString howToGive =
        QStringLiteral("enter it in the desktop's connection dialog, which keeps it in the system keychain; for "
                       "peakwatch-cli, put it in the environment variable %1")
            .arg(QLatin1String(kKafkaPasswordVariable));
    if (!imported.password.isEmpty())
        note(QStringLiteral("the SASL/SCRAM password was not saved (profiles keep no secrets): ") % howToGive);
    else if (profile.needsPassword())
        note(QStringLiteral("SASL/SCRAM needs the password of \"%1\": ").arg(profile.saslUsername) % howToGive);
    return kExitOk;
}

} // namespace

int runProfile(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("export: properties (a Java client.properties, the default) or "
                                                   "kcat (-X options)."),
                                    QStringLiteral("FORMAT"), QStringLiteral("properties"));
    const QCommandLineOption bootstrap({QStringLiteral("b"), QStringLiteral("bootstrap")},
                                       QStringLiteral("import: the bootstrap servers, over the file's."),
                                       QStringLiteral("HOST:PORT,..."));
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("import: the topic of products/update webhooks (default products)."),
                                   QStringLiteral("TOPIC"));
    const QCommandLineOption group({QStringLiteral("G"), QStringLiteral("group")},
                                   QStringLiteral("import: the consumer group analyze joins by default."),
                                   QStringLiteral("GROUP"));
    const QCommandLineOption region(QStringLiteral("aws-region"),
                                    QStringLiteral("import: the AWS region of an IAM cluster (default: the one of "
                                                   "MSK's broker host names)."),
                                    QStringLiteral("REGION"));
    const QCommandLineOption replace(QStringLiteral("replace"),
                                     QStringLiteral("import: overwrite a saved profile of the same name."));
    parser.addOptions({format, bootstrap, topic, group, region, replace});
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("list, show, import, export or remove."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The profile's name."),
                                 QStringLiteral("[NAME]"));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("import: a Java client.properties file (- for standard input)."),
                                 QStringLiteral("[FILE]"));
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("profile list | show NAME | import NAME [FILE] [-X key=value]... [--bootstrap B] [--topic T] "
                       "[--group G] [--aws-region R] [--replace] | export NAME [--format properties|kcat] | "
                       "remove NAME"),
        QStringLiteral("The saved connections (profiles) that the desktop and peakwatch-cli share; --profile NAME uses "
                       "one with analyze, simulate and gateway. import reads a Java client.properties as "
                       "kafka-console-consumer.sh takes it for Amazon MSK (PLAINTEXT, SSL, SASL/SCRAM, IAM), and "
                       "kcat's -X options; export writes either without secrets. Profiles keep no passwords: a "
                       "SASL/SCRAM password comes from the environment variable PEAKWATCH_KAFKA_PASSWORD."),
        Positionals::Taken);
    if (parsed >= 0)
        return parsed;

    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const bool importing = action == QLatin1String("import");
    struct Rule {
        QString action;
        qsizetype minimum, maximum; // positional arguments, the action included
    };
    const Rule rules[] = {{QStringLiteral("list"), 1, 1},
                          {QStringLiteral("show"), 2, 2},
                          {QStringLiteral("import"), 2, 3},
                          {QStringLiteral("export"), 2, 2},
                          {QStringLiteral("remove"), 2, 2}};
    const auto rule =
        std::find_if(std::begin(rules), std::end(rules), [&](const Rule &r) { return r.action == action; });
    if (rule == std::end(rules))
        return fail(kExitUsageError, (action.isEmpty() ? QStringLiteral("profile needs an action")
                                                       : QStringLiteral("profile: unknown action \"") % action % u'"') %
                                         QStringLiteral(": list, show NAME, import NAME FILE, export NAME or remove "
                                                        "NAME (see --help)"));
    if (positional.size() < rule->minimum)
        return fail(kExitUsageError, QStringLiteral("profile %1 needs a profile NAME (see --help)").arg(action));
    if (positional.size() > rule->maximum)
        return fail(kExitUsageError, QStringLiteral("profile %1: unexpected argument \"%2\" (see --help)")
                                         .arg(action, positional.value(rule->maximum)));
    for (const QCommandLineOption *option : {&bootstrap, &topic, &group, &region, &replace})
        if (parser.isSet(*option) && !importing)
            return fail(kExitUsageError, QStringLiteral("--%1 applies to profile import").arg(option->names().last()));
    if (parser.isSet(QStringLiteral("X")) && !importing)
        return fail(kExitUsageError, QStringLiteral("-X applies to profile import"));
    if (parser.isSet(format) && action != QLatin1String("export"))
        return fail(kExitUsageError, QStringLiteral("--format applies to profile export"));

    const QString name = positional.value(1);
    if (importing)
        return importProfile(parser, name, positional.value(2), bootstrap, topic, group, region, replace);

    if (action == QLatin1String("list")) {
        ProfileSettings settings;
        const QList<ConnectionProfile> profiles = ConnectionProfile::loadAll(settings);
        if (profiles.isEmpty())
            note(QStringLiteral("no saved profiles (profile import NAME FILE saves one, as does the desktop's New "
                                "connection)"));
        QString out;
        for (const ConnectionProfile &p : profiles)
            out += p.name % u'\t' % ConnectionProfile::securityName(p.security) % u'\t' % p.bootstrapServers % u'\t' %
                   p.topic % u'\n';
        print(out);
        return kExitOk;
    }

    auto profile = savedProfile(name);
    if (!profile)
        return fail(kExitUsageError, profile.error());
    if (action == QLatin1String("show")) {
        print(describe(*profile));
    } else if (action == QLatin1String("export")) {
        const QString kind = parser.value(format);
        if (kind == QLatin1String("properties"))
            print(exportClientProperties(*profile));
        else if (kind == QLatin1String("kcat"))
            print(exportKcatArguments(*profile));
        else
            return fail(kExitUsageError, QStringLiteral("--format %1: expected properties or kcat").arg(kind));
    } else { // remove
        ProfileSettings settings;
        ConnectionProfile::remove(settings, name);
        settings.sync();
        if (settings.status() != QSettings::NoError)
            return fail(kExitRuntimeError,
                        QStringLiteral("cannot write the settings file %1").arg(settings.fileName()));
        note(QStringLiteral("removed \"%1\"").arg(name));
    }
    return kExitOk;
}

} // namespace peakwatch::cli
