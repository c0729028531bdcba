// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "aws_credentials.h"

#include "redaction.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QStringBuilder>

namespace peakwatch {
namespace {

// One section of an INI file: keys lower-cased (as Python's configparser, and so the AWS CLI, reads them),
// values trimmed.
using IniSection = QHash<QString, QString>;

struct IniFile {
    QString path;
    bool exists = false;
    QHash<QString, IniSection> sections; // by the name between the brackets, trimmed
};

// The AWS CLI's shared-file dialect: "[section]", "key = value" or "key: value", whole-line comments starting
// with '#' or ';'. An indented line after a key continues it (nested settings such as "s3 =" and its
// indented keys); those are skipped, nothing Peakwatch reads is nested.
Result<IniFile> readIniFile(const QString &path)
{
    IniFile ini;
    ini.path = path;
    QFile file(path);
    if (!file.exists())
        return ini;
    ini.exists = true;
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read ") % path % QStringLiteral(": ") % file.errorString()};
    IniSection *section = nullptr;
    bool afterKey = false;
    QByteArray content = file.readAll();
    if (content.startsWith("\xEF\xBB\xBF")) // a byte order mark, as Windows editors write
        content.remove(0, 3);
    const QList<QByteArray> lines = content.split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const bool indented = !raw.isEmpty() && (raw.front() == ' ' || raw.front() == '\t');
        if (line.startsWith(u'[') && line.endsWith(u']')) {
            section = &ini.sections[line.mid(1, line.size() - 2).trimmed()];
            afterKey = false;
            continue;
        }
        if (indented && afterKey)
            continue;
        qsizetype separator = line.indexOf(u'=');
        const qsizetype colon = line.indexOf(u':');
        if (separator < 0 || (colon >= 0 && colon < separator))
            separator = colon;
        if (!section || separator <= 0)
            continue;
        section->insert(line.left(separator).trimmed().toLower(), line.mid(separator + 1).trimmed());
        afterKey = true;
    }
    return ini;
}

// The config file's section for `profile`: [profile NAME] (the name may be quoted), or [default].
const IniSection *configProfile(const IniFile &config, const QString &profile)
{
    const IniSection *fallback = nullptr;
    for (auto it = config.sections.cbegin(); it != config.sections.cend(); ++it) {
        const QString &name = it.key();
        if (name == profile && profile == QLatin1String("default")) {
            fallback = &it.value();
            continue;
        }
        if (!name.startsWith(QLatin1String("profile")) || name.size() < 8 || !name.at(7).isSpace())
            continue;
        QString rest = name.mid(8).trimmed();
        if (rest.size() >= 2 && rest.startsWith(u'"') && rest.endsWith(u'"'))
            rest = rest.mid(1, rest.size() - 2);
        if (rest == profile)
            return &it.value();
    }
    return fallback;
}

const IniSection *credentialsProfile(const IniFile &credentials, const QString &profile)
{
    const auto it = credentials.sections.constFind(profile);
    return it == credentials.sections.cend() ? nullptr : &it.value();
}

QString expandHome(const QString &path, const QString &home)
{
    if (path == QLatin1String("~"))
        return home;
    if (path.startsWith(QLatin1String("~/")))
        return home % path.mid(1);
    return path;
}

// "~/.aws/credentials" rather than "/home/someone/.aws/credentials": shorter, and what the user knows.
QString displayPath(const QString &path, const QString &home)
{
    if (!home.isEmpty() && path.startsWith(home % u'/'))
        return u'~' % path.mid(home.size());
    return path;
}

QString quoted(const QString &text)
{
    return u'"' % text % u'"';
}

// Keys from one profile section, if it has them. nullopt: the section holds no keys at all; an error: half of
// a pair.
Result<std::optional<AwsCredentials>> keysFromSection(const IniSection &section, const QString &profile,
                                                      const QString &where)
{
    const QString id = section.value(QStringLiteral("aws_access_key_id"));
    const QString secret = section.value(QStringLiteral("aws_secret_access_key"));
    if (id.isEmpty() && secret.isEmpty())
        return std::optional<AwsCredentials>();
    if (id.isEmpty() || secret.isEmpty())
        return Error{QStringLiteral("AWS profile ") % quoted(profile) % QStringLiteral(" in ") % where %
                     QStringLiteral(" has ") %
                     (id.isEmpty() ? QStringLiteral("aws_secret_access_key but no aws_access_key_id")
                                   : QStringLiteral("aws_access_key_id but no aws_secret_access_key"))};
    AwsCredentials credentials;
    credentials.accessKeyId = id;
    credentials.secretAccessKey = secret;
    credentials.sessionToken = section.value(QStringLiteral("aws_session_token"));
    if (credentials.sessionToken.isEmpty())
        credentials.sessionToken = section.value(QStringLiteral("aws_security_token")); // the older name
    credentials.source = QStringLiteral("profile ") % quoted(profile) % QStringLiteral(" in ") % where;
    return std::optional<AwsCredentials>(std::move(credentials));
}

// A profile that gets its keys some way Peakwatch does not follow yet, named so the user knows what to change.
QString unsupportedSource(const IniSection &section)
{
    if (section.contains(QStringLiteral("role_arn")))
        return QStringLiteral("role_arn (assuming a role)");
    if (section.contains(QStringLiteral("sso_session")) || section.contains(QStringLiteral("sso_start_url")))
        return QStringLiteral("IAM Identity Center (SSO)");
    if (section.contains(QStringLiteral("credential_process")))
        return QStringLiteral("credential_process");
    if (section.contains(QStringLiteral("web_identity_token_file")))
        return QStringLiteral("web_identity_token_file");
    return {};
}

AwsCredentials registered(AwsCredentials credentials)
{
    registerSecret(credentials.secretAccessKey);
    registerSecret(credentials.sessionToken);
    return credentials;
}

} // namespace

