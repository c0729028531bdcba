// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Saved connections (profiles) shared by the desktop and peakwatch-cli: what they keep in the settings file and what
// they never keep, MSK's listeners as librdkafka properties, the checks' words, import from a Java client.properties
// and kcat's -X, export without secrets, and `--profile` / `profile` on the command line.
#include "cli_runner.h"

#include "client_properties.h"
#include "connection_profile.h"
#include "kafka_config.h"
#include "redaction.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <librdkafka/rdkafka.h>

using namespace peakwatch;
using Security = ConnectionProfile::Security;

Q_DECLARE_METATYPE(peakwatch::ConnectionProfile)

namespace {

const QString kMskHost = QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com");

QString msk(int port)
{
    return QStringLiteral("%1:%3,%2:%3")
        .arg(kMskHost, QString(kMskHost).replace(QStringLiteral("b-1."), QStringLiteral("b-2.")),
             QString::number(port));
}

ConnectionProfile named(const QString &name, const QString &bootstrap, Security security)
{
    ConnectionProfile p;
    p.name = name;
    p.bootstrapServers = bootstrap;
    p.security = security;
    return p;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A port on this machine that nothing listens on.
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// Sets an environment variable for the child processes started while it lives.
class ScopedVariable final {
public:
    ScopedVariable(const char *name, const QByteArray &value)
        : m_name(name)
    {
        qputenv(name, value);
    }
    ~ScopedVariable() { qunsetenv(m_name); }
    Q_DISABLE_COPY_MOVE(ScopedVariable)

private:
    const char *m_name;
};

// As AWS's Amazon MSK developer guide shows them for kafka-console-consumer.sh, with bootstrap servers added.
const char kPlaintextFile[] = R"(# client.properties for the plaintext listener
bootstrap.servers=b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9092
security.protocol=PLAINTEXT
)";

const char kTlsFile[] =
    R"(bootstrap.servers=b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9094,b-2.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9094
security.protocol=SSL
ssl.truststore.location=/tmp/kafka_2.12-2.8.1/kafka.client.truststore.jks
)";

const char kScramFile[] = R"(bootstrap.servers=b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9096
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
ssl.truststore.location=/tmp/kafka.client.truststore.jks
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
    username="alice" \
    password="alice-secret-1234";
)";

const char kIamFile[] = R"(bootstrap.servers=b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9098
security.protocol=SASL_SSL
sasl.mechanism=AWS_MSK_IAM
sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsProfileName="shop-readonly";
sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler
)";

const char kIamOauthbearerFile[] = R"(bootstrap.servers=b-1-public.shop.abc123.c2.kafka.eu-west-1.amazonaws.com:9198
security.protocol=SASL_SSL
sasl.mechanism=OAUTHBEARER
sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;
sasl.login.callback.handler.class=software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler
sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler
)";

} // namespace

class TstProfiles final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();

    void profilesRoundTripThroughSettings_data();
    void profilesRoundTripThroughSettings();
    void desktopAndCliShareOneSettingsFile();
    void profilesSavedBeforeListenersAreAdopted();
    void secretPropertiesNeverReachTheSettingsFile();
    void kafkaPropertiesPerListener_data();
    void kafkaPropertiesPerListener();
    void checksSayWhatIsWrong_data();
    void checksSayWhatIsWrong();

    void clientPropertiesImport_data();
    void clientPropertiesImport();
    void importedPasswordNeverLandsInTheSettingsFile();
    void javaOnlyAndUnknownLinesAreReported();
    void kafkaOptionsImport();
    void xSecretsAreNeverShown_data();
    void xSecretsAreNeverShown();
    void exportsLeaveSecretsOut();
    void exportsImportBack_data();
    void exportsImportBack();

    void cliUnknownProfileListsTheSavedOnes_data();
    void cliUnknownProfileListsTheSavedOnes();
    void cliAnalyzeConnectsToTheProfilesBootstrap();
    void cliScramProfileTakesItsPasswordFromTheEnvironment();
    void cliProfileImportShowExportRemove();

private:
    QTemporaryDir m_dir;
};

void TstProfiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Before any QSettings: the shared settings file, of this process and of the peakwatch-cli it starts, goes here.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    qunsetenv(kKafkaPasswordVariable);
    QFile ca(m_dir.filePath(QStringLiteral("ca.pem"))); // a CA bundle that is there
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.write("-----BEGIN CERTIFICATE-----\n");
}

void TstProfiles::init()
{
    ProfileSettings settings;
    settings.remove(QStringLiteral("connections"));
}

void TstProfiles::profilesRoundTripThroughSettings_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    ConnectionProfile plaintext = named(QStringLiteral("Plaintext"), msk(9092), Security::Plaintext);
    plaintext.group = QStringLiteral("peakwatch");
    QTest::addRow("plaintext, with a consumer group") << plaintext;

    ConnectionProfile tls = named(QStringLiteral("TLS"), msk(9094), Security::Tls);
    tls.caBundle = m_dir.filePath(QStringLiteral("ca.pem"));
    tls.topic = QStringLiteral("shopify-products");
    QTest::addRow("TLS with a CA bundle") << tls;

    ConnectionProfile scram = named(QStringLiteral("SCRAM"), msk(9096), Security::SaslScram);
    scram.saslUsername = QStringLiteral("alice");
    scram.properties = {{"client.id", "peakwatch-desk"}, {"socket.keepalive.enable", "true"}};
    QTest::addRow("SASL/SCRAM with extra properties") << scram;

    ConnectionProfile iam = named(QStringLiteral("IAM"), msk(9098), Security::Iam);
    iam.awsRegion = QStringLiteral("us-east-1");
    iam.awsProfile = QStringLiteral("shop-readonly");
    QTest::addRow("IAM with an AWS profile") << iam;

    ConnectionProfile publicIam = named(QStringLiteral("prod/public"), msk(9198), Security::Iam);
    publicIam.awsRegion = QStringLiteral("us-east-1");
    QTest::addRow("IAM, public access, a slash in the name") << publicIam;
}

