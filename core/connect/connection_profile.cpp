// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "connection_profile.h"

#include "msk_iam_config.h"

#include <QFileInfo>
#include <algorithm>
#include <QRegularExpression>
#include <QStringBuilder>

namespace peakwatch {
namespace {

// The settings keys, as the desktop wrote them before profiles had more than bootstrap, topic and properties.
const QString kName = QStringLiteral("name");
const QString kBootstrap = QStringLiteral("bootstrap_servers");
const QString kTopic = QStringLiteral("topic");
const QString kProperties = QStringLiteral("properties");
// Added with the security listener; a profile without kSecurity was saved before.
const QString kSecurity = QStringLiteral("security");
const QString kGroup = QStringLiteral("group");
const QString kCaBundle = QStringLiteral("ca_bundle");
const QString kSaslUsername = QStringLiteral("sasl_username");
const QString kAwsRegion = QStringLiteral("aws_region");
const QString kAwsProfile = QStringLiteral("aws_profile");

using Security = ConnectionProfile::Security;

QString settingsGroup(const QString &name)
{
    // Settings keys must not contain slashes: they would nest groups.
    return QStringLiteral("connections/") % QString(name).replace(u'/', u'_');
}

struct Listener {
    int port;
    Security security;
    bool publicAccess;
};

constexpr Listener kListeners[] = {
    {9092, Security::Plaintext, false}, {9094, Security::Tls, false}, {9096, Security::SaslScram, false},
    {9098, Security::Iam, false},       {9194, Security::Tls, true},  {9196, Security::SaslScram, true},
    {9198, Security::Iam, true},
};

// "host:port" of each bootstrap server; port -1 when there is none, -2 when it is not a number.
QList<QPair<QString, int>> servers(const QString &bootstrapServers)
{
    QList<QPair<QString, int>> out;
    for (QString server : bootstrapServers.split(u',', Qt::SkipEmptyParts)) {
        server = server.trimmed();
        if (server.isEmpty())
            continue;
        QString hostPort = server;
        if (const qsizetype scheme = hostPort.indexOf(QLatin1String("://")); scheme >= 0)
            hostPort = hostPort.mid(scheme + 3); // librdkafka takes PROTOCOL://host:port too
        qsizetype colon = -1;
        if (hostPort.startsWith(u'[')) { // [IPv6]:port
            const qsizetype close = hostPort.indexOf(u']');
            colon = close > 0 && close + 1 < hostPort.size() && hostPort[close + 1] == u':' ? close + 1 : -1;
        } else if (hostPort.count(u':') == 1) {
            colon = hostPort.indexOf(u':');
        }
        int port = -1;
        if (colon >= 0) {
            bool ok = false;
            port = hostPort.mid(colon + 1).toInt(&ok);
            if (!ok || port <= 0 || port > 65535 || colon == 0)
                port = -2;
        }
        out.append({server, port});
    }
    return out;
}

QByteArray protocolOf(Security security)
{
    switch (security) {
    case Security::Plaintext: return "PLAINTEXT";
    case Security::Tls: return "SSL";
    case Security::SaslScram:
    case Security::Iam: return "SASL_SSL";
    }
    return {};
}

QByteArray mechanismOf(Security security)
{
    switch (security) {
    case Security::SaslScram: return "SCRAM-SHA-512";
    case Security::Iam: return "OAUTHBEARER";
    default: return {};
    }
}

bool isAwsRegion(const QString &region)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]{2}(-[a-z]+)+-[0-9]+$"));
    return pattern.match(region).hasMatch();
}

} // namespace

ProfileSettings::ProfileSettings()
    : QSettings(QSettings::defaultFormat(), QSettings::UserScope, QStringLiteral("Peakwatch"),
                QStringLiteral("peakwatch"))
{}

QString ConnectionProfile::securityName(Security security)
{
    switch (security) {
    case Security::Plaintext: return QStringLiteral("Plaintext");
    case Security::Tls: return QStringLiteral("TLS");
    case Security::SaslScram: return QStringLiteral("SASL/SCRAM");
    case Security::Iam: return QStringLiteral("IAM");
    }
    return {};
}

