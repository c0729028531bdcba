// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_gateway.h"

#include "http_server.h"
#include "json_writer.h"
#include "kafka_producer.h"
#include "logging.h"
#include "raw_message.h"
#include "shopify_hmac.h"

#include <librdkafka/rdkafka.h>
#include <simdjson.h>

#include <QStringBuilder>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <optional>
#include <stop_token>
#include <thread>

namespace peakwatch {

// Whether Kafka answers: the producer looks the topic up, on this class's thread, every interval.
class KafkaReachability final {
public:
    enum class State { Unknown, Reachable, Unreachable };

    KafkaReachability(KafkaProducer *producer, QString topic, std::chrono::milliseconds interval)
        : m_producer(producer)
        , m_topic(std::move(topic))
        , m_interval(interval)
        , m_thread([this](std::stop_token stop) { run(stop); })
    {}
    ~KafkaReachability() = default; // the thread is asked to stop and joined
    Q_DISABLE_COPY_MOVE(KafkaReachability)

    State state() const { return m_state.load(); }
    QString error() const
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    void run(std::stop_token stop)
    {
        const int timeoutMs = int(std::clamp<qint64>(m_interval.count(), 500, 2000));
        while (!stop.stop_requested()) {
            const Status looked = m_producer->prepareTopic(m_topic, timeoutMs);
            const QString error = looked ? QString() : looked.error();
            {
                std::lock_guard lock(m_mutex);
                m_error = error;
            }
            const State previous = m_state.exchange(looked ? State::Reachable : State::Unreachable);
            if (!looked && previous != State::Unreachable)
                qCWarning(lcGateway).noquote() << "gateway: health check failed:" << error;
            else if (looked && previous == State::Unreachable)
                qCWarning(lcGateway) << "gateway: health check passes again";
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, stop, m_interval, [] { return false; });
        }
    }

    KafkaProducer *const m_producer;
    const QString m_topic;
    const std::chrono::milliseconds m_interval;
    std::atomic<State> m_state{State::Unknown};
    mutable std::mutex m_mutex;
    std::condition_variable_any m_wake;
    QString m_error;
    std::jthread m_thread; // last: starts once the rest is initialised, and is joined first
};

namespace {

// How late past the delivery timeout a webhook Kafka has not reported on may be answered 503.
constexpr qint64 kDeadlineTickMs = 100;

constexpr char kHmacHeader[] = "X-Shopify-Hmac-Sha256";
constexpr char kShopHeader[] = "X-Shopify-Shop-Domain";
constexpr char kWebhookIdHeader[] = "X-Shopify-Webhook-Id";

// The headers carried over to Kafka, when present, under these names: Shopify's, and the load
// simulator's creation stamp, from which analyze measures end-to-end latency through the gateway.
constexpr const char *kForwardedHeaders[] = {
    "X-Shopify-Topic",       kShopHeader,          kWebhookIdHeader, "X-Shopify-Triggered-At",
    "X-Shopify-API-Version", "X-Shopify-Event-Id", kCreatedAtHeader};

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

// A webhook body is a JSON object; simdjson validates the whole document (structure and UTF-8).
bool isJsonObject(const QByteArray &body)
{
    static thread_local simdjson::dom::parser parser;
    simdjson::dom::element document;
    if (parser.parse(body.constData(), size_t(body.size()), true).get(document) != simdjson::SUCCESS)
        return false;
    return document.type() == simdjson::dom::element_type::OBJECT;
}

// Kafka refuses a message over its size limit for good: retrying cannot help.
bool isTooLargeError(const QString &error)
{
    static const QString tooLarge = QString::fromUtf8(rd_kafka_err2str(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE));
    return error.endsWith(tooLarge);
}

struct OutcomeInfo {
    int status;
    const char *name; // in /metrics and in the answer's body
    qint64 GatewayCounters::*counter;
};

// By WebhookGateway::Outcome.
constexpr OutcomeInfo kOutcomes[] = {
    {200, "accepted", &GatewayCounters::accepted},
    {200, "duplicate", &GatewayCounters::duplicates},
    {400, "bad_request", &GatewayCounters::badRequests},
    {401, "unauthorized", &GatewayCounters::unauthorized},
    {404, "not_found", &GatewayCounters::notFound},
    {405, "method_not_allowed", &GatewayCounters::methodNotAllowed},
    {413, "too_large", &GatewayCounters::tooLarge},
    {503, "unavailable", &GatewayCounters::unavailable},
    {408, "timed_out", &GatewayCounters::timedOut},
    {414, "uri_too_long", &GatewayCounters::uriTooLong},
    {431, "headers_too_large", &GatewayCounters::headersTooLarge},
    {501, "not_implemented", &GatewayCounters::notImplemented},
    {505, "version_not_supported", &GatewayCounters::versionNotSupported},
};

// The message.timeout.ms the properties set (the last one wins), if any.
std::optional<int> timeoutProperty(const KafkaProperties &properties)
{
    std::optional<int> timeout;
    for (const auto &[key, value] : properties) {
        if (key == "message.timeout.ms" || key == "delivery.timeout.ms") {
            bool ok = false;
            const int ms = value.toInt(&ok);
            if (ok)
                timeout = ms;
        }
    }
    return timeout;
}

} // namespace

