// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli analyze: replay NDJSON, or consume a topic, and report alerts and snapshots.
#include "cli_alert_delivery.h"
#include "cli_support.h"

#include "analyzer.h"
#include "kafka_consumer.h"
#include "kafka_producer.h"
#include "latency_histogram.h"
#include "ndjson_reader.h"
#include "snapshot_csv.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringBuilder>

#include <chrono>
#include <cstdio>
#include <mutex>

namespace peakwatch::cli {
namespace {

// What standard output carries: NDJSON records (alerts as they fire, then the snapshots), or the snapshots alone as
// a CSV table (a header, then a row per product) for a spreadsheet.
enum class OutputFormat { Ndjson, Csv };

void printSummary(const Analyzer &analyzer, const QStringList &dataLoss, const LatencyHistogram &latency = {})
{
    QString text = QStringLiteral("analyze: ") % analyzer.summary() % u'\n';
    if (const IntervalAudit &audit = analyzer.engine().intervalAudit(); audit.judged() > 0)
        text += QStringLiteral("analyze: 80 % sell-out intervals judged on the stream: %1, of which %2 % held the "
                               "sell-out (%3 earlier, %4 later)\n")
                    .arg(audit.judged())
                    .arg(100 * audit.held(), 0, 'f', 1)
                    .arg(audit.early())
                    .arg(audit.late());
    if (latency.count() > 0)
        text += QStringLiteral("analyze: end-to-end latency p50 %1 ms, p99 %2 ms, max %3 ms over %4 stamped messages\n")
                    .arg(latency.percentile(0.5) / 1000, 0, 'f', 1)
                    .arg(latency.percentile(0.99) / 1000, 0, 'f', 1)
                    .arg(latency.maxMicros() / 1000, 0, 'f', 1)
                    .arg(latency.count());
    for (int i = 0; i < int(RejectReason::Count); ++i) {
        for (const auto &sample : analyzer.rejects().samples(RejectReason(i)))
            text += QStringLiteral("  rejected ") % rejectReasonName(RejectReason(i)) % QStringLiteral(" at ") %
                    RejectLog::where(sample) % QStringLiteral(": ") % sample.detail % u'\n';
    }
    for (const QString &loss : dataLoss)
        text += QStringLiteral("  data lost: ") % loss % u'\n';
    std::fputs(text.toLocal8Bit().constData(), stderr);
}

void printSnapshots(const Analyzer &analyzer, OutputFormat format)
{
    if (format == OutputFormat::Csv)
        writeLine(snapshotCsvHeader());
    for (const ProductSnapshot &snapshot : analyzer.snapshots())
        writeLine(format == OutputFormat::Csv ? snapshotCsvRow(snapshot) : snapshotRecord(snapshot));
    flushOutput();
}

// Publishes snapshots to the output topic, keyed by shop and product. (Alerts go through the outbox: see
// CliAlertDelivery.)
class RecordPublisher final {
public:
    RecordPublisher(KafkaProducer *producer, QString snapshotTopic)
        : m_producer(producer)
        , m_snapshotTopic(snapshotTopic.toUtf8())
    {}

    void snapshot(const ProductSnapshot &snapshot)
    {
        if (m_producer && !m_snapshotTopic.isEmpty())
            send(m_snapshotTopic, productRecordKey(snapshot.shop, snapshot.productId), snapshotRecord(snapshot));
    }
    bool wantsSnapshots() const { return m_producer && !m_snapshotTopic.isEmpty(); }

private:
    void send(const QByteArray &topic, const QByteArray &key, const QByteArray &value)
    {
        Status s = m_producer->produce(std::string_view(topic.constData(), size_t(topic.size())),
                                       std::string_view(key.constData(), size_t(key.size())),
                                       std::string_view(value.constData(), size_t(value.size())));
        if (!s)
            std::fprintf(stderr, "analyze: %s\n", qPrintable(s.error()));
    }

    KafkaProducer *m_producer;
    QByteArray m_snapshotTopic;
};

// Runs on the consumer thread: analyses each batch, prints alerts as they fire and hands them to delivery,
// publishes snapshots.
class AnalyzeHandler final : public ConsumerHandler {
public:
    AnalyzeHandler(Analyzer &analyzer, RecordPublisher &publisher, CliAlertDelivery *delivery, bool printAlerts)
        : m_analyzer(analyzer)
        , m_publisher(publisher)
        , m_delivery(delivery)
        , m_printAlerts(printAlerts)
    {
        m_sinceFlush.start();
    }

