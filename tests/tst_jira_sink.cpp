// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Jira delivery of alerts: an issue per product episode, commented on as the episode moves on and resolved on a
// restock; the site check, how Jira's answers are taken (delivered, retried after a rate limit or a server error,
// failed with Jira's own words), an issue deleted meanwhile, and that the API token never shows. End to end through
// the outbox and the dispatcher, against JiraTestServer, a real HTTP server on loopback that answers as Jira does.
#include "jira_test_server.h"

#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "alert_sink.h"
#include "jira_sink.h"
#include "shopify_admin.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QStringBuilder>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace peakwatch;
using peakwatch::test::JiraAnswer;
using peakwatch::test::JiraIssue;
using peakwatch::test::JiraTestServer;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kEventMs = 1'795'755'600'000; // 2026-11-27T05:00:00Z
constexpr qint64 kHoodie = 8841726390317;
const QByteArray kShop = QByteArrayLiteral("peak-apparel.myshopify.com");
const QString kSink = QStringLiteral("jira");
const QString kToken = QString::fromLatin1(JiraTestServer::kToken);

// One product's episode as the engine fires it: selling out, sold out, restocked.
std::vector<Alert> episodeOf(const QByteArray &episode, qint64 productId, const QByteArray &title)
{
    const AlertRule rules[] = {AlertRule::SellingOut, AlertRule::SoldOut, AlertRule::Restocked};
    const qint64 minutes[] = {14, 37, 95};
    const qint64 quantities[] = {12, 0, 40};
    std::vector<Alert> out;
    for (int i = 0; i < 3; ++i) {
        Alert a;
        a.id = episode + '-' + alertRuleName(rules[i]).toLatin1();
        a.rule = rules[i];
        a.shop = kShop;
        a.productId = productId;
        a.title = title;
        a.quantity = quantities[i];
        a.atMs = kEventMs + minutes[i] * kMinute;
        a.episode = episode;
        out.push_back(a);
    }
    out[0].ratePerHour = 42.0;
    out[0].selloutAtMs = kEventMs + 37 * kMinute;
    out[0].selloutEarliestMs = kEventMs + 31 * kMinute;
    out[0].selloutLatestMs = kEventMs + 52 * kMinute;
    out[0].message = QString::fromUtf8(title) % QStringLiteral(" will sell out in about 23 min");
    out[1].message = QString::fromUtf8(title) % QStringLiteral(" sold out");
    out[2].message = QString::fromUtf8(title) % QStringLiteral(" restocked: 40 in stock (was 0)");
    return out;
}

