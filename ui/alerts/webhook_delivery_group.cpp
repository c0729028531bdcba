// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_delivery_group.h"

#include "webhook_alert_sink.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStringBuilder>

namespace peakwatch::ui {
namespace {

const QString kWebhook = QStringLiteral("webhook");

} // namespace

WebhookDeliveryGroup::WebhookDeliveryGroup(const QString &connection, const DeliverySettings &, DeliveryDialog &dialog)
    : DeliveryGroup(QStringLiteral("Webhook"), dialog)
{
    m_url = addSecret(QStringLiteral("webhookUrl"), webhookUrlKey(connection), QStringLiteral("the webhook's URL"),
                      QStringLiteral("https://reorders.example.com/peakwatch"),
                      QStringLiteral("The receiver's endpoint (an automation tool, your own reorder service): each "
                                     "alert is POSTed to it as JSON."));
    m_signingKey = addSecret(QStringLiteral("webhookSigningKey"), webhookSigningKeyKey(connection),
                             QStringLiteral("the webhook's signing key"),
                             QStringLiteral("the key the receiver checks signatures with"),
                             QStringLiteral("The key each body is signed with (HMAC-SHA256 in the "
                                            "X-Peakwatch-Signature header); the receiver keeps the same key."));
    removeButton()->setObjectName(QStringLiteral("removeWebhook"));
    makeTest(QStringLiteral("testWebhook"), QStringLiteral("POST one signed alert marked as a test to the receiver now "
                                                           "(what is typed here, else what is stored)"));

    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(removeButton());
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_signingKey, 1);
    keyRow->addWidget(testButton());
    auto *form = new QFormLayout(this);
    auto *urlLabel = new QLabel(QStringLiteral("&URL:"), this);
    urlLabel->setBuddy(m_url);
    form->addRow(urlLabel, urlRow);
    auto *keyLabel = new QLabel(QStringLiteral("Signing &key:"), this);
    keyLabel->setBuddy(m_signingKey);
    form->addRow(keyLabel, keyRow);
    form->addRow(testOutcome());
}

void WebhookDeliveryGroup::load(const QSettings &settings, DeliverySettings &out)
{
    out.webhook = settings.value(kWebhook, false).toBool();
}

void WebhookDeliveryGroup::save(QSettings &settings) const
{
    settings.setValue(kWebhook, configured());
}

QList<QWidget *> WebhookDeliveryGroup::tabChain() const
{
    return {m_url, removeButton(), m_signingKey, testButton()};
}

QString WebhookDeliveryGroup::problem(QWidget *&where) const
{
    if (!configured()) {
        where = m_url;
        return removing() || typed(1).isEmpty()
                   ? QString()
                   : QStringLiteral("Webhook: enter the receiver's URL, or clear the signing key.");
    }
    if (const QString url = typed(0); !url.isEmpty()) {
        if (const Status ok = WebhookSink::checkUrl(QUrl(url, QUrl::StrictMode)); !ok) {
            where = m_url;
            return QStringLiteral("Webhook: ") % ok.error();
        }
    }
    if (!present(1)) {
        where = m_signingKey;
        return QStringLiteral("Webhook: enter the key that signs each body (the receiver checks it).");
    }
    return {};
}

std::unique_ptr<AlertSink> WebhookDeliveryGroup::makeSink(const QStringList &secrets, QString &error) const
{
    const QUrl url(secrets.value(0), QUrl::StrictMode);
    if (const Status ok = WebhookSink::checkUrl(url); !ok) {
        error = ok.error();
        return nullptr;
    }
    return std::make_unique<WebhookSink>(QStringLiteral("webhook"), url, secrets.value(1).toUtf8());
}

QString WebhookDeliveryGroup::destination() const
{
    return QStringLiteral("the webhook");
}

} // namespace peakwatch::ui
