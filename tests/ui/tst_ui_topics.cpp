// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The Topics view and its Kafka side, against the embedded cluster in-process: TopicBrowser lists
// topics, reads pages and tails a partition; the view shows them, filters them and shows one in full.
#include "cli_runner.h"
#include "embedded_cluster.h"
#include "kafka_producer.h"
#include "message_detail_view.h"
#include "message_page_model.h"
#include "produce_dialog.h"
#include "resend_dialog.h"
#include "sales_simulator.h"
#include "topic_browser.h"
#include "topic_list_model.h"
#include "topic_search_bar.h"
#include "saved_filters.h"
#include "connection_profile.h"
#include "topics_view.h"
#include "webhook_builder.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QComboBox>
#include <QJsonObject>
#include <QSet>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFont>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QHeaderView>
#include <QScrollBar>
#include <QStringBuilder>
#include <QStyle>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <optional>
#include <vector>

using namespace peakwatch;
using namespace peakwatch::ui;
using namespace std::chrono_literals;

namespace {

// A message as produced, to compare with what is read back.
struct Sent {
    QByteArray key;
    bool keyIsNull = false;
    QList<MessageHeader> headers;
    QByteArray value;
    bool valueIsNull = false;
    qint64 timestampMs = 0;
};

constexpr int kWait = 15000; // ms, for anything the cluster answers

// products/update webhooks as Shopify sends them, keyed by shop and product, with the headers a gateway
// sets; the X-Peakwatch-Seq header ("<tag>-00017") tells each apart.
QList<Sent> webhooks(int count, quint64 seed, const QByteArray &tag)
{
    auto catalog = sim::Catalog::generate({.shops = 2, .productsPerShop = 40, .seed = seed});
    sim::SalesSimulator simulator(catalog, {.ordersPerHour = 3000, .seed = seed});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<Sent> out;
    for (int i = 0; i < count; ++i) {
        const auto change = simulator.next();
        Sent s;
        s.key = change.shop->domain + '/' + QByteArray::number(change.product->id);
        s.headers = {{"X-Shopify-Topic", "products/update"},
                     {"X-Shopify-Shop-Domain", change.shop->domain},
                     {"X-Shopify-Webhook-Id", simulator.newWebhookId()},
                     {"X-Peakwatch-Seq", tag + '-' + QByteArray::number(i).rightJustified(5, '0')}};
        s.value = sim::WebhookBuilder::build(*change.shop, *change.product, change.atMs);
        s.timestampMs = now - (count - i) * 1000;
        out.append(s);
    }
    return out;
}

std::string_view view(const QByteArray &bytes, bool isNull = false)
{
    return isNull ? std::string_view() : std::string_view(bytes.constData(), size_t(bytes.size()));
}

// Empty when `m` is `s` at `offset`; else what differs.
QString mismatch(const TopicMessage &m, const Sent &s, int partition, qint64 offset)
{
    if (m.partition != partition || m.offset != offset)
        return QStringLiteral("partition/offset %1/%2, expected %3/%4")
            .arg(m.partition)
            .arg(m.offset)
            .arg(partition)
            .arg(offset);
    if (m.keyIsNull != s.keyIsNull || m.key != s.key || m.keySize != s.key.size())
        return QStringLiteral("offset %1: key %2, expected %3")
            .arg(offset)
            .arg(QString::fromUtf8(m.key.toHex()), QString::fromUtf8(s.key.toHex()));
    if (m.valueIsNull != s.valueIsNull || m.value != s.value || m.valueSize != s.value.size() || m.valueTruncated())
        return QStringLiteral("offset %1: value differs (%2 bytes, expected %3)")
            .arg(offset)
            .arg(m.valueSize)
            .arg(s.value.size());
    if (m.timestampMs != s.timestampMs || m.timestampType != TopicMessage::TimestampType::CreateTime)
        return QStringLiteral("offset %1: timestamp %2, expected %3").arg(offset).arg(m.timestampMs).arg(s.timestampMs);
    if (m.headers.size() != s.headers.size())
        return QStringLiteral("offset %1: %2 headers, expected %3")
            .arg(offset)
            .arg(m.headers.size())
            .arg(s.headers.size());
    for (qsizetype i = 0; i < m.headers.size(); ++i)
        if (m.headers[i].name != s.headers[i].name || m.headers[i].value != s.headers[i].value ||
            m.headers[i].valueIsNull != s.headers[i].valueIsNull)
            return QStringLiteral("offset %1: header %2 is %3=%4")
                .arg(offset)
                .arg(i)
                .arg(QString::fromUtf8(m.headers[i].name), QString::fromUtf8(m.headers[i].value));
    return {};
}

// Waits for the answer to a page request.
std::optional<MessagePage> waitForPage(TopicBrowser &browser, quint64 id, QString *error = nullptr)
{
    std::optional<MessagePage> page;
    const auto pages =
        QObject::connect(&browser, &TopicBrowser::pageLoaded, &browser, [&](quint64 answered, const MessagePage &p) {
            if (answered == id)
                page = p;
        });
    QString failure;
    const auto failures = QObject::connect(&browser, &TopicBrowser::failed, &browser,
                                           [&](quint64 answered, TopicBrowser::Operation, const QString &message) {
                                               if (answered == id)
                                                   failure = message;
                                           });
    if (!QTest::qWaitFor([&] { return page.has_value() || !failure.isEmpty(); }, kWait) && error)
        failure = QStringLiteral("no answer within %1 ms").arg(kWait);
    QObject::disconnect(pages);
    QObject::disconnect(failures);
    if (error)
        *error = failure;
    return page;
}

template <typename T> T *child(QObject &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

QList<qint64> offsetsIn(const QList<TopicMessage> &messages)
{
    QList<qint64> out;
    for (const TopicMessage &m : messages)
        out << m.offset;
    return out;
}

QList<qint64> span(qint64 first, qint64 count)
{
    QList<qint64> out;
    for (qint64 i = 0; i < count; ++i)
        out << first + i;
    return out;
}

// Messages at offsets first, first + 1, …: key "key-N", header X-Seq=N, value {"n": N}.
QList<TopicMessage> modelMessages(qint64 first, int count)
{
    QList<TopicMessage> out;
    for (int i = 0; i < count; ++i) {
        TopicMessage m;
        m.partition = 0;
        m.offset = first + i;
        m.keyIsNull = false;
        m.key = "key-" + QByteArray::number(first + i);
        m.headers = {{"X-Seq", QByteArray::number(first + i)}};
        m.valueIsNull = false;
        m.value = R"({"n": )" + QByteArray::number(first + i) + '}';
        m.valueSize = m.value.size();
        out << m;
    }
    return out;
}

} // namespace

class TstUiTopics final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // The formatting of one message, without Kafka.
    void prettyJson_data();
    void prettyJson();
    void formatValue_data();
    void formatValue();
    void messageModelAppendsAndCaps();
    void messageModelShowsNewestFirst();
    void topicModelKeepsShapeOnRefresh();

    // TopicBrowser against the cluster.
    void listsTopicsWithPartitionsAndCounts_data();
    void listsTopicsWithPartitionsAndCounts();
    void pages_data();
    void pages();
    void nextAndPreviousPagesWalkThePartition();
    void nullsEmptiesAndBinaryComeBackAsProduced();
    void longValuesAreCappedAndSaySo();
    void newerPageRequestSupersedesOlder();
    void liveTailDeliversNewMessagesInBatches();
    void liveTailWaitsForASlowWindow();
    void errorsNameWhatFailed_data();
    void errorsNameWhatFailed();
    void unreachableClusterFailsWithinTimeout_data();
    void unreachableClusterFailsWithinTimeout();
    void destroyingABusyBrowserIsQuick();

    // The view, offscreen.
    void viewListsTopicsAndPagesThroughAPartition();
    void viewFilterNarrowsTheRows();
    void viewDetailShowsPrettyJsonAndHeaders();
    void viewDetailShowsBinaryAsHexAndTombstones();
    void viewLiveTailAppendsRows();
    void viewShowsNamesAndCountsWhole();
    void viewRefreshesEveryPartitionsCount();
    void viewSearchFindsMatchesInEveryPartition();
    void viewSearchShowsABadFilterWhereItGoesWrong();
    void viewExportWritesEveryMatch();
    void viewSavedFiltersFillTheBox();
    void viewLoadsAPageFromATime();
    void viewLiveTailKeepsTheRowsBeingRead();
    void viewCopiesMessagesAsKcatDoes();
    void viewProducesAMessageCheckedAsJson();
    void viewSendsSelectedMessagesToATopic();
    void viewRefusesToSendToAMissingTopic();

private:
    void produce(const QString &topic, int partition, const QList<Sent> &records);
    const QList<Sent> &sent(const QString &topic, int partition)
    {
        return m_sent[topic + u'/' + QString::number(partition)];
    }
    void openView(TopicsView &view);
    void choosePartition(TopicsView &view, const QString &topic, int partition);

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<KafkaProducer> m_producer;
    QTemporaryDir m_dir; // the settings file (saved filters) and exports
    QString m_bootstrap;
    QHash<QString, QList<Sent>> m_sent; // "topic/partition" -> messages in offset order
};