// Submits the alerts one by one, each once the one before is settled (delivered, failed, or nothing due within a
// minute: a retry after Jira's Retry-After is waited for).
[[nodiscard]] bool deliverEach(AlertDispatcher &dispatcher, const std::vector<Alert> &alerts, int timeoutMs = 20'000)
{
    for (const Alert &a : alerts) {
        if (!dispatcher.submit({a}))
            return false;
        if (!QTest::qWaitFor([&] { return dispatcher.settled(60'000); }, timeoutMs))
            return false;
    }
    return true;
}

struct Sent {
    qsizetype finishedCount = 0;
    SendOutcome outcome;
};

Sent sendAndWait(AlertSink &sink, const std::vector<Alert> &alerts, int timeoutMs = 20'000)
{
    QSignalSpy spy(&sink, &AlertSink::finished);
    sink.send(alerts);
    if (spy.isEmpty())
        spy.wait(timeoutMs);
    QTest::qWait(100); // a second finished() would be a defect
    Sent sent;
    sent.finishedCount = spy.size();
    if (!spy.isEmpty())
        sent.outcome = spy.first().first().value<SendOutcome>();
    return sent;
}

qsizetype countRequests(const JiraTestServer &server, const QByteArray &method, const QByteArray &pathEnd)
{
    return std::count_if(server.requests().begin(), server.requests().end(),
                         [&](const auto &r) { return r.method == method && r.path.endsWith(pathEnd); });
}

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void capturingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log << message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Captures every log line while it lives, the alerts' debug lines included.
struct LogCapture {
    LogCapture()
    {
        g_log.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("peakwatch.alerts=true"));
        g_previousHandler = qInstallMessageHandler(capturingHandler);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QString());
    }
    Q_DISABLE_COPY_MOVE(LogCapture)
};

} // namespace

class TestJiraSink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Pure parts.
    void checkSite_data();
    void checkSite();
    void outcomeForAnswer_data();
    void outcomeForAnswer();
    void issueCarriesTheAlert();
    void titlesCannotBecomeMarkup();

    // Against the server, through the outbox and the dispatcher.
    void episodeIsOneIssue_data();
    void episodeIsOneIssue();
    void twoProductsTwoIssues();
    void labelsAndIssueTypeAsConfigured();
    void badRequestShowsJirasWords_data();
    void badRequestShowsJirasWords();
    void badCredentialsFailWithoutTheToken();
    void rateLimitedIsRetriedAfterRetryAfter();
    void serverErrorThenSuccessDeliversOnce();
    void deletedIssueGetsANewOne();
    void issueFiledBeforeTheOutboxKnewIsFound();
    void restockWithoutAnIssueIsFiledResolved();

    // The sink on its own.
    void noAnswerIsRetriedAfterTimeout();
    void refusedSettingsFailWithoutRequest();

private:
    QTemporaryDir m_dir;
};

void TestJiraSink::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qRegisterMetaType<SendOutcome>();
}

void TestJiraSink::checkSite_data()
{
    QTest::addColumn<QUrl>("site");
    QTest::addColumn<QString>("problem"); // a word of the error; empty: accepted

    QUrl cloud(QStringLiteral("https://yoursite.atlassian.net"));
    cloud.setUserName(QStringLiteral("pat@peak-apparel.example"));
    cloud.setPassword(kToken);
    QTest::addRow("Jira Cloud over https") << cloud << QString();
    QTest::addRow("an e-mail address percent-encoded in the URL")
        << QUrl(QStringLiteral("https://pat%40peak-apparel.example:") % kToken % QStringLiteral("@x.atlassian.net"))
        << QString();
    QTest::addRow("plain http to this machine")
        << QUrl(QStringLiteral("http://pat:") % kToken % QStringLiteral("@127.0.0.1:8080")) << QString();
    QTest::addRow("plain http elsewhere")
        << QUrl(QStringLiteral("http://pat:") % kToken % QStringLiteral("@yoursite.atlassian.net")) << "https";
    QTest::addRow("no user") << QUrl(QStringLiteral("https://yoursite.atlassian.net")) << "user";
    QTest::addRow("no API token") << QUrl(QStringLiteral("https://pat@yoursite.atlassian.net")) << "API token";
    QTest::addRow("another scheme") << QUrl(QStringLiteral("ftp://pat:") % kToken % QStringLiteral("@x.example"))
                                    << "https://";
    QTest::addRow("empty") << QUrl() << "No Jira site";
}

void TestJiraSink::checkSite()
{
    QFETCH(QUrl, site);
    QFETCH(QString, problem);
    const Status status = JiraSink::checkSite(site);
    if (problem.isEmpty()) {
        QVERIFY2(status, qPrintable(status.error()));
        return;
    }
    QVERIFY(!status);
    QVERIFY2(status.error().contains(problem), qPrintable(status.error()));
    QVERIFY2(!status.error().contains(kToken), qPrintable(status.error()));
}

void TestJiraSink::outcomeForAnswer_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<bool>("creating");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("words"); // in the error

    const int delivered = int(SendOutcome::Kind::Delivered);
    const int retry = int(SendOutcome::Kind::Retry);
    const int failed = int(SendOutcome::Kind::Failed);
    QTest::addRow("201 issue created") << 201 << QByteArray(R"({"id":"10001","key":"PW-1","self":"x"})") << QByteArray()
                                       << true << delivered << qint64(0) << QString();
    QTest::addRow("204 transition done") << 204 << QByteArray() << QByteArray() << false << delivered << qint64(0)
                                         << QString();
    QTest::addRow("400 with Jira's words")
        << 400
        << QByteArray(R"({"errorMessages":["Field 'x' cannot be set."],"errors":{"project":"project is required"}})")
        << QByteArray() << true << failed << qint64(0)
        << QStringLiteral("Field 'x' cannot be set.; project: project is required");
    QTest::addRow("400 without JSON") << 400 << QByteArray("<html>bad</html>") << QByteArray() << true << failed
                                      << qint64(0) << QStringLiteral("HTTP 400");
    QTest::addRow("401") << 401 << QByteArray() << QByteArray() << true << failed << qint64(0)
                         << QStringLiteral("Jira refused the credentials: check the user and API token");
    QTest::addRow("403 with Jira's words")
        << 403 << QByteArray(R"({"errorMessages":["You do not have permission to create issues in this project."]})")
        << QByteArray() << false << failed << qint64(0)
        << QStringLiteral("You do not have permission to create issues in this project.");
    QTest::addRow("404 on create: no such API at the site")
        << 404 << QByteArray() << QByteArray() << true << failed << qint64(0) << QStringLiteral("site's address");
    QTest::addRow("429 after Retry-After")
        << 429 << QByteArray() << QByteArray("7") << false << retry << qint64(7000) << QStringLiteral("7 s");
    QTest::addRow("429 without Retry-After")
        << 429 << QByteArray() << QByteArray() << false << retry << qint64(5000) << QStringLiteral("too many requests");
    QTest::addRow("500") << 500 << QByteArray() << QByteArray() << true << retry << qint64(0)
                         << QStringLiteral("HTTP 500");
    QTest::addRow("503 with words") << 503 << QByteArray(R"({"errorMessages":["Service unavailable"]})") << QByteArray()
                                    << false << retry << qint64(0) << QStringLiteral("Service unavailable");
    QTest::addRow("302 elsewhere") << 302 << QByteArray() << QByteArray() << true << failed << qint64(0)
                                   << QStringLiteral("leads elsewhere");
}