QString ConnectionProfile::securityDescription(Security security)
{
    QString what;
    switch (security) {
    case Security::Plaintext: what = QStringLiteral("Plaintext, unencrypted"); break;
    case Security::Tls: what = QStringLiteral("TLS"); break;
    case Security::SaslScram: what = QStringLiteral("SASL/SCRAM-SHA-512 over TLS"); break;
    case Security::Iam: what = QStringLiteral("IAM: SASL/OAUTHBEARER over TLS"); break;
    }
    const int publicPort = mskPort(security, true);
    return what % QStringLiteral(", port ") % QString::number(mskPort(security)) %
           (publicPort ? QStringLiteral(" (public access ") % QString::number(publicPort) % u')' : QString());
}

int ConnectionProfile::mskPort(Security security, bool publicAccess)
{
    for (const Listener &listener : kListeners)
        if (listener.security == security && listener.publicAccess == publicAccess)
            return listener.port;
    return 0;
}

QString ConnectionProfile::securityKey(Security security)
{
    switch (security) {
    case Security::Plaintext: return QStringLiteral("plaintext");
    case Security::Tls: return QStringLiteral("tls");
    case Security::SaslScram: return QStringLiteral("sasl_scram");
    case Security::Iam: return QStringLiteral("iam");
    }
    return {};
}

std::optional<ConnectionProfile::Security> ConnectionProfile::securityFromKey(const QString &key)
{
    for (Security security : kSecurities)
        if (securityKey(security) == key)
            return security;
    return std::nullopt;
}

std::optional<ConnectionProfile::Security> ConnectionProfile::securityOf(const QByteArray &protocol,
                                                                         const QByteArray &mechanism)
{
    const QByteArray p = protocol.trimmed().toUpper();
    const QByteArray m = mechanism.trimmed().toUpper();
    if (p.isEmpty() || p == "PLAINTEXT") // the default of librdkafka and Java; a mechanism is then unused
        return Security::Plaintext;
    if (p == "SSL")
        return Security::Tls;
    if (p != "SASL_SSL")
        return std::nullopt; // SASL_PLAINTEXT: MSK signs in over TLS only
    if (m.startsWith("SCRAM-SHA-"))
        return Security::SaslScram;
    if (m == "OAUTHBEARER" || m == "AWS_MSK_IAM")
        return Security::Iam;
    return std::nullopt; // GSSAPI (the default), PLAIN
}

QString ConnectionProfile::regionOfBootstrap(const QString &bootstrapServers)
{
    static const QRegularExpression msk(
        QStringLiteral("\\.kafka(?:-serverless)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?$"));
    for (const auto &[server, port] : servers(bootstrapServers)) {
        QString host = server.section(QLatin1String("://"), -1);
        if (port != -1)
            host = host.left(host.lastIndexOf(u':'));
        if (const auto match = msk.match(host.toLower()); match.hasMatch())
            return match.captured(1);
    }
    return {};
}

KafkaProperties ConnectionProfile::kafkaProperties() const
{
    KafkaProperties out{{"security.protocol", protocolOf(security)}};
    if (const QByteArray mechanism = mechanismOf(security); !mechanism.isEmpty())
        out.append({"sasl.mechanisms", mechanism});
    if (security == Security::SaslScram && !saslUsername.isEmpty())
        out.append({"sasl.username", saslUsername.toUtf8()});
    // IAM: sasl.oauthbearer.config names the region and AWS profile; makeKafkaConf() sees it and sets the token
    // refresh callback that signs MSK's token (msk_iam_auth.h).
    if (security == Security::Iam)
        out.append({"sasl.oauthbearer.config", mskIamOauthbearerConfig(awsRegion, awsProfile)});
    if (usesTls() && !caBundle.isEmpty())
        out.append({"ssl.ca.location", caBundle.toUtf8()});
    return out + properties;
}