void TstUiTopics::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    auto cluster = EmbeddedCluster::start(2, {{QStringLiteral("products"), 3},
                                              {QStringLiteral("misc"), 1},
                                              {QStringLiteral("empty"), 2},
                                              {QStringLiteral("tail"), 1},
                                              {QStringLiteral("view-tail"), 1},
                                              {QStringLiteral("copies"), 3},
                                              {QStringLiteral("produced"), 2},
                                              {QStringLiteral("__internal"), 1}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    m_cluster = std::move(*cluster);
    m_bootstrap = m_cluster->bootstrapServers();
    auto producer = KafkaProducer::create(m_bootstrap);
    QVERIFY2(producer, qPrintable(producer.error()));
    m_producer = std::move(*producer);

    produce(QStringLiteral("products"), 0, webhooks(450, 1, "p0"));
    produce(QStringLiteral("products"), 1, webhooks(30, 2, "p1"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary += char(i);
    produce(QStringLiteral("misc"), 0,
            {{"text-key", false, {}, "plain text, not JSON\nsecond line", false, now - 5000},
             {{}, true, {{"trace", {}, true}}, R"([1, 2, {"a": "b"}])", false, now - 4000},
             {QByteArray("\x00\x01\xff", 3), false, {{"bin", QByteArray("\x00\xff", 2)}}, binary, false, now - 3000},
             {"deleted", false, {}, {}, true, now - 2000},
             {"{\"order\":1}", false, {}, "{\"order\": 1, \"lines\": []}", false, now - 1000}});
    produce(QStringLiteral("tail"), 0, webhooks(10, 3, "t"));
    produce(QStringLiteral("view-tail"), 0, webhooks(3, 4, "v"));
}

void TstUiTopics::produce(const QString &topic, int partition, const QList<Sent> &records)
{
    QVERIFY(m_producer->prepareTopic(topic));
    for (const Sent &s : records) {
        std::vector<KafkaHeader> headers;
        for (const MessageHeader &h : s.headers)
            headers.push_back({view(h.name), view(h.value, h.valueIsNull)});
        const std::string name = topic.toStdString();
        QVERIFY(m_producer->produce(name, view(s.key, s.keyIsNull), view(s.value, s.valueIsNull), headers, partition,
                                    nullptr, s.timestampMs));
    }
    QVERIFY(m_producer->flush(10000));
    QCOMPARE(m_producer->failed(), 0);
    m_sent[topic + u'/' + QString::number(partition)] += records;
}

// Formatting.

void TstUiTopics::prettyJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addRow("an object keeps its key order")
        << QByteArray(R"({"b":1,"a":[1,2]})") << QStringLiteral("{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}");
    QTest::addRow("empty containers stay on one line")
        << QByteArray(R"({"a":{},"b":[ ]})") << QStringLiteral("{\n  \"a\": {},\n  \"b\": []\n}");
    QTest::addRow("strings keep braces, commas, colons and escapes")
        << QByteArray(R"({"s":"a{b},c:\"d\"\\"})") << QStringLiteral(R"({
  "s": "a{b},c:\"d\"\\"
})");
    QTest::addRow("numbers stay as written")
        << QByteArray(R"({"id":46120031469712345678,"p":"19.90","x":1.50})")
        << QStringLiteral("{\n  \"id\": 46120031469712345678,\n  \"p\": \"19.90\",\n  \"x\": 1.50\n}");
    QTest::addRow("whitespace is redone")
        << QByteArray("{\n\t\"a\" :  1 ,\"b\":null }") << QStringLiteral("{\n  \"a\": 1,\n  \"b\": null\n}");
    QTest::addRow("non-ASCII text survives")
        << QByteArray(R"({"name":"Café ☕"})") << QStringLiteral("{\n  \"name\": \"Café ☕\"\n}");
    QTest::addRow("a top-level array") << QByteArray(R"([{"a":1},[]])")
                                       << QStringLiteral("[\n  {\n    \"a\": 1\n  },\n  []\n]");
    QTest::addRow("text is not JSON") << QByteArray("plain text") << QString();
    QTest::addRow("a bare number is left as text") << QByteArray("42") << QString();
    QTest::addRow("broken JSON is left as text") << QByteArray(R"({"a":1,)") << QString();
}

void TstUiTopics::prettyJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QCOMPARE(MessageDetailView::prettyJson(json), expected);
}

void TstUiTopics::formatValue_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("isNull");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("startsWith");
    QByteArray binary;
    for (int i = 0; i < 40; ++i)
        binary += char(i);
    QTest::addRow("JSON is indented") << QByteArray(R"({"a":1})") << false << qint64(7)
                                      << QStringLiteral("{\n  \"a\": 1");
    QTest::addRow("text is shown as it is")
        << QByteArray("line one\nline two") << false << qint64(17) << QStringLiteral("line one\nline two");
    QTest::addRow("binary is a hex dump")
        << binary << false << qint64(40)
        << QStringLiteral("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
                          "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
                          "00000020  20 21 22 23 24 25 26 27                           | !\"#$%&'|\n");
    QTest::addRow("a tombstone says so") << QByteArray() << true << qint64(0) << QStringLiteral("(null");
    QTest::addRow("an empty value says so") << QByteArray() << false << qint64(0) << QStringLiteral("(empty)");
    QTest::addRow("cut JSON is shown as text")
        << QByteArray(R"({"a":1,"b")") << false << qint64(4000) << QStringLiteral(R"({"a":1,"b")");
    QTest::addRow("text cut inside a character is still text")
        << QByteArray("caf\xc3", 4) << false << qint64(5) << QStringLiteral("caf");
}

void TstUiTopics::formatValue()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, isNull);
    QFETCH(qint64, size);
    QFETCH(QString, startsWith);
    TopicMessage m;
    m.value = value;
    m.valueIsNull = isNull;
    m.valueSize = size;
    const QString shown = MessageDetailView::formatValue(m);
    QVERIFY2(shown.startsWith(startsWith), qPrintable(shown));
}

void TstUiTopics::messageModelAppendsAndCaps()
{
    const auto messages = modelMessages;
    MessagePageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.setMessages(messages(0, 3));
    QCOMPARE(offsetsIn(model.messages()), span(0, 3));
    model.appendMessages(messages(3, 4), 5); // 7 rows would be too many: the two oldest go
    QCOMPARE(offsetsIn(model.messages()), span(2, 5));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 1);
    model.appendMessages(messages(7, 12), 5); // more than fit: only the newest five of them stay
    QCOMPARE(offsetsIn(model.messages()), span(14, 5));

    QCOMPARE(model.index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("14"));
    QCOMPARE(model.index(0, MessagePageModel::Key).data().toString(), QStringLiteral("key-14"));
    QCOMPARE(model.index(0, MessagePageModel::Headers).data().toString(), QStringLiteral("X-Seq=14"));
    QCOMPARE(model.index(0, MessagePageModel::Value).data().toString(), QStringLiteral(R"({"n": 14})"));
    const QString filterText = model.index(0, 0).data(MessagePageModel::FilterTextRole).toString();
    QVERIFY(filterText.contains(QLatin1String("key-14")) && filterText.contains(QLatin1String("X-Seq=14")) &&
            filterText.contains(QLatin1String(R"("n": 14)")));
    QCOMPARE(model.byteCount(), 5 * (6 + 9)); // "key-NN" and {"n": NN}

    // A byte budget drops the oldest too, keeping at least the newest row.
    model.appendMessages(messages(19, 2), 100, 4 * 15);
    QCOMPARE(offsetsIn(model.messages()), span(17, 4));
    QCOMPARE(model.byteCount(), 4 * 15);
    model.appendMessages(messages(21, 3), 100, 1);
    QCOMPARE(offsetsIn(model.messages()), span(23, 1));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.byteCount(), 0);
}

void TstUiTopics::topicModelKeepsShapeOnRefresh()
{
    const auto topics = [](qint64 high) {
        return QList<TopicInfo>{
            {QStringLiteral("a"), {{0, 0, high, {}}, {1, 5, 5, {}}}, {}},
            {QStringLiteral("b"), {{0, -1, -1, QStringLiteral("Broker: Leader not available")}}, {}}};
    };
    TopicListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

    model.setTopics(topics(10));
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex a = model.topicIndex(QStringLiteral("a"));
    QCOMPARE(model.rowCount(a), 2);
    QCOMPARE(a.siblingAtColumn(TopicListModel::Partitions).data().toString(), QStringLiteral("2"));
    QCOMPARE(a.siblingAtColumn(TopicListModel::Messages).data().toString(), QStringLiteral("10"));
    QCOMPARE(model.partitionIndex(QStringLiteral("a"), 0, TopicListModel::Offsets).data().toString(),
             QStringLiteral("0–9"));
    QCOMPARE(model.partitionIndex(QStringLiteral("a"), 1, TopicListModel::Offsets).data().toString(),
             QStringLiteral("empty"));
    const QModelIndex unknown = model.partitionIndex(QStringLiteral("b"), 0, TopicListModel::Messages);
    QCOMPARE(unknown.data().toString(), QStringLiteral("?"));
    QVERIFY(unknown.data(Qt::ToolTipRole).toString().contains(QLatin1String("Leader not available")));

    model.setTopics(topics(20)); // the same topics and partitions: figures change, nothing is reset
    QCOMPARE(resets.count(), 1);
    QVERIFY(changes.count() > 0);
    QCOMPARE(a.siblingAtColumn(TopicListModel::Messages).data().toString(), QStringLiteral("20"));

    changes.clear();
    model.updatePartition(QStringLiteral("a"), 1, 5, 9);
    QCOMPARE(changes.count(), 2); // the partition's row and its topic's count
    QCOMPARE(a.siblingAtColumn(TopicListModel::Messages).data().toString(), QStringLiteral("24"));

    model.setTopics({topics(20).first()}); // a topic went: the model is reset
    QCOMPARE(resets.count(), 2);
    QCOMPARE(model.rowCount(), 1);
}

