// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Webhooks per second and latency of `peakwatch-cli gateway --embedded` over loopback: signed Shopify
// webhooks from many keep-alive connections, each answered once the embedded cluster acknowledged it.
//
// Peers measured in the same run, since the machine is shared and absolute figures drift:
//  - a bare QHttpServer (this program with --serve-bare, a child process like the gateway) that answers
//    200 at once: the same client load on Qt's stock HTTP server, without the signature check, the JSON
//    validation and the Kafka round trip. The gateway serves HTTP with a server of its own since it
//    judges requests on their heads (docs/gateway.md): the ratio shows what the gateway's work costs
//    next to the HTTP server it used to run on;
//  - kcat -P sending the same bodies, keyed by shop, to the gateway's embedded cluster: what a plain
//    Kafka producer does with them, without HTTP.
#include "shopify_hmac.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <limits>
#include <csignal>
#include <memory>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

using namespace peakwatch;

namespace {

const QByteArray kSecret = QByteArrayLiteral("shpss_bench-secret");
const QByteArray kShop = QByteArrayLiteral("northwind-apparel.myshopify.com");
const QByteArray kSecretEnv = QByteArrayLiteral("PEAKWATCH_BENCH_WEBHOOK_SECRET");

qint64 nowNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer c;
        c.start();
        return c;
    }();
    return clock.nsecsElapsed();
}

// User + system CPU time of a process so far, in milliseconds (from /proc/PID/stat).
double processCpuMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = double(fields[11].toLongLong() + fields[12].toLongLong()); // utime, stime
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<qint64> &values, double p)
{
    if (values.empty())
        return 0;
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qsizetype(index), values.end());
    return double(values[index]) / 1e6;
}

// ---------------------------------------------------------------------------------------------------
// The load: raw HTTP/1.1 keep-alive connections, one request at a time on each

struct LoadOptions {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    int connections = 64;
    double warmupSeconds = 1;
    double seconds = 5;
    double rate = 0; // webhooks per second, paced (open loop); 0: as fast as answers come (closed loop)
    QByteArray idPrefix;
    QByteArray body;
};

struct LoadResult {
    qint64 completed = 0; // answers received during the measured window
    qint64 non200 = 0;
    qint64 connectionErrors = 0;
    QByteArray firstNon200; // the first such answer, to say what went wrong
    double seconds = 0;
    std::vector<qint64> latenciesNs;
    double perSecond() const { return seconds > 0 ? double(completed) / seconds : 0; }
};

class LoadClient final : public QObject {
public:
    explicit LoadClient(LoadOptions options)
        : m_options(std::move(options))
    {
        const QByteArray signature = shopifyHmac(kSecret, m_options.body);
        m_head = "POST /webhooks HTTP/1.1\r\nHost: " + m_options.host.toUtf8() + ':' +
                 QByteArray::number(m_options.port) +
                 "\r\nContent-Type: application/json\r\nX-Shopify-Topic: products/update\r\n"
                 "X-Shopify-Hmac-Sha256: " +
                 signature + "\r\nX-Shopify-Shop-Domain: " + kShop +
                 "\r\nX-Shopify-API-Version: 2026-10\r\nX-Shopify-Triggered-At: 2026-11-27T05:03:12.123Z\r\n"
                 "Content-Length: " +
                 QByteArray::number(m_options.body.size()) + "\r\nX-Shopify-Webhook-Id: " + m_options.idPrefix;
    }

