// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "jira_sink.h"

#include "alert_text.h"
#include "http_delivery.h"
#include "logging.h"
#include "redaction.h"
#include "shopify_admin.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStringBuilder>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {

// A 429 without a usable Retry-After waits this long; Jira's own figure is taken from 1 s up to an hour (the same
// reading as Slack's).
constexpr qint64 kRetryAfterAbsentMs = 5000;
constexpr qint64 kMinRetryAfterMs = 1000;
// Characters of Jira's own words repeated in an error, and of a title and a shop domain as shown.
constexpr qsizetype kMaxWordsChars = 600;
constexpr qsizetype kTitleChars = 200;
constexpr qsizetype kShopChars = 120;

const QString kPeakwatchLabel = QStringLiteral("peakwatch");

QString ruleWords(AlertRule rule)
{
    switch (rule) {
    case AlertRule::SoldOut: return QStringLiteral("Sold out");
    case AlertRule::SellingOut: return QStringLiteral("Selling out");
    case AlertRule::LowStock: return QStringLiteral("Low stock");
    case AlertRule::Restocked: return QStringLiteral("Restocked");
    case AlertRule::Count: break;
    }
    return QStringLiteral("Alert");
}

// On one line, at most `max` UTF-16 units, cut with "…" and never inside a surrogate pair.
QString elided(const QString &text, qsizetype max)
{
    QString line = text.simplified();
    if (line.size() <= max)
        return line;
    qsizetype cut = std::max<qsizetype>(max - 1, 0);
    if (cut > 0 && line.at(cut - 1).isHighSurrogate())
        --cut;
    return line.left(cut) % u'…';
}

QString titleOf(const Alert &alert)
{
    const QString title = elided(QString::fromUtf8(alert.title), kTitleChars);
    return title.isEmpty() ? QStringLiteral("Product ") % QString::number(alert.productId) : title;
}

QString shopOf(const Alert &alert)
{
    return elided(QString::fromUtf8(alert.shop), kShopChars);
}

// Text from a product or a shop in Jira's wiki markup, which the v2 API renders descriptions and comments with:
// the characters that open a link, a macro, an image or a table escaped, so that a title cannot become one. Those
// that only format (*bold*, _italic_) are left as they are, and so is a backslash: before an escaped character it
// makes a line break (\\), never markup.
QString jiraEscaped(const QString &text)
{
    static const QString special = QStringLiteral("[]{}|!");
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (special.contains(c))
            out += u'\\';
        out += c;
    }
    return out;
}

// An issue key as Jira makes them (OPS-42): only such a reference goes into a request's path.
bool isIssueKey(const QByteArray &key)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z][A-Za-z0-9_]{0,254}-[0-9]{1,18}$"));
    return shape.match(QString::fromLatin1(key)).hasMatch();
}

QString credentialsText()
{
    return QStringLiteral("Jira refused the credentials: check the user and API token");
}

QUrl withoutCredentials(const QUrl &site)
{
    QUrl url =
        site.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    return url;
}

QByteArray basicAuthorization(const QUrl &site)
{
    const QByteArray pair = site.userName().toUtf8() + ':' + site.password().toUtf8();
    return QByteArrayLiteral("Basic ") + pair.toBase64();
}

Status firstProblem(const QUrl &site, const JiraOptions &options)
{
    if (Status s = JiraSink::checkSite(site); !s)
        return s;
    return JiraSink::checkOptions(options);
}

} // namespace

JiraSink::JiraSink(QString name, QUrl site, JiraOptions options, QObject *parent)
    : AlertSink(parent)
    , m_name(std::move(name))
    , m_site(withoutCredentials(site))
    , m_options(std::move(options))
    , m_status(firstProblem(site, m_options))
    , m_authorization(basicAuthorization(site))
    , m_network(new QNetworkAccessManager(this))
    , m_timeout(this)
{
    // The token on its own, and the URL in the forms an error text may quote it, and the header that carries both.
    registerSecret(site.password());
    registerSecret(site.password(QUrl::FullyEncoded));
    registerSecret(site.toString());
    registerSecret(QString::fromUtf8(site.toEncoded()));
    registerSecret(QString::fromLatin1(m_authorization.mid(6)));

    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // the REST API does not move
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &JiraSink::onTimeout);
}

JiraSink::~JiraSink()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

