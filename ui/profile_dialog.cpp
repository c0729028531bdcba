#include "profile_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace peakwatch::ui {

ProfileDialog::ProfileDialog(const ConnectionProfile &profile, QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_name(new QLineEdit(profile.name, this))
    , m_bootstrap(new QLineEdit(profile.bootstrapServers, this))
    , m_topic(new QLineEdit(profile.topic, this))
    , m_properties(new QPlainTextEdit(profile.propertiesText(), this))
    , m_error(new QLabel(this))
{
    setWindowTitle(profile.name.isEmpty() ? QStringLiteral("New connection") : QStringLiteral("Edit connection"));
    m_name->setPlaceholderText(QStringLiteral("Production MSK"));
    m_bootstrap->setPlaceholderText(QStringLiteral("b-1.shop.abc123.kafka.us-east-1.amazonaws.com:9092,…"));
    m_bootstrap->setToolTip(QStringLiteral("host:port of one or more brokers, comma-separated"));
    m_topic->setToolTip(QStringLiteral("The topic the products/update webhooks arrive on"));
    m_properties->setPlaceholderText(QStringLiteral("# any librdkafka property, one key=value a line\n"
                                                    "security.protocol=SSL\nssl.ca.location=/etc/ssl/certs/ca.pem"));
    m_properties->setToolTip(QStringLiteral("Passed to librdkafka as kcat's -X options are. Secrets (passwords, "
                                            "keys) are not saved to disk."));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #cf222e"));
    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("&Name:"), m_name);
    form->addRow(QStringLiteral("&Bootstrap servers:"), m_bootstrap);
    form->addRow(QStringLiteral("&Topic:"), m_topic);
    form->addRow(QStringLiteral("&Properties:"), m_properties);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(560, 360);
}

void ProfileDialog::accept()
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.bootstrapServers = m_bootstrap->text().trimmed();
    p.topic = m_topic->text().trimmed();
    auto properties = ConnectionProfile::parseProperties(m_properties->toPlainText());
    if (!properties) {
        m_error->setText(QStringLiteral("Properties, ") + properties.error());
        return;
    }
    p.properties = *properties;
    if (const QString problem = p.problem(); !problem.isEmpty()) {
        m_error->setText(problem.left(1).toUpper() + problem.mid(1) + u'.');
        return;
    }
    m_profile = p;
    QDialog::accept();
}

} // namespace peakwatch::ui