// TopicBrowser.

void TstUiTopics::listsTopicsWithPartitionsAndCounts_data()
{
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QList<qint64>>("counts"); // per partition
    QTest::addRow("three partitions, one empty") << QStringLiteral("products") << QList<qint64>{450, 30, 0};
    QTest::addRow("one partition") << QStringLiteral("misc") << QList<qint64>{5};
    QTest::addRow("an empty topic") << QStringLiteral("empty") << QList<qint64>{0, 0};
}

void TstUiTopics::listsTopicsWithPartitionsAndCounts()
{
    QFETCH(QString, topic);
    QFETCH(QList<qint64>, counts);
    TopicBrowser browser(m_bootstrap, {});
    QSignalSpy listed(&browser, &TopicBrowser::topicsListed);
    QSignalSpy failed(&browser, &TopicBrowser::failed);
    const quint64 id = browser.listTopics();
    QTRY_VERIFY_WITH_TIMEOUT(listed.count() == 1 || failed.count() > 0, kWait);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(2).toString()));
    QCOMPARE(listed.first().at(0).value<quint64>(), id);
    const auto topics = listed.first().at(1).value<QList<TopicInfo>>();

    QStringList names;
    for (const TopicInfo &t : topics)
        names << t.name;
    QCOMPARE(names, (QStringList{QStringLiteral("copies"), QStringLiteral("empty"), QStringLiteral("misc"),
                                 QStringLiteral("produced"), QStringLiteral("products"), QStringLiteral("tail"),
                                 QStringLiteral("view-tail")})); // sorted, no "__internal"

    const TopicInfo &info = topics[names.indexOf(topic)];
    QVERIFY(info.error.isEmpty());
    QCOMPARE(info.partitions.size(), counts.size());
    qint64 total = 0;
    for (int p = 0; p < counts.size(); ++p) {
        const PartitionInfo &partition = info.partitions[p];
        QCOMPARE(partition.partition, p);
        QVERIFY2(partition.offsetsKnown(), qPrintable(partition.error));
        QCOMPARE(partition.low, 0);
        QCOMPARE(partition.high, counts[p]);
        QCOMPARE(partition.messageCount(), counts[p]);
        total += counts[p];
    }
    QCOMPARE(info.messageCount(), total);
}

void TstUiTopics::pages_data()
{
    using Start = TopicBrowser::PageStart;
    QTest::addColumn<int>("partition");
    QTest::addColumn<Start>("start");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("hasPrevious");
    QTest::addColumn<bool>("hasNext");
    QTest::addRow("from the beginning") << 0 << Start::Beginning << qint64(0) << 200 << qint64(0) << 200 << false
                                        << true;
    QTest::addRow("the newest page") << 0 << Start::Newest << qint64(0) << 200 << qint64(250) << 200 << true << false;
    QTest::addRow("from an offset") << 0 << Start::AtOffset << qint64(100) << 200 << qint64(100) << 200 << true << true;
    QTest::addRow("from an offset near the end: a short page")
        << 0 << Start::AtOffset << qint64(400) << 200 << qint64(400) << 50 << true << false;
    QTest::addRow("from the end: empty") << 0 << Start::AtOffset << qint64(450) << 200 << qint64(450) << 0 << true
                                         << false;
    QTest::addRow("past the end: empty at the end")
        << 0 << Start::AtOffset << qint64(99999) << 200 << qint64(450) << 0 << true << false;
    QTest::addRow("before an offset") << 0 << Start::BeforeOffset << qint64(300) << 200 << qint64(100) << 200 << true
                                      << true;
    QTest::addRow("before an offset near the beginning: a short page")
        << 0 << Start::BeforeOffset << qint64(50) << 200 << qint64(0) << 50 << false << true;
    QTest::addRow("a small page") << 0 << Start::Beginning << qint64(0) << 25 << qint64(0) << 25 << false << true;
    QTest::addRow("the newest page of a short partition")
        << 1 << Start::Newest << qint64(0) << 200 << qint64(0) << 30 << false << false;
    QTest::addRow("an empty partition") << 2 << Start::Beginning << qint64(0) << 200 << qint64(0) << 0 << false
                                        << false;
}

void TstUiTopics::pages()
{
    QFETCH(int, partition);
    QFETCH(TopicBrowser::PageStart, start);
    QFETCH(qint64, offset);
    QFETCH(int, count);
    QFETCH(qint64, first);
    QFETCH(int, expected);
    QFETCH(bool, hasPrevious);
    QFETCH(bool, hasNext);
    TopicBrowser browser(m_bootstrap, {});
    QString error;
    const auto page =
        waitForPage(browser, browser.fetchPage(QStringLiteral("products"), partition, start, offset, count), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->topic, QStringLiteral("products"));
    QCOMPARE(page->partition, partition);
    QCOMPARE(page->low, 0);
    QCOMPARE(page->high, sent(QStringLiteral("products"), partition).size());
    QCOMPARE(page->firstOffset, first);
    QCOMPARE(page->messages.size(), expected);
    QCOMPARE(page->nextOffset, first + expected);
    QCOMPARE(page->hasPrevious(), hasPrevious);
    QCOMPARE(page->hasNext(), hasNext);
    for (int i = 0; i < expected; ++i) {
        const qint64 at = first + i;
        const QString diff =
            mismatch(page->messages[i], sent(QStringLiteral("products"), partition)[at], partition, at);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
}

void TstUiTopics::nextAndPreviousPagesWalkThePartition()
{
    TopicBrowser browser(m_bootstrap, {});
    const QString topic = QStringLiteral("products");
    auto page = waitForPage(browser, browser.fetchPage(topic, 0, TopicBrowser::PageStart::Beginning));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(0, 200));

    page = waitForPage(browser, browser.fetchNextPage(*page));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(200, 200));
    page = waitForPage(browser, browser.fetchNextPage(*page));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(400, 50));
    QVERIFY(!page->hasNext());

    page = waitForPage(browser, browser.fetchPreviousPage(*page));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(200, 200));
    page = waitForPage(browser, browser.fetchPreviousPage(*page, 150));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(50, 150));
    page = waitForPage(browser, browser.fetchPreviousPage(*page));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(0, 50));
    QVERIFY(!page->hasPrevious());
    for (const TopicMessage &m : std::as_const(page->messages)) {
        const QString diff = mismatch(m, sent(topic, 0)[m.offset], 0, m.offset);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
}

void TstUiTopics::nullsEmptiesAndBinaryComeBackAsProduced()
{
    TopicBrowser browser(m_bootstrap, {});
    const auto page =
        waitForPage(browser, browser.fetchPage(QStringLiteral("misc"), 0, TopicBrowser::PageStart::Newest));
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 5);
    for (const TopicMessage &m : page->messages) {
        const QString diff = mismatch(m, sent(QStringLiteral("misc"), 0)[m.offset], 0, m.offset);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
    QVERIFY(page->messages[1].keyIsNull);
    QVERIFY(page->messages[1].headers.first().valueIsNull);
    QCOMPARE(page->messages[2].value.size(), 256);
    QVERIFY(page->messages[3].valueIsNull); // a tombstone
}

void TstUiTopics::longValuesAreCappedAndSaySo()
{
    TopicBrowserOptions options;
    options.maxValueBytes = 1000;
    TopicBrowser browser(m_bootstrap, {}, options);
    const auto page = waitForPage(
        browser, browser.fetchPage(QStringLiteral("products"), 0, TopicBrowser::PageStart::Beginning, 0, 5));
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 5);
    for (const TopicMessage &m : page->messages) {
        const Sent &s = sent(QStringLiteral("products"), 0)[m.offset];
        QVERIFY(s.value.size() > 1000);
        QVERIFY(m.valueTruncated());
        QCOMPARE(m.valueSize, s.value.size());
        QCOMPARE(m.value, s.value.left(1000));
        QVERIFY(!m.keyTruncated());
        QCOMPARE(m.key, s.key);
    }
}

void TstUiTopics::newerPageRequestSupersedesOlder()
{
    TopicBrowser browser(m_bootstrap, {});
    QSignalSpy pages(&browser, &TopicBrowser::pageLoaded);
    browser.fetchPage(QStringLiteral("products"), 0, TopicBrowser::PageStart::Beginning);
    const quint64 newer = browser.fetchPage(QStringLiteral("products"), 0, TopicBrowser::PageStart::Newest);
    QTRY_COMPARE_WITH_TIMEOUT(pages.count(), 1, kWait);
    // The worker answers in order: once the newer page is here, the older one was dropped, not late.
    QCOMPARE(pages.first().at(0).value<quint64>(), newer);
    QCOMPARE(pages.first().at(1).value<MessagePage>().firstOffset, 250);
}

