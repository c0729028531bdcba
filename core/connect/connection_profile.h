// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "result.h"

#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace peakwatch {

// The settings file that the desktop and peakwatch-cli share for saved connections: organisation "Peakwatch",
// application "peakwatch", user scope, whichever program opens it (a plain QSettings() in peakwatch-cli would be
// another file). Its format is QSettings::defaultFormat(): native in both programs, the file the desktop always
// used; a test sets IniFormat and a temporary path, or XDG_CONFIG_HOME for a child process.
class ProfileSettings final : public QSettings {
public:
    ProfileSettings();
};

// A saved connection, shared by the desktop and peakwatch-cli: a cluster, how to sign in to it, the topic of
// products/update webhooks, and any other librdkafka property. Kept under "connections/<name>".
//
// Secrets are never part of it. The SASL/SCRAM password lives in the SecretStore at kafkaPasswordKey(name) (the
// desktop) or in the environment variable PEAKWATCH_KAFKA_PASSWORD (peakwatch-cli); secret properties are left out
// when saving.
struct ConnectionProfile {
    // Amazon MSK's listeners. Each has a port inside the cluster's VPC and, but for plaintext, a port for
    // public access.
    enum class Security {
        Plaintext, // port 9092
        Tls,       // port 9094; public access 9194
        SaslScram, // SASL/SCRAM-SHA-512 over TLS: port 9096; public access 9196
        Iam,       // SASL/OAUTHBEARER over TLS with a SigV4-signed token: port 9098; public access 9198
    };
    static constexpr std::array<Security, 4> kSecurities = {Security::Plaintext, Security::Tls, Security::SaslScram,
                                                            Security::Iam};

    QString name;
    QString bootstrapServers;
    QString topic = QStringLiteral("products"); // where the webhooks arrive; several: comma-separated
    QString group; // the consumer group peakwatch-cli analyze joins unless --group says otherwise; empty: none
    Security security = Security::Plaintext;
    QString caBundle;           // PEM file of CA certificates for TLS; empty: the system's (MSK's are publicly trusted)
    QString saslUsername;       // SASL/SCRAM; the password is a secret, see above
    QString awsRegion;          // IAM: the cluster's region, such as us-east-1
    QString awsProfile;         // IAM: a profile of ~/.aws/config and credentials; empty: the default credential chain
    KafkaProperties properties; // any other librdkafka property, applied after those of the fields: they win

    // "SASL/SCRAM"
    static QString securityName(Security security);
    // "SASL/SCRAM-SHA-512 over TLS, port 9096 (public access 9196)"
    static QString securityDescription(Security security);
    // The MSK port of a listener: 9096, or 9196 for public access; 0 when there is none (public plaintext).
    static int mskPort(Security security, bool publicAccess = false);
    // As kept in the settings file: "plaintext", "tls", "sasl_scram", "iam".
    static QString securityKey(Security security);
    static std::optional<Security> securityFromKey(const QString &key);
    // The listener of a security.protocol and sasl.mechanism(s) (librdkafka's or Java's names, any case; no
    // protocol is plaintext, and only SASL_SSL uses the mechanism); nullopt for what is not one of MSK's listeners
    // (SASL_PLAINTEXT, SASL_SSL with GSSAPI or PLAIN).
    static std::optional<Security> securityOf(const QByteArray &protocol, const QByteArray &mechanism);
    // The AWS region in MSK broker host names (b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9098), else "".
    static QString regionOfBootstrap(const QString &bootstrapServers);

    bool usesTls() const { return security != Security::Plaintext; }
    // IAM signs in with a token the client must be given: kafkaProperties() has sasl.oauthbearer.config name the
    // region and AWS profile, and makeKafkaConf() sets the token refresh callback for it (msk_iam_auth.h).
    bool needsIamToken() const { return security == Security::Iam; }
    bool needsPassword() const { return security == Security::SaslScram; }

    // The librdkafka properties of the profile: security.protocol, sasl.mechanisms, sasl.username, ssl.ca.location
    // and for IAM sasl.oauthbearer.config as its fields say, then `properties`. Not bootstrap.servers nor group.id,
    // which the clients take apart; no password (add sasl.password from the secret store).
    KafkaProperties kafkaProperties() const;

    // What keeps the profile from working, in words, first the most basic ("port 9098 is MSK's IAM listener:
    // choose IAM"); empty when none. problem() is the first of them, or "".
    QStringList problems() const;
    QString problem() const;

    // "key=value" a line; blank lines and lines starting with # are skipped. The error names the line.
    static Result<KafkaProperties> parseProperties(const QString &text);
    QString propertiesText() const;
    // Whether a librdkafka property holds a secret (sasl.password, ssl.key.password, ...).
    static bool isSecret(const QByteArray &key);

    // Moves the properties the profile has fields for (bootstrap.servers, group.id, security.protocol with
    // sasl.mechanism(s), sasl.username, ssl.ca.location) out of `properties` into the fields. A sasl.password is
    // taken out and returned; a security.protocol that is not an MSK listener stays, with a note.
    struct Adopted {
        QString password;
        QStringList notes;
    };
    Adopted adoptProperties();

    // Every saved profile. One saved before profiles had a security field (bootstrap, topic and properties only)
    // has its properties adopted.
    static QList<ConnectionProfile> loadAll(QSettings &settings);
    static std::optional<ConnectionProfile> load(QSettings &settings, const QString &name);
    // Replaces any saved profile of the same name. Returns the secret properties that were left out.
    QStringList save(QSettings &settings) const;
    static void remove(QSettings &settings, const QString &name);

    bool operator==(const ConnectionProfile &other) const = default;
};

// Where the SecretStore keeps a profile's SASL/SCRAM password: "kafka-password/<profile>".
QString kafkaPasswordKey(const QString &profile);
// Where the desktop keeps an IAM profile's AWS keys, when they are not in the AWS chain: the SecretStore key, and
// the secret's form ("access key id" newline "secret access key").
QString awsKeysKey(const QString &profile);
QString awsKeysSecret(const QString &accessKeyId, const QString &secretAccessKey);
// The keys of such a secret; nullopt when it is not one.
std::optional<QPair<QString, QString>> awsKeysOfSecret(const QString &secret);

// The environment variable from which peakwatch-cli takes a SASL/SCRAM profile's password.
inline constexpr char kKafkaPasswordVariable[] = "PEAKWATCH_KAFKA_PASSWORD";

// Kafka's rule for a topic name: letters, digits, '.', '_' and '-', at most 249, and not "." or "..".
bool isKafkaTopicName(const QString &topic);

} // namespace peakwatch
