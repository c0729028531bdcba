// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "email_sink.h"

#include "email_message.h"
#include "http_delivery.h"
#include "logging.h"
#include "redaction.h"

#include <QDateTime>
#include <QHash>
#include <QMetaObject>
#include <QStringBuilder>

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <utility>

namespace peakwatch {
namespace {

// Characters of the server's reply repeated in an error.
constexpr qsizetype kReplyChars = 300;
// Replies kept while a send runs, to find the one that ended it.
constexpr size_t kRepliesKept = 16;

void initCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Body {
    const QByteArray *data = nullptr;
    qsizetype offset = 0;
};

size_t readBody(char *buffer, size_t size, size_t count, void *userData)
{
    auto *body = static_cast<Body *>(userData);
    const size_t left = size_t(body->data->size() - body->offset);
    const size_t n = std::min(size * count, left);
    std::memcpy(buffer, body->data->constData() + body->offset, n);
    body->offset += qsizetype(n);
    return n;
}

// The server's replies as libcurl reads them (CURLINFO_HEADER_IN), a line at a time: a reply's continuation lines
// ("250-…") joined to its last ("250 …"). What libcurl sends (the AUTH lines among it) is never looked at.
struct Replies {
    QByteArray partial;
    QByteArray current;
    std::deque<QByteArray> complete;

    void add(const char *data, size_t size)
    {
        partial.append(data, qsizetype(size));
        qsizetype end;
        while ((end = partial.indexOf('\n')) >= 0) {
            const QByteArray line = partial.left(end).trimmed();
            partial.remove(0, end + 1);
            if (line.isEmpty())
                continue;
            current +=
                (current.isEmpty() ? QByteArray() : QByteArrayLiteral(" ")) + (current.isEmpty() ? line : line.mid(4));
            if (line.size() < 4 || line.at(3) != '-') {
                complete.push_back(current);
                current.clear();
                if (complete.size() > kRepliesKept)
                    complete.pop_front();
            }
        }
    }

    // The latest reply with this code: the one that ended the send (a QUIT's 221 may come after it).
    QByteArray latest(long code) const
    {
        const QByteArray prefix = QByteArray::number(code);
        for (auto it = complete.rbegin(); it != complete.rend(); ++it)
            if (it->startsWith(prefix))
                return *it;
        return {};
    }
};

int onDebug(CURL *, curl_infotype type, char *data, size_t size, void *userData)
{
    if (type == CURLINFO_HEADER_IN)
        static_cast<Replies *>(userData)->add(data, size);
    return 0;
}

// Called by libcurl about once a second at least: a nonzero answer ends the send (the sink is going away).
int onProgress(void *userData, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<const std::atomic<bool> *>(userData)->load() ? 1 : 0;
}

// The server's words as they may be shown: printable, on one line, bounded.
QString replyText(const QString &reply)
{
    QString text;
    for (const QChar c : reply)
        text += (c.unicode() < 0x20 || c.unicode() == 0x7f) ? QChar(u' ') : c;
    text = text.simplified();
    if (text.size() > kReplyChars)
        text = text.left(kReplyChars - 1) % u'…';
    return text;
}

// Which step the server refused, from libcurl's words ("RCPT failed: 550").
QString refusedWhat(const QString &curlError)
{
    if (curlError.startsWith(QLatin1StringView("RCPT")))
        return QStringLiteral("a recipient");
    if (curlError.startsWith(QLatin1StringView("MAIL")))
        return QStringLiteral("the sender");
    return QStringLiteral("the message");
}

} // namespace

struct EmailSink::Attempt {
    QByteArray url; // without user and password
    QByteArray user;
    QByteArray password;
    QByteArray mailFrom;
    QList<QByteArray> recipients;
    std::vector<QByteArray> messages; // sent in this order over one connection
    bool loopback = false;
};

struct EmailSink::Answer {
    size_t sent = 0; // messages the server took, from the first; the one after them ended the send
    int curlCode = CURLE_OK;
    long responseCode = 0;
    QString reply;
    QString error;
};

EmailSink::EmailSink(QString name, QUrl smtpUrl, EmailOptions options, QObject *parent)
    : AlertSink(parent)
    , m_name(std::move(name))
    , m_smtpUrl(std::move(smtpUrl))
    , m_options(std::move(options))
    , m_status([this]() -> Status {
        if (Status url = checkSmtpUrl(m_smtpUrl); !url)
            return url;
        return checkOptions(m_options);
    }())
{
    // The whole URL in the forms an error text may quote it, then the password on its own.
    registerSecret(m_smtpUrl.toString());
    registerSecret(QString::fromUtf8(m_smtpUrl.toEncoded()));
    registerSecret(m_smtpUrl.password(QUrl::FullyDecoded));
    registerSecret(m_smtpUrl.password(QUrl::FullyEncoded));
    initCurl();
}

EmailSink::~EmailSink()
{
    m_stopping = true;
    if (m_worker.joinable())
        m_worker.join();
}

Status EmailSink::checkSmtpUrl(const QUrl &url)
{
    const QString form = QStringLiteral("smtp://user:password@host:587 or smtps://user:password@host:465");
    if (url.isEmpty())
        return Error{QStringLiteral("No SMTP server: enter its URL, ") % form};
    if (!url.isValid())
        return Error{QStringLiteral("The SMTP server's URL is not a valid URL: write it as ") % form};
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1StringView("smtp") && scheme != QLatin1StringView("smtps"))
        return Error{QStringLiteral("The SMTP server's URL must start with smtp:// or smtps://") %
                     (scheme.isEmpty() ? QString()
                                       : QString(QStringLiteral(", not ") % scheme.left(20) % QStringLiteral("://")))};
    if (url.host().isEmpty())
        return Error{QStringLiteral("The SMTP server's URL names no host: write it as ") % form};
    if (url.userName().isEmpty())
        return Error{QStringLiteral("The SMTP server's URL names no user: write it as ") % form};
    if (url.password().isEmpty())
        return Error{QStringLiteral("The SMTP server's URL holds no password: write it as ") % form};
    // smtp:// to another machine goes on only after STARTTLS (send() requires it): plain text is for this one.
    return {};
}