void TstProfiles::profilesRoundTripThroughSettings()
{
    QFETCH(ConnectionProfile, profile);
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.ini"));
    QFile::remove(path);
    {
        QSettings settings(path, QSettings::IniFormat);
        QVERIFY(profile.save(settings).isEmpty());
    }
    QSettings settings(path, QSettings::IniFormat);
    const QList<ConnectionProfile> loaded = ConnectionProfile::loadAll(settings);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded[0].name, profile.name);
    QCOMPARE(loaded[0].security, profile.security);
    QVERIFY(loaded[0] == profile);
    const auto byName = ConnectionProfile::load(settings, profile.name);
    QVERIFY(byName && *byName == profile);

    // Saving again replaces; removing forgets.
    ConnectionProfile changed = profile;
    changed.bootstrapServers = QStringLiteral("127.0.0.1:9092");
    changed.save(settings);
    QCOMPARE(ConnectionProfile::loadAll(settings).size(), 1);
    QCOMPARE(ConnectionProfile::loadAll(settings)[0].bootstrapServers, changed.bootstrapServers);
    ConnectionProfile::remove(settings, profile.name);
    QVERIFY(ConnectionProfile::loadAll(settings).isEmpty());
}

void TstProfiles::desktopAndCliShareOneSettingsFile()
{
    // Whatever the application's own name: the desktop is "peakwatch", the command line "peakwatch-cli".
    ProfileSettings settings;
    QCOMPARE(settings.fileName(), m_dir.filePath(QStringLiteral("config/Peakwatch/peakwatch.conf")));
    named(QStringLiteral("Shared"), QStringLiteral("127.0.0.1:9092"), Security::Plaintext).save(settings);
    settings.sync();
    QVERIFY(fileBytes(settings.fileName()).contains("connections"));
    const CliResult r = runCli({QStringLiteral("profile"), QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Shared\tPlaintext\t127.0.0.1:9092\tproducts\n"), r.out.constData());
}

void TstProfiles::profilesSavedBeforeListenersAreAdopted()
{
    // What the desktop's ConnectionProfile wrote before it had a security listener.
    {
        ProfileSettings settings;
        settings.beginGroup(QStringLiteral("connections/Old MSK"));
        settings.setValue(QStringLiteral("name"), QStringLiteral("Old MSK"));
        settings.setValue(QStringLiteral("bootstrap_servers"), msk(9096));
        settings.setValue(QStringLiteral("topic"), QStringLiteral("shopify-products"));
        settings.setValue(QStringLiteral("properties"),
                          QStringLiteral("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                                         "sasl.username=peakwatch\nclient.id=old-desk\n"));
        settings.endGroup();
    }
    ProfileSettings settings;
    const auto loaded = ConnectionProfile::load(settings, QStringLiteral("Old MSK"));
    QVERIFY(loaded);
    QCOMPARE(loaded->bootstrapServers, msk(9096));
    QCOMPARE(loaded->topic, QStringLiteral("shopify-products"));
    QCOMPARE(loaded->security, Security::SaslScram);
    QCOMPARE(loaded->saslUsername, QStringLiteral("peakwatch"));
    QCOMPARE(loaded->properties, (KafkaProperties{{"client.id", "old-desk"}}));
    QCOMPARE(loaded->problems(), QStringList());
}

void TstProfiles::secretPropertiesNeverReachTheSettingsFile()
{
    ConnectionProfile p = named(QStringLiteral("Secrets"), msk(9096), Security::SaslScram);
    p.saslUsername = QStringLiteral("alice");
    p.properties = {{"sasl.password", "hunter2-hunter2"}, {"ssl.key.password", "keypass-9876"}, {"client.id", "x"}};
    ProfileSettings settings;
    QCOMPARE(p.save(settings), (QStringList{QStringLiteral("sasl.password"), QStringLiteral("ssl.key.password")}));
    settings.sync();
    const QByteArray bytes = fileBytes(settings.fileName());
    QVERIFY(bytes.contains("alice"));
    QVERIFY(!bytes.contains("hunter2"));
    QVERIFY(!bytes.contains("keypass"));
    QCOMPARE(ConnectionProfile::load(settings, p.name)->properties, (KafkaProperties{{"client.id", "x"}}));
}

void TstProfiles::kafkaPropertiesPerListener_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<KafkaProperties>("expected");
    ConnectionProfile plaintext = named(QStringLiteral("p"), msk(9092), Security::Plaintext);
    plaintext.caBundle = QStringLiteral("/unused.pem"); // plaintext has no use for it
    QTest::addRow("plaintext") << plaintext << KafkaProperties{{"security.protocol", "PLAINTEXT"}};
    QTest::addRow("TLS, the system's CA store")
        << named(QStringLiteral("t"), msk(9094), Security::Tls) << KafkaProperties{{"security.protocol", "SSL"}};
    ConnectionProfile tls = named(QStringLiteral("t"), msk(9194), Security::Tls);
    tls.caBundle = QStringLiteral("/etc/peakwatch/ca.pem");
    tls.properties = {{"client.id", "desk"}};
    QTest::addRow("TLS with a CA bundle, then extra properties")
        << tls
        << KafkaProperties{
               {"security.protocol", "SSL"}, {"ssl.ca.location", "/etc/peakwatch/ca.pem"}, {"client.id", "desk"}};
    ConnectionProfile scram = named(QStringLiteral("s"), msk(9096), Security::SaslScram);
    scram.saslUsername = QStringLiteral("alice");
    scram.awsRegion = QStringLiteral("us-east-1"); // SCRAM has no use for it
    QTest::addRow("SASL/SCRAM") << scram
                                << KafkaProperties{{"security.protocol", "SASL_SSL"},
                                                   {"sasl.mechanisms", "SCRAM-SHA-512"},
                                                   {"sasl.username", "alice"}};
    ConnectionProfile iam = named(QStringLiteral("i"), msk(9098), Security::Iam);
    iam.awsRegion = QStringLiteral("us-east-1");
    iam.awsProfile = QStringLiteral("shop");
    QTest::addRow("IAM") << iam
                         << KafkaProperties{{"security.protocol", "SASL_SSL"},
                                            {"sasl.mechanisms", "OAUTHBEARER"},
                                            {"sasl.oauthbearer.config", "aws_region=us-east-1 aws_profile=shop"}};
}

void TstProfiles::kafkaPropertiesPerListener()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(KafkaProperties, expected);
    QCOMPARE(profile.kafkaProperties(), expected);
    QCOMPARE(profile.needsPassword(), profile.security == Security::SaslScram);
    QCOMPARE(profile.needsIamToken(), profile.security == Security::Iam);
    // librdkafka takes every one of them.
    auto conf = makeKafkaConf(profile.kafkaProperties());
    QVERIFY2(conf, qPrintable(conf.error()));
    rd_kafka_conf_destroy(*conf);
}

void TstProfiles::checksSayWhatIsWrong_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("problem"); // the first; "" for none
    const QString pem = m_dir.filePath(QStringLiteral("ca.pem"));
    const auto row = [](const char *name, const ConnectionProfile &p, const QString &problem) {
        QTest::addRow("%s", name) << p << problem;
    };
    const auto iam = [](const QString &bootstrap, const QString &region) {
        ConnectionProfile p = named(QStringLiteral("i"), bootstrap, Security::Iam);
        p.awsRegion = region;
        return p;
    };
    const auto scram = [](const QString &bootstrap, const QString &user) {
        ConnectionProfile p = named(QStringLiteral("s"), bootstrap, Security::SaslScram);
        p.saslUsername = user;
        return p;
    };
    const auto tls = [](const QString &bootstrap, const QString &caBundle) {
        ConnectionProfile p = named(QStringLiteral("t"), bootstrap, Security::Tls);
        p.caBundle = caBundle;
        return p;
    };
    row("plaintext on MSK's plaintext port", named(QStringLiteral("p"), msk(9092), Security::Plaintext), {});
    row("any listener on a port that is not MSK's",
        named(QStringLiteral("p"), QStringLiteral("127.0.0.1:39092"), Security::Tls), {});
    row("IAM on the public IAM port", iam(msk(9198), QStringLiteral("us-east-1")), {});
    row("TLS with a PEM CA bundle", tls(msk(9094), pem), {});
    row("SASL/SCRAM with a user", scram(msk(9096), QStringLiteral("alice")), {});

    row("no name", named(QString(), msk(9092), Security::Plaintext), QStringLiteral("the connection needs a name"));
    row("no bootstrap servers", named(QStringLiteral("p"), QString(), Security::Plaintext),
        QStringLiteral("the connection needs bootstrap servers (host:port, comma-separated)"));
    row("a port that is not a number", named(QStringLiteral("p"), QStringLiteral("b-1:abc"), Security::Plaintext),
        QStringLiteral("bootstrap server \"b-1:abc\" is not host:port"));
    row("port 9098 with plaintext", named(QStringLiteral("p"), msk(9098), Security::Plaintext),
        QStringLiteral("port 9098 is MSK's IAM listener: choose IAM"));
    row("port 9096 with TLS", tls(msk(9096), QString()),
        QStringLiteral("port 9096 is MSK's SASL/SCRAM listener: choose SASL/SCRAM"));
    row("public port 9194 with plaintext", named(QStringLiteral("p"), msk(9194), Security::Plaintext),
        QStringLiteral("port 9194 is MSK's public-access TLS listener: choose TLS"));
    row("port 9092 with IAM", iam(msk(9092), QStringLiteral("us-east-1")),
        QStringLiteral("port 9092 is MSK's plaintext listener: choose Plaintext"));
    row("IAM without a region, on MSK's host names", iam(msk(9098), QString()),
        QStringLiteral("IAM needs the AWS region of the cluster: the bootstrap servers are in us-east-1"));
    row("IAM without a region, elsewhere", iam(QStringLiteral("kafka.internal:9098"), QString()),
        QStringLiteral("IAM needs the AWS region of the cluster, such as us-east-1"));
    row("IAM with something that is not a region", iam(msk(9098), QStringLiteral("virginia")),
        QStringLiteral("\"virginia\" is not an AWS region (such as us-east-1)"));
    row("IAM with another region than the cluster's", iam(msk(9098), QStringLiteral("eu-west-1")),
        QStringLiteral("the bootstrap servers are in us-east-1, not in eu-west-1 (the AWS region given)"));
    row("SASL/SCRAM without a user", scram(msk(9096), QString()),
        QStringLiteral("SASL/SCRAM needs the user name (its password is kept apart, as a secret)"));
    row("a JKS truststore as CA bundle", tls(msk(9094), QStringLiteral("/tmp/kafka.client.truststore.jks")),
        QStringLiteral("/tmp/kafka.client.truststore.jks is a Java (JKS) truststore, which librdkafka cannot read: "
                       "give a PEM CA bundle, or none: MSK's certificates are publicly trusted, so the system's CA "
                       "store works"));
    row("a CA bundle that is not there", tls(msk(9094), QStringLiteral("/nonexistent/ca.pem")),
        QStringLiteral("the CA bundle /nonexistent/ca.pem does not exist"));
    ConnectionProfile overridden = named(QStringLiteral("p"), msk(9092), Security::Plaintext);
    overridden.properties = {{"security.protocol", "SSL"}};
    row("an extra property that overrides the listener", overridden,
        QStringLiteral("security.protocol=SSL in the extra properties overrides the security listener (Plaintext): "
                       "remove it"));
    ConnectionProfile same = named(QStringLiteral("p"), msk(9092), Security::Plaintext);
    same.properties = {{"security.protocol", "plaintext"}};
    row("an extra property that says the same", same, {});
    const auto topics = [](const QString &topic) {
        ConnectionProfile p = named(QStringLiteral("p"), msk(9092), Security::Plaintext);
        p.topic = topic;
        return p;
    };
    row("three topics", topics(QStringLiteral("shop.products, shop.levels, shop.orders")), {});
    row("no topic", topics(QStringLiteral("  ")),
        QStringLiteral("the connection needs the topic its Shopify webhooks arrive on (or several, comma-separated)"));
    row("an empty one among the topics", topics(QStringLiteral("products,,orders")),
        QStringLiteral("the topics \"products,,orders\" name an empty one"));
    row("a topic name with a space", topics(QStringLiteral("products,shop orders")),
        QStringLiteral("\"shop orders\" is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)"));
}

void TstProfiles::checksSayWhatIsWrong()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, problem);
    QCOMPARE(profile.problem(), problem);
    QCOMPARE(profile.problems().isEmpty(), problem.isEmpty());
}

