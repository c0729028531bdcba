// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "client_properties.h"

#include "msk_iam_config.h"
#include "redaction.h"

#include <librdkafka/rdkafka.h>

#include <QRegularExpression>
#include <QSet>
#include <QStringBuilder>

#include <algorithm>
#include <utility>

namespace peakwatch {
namespace {

using Security = ConnectionProfile::Security;

// ---- Java's .properties format (java.util.Properties.load) ----

struct JavaProperty {
    int line; // of the key, from 1
    QString key;
    QString value;
};

bool isJavaSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\f';
}

QString unescapeJava(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c != u'\\' || i + 1 == text.size()) {
            out += c;
            continue;
        }
        const QChar next = text[++i];
        switch (next.unicode()) {
        case 't': out += u'\t'; break;
        case 'n': out += u'\n'; break;
        case 'r': out += u'\r'; break;
        case 'f': out += u'\f'; break;
        case 'u': {
            bool ok = false;
            const ushort code = text.mid(i + 1, 4).toUShort(&ok, 16);
            if (ok && i + 4 < text.size()) {
                out += QChar(code);
                i += 4;
            } else {
                out += next;
            }
            break;
        }
        default: out += next;
        }
    }
    return out;
}

QList<JavaProperty> parseJavaProperties(const QString &text)
{
    QList<JavaProperty> out;
    const QStringList lines = text.split(u'\n');
    const auto stripped = [&lines](int i) {
        QStringView line(lines[i]);
        if (line.endsWith(u'\r'))
            line.chop(1);
        qsizetype start = 0;
        while (start < line.size() && isJavaSpace(line[start]))
            ++start;
        return line.mid(start);
    };
    for (int i = 0; i < lines.size(); ++i) {
        QStringView line = stripped(i);
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u'!'))
            continue;
        const int first = i + 1;
        QString logical;
        for (;;) { // a line ending in an odd number of backslashes goes on on the next one
            qsizetype backslashes = 0;
            while (backslashes < line.size() && line[line.size() - 1 - backslashes] == u'\\')
                ++backslashes;
            if (backslashes % 2 == 0 || i + 1 == lines.size()) {
                logical += line;
                break;
            }
            logical += line.chopped(1);
            line = stripped(++i);
        }
        qsizetype end = 0;
        while (end < logical.size() && logical[end] != u'=' && logical[end] != u':' && !isJavaSpace(logical[end]))
            end += logical[end] == u'\\' ? 2 : 1;
        end = std::min(end, logical.size());
        qsizetype value = end;
        while (value < logical.size() && isJavaSpace(logical[value]))
            ++value;
        if (value < logical.size() && (logical[value] == u'=' || logical[value] == u':'))
            ++value;
        while (value < logical.size() && isJavaSpace(logical[value]))
            ++value;
        out.append(
            {first, unescapeJava(QStringView(logical).left(end)), unescapeJava(QStringView(logical).mid(value))});
    }
    return out;
}