bool isKafkaTopicName(const QString &topic)
{
    static const QRegularExpression legal(QStringLiteral("^[A-Za-z0-9._-]{1,249}$"));
    return legal.match(topic).hasMatch() && topic != QLatin1StringView(".") && topic != QLatin1StringView("..");
}

QStringList ConnectionProfile::problems() const
{
    QStringList out;
    if (name.trimmed().isEmpty())
        out << QStringLiteral("the connection needs a name");
    if (bootstrapServers.trimmed().isEmpty())
        out << QStringLiteral("the connection needs bootstrap servers (host:port, comma-separated)");
    if (topic.trimmed().isEmpty())
        out << QStringLiteral("the connection needs the topic its Shopify webhooks arrive on (or several, "
                              "comma-separated)");
    else if (std::ranges::any_of(topic.split(u','), [](const QString &piece) { return piece.trimmed().isEmpty(); }))
        out << QStringLiteral("the topics \"%1\" name an empty one").arg(topic);
    for (const QString &piece : topic.split(u',', Qt::SkipEmptyParts)) {
        const QString trimmed = piece.trimmed();
        if (!trimmed.isEmpty() && !isKafkaTopicName(trimmed))
            out << QStringLiteral("\"%1\" is not a Kafka topic name (letters, digits, '.', '_' and '-', at most "
                                  "249)")
                       .arg(trimmed);
    }

    for (const auto &[server, port] : servers(bootstrapServers)) {
        if (port == -2) {
            out << QStringLiteral("bootstrap server \"%1\" is not host:port").arg(server);
            continue;
        }
        for (const Listener &listener : kListeners) {
            if (listener.port != port || listener.security == security)
                continue;
            const QString listenerName = listener.security == Security::Plaintext ? QStringLiteral("plaintext")
                                                                                  : securityName(listener.security);
            const QString message =
                QStringLiteral("port %1 is MSK's %2%3 listener: choose %4")
                    .arg(QString::number(port), listener.publicAccess ? QStringLiteral("public-access ") : QString(),
                         listenerName, securityName(listener.security));
            if (!out.contains(message))
                out << message;
        }
    }

    const QString bootstrapRegion = regionOfBootstrap(bootstrapServers);
    switch (security) {
    case Security::Plaintext:
    case Security::Tls: break;
    case Security::SaslScram:
        if (saslUsername.trimmed().isEmpty())
            out << QStringLiteral("SASL/SCRAM needs the user name (its password is kept apart, as a secret)");
        break;
    case Security::Iam:
        if (awsRegion.trimmed().isEmpty())
            out << (bootstrapRegion.isEmpty()
                        ? QStringLiteral("IAM needs the AWS region of the cluster, such as us-east-1")
                        : QStringLiteral("IAM needs the AWS region of the cluster: the bootstrap servers are in %1")
                              .arg(bootstrapRegion));
        else if (!isAwsRegion(awsRegion))
            out << QStringLiteral("\"%1\" is not an AWS region (such as us-east-1)").arg(awsRegion);
        else if (!bootstrapRegion.isEmpty() && bootstrapRegion != awsRegion)
            out << QStringLiteral("the bootstrap servers are in %1, not in %2 (the AWS region given)")
                       .arg(bootstrapRegion, awsRegion);
        break;
    }

    if (usesTls() && !caBundle.isEmpty()) {
        if (caBundle.endsWith(QLatin1String(".jks"), Qt::CaseInsensitive))
            out << QStringLiteral("%1 is a Java (JKS) truststore, which librdkafka cannot read: give a PEM CA bundle, "
                                  "or none: MSK's certificates are publicly trusted, so the system's CA store works")
                       .arg(caBundle);
        else if (!QFileInfo(caBundle).isFile())
            out << QStringLiteral("the CA bundle %1 does not exist").arg(caBundle);
    }

    // Extra properties that say otherwise than a field.
    const auto field = [this](const QByteArray &key) -> std::optional<QPair<QString, QByteArray>> {
        if (key == "security.protocol")
            return std::pair{QStringLiteral("security listener (%1)").arg(securityName(security)),
                             protocolOf(security)};
        if (key == "sasl.mechanism" || key == "sasl.mechanisms")
            return std::pair{QStringLiteral("security listener (%1)").arg(securityName(security)),
                             mechanismOf(security)};
        if (key == "sasl.username")
            return std::pair{QStringLiteral("SASL/SCRAM user name"),
                             security == Security::SaslScram ? saslUsername.toUtf8() : QByteArray()};
        if (key == "ssl.ca.location")
            return std::pair{QStringLiteral("CA bundle"), usesTls() ? caBundle.toUtf8() : QByteArray()};
        if (key == "bootstrap.servers" || key == "metadata.broker.list")
            return std::pair{QStringLiteral("bootstrap servers"), bootstrapServers.toUtf8()};
        if (key == "group.id")
            return std::pair{QStringLiteral("consumer group"), group.toUtf8()};
        return std::nullopt;
    };
    for (const auto &[key, value] : properties) {
        const auto owner = field(key);
        if (owner && value.compare(owner->second, Qt::CaseInsensitive) != 0)
            out << QStringLiteral("%1=%2 in the extra properties overrides the %3: remove it")
                       .arg(QString::fromUtf8(key), QString::fromUtf8(value), owner->first);
    }
    return out;
}

