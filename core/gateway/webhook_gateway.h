// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "http_connection.h"
#include "kafka_config.h"
#include "result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace peakwatch {

class HttpServer;
class KafkaProducer;
class KafkaReachability;

// The webhook ids Kafka has acknowledged, each remembered for a time window after its acknowledgment
// and at most `capacity` of them (the oldest are forgotten first). Shopify delivers at least once:
// a redelivery of a remembered id is answered without producing it again. Time is given by the caller
// (milliseconds on a monotonic clock), so that a test can move it.
class WebhookIdWindow final {
public:
    WebhookIdWindow(qint64 windowMs, qsizetype capacity);
    Q_DISABLE_COPY_MOVE(WebhookIdWindow)

    bool contains(const QByteArray &id, qint64 nowMs);
    void insert(const QByteArray &id, qint64 nowMs);
    qsizetype size() const { return m_acknowledgedAt.size(); }

private:
    void expire(qint64 nowMs);

    qint64 m_windowMs;
    qsizetype m_capacity;
    QHash<QByteArray, qint64> m_acknowledgedAt;
    std::deque<std::pair<qint64, QByteArray>> m_order; // by acknowledgment time, oldest first
};

// What the gateway has answered, by outcome. Every answer counts once.
struct GatewayCounters {
    qint64 accepted = 0;            // 200: produced, and acknowledged by Kafka
    qint64 duplicates = 0;          // 200: the webhook id was acknowledged or in flight; not produced again
    qint64 badRequests = 0;         // 400: not a JSON object, or no X-Shopify-Shop-Domain
    qint64 unauthorized = 0;        // 401: no signature, or a wrong one
    qint64 notFound = 0;            // 404: no such path
    qint64 methodNotAllowed = 0;    // 405: a known path, another method
    qint64 tooLarge = 0;            // 413: over the size limit (or refused by Kafka as too large)
    qint64 unavailable = 0;         // 503: Kafka did not acknowledge in time, the gateway is stopping or full
    qint64 timedOut = 0;            // 408: the request did not arrive whole in time
    qint64 uriTooLong = 0;          // 414: the request line over its limit
    qint64 headersTooLarge = 0;     // 431: the header fields over their limits (size or count)
    qint64 notImplemented = 0;      // 501: a transfer coding not served
    qint64 versionNotSupported = 0; // 505: an HTTP version other than 1.0 and 1.1
    qint64 clientsGone = 0;         // of the above, answers the client hung up before receiving

    // "accepted 3, duplicates 1, ...": the words the CLI prints.
    QString summary() const;
};

// The Shopify webhook gateway: an HTTP server that takes webhook POSTs, checks their signature
// (X-Shopify-Hmac-Sha256) in constant time, and produces each body to a Kafka topic, keyed by shop
// domain with the Shopify headers (and the load simulator's X-Peakwatch-Created-At) as Kafka headers.
// A webhook is answered 200 only once Kafka has acknowledged it; 503 when Kafka did not, so that
// Shopify retries.
//
// Routes: POST / and POST /webhooks take webhooks; GET /healthz answers JSON (503 while Kafka is
// unreachable); GET /metrics answers the counters in Prometheus' text format. Other methods on these
// paths are 405 (with Allow), other paths 404.
//
// HTTP is served by HttpServer, which defends the gateway: a request is judged on its head before its
// body is read (a declared body over the limit is 413 at once, an unsigned webhook 401, a wrong path or
// method 404 or 405), no request holds more than the limits, connections are capped, and idle or slow
// ones are closed within the timeouts (see HttpServerOptions). A client that half-closes after sending
// its request is answered, then the connection closes.
//
// Lives in one thread (the one that creates it); the producer's delivery reports are handed back to it
// in batches through a queued call.
class WebhookGateway final : public QObject, private HttpHandler {
    Q_OBJECT
public:
    struct Options {
        QString bootstrapServers;
        QString topic;
        QByteArray secret;          // the app's webhook secret; never logged
        KafkaProperties properties; // -X key=value, applied after the gateway's own defaults
        qint64 maxBodyBytes = 1 << 20;
        std::chrono::milliseconds dedupeWindow = std::chrono::minutes(10);
        qsizetype maxRememberedIds = 1000000;
        // Kafka's message.timeout.ms unless the properties set it: under Shopify's 5 s, so that a 503
        // reaches Shopify before it gives up. A webhook Kafka has not acknowledged by then (plus at most
        // 0.2 s) is answered 503.
        std::chrono::milliseconds deliveryTimeout{4000};
        std::chrono::milliseconds healthInterval{2000}; // how often Kafka's reachability is checked
        // Connections served at once (beyond: 503), and HttpServerOptions' timeouts: an idle connection is
        // closed after idleTimeout, a request that has not arrived whole within requestTimeout is 408.
        int maxConnections = 1024;
        std::chrono::milliseconds idleTimeout{15000};
        std::chrono::milliseconds requestTimeout{20000};
        std::chrono::milliseconds lingerTimeout{2000};
    };