void TstUiTopics::liveTailDeliversNewMessagesInBatches()
{
    const QString topic = QStringLiteral("tail");
    TopicBrowser browser(m_bootstrap, {});
    QSignalSpy started(&browser, &TopicBrowser::tailStarted);
    QSignalSpy batches(&browser, &TopicBrowser::tailMessages);
    QSignalSpy stopped(&browser, &TopicBrowser::tailStopped);
    QSignalSpy failed(&browser, &TopicBrowser::failed);
    const quint64 id = browser.startTail(topic, 0);
    QVERIFY(browser.isTailing());
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kWait);
    const qint64 from = started.first().at(3).toLongLong();
    QCOMPARE(from, sent(topic, 0).size()); // from the end: what was there before is not delivered

    QElapsedTimer clock;
    clock.start();
    // In small flushes, so the messages arrive over a while, not in one fetch.
    const QList<Sent> live = webhooks(300, 5, "live");
    for (qsizetype i = 0; i < live.size(); i += 5)
        produce(topic, 0, live.mid(i, 5));
    const auto received = [&] {
        qint64 n = 0;
        for (const auto &args : std::as_const(batches))
            n += args.at(1).value<TailBatch>().messages.size();
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(received(), 300, kWait);
    const qint64 elapsedMs = clock.elapsed();
    QVERIFY(failed.isEmpty());

    QList<TopicMessage> all;
    qsizetype largest = 0;
    for (const auto &args : std::as_const(batches)) {
        QCOMPARE(args.at(0).value<quint64>(), id);
        const auto batch = args.at(1).value<TailBatch>();
        QCOMPARE(batch.topic, topic);
        QCOMPARE(batch.skipped, 0);
        QCOMPARE(batch.lost, 0);
        QVERIFY(batch.high >= batch.messages.last().offset + 1);
        largest = std::max(largest, batch.messages.size());
        all += batch.messages;
    }
    QCOMPARE(offsetsIn(all), span(from, 300));
    for (const TopicMessage &m : std::as_const(all)) {
        const QString diff = mismatch(m, sent(topic, 0)[m.offset], 0, m.offset);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
    // Whole batches, at most about five a second: not one signal per message.
    QVERIFY2(largest > 1, "every batch held a single message");
    QVERIFY2(batches.count() <= elapsedMs / 200 + 2,
             qPrintable(QStringLiteral("%1 batches in %2 ms").arg(batches.count()).arg(elapsedMs)));

    browser.stopTail();
    QVERIFY(!browser.isTailing());
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kWait);
    QCOMPARE(stopped.first().at(0).value<quint64>(), id);
    const qsizetype batchesBefore = batches.count();
    produce(topic, 0, webhooks(5, 6, "after"));
    // The page sees the five new messages; the stopped tail delivered none of them.
    const auto page = waitForPage(browser, browser.fetchPage(topic, 0, TopicBrowser::PageStart::Newest, 0, 5));
    QVERIFY(page);
    QCOMPARE(offsetsIn(page->messages), span(from + 300, 5));
    QCOMPARE(batches.count(), batchesBefore);
}

void TstUiTopics::errorsNameWhatFailed_data()
{
    QTest::addColumn<QString>("topic");
    QTest::addColumn<int>("partition");
    QTest::addColumn<bool>("tail");
    QTest::addColumn<QStringList>("mentions");
    QTest::addRow("a page of an unknown topic")
        << QStringLiteral("no-such-topic") << 0 << false
        << QStringList{QStringLiteral("topic no-such-topic does not exist"), m_bootstrap};
    QTest::addRow("the tail of an unknown topic") << QStringLiteral("no-such-topic") << 0 << true
                                                  << QStringList{QStringLiteral("topic no-such-topic does not exist")};
    QTest::addRow("a partition the topic lacks")
        << QStringLiteral("products") << 7 << false
        << QStringList{QStringLiteral("products"), QStringLiteral("no partition 7"), QStringLiteral("0 to 2")};
}

void TstUiTopics::errorsNameWhatFailed()
{
    QFETCH(QString, topic);
    QFETCH(int, partition);
    QFETCH(bool, tail);
    QFETCH(QStringList, mentions);
    TopicBrowser browser(m_bootstrap, {});
    QSignalSpy failed(&browser, &TopicBrowser::failed);
    QSignalSpy pages(&browser, &TopicBrowser::pageLoaded);
    QSignalSpy started(&browser, &TopicBrowser::tailStarted);
    const quint64 id = tail ? browser.startTail(topic, partition)
                            : browser.fetchPage(topic, partition, TopicBrowser::PageStart::Beginning);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kWait);
    QCOMPARE(failed.first().at(0).value<quint64>(), id);
    QCOMPARE(failed.first().at(1).value<TopicBrowser::Operation>(),
             tail ? TopicBrowser::Operation::Tail : TopicBrowser::Operation::FetchPage);
    const QString message = failed.first().at(2).toString();
    for (const QString &words : mentions)
        QVERIFY2(message.contains(words), qPrintable(message));
    QVERIFY(pages.isEmpty() && started.isEmpty());
    QVERIFY(!browser.isTailing());
}

void TstUiTopics::unreachableClusterFailsWithinTimeout_data()
{
    QTest::addColumn<TopicBrowser::Operation>("operation");
    QTest::addColumn<bool>("silent"); // the port accepts connections but never answers
    QTest::addRow("listing the topics, closed port") << TopicBrowser::Operation::ListTopics << false;
    QTest::addRow("loading a page, closed port") << TopicBrowser::Operation::FetchPage << false;
    QTest::addRow("listing the topics, silent broker") << TopicBrowser::Operation::ListTopics << true;
}

void TstUiTopics::unreachableClusterFailsWithinTimeout()
{
    QFETCH(TopicBrowser::Operation, operation);
    QFETCH(bool, silent);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString bootstrap = QStringLiteral("127.0.0.1:%1").arg(server.serverPort());
    if (!silent)
        server.close();

    TopicBrowserOptions options;
    options.timeout = 3s;
    TopicBrowser browser(bootstrap, {}, options);
    QSignalSpy failed(&browser, &TopicBrowser::failed);
    QElapsedTimer clock;
    clock.start();
    if (operation == TopicBrowser::Operation::ListTopics)
        browser.listTopics();
    else
        browser.fetchPage(QStringLiteral("products"), 0, TopicBrowser::PageStart::Newest);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 3000 + 3000);
    QVERIFY2(clock.elapsed() >= 2500, "gave up before the timeout");
    QCOMPARE(failed.first().at(1).value<TopicBrowser::Operation>(), operation);
    const QString message = failed.first().at(2).toString();
    QVERIFY2(message.contains(QLatin1String("cannot reach the Kafka cluster at ") + bootstrap), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("within 3 s")), qPrintable(message));
    if (operation == TopicBrowser::Operation::FetchPage)
        QVERIFY2(message.contains(QLatin1String("products")), qPrintable(message));
}

void TstUiTopics::destroyingABusyBrowserIsQuick()
{
    QTcpServer silentBroker; // accepts connections, never answers
    QVERIFY(silentBroker.listen(QHostAddress::LocalHost, 0));
    QSignalSpy connected(&silentBroker, &QTcpServer::newConnection);
    auto browser = std::make_unique<TopicBrowser>(QStringLiteral("127.0.0.1:%1").arg(silentBroker.serverPort()),
                                                  KafkaProperties{});
    browser->listTopics(); // waits up to 10 s for an answer that never comes
    // librdkafka connects only when a request needs it: the worker is inside the metadata wait now.
    QTRY_VERIFY_WITH_TIMEOUT(connected.count() > 0, kWait);
    QElapsedTimer clock;
    clock.start();
    browser.reset();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QStringLiteral("the destructor took %1 ms").arg(clock.elapsed())));
}

// The view.

void TstUiTopics::openView(TopicsView &view)
{
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setConnection(m_bootstrap, {});
    auto *tree = child<QTreeView>(view, "topicTree");
    QVERIFY(tree);
    QTRY_COMPARE_WITH_TIMEOUT(tree->model()->rowCount(), 7, kWait);
}

void TstUiTopics::choosePartition(TopicsView &view, const QString &topic, int partition)
{
    auto *tree = child<QTreeView>(view, "topicTree");
    auto *model = qobject_cast<TopicListModel *>(tree->model());
    QVERIFY(model);
    const QModelIndex index = partition < 0 ? model->topicIndex(topic) : model->partitionIndex(topic, partition);
    QVERIFY(index.isValid());
    tree->setCurrentIndex(index);
}