Status EmailSink::checkOptions(const EmailOptions &options)
{
    if (options.from.trimmed().isEmpty())
        return Error{QStringLiteral("No sender for the e-mail alerts: enter the address they come from")};
    if (Status from = checkMailbox(options.from); !from)
        return Error{QStringLiteral("The sender of the e-mail alerts: ") % from.error()};
    if (options.to.isEmpty())
        return Error{QStringLiteral("No recipient for the e-mail alerts: enter at least one address")};
    for (const QString &to : options.to)
        if (Status check = checkMailbox(to); !check)
            return Error{QStringLiteral("A recipient of the e-mail alerts: ") % check.error()};
    if (options.digestIntervalMs < 0)
        return Error{QStringLiteral("The digest interval of the e-mail alerts is negative")};
    return {};
}

SendOutcome EmailSink::outcomeFor(int curlCode, long responseCode, const QString &serverReply, const QString &curlError)
{
    const QString words = replyText(serverReply);
    const QString said = words.isEmpty() ? QStringLiteral("SMTP ") % QString::number(responseCode) : words;
    const QString detail = replyText(curlError);
    switch (curlCode) {
    case CURLE_OK: return SendOutcome::delivered();
    case CURLE_LOGIN_DENIED:
        if (responseCode >= 400 && responseCode < 500)
            return SendOutcome::retry(QStringLiteral("E-mail: the SMTP server could not check the user and password "
                                                     "just now (") %
                                      said % QStringLiteral("): trying again"));
        return SendOutcome::failed(QStringLiteral("E-mail: the SMTP server refused the user and password: check them "
                                                  "in the SMTP server's URL"));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return SendOutcome::failed(QStringLiteral("E-mail: the SMTP server's TLS certificate could not be verified (") %
                                   detail %
                                   QStringLiteral("): check the server's name, or have its certificate renewed"));
    case CURLE_USE_SSL_FAILED:
        return SendOutcome::failed(QStringLiteral("E-mail: the SMTP server does not offer STARTTLS, and the password "
                                                  "would go unencrypted: use smtps:// or a server that offers "
                                                  "STARTTLS"));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return SendOutcome::failed(QStringLiteral("E-mail: the SMTP server's URL cannot be used (") % detail % u')');
    case CURLE_COULDNT_RESOLVE_HOST:
        return SendOutcome::retry(QStringLiteral("E-mail: the SMTP server's name could not be resolved: check the "
                                                 "network connection and the server's name; trying again"));
    case CURLE_COULDNT_CONNECT:
        return SendOutcome::retry(QStringLiteral("E-mail: the SMTP server could not be reached (") % detail %
                                  QStringLiteral("): trying again"));
    case CURLE_OPERATION_TIMEDOUT:
        return SendOutcome::retry(QStringLiteral("E-mail: no answer from the SMTP server in time (") % detail %
                                  QStringLiteral("): trying again"));
    case CURLE_ABORTED_BY_CALLBACK: return SendOutcome::retry(QStringLiteral("E-mail: the send was stopped"));
    default: break;
    }
    if (responseCode >= 500 && responseCode < 600)
        return SendOutcome::failed(QStringLiteral("E-mail: the SMTP server refused ") % refusedWhat(curlError) %
                                   QStringLiteral(" (") % said % QStringLiteral(")"));
    if (responseCode >= 400 && responseCode < 500)
        return SendOutcome::retry(QStringLiteral("E-mail: the SMTP server cannot take ") % refusedWhat(curlError) %
                                  QStringLiteral(" just now (") % said % QStringLiteral("): trying again"));
    return SendOutcome::retry(QStringLiteral("E-mail: sending failed (") %
                              (detail.isEmpty() ? QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode))) : detail) %
                              QStringLiteral("): trying again"));
}

