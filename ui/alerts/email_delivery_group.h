// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_group.h"

class QPlainTextEdit;
class QSpinBox;

namespace peakwatch {
struct EmailOptions;
struct ShopRecipients;
} // namespace peakwatch

namespace peakwatch::ui {

// E-mail in the delivery dialog: the SMTP server's URL with its user and password (a secret), the recipients of
// every shop's alerts, a line per shop with addresses of its own ("shop = address, address"), the sender, and
// the digest interval.
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
    // The per-shop lines that are not blank, and what the first one that is wrong is ("Line 2: …"); empty when none.
    QStringList shopLines() const;
    QString shopProblem(std::vector<ShopRecipients> *shops = nullptr) const;
    EmailOptions options(const QUrl &smtpUrl) const;

    QLineEdit *m_smtpUrl;
    QLineEdit *m_to;
    QPlainTextEdit *m_shopTo;
    QLineEdit *m_from;
    QSpinBox *m_digest;
};

} // namespace peakwatch::ui