void TstProfiles::clientPropertiesImport_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ConnectionProfile>("expected");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QStringList>("noteMentions"); // each appears in some note

    ConnectionProfile plaintext =
        named(QStringLiteral("imported"), kMskHost + QStringLiteral(":9092"), Security::Plaintext);
    QTest::addRow("PLAINTEXT") << QString::fromLatin1(kPlaintextFile) << plaintext << QString() << QStringList();

    ConnectionProfile tls = named(QStringLiteral("imported"), msk(9094), Security::Tls);
    QTest::addRow("SSL with a JKS truststore")
        << QString::fromLatin1(kTlsFile) << tls << QString()
        << QStringList{
               QStringLiteral("line 3: ssl.truststore.location=/tmp/kafka_2.12-2.8.1/kafka.client.truststore.jks "
                              "is a Java truststore (JKS), which librdkafka cannot read"),
               QStringLiteral("MSK's certificates are publicly trusted, so the system's CA store works")};

    ConnectionProfile scram =
        named(QStringLiteral("imported"), kMskHost + QStringLiteral(":9096"), Security::SaslScram);
    scram.saslUsername = QStringLiteral("alice");
    QTest::addRow("SASL/SCRAM, the JAAS line continued")
        << QString::fromLatin1(kScramFile) << scram << QStringLiteral("alice-secret-1234")
        << QStringList{QStringLiteral("is a Java truststore (JKS)")};

    ConnectionProfile iam = named(QStringLiteral("imported"), kMskHost + QStringLiteral(":9098"), Security::Iam);
    iam.awsRegion = QStringLiteral("us-east-1");
    iam.awsProfile = QStringLiteral("shop-readonly");
    QTest::addRow("IAM with AWS_MSK_IAM and an AWS profile")
        << QString::fromLatin1(kIamFile) << iam << QString()
        << QStringList{QStringLiteral("AWS region us-east-1: from the bootstrap servers' host names")};

    ConnectionProfile oauth =
        named(QStringLiteral("imported"),
              QStringLiteral("b-1-public.shop.abc123.c2.kafka.eu-west-1.amazonaws.com:9198"), Security::Iam);
    oauth.awsRegion = QStringLiteral("eu-west-1");
    QTest::addRow("IAM with OAUTHBEARER, public access")
        << QString::fromLatin1(kIamOauthbearerFile) << oauth << QString()
        << QStringList{QStringLiteral("AWS region eu-west-1: from the bootstrap servers' host names")};

    const QString pem = m_dir.filePath(QStringLiteral("ca.pem"));
    ConnectionProfile pemTls = named(QStringLiteral("imported"), QStringLiteral("kafka.internal:9094"), Security::Tls);
    pemTls.caBundle = pem;
    pemTls.group = QStringLiteral("peakwatch");
    pemTls.properties = {{"client.id", "console"}, {"ssl.endpoint.identification.algorithm", "none"}};
    QTest::addRow("SSL with a PEM truststore, a group and librdkafka's own properties")
        << QStringLiteral("bootstrap.servers = kafka.internal:9094\nsecurity.protocol: SSL\nssl.truststore.type=PEM\n"
                          "ssl.truststore.location=%1\ngroup.id=peakwatch\nclient.id=console\n"
                          "ssl.endpoint.identification.algorithm=\n")
               .arg(pem)
        << pemTls << QString() << QStringList{QStringLiteral("host names are not checked")};
}