void EmailSink::send(const std::vector<Alert> &alerts)
{
    if (m_sending) { // the dispatcher waits for finished(); this is a caller's mistake, and the group is kept
        qCWarning(lcAlerts).noquote() << m_name << "send() while a message is being sent";
        Q_EMIT finished(SendOutcome::retry(QStringLiteral("E-mail: the previous message is still being sent")));
        return;
    }
    if (!m_status) {
        finish(SendOutcome::failed(m_status.error()));
        return;
    }
    if (alerts.empty()) {
        finish(SendOutcome::delivered());
        return;
    }
    if (m_worker.joinable()) // the previous send's thread, which has posted its answer and ends
        m_worker.join();

    QUrl server = m_smtpUrl;
    server.setUserInfo(QString());
    Attempt attempt;
    attempt.url = server.toEncoded();
    attempt.user = m_smtpUrl.userName(QUrl::FullyDecoded).toUtf8();
    attempt.password = m_smtpUrl.password(QUrl::FullyDecoded).toUtf8();
    attempt.mailFrom = '<' + mailboxAddress(m_options.from).toLatin1() + '>';
    for (const QString &to : m_options.to)
        attempt.recipients << '<' + mailboxAddress(to).toLatin1() + '>';
    m_pieces = messagesFor(alerts, QDateTime::currentMSecsSinceEpoch());
    for (Piece &piece : m_pieces)
        attempt.messages.push_back(std::exchange(piece.message, {}));
    attempt.loopback = isLoopbackHost(m_smtpUrl.host());

    m_sending = true;
    qCDebug(lcAlerts).noquote() << m_name << "sending" << alerts.size() << "alerts in" << m_pieces.size()
                                << "messages through" << server.host();
    m_worker = std::thread([this, attempt = std::move(attempt)] {
        const Answer answer = perform(attempt, m_stopping);
        if (!m_stopping)
            QMetaObject::invokeMethod(
                this, [this, answer] { onPerformed(answer); }, Qt::QueuedConnection);
    });
}