    void onStreamOrigin(const QByteArray &origin) override { m_analyzer.setStream(origin); }
    void onMessages(const std::vector<RawMessage> &batch) override
    {
        for (const RawMessage &message : batch) {
            if (message.createdAtMicros > 0)
                m_stamped.push_back(message.createdAtMicros);
            m_analyzer.process(message, m_alerts);
        }
        if (m_printAlerts)
            for (const Alert &alert : m_alerts)
                writeLine(alertRecord(alert));
        if (m_delivery && !m_alerts.empty())
            m_delivery->submit(std::move(m_alerts));
        m_alerts.clear();
        flushOutput();
        // End-to-end latency of the load simulator's stamped messages: made to analysed.
        if (!m_stamped.empty()) {
            const qint64 now = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
            std::lock_guard lock(m_mutex);
            for (const qint64 created : m_stamped)
                m_latency.record(std::max<qint64>(0, now - created));
            m_stamped.clear();
        }
    }
    void onPartitionsRevoked(const QList<int> &partitions) override
    {
        for (int p : partitions)
            m_analyzer.dropPartition(p);
    }
    void onDataLost(const QString &description) override
    {
        std::fprintf(stderr, "analyze: data lost: %s\n", qPrintable(description));
        std::lock_guard lock(m_mutex);
        m_dataLoss << description;
    }
    void onNotice(const QString &text) override { std::fprintf(stderr, "analyze: %s\n", qPrintable(text)); }
    void onIdle() override
    {
        if (m_sinceFlush.elapsed() < 1000)
            return;
        m_sinceFlush.restart();
        if (m_publisher.wantsSnapshots())
            for (const ProductSnapshot &s : m_analyzer.takeChangedSnapshots())
                m_publisher.snapshot(s);
    }
    QStringList dataLoss() const
    {
        std::lock_guard lock(m_mutex);
        return m_dataLoss;
    }
    LatencyHistogram latency() const
    {
        std::lock_guard lock(m_mutex);
        return m_latency;
    }

private:
    Analyzer &m_analyzer;
    RecordPublisher &m_publisher;
    CliAlertDelivery *m_delivery;
    bool m_printAlerts;
    std::vector<Alert> m_alerts;
    QElapsedTimer m_sinceFlush;
    std::vector<qint64> m_stamped;
    mutable std::mutex m_mutex;
    QStringList m_dataLoss;
    LatencyHistogram m_latency;
};

int replayFile(const QString &path, Analyzer &analyzer, OutputFormat format)
{
    NdjsonReader reader;
    if (Status s = reader.open(path); !s)
        return fail(kExitRuntimeError, s.error());
    RawMessage message;
    std::vector<Alert> alerts;
    while (reader.next(message)) {
        if (analyzer.stream().isEmpty())
            analyzer.setStream(reader.streamOrigin());
        analyzer.process(message, alerts);
        if (format == OutputFormat::Ndjson)
            for (const Alert &alert : alerts)
                writeLine(alertRecord(alert));
        alerts.clear();
    }
    if (!reader.error().isEmpty())
        return fail(kExitRuntimeError, reader.error());
    printSnapshots(analyzer, format);
    printSummary(analyzer, {});
    return kExitOk;
}

} // namespace

int runAnalyze(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption input(QStringLiteral("input"),
                                   QStringLiteral("Replay an NDJSON file (- for standard input)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption bootstrap({QStringLiteral("b"), QStringLiteral("bootstrap")},
                                       QStringLiteral("Kafka bootstrap servers."), QStringLiteral("HOST:PORT,..."));
    const QCommandLineOption topic({QStringLiteral("t"), QStringLiteral("topic")},
                                   QStringLiteral("The topic of Shopify's messages (products/update, "
                                                  "inventory_levels/update, orders/create), or several separated "
                                                  "by commas, read as one stream."),
                                   QStringLiteral("TOPIC[,TOPIC...]"));
    const QCommandLineOption group({QStringLiteral("G"), QStringLiteral("group")},
                                   QStringLiteral("Join this consumer group: instances split the partitions, "
                                                  "and each resumes where the group's last complete run ended "
                                                  "(default: the --profile's group, if it has one; \"\": none)."),
                                   QStringLiteral("GROUP"));
    const QCommandLineOption atEnd(QStringLiteral("e"),
                                   QStringLiteral("Stop when every assigned partition has reached its end."));
    const QCommandLineOption offset(QStringLiteral("o"),
                                    QStringLiteral("Start at beginning, end, stored or an offset (default: beginning, "
                                                   "or stored with --group)."),
                                    QStringLiteral("OFFSET"));
    const QCommandLineOption outputTopic(QStringLiteral("output-topic"),
                                         QStringLiteral("Publish snapshot records to this topic."),
                                         QStringLiteral("TOPIC"));
    const QCommandLineOption rules(QStringLiteral("rules"), QStringLiteral("Alert rules (JSON)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    QStringLiteral("The sales-rate window in minutes of event time (default 15)."),
                                    QStringLiteral("MINUTES"), QStringLiteral("15"));
    const QCommandLineOption maxAhead(
        QStringLiteral("max-ahead"),
        QStringLiteral("Reject event times more than this many hours ahead of the clock (default 24; 0: no bound, for "
                       "a simulation dated ahead of today)."),
        QStringLiteral("HOURS"), QStringLiteral("24"));
    const QCommandLineOption format(
        QStringLiteral("format"),
        QStringLiteral("Standard output as ndjson (alert records as they fire, then a snapshot record per product) or "
                       "csv (a header, then a row per product at the end; no alerts). Default: ndjson."),
        QStringLiteral("ndjson|csv"), QStringLiteral("ndjson"));
    parser.addOptions(
        {input, bootstrap, topic, group, atEnd, offset, outputTopic, rules, window, maxAhead, format, profileOption()});
    CliAlertDelivery delivery;
    delivery.addOptions(parser);
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("analyze --input FILE|-  |  analyze (--bootstrap B --topic T | --profile NAME) [--group G] [-e] "
                       "[-o OFFSET] [--output-topic T2] [--rules FILE] [--alerts-topic T3] [--slack-webhook-env VAR | "
                       "--slack-bot-token-env VAR --slack-channel C] "
                       "[--email-env VAR --email-to ADDRESS] [--jira-env VAR --jira-project KEY] "
                       "[--webhook-env VAR --webhook-secret-env VAR2] "
                       "[--notify desktop] "
                       "[--outbox FILE] [--drain-timeout SECONDS] [--format ndjson|csv]"),
        QStringLiteral(
            "Analyse products/update messages: print every alert record as it fires, then one snapshot "
            "record per product (sorted by shop, then product id) as NDJSON on standard output, and a "
            "summary on standard error; with --format csv, only the products, as a CSV table in the same "
            "order. Input lines are VALUE or KEY<TAB>VALUE, as kcat -K '\\t' writes, or whole records as kcat -J "
            "writes them, whose headers count as they did on the topic."));
    if (parsed >= 0)
        return parsed;
    OutputFormat outputFormat = OutputFormat::Ndjson;
    if (const QString name = parser.value(format); name == QLatin1String("csv"))
        outputFormat = OutputFormat::Csv;
    else if (name != QLatin1String("ndjson"))
        return fail(kExitUsageError, QStringLiteral("--format: unknown format \"%1\" (ndjson or csv)").arg(name));
    ConsumerOptions options;
    int exitCode = 0;
    const bool fromFile = parser.isSet(input);
    const bool withProfile = parser.isSet(profileOption());
    const bool fromKafka = parser.isSet(bootstrap) || parser.isSet(topic) || withProfile;
    if (fromFile == fromKafka)
        return fail(kExitUsageError,
                    !fromFile
                        ? QStringLiteral("analyze needs --input FILE, or --bootstrap and --topic, or --profile NAME")
                    : withProfile ? QStringLiteral("--input cannot be combined with --profile")
                                  : QStringLiteral("--input cannot be combined with --bootstrap or --topic"));
    KafkaTarget target;
    if (!kafkaTarget(parser, {.bootstrap = &bootstrap, .topic = &topic, .group = &group}, target, exitCode))
        return exitCode;
    options.properties = target.properties;
    if (fromKafka && (target.bootstrapServers.isEmpty() || target.topic.isEmpty())) {
        const QString missing =
            target.bootstrapServers.isEmpty() ? QStringLiteral("bootstrap") : QStringLiteral("topic");
        if (target.profile)
            return fail(kExitUsageError,
                        QStringLiteral("profile \"%1\" has no %2: give --%2").arg(target.profile->name, missing));
        return fail(kExitUsageError, parser.isSet(bootstrap) ? QStringLiteral("--bootstrap needs --topic")
                                                             : QStringLiteral("--topic needs --bootstrap"));
    }
    if (fromFile) {
        for (const auto *option : {&group, &atEnd, &offset, &outputTopic, &delivery.drainTimeoutOption()})
            if (parser.isSet(*option))
                return fail(kExitUsageError, QStringLiteral("--") % option->names().last() %
                                                 QStringLiteral(" applies to a topic, not to --input"));
        if (delivery.wanted(parser))
            return fail(kExitUsageError, QStringLiteral("alerts are delivered when reading a topic, not --input"));
    }
    qint64 drainSeconds = 0; // the option has its default
    if (!integerOption(parser, delivery.drainTimeoutOption(), 0, 24 * 60 * 60, drainSeconds, exitCode))
        return exitCode;
    qint64 windowMinutes = 15;
    if (!integerOption(parser, window, 1, 24 * 60, windowMinutes, exitCode))
        return exitCode;
    PredictorParams params;
    params.windowMs = windowMinutes * 60 * 1000;

    AlertRules alertRules;
    if (parser.isSet(rules)) {
        auto loaded = AlertRules::load(parser.value(rules));
        if (!loaded)
            return fail(kExitRuntimeError, loaded.error());
        alertRules = std::move(*loaded);
    }
    qint64 maxAheadHours = 24;
    if (!integerOption(parser, maxAhead, 0, 24 * 3650, maxAheadHours, exitCode))
        return exitCode;
    Analyzer analyzer(std::move(alertRules), params);
    analyzer.setMaxAheadMs(maxAheadHours * 60 * 60 * 1000);
    if (fromFile)
        return replayFile(parser.value(input), analyzer, outputFormat);

    options.bootstrapServers = target.bootstrapServers;
    options.topic = target.topic;
    options.group = target.group;
    options.stopAtEnd = parser.isSet(atEnd);
    options.start = options.group.isEmpty() ? ConsumerOptions::Start::Beginning : ConsumerOptions::Start::Stored;
    if (parser.isSet(offset)) {
        auto start = ConsumerOptions::parseStart(parser.value(offset), options.offset);
        if (!start)
            return fail(kExitUsageError, start.error());
        options.start = *start;
        if (options.start == ConsumerOptions::Start::Stored && options.group.isEmpty())
            return fail(kExitUsageError, QStringLiteral("-o stored needs --group"));
    }

    std::unique_ptr<KafkaProducer> producer;
    if (parser.isSet(outputTopic)) {
        auto created = KafkaProducer::create(options.bootstrapServers, options.properties);
        if (!created)
            return fail(kExitRuntimeError, created.error());
        producer = std::move(*created);
        if (Status s = producer->prepareTopic(parser.value(outputTopic)); !s)
            return fail(kExitRuntimeError, s.error());
    }
    const bool delivering = delivery.wanted(parser);
    if (delivering)
        if (Status s = delivery.setUp(parser, options.bootstrapServers, options.properties, analyzer.rules()); !s)
            return fail(kExitRuntimeError, s.error());
    RecordPublisher publisher(producer.get(), parser.value(outputTopic));
    analyzer.setTrackChanges(publisher.wantsSnapshots());
    AnalyzeHandler handler(analyzer, publisher, delivering ? &delivery : nullptr, outputFormat == OutputFormat::Ndjson);
    KafkaConsumer consumer(options, handler);
    consumer.setFinishedCallback(
        [] { QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection); });
    // Read once start() has found the topics, on the consumer's thread (which start() begins last).
    analyzer.setPartitionNames([&consumer](int partition) { return consumer.partitionName(partition); });
    if (Status s = consumer.start(); !s)
        return fail(kExitRuntimeError, s.error());
    // A signal ends the stream; one while the alerts are being drained ends the wait.
    SignalWatcher watcher([&consumer, &delivery](int) {
        consumer.requestStop();
        delivery.stopDraining();
    });
    QCoreApplication::exec();
    consumer.wait();
    // What falls due within the drain time goes out before the command ends (after a 429's Retry-After, a
    // retry's backoff, or left by an earlier run); what is still pending then stays in the outbox.
    const Status delivered = delivering ? delivery.drain(drainSeconds * 1000) : Status();
    if (const QString error = consumer.fatalError(); !error.isEmpty()) {
        printSummary(analyzer, handler.dataLoss());
        return fail(kExitRuntimeError, error);
    }

    printSnapshots(analyzer, outputFormat);
    for (const ProductSnapshot &snapshot : analyzer.snapshots())
        publisher.snapshot(snapshot);
    if (producer && !producer->flush(10000))
        return fail(kExitRuntimeError,
                    QStringLiteral("%1 records were not delivered to the output topics within 10 s: %2")
                        .arg(producer->inFlight())
                        .arg(producer->lastError()));
    if (producer && producer->failed() > 0)
        return fail(kExitRuntimeError, QStringLiteral("%1 records could not be delivered to the output topics: %2")
                                           .arg(producer->failed())
                                           .arg(producer->lastError()));
    printSummary(analyzer, handler.dataLoss(), handler.latency());
    if (!delivered)
        return fail(kExitRuntimeError, delivered.error());
    return kExitOk;
}

} // namespace peakwatch::cli