void TstProfiles::clientPropertiesImport()
{
    QFETCH(QString, text);
    QFETCH(ConnectionProfile, expected);
    QFETCH(QString, password);
    QFETCH(QStringList, noteMentions);
    ConnectionProfile base;
    base.name = QStringLiteral("imported");
    const ProfileImport imported = importClientProperties(text, base);
    QCOMPARE(imported.profile.bootstrapServers, expected.bootstrapServers);
    QCOMPARE(imported.profile.security, expected.security);
    QCOMPARE(imported.profile.saslUsername, expected.saslUsername);
    QCOMPARE(imported.profile.awsRegion, expected.awsRegion);
    QCOMPARE(imported.profile.awsProfile, expected.awsProfile);
    QCOMPARE(imported.profile.caBundle, expected.caBundle);
    QCOMPARE(imported.profile.properties, expected.properties);
    QVERIFY(imported.profile == expected);
    QCOMPARE(imported.password, password);
    QVERIFY2(imported.unknown.isEmpty(), qPrintable(imported.unknown.join(u'\n')));
    for (const QString &mention : noteMentions)
        QVERIFY2(imported.notes.join(u'\n').contains(mention), qPrintable(imported.notes.join(u'\n')));
    if (noteMentions.isEmpty())
        QVERIFY2(imported.notes.isEmpty(), qPrintable(imported.notes.join(u'\n')));
    for (const QString &note : imported.notes + imported.unknown)
        QVERIFY(password.isEmpty() || !note.contains(password));
    QCOMPARE(imported.profile.problem(), QString()); // ready to use
}