void TstUiTopics::viewListsTopicsAndPagesThroughAPartition()
{
    TopicsView view;
    auto *tree = child<QTreeView>(view, "topicTree");
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    QVERIFY(tree && table && status);
    QAbstractItemModelTester topicsTester(tree->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester rowsTester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(table->model());
    QVERIFY(proxy);
    QAbstractItemModelTester sourceTester(proxy->sourceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openView(view);

    auto *topics = qobject_cast<TopicListModel *>(tree->model());
    const QModelIndex products = topics->topicIndex(QStringLiteral("products"));
    QCOMPARE(products.siblingAtColumn(TopicListModel::Partitions).data().toString(), QStringLiteral("3"));
    QCOMPARE(products.siblingAtColumn(TopicListModel::Messages).data().toString(), QStringLiteral("480"));
    QCOMPARE(topics->rowCount(products), 3);
    QCOMPARE(topics->partitionIndex(QStringLiteral("products"), 0, TopicListModel::Offsets).data().toString(),
             QStringLiteral("0–449"));
    QCOMPARE(topics->partitionIndex(QStringLiteral("products"), 1, TopicListModel::Messages).data().toString(),
             QStringLiteral("30"));

    // Choosing a partition loads its newest page.
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("200 messages, offsets 250–449 of 0–449")), kWait);
    QCOMPARE(table->model()->rowCount(), 200);
    QCOMPARE(table->model()->index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("250"));
    QCOMPARE(table->model()->index(0, MessagePageModel::Key).data().toString(),
             QString::fromUtf8(sent(QStringLiteral("products"), 0)[250].key));
    QVERIFY(!table->model()->index(0, MessagePageModel::Timestamp).data().toString().isEmpty());
    QVERIFY(table->model()
                ->index(0, MessagePageModel::Headers)
                .data()
                .toString()
                .startsWith(QLatin1String("X-Shopify-Topic=products/update; ")));
    QVERIFY(table->model()->index(0, MessagePageModel::Value).data().toString().startsWith(u'{'));

    auto *next = child<QAction>(view, "nextPageAction");
    auto *previous = child<QAction>(view, "previousPageAction");
    QVERIFY(next && previous);
    QVERIFY(!next->isEnabled());
    QVERIFY(previous->isEnabled());

    child<QAction>(view, "loadBeginningAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 0–199 of 0–449")), kWait);
    QVERIFY(!previous->isEnabled());
    next->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 200–399 of 0–449")), kWait);
    next->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("50 messages, offsets 400–449 of 0–449")), kWait);
    QVERIFY(!next->isEnabled());
    previous->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 200–399 of 0–449")), kWait);

    // Enter in the offset box loads from there.
    auto *offsetBox = child<QDoubleSpinBox>(view, "offsetBox");
    QVERIFY(offsetBox);
    offsetBox->setFocus();
    offsetBox->selectAll();
    QTest::keyClicks(offsetBox, QStringLiteral("123"));
    QTest::keyClick(offsetBox, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 123–322 of 0–449")), kWait);
    QCOMPARE(table->model()->index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("123"));
    offsetBox->selectAll();
    QTest::keyClicks(offsetBox, QStringLiteral("99999"));
    QTest::keyClick(offsetBox, Qt::Key_Enter);
    QTRY_VERIFY_WITH_TIMEOUT(
        status->text().contains(QStringLiteral("No messages from offset 99999 (the partition has offsets 0–449)")),
        kWait);
    QCOMPARE(table->model()->rowCount(), 0);

    // Another partition: its newest page.
    choosePartition(view, QStringLiteral("products"), 1);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("30 messages, offsets 0–29 of 0–29")), kWait);
    choosePartition(view, QStringLiteral("products"), 2);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("is empty")), kWait);
    QCOMPARE(table->model()->rowCount(), 0);

    // A refresh keeps the chosen partition chosen.
    child<QAction>(view, "refreshTopicsAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(view, "topicsStatus")->text().contains(QStringLiteral("7 topics")), kWait);
    QCOMPARE(tree->currentIndex().data(TopicListModel::PartitionRole).toInt(), 2);
}

void TstUiTopics::viewFilterNarrowsTheRows()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *filter = child<QLineEdit>(view, "messageFilter");
    QVERIFY(table && status && filter);
    QAbstractItemModelTester rowsTester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openView(view);
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 250–449")), kWait);
    child<QAction>(view, "loadBeginningAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 0–199 of 0–449")), kWait);

    // A header value: one message.
    QTest::keyClicks(filter, QStringLiteral("P0-00017"));
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("17"));
    QVERIFY2(status->text().contains(QStringLiteral("1 of them match the filter")), qPrintable(status->text()));

    // Text in the values: the rows whose key, headers or value hold it.
    const QList<Sent> &messages = sent(QStringLiteral("products"), 0);
    const QRegularExpression titleField(QStringLiteral(R"re("title":"([^"]+)")re"));
    const QString title = titleField.match(QString::fromUtf8(messages[3].value)).captured(1);
    QVERIFY(!title.isEmpty());
    int expected = 0;
    for (int i = 0; i < 200; ++i) {
        const Sent &s = messages[i];
        bool hit = QString::fromUtf8(s.key).contains(title, Qt::CaseInsensitive) ||
                   QString::fromUtf8(s.value).contains(title, Qt::CaseInsensitive);
        for (const MessageHeader &h : s.headers)
            hit = hit || QString::fromUtf8(h.value).contains(title, Qt::CaseInsensitive);
        expected += hit ? 1 : 0;
    }
    QVERIFY(expected > 0 && expected < 200);
    filter->clear();
    QTest::keyClicks(filter, title.toLower());
    QCOMPARE(table->model()->rowCount(), expected);
    filter->clear();
    QCOMPARE(table->model()->rowCount(), 200);
}

void TstUiTopics::viewDetailShowsPrettyJsonAndHeaders()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *value = child<QPlainTextEdit>(view, "messageValue");
    auto *headers = child<QPlainTextEdit>(view, "messageHeaders");
    auto *key = child<QLineEdit>(view, "messageKey");
    QVERIFY(table && status && value && headers && key);
    openView(view);
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 250–449")), kWait);
    QVERIFY(value->toPlainText().isEmpty());

    table->selectRow(5); // offset 255
    const Sent &s = sent(QStringLiteral("products"), 0)[255];
    const QString shown = value->toPlainText();
    // The same JSON, indented, its keys in their order.
    QCOMPARE(QJsonDocument::fromJson(shown.toUtf8()), QJsonDocument::fromJson(s.value));
    QVERIFY(shown.startsWith(QLatin1String("{\n  \"")));
    QVERIFY(shown.count(u'\n') > 20);
    const QString firstKey =
        QRegularExpression(QStringLiteral(R"re(^\{\s*"([^"]+)")re")).match(QString::fromUtf8(s.value)).captured(1);
    QVERIFY(shown.section(u'\n', 1, 1).startsWith(QStringLiteral("  \"") + firstKey + u'"'));
    QCOMPARE(key->text(), QString::fromUtf8(s.key));
    const QString headerText = headers->toPlainText();
    for (const MessageHeader &h : s.headers)
        QVERIFY2(headerText.contains(QString::fromUtf8(h.name + ": " + h.value)), qPrintable(headerText));
    QVERIFY(child<QLabel>(view, "messageSummary")->text().contains(QStringLiteral("offset 255")));
    QVERIFY(child<QLabel>(view, "messageTimestamp")
                ->text()
                .contains(MessagePageModel::timestampText(TopicMessage{.timestampMs = s.timestampMs})));

    // A new page empties the pane.
    child<QAction>(view, "loadBeginningAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("offsets 0–199")), kWait);
    QVERIFY(value->toPlainText().isEmpty());
}

void TstUiTopics::viewDetailShowsBinaryAsHexAndTombstones()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *value = child<QPlainTextEdit>(view, "messageValue");
    auto *key = child<QLineEdit>(view, "messageKey");
    openView(view);
    choosePartition(view, QStringLiteral("misc"), -1); // the topic: it has one partition
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("5 messages, offsets 0–4 of 0–4")), kWait);

    table->selectRow(2);
    QVERIFY2(value->toPlainText().startsWith(QLatin1String("00000000  00 01 02 03")), qPrintable(value->toPlainText()));
    QCOMPARE(key->text(), QStringLiteral("00 01 ff"));
    QVERIFY(table->model()->index(2, MessagePageModel::Value).data().toString().startsWith(QLatin1String("binary, ")));
    table->selectRow(3);
    QVERIFY(value->toPlainText().startsWith(QLatin1String("(null")));
    table->selectRow(1);
    QCOMPARE(key->text(), QStringLiteral("(null)"));
    QCOMPARE(value->toPlainText(), QStringLiteral("[\n  1,\n  2,\n  {\n    \"a\": \"b\"\n  }\n]"));
    table->selectRow(0);
    QCOMPARE(value->toPlainText(), QStringLiteral("plain text, not JSON\nsecond line"));
    QCOMPARE(table->model()->index(0, MessagePageModel::Value).data().toString(),
             QStringLiteral("plain text, not JSON second line"));
}

void TstUiTopics::viewLiveTailAppendsRows()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *tail = child<QAction>(view, "liveTailAction");
    QVERIFY(table && status && tail);
    QAbstractItemModelTester rowsTester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openView(view);
    choosePartition(view, QStringLiteral("view-tail"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("3 messages, offsets 0–2 of 0–2")), kWait);

    tail->trigger(); // the page reaches the end: the tail continues it
    QVERIFY(tail->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("waiting for new messages")), kWait);
    QVERIFY(!child<QAction>(view, "nextPageAction")->isEnabled());
    produce(QStringLiteral("view-tail"), 0, webhooks(20, 7, "vt"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 23, kWait);
    for (int row = 0; row < 23; ++row) // newest first
        QCOMPARE(table->model()->index(row, MessagePageModel::Offset).data().toString(), QString::number(22 - row));
    QVERIFY2(status->text().contains(QStringLiteral("20 new messages; 23 messages, offsets 0–22 of 0–22")),
             qPrintable(status->text()));
    auto *topics = qobject_cast<TopicListModel *>(child<QTreeView>(view, "topicTree")->model());
    QCOMPARE(topics->partitionIndex(QStringLiteral("view-tail"), 0, TopicListModel::Messages).data().toString(),
             QStringLiteral("23"));

    tail->trigger();
    QVERIFY(!tail->isChecked());
    QVERIFY(status->text().startsWith(QLatin1String("Live tail stopped")));
    QCOMPARE(table->model()->rowCount(), 23);
    QVERIFY(child<QAction>(view, "previousPageAction")->isEnabled() == false); // rows start at the beginning
}

void TstUiTopics::viewShowsNamesAndCountsWhole()
{
    // The Topics tab of a 1440x900 window, every topic expanded, in a desktop's usual 11 point font: no name,
    // count or heading is cut short.
    TopicsView view;
    QFont font = view.font();
    font.setPointSizeF(11);
    view.setFont(font);
    openView(view);
    view.resize(1416, 780);
    auto *tree = child<QTreeView>(view, "topicTree");
    QVERIFY(tree);
    tree->expandAll();
    QTest::qWait(50); // the columns are sized on the next layout
    auto *model = tree->model();
    const QFontMetrics metrics = tree->fontMetrics();
    const int margins = 2 * (tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1);
    int cells = 0;
    const auto checkRow = [&](const QModelIndex &row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            const QModelIndex index = row.siblingAtColumn(column);
            const QString text = index.data().toString();
            if (text.isEmpty())
                continue;
            ++cells;
            const int needed = metrics.horizontalAdvance(text) + margins;
            QVERIFY2(tree->visualRect(index).width() >= needed,
                     qPrintable(QStringLiteral("\"%1\" needs %2 px and has %3")
                                    .arg(text)
                                    .arg(needed)
                                    .arg(tree->visualRect(index).width())));
        }
    };
    for (int t = 0; t < model->rowCount(); ++t) {
        const QModelIndex topic = model->index(t, 0);
        checkRow(topic);
        for (int p = 0; p < model->rowCount(topic); ++p)
            checkRow(model->index(p, 0, topic));
    }
    QVERIFY(cells > 20);
    QCOMPARE(model->index(0, 0, model->index(0, 0)).data().toString(), QStringLiteral("Partition 0"));
    for (int column = 0; column < model->columnCount(); ++column) {
        const QString heading = model->headerData(column, Qt::Horizontal).toString();
        QVERIFY2(tree->header()->sectionSize(column) >= metrics.horizontalAdvance(heading) + margins,
                 qPrintable(heading));
    }
    QCOMPARE(tree->horizontalScrollBar()->maximum(), 0); // and all of it in view
}

