// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The Topics view's live tail at Black Friday rates: the real view, offscreen, tailing a partition of the embedded
// cluster while a producer writes simulated webhooks with Shopify's headers at N messages a second. The embedded
// cluster keeps only about 5 MB of a partition: at 50,000 products/update a second (150 MB/s) a reader must stay
// within 35 ms of the end or lose messages to retention, so the default is inventory_levels/update (0.2 KB). Reports
// what the tail read (shown or counted as too fast to show) of what was written, how often the table was redrawn, the
// window thread's longest stall and 99th percentile lateness of a 5 ms timer, and how long after the last message the
// newest was on screen. The peer, in the same run on the same partition: kcat -C reading from the end (printing offsets
// to a pipe), its count and how long it took to reach the end; and the machine's floor, a plain thread waking every 5
// ms beside the window (tests/bench/wakeup_floor).
//
// Usage: bench_tail [--rate 50000] [--seconds 10] [--payload inventory|products]
#include "embedded_cluster.h"
#include "kafka_producer.h"
#include "message_page_model.h"
#include "sales_simulator.h"
#include "stock_webhooks.h"
#include "topics_view.h"
#include "wakeup_floor.h"
#include "webhook_builder.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace peakwatch;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 20000;

struct Payload {
    QByteArray key;
    QByteArray value;
    QByteArray shop;
    QByteArray webhookId;
    QByteArray topic;
};

// Webhooks as a shop's stream carries them: inventory_levels/update (about 0.2 KB, the most frequent topic at a
// sale's peak: one per location an order takes stock from) or products/update (about 3 KB).
std::vector<Payload> payloads(int count, bool products)
{
    auto catalog = sim::Catalog::generate({.shops = 10, .productsPerShop = 200, .seed = 7});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 100000, .seed = 7});
    std::vector<Payload> out;
    out.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const auto change = simulator.next();
        Payload p;
        p.shop = change.shop->domain;
        p.key = p.shop;
        p.webhookId = simulator.newWebhookId();
        p.topic = products ? "products/update" : "inventory_levels/update";
        if (products)
            p.value = sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs);
        else
            sim::writeInventoryLevelWebhook(*change.shop, change.product->variants.front(), 0, change.atMs, p.value);
        out.push_back(std::move(p));
    }
    return out;
}

