// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "connection_profile.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QWidget;

namespace peakwatch::ui {

// Creates or edits a saved connection: name, bootstrap servers, topic, consumer group, MSK's security listener
// (with the CA bundle, the SASL/SCRAM user and password, or the AWS region and profile it needs) and any other
// librdkafka property; or fills them from a Java client.properties. The password is not part of the profile: the
// caller keeps it in the SecretStore.
class ProfileDialog final : public QDialog {
    Q_OBJECT
public:
    explicit ProfileDialog(const ConnectionProfile &profile, QWidget *parent = nullptr);
    ConnectionProfile profile() const { return m_profile; }
    // The SASL/SCRAM password typed or imported, for the caller to keep at kafkaPasswordKey(profile().name);
    // empty: keep the one kept already, if any.
    QString password() const { return m_password; }
    // An IAM profile's AWS keys typed, as awsKeysSecret() forms them, for the caller to keep at
    // awsKeysKey(profile().name); empty: keep the ones kept already, if any.
    QString awsKeys() const { return m_awsKeys; }

    // Fills the fields from a Java client.properties file, as "Import client.properties…" does, keeping the name
    // and topic typed; what was left out is shown in the dialog. The error says why the file could not be read.
    Status importClientProperties(const QString &path);
    // What the last import left out or changed, as shown; empty when nothing.
    QString importNotes() const;

    void accept() override;

private:
    void setFields(const ConnectionProfile &profile);
    ConnectionProfile::Security security() const;
    void showSecurityFields();
    void chooseCaBundle();
    void chooseClientProperties();
    // The profile the fields describe; none, with the reason shown, when they do not make one.
    std::optional<ConnectionProfile> readFields();
    // The AWS keys typed (awsKeysSecret's form), "" when none; nullopt, with the reason shown, when only one is.
    std::optional<QString> readAwsKeys();
    // "Test connection…": the step-by-step diagnosis (DoctorDialog) of what the fields describe, password included.
    void testConnection();

    ConnectionProfile m_profile;
    QString m_password;
    QString m_awsKeys;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QLineEdit *m_bootstrap;
    QLineEdit *m_topic;
    QLineEdit *m_group;
    QComboBox *m_security;
    QLineEdit *m_caBundle;
    QWidget *m_caRow;
    QLineEdit *m_username;
    QLineEdit *m_passwordEdit;
    QLineEdit *m_awsRegion;
    QLineEdit *m_awsProfile;
    QLineEdit *m_awsKeyId;
    QLineEdit *m_awsSecret;
    QPlainTextEdit *m_properties;
    QLabel *m_notes;
    QLabel *m_error;
};

} // namespace peakwatch::ui