void TstUiTopics::viewRefreshesEveryPartitionsCount()
{
    // While one partition is tailed, messages written to another show in its count and the topic's total
    // without a refresh by hand.
    TopicsView view;
    openView(view);
    auto *tree = child<QTreeView>(view, "topicTree");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *tail = child<QAction>(view, "liveTailAction");
    auto *topicsStatus = child<QLabel>(view, "topicsStatus");
    QVERIFY(tree && status && tail && topicsStatus);
    auto *topics = qobject_cast<TopicListModel *>(tree->model());
    QAbstractItemModelTester tester(topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString products = QStringLiteral("products");
    const auto count = [&](int partition) {
        return topics->partitionIndex(products, partition, TopicListModel::Messages).data().toString();
    };
    const auto total = [&] { return topics->topicIndex(products, TopicListModel::Messages).data().toString(); };
    const auto number = [](qint64 n) { return QLocale().toString(n); };
    const qint64 before0 = sent(products, 0).size(), before1 = sent(products, 1).size(),
                 before2 = sent(products, 2).size();
    QTRY_COMPARE_WITH_TIMEOUT(count(2), number(before2), kWait);
    choosePartition(view, products, 1);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("of 0–%1").arg(before1 - 1)), kWait);
    tail->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("waiting for new messages")), kWait);
    QSignalSpy changed(topics, &QAbstractItemModel::dataChanged);

    produce(products, 2, webhooks(25, 11, "c2"));
    produce(products, 0, webhooks(5, 12, "c0"));
    produce(products, 1, webhooks(3, 13, "c1"));
    QTRY_COMPARE_WITH_TIMEOUT(count(2), number(before2 + 25), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(count(0), number(before0 + 5), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(count(1), number(before1 + 3), kWait);
    const QString all = number(before0 + before1 + before2 + 33);
    QTRY_COMPARE_WITH_TIMEOUT(total(), all, kWait);
    QVERIFY(changed.count() > 0);
    QVERIFY(tail->isChecked()); // the refresh leaves the tail running
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("3 new messages")), kWait);
    QVERIFY2(topicsStatus->text().startsWith(QStringLiteral("7 topics, ")), qPrintable(topicsStatus->text()));

    // Not while the view is hidden: nothing is asked of the cluster for no one to see.
    view.hide();
    QTest::qWait(500); // a listing asked for just before is answered
    produce(products, 2, webhooks(4, 14, "h2"));
    QTest::qWait(3000);
    QCOMPARE(count(2), number(before2 + 25));
    view.show();
    QTRY_COMPARE_WITH_TIMEOUT(count(2), number(before2 + 29), kWait);
}

// Search.

void TstUiTopics::viewSearchFindsMatchesInEveryPartition()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *bar = child<TopicSearchBar>(view, "topicSearchBar");
    auto *searchStatus = child<QLabel>(view, "searchStatus");
    auto *detail = child<MessageDetailView>(view, "messageDetail");
    QVERIFY(table && bar && searchStatus && detail);
    QAbstractItemModelTester rowsTester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openView(view);
    choosePartition(view, QStringLiteral("products"), -1); // the topic, not a partition
    QVERIFY(child<QAction>(view, "searchAction")->isEnabled());

    // Through jq (test() is no simple comparison): the 10th to 19th message of each batch the tests produced.
    const QRegularExpression tenToNineteen(QStringLiteral("-0001[0-9]$"));
    int all = 0;
    QSet<QString> expected; // "partition/offset"
    for (int partition = 0; partition < 3; ++partition) {
        const QList<Sent> &messages = sent(QStringLiteral("products"), partition);
        all += int(messages.size());
        for (qsizetype offset = 0; offset < messages.size(); ++offset)
            for (const MessageHeader &h : messages[offset].headers)
                if (h.name == "X-Peakwatch-Seq" && tenToNineteen.match(QString::fromUtf8(h.value)).hasMatch())
                    expected.insert(QStringLiteral("%1/%2").arg(partition).arg(offset));
    }
    QVERIFY(expected.size() >= 20);
    bar->setFilter(QStringLiteral(R"(.headers["X-Peakwatch-Seq"] | test("-0001[0-9]$"))"));
    child<QAction>(view, "searchAction")->trigger();
    const QString done = QStringLiteral("%1 messages found in %2 read").arg(expected.size()).arg(all);
    QTRY_VERIFY2_WITH_TIMEOUT(searchStatus->text().startsWith(done), qPrintable(searchStatus->text()), kWait);
    QVERIFY2(searchStatus->text().contains(QStringLiteral("3 of 3 partitions")), qPrintable(searchStatus->text()));
    QCOMPARE(table->model()->rowCount(), expected.size());
    QVERIFY(!table->isColumnHidden(MessagePageModel::Partition));
    QSet<QString> found;
    for (int row = 0; row < table->model()->rowCount(); ++row)
        found.insert(table->model()->index(row, MessagePageModel::Partition).data().toString() % u'/' %
                     table->model()->index(row, MessagePageModel::Offset).data().toString());
    QCOMPARE(found, expected);

    // On the fast path: one message, and it shows whole below.
    bar->setFilter(QStringLiteral(R"(.headers["X-Peakwatch-Seq"] == "p1-00003")"));
    bar->search();
    QTRY_VERIFY2_WITH_TIMEOUT(searchStatus->text().startsWith(QStringLiteral("1 message found in %1 read").arg(all)),
                              qPrintable(searchStatus->text()), kWait);
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, MessagePageModel::Partition).data().toString(), QStringLiteral("1"));
    QCOMPARE(table->model()->index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("3"));
    table->setCurrentIndex(table->model()->index(0, 0));
    auto *summary = detail->findChild<QLabel *>();
    QVERIFY(summary);
    QTRY_VERIFY(summary->text().contains(QStringLiteral("products")));

    // Loading a page puts the results away.
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() == 200, kWait);
    QVERIFY(table->isColumnHidden(MessagePageModel::Partition));
}

void TstUiTopics::viewSearchShowsABadFilterWhereItGoesWrong()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *bar = child<TopicSearchBar>(view, "topicSearchBar");
    auto *searchStatus = child<QLabel>(view, "searchStatus");
    auto *filter = child<QLineEdit>(view, "searchFilter");
    QVERIFY(table && bar && searchStatus && filter);
    openView(view);
    choosePartition(view, QStringLiteral("misc"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 5, kWait);
    const QString text = QStringLiteral(".value.title ==== 1");
    bar->setFilter(text);
    bar->search();
    QVERIFY2(searchStatus->text().startsWith(QStringLiteral("The filter is not jq: syntax error")),
             qPrintable(searchStatus->text()));
    QVERIFY2(searchStatus->text().contains(QStringLiteral("at column")), qPrintable(searchStatus->text()));
    // The selection stands on the "=" jq refuses, in "====".
    const int equals = int(text.indexOf(QStringLiteral("====")));
    QVERIFY2(filter->selectionStart() >= equals && filter->selectionStart() < equals + 4,
             qPrintable(QString::number(filter->selectionStart())));
    QVERIFY(!bar->isSearching());
    QCOMPARE(table->model()->rowCount(), 5); // the page shown stays

    bar->setFilter(QStringLiteral(".value | nosuch"));
    bar->search();
    QVERIFY2(searchStatus->text().contains(QStringLiteral("nosuch/0 is not defined")),
             qPrintable(searchStatus->text()));
    QCOMPARE(filter->selectionStart(), 9);
}