Status JiraSink::checkSite(const QUrl &site)
{
    if (Status url =
            checkHttpsUrl(site, QStringLiteral("The Jira site"),
                          QStringLiteral("No Jira site: enter https://<e-mail>:<API token>@<your site>.atlassian.net"),
                          QStringLiteral("enter it as https://<e-mail>:<API token>@<your site>.atlassian.net"),
                          QStringLiteral("the API token"));
        !url)
        return url;
    if (site.userName().isEmpty())
        return Error{QStringLiteral("The Jira site names no user: put the Atlassian account's e-mail address "
                                    "before the API token (https://<e-mail>:<API token>@<your site>.atlassian.net)")};
    if (site.password().isEmpty())
        return Error{QStringLiteral("The Jira site has no API token: create one in the Atlassian account's "
                                    "security settings and put it after the e-mail address")};
    return {};
}

Status JiraSink::checkOptions(const JiraOptions &options)
{
    if (options.projectKey.trimmed().isEmpty())
        return Error{QStringLiteral("No Jira project: enter the key of the project the issues go to (OPS)")};
    if (options.issueType.trimmed().isEmpty())
        return Error{QStringLiteral("No Jira issue type: enter one the project has (Task)")};
    return {};
}

QString JiraSink::summary(const Alert &alert)
{
    const QString tail = QStringLiteral(" (") % shopOf(alert) % u')';
    const QString head = ruleWords(alert.rule) % QStringLiteral(": ");
    return head % elided(titleOf(alert), std::max<qsizetype>(kMaxSummaryChars - head.size() - tail.size(), 1)) % tail;
}

QString JiraSink::details(const Alert &alert)
{
    QStringList lines;
    lines << jiraEscaped(ruleWords(alert.rule) % QStringLiteral(": ") % titleOf(alert));
    if (const QString message = elided(alert.message, 1000); !message.isEmpty())
        lines << jiraEscaped(message);
    lines << QString();
    lines << QStringLiteral("Product: ") % jiraEscaped(titleOf(alert)) % QStringLiteral(" (id ") %
                 QString::number(alert.productId) % u')';
    lines << QStringLiteral("Shop: ") % jiraEscaped(shopOf(alert));
    lines << QStringLiteral("Stock: ") % QString::number(alert.quantity);
    if (const auto rate = alertRateText(alert))
        lines << QStringLiteral("Rate: ") % *rate;
    if (alert.selloutAtMs) {
        QString line = QStringLiteral("Predicted sell-out: ") % utcDateTimeText(*alert.selloutAtMs);
        if (const auto interval = alertIntervalText(alert))
            line += QStringLiteral(" (80 % interval: ") % *interval % u')';
        lines << line;
    }
    lines << QStringLiteral("Updated at: ") % utcDateTimeText(alert.atMs);
    if (const QString url = shopifyAdminProductUrl(alert.shop, alert.productId); !url.isEmpty())
        lines << QStringLiteral("In the Shopify admin: ") % url;
    lines << QString();
    lines << QStringLiteral("Rule: ") % alertRuleName(alert.rule) % QStringLiteral(". Alert ") %
                 jiraEscaped(QString::fromUtf8(alert.id).left(200)) % QStringLiteral(", from Peakwatch.");
    QString text = lines.join(u'\n');
    if (text.size() > kMaxTextChars)
        text = elided(text, kMaxTextChars);
    return text;
}

QJsonObject JiraSink::issueRequest(const Alert &alert, const JiraOptions &options)
{
    QJsonArray labels;
    for (const QString &label : options.labels) {
        // Jira refuses a label with a space in it.
        const QString shown = label.simplified().replace(u' ', u'-');
        if (!shown.isEmpty() && !labels.contains(shown))
            labels.append(shown);
    }
    if (!labels.contains(kPeakwatchLabel))
        labels.append(kPeakwatchLabel);
    if (!alert.episode.isEmpty())
        labels.append(episodeLabel(alert.episode));
    const QJsonObject fields{
        {QStringLiteral("project"), QJsonObject{{QStringLiteral("key"), options.projectKey.trimmed()}}},
        {QStringLiteral("issuetype"), QJsonObject{{QStringLiteral("name"), options.issueType.trimmed()}}},
        {QStringLiteral("summary"), summary(alert)},
        {QStringLiteral("description"), details(alert)},
        {QStringLiteral("labels"), labels}};
    return {{QStringLiteral("fields"), fields}};
}