AwsEnvironment AwsEnvironment::system()
{
    return {QProcessEnvironment::systemEnvironment(), QDir::homePath()};
}

QString awsCredentialsFilePath(const AwsEnvironment &environment)
{
    const QString set = environment.variables.value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    return set.isEmpty() ? environment.homeDirectory % QStringLiteral("/.aws/credentials")
                         : expandHome(set, environment.homeDirectory);
}

QString awsConfigFilePath(const AwsEnvironment &environment)
{
    const QString set = environment.variables.value(QStringLiteral("AWS_CONFIG_FILE"));
    return set.isEmpty() ? environment.homeDirectory % QStringLiteral("/.aws/config")
                         : expandHome(set, environment.homeDirectory);
}

QString awsProfileName(const AwsEnvironment &environment, const QString &explicitProfile)
{
    if (!explicitProfile.isEmpty())
        return explicitProfile;
    for (const auto *name : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
        const QString value = environment.variables.value(QLatin1String(name));
        if (!value.isEmpty())
            return value;
    }
    return QStringLiteral("default");
}

Result<AwsCredentials> resolveAwsCredentials(const AwsEnvironment &environment, const QString &explicitProfile,
                                             const std::optional<AwsCredentials> &known)
{
    if (known && !known->accessKeyId.isEmpty() && !known->secretAccessKey.isEmpty()) {
        AwsCredentials credentials = *known;
        if (credentials.source.isEmpty())
            credentials.source = QStringLiteral("the credentials given");
        return registered(std::move(credentials));
    }

    if (explicitProfile.isEmpty()) {
        const QString id = environment.variables.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
        const QString secret = environment.variables.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        if (!id.isEmpty() && !secret.isEmpty()) {
            AwsCredentials credentials;
            credentials.accessKeyId = id;
            credentials.secretAccessKey = secret;
            credentials.sessionToken = environment.variables.value(QStringLiteral("AWS_SESSION_TOKEN"));
            credentials.source = QStringLiteral("the environment");
            return registered(std::move(credentials));
        }
        if (!id.isEmpty() || !secret.isEmpty())
            return Error{id.isEmpty() ? QStringLiteral("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: "
                                                       "set both, or neither to use a profile")
                                      : QStringLiteral("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: "
                                                       "set both, or neither to use a profile")};
    }

    const QString profile = awsProfileName(environment, explicitProfile);
    const QString &home = environment.homeDirectory;
    auto credentialsFile = readIniFile(awsCredentialsFilePath(environment));
    if (!credentialsFile)
        return Error{credentialsFile.error()};
    auto configFile = readIniFile(awsConfigFilePath(environment));
    if (!configFile)
        return Error{configFile.error()};
    const QString credentialsWhere = displayPath(credentialsFile->path, home);
    const QString configWhere = displayPath(configFile->path, home);

    const IniSection *fromCredentials = credentialsProfile(*credentialsFile, profile);
    const IniSection *fromConfig = configProfile(*configFile, profile);
    if (fromCredentials) {
        auto keys = keysFromSection(*fromCredentials, profile, credentialsWhere);
        if (!keys)
            return Error{keys.error()};
        if (*keys)
            return registered(std::move(**keys));
    }
    if (fromConfig) {
        auto keys = keysFromSection(*fromConfig, profile, configWhere);
        if (!keys)
            return Error{keys.error()};
        if (*keys)
            return registered(std::move(**keys));
        const QString unsupported = unsupportedSource(*fromConfig);
        if (!unsupported.isEmpty())
            return Error{QStringLiteral("AWS profile ") % quoted(profile) % QStringLiteral(" in ") % configWhere %
                         QStringLiteral(" gets its keys through ") % unsupported %
                         QStringLiteral(", which Peakwatch cannot do yet: set AWS_ACCESS_KEY_ID and "
                                        "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), e.g. from "
                                        "`aws configure export-credentials --format env`")};
    }
    const bool named = profile != QLatin1String("default");
    if (named && !fromCredentials && !fromConfig)
        return Error{QStringLiteral("AWS profile ") % quoted(profile) % QStringLiteral(" not found: no [") % profile %
                     QStringLiteral("] section in ") % credentialsWhere % QStringLiteral(" and no [profile ") %
                     profile % QStringLiteral("] section in ") % configWhere};
    return Error{QStringLiteral("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile "
                                "in ") %
                 credentialsWhere % QStringLiteral(" (looked for profile ") % quoted(profile) % u')'};
}

Result<QString> resolveAwsRegion(const AwsEnvironment &environment, const QString &explicitProfile)
{
    for (const auto *name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        const QString value = environment.variables.value(QLatin1String(name)).trimmed();
        if (!value.isEmpty())
            return value;
    }
    const QString profile = awsProfileName(environment, explicitProfile);
    auto configFile = readIniFile(awsConfigFilePath(environment));
    if (!configFile)
        return Error{configFile.error()};
    if (const IniSection *section = configProfile(*configFile, profile)) {
        const QString region = section->value(QStringLiteral("region"));
        if (!region.isEmpty())
            return region;
    }
    return Error{QStringLiteral("no AWS region: set AWS_REGION or AWS_DEFAULT_REGION, or region in profile ") %
                 quoted(profile) % QStringLiteral(" of ") % displayPath(configFile->path, environment.homeDirectory)};
}

} // namespace peakwatch