QString ConnectionProfile::problem() const
{
    const QStringList all = problems();
    return all.isEmpty() ? QString() : all.first();
}

Result<KafkaProperties> ConnectionProfile::parseProperties(const QString &text)
{
    KafkaProperties out;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            return Error{QStringLiteral("line %1: \"%2\" is not key=value").arg(i + 1).arg(line)};
        out.append({line.left(eq).trimmed().toUtf8(), line.mid(eq + 1).trimmed().toUtf8()});
    }
    return out;
}

QString ConnectionProfile::propertiesText() const
{
    QString out;
    for (const auto &[key, value] : properties)
        out += QString::fromUtf8(key) % u'=' % QString::fromUtf8(value) % u'\n';
    return out;
}

bool ConnectionProfile::isSecret(const QByteArray &key)
{
    const QByteArray k = key.toLower();
    return isSecretKafkaProperty(k) || k.contains("token") || k.endsWith(".key.pem");
}

ConnectionProfile::Adopted ConnectionProfile::adoptProperties()
{
    Adopted out;
    KafkaProperties rest;
    std::optional<QByteArray> protocol, mechanism;
    for (const auto &[key, value] : std::as_const(properties)) {
        if (key == "bootstrap.servers" || key == "metadata.broker.list")
            bootstrapServers = QString::fromUtf8(value);
        else if (key == "group.id")
            group = QString::fromUtf8(value);
        else if (key == "security.protocol")
            protocol = value;
        else if (key == "sasl.mechanism" || key == "sasl.mechanisms")
            mechanism = value;
        else if (key == "sasl.username")
            saslUsername = QString::fromUtf8(value);
        else if (key == "sasl.password")
            out.password = QString::fromUtf8(value);
        else if (key == "ssl.ca.location")
            caBundle = QString::fromUtf8(value);
        else if (key == "sasl.oauthbearer.config" && value.startsWith("aws_region=")) // as kafkaProperties() makes it
            for (const QByteArray &part : value.split(' ')) {
                if (part.startsWith("aws_region="))
                    awsRegion = QString::fromUtf8(part.mid(11));
                else if (part.startsWith("aws_profile="))
                    awsProfile = QString::fromUtf8(part.mid(12));
            }
        else
            rest.append({key, value});
    }
    if (protocol || mechanism) {
        // What is not given stays as the profile has it.
        const QByteArray p = protocol.value_or(protocolOf(security)), m = mechanism.value_or(mechanismOf(security));
        if (const auto adopted = securityOf(p, m)) {
            security = *adopted;
            if (security == Security::SaslScram && m.toUpper() != "SCRAM-SHA-512")
                out.notes << QStringLiteral("sasl.mechanisms=%1: MSK's SASL/SCRAM listener takes SCRAM-SHA-512, "
                                            "which the profile uses")
                                 .arg(QString::fromUtf8(m));
        } else {
            KafkaProperties kept;
            if (protocol)
                kept.append({"security.protocol", p});
            if (mechanism)
                kept.append({"sasl.mechanisms", m});
            rest = kept + rest;
            out.notes << QStringLiteral("security.protocol=%1%2 is not one of MSK's listeners: kept as an extra "
                                        "property")
                             .arg(QString::fromUtf8(p.isEmpty() ? QByteArray("PLAINTEXT") : p),
                                  m.isEmpty() ? QString()
                                              : QStringLiteral(" with sasl.mechanisms=") % QString::fromUtf8(m));
        }
    }
    properties = rest;
    return out;
}