void TestJiraSink::outcomeForAnswer()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(bool, creating);
    QFETCH(int, kind);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, words);
    const SendOutcome outcome = JiraSink::outcomeForAnswer(status, body, retryAfter, creating);
    QCOMPARE(int(outcome.kind), kind);
    QCOMPARE(outcome.retryAfterMs, retryAfterMs);
    QVERIFY2(outcome.error.contains(words), qPrintable(outcome.error));
}

void TestJiraSink::issueCarriesTheAlert()
{
    const Alert alert = episodeOf("episode-1", kHoodie, "Fleece Hoodie").front();
    JiraOptions options;
    options.projectKey = QStringLiteral("PW");
    options.labels = {QStringLiteral("black-friday"), QStringLiteral("peak stock")};
    const QJsonObject fields = JiraSink::issueRequest(alert, options).value(QStringLiteral("fields")).toObject();
    QCOMPARE(fields.value(QStringLiteral("project")).toObject().value(QStringLiteral("key")).toString(),
             QStringLiteral("PW"));
    QCOMPARE(fields.value(QStringLiteral("issuetype")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Task"));
    QCOMPARE(fields.value(QStringLiteral("summary")).toString(),
             QStringLiteral("Selling out: Fleece Hoodie (peak-apparel.myshopify.com)"));
    // A label has no spaces in Jira; "peakwatch" marks every issue, and a label of its own each episode's.
    QCOMPARE(fields.value(QStringLiteral("labels")).toArray(),
             QJsonArray({QStringLiteral("black-friday"), QStringLiteral("peak-stock"), QStringLiteral("peakwatch"),
                         JiraSink::episodeLabel(alert.episode)}));
    QVERIFY(JiraSink::episodeLabel(alert.episode).startsWith(QStringLiteral("peakwatch-episode-")));
    QCOMPARE(JiraSink::episodeLabel(alert.episode).size(), 18 + 16);
    const QString description = fields.value(QStringLiteral("description")).toString();
    for (const QString &expected :
         {QStringLiteral("Rule: selling_out"), QStringLiteral("Product: Fleece Hoodie (id 8841726390317)"),
          QStringLiteral("Shop: peak-apparel.myshopify.com"), QStringLiteral("Stock: 12"),
          QStringLiteral("Rate: 42 units/hour"),
          QStringLiteral("Predicted sell-out: 2026-11-27 05:37 UTC (80 % interval: 2026-11-27 05:31 UTC to "
                         "05:52 UTC)"),
          shopifyAdminProductUrl(kShop, kHoodie), QStringLiteral("Alert episode-1-selling_out"),
          QStringLiteral("will sell out in about 23 min")})
        QVERIFY2(description.contains(expected), qPrintable(expected % QStringLiteral("\n---\n") % description));

    // A summary stays within Jira's 255 characters, on one line, whatever the title.
    Alert longTitle = alert;
    longTitle.title = QByteArray(400, 'x') + "\nsecond line";
    const QString summary = JiraSink::summary(longTitle);
    QVERIFY(summary.size() <= JiraSink::kMaxSummaryChars);
    QVERIFY(!summary.contains(u'\n'));
    QVERIFY2(summary.endsWith(QStringLiteral("… (peak-apparel.myshopify.com)")), qPrintable(summary));
}

// Jira renders a v2 description and comment as wiki markup: a title's brackets, braces and bars are escaped, so a
// title cannot link elsewhere, embed an image or a macro; the admin link stays a link.
void TestJiraSink::titlesCannotBecomeMarkup()
{
    Alert alert =
        episodeOf("episode-1", kHoodie, "[Sale|https://evil.example] !https://evil.example/x.png! {code}").front();
    const QString description = JiraSink::details(alert);
    QVERIFY2(description.contains(
                 QStringLiteral("\\[Sale\\|https://evil.example\\] \\!https://evil.example/x.png\\! \\{code\\}")),
             qPrintable(description));
    QVERIFY(!description.contains(QStringLiteral(" [Sale")));
    QVERIFY(description.contains(QStringLiteral("In the Shopify admin: ") % shopifyAdminProductUrl(kShop, kHoodie)));
    // The summary is plain text in Jira: shown as it is.
    QVERIFY(JiraSink::summary(alert).contains(QStringLiteral("[Sale|https://evil.example]")));
}

void TestJiraSink::episodeIsOneIssue_data()
{
    QTest::addColumn<bool>("resolve"); // JiraOptions::onRestock: Resolve or Leave
    QTest::addColumn<QString>("transition");
    QTest::addColumn<QString>("finalStatus");

    QTest::addRow("resolved on restock") << true << QStringLiteral("Done") << QStringLiteral("Done");
    QTest::addRow("transition named in another case") << true << QStringLiteral("done") << QStringLiteral("Done");
    QTest::addRow("left open on restock") << false << QStringLiteral("Done") << QStringLiteral("To Do");
    QTest::addRow("no such transition: commented, left open")
        << true << QStringLiteral("Close") << QStringLiteral("To Do");
}

// selling_out → sold_out → restocked is one issue with two comments; the restock resolves it (or not, as told).
void TestJiraSink::episodeIsOneIssue()
{
    QFETCH(bool, resolve);
    QFETCH(QString, transition);
    QFETCH(QString, finalStatus);
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto outbox =
        AlertOutbox::open(m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) % QStringLiteral(".sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    JiraOptions options;
    options.projectKey = QStringLiteral("PW");
    options.onRestock = resolve ? JiraOptions::OnRestock::Resolve : JiraOptions::OnRestock::Leave;
    options.resolveTransition = transition;
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), options));
    LogCapture log;
    const std::vector<Alert> episode = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie");
    QVERIFY(deliverEach(dispatcher, episode));

    const std::vector<JiraIssue> issues = server.issues();
    QCOMPARE(issues.size(), size_t(1));
    const JiraIssue &issue = issues.front();
    QCOMPARE(issue.key, QStringLiteral("PW-1"));
    QCOMPARE(issue.summary, QStringLiteral("Selling out: Fleece Hoodie (peak-apparel.myshopify.com)"));
    QCOMPARE(issue.comments.size(), 2);
    QVERIFY2(issue.comments[0].startsWith(QStringLiteral("Sold out: Fleece Hoodie")), qPrintable(issue.comments[0]));
    QVERIFY2(issue.comments[1].startsWith(QStringLiteral("Restocked: Fleece Hoodie")), qPrintable(issue.comments[1]));
    QVERIFY2(issue.comments[1].contains(QStringLiteral("Stock: 40")), qPrintable(issue.comments[1]));
    QCOMPARE(issue.status, finalStatus);
    QCOMPARE((*outbox)->counts(kSink).delivered, 3);
    QCOMPARE((*outbox)->counts(kSink).pending, 0);
    // The restock's comment comes before its resolution, and only a restock asks for the transitions.
    QCOMPARE(countRequests(server, "GET", "/transitions"), resolve ? 1 : 0);
    if (resolve) {
        const auto &r = server.requests();
        size_t lastComment = 0;
        size_t listed = 0;
        for (size_t i = 0; i < r.size(); ++i) {
            if (r[i].path.endsWith("/comment"))
                lastComment = i;
            if (r[i].method == "GET")
                listed = i;
        }
        QCOMPARE(listed, lastComment + 1);
    }
    if (finalStatus != QLatin1StringView("Done") && resolve)
        QVERIFY2(g_log.join(u'\n').contains(QStringLiteral("left PW-1 open after the restock")),
                 qPrintable(g_log.join(u'\n')));
}

