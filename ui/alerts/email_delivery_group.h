// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_group.h"

class QSpinBox;

namespace peakwatch {
struct EmailOptions;
}

namespace peakwatch::ui {

// E-mail in the delivery dialog: the SMTP server's URL with its user and password (a secret), the recipients of
// every shop's alerts, the sender, and the digest interval.
class EmailDeliveryGroup final : public DeliveryGroup {
    Q_OBJECT
public:
    EmailDeliveryGroup(const QString &connection, const DeliverySettings &settings, DeliveryDialog &dialog);

    static void load(const QSettings &settings, DeliverySettings &out);
    void save(QSettings &settings) const override;
    QList<QWidget *> tabChain() const override;

protected:
    QString problem(QWidget *&where) const override;
    std::unique_ptr<AlertSink> makeSink(const QStringList &secrets, QString &error) const override;
    QString destination() const override;

private:
    QStringList recipients() const;
    EmailOptions options(const QUrl &smtpUrl) const;

    QLineEdit *m_smtpUrl;
    QLineEdit *m_to;
    QLineEdit *m_from;
    QSpinBox *m_digest;
};

} // namespace peakwatch::ui
