// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"
#include "kafka_config.h"
#include "result.h"

#include <QCommandLineOption>
#include <QObject>

#include <memory>
#include <vector>

class QCommandLineParser;

namespace peakwatch {
class AlertDispatcher;
class AlertOutbox;
} // namespace peakwatch

namespace peakwatch::cli {

// The alert delivery of `peakwatch-cli analyze`: its options, and the outbox, dispatcher and sinks they ask
// for (Slack webhooks, or a Slack bot, from environment variables; desktop notifications; an alerts topic; e-mail,
// Jira issues and a generic webhook, their URLs and credentials from environment variables).
class CliAlertDelivery final : public QObject {
    Q_OBJECT
public:
    CliAlertDelivery();
    ~CliAlertDelivery() override;

    void addOptions(QCommandLineParser &parser) const;
    // --drain-timeout SECONDS, with its default.
    const QCommandLineOption &drainTimeoutOption() const { return m_drainTimeout; }
    // Whether any sink was asked for (else nothing is set up and submit() is never needed).
    bool wanted(const QCommandLineParser &parser) const;
    // Opens the outbox and creates the sinks; the error names the option at fault.
    Status setUp(const QCommandLineParser &parser, const QString &bootstrapServers, const KafkaProperties &properties,
                 const AlertRules &rules);

    // Thread-safe: hands the alerts to the dispatcher's thread.
    void submit(std::vector<Alert> alerts);
    // Runs the event loop while alerts are still to be delivered: until nothing is pending, or nothing more falls
    // due within `timeoutMs` of the call (a 429's Retry-After, a backoff after a failed send, quiet hours that
    // end), or that time is spent, or stopDraining() is called. A sink that refused alerts for good does not hold
    // it. Returns an error naming the refusals and, per sink, how many alerts are still pending and why; alerts
    // that quiet hours hold are reported on standard error but are no error.
    Status drain(qint64 timeoutMs);
    // Ends a drain that is running (a signal): what is pending stays in the outbox. Does nothing otherwise.
    void stopDraining();

private:
    // What drain() returns once it has stopped waiting.
    Status undelivered();
    // The e-mail, Jira and webhook sinks the options ask for.
    Status addEmailSinks(const QCommandLineParser &parser);
    Status addJiraSink(const QCommandLineParser &parser);
    Status addWebhookSink(const QCommandLineParser &parser);

    QCommandLineOption m_outbox;
    QCommandLineOption m_slack;
    QCommandLineOption m_slackShop;
    QCommandLineOption m_slackBot;
    QCommandLineOption m_slackChannel;
    QCommandLineOption m_slackApi;
    QCommandLineOption m_notify;
    QCommandLineOption m_alertsTopic;
    QCommandLineOption m_email;
    QCommandLineOption m_emailTo;
    QCommandLineOption m_emailShopTo;
    QCommandLineOption m_emailFrom;
    QCommandLineOption m_emailDigest;
    QCommandLineOption m_jira;
    QCommandLineOption m_jiraProject;
    QCommandLineOption m_jiraIssueType;
    QCommandLineOption m_jiraLabel;
    QCommandLineOption m_jiraOnRestock;
    QCommandLineOption m_jiraTransition;
    QCommandLineOption m_webhook;
    QCommandLineOption m_webhookSecret;
    QCommandLineOption m_drainTimeout;
    std::unique_ptr<AlertOutbox> m_store;
    std::unique_ptr<AlertDispatcher> m_dispatcher;
    QStringList m_refusals;
    bool m_draining = false;
    bool m_stopDraining = false;
};

} // namespace peakwatch::cli
