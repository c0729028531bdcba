// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "profile_dialog.h"

#include "client_properties.h"
#include "doctor_dialog.h"
#include "msk_iam_auth.h"
#include "redaction.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringBuilder>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

using Security = ConnectionProfile::Security;

QString sentence(const QString &text)
{
    return text.left(1).toUpper() % text.mid(1) % u'.';
}

} // namespace

ProfileDialog::ProfileDialog(const ConnectionProfile &profile, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_form(new QFormLayout)
    , m_name(new QLineEdit(this))
    , m_bootstrap(new QLineEdit(this))
    , m_topic(new QLineEdit(this))
    , m_group(new QLineEdit(this))
    , m_security(new QComboBox(this))
    , m_caBundle(new QLineEdit(this))
    , m_caRow(new QWidget(this))
    , m_username(new QLineEdit(this))
    , m_passwordEdit(new QLineEdit(this))
    , m_awsRegion(new QLineEdit(this))
    , m_awsProfile(new QLineEdit(this))
    , m_awsKeyId(new QLineEdit(this))
    , m_awsSecret(new QLineEdit(this))
    , m_properties(new QPlainTextEdit(this))
    , m_notes(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(profile.name.isEmpty() ? QStringLiteral("New connection") : QStringLiteral("Edit connection"));
    m_name->setPlaceholderText(QStringLiteral("Production MSK"));
    m_bootstrap->setPlaceholderText(QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9098,…"));
    m_bootstrap->setToolTip(QStringLiteral("host:port of one or more brokers, comma-separated. MSK's port tells the "
                                           "listener: 9092 plaintext, 9094 TLS, 9096 SASL/SCRAM, 9098 IAM; 9194, "
                                           "9196 and 9198 for public access"));
    m_topic->setToolTip(QStringLiteral("The Kafka topic the shop's webhooks arrive on, or several separated by commas "
                                       "(products/update, inventory_levels/update and orders/create on topics of "
                                       "their own): they are read as one stream"));
    m_group->setPlaceholderText(QStringLiteral("None"));
    m_group->setToolTip(QStringLiteral("The consumer group peakwatch-cli analyze --profile joins by default. The "
                                       "desktop reads every partition without joining a group."));
    for (Security security : ConnectionProfile::kSecurities)
        m_security->addItem(ConnectionProfile::securityDescription(security), int(security));
    m_security->setToolTip(QStringLiteral("Amazon MSK's listener to connect to: it must match the bootstrap "
                                          "servers' port"));
    m_caBundle->setPlaceholderText(QStringLiteral("The system's CA store (MSK's certificates are publicly trusted)"));
    m_caBundle->setToolTip(QStringLiteral("A PEM file of CA certificates, for a cluster whose certificates are not "
                                          "publicly trusted. librdkafka cannot read a Java (JKS) truststore."));
    auto *browse = new QPushButton(QStringLiteral("Browse…"), m_caRow);
    auto *caLayout = new QHBoxLayout(m_caRow);
    caLayout->setContentsMargins(0, 0, 0, 0);
    caLayout->addWidget(m_caBundle, 1);
    caLayout->addWidget(browse);
    m_username->setPlaceholderText(QStringLiteral("The SASL/SCRAM user, from the cluster's secret in AWS Secrets "
                                                  "Manager"));
    m_passwordEdit->setObjectName(QStringLiteral("password"));
    m_awsKeyId->setObjectName(QStringLiteral("awsKeyId"));
    m_awsSecret->setObjectName(QStringLiteral("awsSecret"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setPlaceholderText(profile.name.isEmpty()
                                           ? QStringLiteral("Kept in the system keychain, never in a settings file")
                                           : QStringLiteral("Leave empty to keep the one in the system keychain"));
    m_awsRegion->setToolTip(QStringLiteral("The AWS region the cluster is in, such as us-east-1"));
    m_awsProfile->setPlaceholderText(QStringLiteral("The default credential chain"));
    m_awsProfile->setToolTip(QStringLiteral("A profile of ~/.aws/config and ~/.aws/credentials whose credentials "
                                            "sign the IAM token"));
    m_awsKeyId->setPlaceholderText(QStringLiteral("Optional: an access key of its own for this connection"));
    m_awsKeyId->setToolTip(QStringLiteral("AKIA…: kept with the secret key in the system keychain, and used instead "
                                          "of the AWS profile and the environment. Empty: the credential chain"));
    m_awsSecret->setEchoMode(QLineEdit::Password);
    m_awsSecret->setPlaceholderText(profile.name.isEmpty()
                                        ? QStringLiteral("Kept in the system keychain, never in a settings file")
                                        : QStringLiteral("Leave both empty to keep the keys in the system keychain"));
    m_properties->setPlaceholderText(QStringLiteral("# any other librdkafka property, one key=value a line\n"
                                                    "client.id=peakwatch"));
    m_properties->setToolTip(QStringLiteral("Passed to librdkafka as kcat's -X options are, after the fields above. "
                                            "Secrets (passwords, keys) are not saved to disk."));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setVisible(false);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #cf222e"));

    m_form->addRow(QStringLiteral("&Name:"), m_name);
    m_form->addRow(QStringLiteral("&Bootstrap servers:"), m_bootstrap);
    m_form->addRow(QStringLiteral("&Topics:"), m_topic);
    m_form->addRow(QStringLiteral("Consumer &group:"), m_group);
    m_form->addRow(QStringLiteral("S&ecurity:"), m_security);
    m_form->addRow(QStringLiteral("&CA bundle:"), m_caRow);
    m_form->addRow(QStringLiteral("SASL/SCRAM &user:"), m_username);
    m_form->addRow(QStringLiteral("Pass&word:"), m_passwordEdit);
    m_form->addRow(QStringLiteral("AWS &region:"), m_awsRegion);
    m_form->addRow(QStringLiteral("AWS &profile:"), m_awsProfile);
    m_form->addRow(QStringLiteral("AWS access &key ID:"), m_awsKeyId);
    m_form->addRow(QStringLiteral("AWS secret access ke&y:"), m_awsSecret);
    m_form->addRow(QStringLiteral("E&xtra properties:"), m_properties);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_caRow)))
        label->setBuddy(m_caBundle);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    QPushButton *import =
        buttons->addButton(QStringLiteral("&Import client.properties…"), QDialogButtonBox::ActionRole);
    import->setToolTip(QStringLiteral("Fill the fields from a Java client.properties, as kafka-console-consumer.sh "
                                      "takes it for Amazon MSK"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(import, &QPushButton::clicked, this, &ProfileDialog::chooseClientProperties);
    QPushButton *test = buttons->addButton(QStringLiteral("&Test connection…"), QDialogButtonBox::ActionRole);
    test->setToolTip(QStringLiteral("Diagnose reaching this cluster step by step: DNS, TCP, TLS, sign-in, metadata "
                                    "and every broker it advertises, with what to do when a step fails"));
    connect(test, &QPushButton::clicked, this, &ProfileDialog::testConnection);
    connect(browse, &QPushButton::clicked, this, &ProfileDialog::chooseCaBundle);
    connect(m_security, &QComboBox::currentIndexChanged, this, &ProfileDialog::showSecurityFields);
    connect(m_bootstrap, &QLineEdit::textChanged, this, [this](const QString &servers) {
        const QString region = ConnectionProfile::regionOfBootstrap(servers);
        m_awsRegion->setPlaceholderText(region.isEmpty() ? QStringLiteral("us-east-1") : region);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_notes);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setFields(profile);
    resize(620, 520);
}

void ProfileDialog::setFields(const ConnectionProfile &profile)
{
    m_name->setText(profile.name);
    m_bootstrap->setText(profile.bootstrapServers);
    m_topic->setText(profile.topic);
    m_group->setText(profile.group);
    m_security->setCurrentIndex(m_security->findData(int(profile.security)));
    m_caBundle->setText(profile.caBundle);
    m_username->setText(profile.saslUsername);
    m_awsRegion->setText(profile.awsRegion);
    m_awsProfile->setText(profile.awsProfile);
    m_properties->setPlainText(profile.propertiesText());
    showSecurityFields();
}

ConnectionProfile::Security ProfileDialog::security() const
{
    return Security(m_security->currentData().toInt());
}

void ProfileDialog::showSecurityFields()
{
    const Security chosen = security();
    m_form->setRowVisible(m_caRow, chosen != Security::Plaintext);
    m_form->setRowVisible(m_username, chosen == Security::SaslScram);
    m_form->setRowVisible(m_passwordEdit, chosen == Security::SaslScram);
    m_form->setRowVisible(m_awsRegion, chosen == Security::Iam);
    m_form->setRowVisible(m_awsProfile, chosen == Security::Iam);
    m_form->setRowVisible(m_awsKeyId, chosen == Security::Iam);
    m_form->setRowVisible(m_awsSecret, chosen == Security::Iam);
}

void ProfileDialog::chooseCaBundle()
{
    const QString start = m_caBundle->text().isEmpty() ? QDir::homePath() : QFileInfo(m_caBundle->text()).path();
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("CA bundle"), start,
                                                      QStringLiteral("PEM certificates (*.pem *.crt *.cer);;All "
                                                                     "files (*)"));
    if (!path.isEmpty())
        m_caBundle->setText(path);
}

void ProfileDialog::chooseClientProperties()
{
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Import client.properties"), QDir::homePath(),
                                     QStringLiteral("Java client properties (*.properties);;All "
                                                    "files (*)"));
    if (path.isEmpty())
        return;
    if (Status s = importClientProperties(path); !s)
        m_error->setText(sentence(s.error()));
}

Status ProfileDialog::importClientProperties(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("could not read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    ConnectionProfile base; // what a client.properties does not hold: the name, the topic and the group
    base.name = m_name->text().trimmed();
    base.topic = m_topic->text().trimmed();
    base.group = m_group->text().trimmed();
    const ProfileImport imported = peakwatch::importClientProperties(QString::fromUtf8(file.readAll()), base);
    setFields(imported.profile);
    if (!imported.password.isEmpty())
        m_passwordEdit->setText(imported.password);

    QStringList lines{QStringLiteral("Imported %1.").arg(QFileInfo(path).fileName())};
    if (!imported.password.isEmpty())
        lines << QStringLiteral("The password is in the password field: saving keeps it in the system keychain, "
                                "not in the settings file.");
    for (const QString &note : imported.notes)
        lines << QStringLiteral("• ") % note;
    for (const QString &line : imported.unknown)
        lines << QStringLiteral("• Not understood, skipped: ") % line;
    m_notes->setText(lines.join(u'\n'));
    m_notes->setVisible(true);
    m_error->clear();
    return {};
}

QString ProfileDialog::importNotes() const
{
    return m_notes->text();
}

std::optional<ConnectionProfile> ProfileDialog::readFields()
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.bootstrapServers = m_bootstrap->text().trimmed();
    p.topic = m_topic->text().trimmed();
    p.group = m_group->text().trimmed();
    p.security = security();
    // Only what the listener uses is kept.
    if (p.usesTls())
        p.caBundle = m_caBundle->text().trimmed();
    if (p.security == Security::SaslScram)
        p.saslUsername = m_username->text().trimmed();
    if (p.security == Security::Iam) {
        p.awsRegion = m_awsRegion->text().trimmed();
        if (p.awsRegion.isEmpty())
            p.awsRegion = ConnectionProfile::regionOfBootstrap(p.bootstrapServers);
        p.awsProfile = m_awsProfile->text().trimmed();
    }
    auto properties = ConnectionProfile::parseProperties(m_properties->toPlainText());
    if (!properties) {
        m_error->setText(QStringLiteral("Extra properties, ") + properties.error());
        return std::nullopt;
    }
    p.properties = *properties;
    if (const QString problem = p.problem(); !problem.isEmpty()) {
        m_error->setText(sentence(problem));
        return std::nullopt;
    }
    m_error->clear();
    return p;
}

std::optional<QString> ProfileDialog::readAwsKeys()
{
    if (security() != Security::Iam)
        return QString();
    const QString id = m_awsKeyId->text().trimmed();
    const QString secret = m_awsSecret->text().trimmed();
    if (id.isEmpty() && secret.isEmpty())
        return QString();
    QString error;
    if (id.isEmpty())
        error = QStringLiteral("AWS access key ID: needed with the secret access key (or leave both empty)");
    else if (secret.isEmpty())
        error = QStringLiteral("AWS secret access key: needed with the access key ID (or leave both empty)");
    else if (id.size() < 16 || id.size() > 128 ||
             !(id.startsWith(QLatin1String("AK")) || id.startsWith(QLatin1String("AS"))) ||
             std::any_of(id.cbegin(), id.cend(), [](QChar c) { return !c.isLetterOrNumber(); }))
        error = QStringLiteral("AWS access key ID: \"%1\" is not one (they look like AKIAIOSFODNN7EXAMPLE)").arg(id);
    if (!error.isEmpty()) {
        m_error->setText(error);
        (id.isEmpty() || !secret.isEmpty() ? m_awsKeyId : m_awsSecret)->setFocus();
        return std::nullopt;
    }
    return awsKeysSecret(id, secret);
}

void ProfileDialog::accept()
{
    const std::optional<ConnectionProfile> p = readFields();
    if (!p)
        return;
    const std::optional<QString> keys = readAwsKeys();
    if (!keys)
        return;
    m_profile = *p;
    m_password = p->security == Security::SaslScram ? m_passwordEdit->text() : QString();
    m_awsKeys = *keys;
    QDialog::accept();
}

void ProfileDialog::testConnection()
{
    const std::optional<ConnectionProfile> p = readFields();
    if (!p)
        return;
    DoctorOptions options;
    options.bootstrapServers = p->bootstrapServers;
    options.properties = p->kafkaProperties();
    if (p->security == Security::SaslScram && !m_passwordEdit->text().isEmpty())
        options.properties.append({"sasl.password", m_passwordEdit->text().toUtf8()});
    const std::optional<QString> keys = readAwsKeys();
    if (!keys)
        return;
    if (const auto pair = awsKeysOfSecret(*keys)) {
        registerSecret(pair->second);
        AwsCredentials credentials;
        credentials.accessKeyId = pair->first;
        credentials.secretAccessKey = pair->second;
        credentials.source = QStringLiteral("the keys typed in the connection dialog");
        useMskIamKeys(options.properties, registerMskIamKeys(credentials));
    }
    options.topic = p->topic;
    auto *doctor = new DoctorDialog(options, this);
    doctor->setAttribute(Qt::WA_DeleteOnClose);
    doctor->setWindowTitle(QStringLiteral("Test connection: ") + (p->name.isEmpty() ? p->bootstrapServers : p->name));
    doctor->show();
}

} // namespace peakwatch::ui