void TstProfiles::importedPasswordNeverLandsInTheSettingsFile()
{
    ConnectionProfile base;
    base.name = QStringLiteral("scram");
    const ProfileImport imported = importClientProperties(QString::fromLatin1(kScramFile), base);
    QCOMPARE(imported.password, QStringLiteral("alice-secret-1234"));
    ProfileSettings settings;
    QVERIFY(imported.profile.save(settings).isEmpty());
    settings.sync();
    const QByteArray bytes = fileBytes(settings.fileName());
    QVERIFY(bytes.contains("alice"));
    QVERIFY(!bytes.contains("alice-secret-1234"));
    QCOMPARE(kafkaPasswordKey(QStringLiteral("scram")), QStringLiteral("kafka-password/scram"));
}

void TstProfiles::javaOnlyAndUnknownLinesAreReported()
{
    const QString text =
        QStringLiteral("bootstrap.servers=kafka.internal:9094\n"
                       "security.protocol=SSL\n"
                       "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer\n"
                       "max.poll.records=500\n"
                       "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor\n"
                       "frobnicate.level=3\n"
                       "ssl.keystore.location=/tmp/client.keystore.jks\n"
                       "ssl.keystore.password=store-secret-42\n"
                       "ssl.key.password=key-secret-42\n"
                       "KafkaClient {\n"
                       "auto.offset.reset=earliest\n");
    const ProfileImport imported = importClientProperties(text);
    QCOMPARE(imported.profile.security, Security::Tls);
    QCOMPARE(imported.profile.properties, (KafkaProperties{{"auto.offset.reset", "earliest"}}));
    QCOMPARE(imported.unknown,
             (QStringList{QStringLiteral("line 6: frobnicate.level=3"), QStringLiteral("line 10: KafkaClient={")}));
    const QString notes = imported.notes.join(u'\n');
    QVERIFY2(notes.contains(QStringLiteral("line 3: key.deserializer is for Java clients only: skipped")),
             qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("line 4: max.poll.records is for Java clients only: skipped")),
             qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("line 5: partition.assignment.strategy is for Java clients only")),
             qPrintable(notes));
    QVERIFY2(notes.contains(QStringLiteral("line 7: the client certificate (ssl.keystore.location) is not imported")),
             qPrintable(notes));
    QVERIFY(!notes.contains(QStringLiteral("secret-42"))); // secrets are never shown
    QVERIFY(imported.password.isEmpty());
}

void TstProfiles::xSecretsAreNeverShown_data()
{
    QTest::addColumn<QString>("option"); // as given to -X
    QTest::addColumn<QString>("shown");  // the value as it may be shown
    QTest::addColumn<QString>("secret");
    QTest::addRow("sasl.password") << QStringLiteral("sasl.password=hunter2-scram") << QStringLiteral("[redacted]")
                                   << QStringLiteral("hunter2-scram");
    QTest::addRow("JAAS password in double quotes")
        << QStringLiteral("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                          "username=\"alice\" password=\"hunter2-jaas\";")
        << QStringLiteral("[redacted]") << QStringLiteral("hunter2-jaas");
    QTest::addRow("JAAS secret in single quotes, unquoted password")
        << QStringLiteral("sasl.jaas.config=M required clientSecret='s3cret-single' password=bare-pass;")
        << QStringLiteral("[redacted]") << QStringLiteral("s3cret-single");
    QTest::addRow("JAAS line with its quotes broken (found by fuzz_client_properties)")
        << QStringLiteral("sa92sl.jaas.config=M required password=\"bob\" pAssword=\"hunter2- required "
                          "password=\"bclient.id=\"hunter1-very\";")
        << QStringLiteral("[redacted]") << QString();
    QTest::addRow("an ordinary property is shown as given")
        << QStringLiteral("client.id=peakwatch-7") << QStringLiteral("peakwatch-7") << QString();
}

