// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Replay throughput of `peakwatch-cli analyze --input`, next to a QJsonDocument-based parse and
// aggregation of the same file measured in the same run, and analyze's peak memory for 100k products.
//
// The machine is shared and absolute times drift, so the figure that matters is the ratio between
// analyze and the baseline, measured alternately in the same run (best of N each).
#include "catalog.h"
#include "iso_time.h"
#include "money.h"
#include "sales_simulator.h"
#include "shopify_feed.h"
#include "webhook_builder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <limits>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace peakwatch;

namespace {

// ---------------------------------------------------------------------------------------------------
// Input files

struct FileStats {
    qint64 events = 0;
    qint64 valueBytes = 0;
    qint64 variants = 0;
    qint64 products = 0; // distinct (shop, product) pairs that have at least one event
    double meanValueBytes() const { return events ? double(valueBytes) / double(events) : 0; }
    double meanVariants() const { return events ? double(variants) / double(events) : 0; }
};

// Appends KEY<TAB>VALUE lines, flushing in large blocks.
class NdjsonWriter final {
public:
    explicit NdjsonWriter(const QString &path)
        : m_file(path)
    {
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s: %s", qPrintable(path), qPrintable(m_file.errorString()));
        m_block.reserve(kBlock + 64 * 1024);
    }
    ~NdjsonWriter() { flush(); }
    Q_DISABLE_COPY_MOVE(NdjsonWriter)

    void add(const sim::SimShop &shop, const sim::SimProduct &product, qint64 atMs, FileStats &stats)
    {
        m_body.clear();
        sim::WebhookBuilder::build(shop, product, atMs, m_body);
        m_block += shop.domain;
        m_block += '\t';
        m_block += m_body;
        m_block += '\n';
        ++stats.events;
        stats.valueBytes += m_body.size();
        stats.variants += qint64(product.variants.size());
        if (m_block.size() >= kBlock)
            flush();
    }
    // Any webhook the feed sends, its body written by the feed.
    void add(sim::ShopifyFeed &feed, const sim::ShopifyFeed::Webhook &w, FileStats &stats)
    {
        feed.write(w, m_body);
        m_block += w.shop->domain;
        m_block += '\t';
        m_block += m_body;
        m_block += '\n';
        ++stats.events;
        stats.valueBytes += m_body.size();
        if (w.topic == ShopifyTopic::ProductsUpdate)
            stats.variants += qint64(w.product->variants.size());
        if (m_block.size() >= kBlock)
            flush();
    }
    void flush()
    {
        if (!m_block.isEmpty() && m_file.write(m_block) != m_block.size())
            qFatal("cannot write %s: %s", qPrintable(m_file.fileName()), qPrintable(m_file.errorString()));
        m_block.clear();
    }

private:
    static constexpr qsizetype kBlock = 4 << 20;
    QFile m_file;
    QByteArray m_block;
    QByteArray m_body;
};

struct ReplayOptions {
    qint64 events = 200000;
    int shops = 10;
    int productsPerShop = 2000;
    int minVariants = 2; // 2-5 variants: a mean value of about 3 KB
    int maxVariants = 5;
    quint64 seed = 20261127;
    // Shopify's three topics from shops with three locations (sim::Scenario::useShopifysTopics), instead of one
    // products/update per change.
    bool allTopics = false;
};

// A Black Friday replay: orders against a heavy-tailed catalogue, one products/update per order or restock.
FileStats writeReplayFile(const QString &path, const ReplayOptions &o)
{
    sim::Catalog catalog = sim::Catalog::generate({.shops = o.shops,
                                                   .productsPerShop = o.productsPerShop,
                                                   .seed = o.seed,
                                                   .minVariants = o.minVariants,
                                                   .maxVariants = o.maxVariants,
                                                   .locations = o.allTopics ? 3 : 1});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 60000, .seed = o.seed});
    FileStats stats;
    QSet<const sim::SimProduct *> seen;
    NdjsonWriter writer(path);
    if (!o.allTopics) {
        for (qint64 i = 0; i < o.events; ++i) {
            const auto change = simulator.next();
            writer.add(*change.shop, *change.product, change.atMs, stats);
            seen.insert(change.product);
        }
        stats.products = seen.size();
        return stats;
    }
    sim::Scenario scenario;
    scenario.useShopifysTopics();
    sim::ShopifyFeed feed(scenario);
    const auto write = [&](const sim::ShopifyFeed::Webhook &w) {
        writer.add(feed, w, stats);
        if (w.topic == ShopifyTopic::ProductsUpdate)
            seen.insert(w.product);
    };
    while (stats.events < o.events)
        feed.change(simulator.next(), write);
    feed.flush(write);
    stats.products = seen.size();
    return stats;
}

