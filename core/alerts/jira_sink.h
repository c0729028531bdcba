// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_sink.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <optional>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace peakwatch {

// Where and how a Jira sink files its issues.
struct JiraOptions {
    QString projectKey; // the project the issues go to ("OPS")
    QString issueType = QStringLiteral("Task");
    QStringList labels; // besides "peakwatch", which every issue gets
    enum class OnRestock { Resolve, Leave } onRestock = OnRestock::Resolve;
    QString resolveTransition = QStringLiteral("Done"); // the workflow transition that resolves an issue
};

// Alerts as Jira issues, through Jira Cloud's REST API (v2): one issue per product episode, commented on as the
// episode moves on. The episode's first alert creates the issue (POST /rest/api/2/issue: a summary such as
// "Selling out: Fleece Hoodie (peak-apparel.myshopify.com)", a description with the stock, the rate, the predicted
// sell-out with its interval and the product's page in the Shopify admin, the configured labels); its key (OPS-42)
// is kept in the outbox (SendOutcome::threadsStarted, Alert::threadReference), so a restart keeps the issues.
// Each later alert of the episode is a comment on that issue; a restock, the episode's end, also resolves it
// through the workflow transition named in the options, unless told to leave it open. An issue deleted in the
// meantime (404 on the comment) is replaced by a new one. A restock that has no issue yet (the sink was added late,
// the issue was deleted) gets one, resolved at once.
//
// One alert per send, so that an episode's issue exists before its comments. The site is
// https://<user>:<API token>@<site>.atlassian.net, the user being the Atlassian account's e-mail address
// (percent-encoded: me%40example.com) and the token an API token of that account, sent with Basic auth. The URL
// and the token are registered as secrets (redaction.h): no error or log line shows them.
//
// Jira's answer decides the outcome: 200, 201, 204 delivered; 400 failed with Jira's own words (its errorMessages
// and errors); 401 and 403 failed, the credentials refused; 404 on creating an issue failed (no Jira REST API at
// that site); 429 retried after its Retry-After; 5xx, timeouts and network errors retried. Once the comment of a
// restock is posted, the alert has arrived: a resolution that fails (no such transition, an error) is logged and
// the issue left open.
class JiraSink final : public AlertSink {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 15'000;
    // Jira's limits: characters in a summary, and in a description or a comment.
    static constexpr int kMaxSummaryChars = 255;
    static constexpr int kMaxTextChars = 32'767;

    // `name` as AlertSink::name() ("jira", "jira:<project>"). A site or options that cannot be used are kept, and
    // every send() fails with what is wrong.
    JiraSink(QString name, QUrl site, JiraOptions options, QObject *parent = nullptr);
    ~JiraSink() override;
    Q_DISABLE_COPY_MOVE(JiraSink)

    // Whether `site` may be used: https (plain http only to this machine: 127.0.0.1, ::1, localhost), a host, and a
    // user and an API token in it. The error says what is wrong without repeating the URL.
    static Status checkSite(const QUrl &site);
    // Whether the options can file issues: a project key and an issue type.
    static Status checkOptions(const JiraOptions &options);

    // What goes to Jira, from an alert. Pure: no I/O, no clock.
    // The issue's fields for POST /rest/api/2/issue: {"fields": {project, issuetype, summary, description, labels}}.
    static QJsonObject issueRequest(const Alert &alert, const JiraOptions &options);
    static QString summary(const Alert &alert);
    // The label that marks an episode's issue ("peakwatch-episode-" and 16 hex digits of its SHA-1): before it
    // files an episode's first issue, the sink looks for one with it, so that a run killed between Jira's
    // answer and the outbox's record finds the issue it filed instead of filing a second.
    static QString episodeLabel(const QByteArray &episode); // "Sold out: Fleece Hoodie (peak-apparel.myshopify.com)"
    // The alert in words for a description or a comment, in Jira's text (its markup characters in titles escaped).
    static QString details(const Alert &alert);

    // How an answer of Jira's REST API is taken: `httpStatus`, the body, and the Retry-After header (empty when
    // absent). `creating`: the answer to creating an issue, where 404 means no such API at the site. Pure.
    static SendOutcome outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter,
                                        bool creating = false);
    // Jira's own words in an error answer ({"errorMessages": [...], "errors": {"field": "message"}}), joined:
    // "Specify a summary; project: project is required". Empty when the body says nothing of use.
    static QString jiraWords(const QByteArray &body);

    QString name() const override { return m_name; }
    int maxGroup() const override { return 1; }
    qint64 minIntervalMs() const override { return 200; }
    void send(const std::vector<Alert> &alerts) override;

    // How long one request may take, from sending it to the whole answer, before the send is given up and retried.
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }

private:
    // The steps of one send, each one request.
    enum class Step { Find, Create, Comment, ListTransitions, Transition };
    void start(Step step, const QByteArray &issueKey, std::optional<QJsonObject> body = std::nullopt);
    void onReplyFinished(QNetworkReply *reply);
    void onTimeout();
    void afterCreated(const QByteArray &body);
    void afterCommented();
    void afterTransitionsListed(const QByteArray &body);
    // The resolution did not happen: logged, the alert delivered all the same.
    void resolutionSkipped(const QString &why);
    void finish(SendOutcome outcome);
    QUrl apiUrl(const QString &path) const;
    bool resolves(const Alert &alert) const;

    const QString m_name;
    const QUrl m_site; // without its user and token
    const JiraOptions m_options;
    const Status m_status;
    const QByteArray m_authorization; // "Basic …"
    QNetworkAccessManager *const m_network;
    QPointer<QNetworkReply> m_reply; // the request in flight
    QTimer m_timeout;
    bool m_timedOut = false;
    bool m_sending = false;
    int m_timeoutMs = kDefaultTimeoutMs;

    // The send in progress.
    Alert m_alert;
    Step m_step = Step::Create;
    QByteArray m_issueKey;  // the issue of the alert's episode
    SendOutcome m_progress; // what has arrived so far
};

} // namespace peakwatch