void TstProfiles::xSecretsAreNeverShown()
{
    QFETCH(QString, option);
    QFETCH(QString, shown);
    QFETCH(QString, secret);
    const auto property = parseKafkaProperty(option);
    QVERIFY(property);
    QCOMPARE(shownKafkaPropertyValue(property->first, QString::fromUtf8(property->second)), shown);
    // Once given with -X, the secret is hidden from every log line and message (redacted()).
    if (!secret.isEmpty())
        QVERIFY2(!redacted(QStringLiteral("failed with ") + secret).contains(secret), qPrintable(secret));
}

void TstProfiles::kafkaOptionsImport()
{
    ConnectionProfile base;
    base.name = QStringLiteral("kcat");
    base.topic = QStringLiteral("shopify-products");
    auto imported = importKafkaOptions(
        {QStringLiteral("bootstrap.servers=%1").arg(msk(9096)), QStringLiteral("security.protocol=sasl_ssl"),
         QStringLiteral("sasl.mechanisms=SCRAM-SHA-512"), QStringLiteral("sasl.username=alice"),
         QStringLiteral("sasl.password=alice-secret-1234"), QStringLiteral("group.id=peakwatch"),
         QStringLiteral("client.id=kcat"), QStringLiteral("fetch.wait.max.ms=often"),
         QStringLiteral("no.such.property=1")},
        base);
    QVERIFY2(imported, qPrintable(imported.error()));
    const ConnectionProfile &p = imported->profile;
    QCOMPARE(p.name, base.name);
    QCOMPARE(p.topic, base.topic);
    QCOMPARE(p.bootstrapServers, msk(9096));
    QCOMPARE(p.security, Security::SaslScram);
    QCOMPARE(p.saslUsername, QStringLiteral("alice"));
    QCOMPARE(p.group, QStringLiteral("peakwatch"));
    QCOMPARE(p.properties, (KafkaProperties{{"client.id", "kcat"}}));
    QCOMPARE(imported->password, QStringLiteral("alice-secret-1234"));
    QCOMPARE(imported->unknown, QStringList{QStringLiteral("no.such.property=1")});
    QCOMPARE(imported->notes.size(), 1);
    QVERIFY2(imported->notes[0].startsWith(QStringLiteral("fetch.wait.max.ms=often: librdkafka does not take it")),
             qPrintable(imported->notes[0]));
    QCOMPARE(p.problem(), QString());

    // IAM in -X: the region and AWS profile as peakwatch-cli passes them to librdkafka.
    auto iam =
        importKafkaOptions({QStringLiteral("bootstrap.servers=kafka.internal:9098"),
                            QStringLiteral("security.protocol=SASL_SSL"), QStringLiteral("sasl.mechanisms=OAUTHBEARER"),
                            QStringLiteral("sasl.oauthbearer.config=aws_region=eu-west-1 aws_profile=shop")});
    QVERIFY(iam);
    QCOMPARE(iam->profile.security, Security::Iam);
    QCOMPARE(iam->profile.awsRegion, QStringLiteral("eu-west-1"));
    QCOMPARE(iam->profile.awsProfile, QStringLiteral("shop"));
    QVERIFY(iam->profile.properties.isEmpty());

    // Not one of MSK's listeners: kept as given, and said so.
    auto other = importKafkaOptions(
        {QStringLiteral("security.protocol=SASL_PLAINTEXT"), QStringLiteral("sasl.mechanisms=PLAIN")});
    QVERIFY(other);
    QCOMPARE(other->profile.security, Security::Plaintext);
    QCOMPARE(other->profile.properties,
             (KafkaProperties{{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanisms", "PLAIN"}}));
    QVERIFY(other->notes.join(u'\n').contains(QStringLiteral("is not one of MSK's listeners")));

    // Java's JAAS line given as -X (found by fuzz_client_properties): its password is never shown.
    auto jaas = importKafkaOptions({QStringLiteral("bootstrap.servers=kafka.internal:9096"),
                                    QStringLiteral("sasl.jaas.config=org.apache.kafka.common.security.scram."
                                                   "ScramLoginModule required username=\"bob\" password=\"hunter2-"
                                                   "very-secret\";")});
    QVERIFY(jaas);
    const QString said = (jaas->notes + jaas->unknown).join(u'\n');
    QVERIFY2(said.contains(QStringLiteral("sasl.jaas.config")) && !said.contains(QStringLiteral("hunter2")),
             qPrintable(said));
    // The same under a misspelt key, which neither Peakwatch nor librdkafka knows.
    auto misspelt = importKafkaOptions({QStringLiteral("sasl.jaas.confg=org.apache.kafka.common.security.scram."
                                                       "ScramLoginModule required password=\"hunter2-very-secret\";")});
    QVERIFY(misspelt);
    QCOMPARE(misspelt->unknown, QStringList{QStringLiteral("sasl.jaas.confg=[redacted]")});

    const auto malformed = importKafkaOptions({QStringLiteral("security.protocol")});
    QVERIFY(!malformed);
    QVERIFY2(malformed.error().contains(QStringLiteral("security.protocol")), qPrintable(malformed.error()));
}

void TstProfiles::exportsLeaveSecretsOut()
{
    ConnectionProfile p = named(QStringLiteral("Production MSK"), msk(9096), Security::SaslScram);
    p.saslUsername = QStringLiteral("alice");
    p.group = QStringLiteral("peakwatch");
    p.properties = {{"client.id", "desk"}, {"ssl.key.password", "key-secret-42"}};

    const QString properties = exportClientProperties(p);
    QVERIFY2(properties.contains(QStringLiteral("\nsasl.jaas.config=org.apache.kafka.common.security.scram."
                                                "ScramLoginModule required username=\"alice\";\n")),
             qPrintable(properties));
    QVERIFY(properties.contains(QStringLiteral("\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n")));
    QVERIFY(properties.contains(QStringLiteral("# The password is a secret and is left out")));
    QVERIFY(properties.contains(QStringLiteral("# Left out, as secrets: ssl.key.password")));
    for (const QString &line : properties.split(u'\n'))
        QVERIFY2(line.startsWith(u'#') || !line.contains(QStringLiteral("password")), qPrintable(line));
    QVERIFY(!properties.contains(QStringLiteral("key-secret-42")));

    const QStringList options = exportKafkaOptions(p);
    QCOMPARE(
        options,
        (QStringList{QStringLiteral("bootstrap.servers=") + msk(9096), QStringLiteral("security.protocol=SASL_SSL"),
                     QStringLiteral("sasl.mechanisms=SCRAM-SHA-512"), QStringLiteral("sasl.username=alice"),
                     QStringLiteral("client.id=desk"), QStringLiteral("group.id=peakwatch")}));
    const QString kcat = exportKcatArguments(p);
    QVERIFY2(kcat.contains(QStringLiteral("\n-X bootstrap.servers=") + msk(9096) +
                           QStringLiteral(" -X security.protocol=SASL_SSL")),
             qPrintable(kcat));
    QVERIFY(kcat.contains(QStringLiteral("# The password is a secret and is left out: add -X sasl.password=")));
    QVERIFY(!kcat.contains(QStringLiteral("key-secret-42")));
    QVERIFY(kcat.startsWith(QStringLiteral("# Peakwatch connection \"Production MSK\" as kcat options; its topic: -t "
                                           "products\n")));
}

void TstProfiles::exportsImportBack_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    ConnectionProfile plaintext = named(QStringLiteral("back"), msk(9092), Security::Plaintext);
    plaintext.group = QStringLiteral("peakwatch");
    QTest::addRow("plaintext") << plaintext;
    ConnectionProfile tls = named(QStringLiteral("back"), msk(9094), Security::Tls);
    tls.caBundle = m_dir.filePath(QStringLiteral("ca bundle (été).pem"));
    tls.properties = {{"client.id", "desk"}};
    QTest::addRow("TLS with a CA bundle") << tls;
    ConnectionProfile scram = named(QStringLiteral("back"), msk(9096), Security::SaslScram);
    scram.saslUsername = QStringLiteral("al\"ice");
    QTest::addRow("SASL/SCRAM") << scram;
    ConnectionProfile iam = named(QStringLiteral("back"), msk(9098), Security::Iam);
    iam.awsRegion = QStringLiteral("us-east-1");
    iam.awsProfile = QStringLiteral("shop");
    QTest::addRow("IAM") << iam;
}

void TstProfiles::exportsImportBack()
{
    QFETCH(ConnectionProfile, profile);
    ConnectionProfile base;
    base.name = profile.name;
    base.topic = profile.topic;
    const ProfileImport fromProperties = importClientProperties(exportClientProperties(profile), base);
    QVERIFY2(fromProperties.profile == profile, qPrintable(exportClientProperties(profile)));
    QVERIFY(fromProperties.unknown.isEmpty());
    auto fromOptions = importKafkaOptions(exportKafkaOptions(profile), base);
    QVERIFY(fromOptions);
    QVERIFY2(fromOptions->profile == profile, qPrintable(exportKafkaOptions(profile).join(u' ')));
}

void TstProfiles::cliUnknownProfileListsTheSavedOnes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("analyze") << QStringList{QStringLiteral("analyze"), QStringLiteral("--profile"),
                                            QStringLiteral("Nowhere"), QStringLiteral("-e")};
    QTest::addRow("simulate") << QStringList{QStringLiteral("simulate"), QStringLiteral("--profile"),
                                             QStringLiteral("Nowhere"), QStringLiteral("--events"),
                                             QStringLiteral("1")};
    QTest::addRow("gateway") << QStringList{QStringLiteral("gateway"),     QStringLiteral("--profile"),
                                            QStringLiteral("Nowhere"),     QStringLiteral("--listen"),
                                            QStringLiteral("127.0.0.1:0"), QStringLiteral("--secret-env"),
                                            QStringLiteral("HOME")};
    QTest::addRow("profile show") << QStringList{QStringLiteral("profile"), QStringLiteral("show"),
                                                 QStringLiteral("Nowhere")};
}

void TstProfiles::cliUnknownProfileListsTheSavedOnes()
{
    QFETCH(QStringList, arguments);
    {
        const CliResult none = runCli(arguments);
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("no saved profile named \"Nowhere\", and none are saved"), none.err.constData());
    }
    ProfileSettings settings;
    named(QStringLiteral("Staging"), QStringLiteral("127.0.0.1:9092"), Security::Plaintext).save(settings);
    named(QStringLiteral("Production MSK"), msk(9092), Security::Plaintext).save(settings);
    settings.sync();
    const CliResult r = runCli(arguments);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains("no saved profile named \"Nowhere\"; the saved ones: \"Production MSK\", \"Staging\""),
             r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TstProfiles::cliAnalyzeConnectsToTheProfilesBootstrap()
{
    const QString address = QStringLiteral("127.0.0.1:%1").arg(closedPort());
    ConnectionProfile p = named(QStringLiteral("Local"), address, Security::Plaintext);
    p.topic = QStringLiteral("shopify-products");
    ProfileSettings settings;
    p.save(settings);
    settings.sync();
    CliResult r =
        runCli({QStringLiteral("analyze"), QStringLiteral("--profile"), QStringLiteral("Local"), QStringLiteral("-e")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QByteArray("cannot reach the Kafka cluster at " + address.toUtf8())), r.err.constData());

    // --bootstrap wins over the profile's.
    const QString other = QStringLiteral("127.0.0.1:%1").arg(closedPort());
    r = runCli({QStringLiteral("analyze"), QStringLiteral("--profile"), QStringLiteral("Local"), QStringLiteral("-b"),
                other, QStringLiteral("-e")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QByteArray("cannot reach the Kafka cluster at " + other.toUtf8())), r.err.constData());

    // A profile and --input do not go together.
    r = runCli({QStringLiteral("analyze"), QStringLiteral("--profile"), QStringLiteral("Local"),
                QStringLiteral("--input"), QStringLiteral("-")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--input cannot be combined with --profile"), r.err.constData());
}

void TstProfiles::cliScramProfileTakesItsPasswordFromTheEnvironment()
{
    const QString address = QStringLiteral("127.0.0.1:%1").arg(closedPort());
    ConnectionProfile p = named(QStringLiteral("Scram"), address, Security::SaslScram);
    p.saslUsername = QStringLiteral("alice");
    ProfileSettings settings;
    p.save(settings);
    settings.sync();
    const QStringList arguments{QStringLiteral("analyze"), QStringLiteral("--profile"), QStringLiteral("Scram"),
                                QStringLiteral("-e")};
    CliResult r = runCli(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("profile \"Scram\" signs in with SASL/SCRAM as \"alice\": put the password in the "
                            "environment variable PEAKWATCH_KAFKA_PASSWORD"),
             r.err.constData());
    {
        ScopedVariable password(kKafkaPasswordVariable, "alice-secret-1234");
        r = runCli(arguments); // on to connecting, with the password
    }
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QByteArray("cannot reach the Kafka cluster at " + address.toUtf8())), r.err.constData());
    QVERIFY(!r.err.contains("alice-secret-1234"));
}

void TstProfiles::cliProfileImportShowExportRemove()
{
    const QString file = m_dir.filePath(QStringLiteral("client.properties"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(kScramFile);
    }
    CliResult r = runCli({QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("Production MSK"), file,
                          QStringLiteral("--topic"), QStringLiteral("shopify-products"), QStringLiteral("-X"),
                          QStringLiteral("client.id=peakwatch")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("is a Java truststore (JKS)"), r.err.constData());
    QVERIFY2(r.err.contains(QByteArray("saved \"Production MSK\": SASL/SCRAM at " + kMskHost.toUtf8() + ":9096")),
             r.err.constData());
    QVERIFY2(r.err.contains("the SASL/SCRAM password was not saved (profiles keep no secrets): enter it in the "
                            "desktop's connection dialog, which keeps it in the system keychain; for peakwatch-cli, "
                            "put it in the environment variable PEAKWATCH_KAFKA_PASSWORD"),
             r.err.constData());
    QVERIFY(!r.err.contains("alice-secret-1234"));
    ProfileSettings settings;
    settings.sync();
    const QByteArray bytes = fileBytes(settings.fileName());
    QVERIFY(bytes.contains("alice"));
    QVERIFY(!bytes.contains("alice-secret-1234"));
    const auto saved = ConnectionProfile::load(settings, QStringLiteral("Production MSK"));
    QVERIFY(saved);
    QCOMPARE(saved->topic, QStringLiteral("shopify-products"));
    QCOMPARE(saved->properties, (KafkaProperties{{"client.id", "peakwatch"}}));

    r = runCli({QStringLiteral("profile"), QStringLiteral("show"), QStringLiteral("Production MSK")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("security: SASL/SCRAM-SHA-512 over TLS, port 9096 (public access 9196)\n"),
             r.out.constData());
    QVERIFY(r.out.contains("SASL/SCRAM user: alice\n"));
    QVERIFY(r.out.contains("topic: shopify-products\n"));
    QVERIFY(!r.out.contains("problem:"));

    r = runCli({QStringLiteral("profile"), QStringLiteral("export"), QStringLiteral("Production MSK")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("username=\"alice\";\n"), r.out.constData());
    QVERIFY(r.out.contains("# The password is a secret and is left out"));
    QVERIFY(!r.out.contains("alice-secret-1234"));
    // What was exported imports again as the same profile.
    QCOMPARE(importClientProperties(QString::fromUtf8(r.out), *saved).profile, *saved);

    r = runCli({QStringLiteral("profile"), QStringLiteral("export"), QStringLiteral("Production MSK"),
                QStringLiteral("--format"), QStringLiteral("kcat")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("-X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=alice -X client.id=peakwatch\n"),
             r.out.constData());

    // Not over a saved one unless asked; a file that makes no usable profile is not saved.
    r = runCli({QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("Production MSK"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("give --replace"), r.err.constData());
    r = runCli({QStringLiteral("profile"), QStringLiteral("import"), QStringLiteral("Broken"), QStringLiteral("-X"),
                QStringLiteral("bootstrap.servers=%1").arg(msk(9098))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("profile \"Broken\" not saved: port 9098 is MSK's IAM listener: choose IAM"),
             r.err.constData());
    r = runCli({QStringLiteral("profile"), QStringLiteral("export"), QStringLiteral("Production MSK"),
                QStringLiteral("--format"), QStringLiteral("yaml")});
    QCOMPARE(r.exitCode, 2);

    r = runCli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("Production MSK")});
    QCOMPARE(r.exitCode, 0);
    r = runCli({QStringLiteral("profile"), QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TstProfiles)
#include "tst_profiles.moc"