    LoadResult run()
    {
        for (int i = 0; i < m_options.connections; ++i) {
            auto c = std::make_unique<Connection>();
            c->socket = new QTcpSocket(this);
            c->socket->setProxy(QNetworkProxy::NoProxy);
            Connection *raw = c.get();
            connect(c->socket, &QTcpSocket::connected, this, [this, raw] { onIdle(raw); });
            connect(c->socket, &QTcpSocket::readyRead, this, [this, raw] { onReadyRead(raw); });
            connect(c->socket, &QTcpSocket::errorOccurred, this, [this, raw](QAbstractSocket::SocketError) {
                if (!m_stopped) {
                    ++m_result.connectionErrors;
                    std::fprintf(stderr, "bench_gateway: connection error: %s\n",
                                 qPrintable(raw->socket->errorString()));
                }
            });
            m_connections.push_back(std::move(c));
        }
        m_start = nowNs();
        m_measureFrom = m_start + qint64(m_options.warmupSeconds * 1e9);
        m_measureUntil = m_measureFrom + qint64(m_options.seconds * 1e9);
        for (auto &c : m_connections)
            c->socket->connectToHost(m_options.host, m_options.port);
        QTimer pacer;
        if (m_options.rate > 0) {
            pacer.setTimerType(Qt::PreciseTimer);
            connect(&pacer, &QTimer::timeout, this, &LoadClient::schedule);
            pacer.start(1);
        }
        QTimer end;
        end.setSingleShot(true);
        connect(&end, &QTimer::timeout, &m_loop, &QEventLoop::quit);
        end.start(int((m_options.warmupSeconds + m_options.seconds) * 1000) + 1);
        m_loop.exec();
        m_stopped = true;
        m_result.seconds = m_options.seconds;
        for (auto &c : m_connections)
            c->socket->abort();
        return std::move(m_result);
    }

private:
    struct Connection {
        QTcpSocket *socket = nullptr;
        QByteArray in;
        qint64 startNs = 0; // when the request was due (paced) or sent
        bool busy = false;
    };

    void send(Connection *c, qint64 dueNs)
    {
        QByteArray request = m_head;
        request += QByteArray::number(m_nextId++);
        request += "\r\n\r\n";
        request += m_options.body;
        c->startNs = dueNs;
        c->busy = true;
        c->socket->write(request);
    }

    // A connection is free: closed loop, send at once; paced, take the oldest due request.
    void onIdle(Connection *c)
    {
        if (m_stopped || nowNs() >= m_measureUntil)
            return;
        if (m_options.rate <= 0) {
            send(c, nowNs());
        } else if (!m_due.empty()) {
            send(c, m_due.front());
            m_due.pop_front();
        } else {
            m_idle.push_back(c);
        }
    }

    void schedule()
    {
        const qint64 now = std::min(nowNs(), m_measureUntil);
        const qint64 interval = qint64(1e9 / m_options.rate);
        if (m_nextDueNs == 0)
            m_nextDueNs = m_start;
        for (; m_nextDueNs <= now; m_nextDueNs += interval) {
            if (!m_idle.empty()) {
                Connection *c = m_idle.front();
                m_idle.pop_front();
                send(c, m_nextDueNs);
            } else {
                m_due.push_back(m_nextDueNs); // every connection is busy: it waits, and its wait counts
            }
        }
    }

    void onReadyRead(Connection *c)
    {
        c->in += c->socket->readAll();
        for (;;) {
            const qsizetype headEnd = c->in.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QByteArray head = c->in.left(headEnd).toLower();
            qsizetype length = 0;
            if (const qsizetype at = head.indexOf("\r\ncontent-length:"); at >= 0) {
                const qsizetype valueEnd = head.indexOf("\r\n", at + 2);
                length = head.mid(at + 17, valueEnd < 0 ? -1 : valueEnd - at - 17).trimmed().toLongLong();
            }
            if (c->in.size() < headEnd + 4 + length)
                return;
            const int status = head.mid(9, 3).toInt();
            if (status != 200 && m_result.firstNon200.isEmpty())
                m_result.firstNon200 = c->in.left(headEnd + 4 + length);
            c->in.remove(0, headEnd + 4 + length);
            const qint64 now = nowNs();
            if (c->busy && now >= m_measureFrom && now < m_measureUntil) {
                ++m_result.completed;
                m_result.latenciesNs.push_back(now - c->startNs);
                if (status != 200)
                    ++m_result.non200;
            }
            c->busy = false;
            onIdle(c);
        }
    }