// Two products' episodes, their alerts interleaved: two issues, each with its own comments.
void TestJiraSink::twoProductsTwoIssues()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("two-products.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")}));
    const std::vector<Alert> hoodie = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie");
    const std::vector<Alert> beanie = episodeOf("beanie-episode", kHoodie + 1, "Merino Beanie");
    // Both first alerts in one submit: the sink takes one at a time.
    QVERIFY(dispatcher.submit({hoodie[0], beanie[0]}));
    QTRY_VERIFY_WITH_TIMEOUT(dispatcher.settled(60'000), 15'000);
    QVERIFY(deliverEach(dispatcher, {beanie[1], hoodie[1]}));

    const std::vector<JiraIssue> issues = server.issues();
    QCOMPARE(issues.size(), size_t(2));
    for (const JiraIssue &issue : issues) {
        QCOMPARE(issue.comments.size(), 1);
        const QString title = issue.summary.section(u':', 1).section(u'(', 0, 0).trimmed();
        QVERIFY2(issue.comments.front().startsWith(QStringLiteral("Sold out: ") % title),
                 qPrintable(issue.key % u' ' % issue.comments.front()));
    }
    QCOMPARE((*outbox)->counts(kSink).delivered, 4);
}

void TestJiraSink::labelsAndIssueTypeAsConfigured()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.addProject(QStringLiteral("OPS"));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("labels.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    JiraOptions options;
    options.projectKey = QStringLiteral("OPS");
    options.issueType = QStringLiteral("Bug");
    options.labels = {QStringLiteral("black-friday"), QStringLiteral("stock")};
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), options));
    QVERIFY(deliverEach(dispatcher, {episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie").front()}));
    const std::vector<JiraIssue> issues = server.issues();
    QCOMPARE(issues.size(), size_t(1));
    QCOMPARE(issues.front().key, QStringLiteral("OPS-1"));
    QCOMPARE(issues.front().issueType, QStringLiteral("Bug"));
    QCOMPARE(issues.front().labels.mid(0, 3),
             QStringList({QStringLiteral("black-friday"), QStringLiteral("stock"), QStringLiteral("peakwatch")}));
    QVERIFY(issues.front().labels.value(3).startsWith(QStringLiteral("peakwatch-episode-")));
    // The episode's issue is looked for first (a run killed after filing it would find it), then filed.
    QCOMPARE(server.requests().size(), size_t(2));
    QCOMPARE(server.requests().front().method, QByteArray("GET"));
    QVERIFY(server.requests().front().path.startsWith("/rest/api/2/search?"));
    // As Jira Cloud's REST API wants it: JSON, with Basic auth of the account's e-mail and token.
    const auto &request = server.requests().back();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/rest/api/2/issue"));
    QVERIFY(request.header("Content-Type").startsWith("application/json"));
    QCOMPARE(request.header("Authorization"),
             "Basic " +
                 QByteArray(QByteArray(JiraTestServer::kUser) + ':' + QByteArray(JiraTestServer::kToken)).toBase64());
}

void TestJiraSink::badRequestShowsJirasWords_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("issueType");
    QTest::addColumn<QString>("words");

    QTest::addRow("unknown project") << QStringLiteral("NOPE") << QStringLiteral("Task")
                                     << QStringLiteral("project: valid project is required");
    QTest::addRow("unknown issue type") << QStringLiteral("PW") << QStringLiteral("Incident")
                                        << QStringLiteral("issuetype: Specify a valid issue type");
}

// Jira's 400 is a refusal only a person can fix: the sink fails with Jira's own words, is paused, and the alert is
// not sent again.
void TestJiraSink::badRequestShowsJirasWords()
{
    QFETCH(QString, project);
    QFETCH(QString, issueType);
    QFETCH(QString, words);
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("bad-request-%1.sqlite").arg(project)));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
    JiraOptions options;
    options.projectKey = project;
    options.issueType = issueType;
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), options));
    QVERIFY(dispatcher.submit({episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie").front()}));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10'000);
    const QString error = failed.at(0).at(1).toString();
    QVERIFY2(error.contains(words), qPrintable(error));
    QVERIFY2(error.startsWith(QStringLiteral("Jira refused the issue")), qPrintable(error));
    QTest::qWait(1200);
    QCOMPARE(server.requests().size(), size_t(2)); // the look for the episode's issue, then the refused filing
    QCOMPARE(server.requests().back().status, 400);
    QCOMPARE((*outbox)->counts(kSink).failed, 1);
    QVERIFY(server.issues().empty());
}

// A wrong token: 401, failed with words a person can act on, and the token in no error and no log line.
void TestJiraSink::badCredentialsFailWithoutTheToken()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QString wrongToken = QStringLiteral("ATATT3xFfGF0RevokedTokenOfPeakwatch=9Z8Y7X");
    QStringList errors;
    {
        LogCapture log;
        auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("bad-credentials.sqlite")));
        QVERIFY2(outbox, qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        QSignalSpy failed(&dispatcher, &AlertDispatcher::sinkFailed);
        dispatcher.addSink(
            std::make_unique<JiraSink>(kSink, server.siteUrl(QString::fromLatin1(JiraTestServer::kUser), wrongToken),
                                       JiraOptions{QStringLiteral("PW")}));
        QVERIFY(dispatcher.submit({episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie").front()}));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10'000);
        errors << failed.at(0).at(1).toString() << (*outbox)->counts(kSink).lastError;
    }
    QCOMPARE(server.requests().size(), size_t(1));
    QCOMPARE(server.requests().front().status, 401);
    QVERIFY2(errors[0].contains(QStringLiteral("Jira refused the credentials: check the user and API token")),
             qPrintable(errors[0]));
    QVERIFY2(!g_log.isEmpty(), "the failure is logged");
    for (const QString &text : errors + g_log) {
        QVERIFY2(!text.contains(wrongToken), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("RevokedToken")), qPrintable(text));
        QVERIFY2(!text.contains(QString::fromLatin1(server.requests().front().header("Authorization").mid(6))),
                 qPrintable(text));
    }
}

// 429: the alert waits for Jira's Retry-After, then goes once.
void TestJiraSink::rateLimitedIsRetriedAfterRetryAfter()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(JiraAnswer::rateLimited(2));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("rate-limited.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")}));
    QVERIFY(deliverEach(dispatcher, {episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie").front()}));
    const auto &r = server.requests();
    QCOMPARE(r.size(), size_t(3)); // the look for the episode's issue answered 429, then again, then the filing
    QCOMPARE(r[0].status, 429);
    QCOMPARE(r[1].status, 200);
    QCOMPARE(r[2].status, 201);
    QVERIFY2(r[1].receivedAtMs - r[0].receivedAtMs >= 1950, "honours Retry-After: 2");
    QCOMPARE(retrying.count(), 1);
    QVERIFY2(retrying.at(0).at(1).toString().contains(QStringLiteral("too many requests")),
             qPrintable(retrying.at(0).at(1).toString()));
    QCOMPARE(server.issues().size(), size_t(1));
    QCOMPARE((*outbox)->counts(kSink).delivered, 1);
}

// A 500 on a comment: retried after the dispatcher's backoff, and the comment is posted once.
void TestJiraSink::serverErrorThenSuccessDeliversOnce()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("server-error.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    QSignalSpy retrying(&dispatcher, &AlertDispatcher::retrying);
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")}));
    const std::vector<Alert> episode = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie");
    QVERIFY(deliverEach(dispatcher, {episode[0]}));
    server.enqueue(JiraAnswer::serverError(500));
    QVERIFY(deliverEach(dispatcher, {episode[1]}));
    const auto &r = server.requests(); // the look for the episode's issue, its filing, the comment twice
    QCOMPARE(r.size(), size_t(4));
    QCOMPARE(r[2].status, 500);
    QCOMPARE(r[3].status, 201);
    QVERIFY2(r[3].receivedAtMs - r[2].receivedAtMs >= 950, "backs off after a 500");
    QCOMPARE(retrying.count(), 1);
    QCOMPARE(server.issues().size(), size_t(1));
    QCOMPARE(server.issues().front().comments.size(), 1);
    QCOMPARE((*outbox)->counts(kSink).delivered, 2);
    QTest::qWait(1200); // and nothing more
    QCOMPARE(server.requests().size(), size_t(4));
}

// A run killed after Jira filed an episode's issue and before the outbox recorded its key: the next run (here, an
// outbox that never heard of it) finds the issue by the episode's label and comments on it instead of filing another.
void TestJiraSink::issueFiledBeforeTheOutboxKnewIsFound()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const std::vector<Alert> episode = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie");
    {
        auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("filed-first.sqlite")));
        QVERIFY2(outbox, qPrintable(outbox.error()));
        AlertDispatcher dispatcher(**outbox);
        dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")}));
        QVERIFY(deliverEach(dispatcher, {episode[0]}));
    }
    QCOMPARE(server.issues().size(), size_t(1));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("filed-unknown.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")}));
    QVERIFY(deliverEach(dispatcher, {episode[0], episode[1]}));
    QCOMPARE(server.issues().size(), size_t(1));
    QCOMPARE(server.issues().front().comments.size(), 2); // the first alert again, then the second
    QCOMPARE((*outbox)->counts(kSink).delivered, 2);
}