std::vector<EmailSink::Piece> EmailSink::messagesFor(const std::vector<Alert> &alerts, qint64 nowMs) const
{
    std::vector<Piece> pieces;
    auto idsOf = [](const std::vector<Alert> &group) {
        std::vector<QByteArray> ids;
        for (const Alert &alert : group)
            ids.push_back(alert.id);
        return ids;
    };
    if (m_options.digestIntervalMs > 0) { // one digest, in no thread
        pieces.push_back({emailMessage(alerts, m_options.from, m_options.to, nowMs), idsOf(alerts), {}, {}});
        return pieces;
    }
    // A message per product episode, in the order their alerts came; an alert of no episode (a test) on its own.
    std::vector<std::vector<Alert>> episodes;
    QHash<QByteArray, size_t> index;
    for (const Alert &alert : alerts) {
        const QByteArray key = alert.episode.isEmpty() ? QByteArray("alert:" + alert.id) : alert.episode;
        auto it = index.constFind(key);
        if (it == index.constEnd()) {
            it = index.insert(key, episodes.size());
            episodes.emplace_back();
        }
        episodes[it.value()].push_back(alert);
    }
    for (const std::vector<Alert> &group : episodes) {
        EmailThread thread;
        for (const Alert &alert : group)
            if (!thread.isFollowUp())
                thread = emailThreadFromReference(alert.threadReference);
        Piece piece{emailMessage(group, m_options.from, m_options.to, nowMs, thread), idsOf(group), {}, {}};
        if (!thread.isFollowUp() && !group.front().episode.isEmpty()) { // this message starts the thread
            piece.episode = group.front().episode;
            piece.threadReference = emailThreadReference({emailMessageId(group, m_options.from), emailSubject(group)});
        }
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

EmailSink::Answer EmailSink::perform(const Attempt &attempt, const std::atomic<bool> &stopping)
{
    Answer answer;
    CURL *curl = curl_easy_init();
    if (!curl) {
        answer.curlCode = CURLE_FAILED_INIT;
        answer.error = QStringLiteral("libcurl could not start");
        return answer;
    }
    curl_slist *recipients = nullptr;
    for (const QByteArray &to : attempt.recipients)
        recipients = curl_slist_append(recipients, to.constData());
    Body body;
    Replies replies;
    char error[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(curl, CURLOPT_URL, attempt.url.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USERNAME, attempt.user.constData());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, attempt.password.constData());
    // STARTTLS: required, but to a test server or a relay on this machine, taken only when offered.
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(attempt.loopback ? CURLUSESSL_TRY : CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, attempt.mailFrom.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &body);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(kConnectTimeoutMs));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(kTimeoutMs));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    // The server's replies, for the words of a refusal; nothing is printed.
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, onDebug);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &replies);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool> *>(&stopping));

    // The messages one after the other; libcurl keeps the connection (and its TLS and AUTH) between them.
    CURLcode code = CURLE_OK;
    long response = 0;
    for (const QByteArray &message : attempt.messages) {
        if (stopping) {
            code = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        body = Body{&message, 0};
        replies = Replies{};
        error[0] = '\0';
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.size()));
        code = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
        if (code != CURLE_OK)
            break;
        ++answer.sent;
    }
    // The ending reply is read before cleanup, which may read the answer to QUIT.
    answer.reply = QString::fromUtf8(replies.latest(response));
    curl_easy_cleanup(curl);
    curl_slist_free_all(recipients);

    answer.curlCode = code;
    answer.responseCode = response;
    answer.error = QString::fromUtf8(error[0] ? error : curl_easy_strerror(code)).trimmed();
    return answer;
}

void EmailSink::onPerformed(const Answer &answer)
{
    const std::vector<Piece> pieces = std::exchange(m_pieces, {});
    SendOutcome outcome = answer.sent >= pieces.size()
                              ? SendOutcome::delivered()
                              : outcomeFor(answer.curlCode, answer.responseCode, answer.reply, answer.error);
    for (size_t i = 0; i < std::min(answer.sent, pieces.size()); ++i) {
        if (outcome.kind != SendOutcome::Kind::Delivered) // the messages before the one that failed are not sent again
            outcome.arrived.insert(outcome.arrived.end(), pieces[i].ids.begin(), pieces[i].ids.end());
        if (!pieces[i].episode.isEmpty())
            outcome.threadsStarted.emplace_back(pieces[i].episode, pieces[i].threadReference);
    }
    finish(outcome);
}

void EmailSink::finish(const SendOutcome &outcome)
{
    m_sending = false;
    SendOutcome shown = outcome;
    shown.error = redacted(outcome.error);
    switch (shown.kind) {
    case SendOutcome::Kind::Delivered: qCDebug(lcAlerts).noquote() << m_name << "delivered"; break;
    case SendOutcome::Kind::Retry: qCInfo(lcAlerts).noquote() << m_name << "will retry:" << shown.error; break;
    case SendOutcome::Kind::Failed: qCWarning(lcAlerts).noquote() << m_name << "failed:" << shown.error; break;
    }
    Q_EMIT finished(shown);
}

} // namespace peakwatch