QString escapeJava(const QString &text, bool key = false)
{
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else if (c == u'\t')
            out += QStringLiteral("\\t");
        else if ((key || i == 0) && (c == u' ' || ((c == u'=' || c == u':') && key)))
            out += u'\\' % c;
        else if (c.unicode() > 0x7e || c.unicode() < 0x20) // Java reads .properties as ISO-8859-1
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// ---- JAAS, as in sasl.jaas.config: "Module required key="value" key=value;" ----

struct Jaas {
    QString module; // the class, as given
    QList<QPair<QString, QString>> options;
};

Jaas parseJaas(const QString &text)
{
    Jaas out;
    qsizetype i = 0;
    const auto skipSpace = [&] {
        while (i < text.size() && text[i].isSpace())
            ++i;
    };
    const auto word = [&] {
        const qsizetype start = i;
        while (i < text.size() && !text[i].isSpace() && text[i] != u';' && text[i] != u'=')
            ++i;
        return text.mid(start, i - start);
    };
    skipSpace();
    out.module = word();
    skipSpace();
    word(); // the control flag: required, requisite, sufficient or optional
    for (;;) {
        skipSpace();
        if (i >= text.size() || text[i] == u';')
            break;
        const QString key = word();
        skipSpace();
        if (i >= text.size() || text[i] != u'=') {
            if (key.isEmpty())
                ++i;
            continue;
        }
        ++i;
        skipSpace();
        QString value;
        if (i < text.size() && text[i] == u'"') {
            for (++i; i < text.size() && text[i] != u'"'; ++i) {
                if (text[i] == u'\\' && i + 1 < text.size())
                    ++i;
                value += text[i];
            }
            ++i;
        } else {
            value = word();
        }
        out.options.append({key, value});
    }
    return out;
}

QString quoteJaas(const QString &value)
{
    QString out = value;
    out.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return u'"' % out % u'"';
}

// ---- librdkafka's view of a property ----

enum class Verdict { Taken, Unknown, Invalid };

Verdict librdkafkaVerdict(const QByteArray &key, const QByteArray &value, QString &why)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char errstr[512] = {};
    const rd_kafka_conf_res_t result =
        rd_kafka_conf_set(conf, key.constData(), value.constData(), errstr, sizeof errstr);
    rd_kafka_conf_destroy(conf);
    why = QString::fromUtf8(errstr);
    return result == RD_KAFKA_CONF_OK        ? Verdict::Taken
           : result == RD_KAFKA_CONF_UNKNOWN ? Verdict::Unknown
                                             : Verdict::Invalid;
}

// Properties that librdkafka would act on while importing or that load code: never imported.
bool isNeverImported(const QByteArray &key)
{
    return key == "plugin.library.paths" || key.startsWith("ssl.engine") || key == "ssl_engine_location";
}

bool isJavaClass(const QString &value)
{
    static const QRegularExpression javaClass(QStringLiteral("^([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*$"));
    return javaClass.match(value.trimmed()).hasMatch();
}

bool isJavaOnly(const QByteArray &key, const QString &value)
{
    static const QSet<QByteArray> keys = {
        "key.deserializer",
        "value.deserializer",
        "key.serializer",
        "value.serializer",
        "sasl.login.class",
        "sasl.login.callback.handler.class",
        "sasl.client.callback.handler.class",
        "ssl.protocol",
        "ssl.enabled.protocols",
        "ssl.provider",
        "ssl.trustmanager.algorithm",
        "ssl.keymanager.algorithm",
        "ssl.secure.random.implementation",
        "ssl.engine.factory.class",
        "interceptor.classes",
        "metric.reporters",
        "metrics.recording.level",
        "metrics.num.samples",
        "metrics.sample.window.ms",
        "auto.include.jmx.reporter",
        "max.poll.records",
        "default.api.timeout.ms",
        "exclude.internal.topics",
        "security.providers",
        "send.buffer.bytes",
        "receive.buffer.bytes",
        "buffer.memory",
        "max.block.ms",
        "fetch.max.wait.ms",
        "sasl.login.refresh.window.factor",
        "sasl.login.refresh.window.jitter",
        "sasl.login.refresh.min.period.seconds",
        "sasl.login.refresh.buffer.seconds",
    };
    return keys.contains(key) || isJavaClass(value);
}

// Keeps an extra property librdkafka takes; anything else is noted or listed as unknown.
void keepExtra(ProfileImport &out, const QString &at, const QByteArray &key, const QString &value, bool fromJava)
{
    QString shownValue = shownKafkaPropertyValue(key, value);
    // A value that holds a password under a key not known to hold one (a JAAS line under a misspelt key, say) is not
    // shown either.
    if (shownValue == value && value.contains(QLatin1String("password"), Qt::CaseInsensitive))
        shownValue = QStringLiteral("(not shown: it holds a password)");
    const QString shown = QString::fromUtf8(key) % u'=' % shownValue;
    if (isNeverImported(key)) {
        out.notes << at % QString::fromUtf8(key) %
                         QStringLiteral(" is not imported: librdkafka would load code "
                                        "from it; set it by hand if you mean it");
        return;
    }
    if (ConnectionProfile::isSecret(key)) {
        out.notes << at % QString::fromUtf8(key) %
                         QStringLiteral(" holds a secret: not imported (profiles keep no secrets)");
        return;
    }
    if (fromJava && isJavaOnly(key, value)) { // partition.assignment.strategy=org.apache.kafka...RangeAssignor too
        out.notes << at % QString::fromUtf8(key) % QStringLiteral(" is for Java clients only: skipped");
        return;
    }
    QString why;
    switch (librdkafkaVerdict(key, value.toUtf8(), why)) {
    case Verdict::Taken: {
        KafkaProperties &properties = out.profile.properties; // one of a key: the last given
        const auto same = std::find_if(properties.begin(), properties.end(),
                                       [&key](const auto &property) { return property.first == key; });
        if (same != properties.end())
            same->second = value.toUtf8();
        else
            properties.append({key, value.toUtf8()});
        return;
    }
    case Verdict::Invalid:
        out.notes << at % shown % QStringLiteral(": librdkafka does not take it (") % why %
                         QStringLiteral("): skipped");
        return;
    case Verdict::Unknown: out.unknown << at % shown; return;
    }
}