// Someone deleted the episode's issue in Jira: the next alert files a new one, and the episode's later alerts
// comment on that.
void TestJiraSink::deletedIssueGetsANewOne()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    auto outbox = AlertOutbox::open(m_dir.filePath(QStringLiteral("deleted.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    JiraOptions options{QStringLiteral("PW")};
    options.onRestock = JiraOptions::OnRestock::Leave;
    dispatcher.addSink(std::make_unique<JiraSink>(kSink, server.siteUrl(), options));
    const std::vector<Alert> episode = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie");
    QVERIFY(deliverEach(dispatcher, {episode[0]}));
    server.deleteIssue(QStringLiteral("PW-1"));
    QVERIFY(deliverEach(dispatcher, {episode[1], episode[2]}));

    const std::vector<JiraIssue> issues = server.issues();
    QCOMPARE(issues.size(), size_t(2));
    QVERIFY(issues[0].deleted);
    QCOMPARE(issues[1].key, QStringLiteral("PW-2"));
    QCOMPARE(issues[1].summary, QStringLiteral("Sold out: Fleece Hoodie (peak-apparel.myshopify.com)"));
    QCOMPARE(issues[1].comments.size(), 1); // the restock, on the new issue
    QVERIFY(issues[1].comments.front().startsWith(QStringLiteral("Restocked: ")));
    QCOMPARE(countRequests(server, "POST", "/PW-1/comment"), 1);
    QCOMPARE((*outbox)->counts(kSink).delivered, 3);
    QCOMPARE((*outbox)->counts(kSink).failed, 0);
}

// A restock is the first this sink hears of an episode (the sink was added late): its issue is filed and resolved.
void TestJiraSink::restockWithoutAnIssueIsFiledResolved()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    JiraSink sink(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")});
    Alert restock = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie").back();
    const Sent sent = sendAndWait(sink, {restock});
    QCOMPARE(sent.finishedCount, 1);
    QVERIFY2(sent.outcome.kind == SendOutcome::Kind::Delivered, qPrintable(sent.outcome.error));
    QCOMPARE(sent.outcome.threadsStarted, (std::vector<std::pair<QByteArray, QByteArray>>{{"hoodie-episode", "PW-1"}}));
    QCOMPARE(sent.outcome.arrived, std::vector<QByteArray>{restock.id});
    QCOMPARE(server.issues().size(), size_t(1));
    QCOMPARE(server.issues().front().status, QStringLiteral("Done"));
    QCOMPARE(server.issues().front().summary, QStringLiteral("Restocked: Fleece Hoodie (peak-apparel.myshopify.com)"));
}

void TestJiraSink::noAnswerIsRetriedAfterTimeout()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.enqueue(JiraAnswer::never());
    JiraSink sink(kSink, server.siteUrl(), JiraOptions{QStringLiteral("PW")});
    sink.setTimeoutMs(300);
    Alert comment = episodeOf("hoodie-episode", kHoodie, "Fleece Hoodie")[1];
    comment.threadReference = "PW-7";
    const Sent sent = sendAndWait(sink, {comment});
    QCOMPARE(sent.finishedCount, 1);
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Retry);
    QVERIFY2(sent.outcome.error.contains(QStringLiteral("no answer within 0.3 s")), qPrintable(sent.outcome.error));
    QVERIFY(sent.outcome.arrived.empty());
    QCOMPARE(server.requests().size(), size_t(1));
    QCOMPARE(server.requests().front().path, QByteArray("/rest/api/2/issue/PW-7/comment"));
}

void TestJiraSink::refusedSettingsFailWithoutRequest()
{
    JiraTestServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    // Plain http off this machine would send the token in the clear.
    JiraSink remote(kSink, QUrl(QStringLiteral("http://pat:") % kToken % QStringLiteral("@yoursite.atlassian.net")),
                    JiraOptions{QStringLiteral("PW")});
    Sent sent = sendAndWait(remote, {episodeOf("e", kHoodie, "Fleece Hoodie").front()});
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Failed);
    QVERIFY2(sent.outcome.error.contains(QStringLiteral("https")), qPrintable(sent.outcome.error));
    QVERIFY2(!sent.outcome.error.contains(kToken), qPrintable(sent.outcome.error));
    // No project.
    JiraSink noProject(kSink, server.siteUrl(), JiraOptions{});
    sent = sendAndWait(noProject, {episodeOf("e", kHoodie, "Fleece Hoodie").front()});
    QCOMPARE(sent.outcome.kind, SendOutcome::Kind::Failed);
    QVERIFY2(sent.outcome.error.contains(QStringLiteral("No Jira project")), qPrintable(sent.outcome.error));
    QCOMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestJiraSink)
#include "tst_jira_sink.moc"
