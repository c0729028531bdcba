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
// for (Slack webhooks from environment variables, desktop notifications, an alerts topic).
class CliAlertDelivery final : public QObject {
    Q_OBJECT
public:
    CliAlertDelivery();
    ~CliAlertDelivery() override;

    void addOptions(QCommandLineParser &parser) const;
    // Whether any sink was asked for (else nothing is set up and submit() is never needed).
    bool wanted(const QCommandLineParser &parser) const;
    // Opens the outbox and creates the sinks; the error names the option at fault.
    Status setUp(const QCommandLineParser &parser, const QString &bootstrapServers, const KafkaProperties &properties,
                 const AlertRules &rules);

    // Thread-safe: hands the alerts to the dispatcher's thread.
    void submit(std::vector<Alert> alerts);
    // Runs the event loop until everything due is delivered, or `timeoutMs` passes, or a sink refuses. Returns
    // an error naming what is still pending, or the sink that refused.
    Status drain(int timeoutMs);

private:
    QCommandLineOption m_outbox;
    QCommandLineOption m_slack;
    QCommandLineOption m_slackShop;
    QCommandLineOption m_notify;
    QCommandLineOption m_alertsTopic;
    std::unique_ptr<AlertOutbox> m_store;
    std::unique_ptr<AlertDispatcher> m_dispatcher;
    QStringList m_refusals;
};

} // namespace peakwatch::cli