    LoadOptions m_options;
    QByteArray m_head;
    qint64 m_nextId = 1;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::deque<Connection *> m_idle;
    std::deque<qint64> m_due;
    qint64 m_start = 0;
    qint64 m_measureFrom = 0;
    qint64 m_measureUntil = 0;
    qint64 m_nextDueNs = 0;
    bool m_stopped = false;
    QEventLoop m_loop;
    LoadResult m_result;
};

// ---------------------------------------------------------------------------------------------------
// The servers, as child processes

struct Server {
    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    QString bootstrap; // the gateway's embedded cluster
    QByteArray err;
};

Server startServer(const QString &program, const QStringList &arguments)
{
    Server server;
    server.process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromUtf8(kSecretEnv), QString::fromUtf8(kSecret));
    server.process->setProcessEnvironment(env);
    // The server dies with the benchmark, even when the benchmark stops on a fatal error.
    server.process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    server.process->start(program, arguments);
    if (!server.process->waitForStarted(10000))
        qFatal("cannot start %s", qPrintable(program));
    QElapsedTimer clock;
    clock.start();
    while (!server.process->canReadLine() && clock.elapsed() < 20000)
        server.process->waitForReadyRead(100);
    const QString url = QString::fromUtf8(server.process->readLine().trimmed());
    static const QRegularExpression pattern(QStringLiteral("^http://127\\.0\\.0\\.1:(\\d+)$"));
    const auto match = pattern.match(url);
    if (!match.hasMatch())
        qFatal("%s did not print its URL: %s %s", qPrintable(program), qPrintable(url),
               server.process->readAllStandardError().constData());
    server.port = quint16(match.captured(1).toUInt());
    clock.restart();
    static const QRegularExpression bootstrap(QStringLiteral("embedded Kafka cluster at (\\S+),"));
    while (clock.elapsed() < 2000) {
        server.err += server.process->readAllStandardError();
        if (const auto m = bootstrap.match(QString::fromUtf8(server.err)); m.hasMatch()) {
            server.bootstrap = m.captured(1);
            break;
        }
        server.process->waitForReadyRead(100);
    }
    return server;
}

void stopServer(Server &server)
{
    server.process->terminate();
    if (!server.process->waitForFinished(20000))
        server.process->kill();
    server.err += server.process->readAllStandardError();
}

// GET PATH from the server, synchronously.
QByteArray httpGet(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray out;
    while (socket.waitForReadyRead(5000))
        out += socket.readAll();
    return out.mid(out.indexOf("\r\n\r\n") + 4);
}

qint64 metric(const QByteArray &metrics, const QByteArray &outcome)
{
    const QByteArray prefix = "outcome=\"" + outcome + "\"} ";
    const qsizetype at = metrics.indexOf(prefix);
    if (at < 0)
        return -1;
    const qsizetype end = metrics.indexOf('\n', at);
    return metrics.mid(at + prefix.size(), end - at - prefix.size()).toLongLong();
}

