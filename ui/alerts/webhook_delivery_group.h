// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_group.h"

namespace peakwatch::ui {

// A signed webhook in the delivery dialog: the receiver's URL and the key that signs each body, both secrets. Every
// alert goes to it as one signed JSON POST (webhook_alert_sink.h).
class WebhookDeliveryGroup final : public DeliveryGroup {
    Q_OBJECT
public:
    WebhookDeliveryGroup(const QString &connection, const DeliverySettings &settings, DeliveryDialog &dialog);

    static void load(const QSettings &settings, DeliverySettings &out);
    void save(QSettings &settings) const override;
    QList<QWidget *> tabChain() const override;

protected:
    QString problem(QWidget *&where) const override;
    std::unique_ptr<AlertSink> makeSink(const QStringList &secrets, QString &error) const override;
    QString destination() const override;

private:
    QLineEdit *m_url;
    QLineEdit *m_signingKey;
};

} // namespace peakwatch::ui