// Many distinct products, one or two events each: what the engine keeps per product.
FileStats writeManyProductsFile(const QString &path, int shops, int productsPerShop, const ReplayOptions &o)
{
    sim::Catalog catalog = sim::Catalog::generate({.shops = shops,
                                                   .productsPerShop = productsPerShop,
                                                   .seed = o.seed + 1,
                                                   .minVariants = o.minVariants,
                                                   .maxVariants = o.maxVariants});
    const qint64 start = 1795755600000; // 2026-11-27T05:00:00Z
    FileStats stats;
    NdjsonWriter writer(path);
    for (const sim::SimShop &shop : catalog.shops())
        for (const sim::SimProduct &product : shop.products)
            writer.add(shop, product, start, stats);
    // Every other product sells one unit a minute later.
    for (sim::SimShop &shop : catalog.shops()) {
        for (size_t i = 1; i < shop.products.size(); i += 2) {
            sim::SimProduct &product = shop.products[i];
            sim::SimVariant &variant = product.variants.front();
            variant.previousQuantity = variant.quantity;
            variant.quantity -= 1;
            writer.add(shop, product, start + 60000, stats);
        }
    }
    stats.products = qint64(catalog.productCount());
    return stats;
}

// ---------------------------------------------------------------------------------------------------
// analyze as a child process
//
// Linux carries a process's peak RSS across fork and exec: a child started by the benchmark, once it
// has written hundreds of MB of input, would report at least the benchmark's own size. So children are
// started by a small spawner process, forked at the very start while the benchmark is still small.

struct SpawnResult {
    double wallSeconds = 0;
    int status = 0;
    rusage usage{};
};

class Spawner final {
public:
    Spawner()
    {
        int request[2], reply[2];
        if (pipe(request) != 0 || pipe(reply) != 0)
            qFatal("pipe failed: %s", std::strerror(errno));
        m_pid = fork();
        if (m_pid < 0)
            qFatal("fork failed: %s", std::strerror(errno));
        if (m_pid == 0) {
            close(request[1]);
            close(reply[0]);
            serve(request[0], reply[1]);
            _exit(0);
        }
        close(request[0]);
        close(reply[1]);
        m_request = request[1];
        m_reply = reply[0];
    }
    ~Spawner()
    {
        close(m_request); // the spawner sees the end of its input and exits
        close(m_reply);
        waitpid(m_pid, nullptr, 0);
    }
    Q_DISABLE_COPY_MOVE(Spawner)

    // Runs argv[0] with stdout to /dev/null and stderr to `stderrPath`, and waits for it.
    SpawnResult run(const QList<QByteArray> &argv, const QByteArray &stderrPath)
    {
        QByteArray message = stderrPath + '\0';
        for (const QByteArray &arg : argv)
            message += arg + '\0';
        const quint32 size = quint32(message.size());
        if (!writeAll(m_request, &size, sizeof size) || !writeAll(m_request, message.constData(), size))
            qFatal("cannot talk to the spawner: %s", std::strerror(errno));
        SpawnResult result;
        if (!readAll(m_reply, &result, sizeof result))
            qFatal("the spawner did not answer");
        return result;
    }

private:
    static bool writeAll(int fd, const void *data, size_t size)
    {
        const char *p = static_cast<const char *>(data);
        while (size > 0) {
            const ssize_t n = write(fd, p, size);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            p += n;
            size -= size_t(n);
        }
        return true;
    }
    static bool readAll(int fd, void *data, size_t size)
    {
        char *p = static_cast<char *>(data);
        while (size > 0) {
            const ssize_t n = read(fd, p, size);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            p += n;
            size -= size_t(n);
        }
        return true;
    }