// ---------------------------------------------------------------------------------------------------

WebhookIdWindow::WebhookIdWindow(qint64 windowMs, qsizetype capacity)
    : m_windowMs(windowMs)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{}

bool WebhookIdWindow::contains(const QByteArray &id, qint64 nowMs)
{
    expire(nowMs);
    return m_acknowledgedAt.contains(id);
}

void WebhookIdWindow::insert(const QByteArray &id, qint64 nowMs)
{
    m_acknowledgedAt.insert(id, nowMs);
    m_order.emplace_back(nowMs, id);
    expire(nowMs);
}

void WebhookIdWindow::expire(qint64 nowMs)
{
    while (!m_order.empty() && (m_order.front().first + m_windowMs <= nowMs || m_acknowledgedAt.size() > m_capacity)) {
        const auto &[at, id] = m_order.front();
        // A later acknowledgment of the same id has its own place further on.
        if (const auto it = m_acknowledgedAt.constFind(id); it != m_acknowledgedAt.cend() && it.value() == at)
            m_acknowledgedAt.erase(it);
        m_order.pop_front();
    }
}

QString GatewayCounters::summary() const
{
    return QStringLiteral("accepted %1, duplicates %2, bad requests %3, unauthorized %4, too large %5, "
                          "unavailable %6, not found %7, method not allowed %8, clients gone %9, timed out %10, "
                          "headers too large %11, not implemented %12")
        .arg(accepted)
        .arg(duplicates)
        .arg(badRequests)
        .arg(unauthorized)
        .arg(tooLarge)
        .arg(unavailable)
        .arg(notFound)
        .arg(methodNotAllowed)
        .arg(clientsGone)
        .arg(timedOut)
        .arg(headersTooLarge + uriTooLong)
        .arg(notImplemented + versionNotSupported);
}

// ---------------------------------------------------------------------------------------------------

Result<std::unique_ptr<WebhookGateway>> WebhookGateway::create(Options options)
{
    if (options.topic.isEmpty())
        return Error{QStringLiteral("the gateway needs a topic")};
    if (options.topic.contains(u','))
        return Error{QStringLiteral("the gateway writes every webhook to one topic, keyed by shop, and \"%1\" names "
                                    "several: give it one (--topic)")
                         .arg(options.topic)};
    if (options.secret.isEmpty())
        return Error{QStringLiteral("the gateway needs the webhook secret")};
    if (options.maxBodyBytes < 1)
        return Error{QStringLiteral("the body size limit must be at least 1 byte")};

    // The gateway's defaults, then the caller's properties (later ones win).
    KafkaProperties properties{
        {"message.timeout.ms", QByteArray::number(qint64(options.deliveryTimeout.count()))},
        // Kafka keeps one copy of each message even when the producer retries.
        {"enable.idempotence", "true"},
        // Each answer waits for its acknowledgment: batch only what queues up while Kafka is busy.
        {"linger.ms", "1"},
        // Room for the largest body the gateway takes, with its key and headers.
        {"message.max.bytes", QByteArray::number(std::max<qint64>(1000000, options.maxBodyBytes + 65536))},
    };
    properties += options.properties;
    auto producer = KafkaProducer::create(options.bootstrapServers, properties);
    if (!producer)
        return Error{producer.error()};

    const auto timeout = timeoutProperty(properties);
    std::unique_ptr<WebhookGateway> gateway(new WebhookGateway(std::move(options)));
    gateway->m_deliveryTimeout = std::chrono::milliseconds(timeout.value_or(300000));
    gateway->m_producer = std::move(*producer);
    WebhookGateway *self = gateway.get();
    gateway->m_producer->setDeliveryHandler([self](const KafkaProducer::Delivery &delivery) {
        // On the producer's polling thread: hand the result over, one queued call per batch.
        bool first = false;
        {
            std::lock_guard lock(self->m_completedMutex);
            first = self->m_completed.empty();
            self->m_completed.push_back({quint64(quintptr(delivery.opaque)), delivery.ok, delivery.error});
        }
        if (first)
            QMetaObject::invokeMethod(self, &WebhookGateway::takeDeliveries, Qt::QueuedConnection);
    });
    gateway->m_reachability = std::make_unique<KafkaReachability>(gateway->m_producer.get(), gateway->m_options.topic,
                                                                  gateway->m_options.healthInterval);
    return gateway;
}