void takeRegionOfBootstrap(ProfileImport &out)
{
    ConnectionProfile &p = out.profile;
    if (p.security != Security::Iam || !p.awsRegion.isEmpty())
        return;
    p.awsRegion = ConnectionProfile::regionOfBootstrap(p.bootstrapServers);
    if (!p.awsRegion.isEmpty())
        out.notes << QStringLiteral("AWS region %1: from the bootstrap servers' host names").arg(p.awsRegion);
}

QString commaList(const QString &servers)
{
    QStringList parts = servers.split(u',', Qt::SkipEmptyParts);
    for (QString &part : parts)
        part = part.trimmed();
    parts.removeAll(QString());
    return parts.join(u',');
}

// What the profile leaves out of an export, in words, one a line.
QStringList leftOut(const ConnectionProfile &p)
{
    QStringList out;
    for (const auto &[key, value] : p.properties)
        if (ConnectionProfile::isSecret(key))
            out << QString::fromUtf8(key);
    return out;
}

QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:,=@%+-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    return u'\'' % QString(word).replace(u'\'', QStringLiteral("'\\''")) % u'\'';
}

} // namespace

ProfileImport importClientProperties(const QString &text, const ConnectionProfile &base)
{
    ProfileImport out;
    out.profile = base;
    ConnectionProfile &p = out.profile;
    std::optional<QString> protocol, mechanism;
    int protocolLine = 0, mechanismLine = 0;
    bool iamHandler = false, clientCertificate = false;
    QString jaasModule, truststore, truststoreType;
    int truststoreLine = 0;

    for (const JavaProperty &property : parseJavaProperties(text)) {
        const QString at = QStringLiteral("line %1: ").arg(property.line);
        const QByteArray key = property.key.toUtf8();
        const QString value = property.value.trimmed();
        if (key == "bootstrap.servers") {
            p.bootstrapServers = commaList(value);
        } else if (key == "security.protocol") {
            protocol = value;
            protocolLine = property.line;
        } else if (key == "sasl.mechanism" || key == "sasl.mechanisms") {
            mechanism = value;
            mechanismLine = property.line;
        } else if (key == "sasl.jaas.config") {
            const Jaas jaas = parseJaas(value);
            jaasModule = jaas.module.section(u'.', -1);
            if (jaasModule == QLatin1String("ScramLoginModule") || jaasModule == QLatin1String("IAMLoginModule") ||
                jaasModule == QLatin1String("OAuthBearerLoginModule")) {
                for (const auto &[option, optionValue] : jaas.options) {
                    if (jaasModule == QLatin1String("ScramLoginModule") && option == QLatin1String("username")) {
                        p.saslUsername = optionValue;
                    } else if (jaasModule == QLatin1String("ScramLoginModule") && option == QLatin1String("password")) {
                        out.password = optionValue;
                    } else if (jaasModule == QLatin1String("IAMLoginModule") &&
                               option == QLatin1String("awsProfileName")) {
                        p.awsProfile = optionValue;
                    } else if (option == QLatin1String("awsRoleArn")) {
                        out.notes << at % QStringLiteral("awsRoleArn is not imported: give an AWS profile that assumes "
                                                         "the role instead (role_arn and source_profile in "
                                                         "~/.aws/config)");
                    } else {
                        out.notes << at % QStringLiteral("sasl.jaas.config option %1 is for Java clients only: skipped")
                                              .arg(option);
                    }
                }
            } else {
                out.notes << at % QStringLiteral("sasl.jaas.config with %1 is not a sign-in MSK offers: skipped")
                                      .arg(jaasModule.isEmpty() ? QStringLiteral("no login module") : jaasModule);
            }
        } else if (key == "sasl.client.callback.handler.class" || key == "sasl.login.callback.handler.class") {
            if (value.startsWith(QLatin1String("software.amazon.msk.auth.iam.")))
                iamHandler = true;
            else
                out.notes << at % property.key % QStringLiteral(" is for Java clients only: skipped");
        } else if (key == "ssl.truststore.location") {
            truststore = value;
            truststoreLine = property.line;
        } else if (key == "ssl.truststore.type") {
            truststoreType = value.toUpper();
        } else if (key == "ssl.truststore.password") {
            out.notes << at % QStringLiteral("ssl.truststore.password is only needed for a Java truststore: skipped");
        } else if (key.startsWith("ssl.keystore.") || key == "ssl.key.password") {
            if (!clientCertificate)
                out.notes << at % QStringLiteral("the client certificate (%1) is not imported: librdkafka takes PEM "
                                                 "files; add ssl.certificate.location and ssl.key.location as extra "
                                                 "properties (and the key's password when connecting)")
                                      .arg(property.key);
            clientCertificate = true;
        } else if (key == "group.id") {
            p.group = value;
        } else if (key == "sasl.username") { // librdkafka's names, in a Java file
            p.saslUsername = value;
        } else if (key == "sasl.password") {
            out.password = property.value;
        } else if (key == "ssl.ca.location") {
            p.caBundle = value;
        } else if (key == "ssl.endpoint.identification.algorithm" && value.isEmpty()) {
            p.properties.append({key, "none"});
            out.notes << at % QStringLiteral("ssl.endpoint.identification.algorithm is empty: host names are not "
                                             "checked (none, in librdkafka's words)");
        } else {
            keepExtra(out, at, key, value, true);
        }
    }

    const bool saslGiven = mechanism || !jaasModule.isEmpty() || iamHandler;
    if (protocol || saslGiven) {
        const QString protocolAt = QStringLiteral("line %1: ").arg(protocolLine);
        const QString proto = protocol.value_or(QString()).toUpper();
        QString mech = mechanism.value_or(QString()).toUpper();
        if (!protocol) {
            out.notes << QStringLiteral("security.protocol is missing, so Java clients connect in plaintext and do not "
                                        "sign in: so does the profile");
        } else if (proto == QLatin1String("SASL_SSL") && !mechanism) {
            if (jaasModule == QLatin1String("ScramLoginModule"))
                mech = QStringLiteral("SCRAM-SHA-512");
            else if (jaasModule == QLatin1String("IAMLoginModule") || iamHandler)
                mech = QStringLiteral("AWS_MSK_IAM");
            if (!mech.isEmpty())
                out.notes << QStringLiteral("sasl.mechanism is missing (Java's default is GSSAPI): taken as %1, "
                                            "from sasl.jaas.config")
                                 .arg(mech);
        }
        const auto security = ConnectionProfile::securityOf(proto.toUtf8(), protocol ? mech.toUtf8() : QByteArray());
        const QString mechanismAt = QStringLiteral("line %1: ").arg(mechanismLine);
        if (security) {
            p.security = *security;
            if (p.security == Security::SaslScram && mech != QLatin1String("SCRAM-SHA-512"))
                out.notes << mechanismAt % QStringLiteral("sasl.mechanism=%1: MSK's SASL/SCRAM listener takes "
                                                          "SCRAM-SHA-512, which the profile uses")
                                               .arg(mech);
            if (p.security == Security::Iam && mech == QLatin1String("OAUTHBEARER") && !iamHandler)
                out.notes << mechanismAt % QStringLiteral("sasl.mechanism=OAUTHBEARER without MSK's IAM callback "
                                                          "handler: taken as MSK's IAM sign-in");
            if (p.security == Security::SaslScram && jaasModule != QLatin1String("ScramLoginModule") &&
                p.saslUsername.isEmpty())
                out.notes << QStringLiteral("SASL/SCRAM without a ScramLoginModule in sasl.jaas.config: the user "
                                            "name is missing");
        } else if (proto == QLatin1String("SASL_PLAINTEXT")) {
            out.notes << protocolAt % QStringLiteral("security.protocol=SASL_PLAINTEXT is not one of MSK's listeners "
                                                     "(MSK signs in over TLS only): not imported");
        } else if (proto == QLatin1String("SASL_SSL")) {
            p.security = Security::Tls;
            out.notes << mechanismAt % QStringLiteral("sasl.mechanism=%1 is not a sign-in MSK offers: the profile "
                                                      "uses TLS without signing in")
                                           .arg(mech.isEmpty() ? QStringLiteral("GSSAPI (the default)") : mech);
        } else {
            out.unknown << protocolAt % QStringLiteral("security.protocol=") % protocol.value_or(QString());
        }
    }

    if (!truststore.isEmpty()) {
        const QString at = QStringLiteral("line %1: ").arg(truststoreLine);
        const bool pem = truststoreType == QLatin1String("PEM") ||
                         (truststoreType.isEmpty() && QRegularExpression(QStringLiteral("\\.(pem|crt|cer)$"),
                                                                         QRegularExpression::CaseInsensitiveOption)
                                                          .match(truststore)
                                                          .hasMatch());
        if (pem)
            p.caBundle = truststore;
        else
            out.notes << at % QStringLiteral("ssl.truststore.location=%1 is a Java truststore (%2), which librdkafka "
                                             "cannot read: not imported. MSK's certificates are publicly trusted, so "
                                             "the system's CA store works (leave the CA bundle empty); for a private "
                                             "CA, give its PEM bundle (keytool -list -rfc -keystore %1 prints it)")
                                  .arg(truststore, truststoreType.isEmpty() ? QStringLiteral("JKS") : truststoreType);
    }
    takeRegionOfBootstrap(out);
    if (!out.password.isEmpty())
        registerSecret(out.password);
    return out;
}