    // The spawner's loop: no Qt, no allocation beyond the request.
    [[noreturn]] static void serve(int in, int out)
    {
        std::vector<char> buffer;
        for (;;) {
            quint32 size = 0;
            if (!readAll(in, &size, sizeof size))
                _exit(0);
            buffer.assign(size_t(size) + 1, 0);
            if (!readAll(in, buffer.data(), size))
                _exit(1);
            std::vector<char *> args;
            const char *stderrPath = buffer.data();
            for (size_t i = std::strlen(stderrPath) + 1; i < size; i += std::strlen(buffer.data() + i) + 1)
                args.push_back(buffer.data() + i);
            args.push_back(nullptr);

            SpawnResult result;
            timespec begin{}, end{};
            clock_gettime(CLOCK_MONOTONIC, &begin);
            const pid_t pid = fork();
            if (pid == 0) {
                const int devNull = open("/dev/null", O_WRONLY);
                const int err = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (devNull < 0 || err < 0 || dup2(devNull, 1) < 0 || dup2(err, 2) < 0)
                    _exit(126);
                close(in);
                close(out);
                execv(args[0], args.data());
                _exit(127);
            }
            if (pid < 0 || wait4(pid, &result.status, 0, &result.usage) != pid)
                result.status = -1;
            clock_gettime(CLOCK_MONOTONIC, &end);
            result.wallSeconds = double(end.tv_sec - begin.tv_sec) + double(end.tv_nsec - begin.tv_nsec) / 1e9;
            if (!writeAll(out, &result, sizeof result))
                _exit(1);
        }
    }

    pid_t m_pid = -1;
    int m_request = -1;
    int m_reply = -1;
};

struct ChildRun {
    double wallSeconds = 0;
    double cpuSeconds = 0;
    qint64 maxRssKiB = 0;
    qint64 accepted = -1; // from analyze's summary line
    qint64 held = 0;      // inventory levels held until a products/update named their item (once each)
    QByteArray summary;
};