void TstUiTopics::viewExportWritesEveryMatch()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *bar = child<TopicSearchBar>(view, "topicSearchBar");
    auto *searchStatus = child<QLabel>(view, "searchStatus");
    QVERIFY(table && bar && searchStatus);
    openView(view);
    choosePartition(view, QStringLiteral("products"), -1);
    // More matches than a page: the table lists the first 200, the file gets all 250.
    bar->setFilter(QStringLiteral(".partition == 0 and .offset < 250"));
    const QString jsonl = m_dir.filePath(QStringLiteral("products.jsonl"));
    QVERIFY(bar->exportTo(jsonl));
    QTRY_VERIFY_WITH_TIMEOUT(searchStatus->text().startsWith(QStringLiteral("Exported 250 messages to")), kWait);
    QCOMPARE(table->model()->rowCount(), 200);
    QFile file(jsonl);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 251); // and the last line's end
    const QList<Sent> &messages = sent(QStringLiteral("products"), 0);
    QSet<qint64> offsets;
    for (qsizetype i = 0; i < 250; ++i) {
        const QJsonObject record = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(record[QStringLiteral("topic")].toString(), QStringLiteral("products"));
        QCOMPARE(record[QStringLiteral("partition")].toInt(), 0);
        const qint64 offset = record[QStringLiteral("offset")].toInteger();
        offsets.insert(offset);
        QCOMPARE(record[QStringLiteral("payload")].toString().toUtf8(), messages[offset].value);
        QCOMPARE(record[QStringLiteral("key")].toString().toUtf8(), messages[offset].key);
    }
    QCOMPARE(offsets.size(), 250);

    const QString csv = m_dir.filePath(QStringLiteral("products.csv"));
    QVERIFY(bar->exportTo(csv));
    QTRY_VERIFY_WITH_TIMEOUT(searchStatus->text().startsWith(QStringLiteral("Exported 250 messages to")), kWait);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QByteArray text = csvFile.readAll();
    QVERIFY(text.startsWith("partition,offset,timestamp,key,value\r\n"));
    QCOMPARE(text.count("\r\n0,"), 250);
}

void TstUiTopics::viewSavedFiltersFillTheBox()
{
    {
        ProfileSettings settings;
        QVERIFY(SavedFilter::save(
            settings, {QStringLiteral("low stock"),
                       {QStringLiteral(".value.variants[0].inventory_quantity < 5"), QStringLiteral(".key != null")}}));
    }
    TopicsView view;
    auto *saved = child<QComboBox>(view, "savedFilters");
    auto *filter = child<QLineEdit>(view, "searchFilter");
    QVERIFY(saved && filter);
    QCOMPARE(saved->count(), 2);
    QCOMPARE(saved->itemText(1), QStringLiteral("low stock"));
    saved->setCurrentIndex(1);
    Q_EMIT saved->activated(1);
    QCOMPARE(filter->text(), QStringLiteral("(.value.variants[0].inventory_quantity < 5) and (.key != null)"));
}

// The first message at or after a time, found by halves (the embedded cluster does not answer by time).
void TstUiTopics::viewLoadsAPageFromATime()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    QVERIFY(table && status && child<QAction>(view, "loadTimeAction"));
    openView(view);
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() == 200, kWait);
    const QList<Sent> &messages = sent(QStringLiteral("products"), 0);
    const qint64 at = messages[300].timestampMs - 1; // a second apart: message 300 is the first at or after it
    view.loadFromTime(at);
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("From ")), qPrintable(status->text()), kWait);
    QCOMPARE(table->model()->index(0, MessagePageModel::Offset).data().toString(), QStringLiteral("300"));
    view.loadFromTime(messages.last().timestampMs + 3'600'000);
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("No messages at or after")),
                              qPrintable(status->text()), kWait);
}

void TstUiTopics::messageModelShowsNewestFirst()
{
    const auto messages = modelMessages;
    MessagePageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNewestFirst(true);
    model.setMessages(messages(0, 3));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const auto shown = [&] {
        QList<qint64> out;
        for (int row = 0; row < model.rowCount(); ++row)
            out << model.index(row, MessagePageModel::Offset).data().toLongLong();
        return out;
    };
    QCOMPARE(shown(), (QList<qint64>{2, 1, 0}));
    QCOMPARE(model.message(0).offset, 2);

    // New rows come in at the top; the oldest leave at the bottom; messages() keeps the order read.
    model.appendMessages(messages(3, 4), 5);
    QCOMPARE(shown(), (QList<qint64>{6, 5, 4, 3, 2}));
    QCOMPARE(offsetsIn(model.messages()), span(2, 5));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0); // first row inserted
    QCOMPARE(inserted.first().at(2).toInt(), 3); // last row inserted
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 5); // rows 5 and 6 (offsets 1 and 0) left
    QCOMPARE(removed.first().at(2).toInt(), 6);
    QCOMPARE(model.index(4, MessagePageModel::Key).data().toString(), QStringLiteral("key-2"));

    // Back to the order read for a page.
    model.setNewestFirst(false);
    QCOMPARE(shown(), span(2, 5));
}

void TstUiTopics::liveTailWaitsForASlowWindow()
{
    // A window that takes 400 ms to show each batch, while the partition gets 6,000 messages in a second: the tail
    // delivers no batch before the one before was taken, keeps the newest 1,000 between two, and accounts for every
    // message written, shown or counted as skipped.
    const QString topic = QStringLiteral("tail");
    TopicBrowser browser(m_bootstrap, {}, {.maxTailBacklog = 1000});
    QSignalSpy started(&browser, &TopicBrowser::tailStarted);
    qint64 received = 0;
    qint64 skipped = 0;
    qint64 lost = 0;
    qint64 lastOffset = -1;
    int batches = 0;
    int inside = 0;
    int overlapping = 0;
    connect(&browser, &TopicBrowser::tailMessages, this, [&](quint64, const TailBatch &batch) {
        overlapping += inside;
        ++inside;
        ++batches;
        received += batch.messages.size();
        skipped += batch.skipped;
        lost += batch.lost;
        QVERIFY(batch.messages.size() <= 1000);
        if (!batch.messages.isEmpty()) {
            QVERIFY(batch.messages.first().offset > lastOffset);
            lastOffset = batch.messages.last().offset;
        }
        QTest::qSleep(400);
        --inside;
    });
    browser.startTail(topic, 0);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kWait);
    const qint64 from = started.first().at(3).toLongLong();
    QElapsedTimer clock;
    clock.start();
    // Small messages, so that the embedded cluster's retention (a few MB a partition) removes none meanwhile.
    QList<Sent> burst;
    for (int i = 0; i < 6000; ++i)
        burst.append({"shop-" + QByteArray::number(i % 7), false, {}, R"({"seq": )" + QByteArray::number(i) + '}'});
    for (qsizetype i = 0; i < burst.size(); i += 600)
        produce(topic, 0, burst.mid(i, 600));
    QTRY_COMPARE_WITH_TIMEOUT(received + skipped + lost, 6000, kWait);
    QCOMPARE(lost, 0);
    const qint64 elapsedMs = clock.elapsed();
    QCOMPARE(lastOffset, from + 5999);
    QVERIFY2(skipped > 0, "the burst came slower than the window shows it; nothing tested");
    QCOMPARE(overlapping, 0);
    QVERIFY2(batches <= elapsedMs / 400 + 2,
             qPrintable(QStringLiteral("%1 batches in %2 ms at 400 ms each").arg(batches).arg(elapsedMs)));
    browser.stopTail();
}

void TstUiTopics::viewLiveTailKeepsTheRowsBeingRead()
{
    const QString topic = QStringLiteral("view-tail");
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    auto *tail = child<QAction>(view, "liveTailAction");
    auto *summary = child<QLabel>(view, "messageSummary");
    QVERIFY(table && status && tail && summary);
    QAbstractItemModelTester rowsTester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openView(view);
    choosePartition(view, topic, 0);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("messages, offsets")), kWait);
    tail->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("waiting for new messages")), kWait);
    const qint64 end = sent(topic, 0).size();
    produce(topic, 0, webhooks(150, 11, "read"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, MessagePageModel::Offset).data().toLongLong(), end + 149, kWait);

    // Scrolled down to read a message: new messages come in above without moving what is read.
    table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum() / 2);
    QTest::qWait(20);
    const QModelIndex firstShown = table->indexAt(QPoint(1, 1));
    const qint64 firstShownOffset = firstShown.siblingAtColumn(MessagePageModel::Offset).data().toLongLong();
    const QModelIndex read = firstShown.siblingAtColumn(0).sibling(firstShown.row() + 2, 0);
    table->setCurrentIndex(read);
    const qint64 readOffset = read.siblingAtColumn(MessagePageModel::Offset).data().toLongLong();
    QVERIFY(summary->text().contains(QStringLiteral("offset %1").arg(readOffset)));
    produce(topic, 0, webhooks(40, 12, "more"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, MessagePageModel::Offset).data().toLongLong(), end + 189, kWait);
    QCOMPARE(table->indexAt(QPoint(1, 1)).siblingAtColumn(MessagePageModel::Offset).data().toLongLong(),
             firstShownOffset);
    QCOMPARE(table->currentIndex().siblingAtColumn(MessagePageModel::Offset).data().toLongLong(), readOffset);
    QVERIFY(summary->text().contains(QStringLiteral("offset %1").arg(readOffset)));

    // At the top, the newest are what is shown.
    table->scrollToTop();
    produce(topic, 0, webhooks(5, 13, "top"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, MessagePageModel::Offset).data().toLongLong(), end + 194, kWait);
    QTest::qWait(20);
    QCOMPARE(table->verticalScrollBar()->value(), 0);
    QCOMPARE(table->indexAt(QPoint(1, 1)).siblingAtColumn(MessagePageModel::Offset).data().toLongLong(), end + 194);
    tail->trigger();
}