QList<ConnectionProfile> ConnectionProfile::loadAll(QSettings &settings)
{
    QList<ConnectionProfile> out;
    settings.beginGroup(QStringLiteral("connections"));
    const QStringList names = settings.childGroups();
    settings.endGroup();
    for (const QString &key : names) {
        settings.beginGroup(QStringLiteral("connections/") % key);
        ConnectionProfile p;
        p.name = settings.value(kName, key).toString();
        p.bootstrapServers = settings.value(kBootstrap).toString();
        p.topic = settings.value(kTopic, QStringLiteral("products")).toString();
        if (auto properties = parseProperties(settings.value(kProperties).toString()))
            p.properties = *properties;
        const bool saved = settings.contains(kSecurity);
        p.security = securityFromKey(settings.value(kSecurity).toString()).value_or(Security::Plaintext);
        p.group = settings.value(kGroup).toString();
        p.caBundle = settings.value(kCaBundle).toString();
        p.saslUsername = settings.value(kSaslUsername).toString();
        p.awsRegion = settings.value(kAwsRegion).toString();
        p.awsProfile = settings.value(kAwsProfile).toString();
        settings.endGroup();
        if (!saved) // saved before profiles had fields: security.protocol and the like were properties
            p.adoptProperties();
        out.append(p);
    }
    return out;
}

std::optional<ConnectionProfile> ConnectionProfile::load(QSettings &settings, const QString &name)
{
    for (const ConnectionProfile &p : loadAll(settings))
        if (p.name == name)
            return p;
    return std::nullopt;
}

QStringList ConnectionProfile::save(QSettings &settings) const
{
    QStringList leftOut;
    ConnectionProfile stored = *this;
    stored.properties.clear();
    for (const auto &property : properties) {
        if (isSecret(property.first))
            leftOut.append(QString::fromUtf8(property.first));
        else
            stored.properties.append(property);
    }
    settings.remove(settingsGroup(name));
    settings.beginGroup(settingsGroup(name));
    settings.setValue(kName, name);
    settings.setValue(kBootstrap, bootstrapServers);
    settings.setValue(kTopic, topic);
    settings.setValue(kProperties, stored.propertiesText());
    settings.setValue(kSecurity, securityKey(security));
    const auto optional = [&settings](const QString &key, const QString &value) {
        if (!value.isEmpty())
            settings.setValue(key, value);
    };
    optional(kGroup, group);
    optional(kCaBundle, caBundle);
    optional(kSaslUsername, saslUsername);
    optional(kAwsRegion, awsRegion);
    optional(kAwsProfile, awsProfile);
    settings.endGroup();
    return leftOut;
}

void ConnectionProfile::remove(QSettings &settings, const QString &name)
{
    settings.remove(settingsGroup(name));
}

QString kafkaPasswordKey(const QString &profile)
{
    return QStringLiteral("kafka-password/") % profile;
}

QString awsKeysKey(const QString &profile)
{
    return QStringLiteral("aws-keys/") % profile;
}

QString awsKeysSecret(const QString &accessKeyId, const QString &secretAccessKey)
{
    return accessKeyId.trimmed() % u'\n' % secretAccessKey.trimmed();
}

std::optional<QPair<QString, QString>> awsKeysOfSecret(const QString &secret)
{
    const QStringList parts = secret.split(u'\n');
    if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty())
        return std::nullopt;
    return QPair<QString, QString>{parts[0], parts[1]};
}

} // namespace peakwatch