ChildRun runAnalyze(Spawner &spawner, const QString &cli, const QString &input, const QString &stderrPath)
{
    const SpawnResult r = spawner.run(
        {QFile::encodeName(cli), QByteArrayLiteral("analyze"), QByteArrayLiteral("--input"), QFile::encodeName(input)},
        QFile::encodeName(stderrPath));
    ChildRun run;
    run.wallSeconds = r.wallSeconds;
    run.cpuSeconds = double(r.usage.ru_utime.tv_sec + r.usage.ru_stime.tv_sec) +
                     double(r.usage.ru_utime.tv_usec + r.usage.ru_stime.tv_usec) / 1e6;
    run.maxRssKiB = r.usage.ru_maxrss;

    QFile err(stderrPath);
    if (err.open(QIODevice::ReadOnly))
        run.summary = err.readAll().trimmed();
    if (r.status == -1 || !WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
        qFatal("%s analyze --input %s failed (status %d): %s", qPrintable(cli), qPrintable(input), r.status,
               run.summary.constData());
    static const QRegularExpression accepted(QStringLiteral("accepted (\\d+)"));
    const auto match = accepted.match(QString::fromUtf8(run.summary));
    if (match.hasMatch())
        run.accepted = match.captured(1).toLongLong();
    static const QRegularExpression held(QStringLiteral(", (\\d+) held until"));
    if (const auto m = held.match(QString::fromUtf8(run.summary)); m.hasMatch())
        run.held = m.captured(1).toLongLong();
    return run;
}

// ---------------------------------------------------------------------------------------------------
// The baseline: QJsonDocument per value, the Spark job's columns per (shop, product)

struct BaselineRow {
    QString title;
    Money minPrice = 0;
    Money maxPrice = 0;
    bool hasPrice = false;
    qint64 quantity = 0;
    bool tracked = false;
    qint64 updatedAtMs = std::numeric_limits<qint64>::min();
};

struct BaselineRun {
    double wallSeconds = 0;
    double cpuSeconds = 0;
    qint64 events = 0;
    qint64 rejected = 0;
    qint64 products = 0;
    qint64 totalQuantity = 0; // a checksum of the aggregation
};

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

BaselineRun runBaseline(const QString &path)
{
    static const QString kId = QStringLiteral("id");
    static const QString kTitle = QStringLiteral("title");
    static const QString kUpdatedAt = QStringLiteral("updated_at");
    static const QString kVariants = QStringLiteral("variants");
    static const QString kPrice = QStringLiteral("price");
    static const QString kQuantity = QStringLiteral("inventory_quantity");
    static const QString kManagement = QStringLiteral("inventory_management");
    static const QString kItem = QStringLiteral("inventory_item_id");
    static const QString kLocation = QStringLiteral("location_id");
    static const QString kAvailable = QStringLiteral("available");
    static const QString kLineItems = QStringLiteral("line_items");
    static const QString kProductId = QStringLiteral("product_id");
    static const QString kLineQuantity = QStringLiteral("quantity");

    BaselineRun run;
    QElapsedTimer clock;
    clock.start();
    const double cpuStart = threadCpuSeconds();

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s: %s", qPrintable(path), qPrintable(file.errorString()));
    QHash<QByteArray, QHash<qint64, BaselineRow>> shops;
    QHash<QByteArray, QHash<QPair<qint64, qint64>, qint64>> levels;
    QHash<QByteArray, QHash<qint64, qint64>> orderedUnits;
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        const qsizetype tab = line.indexOf('\t');
        if (tab < 0)
            continue;
        const QByteArray shop = line.left(tab);
        const QByteArray value = QByteArray::fromRawData(line.constData() + tab + 1, line.size() - tab - 1);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
        ++run.events;
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            ++run.rejected;
            continue;
        }
        const QJsonObject product = doc.object();
        // The other two topics, where the file has them: a level's units by item and location, an order's units by
        // product.
        if (const auto item = product.constFind(kItem); item != product.constEnd()) {
            levels[shop][qMakePair(item->toInteger(), product.value(kLocation).toInteger())] =
                product.value(kAvailable).toInteger();
            continue;
        }
        if (const auto lines = product.constFind(kLineItems); lines != product.constEnd()) {
            for (const QJsonValue item : lines->toArray()) {
                const QJsonObject l = item.toObject();
                orderedUnits[shop][l.value(kProductId).toInteger()] += l.value(kLineQuantity).toInteger();
            }
            continue;
        }
        const QByteArray updatedText = product.value(kUpdatedAt).toString().toUtf8();
        const auto updatedAt = parseIsoTime(std::string_view(updatedText.constData(), size_t(updatedText.size())));
        if (!updatedAt) {
            ++run.rejected;
            continue;
        }
        BaselineRow &row = shops[shop][product.value(kId).toInteger()];
        if (*updatedAt <= row.updatedAtMs)
            continue; // a duplicate or out of order: the latest state wins
        BaselineRow next;
        next.title = product.value(kTitle).toString();
        next.updatedAtMs = *updatedAt;
        const QJsonArray variants = product.value(kVariants).toArray();
        for (const QJsonValue v : variants) {
            const QJsonObject variant = v.toObject();
            const QByteArray priceText = variant.value(kPrice).toString().toUtf8();
            if (const auto price = parseMoney(std::string_view(priceText.constData(), size_t(priceText.size())))) {
                next.minPrice = next.hasPrice ? std::min(next.minPrice, *price) : *price;
                next.maxPrice = next.hasPrice ? std::max(next.maxPrice, *price) : *price;
                next.hasPrice = true;
            }
            // Tracked unless inventory_management is present and null.
            const auto management = variant.constFind(kManagement);
            if (management != variant.constEnd() && management->isNull())
                continue;
            next.tracked = true;
            next.quantity += variant.value(kQuantity).toInteger();
        }
        row = std::move(next);
    }
    for (const auto &products : std::as_const(shops)) {
        run.products += products.size();
        for (const BaselineRow &row : products)
            run.totalQuantity += row.quantity;
    }
    run.cpuSeconds = threadCpuSeconds() - cpuStart;
    run.wallSeconds = double(clock.nsecsElapsed()) / 1e9;
    return run;
}