void TstUiTopics::viewCopiesMessagesAsKcatDoes()
{
    // The misc topic's five messages (text, an array, binary, a tombstone, an order), copied as JSON lines, are
    // what kcat -J writes for them, but for the broker each was read from, which the browser does not keep.
    const QString kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
    if (kcat.isEmpty())
        QSKIP("kcat is not installed (scripts/install-deps.sh brings it)");
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    QVERIFY(table && status);
    openView(view);
    choosePartition(view, QStringLiteral("misc"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 5, kWait);
    table->selectAll();
    QCOMPARE(view.selectedMessages().size(), 5);
    QApplication::clipboard()->clear();
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    QVERIFY2(status->text().startsWith(QStringLiteral("Copied 5 messages")), qPrintable(status->text()));
    const QList<QByteArray> copied = QApplication::clipboard()->text().toUtf8().split('\n');

    const CliResult theirs = runProgram(kcat, {QStringLiteral("-C"), QStringLiteral("-b"), m_bootstrap,
                                               QStringLiteral("-t"), QStringLiteral("misc"), QStringLiteral("-p"),
                                               QStringLiteral("0"), QStringLiteral("-o"), QStringLiteral("beginning"),
                                               QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-J")});
    QVERIFY2(theirs.finished && theirs.exitCode == 0, theirs.err.constData());
    const QList<QByteArray> expected = theirs.outLines();
    QCOMPARE(expected.size(), 5);
    QCOMPARE(copied.size(), 6); // and the last line's end
    static const QRegularExpression broker(QStringLiteral(R"("broker":-?\d+)"));
    for (int i = 0; i < 5; ++i) {
        QString ours = QString::fromUtf8(copied[i]);
        QString kcats = QString::fromUtf8(expected[i]);
        ours.replace(broker, QStringLiteral("\"broker\":B"));
        kcats.replace(broker, QStringLiteral("\"broker\":B"));
        // kcat writes bytes that are not UTF-8 raw, which is not JSON; ours are U+FFFD (MessageWriter). The binary
        // message is compared by its other fields.
        if (i == 2) {
            QCOMPARE(QJsonDocument::fromJson(copied[i]).object().value(QStringLiteral("offset")).toInt(), 2);
            continue;
        }
        QCOMPARE(ours, kcats);
    }

    // One value alone, as text.
    table->setCurrentIndex(table->model()->index(4, 0));
    view.copyValue();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("{\"order\": 1, \"lines\": []}"));
}

void TstUiTopics::viewProducesAMessageCheckedAsJson()
{
    const QString topic = QStringLiteral("produced");
    TopicsView view;
    openView(view);
    choosePartition(view, topic, 1);
    auto *produceAction = child<QAction>(view, "produceAction");
    QVERIFY(produceAction);
    QTRY_VERIFY_WITH_TIMEOUT(produceAction->isEnabled(), kWait);
    produceAction->trigger();
    auto *dialog = child<ProduceDialog>(view, "produceDialog");
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *topicBox = child<QComboBox>(*dialog, "produceTopic");
    auto *partition = child<QSpinBox>(*dialog, "producePartition");
    auto *key = child<QLineEdit>(*dialog, "produceKey");
    auto *headers = child<QTableWidget>(*dialog, "produceHeaders");
    auto *value = child<QPlainTextEdit>(*dialog, "produceValue");
    auto *check = child<QLabel>(*dialog, "produceValueCheck");
    auto *dialogStatus = child<QLabel>(*dialog, "produceStatus");
    QVERIFY(topicBox && partition && key && headers && value && check && dialogStatus);
    QCOMPARE(topicBox->currentText(), topic);
    QCOMPARE(partition->maximum(), 1);

    // A value that is not JSON: said where, refused, and the cursor put on it.
    const QString broken = QStringLiteral("{\n  \"id\": 7,\n  \"title\": \"Socks\"\n  \"vendor\": \"Fabrikam\"\n}");
    value->setPlainText(broken);
    QTRY_VERIFY_WITH_TIMEOUT(check->text().startsWith(QStringLiteral("Not JSON")), 2000);
    QVERIFY2(check->text().contains(QStringLiteral("at line 4, column")), qPrintable(check->text()));
    QVERIFY(!dialog->send());
    QVERIFY(dialogStatus->text().startsWith(QStringLiteral("Not sent")));
    QCOMPARE(value->textCursor().blockNumber(), 3);

    // Mended and sent, with a key, two headers (one name twice) and a partition.
    const QByteArray json = R"({"id": 7, "title": "Socks", "vendor": "Fabrikam"})";
    value->setPlainText(QString::fromUtf8(json));
    key->setText(QStringLiteral("shop-7.myshopify.com"));
    partition->setValue(1);
    for (const auto &[name, headerValue] :
         {std::pair{"X-Shopify-Topic", "products/update"}, std::pair{"X-Trace", "a"}, std::pair{"X-Trace", "b"}}) {
        const int row = headers->rowCount();
        headers->insertRow(row);
        headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        headers->setItem(row, 1, new QTableWidgetItem(QString::fromLatin1(headerValue)));
    }
    QSignalSpy sentSpy(dialog, &ProduceDialog::sent);
    QVERIFY(dialog->send());
    QTRY_COMPARE_WITH_TIMEOUT(sentSpy.count(), 1, kWait);
    QCOMPARE(sentSpy.first().at(1).toInt(), 1);
    const qint64 offset = sentSpy.first().at(2).toLongLong();
    QVERIFY2(dialogStatus->text().contains(QStringLiteral("partition 1, at offset %1").arg(offset)),
             qPrintable(dialogStatus->text()));

    TopicBrowser browser(m_bootstrap, {});
    const auto page = waitForPage(browser, browser.fetchPage(topic, 1, TopicBrowser::PageStart::AtOffset, offset, 1));
    QVERIFY(page && page->messages.size() == 1);
    const TopicMessage &m = page->messages.first();
    QCOMPARE(m.key, QByteArray("shop-7.myshopify.com"));
    QCOMPARE(m.value, json);
    QCOMPARE(m.headers.size(), 3);
    QCOMPARE(m.headers[2].name, QByteArray("X-Trace"));
    QCOMPARE(m.headers[2].value, QByteArray("b"));

    // A tombstone without a key.
    child<QCheckBox>(*dialog, "produceNoKey")->setChecked(true);
    child<QCheckBox>(*dialog, "produceTombstone")->setChecked(true);
    headers->setRowCount(0);
    QVERIFY(dialog->send());
    QTRY_COMPARE_WITH_TIMEOUT(sentSpy.count(), 2, kWait);
    const auto tombstone = waitForPage(
        browser, browser.fetchPage(topic, 1, TopicBrowser::PageStart::AtOffset, sentSpy.last().at(2).toLongLong(), 1));
    QVERIFY(tombstone && tombstone->messages.size() == 1);
    QVERIFY(tombstone->messages.first().keyIsNull);
    QVERIFY(tombstone->messages.first().valueIsNull);
    dialog->close();
}

void TstUiTopics::viewSendsSelectedMessagesToATopic()
{
    // Three webhooks of products partition 0, chosen in the table, sent to copies: to the same partition with
    // their timestamps, they read back byte for byte as they were written first.
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    auto *status = child<QLabel>(view, "messagesStatus");
    QVERIFY(table && status);
    openView(view);
    choosePartition(view, QStringLiteral("products"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), TopicBrowser::kDefaultPageSize, kWait);
    auto *selection = table->selectionModel();
    for (int row : {3, 10, 11})
        selection->select(table->model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QList<TopicMessage> chosen = view.selectedMessages();
    QCOMPARE(chosen.size(), 3);
    QVERIFY(chosen[0].offset < chosen[1].offset && chosen[1].offset < chosen[2].offset);

    view.resendSelected();
    auto *dialog = child<ResendDialog>(view, "resendDialog");
    QVERIFY(dialog);
    child<QComboBox>(*dialog, "resendTopic")->setCurrentText(QStringLiteral("copies"));
    child<QRadioButton>(*dialog, "resendSamePartition")->setChecked(true);
    child<QCheckBox>(*dialog, "resendKeepTimestamps")->setChecked(true);
    QSignalSpy sentSpy(dialog, &ResendDialog::sent);
    QVERIFY(dialog->send());
    QTRY_COMPARE_WITH_TIMEOUT(sentSpy.count(), 1, kWait);
    QVERIFY2(status->text().startsWith(QStringLiteral("3 messages sent to copies (partition 0)")),
             qPrintable(status->text()));

    TopicBrowser browser(m_bootstrap, {});
    const auto page =
        waitForPage(browser, browser.fetchPage(QStringLiteral("copies"), 0, TopicBrowser::PageStart::Beginning, 0, 10));
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QString diff = mismatch(page->messages[i], sent(QStringLiteral("products"), 0)[chosen[i].offset], 0, i);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
    dialog->close();
}

void TstUiTopics::viewRefusesToSendToAMissingTopic()
{
    TopicsView view;
    auto *table = child<QTableView>(view, "messageTable");
    QVERIFY(table);
    openView(view);
    choosePartition(view, QStringLiteral("misc"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 5, kWait);
    table->selectRow(4);
    view.resendSelected();
    auto *dialog = child<ResendDialog>(view, "resendDialog");
    QVERIFY(dialog);
    auto *dialogStatus = child<QLabel>(*dialog, "resendStatus");
    child<QComboBox>(*dialog, "resendTopic")->setCurrentText(QStringLiteral("copiez"));
    QVERIFY(dialog->send());
    QTRY_VERIFY_WITH_TIMEOUT(dialogStatus->text().startsWith(QStringLiteral("Not sent")), kWait);
    QVERIFY2(dialogStatus->text().contains(QStringLiteral("copiez")), qPrintable(dialogStatus->text()));
    dialog->close();

    // Nothing was created by the attempt.
    TopicBrowser browser(m_bootstrap, {});
    QSignalSpy listed(&browser, &TopicBrowser::topicsListed);
    browser.listTopics();
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, kWait);
    for (const TopicInfo &t : listed.first().at(1).value<QList<TopicInfo>>())
        QVERIFY(t.name != QStringLiteral("copiez"));
}

QTEST_MAIN(TstUiTopics)
#include "tst_ui_topics.moc"
