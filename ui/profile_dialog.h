#pragma once

#include "connection_profile.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace peakwatch::ui {

// Creates or edits a saved connection: name, bootstrap servers, topic and librdkafka properties.
class ProfileDialog final : public QDialog {
    Q_OBJECT
public:
    explicit ProfileDialog(const ConnectionProfile &profile, QWidget *parent = nullptr);
    ConnectionProfile profile() const { return m_profile; }

    void accept() override;

private:
    ConnectionProfile m_profile;
    QLineEdit *m_name;
    QLineEdit *m_bootstrap;
    QLineEdit *m_topic;
    QPlainTextEdit *m_properties;
    QLabel *m_error;
};

} // namespace peakwatch::ui