// ---------------------------------------------------------------------------------------------------

QString findCli(const QString &given)
{
    if (!given.isEmpty())
        return given;
#ifdef PEAKWATCH_CLI
    if (QFileInfo(QStringLiteral(PEAKWATCH_CLI)).isExecutable())
        return QStringLiteral(PEAKWATCH_CLI);
#endif
    // <build>/tests/bench/bench_replay -> <build>/app/peakwatch-cli
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../../app/peakwatch-cli"));
}

double mib(qint64 kib)
{
    return double(kib) / 1024.0;
}

} // namespace

int main(int argc, char *argv[])
{
    Spawner spawner; // first, while this process is small: see Spawner
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_replay"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Replay throughput of peakwatch-cli analyze --input against a QJsonDocument baseline, and analyze's "
        "peak memory for many distinct products."));
    parser.addHelpOption();
    const QCommandLineOption cliOption(QStringLiteral("cli"), QStringLiteral("The peakwatch-cli to measure."),
                                       QStringLiteral("PATH"));
    const QCommandLineOption eventsOption(QStringLiteral("events"),
                                          QStringLiteral("Events in the replay file (default 200000)."),
                                          QStringLiteral("N"), QStringLiteral("200000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Runs of each side; the best counts."),
                                        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption shopsOption(QStringLiteral("memory-shops"),
                                         QStringLiteral("Shops in the many-products file (default 100)."),
                                         QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption productsOption(
        QStringLiteral("memory-products"),
        QStringLiteral("Products per shop in the many-products file (default 1000)."), QStringLiteral("N"),
        QStringLiteral("1000"));
    const QCommandLineOption workdirOption(QStringLiteral("workdir"),
                                           QStringLiteral("Where to write the input files (default: a temporary "
                                                          "directory, removed at the end)."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption writeOption(QStringLiteral("write"),
                                         QStringLiteral("Only write a replay file of --events events to FILE "
                                                        "(for profiling) and exit."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption variantsOption(
        QStringLiteral("variants"),
        QStringLiteral("Variants per product, MIN-MAX (default 2-5: values of about 3 KB)."), QStringLiteral("MIN-MAX"),
        QStringLiteral("2-5"));
    const QCommandLineOption topicsOption(
        QStringLiteral("topics"),
        QStringLiteral("products (default: one products/update per change) or all (Shopify's three topics from "
                       "shops with three locations: orders/create, inventory_levels/update per location, "
                       "products/update gathered for 10 s)."),
        QStringLiteral("products|all"), QStringLiteral("products"));
    parser.addOptions({cliOption, eventsOption, runsOption, shopsOption, productsOption, variantsOption, workdirOption,
                       writeOption, topicsOption});
    parser.process(app);

    ReplayOptions replay;
    replay.events = parser.value(eventsOption).toLongLong();
    const QStringList variants = parser.value(variantsOption).split(u'-');
    replay.minVariants = variants.value(0).toInt();
    replay.maxVariants = variants.value(1).toInt();
    if (variants.size() != 2 || replay.minVariants < 1 || replay.maxVariants < replay.minVariants) {
        std::fprintf(stderr, "bench_replay: --variants expects MIN-MAX, such as 2-5\n");
        return 2;
    }
    if (parser.value(topicsOption) != QLatin1String("products") && parser.value(topicsOption) != QLatin1String("all")) {
        std::fprintf(stderr, "bench_replay: --topics expects products or all\n");
        return 2;
    }
    replay.allTopics = parser.value(topicsOption) == QLatin1String("all");
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int memoryShops = parser.value(shopsOption).toInt();
    const int memoryProductsPerShop = parser.value(productsOption).toInt();
    if (replay.events <= 0 || memoryShops <= 0 || memoryProductsPerShop <= 0) {
        std::fprintf(stderr, "bench_replay: --events, --memory-shops and --memory-products must be positive\n");
        return 2;
    }

    if (parser.isSet(writeOption)) {
        const FileStats stats = writeReplayFile(parser.value(writeOption), replay);
        std::printf("wrote %lld events, mean value %.0f bytes, to %s\n", static_cast<long long>(stats.events),
                    stats.meanValueBytes(), qPrintable(parser.value(writeOption)));
        return 0;
    }

    const QString cli = findCli(parser.value(cliOption));
    if (!QFileInfo(cli).isExecutable()) {
        std::fprintf(stderr, "bench_replay: %s is not an executable peakwatch-cli (pass --cli PATH)\n",
                     qPrintable(cli));
        return 2;
    }
    QTemporaryDir tempDir;
    QString workdir = parser.value(workdirOption);
    if (workdir.isEmpty()) {
        if (!tempDir.isValid())
            qFatal("cannot create a temporary directory");
        workdir = tempDir.path();
    } else {
        QDir().mkpath(workdir);
    }
    const QString replayPath = QDir(workdir).filePath(QStringLiteral("replay.ndjson"));
    const QString manyPath = QDir(workdir).filePath(QStringLiteral("many-products.ndjson"));
    const QString stderrPath = QDir(workdir).filePath(QStringLiteral("analyze.stderr"));

    std::printf("peakwatch-cli: %s\n", qPrintable(QFileInfo(cli).canonicalFilePath()));
    std::printf("writing %lld events to %s ...\n", static_cast<long long>(replay.events), qPrintable(replayPath));
    std::fflush(stdout);
    const FileStats replayStats = writeReplayFile(replayPath, replay);
    std::printf("  %lld events over %lld products, mean value %.0f bytes (%.2f variants), file %.0f MiB\n",
                static_cast<long long>(replayStats.events), static_cast<long long>(replayStats.products),
                replayStats.meanValueBytes(), replayStats.meanVariants(),
                double(QFileInfo(replayPath).size()) / (1 << 20));
    std::fflush(stdout);

    // Alternate the two sides so that drift in the machine's load hits both alike.
    ChildRun bestAnalyze;
    BaselineRun bestBaseline;
    bestAnalyze.wallSeconds = bestBaseline.wallSeconds = std::numeric_limits<double>::max();
    for (int i = 0; i < runs; ++i) {
        const ChildRun a = runAnalyze(spawner, cli, replayPath, stderrPath);
        if (a.accepted + a.held != replayStats.events)
            qFatal("analyze accepted %lld of %lld events: %s", static_cast<long long>(a.accepted),
                   static_cast<long long>(replayStats.events), a.summary.constData());
        const BaselineRun b = runBaseline(replayPath);
        if (b.events != replayStats.events || b.rejected != 0 || b.products != replayStats.products)
            qFatal("baseline read %lld events (%lld rejected) over %lld products, expected %lld over %lld",
                   static_cast<long long>(b.events), static_cast<long long>(b.rejected),
                   static_cast<long long>(b.products), static_cast<long long>(replayStats.events),
                   static_cast<long long>(replayStats.products));
        std::printf("  run %d: analyze %.3f s (cpu %.3f s, peak RSS %.1f MiB), baseline %.3f s (cpu %.3f s)\n", i + 1,
                    a.wallSeconds, a.cpuSeconds, mib(a.maxRssKiB), b.wallSeconds, b.cpuSeconds);
        std::fflush(stdout);
        if (a.wallSeconds < bestAnalyze.wallSeconds)
            bestAnalyze = a;
        if (b.wallSeconds < bestBaseline.wallSeconds)
            bestBaseline = b;
    }
    QFile::remove(replayPath);

    std::printf("writing %d x %d distinct products to %s ...\n", memoryShops, memoryProductsPerShop,
                qPrintable(manyPath));
    std::fflush(stdout);
    const FileStats manyStats = writeManyProductsFile(manyPath, memoryShops, memoryProductsPerShop, replay);
    std::printf("  %lld events over %lld products, mean value %.0f bytes, file %.0f MiB\n",
                static_cast<long long>(manyStats.events), static_cast<long long>(manyStats.products),
                manyStats.meanValueBytes(), double(QFileInfo(manyPath).size()) / (1 << 20));
    std::fflush(stdout);
    ChildRun many;
    many.wallSeconds = std::numeric_limits<double>::max();
    for (int i = 0; i < runs; ++i) {
        const ChildRun m = runAnalyze(spawner, cli, manyPath, stderrPath);
        if (m.accepted != manyStats.events)
            qFatal("analyze accepted %lld of %lld events: %s", static_cast<long long>(m.accepted),
                   static_cast<long long>(manyStats.events), m.summary.constData());
        std::printf("  run %d: analyze %.3f s, peak RSS %.1f MiB\n", i + 1, m.wallSeconds, mib(m.maxRssKiB));
        std::fflush(stdout);
        if (m.wallSeconds < many.wallSeconds)
            many = m;
        many.maxRssKiB = std::max(many.maxRssKiB, m.maxRssKiB);
    }
    QFile::remove(manyPath);
    QFile::remove(stderrPath);

    const double analyzeRate = double(replayStats.events) / bestAnalyze.wallSeconds;
    const double baselineRate = double(replayStats.events) / bestBaseline.wallSeconds;
    const double ratio = analyzeRate / baselineRate;
    std::printf("\nReplay of %lld %s events (mean value %.0f bytes), one thread, best of %d:\n",
                static_cast<long long>(replayStats.events),
                replay.allTopics ? "Shopify (orders/create, inventory_levels/update, products/update)"
                                 : "products/update",
                replayStats.meanValueBytes(), runs);
    std::printf("  %-34s %10s %10s %12s %12s\n", "", "wall s", "cpu s", "events/s", "peak RSS MiB");
    std::printf("  %-34s %10.3f %10.3f %12.0f %12.1f\n", "peakwatch-cli analyze --input", bestAnalyze.wallSeconds,
                bestAnalyze.cpuSeconds, analyzeRate, mib(bestAnalyze.maxRssKiB));
    std::printf("  %-34s %10.3f %10.3f %12.0f %12s\n", "QJsonDocument baseline (in process)", bestBaseline.wallSeconds,
                bestBaseline.cpuSeconds, baselineRate, "-");
    std::printf("  ratio analyze / baseline: %.2fx\n", ratio);
    std::printf("  analyze over %lld distinct products (%lld events): peak RSS %.1f MiB, %.3f s\n\n",
                static_cast<long long>(manyStats.products), static_cast<long long>(manyStats.events),
                mib(many.maxRssKiB), many.wallSeconds);

    // Machine-readable: one "BENCH name value" line each.
    std::printf("BENCH replay_events %lld\n", static_cast<long long>(replayStats.events));
    std::printf("BENCH replay_mean_value_bytes %.0f\n", replayStats.meanValueBytes());
    std::printf("BENCH analyze_events_per_s %.0f\n", analyzeRate);
    std::printf("BENCH baseline_events_per_s %.0f\n", baselineRate);
    std::printf("BENCH ratio_analyze_over_baseline %.2f\n", ratio);
    std::printf("BENCH analyze_peak_rss_mib %.1f\n", mib(bestAnalyze.maxRssKiB));
    std::printf("BENCH many_products %lld\n", static_cast<long long>(manyStats.products));
    std::printf("BENCH many_products_peak_rss_mib %.1f\n", mib(many.maxRssKiB));
    return 0;
}