WebhookGateway::WebhookGateway(Options options)
    : m_options(std::move(options))
    , m_topic(m_options.topic.toUtf8())
    , m_acknowledged(qint64(m_options.dedupeWindow.count()), m_options.maxRememberedIds)
{
    m_clock.start();
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, &WebhookGateway::onDrainTimeout);
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &WebhookGateway::onAnswerDeadline);
}

WebhookGateway::~WebhookGateway()
{
    m_reachability.reset();
    if (m_producer) {
        // Nothing more will be answered: drop what Kafka has not acknowledged instead of waiting.
        rd_kafka_purge(m_producer->handle(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        m_producer.reset();
    }
    for (auto &[sequence, entry] : m_inFlight)
        for (Waiter &waiter : entry.waiters)
            answer(waiter.connection, Outcome::Unavailable, QStringLiteral("the gateway stopped"));
    m_inFlight.clear();
    for (const QPointer<HttpServer> &server : m_servers)
        delete server.data(); // its connections, before the gateway they call is gone
}

Result<quint16> WebhookGateway::listen(const QHostAddress &address, quint16 port)
{
    HttpServerOptions http;
    http.limits.maxBodyBytes = m_options.maxBodyBytes;
    http.maxConnections = m_options.maxConnections;
    http.idleTimeout = m_options.idleTimeout;
    http.requestTimeout = m_options.requestTimeout;
    http.lingerTimeout = m_options.lingerTimeout;
    HttpHandler &handler = *this;
    auto server = std::make_unique<HttpServer>(http, handler, this);
    if (!server->listen(address, port))
        return Error{QStringLiteral("cannot listen on %1 port %2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(server->errorString())};
    const quint16 listening = server->serverPort();
    m_servers.emplace_back(server.release()); // a child
    return listening;
}

int WebhookGateway::connections() const
{
    int count = 0;
    for (const QPointer<HttpServer> &server : m_servers)
        if (server)
            count += server->connectionCount();
    return count;
}

bool WebhookGateway::kafkaReachable() const
{
    return m_reachability && m_reachability->state() == KafkaReachability::State::Reachable;
}

void WebhookGateway::shutdown(std::chrono::milliseconds bound)
{
    if (m_stopping)
        return;
    m_stopping = true;
    for (const QPointer<HttpServer> &server : m_servers)
        if (server)
            server->close();
    if (m_inFlight.empty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT drained(); });
        return;
    }
    m_drainTimer.start(bound);
}

void WebhookGateway::onDrainTimeout()
{
    // Kafka may still acknowledge some of these; the clients are told 503 and Shopify will retry.
    rd_kafka_purge(m_producer->handle(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    auto entries = std::move(m_inFlight);
    m_inFlight.clear();
    m_inFlightIds.clear();
    for (auto &[sequence, entry] : entries)
        for (Waiter &waiter : entry.waiters)
            answer(waiter.connection, Outcome::Unavailable,
                   QStringLiteral("the gateway stopped before Kafka acknowledged the webhook"));
    Q_EMIT drained();
}

// ---------------------------------------------------------------------------------------------------
// Routes

namespace {

constexpr QByteArrayView kPostOnly = "POST";
constexpr QByteArrayView kGetOnly = "GET";

} // namespace

void WebhookGateway::onHead(HttpConnection &connection, const HttpRequestHead &head)
{
    // Judged before the body is read: a request refused here is answered at once and its body never held.
    const QByteArray &path = head.path;
    const bool webhooks = path == "/" || path == "/webhooks";
    const bool health = path == "/healthz" || path == "/metrics";
    if (!webhooks && !health) {
        answer(&connection, Outcome::NotFound,
               QStringLiteral("no such path: ") % QString::fromLatin1(path) %
                   QStringLiteral(" (webhooks: POST / or /webhooks; GET /healthz, GET /metrics)"));
        return;
    }
    if (webhooks && head.method != "POST") {
        answer(&connection, Outcome::MethodNotAllowed, QStringLiteral("webhooks are POSTed here"), "POST");
        return;
    }
    if (health && head.method != "GET") {
        answer(&connection, Outcome::MethodNotAllowed, QStringLiteral("use GET"), "GET");
        return;
    }
    if (webhooks && m_stopping) {
        answer(&connection, Outcome::Unavailable, QStringLiteral("the gateway is stopping"));
        return;
    }
    if (webhooks && head.value(kHmacHeader).isEmpty())
        answer(&connection, Outcome::Unauthorized, QStringLiteral("missing X-Shopify-Hmac-Sha256 header"));
}

void WebhookGateway::onRequest(HttpConnection &connection, const HttpRequestHead &head, const QByteArray &body)
{
    if (head.path == "/healthz") {
        bool healthy = false;
        const QByteArray json = healthJson(healthy);
        connection.respond(healthy ? 200 : 503, "application/json", json, {{"Cache-Control", "no-store"}});
    } else if (head.path == "/metrics") {
        connection.respond(200, "text/plain; version=0.0.4; charset=utf-8", metricsText());
    } else {
        onWebhook(connection, head, body);
    }
}

void WebhookGateway::onRefused(HttpConnection &connection, const HttpError &error)
{
    Outcome outcome = Outcome::BadRequest;
    switch (error.status) {
    case 408: outcome = Outcome::RequestTimeout; break;
    case 413: outcome = Outcome::TooLarge; break;
    case 414: outcome = Outcome::UriTooLong; break;
    case 431: outcome = Outcome::HeadersTooLarge; break;
    case 501: outcome = Outcome::NotImplemented; break;
    case 503: outcome = Outcome::Unavailable; break;
    case 505: outcome = Outcome::VersionNotSupported; break;
    default: break;
    }
    answer(&connection, outcome, error.reason);
}

void WebhookGateway::onWebhook(HttpConnection &connection, const HttpRequestHead &request, const QByteArray &body)
{
    HttpConnection *const client = &connection;
    if (m_stopping) {
        answer(client, Outcome::Unavailable, QStringLiteral("the gateway is stopping"));
        return;
    }
    const QByteArray signature = request.value(kHmacHeader);
    if (signature.isEmpty()) {
        answer(client, Outcome::Unauthorized, QStringLiteral("missing X-Shopify-Hmac-Sha256 header"));
        return;
    }
    if (!verifyShopifyHmac(m_options.secret, body, signature)) {
        answer(client, Outcome::Unauthorized,
               QStringLiteral("X-Shopify-Hmac-Sha256 is not the signature of this body"));
        return;
    }
    const QByteArray shop = request.value(kShopHeader);
    if (shop.isEmpty()) {
        answer(client, Outcome::BadRequest, QStringLiteral("missing X-Shopify-Shop-Domain header"));
        return;
    }
    if (!isJsonObject(body)) {
        answer(client, Outcome::BadRequest, QStringLiteral("the body is not a JSON object"));
        return;
    }

    const QByteArray webhookId = request.value(kWebhookIdHeader);
    if (!webhookId.isEmpty()) {
        if (const auto it = m_inFlightIds.constFind(webhookId); it != m_inFlightIds.cend()) {
            InFlight &first = m_inFlight[it.value()];
            if (first.answered) {
                answer(client, Outcome::Unavailable,
                       QStringLiteral("Kafka has not acknowledged the first delivery of this webhook yet"));
                return;
            }
            // A redelivery while the first is in flight: it gets the first one's answer.
            first.waiters.push_back(Waiter{client, true});
            return;
        }
        if (m_acknowledged.contains(webhookId, m_clock.elapsed())) {
            answer(client, Outcome::Duplicate);
            return;
        }
    }

    QByteArray values[std::size(kForwardedHeaders)];
    std::vector<KafkaHeader> headers;
    headers.reserve(std::size(kForwardedHeaders));
    for (size_t i = 0; i < std::size(kForwardedHeaders); ++i) {
        values[i] = request.value(kForwardedHeaders[i]);
        if (!values[i].isEmpty())
            headers.push_back({kForwardedHeaders[i], view(values[i])});
    }
    const quint64 sequence = m_nextSequence++;
    if (Status s = m_producer->produce(view(m_topic), view(shop), view(body), headers, -1,
                                       reinterpret_cast<void *>(quintptr(sequence)));
        !s) {
        noteKafkaFailure(QStringLiteral("Kafka did not take a webhook: ") % s.error());
        answer(client, isTooLargeError(s.error()) ? Outcome::TooLarge : Outcome::Unavailable,
               QStringLiteral("Kafka did not take the webhook: ") % s.error());
        return;
    }
    InFlight &entry = m_inFlight[sequence];
    entry.webhookId = webhookId;
    entry.waiters.push_back(Waiter{client, false});
    if (!webhookId.isEmpty())
        m_inFlightIds.insert(webhookId, sequence);
    m_deadlines.emplace_back(m_clock.elapsed() + m_deliveryTimeout.count() + kDeadlineTickMs, sequence);
    if (!m_deadlineTimer.isActive())
        m_deadlineTimer.start(int(m_deliveryTimeout.count() + kDeadlineTickMs));
}

void WebhookGateway::onAnswerDeadline()
{
    // librdkafka reports a timed-out message when it next scans its queues, and a request sent to a
    // broker that died waits for the request's own timeout: the client is answered in time regardless.
    // The entry stays until Kafka reports, so that a late acknowledgment is still remembered.
    const qint64 now = m_clock.elapsed();
    while (!m_deadlines.empty() && m_deadlines.front().first <= now) {
        const quint64 sequence = m_deadlines.front().second;
        m_deadlines.pop_front();
        const auto it = m_inFlight.find(sequence);
        if (it == m_inFlight.end() || it->second.answered)
            continue;
        it->second.answered = true;
        const QString reason = QStringLiteral("no acknowledgment within %1 ms").arg(m_deliveryTimeout.count());
        noteKafkaFailure(QStringLiteral("Kafka did not acknowledge a webhook: ") % reason);
        for (Waiter &waiter : it->second.waiters)
            answer(waiter.connection, Outcome::Unavailable,
                   QStringLiteral("Kafka did not acknowledge the webhook: ") % reason);
        it->second.waiters.clear();
    }
    if (!m_deadlines.empty())
        m_deadlineTimer.start(int(std::max<qint64>(kDeadlineTickMs, m_deadlines.front().first - now)));
}

void WebhookGateway::noteKafkaFailure(const QString &what)
{
    if (m_kafkaFailing)
        return;
    m_kafkaFailing = true;
    qCWarning(lcGateway).noquote() << "gateway:" << what << "- answering 503 until it does";
}

void WebhookGateway::takeDeliveries()
{
    std::vector<Completed> batch;
    {
        std::lock_guard lock(m_completedMutex);
        batch.swap(m_completed);
    }
    for (const Completed &completed : batch)
        finish(completed.sequence, completed.ok, completed.error);
}

void WebhookGateway::finish(quint64 sequence, bool ok, const QString &error)
{
    const auto it = m_inFlight.find(sequence);
    if (it == m_inFlight.end())
        return; // answered already (the drain timed out)
    InFlight entry = std::move(it->second);
    m_inFlight.erase(it);
    if (!entry.webhookId.isEmpty()) {
        m_inFlightIds.remove(entry.webhookId);
        if (ok)
            m_acknowledged.insert(entry.webhookId, m_clock.elapsed());
    }
    if (ok && m_kafkaFailing) {
        m_kafkaFailing = false;
        qCWarning(lcGateway) << "gateway: Kafka acknowledges webhooks again";
    } else if (!ok) {
        noteKafkaFailure(QStringLiteral("Kafka did not acknowledge a webhook: ") % error);
    }
    const Outcome failure = isTooLargeError(error) ? Outcome::TooLarge : Outcome::Unavailable;
    for (Waiter &waiter : entry.waiters) {
        if (ok)
            answer(waiter.connection, waiter.duplicate ? Outcome::Duplicate : Outcome::Accepted);
        else
            answer(waiter.connection, failure, QStringLiteral("Kafka did not acknowledge the webhook: ") % error);
    }
    if (m_stopping && m_inFlight.empty() && m_drainTimer.isActive()) {
        m_drainTimer.stop();
        Q_EMIT drained();
    }
}

// ---------------------------------------------------------------------------------------------------
// Answers

void WebhookGateway::answer(HttpConnection *connection, Outcome outcome, const QString &detail, const QByteArray &allow)
{
    const OutcomeInfo &info = kOutcomes[int(outcome)];
    ++(m_counters.*info.counter);
    if (!connection || !connection->isOpen()) {
        ++m_counters.clientsGone;
        return;
    }
    QByteArray body;
    {
        JsonObjectWriter json(body);
        json.string("status", std::string_view(info.name));
        if (!detail.isEmpty())
            json.string("error", detail);
    }
    bool written = false;
    if (!allow.isEmpty())
        written = connection->respond(info.status, "application/json", body, {{"Allow", allow}}, m_stopping);
    else if (outcome == Outcome::Unavailable && !connection->awaitingAnswer())
        written = connection->respond(info.status, "application/json", body, {{"Retry-After", "1"}}, true);
    else
        written = connection->respond(info.status, "application/json", body, {}, m_stopping);
    if (!written)
        ++m_counters.clientsGone;
}

QByteArray WebhookGateway::healthJson(bool &healthy) const
{
    const auto state = m_reachability ? m_reachability->state() : KafkaReachability::State::Unknown;
    healthy = !m_stopping && state == KafkaReachability::State::Reachable;
    const char *kafka = state == KafkaReachability::State::Reachable     ? "reachable"
                        : state == KafkaReachability::State::Unreachable ? "unreachable"
                                                                         : "unknown";
    QByteArray counters;
    {
        JsonObjectWriter json(counters);
        json.integer("accepted", m_counters.accepted);
        json.integer("duplicates", m_counters.duplicates);
        json.integer("bad_requests", m_counters.badRequests);
        json.integer("unauthorized", m_counters.unauthorized);
        json.integer("not_found", m_counters.notFound);
        json.integer("method_not_allowed", m_counters.methodNotAllowed);
        json.integer("too_large", m_counters.tooLarge);
        json.integer("unavailable", m_counters.unavailable);
        json.integer("timed_out", m_counters.timedOut);
        json.integer("uri_too_long", m_counters.uriTooLong);
        json.integer("headers_too_large", m_counters.headersTooLarge);
        json.integer("not_implemented", m_counters.notImplemented);
        json.integer("version_not_supported", m_counters.versionNotSupported);
        json.integer("clients_gone", m_counters.clientsGone);
    }
    QByteArray out;
    {
        JsonObjectWriter json(out);
        json.string("status", std::string_view(healthy ? "ok" : "unavailable"));
        if (m_stopping)
            json.string("reason", std::string_view("stopping"));
        json.string("kafka", std::string_view(kafka));
        if (state == KafkaReachability::State::Unreachable)
            json.string("kafka_error", m_reachability->error());
        json.string("topic", m_topic);
        json.integer("in_flight", qint64(m_inFlight.size()));
        json.integer("connections", connections());
        json.integer("remembered_webhook_ids", m_acknowledged.size());
        json.integer("uptime_s", m_clock.elapsed() / 1000);
        json.raw("counters", view(counters));
    }
    return out;
}

QByteArray WebhookGateway::metricsText() const
{
    QByteArray out;
    out += "# HELP peakwatch_gateway_responses_total Webhook gateway answers, by HTTP status and outcome.\n"
           "# TYPE peakwatch_gateway_responses_total counter\n";
    for (const OutcomeInfo &info : kOutcomes)
        out += "peakwatch_gateway_responses_total{code=\"" + QByteArray::number(int(info.status)) + "\",outcome=\"" +
               info.name + "\"} " + QByteArray::number(m_counters.*info.counter) + '\n';
    const auto gauge = [&out](const char *name, const char *help, const char *type, qint64 value) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n' + name + ' ' +
               QByteArray::number(value) + '\n';
    };
    gauge("peakwatch_gateway_clients_gone_total", "Answers whose client had hung up before they were sent.", "counter",
          m_counters.clientsGone);
    gauge("peakwatch_gateway_connections", "Open HTTP connections.", "gauge", connections());
    gauge("peakwatch_gateway_in_flight", "Webhooks produced to Kafka and not yet acknowledged.", "gauge",
          qint64(m_inFlight.size()));
    gauge("peakwatch_gateway_remembered_webhook_ids", "Acknowledged webhook ids remembered to answer redeliveries.",
          "gauge", m_acknowledged.size());
    gauge("peakwatch_gateway_kafka_up", "1 when Kafka answered the last metadata request for the topic.", "gauge",
          kafkaReachable() ? 1 : 0);
    return out;
}

} // namespace peakwatch