QString JiraSink::jiraWords(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonObject answer = QJsonDocument::fromJson(body, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return {};
    QStringList words;
    for (const QJsonValue &message : answer.value(QLatin1StringView("errorMessages")).toArray())
        if (const QString text = message.toString().simplified(); !text.isEmpty())
            words << text;
    const QJsonObject errors = answer.value(QLatin1StringView("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it)
        if (const QString text = it.value().toString().simplified(); !text.isEmpty())
            words << it.key() % QStringLiteral(": ") % text;
    return elided(words.join(QStringLiteral("; ")), kMaxWordsChars);
}

SendOutcome JiraSink::outcomeForAnswer(int httpStatus, const QByteArray &body, const QByteArray &retryAfter,
                                       bool creating)
{
    if (httpStatus >= 200 && httpStatus < 300)
        return SendOutcome::delivered();
    const QString words = jiraWords(body);
    const QString status = QStringLiteral("HTTP ") % QString::number(httpStatus);
    const QString said = words.isEmpty() ? status : QString(status % QStringLiteral(": ") % words);
    if (httpStatus == 429) {
        const qint64 afterMs = retryAfterMs(retryAfter, kRetryAfterAbsentMs);
        return SendOutcome::retry(QStringLiteral("Jira: too many requests (HTTP 429): trying again in ") %
                                      QString::number((afterMs + 999) / 1000) % QStringLiteral(" s"),
                                  afterMs);
    }
    if (httpStatus >= 500 || httpStatus == 408)
        return SendOutcome::retry(QStringLiteral("Jira: no answer from its server (") % said %
                                  QStringLiteral("): trying again"));
    if (httpStatus == 401)
        return SendOutcome::failed(credentialsText() % QStringLiteral(" (HTTP 401)"));
    if (httpStatus == 403)
        return SendOutcome::failed(credentialsText() %
                                   QStringLiteral(", and the account's permissions in the "
                                                  "project (") %
                                   said % u')');
    if (httpStatus == 404 && creating)
        return SendOutcome::failed(QStringLiteral("Jira: the site has no issues API (") % said %
                                   QStringLiteral("): check the site's address (https://<your site>.atlassian.net) "
                                                  "and the project key"));
    if (httpStatus == 400)
        return SendOutcome::failed(
            (creating ? QStringLiteral("Jira refused the issue (") : QStringLiteral("Jira refused the comment (")) %
            said %
            (creating ? QStringLiteral("): check the project key, the issue type and the labels")
                      : QStringLiteral(")")));
    if (httpStatus >= 300 && httpStatus < 400)
        return SendOutcome::failed(QStringLiteral("Jira: the site's address leads elsewhere (") % said %
                                   QStringLiteral("): enter the site as https://<your site>.atlassian.net"));
    if (httpStatus >= 400 && httpStatus < 500)
        return SendOutcome::failed(QStringLiteral("Jira refused the request (") % said % u')');
    return SendOutcome::retry(QStringLiteral("Jira: an unexpected answer (") % status %
                              QStringLiteral("): is the site a Jira site? Trying again"));
}

void JiraSink::send(const std::vector<Alert> &alerts)
{
    if (m_sending) { // the dispatcher waits for finished(); this is a caller's mistake, and the group is kept
        qCWarning(lcAlerts).noquote() << m_name << "send() while an issue is being filed";
        Q_EMIT finished(SendOutcome::retry(QStringLiteral("Jira: the previous alert is still being filed")));
        return;
    }
    m_sending = true;
    m_progress = SendOutcome::delivered();
    if (!m_status) {
        finish(SendOutcome::failed(m_status.error()));
        return;
    }
    if (alerts.empty()) {
        finish(SendOutcome::delivered());
        return;
    }
    if (alerts.size() > 1) { // more than maxGroup(): the first now, the others as a retry
        qCWarning(lcAlerts).noquote() << m_name << "got" << alerts.size() << "alerts at once; sends one";
        m_progress = SendOutcome::retry(QStringLiteral("Jira: one alert at a time"), kMinRetryAfterMs);
    }
    m_alert = alerts.front();
    if (isIssueKey(m_alert.threadReference)) {
        m_issueKey = m_alert.threadReference;
        start(Step::Comment, m_issueKey, QJsonObject{{QStringLiteral("body"), details(m_alert)}});
        return;
    }
    if (!m_alert.threadReference.isEmpty())
        qCInfo(lcAlerts).noquote() << m_name << "the episode's reference is not an issue key; filing a new issue";
    m_issueKey.clear();
    if (m_alert.episode.isEmpty()) {
        start(Step::Create, {}, issueRequest(m_alert, m_options));
        return;
    }
    start(Step::Find, {});
}

QString JiraSink::episodeLabel(const QByteArray &episode)
{
    return QStringLiteral("peakwatch-episode-") %
           QString::fromLatin1(QCryptographicHash::hash(episode, QCryptographicHash::Sha1).toHex().left(16));
}

QUrl JiraSink::apiUrl(const QString &path) const
{
    QUrl url = m_site;
    url.setPath(m_site.path() % path);
    return url;
}

bool JiraSink::resolves(const Alert &alert) const
{
    return alert.rule == AlertRule::Restocked && m_options.onRestock == JiraOptions::OnRestock::Resolve;
}

void JiraSink::start(Step step, const QByteArray &issueKey, std::optional<QJsonObject> body)
{
    m_step = step;
    const QString key = QString::fromLatin1(issueKey);
    QString path;
    switch (step) {
    case Step::Find: path = QStringLiteral("/rest/api/2/search"); break;
    case Step::Create: path = QStringLiteral("/rest/api/2/issue"); break;
    case Step::Comment: path = QStringLiteral("/rest/api/2/issue/") % key % QStringLiteral("/comment"); break;
    case Step::ListTransitions:
    case Step::Transition: path = QStringLiteral("/rest/api/2/issue/") % key % QStringLiteral("/transitions"); break;
    }
    QUrl url = apiUrl(path);
    if (step == Step::Find) {
        // The episode's issue, if a run before this one filed it (JQL; the label has no characters to quote).
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("jql"), QStringLiteral("project = \"%1\" AND labels = \"%2\"")
                                                      .arg(m_options.projectKey, episodeLabel(m_alert.episode)));
        query.addQueryItem(QStringLiteral("fields"), QStringLiteral("key"));
        query.addQueryItem(QStringLiteral("maxResults"), QStringLiteral("1"));
        url.setQuery(query);
    }
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Peakwatch"));
    request.setRawHeader(QByteArrayLiteral("Authorization"), m_authorization);
    m_timedOut = false;
    QNetworkReply *reply = nullptr;
    if (body) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network->post(request, QJsonDocument(*body).toJson(QJsonDocument::Compact));
    } else {
        reply = m_network->get(request);
    }
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
    m_timeout.start(m_timeoutMs);
    qCDebug(lcAlerts).noquote() << m_name << request.url().path() << "for" << alertRuleName(m_alert.rule)
                                << m_alert.productId;
}

void JiraSink::onReplyFinished(QNetworkReply *reply)
{
    if (reply != m_reply) // already settled (timed out)
        return;
    reply->deleteLater();
    m_reply = nullptr;
    m_timeout.stop();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int httpStatus = status.isValid() ? status.toInt() : 0;
    const QByteArray body = httpStatus > 0 ? reply->readAll() : QByteArray();
    SendOutcome outcome;
    if (m_timedOut)
        outcome = SendOutcome::retry(QStringLiteral("Jira: no answer within ") % QString::number(m_timeoutMs / 1000.0) %
                                     QStringLiteral(" s: trying again"));
    else if (httpStatus > 0)
        outcome = outcomeForAnswer(httpStatus, body, reply->rawHeader(QByteArrayLiteral("Retry-After")),
                                   m_step == Step::Create);
    else
        outcome = SendOutcome::retry(QStringLiteral("Jira could not be reached (") % reply->errorString() %
                                     QStringLiteral("): check the network connection; trying again"));

    switch (m_step) {
    case Step::Find: {
        if (outcome.kind != SendOutcome::Kind::Delivered)
            break;
        const QJsonArray issues = QJsonDocument::fromJson(body).object().value(QLatin1StringView("issues")).toArray();
        const QByteArray key = issues.isEmpty()
                                   ? QByteArray()
                                   : issues.first().toObject().value(QLatin1StringView("key")).toString().toLatin1();
        if (!isIssueKey(key)) {
            start(Step::Create, {}, issueRequest(m_alert, m_options));
            return;
        }
        qCInfo(lcAlerts).noquote() << m_name << "found the episode's issue" << QString::fromLatin1(key)
                                   << "filed by an earlier run; commenting on it";
        m_issueKey = key;
        m_progress.threadsStarted.emplace_back(m_alert.episode, key);
        start(Step::Comment, m_issueKey, QJsonObject{{QStringLiteral("body"), details(m_alert)}});
        return;
    }
    case Step::Create:
        if (outcome.kind != SendOutcome::Kind::Delivered)
            break;
        afterCreated(body);
        return;
    case Step::Comment:
        if (httpStatus == 404 && !m_timedOut) { // the issue was deleted: the episode gets a new one
            qCInfo(lcAlerts).noquote() << m_name << "issue" << QString::fromLatin1(m_issueKey)
                                       << "no longer exists; filing a new issue";
            m_issueKey.clear();
            start(Step::Create, {}, issueRequest(m_alert, m_options));
            return;
        }
        if (outcome.kind != SendOutcome::Kind::Delivered)
            break;
        afterCommented();
        return;
    case Step::ListTransitions:
        if (outcome.kind != SendOutcome::Kind::Delivered) {
            resolutionSkipped(outcome.error);
            return;
        }
        afterTransitionsListed(body);
        return;
    case Step::Transition:
        if (outcome.kind != SendOutcome::Kind::Delivered) {
            resolutionSkipped(outcome.error);
            return;
        }
        qCDebug(lcAlerts).noquote() << m_name << "resolved" << QString::fromLatin1(m_issueKey);
        finish(std::move(m_progress));
        return;
    }
    // The alert did not arrive.
    outcome.arrived = std::move(m_progress.arrived);
    outcome.threadsStarted = std::move(m_progress.threadsStarted);
    finish(std::move(outcome));
}

void JiraSink::afterCreated(const QByteArray &body)
{
    const QByteArray key = QJsonDocument::fromJson(body).object().value(QLatin1StringView("key")).toString().toLatin1();
    m_progress.arrived.push_back(m_alert.id);
    if (!isIssueKey(key)) { // filed, but its key is not known: the episode's next alert files another
        qCWarning(lcAlerts).noquote() << m_name << "Jira filed the issue without naming its key";
        finish(std::move(m_progress));
        return;
    }
    m_issueKey = key;
    if (!m_alert.episode.isEmpty())
        m_progress.threadsStarted.emplace_back(m_alert.episode, key);
    qCDebug(lcAlerts).noquote() << m_name << "filed" << QString::fromLatin1(key);
    if (resolves(m_alert))
        start(Step::ListTransitions, m_issueKey);
    else
        finish(std::move(m_progress));
}

void JiraSink::afterCommented()
{
    m_progress.arrived.push_back(m_alert.id);
    if (resolves(m_alert))
        start(Step::ListTransitions, m_issueKey);
    else
        finish(std::move(m_progress));
}

void JiraSink::afterTransitionsListed(const QByteArray &body)
{
    const QJsonArray transitions =
        QJsonDocument::fromJson(body).object().value(QLatin1StringView("transitions")).toArray();
    const QString wanted = m_options.resolveTransition.trimmed();
    // The transition of that name; else one that leads to a status of that name (Jira's simplified workflows name
    // them alike, others may not).
    auto find = [&](auto nameOf) -> QString {
        for (const QJsonValue &value : transitions) {
            const QJsonObject transition = value.toObject();
            if (nameOf(transition).compare(wanted, Qt::CaseInsensitive) == 0)
                return transition.value(QLatin1StringView("id")).toString();
        }
        return {};
    };
    QString id = find([](const QJsonObject &t) { return t.value(QLatin1StringView("name")).toString().trimmed(); });
    if (id.isEmpty())
        id = find([](const QJsonObject &t) {
            return t.value(QLatin1StringView("to")).toObject().value(QLatin1StringView("name")).toString().trimmed();
        });
    if (id.isEmpty() || wanted.isEmpty()) {
        QStringList names;
        for (const QJsonValue &value : transitions)
            names << value.toObject().value(QLatin1StringView("name")).toString();
        resolutionSkipped(QStringLiteral("the issue has no transition named \"") % wanted %
                          QStringLiteral("\" now (it has: ") %
                          (names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))) % u')');
        return;
    }
    start(Step::Transition, m_issueKey,
          QJsonObject{{QStringLiteral("transition"), QJsonObject{{QStringLiteral("id"), id}}}});
}

void JiraSink::resolutionSkipped(const QString &why)
{
    qCInfo(lcAlerts).noquote() << m_name << "left" << QString::fromLatin1(m_issueKey)
                               << "open after the restock:" << redacted(why);
    finish(std::move(m_progress));
}

void JiraSink::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    QNetworkReply *reply = m_reply;
    reply->abort(); // emits finished(), which settles the request
    if (m_reply == reply) {
        reply->disconnect(this);
        onReplyFinished(reply);
    }
}

void JiraSink::finish(SendOutcome outcome)
{
    m_timeout.stop();
    m_reply = nullptr;
    m_sending = false;
    outcome.error = redacted(outcome.error);
    switch (outcome.kind) {
    case SendOutcome::Kind::Delivered: qCDebug(lcAlerts).noquote() << m_name << "delivered"; break;
    case SendOutcome::Kind::Retry: qCInfo(lcAlerts).noquote() << m_name << "will retry:" << outcome.error; break;
    case SendOutcome::Kind::Failed: qCWarning(lcAlerts).noquote() << m_name << "failed:" << outcome.error; break;
    }
    Q_EMIT finished(outcome);
}

} // namespace peakwatch