int serveBare()
{
    QHttpServer server;
    server.route(QStringLiteral("/webhooks"), [](const QHttpServerRequest &, QHttpServerResponder &&responder) {
        responder.write(QByteArrayLiteral("{\"status\":\"accepted\"}"), {{"Content-Type", "application/json"}},
                        QHttpServerResponder::StatusCode::Ok);
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0)
        return 1;
    std::printf("http://127.0.0.1:%u\n", unsigned(port));
    std::fflush(stdout);
    return QCoreApplication::exec(); // until SIGTERM
}

struct SideResult {
    LoadResult load;
    double serverCpuMs = 0;
    double p50 = 0, p99 = 0;
};

SideResult measure(Server &server, LoadOptions options)
{
    options.port = server.port;
    const double cpuBefore = processCpuMs(server.process->processId());
    LoadClient client(options);
    SideResult side;
    side.load = client.run();
    side.serverCpuMs = processCpuMs(server.process->processId()) - cpuBefore;
    side.p50 = percentile(side.load.latenciesNs, 0.50);
    side.p99 = percentile(side.load.latenciesNs, 0.99);
    if (side.load.non200 > 0 || side.load.connectionErrors > 0)
        qFatal("%lld answers were not 200 (the first: %s) and %lld connections failed",
               static_cast<long long>(side.load.non200), side.load.firstNon200.constData(),
               static_cast<long long>(side.load.connectionErrors));
    return side;
}

QString findCli(const QString &given)
{
    if (!given.isEmpty())
        return given;
    return QStringLiteral(PEAKWATCH_CLI);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_gateway"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Webhooks per second and latency of peakwatch-cli gateway --embedded over loopback, next to a bare "
        "QHttpServer and kcat -P measured in the same run."));
    parser.addHelpOption();
    const QCommandLineOption cliOption(QStringLiteral("cli"), QStringLiteral("The peakwatch-cli to measure."),
                                       QStringLiteral("PATH"));
    const QCommandLineOption connectionsOption(
        QStringLiteral("connections"), QStringLiteral("Concurrent connections, comma-separated (default 8,64)."),
        QStringLiteral("N,..."), QStringLiteral("8,64"));
    const QCommandLineOption secondsOption(
        QStringLiteral("seconds"), QStringLiteral("Measured seconds per run (default 5), after 1 s of warm-up."),
        QStringLiteral("S"), QStringLiteral("5"));
    const QCommandLineOption runsOption(
        QStringLiteral("runs"), QStringLiteral("Runs per side and level, alternating; the best counts (default 3)."),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption rateOption(QStringLiteral("paced-rate"),
                                        QStringLiteral("Also measure latency at this steady rate (default 2000/s, "
                                                       "64 connections; 0 to skip)."),
                                        QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption kcatOption(QStringLiteral("kcat-messages"),
                                        QStringLiteral("Messages kcat -P sends (default 100000; 0 to skip)."),
                                        QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption bareOption(QStringLiteral("serve-bare"),
                                        QStringLiteral("Internal: be the bare QHttpServer peer."));
    parser.addOptions({cliOption, connectionsOption, secondsOption, runsOption, rateOption, kcatOption, bareOption});
    parser.process(app);
    if (parser.isSet(bareOption))
        return serveBare();

    const QString cli = findCli(parser.value(cliOption));
    if (!QFileInfo(cli).isExecutable()) {
        std::fprintf(stderr, "bench_gateway: %s is not an executable peakwatch-cli (pass --cli PATH)\n",
                     qPrintable(cli));
        return 2;
    }
    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    QList<int> levels;
    for (const QString &text : parser.value(connectionsOption).split(u','))
        if (const int n = text.toInt(); n > 0)
            levels << n;
    const double seconds = parser.value(secondsOption).toDouble();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const double pacedRate = parser.value(rateOption).toDouble();
    const qint64 kcatMessages = parser.value(kcatOption).toLongLong();
    if (levels.isEmpty() || seconds <= 0) {
        std::fprintf(stderr, "bench_gateway: --connections and --seconds must be positive\n");
        return 2;
    }

    // The products/update sample as Shopify sends it: compact JSON.
    QFile sample(QStringLiteral(PEAKWATCH_SAMPLES_DIR "/products-update.json"));
    if (!sample.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(sample.fileName()));
    const QByteArray body = QJsonDocument::fromJson(sample.readAll()).toJson(QJsonDocument::Compact);

    Server gateway =
        startServer(cli, {QStringLiteral("gateway"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--embedded"), QStringLiteral("--topic"), QStringLiteral("bench"),
                          QStringLiteral("--secret-env"), QString::fromUtf8(kSecretEnv)});
    if (gateway.bootstrap.isEmpty())
        qFatal("the gateway did not say its bootstrap servers: %s", gateway.err.constData());
    Server bare = startServer(QCoreApplication::applicationFilePath(), {QStringLiteral("--serve-bare")});
    QElapsedTimer ready;
    ready.start();
    while (!httpGet(gateway.port, "/healthz").startsWith("{\"status\":\"ok\"") && ready.elapsed() < 20000)
        QThread::msleep(100);

    std::printf("peakwatch-cli: %s\n", qPrintable(QFileInfo(cli).canonicalFilePath()));
    std::printf("body %lld bytes (the products/update sample, compact), %d run(s) of %.0f s per side and level\n",
                static_cast<long long>(body.size()), runs, seconds);
    std::fflush(stdout);

    struct Level {
        int connections;
        SideResult gateway, bare;
    };
    std::vector<Level> results;
    qint64 expectedAccepted = 0;
    int run = 0;
    for (int connections : levels) {
        Level level{connections, {}, {}};
        for (int i = 0; i < runs; ++i) {
            LoadOptions options;
            options.connections = connections;
            options.seconds = seconds;
            options.body = body;
            options.idPrefix = "bench-" + QByteArray::number(++run) + '-';
            const SideResult g = measure(gateway, options);
            // Answers in flight when the window closed are not counted but still produced.
            expectedAccepted += g.load.completed;
            options.idPrefix += "bare-";
            const SideResult b = measure(bare, options);
            std::printf("  %3d connections, run %d: gateway %8.0f/s (p50 %6.2f ms, p99 %6.2f ms, %5.1f cpu-ms/1k), "
                        "bare %8.0f/s (p50 %6.2f ms, p99 %6.2f ms, %5.1f cpu-ms/1k)\n",
                        connections, i + 1, g.load.perSecond(), g.p50, g.p99,
                        g.serverCpuMs * 1000 / double(std::max<qint64>(1, g.load.completed)), b.load.perSecond(), b.p50,
                        b.p99, b.serverCpuMs * 1000 / double(std::max<qint64>(1, b.load.completed)));
            std::fflush(stdout);
            if (g.load.perSecond() > level.gateway.load.perSecond())
                level.gateway = g;
            if (b.load.perSecond() > level.bare.load.perSecond())
                level.bare = b;
        }
        results.push_back(std::move(level));
    }

    SideResult pacedGateway, pacedBare;
    if (pacedRate > 0) {
        LoadOptions options;
        options.connections = 64;
        options.seconds = seconds;
        options.rate = pacedRate;
        options.body = body;
        options.idPrefix = "bench-paced-";
        pacedGateway = measure(gateway, options);
        options.idPrefix = "bench-paced-bare-";
        pacedBare = measure(bare, options);
        std::printf("  paced at %.0f/s: gateway %.0f/s (p50 %.2f ms, p99 %.2f ms), bare %.0f/s (p50 %.2f ms, "
                    "p99 %.2f ms)\n",
                    pacedRate, pacedGateway.load.perSecond(), pacedGateway.p50, pacedGateway.p99,
                    pacedBare.load.perSecond(), pacedBare.p50, pacedBare.p99);
        std::fflush(stdout);
    }

    // Every webhook the client saw answered 200 was acknowledged once: no duplicates, nothing refused.
    const QByteArray metrics = httpGet(gateway.port, "/metrics");
    const qint64 accepted = metric(metrics, "accepted");
    const qint64 refused = metric(metrics, "unauthorized") + metric(metrics, "bad_request") +
                           metric(metrics, "unavailable") + metric(metrics, "duplicate");
    if (accepted < expectedAccepted || refused != 0)
        qFatal("the gateway accepted %lld (the client counted at least %lld) and refused %lld",
               static_cast<long long>(accepted), static_cast<long long>(expectedAccepted),
               static_cast<long long>(refused));

    double kcatRate = 0;
    if (kcatMessages > 0 && !kcat.isEmpty()) {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bodies.tsv"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        const QByteArray line = kShop + '\t' + body + '\n';
        for (qint64 i = 0; i < kcatMessages; ++i)
            file.write(line);
        file.close();
        double best = std::numeric_limits<double>::max();
        for (int i = 0; i < runs; ++i) {
            QProcess producer;
            QElapsedTimer clock;
            clock.start();
            producer.start(kcat,
                           {QStringLiteral("-P"), QStringLiteral("-b"), gateway.bootstrap, QStringLiteral("-t"),
                            QStringLiteral("bench"), QStringLiteral("-K"), QStringLiteral("\t"), QStringLiteral("-H"),
                            QStringLiteral("X-Shopify-Topic=products/update"), QStringLiteral("-H"),
                            QStringLiteral("X-Shopify-Shop-Domain=") + QString::fromUtf8(kShop), QStringLiteral("-X"),
                            QStringLiteral("enable.idempotence=true"), QStringLiteral("-X"),
                            QStringLiteral("linger.ms=5"), QStringLiteral("-l"), path});
            if (!producer.waitForFinished(300000) || producer.exitCode() != 0)
                qFatal("kcat -P failed: %s", producer.readAllStandardError().constData());
            best = std::min(best, double(clock.nsecsElapsed()) / 1e9);
        }
        kcatRate = double(kcatMessages) / best;
        std::printf("  kcat -P of %lld bodies to the same cluster: best %.3f s, %.0f messages/s\n",
                    static_cast<long long>(kcatMessages), best, kcatRate);
    }

    stopServer(gateway);
    stopServer(bare);
    const QByteArray summary = gateway.err.trimmed().split('\n').last();

    std::printf("\nSigned products/update webhooks (%lld bytes) over loopback, best of %d runs of %.0f s:\n",
                static_cast<long long>(body.size()), runs, seconds);
    std::printf("  %-12s %-34s %12s %9s %9s %14s\n", "connections", "server", "webhooks/s", "p50 ms", "p99 ms",
                "cpu-ms per 1k");
    for (Level &level : results) {
        for (const auto &[name, side] :
             {std::pair<const char *, SideResult *>{"peakwatch-cli gateway --embedded", &level.gateway},
              {"bare QHttpServer (answers at once)", &level.bare}})
            std::printf("  %-12d %-34s %12.0f %9.2f %9.2f %14.1f\n", level.connections, name, side->load.perSecond(),
                        side->p50, side->p99,
                        side->serverCpuMs * 1000 / double(std::max<qint64>(1, side->load.completed)));
        std::printf("  %-12d ratio gateway / bare: %.2f\n", level.connections,
                    level.gateway.load.perSecond() / level.bare.load.perSecond());
    }
    if (pacedRate > 0)
        std::printf("  paced %.0f/s over 64 connections: gateway p50 %.2f ms, p99 %.2f ms; bare p50 %.2f ms, "
                    "p99 %.2f ms\n",
                    pacedRate, pacedGateway.p50, pacedGateway.p99, pacedBare.p50, pacedBare.p99);
    const Level &top = results.back();
    if (kcatRate > 0)
        std::printf("  kcat -P: %.0f messages/s; ratio gateway (%d connections) / kcat: %.2f\n", kcatRate,
                    top.connections, top.gateway.load.perSecond() / kcatRate);
    std::printf("  gateway's own summary: %s\n\n", summary.constData());

    for (const Level &level : results) {
        const QByteArray n = QByteArray::number(level.connections);
        std::printf("BENCH gateway_webhooks_per_s_c%s %.0f\n", n.constData(), level.gateway.load.perSecond());
        std::printf("BENCH gateway_p50_ms_c%s %.2f\n", n.constData(), level.gateway.p50);
        std::printf("BENCH gateway_p99_ms_c%s %.2f\n", n.constData(), level.gateway.p99);
        std::printf("BENCH bare_requests_per_s_c%s %.0f\n", n.constData(), level.bare.load.perSecond());
        std::printf("BENCH bare_p99_ms_c%s %.2f\n", n.constData(), level.bare.p99);
        std::printf("BENCH ratio_gateway_over_bare_c%s %.2f\n", n.constData(),
                    level.gateway.load.perSecond() / level.bare.load.perSecond());
    }
    if (pacedRate > 0) {
        std::printf("BENCH paced_rate %.0f\n", pacedRate);
        std::printf("BENCH paced_gateway_p50_ms %.2f\n", pacedGateway.p50);
        std::printf("BENCH paced_gateway_p99_ms %.2f\n", pacedGateway.p99);
    }
    if (kcatRate > 0) {
        std::printf("BENCH kcat_messages_per_s %.0f\n", kcatRate);
        std::printf("BENCH ratio_gateway_over_kcat %.2f\n", top.gateway.load.perSecond() / kcatRate);
    }
    return 0;
}