// The first number after `label` in the status text ("12,345 new messages"), in the locale's digits.
qint64 figure(const QString &status, const QString &pattern)
{
    const QRegularExpression re(QStringLiteral("([\\d,.\\s]+) ") + pattern);
    const auto match = re.match(status);
    if (!match.hasMatch())
        return 0;
    QString digits = match.captured(1);
    digits.remove(QRegularExpression(QStringLiteral("[^\\d]")));
    return digits.toLongLong();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Messages per second."),
                                        QStringLiteral("N"), QStringLiteral("50000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Seconds of writing."),
                                           QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption payloadOption(QStringLiteral("payload"),
                                           QStringLiteral("inventory (inventory_levels/update, 0.2 KB) or products "
                                                          "(products/update, 3 KB)."),
                                           QStringLiteral("KIND"), QStringLiteral("inventory"));
    parser.addOptions({rateOption, secondsOption, payloadOption});
    parser.addHelpOption();
    parser.process(app);
    const int rate = parser.value(rateOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (kcat.isEmpty()) {
        std::fprintf(stderr, "bench_tail: kcat is needed as the peer (scripts/install-deps.sh brings it)\n");
        return 1;
    }

    const QString topic = QStringLiteral("live");
    auto cluster = EmbeddedCluster::start(1, {{topic, 1}});
    if (!cluster) {
        std::fprintf(stderr, "bench_tail: %s\n", qPrintable(cluster.error()));
        return 1;
    }
    const QString bootstrap = (*cluster)->bootstrapServers();
    const bool products = parser.value(payloadOption) == QLatin1String("products");
    const std::vector<Payload> bodies = payloads(4000, products);
    qint64 bytes = 0;
    for (const Payload &p : bodies)
        bytes += p.value.size();
    std::printf("bench_tail: %d messages/s for %d s, %s webhooks of %.2f KB on average\n", rate, seconds,
                products ? "products/update" : "inventory_levels/update",
                double(bytes) / double(bodies.size()) / 1024.0);

    ui::TopicsView view;
    view.resize(1440, 900);
    view.show();
    view.setConnection(bootstrap, {});
    auto *table = view.findChild<QTableView *>(QStringLiteral("messageTable"));
    auto *status = view.findChild<QLabel *>(QStringLiteral("messagesStatus"));
    auto *tail = view.findChild<QAction *>(QStringLiteral("liveTailAction"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("topicTree"));
    if (!QTest::qWaitFor([&] { return tree->model()->rowCount() == 1; }, kWaitMs))
        return 1;
    view.showPartition(topic, 0);
    QTest::qWait(500);
    tail->trigger();
    if (!QTest::qWaitFor([&] { return status->text().contains(QStringLiteral("waiting for new messages")); },
                         kWaitMs)) {
        std::fprintf(stderr, "bench_tail: the tail did not start: %s\n", qPrintable(status->text()));
        return 1;
    }

    // The peer reads the same partition from its end, printing each offset.
    QProcess peer;
    std::atomic<qint64> peerLast{-1};
    qint64 peerCount = 0;
    QObject::connect(&peer, &QProcess::readyReadStandardOutput, [&] {
        while (peer.canReadLine()) {
            const QByteArray line = peer.readLine().trimmed();
            if (!line.isEmpty()) {
                ++peerCount;
                peerLast = line.toLongLong();
            }
        }
    });
    peer.start(kcat, {QStringLiteral("-C"), QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), topic,
                      QStringLiteral("-p"), QStringLiteral("0"), QStringLiteral("-o"), QStringLiteral("end"),
                      QStringLiteral("-u"), QStringLiteral("-f"), QStringLiteral("%o\\n")});
    peer.waitForStarted();
    QTest::qWait(1500); // both readers are at the end before the first message

    // The window's thread: a 5 ms timer's lateness, and each redraw of the table.
    std::atomic<int> phase{0};
    LateTicks late;
    WakeupFloor floor(phase, false);
    QElapsedTimer tickClock;
    tickClock.start();
    qint64 lastTick = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = tickClock.elapsed();
        late.record(phase.load(), std::max<qint64>(0, now - lastTick - 5));
        lastTick = now;
    });
    int redraws = 0;
    QObject::connect(table->model(), &QAbstractItemModel::rowsInserted, [&] { ++redraws; });
    ticker.start();
    lastTick = tickClock.elapsed();

    // The writer, paced a millisecond at a time.
    auto producer = KafkaProducer::create(
        bootstrap, KafkaProperties{{"linger.ms", "100"}, {"batch.num.messages", "10000"}, {"batch.size", "4000000"}});
    if (!producer) {
        std::fprintf(stderr, "bench_tail: %s\n", qPrintable(producer.error()));
        return 1;
    }
    (void)(*producer)->prepareTopic(topic);
    std::atomic<qint64> written{0};
    std::atomic<bool> writing{true};
    QElapsedTimer writeClock;
    writeClock.start();
    std::thread writer([&] {
        const std::string name = topic.toStdString();
        const auto start = std::chrono::steady_clock::now();
        const qint64 total = qint64(rate) * seconds;
        qint64 n = 0;
        while (n < total) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const qint64 due = std::min(total, qint64(elapsed * rate));
            for (; n < due; ++n) {
                const Payload &p = bodies[size_t(n) % bodies.size()];
                const KafkaHeader headers[] = {
                    {"X-Shopify-Topic", std::string_view(p.topic.constData(), size_t(p.topic.size()))},
                    {"X-Shopify-Shop-Domain", std::string_view(p.shop.constData(), size_t(p.shop.size()))},
                    {"X-Shopify-Webhook-Id", std::string_view(p.webhookId.constData(), size_t(p.webhookId.size()))}};
                (void)(*producer)->produce(name, std::string_view(p.key.constData(), size_t(p.key.size())),
                                           std::string_view(p.value.constData(), size_t(p.value.size())), headers, 0);
            }
            written = n;
            std::this_thread::sleep_for(1ms);
        }
        (*producer)->flush(30000);
        writing = false;
    });
    phase = 1;
    (void)QTest::qWaitFor([&] { return !writing.load(); }, (seconds + 60) * 1000);
    writer.join();
    const qint64 writeMs = writeClock.elapsed();
    const qint64 total = written.load();
    const qint64 lastOffset = total - 1; // the partition held nothing before
    // How long after the last message was written each reader had it.
    QElapsedTimer after;
    after.start();
    qint64 oursCaughtUpMs = -1;
    qint64 peerCaughtUpMs = -1;
    (void)QTest::qWaitFor(
        [&] {
            if (oursCaughtUpMs < 0 && table->model()->rowCount() > 0 &&
                table->model()->index(0, ui::MessagePageModel::Offset).data().toLongLong() == lastOffset)
                oursCaughtUpMs = after.elapsed();
            if (peerCaughtUpMs < 0 && peerLast.load() == lastOffset)
                peerCaughtUpMs = after.elapsed();
            return oursCaughtUpMs >= 0 && peerCaughtUpMs >= 0;
        },
        kWaitMs);
    phase = 2;
    ticker.stop();
    floor.stop();
    peer.terminate();
    peer.waitForFinished(5000);
    const QByteArray peerErrors = peer.readAllStandardError().trimmed();
    if (!peerErrors.isEmpty())
        std::fprintf(stderr, "kcat said: %s\n", peerErrors.right(2000).constData());
    QTest::qWait(300); // the status label's last batch
    const QString text = status->text();
    const qint64 shown = figure(text, QStringLiteral("new messages"));
    const qint64 skipped = figure(text, QStringLiteral("came too fast to show"));
    const qint64 lost = figure(text, QStringLiteral("were removed by retention"));

    const double writtenRate = double(total) * 1000.0 / double(writeMs);
    std::printf("written: %lld messages in %.2f s (%.0f/s)\n", static_cast<long long>(total), double(writeMs) / 1000.0,
                writtenRate);
    std::printf("ours (Topics view live tail): read %lld of %lld (%lld shown, %lld too fast to show, %lld lost to "
                "retention); %d redraws (%.1f/s); newest on screen %lld ms after the last write\n",
                static_cast<long long>(shown + skipped), static_cast<long long>(total), static_cast<long long>(shown),
                static_cast<long long>(skipped), static_cast<long long>(lost), redraws,
                double(redraws) * 1000.0 / double(writeMs), static_cast<long long>(oursCaughtUpMs));
    std::printf("window thread while writing: longest stall %lld ms, 99th percentile %lld ms late, %lld ticks over "
                "50 ms; machine floor: longest %lld ms, 99th percentile %lld ms\n",
                static_cast<long long>(late.longest(1)), static_cast<long long>(late.percentile(1, 0.99)),
                static_cast<long long>(late.over(1, 50)), static_cast<long long>(floor.late().longest(1)),
                static_cast<long long>(floor.late().percentile(1, 0.99)));
    std::printf("peer (kcat -C): read %lld of %lld; at the end %lld ms after the last write\n",
                static_cast<long long>(peerCount), static_cast<long long>(total),
                static_cast<long long>(peerCaughtUpMs));
    std::printf("ratio read ours/kcat: %.3f; time to the newest ours/kcat: %.2f\n",
                peerCount > 0 ? double(shown + skipped) / double(peerCount) : 0.0,
                peerCaughtUpMs > 0 ? double(oursCaughtUpMs) / double(peerCaughtUpMs) : 0.0);
    return 0;
}