    // Creates the Kafka producer (no connection is made yet) and the HTTP routes; listen() next.
    static Result<std::unique_ptr<WebhookGateway>> create(Options options);
    ~WebhookGateway() override; // answers 503 to whatever is still in flight
    Q_DISABLE_COPY_MOVE(WebhookGateway)

    // Starts accepting connections; port 0 picks a free one. Returns the port.
    Result<quint16> listen(const QHostAddress &address, quint16 port);

    // Stops accepting connections, answers 503 (Connection: close) to webhooks that still arrive on
    // open ones, and waits up to `bound` for the deliveries in flight; those still undelivered then are
    // answered 503. Emits drained() when nothing is left in flight (from the event loop).
    void shutdown(std::chrono::milliseconds bound);

    const GatewayCounters &counters() const { return m_counters; }
    int inFlight() const { return int(m_inFlight.size()); }
    int connections() const; // open HTTP connections
    qsizetype rememberedIds() const { return m_acknowledged.size(); }
    // The message.timeout.ms the producer runs with.
    std::chrono::milliseconds deliveryTimeout() const { return m_deliveryTimeout; }
    bool kafkaReachable() const;

Q_SIGNALS:
    void drained();

private:
    enum class Outcome {
        Accepted,
        Duplicate,
        BadRequest,
        Unauthorized,
        NotFound,
        MethodNotAllowed,
        TooLarge,
        Unavailable,
        RequestTimeout,
        UriTooLong,
        HeadersTooLarge,
        NotImplemented,
        VersionNotSupported
    };
    enum class Route { None, Webhooks, Health, Metrics };
    struct Waiter {                          // a client waiting for the answer to one webhook
        QPointer<HttpConnection> connection; // null once the client has hung up
        bool duplicate = false;              // a redelivery that arrived while the first was in flight
    };
    struct InFlight {
        QByteArray webhookId; // empty when the webhook had none
        std::vector<Waiter> waiters;
        bool answered = false; // 503 already: Kafka did not report on it within the delivery timeout
    };
    struct Completed {
        quint64 sequence = 0;
        bool ok = false;
        QString error;
    };

    explicit WebhookGateway(Options options);
    // HttpHandler
    void onHead(HttpConnection &connection, const HttpRequestHead &head) override;
    void onRequest(HttpConnection &connection, const HttpRequestHead &head, const QByteArray &body) override;
    void onRefused(HttpConnection &connection, const HttpError &error) override;
    void onWebhook(HttpConnection &connection, const HttpRequestHead &head, const QByteArray &body);
    // Counts the answer and writes it, unless the client has hung up.
    void answer(HttpConnection *connection, Outcome outcome, const QString &detail = {}, const QByteArray &allow = {});
    void takeDeliveries(); // on the gateway's thread, queued by the delivery handler
    void finish(quint64 sequence, bool ok, const QString &error);
    void onAnswerDeadline();
    void onDrainTimeout();
    void noteKafkaFailure(const QString &what); // logged once until Kafka acknowledges again
    QByteArray healthJson(bool &healthy) const;
    QByteArray metricsText() const;

    Options m_options;
    QByteArray m_topic;
    std::chrono::milliseconds m_deliveryTimeout{0};
    std::vector<QPointer<HttpServer>> m_servers; // children, one per listen()
    std::unique_ptr<KafkaProducer> m_producer;
    std::unique_ptr<KafkaReachability> m_reachability;
    QElapsedTimer m_clock;
    GatewayCounters m_counters;
    WebhookIdWindow m_acknowledged;
    std::unordered_map<quint64, InFlight> m_inFlight;   // by produce sequence number
    QHash<QByteArray, quint64> m_inFlightIds;           // webhook id -> sequence number
    std::deque<std::pair<qint64, quint64>> m_deadlines; // (answer by, in ms of m_clock; sequence)
    QTimer m_deadlineTimer;
    quint64 m_nextSequence = 1;
    bool m_stopping = false;
    bool m_kafkaFailing = false; // the last delivery failed (logged once per episode)
    QTimer m_drainTimer;

    std::mutex m_completedMutex; // guards m_completed, filled on the producer's polling thread
    std::vector<Completed> m_completed;
};

} // namespace peakwatch