Result<ProfileImport> importKafkaOptions(const QStringList &options, const ConnectionProfile &base)
{
    ProfileImport out;
    out.profile = base;
    KafkaProperties given;
    for (const QString &option : options) {
        auto property = parseKafkaProperty(option);
        if (!property)
            return Error{property.error()};
        given.append(*property);
    }
    ConnectionProfile &p = out.profile;
    const KafkaProperties kept = p.properties;
    p.properties = given;
    ConnectionProfile::Adopted adopted = p.adoptProperties();
    out.password = adopted.password;
    out.notes = adopted.notes;
    const KafkaProperties extras = p.properties;
    p.properties = kept;
    for (const auto &[key, value] : extras) {
        if (key == "security.protocol" || key == "sasl.mechanisms") // not an MSK listener: noted, kept as given
            p.properties.append({key, value});
        else
            keepExtra(out, QString(), key, QString::fromUtf8(value), false);
    }
    takeRegionOfBootstrap(out);
    if (!out.password.isEmpty())
        registerSecret(out.password);
    return out;
}

QString exportClientProperties(const ConnectionProfile &p)
{
    QString out = QStringLiteral("# Peakwatch connection \"%1\" as a Java client.properties (kafka-console-consumer.sh "
                                 "--consumer.config FILE).\n# Its topic: %2\n")
                      .arg(p.name, p.topic);
    const auto line = [&out](const QString &key, const QString &value) {
        out += escapeJava(key, true) % u'=' % escapeJava(value) % u'\n';
    };
    if (!p.bootstrapServers.isEmpty())
        line(QStringLiteral("bootstrap.servers"), p.bootstrapServers);
    switch (p.security) {
    case Security::Plaintext: line(QStringLiteral("security.protocol"), QStringLiteral("PLAINTEXT")); break;
    case Security::Tls: line(QStringLiteral("security.protocol"), QStringLiteral("SSL")); break;
    case Security::SaslScram:
        line(QStringLiteral("security.protocol"), QStringLiteral("SASL_SSL"));
        line(QStringLiteral("sasl.mechanism"), QStringLiteral("SCRAM-SHA-512"));
        out +=
            QStringLiteral("# The password is a secret and is left out: add password=\"...\" to sasl.jaas.config.\n");
        line(QStringLiteral("sasl.jaas.config"),
             QStringLiteral("org.apache.kafka.common.security.scram.ScramLoginModule required username=") %
                 quoteJaas(p.saslUsername) % u';');
        break;
    case Security::Iam:
        line(QStringLiteral("security.protocol"), QStringLiteral("SASL_SSL"));
        line(QStringLiteral("sasl.mechanism"), QStringLiteral("AWS_MSK_IAM"));
        line(QStringLiteral("sasl.jaas.config"),
             QStringLiteral("software.amazon.msk.auth.iam.IAMLoginModule required") %
                 (p.awsProfile.isEmpty() ? QString() : QStringLiteral(" awsProfileName=") % quoteJaas(p.awsProfile)) %
                 u';');
        line(QStringLiteral("sasl.client.callback.handler.class"),
             QStringLiteral("software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
        if (!p.awsRegion.isEmpty())
            out += QStringLiteral("# AWS region: %1 (the IAM library takes it from the broker host names)\n")
                       .arg(p.awsRegion);
        break;
    }
    if (p.usesTls() && !p.caBundle.isEmpty()) {
        line(QStringLiteral("ssl.truststore.type"), QStringLiteral("PEM"));
        line(QStringLiteral("ssl.truststore.location"), p.caBundle);
    }
    if (!p.group.isEmpty())
        line(QStringLiteral("group.id"), p.group);
    bool extras = false;
    for (const auto &[key, value] : p.properties) {
        if (ConnectionProfile::isSecret(key))
            continue;
        if (!std::exchange(extras, true))
            out += QStringLiteral("# librdkafka properties of the profile (Java clients may not know them all):\n");
        line(QString::fromUtf8(key), QString::fromUtf8(value));
    }
    if (const QStringList secrets = leftOut(p); !secrets.isEmpty())
        out += QStringLiteral("# Left out, as secrets: ") % secrets.join(QStringLiteral(", ")) % u'\n';
    return out;
}

QStringList exportKafkaOptions(const ConnectionProfile &p)
{
    QStringList out;
    if (!p.bootstrapServers.isEmpty())
        out << QStringLiteral("bootstrap.servers=") % p.bootstrapServers;
    for (const auto &[key, value] : p.kafkaProperties()) {
        // IAM's sasl.oauthbearer.config names the region and AWS profile, nothing secret.
        const bool iamConfig = p.needsIamToken() && key == "sasl.oauthbearer.config" &&
                               value == mskIamOauthbearerConfig(p.awsRegion, p.awsProfile);
        if (!ConnectionProfile::isSecret(key) || iamConfig)
            out << QString::fromUtf8(key) % u'=' % QString::fromUtf8(value);
    }
    if (!p.group.isEmpty())
        out << QStringLiteral("group.id=") % p.group;
    return out;
}

QString exportKcatArguments(const ConnectionProfile &p)
{
    QString out = QStringLiteral("# Peakwatch connection \"%1\" as kcat options; its topic: -t %2\n")
                      .arg(p.name, shellQuoted(p.topic));
    if (p.security == Security::SaslScram)
        out += QStringLiteral("# The password is a secret and is left out: add -X sasl.password=... (or put it in a "
                              "file only you can read, for kcat -F).\n");
    if (p.security == Security::Iam)
        out += QStringLiteral("# IAM: kcat cannot make MSK's IAM token (a SigV4-signed OAUTHBEARER token) by itself; "
                              "peakwatch-cli takes these options as they are.\n");
    if (const QStringList secrets = leftOut(p); !secrets.isEmpty())
        out += QStringLiteral("# Left out, as secrets: ") % secrets.join(QStringLiteral(", ")) % u'\n';
    QStringList words;
    for (const QString &option : exportKafkaOptions(p))
        words << QStringLiteral("-X") << shellQuoted(option);
    return out % words.join(u' ') % u'\n';
}

} // namespace peakwatch
