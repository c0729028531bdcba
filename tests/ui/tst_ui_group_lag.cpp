// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The consumer-group lag view: its model's rates and catch-up estimate from reads with known figures and times, and
// the view against the embedded cluster in-process, with a group whose offsets a client of it commits.
#include "embedded_cluster.h"
#include "group_lag.h"
#include "group_lag_model.h"
#include "group_lag_view.h"
#include "kafka_producer.h"
#include "reading_client.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include <librdkafka/rdkafka.h>

#include <memory>

using namespace peakwatch;
using namespace peakwatch::ui;
using namespace std::chrono_literals;

namespace {

constexpr int kWait = 20000; // ms, for anything the cluster answers
const QString kTopic = QStringLiteral("orders");

// One partition's figures as a read gives them.
PartitionLag partition(const QString &topic, int number, qint64 committed, qint64 end, const QString &error = {})
{
    PartitionLag p;
    p.topic = topic;
    p.partition = number;
    p.committed = committed;
    p.end = end;
    p.error = error;
    return p;
}

GroupLag read(const QString &group, const QList<PartitionLag> &partitions)
{
    GroupLag lag;
    lag.group = group;
    lag.partitions = partitions;
    return lag;
}

template <typename T> T *child(QObject &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

// The text a view's table shows for a partition of `topic` in `column`, whatever the sort.
QString cell(QTableView &table, const QString &topic, int partition, int column)
{
    const QAbstractItemModel *model = table.model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, GroupLagModel::Topic).data().toString() == topic &&
            model->index(row, GroupLagModel::Partition).data(GroupLagModel::SortRole).toInt() == partition)
            return model->index(row, column).data().toString();
    return QStringLiteral("(no row for %1/%2)").arg(topic).arg(partition);
}

QString tooltip(QTableView &table, const QString &topic, int partition, int column)
{
    const QAbstractItemModel *model = table.model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, GroupLagModel::Topic).data().toString() == topic &&
            model->index(row, GroupLagModel::Partition).data(GroupLagModel::SortRole).toInt() == partition)
            return model->index(row, column).data(Qt::ToolTipRole).toString();
    return {};
}

} // namespace

class TstUiGroupLag final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    // The model, without Kafka.
    void modelRatesAndProgress_data();
    void modelRatesAndProgress();
    void modelTotalsOverPartitions();
    void modelKeepsRowsAndAnnouncesOnlyChanges();
    void modelShowsWhyAFigureIsUnknown();
    void modelStartsAfreshForAnotherGroup();

    // The view against the embedded cluster.
    void listingRefusedIsAHintNotAnError();
    void showsCommittedEndAndLagPerPartition();
    void refreshShowsNewFiguresAndARate();
    void groupWithoutCommitsShowsLagUnknown();
    void errorsAreShownInWords();
    void refreshesEveryIntervalWhileShownOnly();
    void readsOneAtATime();
    void destroyingTheViewMidReadIsQuick();

private:
    void produce(int partition, int count);
    void commit(const QString &group, const QList<QPair<int, qint64>> &offsets);
    // Shows `group` in `view` and waits for the read to be shown.
    bool showAndWait(GroupLagView &view, const QString &group);

    std::unique_ptr<EmbeddedCluster> m_cluster;
    QString m_bootstrap;
    std::unique_ptr<KafkaProducer> m_producer;
    QList<qint64> m_ends{0, 0, 0, 0}; // of kTopic's partitions
    GroupLagView m_view;              // the view the tests against the cluster share, in order
};

void TstUiGroupLag::initTestCase()
{
    auto cluster = EmbeddedCluster::start(1, {{kTopic, 4}, {QStringLiteral("refunds"), 2}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    m_cluster = std::move(*cluster);
    m_bootstrap = m_cluster->bootstrapServers();
    auto producer = KafkaProducer::create(m_bootstrap);
    QVERIFY2(producer, qPrintable(producer.error()));
    m_producer = std::move(*producer);
    QVERIFY(m_producer->prepareTopic(kTopic));
    produce(0, 10);
    produce(1, 20);
    produce(2, 30);
    produce(3, 5);
    m_view.setObjectName(QStringLiteral("groupLag"));
}

void TstUiGroupLag::produce(int partition, int count)
{
    for (int i = 0; i < count; ++i) {
        const QByteArray value = R"({"id":)" + QByteArray::number(m_ends[partition] + i) + '}';
        QVERIFY(m_producer->produce(kTopic.toStdString(), "key", std::string_view(value.constData(), value.size()), {},
                                    partition));
    }
    QVERIFY(m_producer->flush(10000));
    QCOMPARE(m_producer->failed(), 0);
    m_ends[partition] += count;
}

// Commits `offsets` of kTopic's partitions as `group`, as a member of the group does after reading.
void TstUiGroupLag::commit(const QString &group, const QList<QPair<int, qint64>> &offsets)
{
    ReadingClient client;
    const Status opened = client.open(m_bootstrap, {}, {}, group);
    QVERIFY2(opened, qPrintable(opened.error()));
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(int(offsets.size()));
    for (const auto &[p, offset] : offsets)
        rd_kafka_topic_partition_list_add(list, kTopic.toUtf8().constData(), p)->offset = offset;
    const rd_kafka_resp_err_t err = rd_kafka_commit(client.handle(), list, 0);
    rd_kafka_topic_partition_list_destroy(list);
    QVERIFY2(!err, rd_kafka_err2str(err));
}

bool TstUiGroupLag::showAndWait(GroupLagView &view, const QString &group)
{
    QSignalSpy shown(&view, &GroupLagView::lagShown);
    view.showGroup(group);
    return shown.wait(kWait);
}

// The model.

void TstUiGroupLag::modelRatesAndProgress_data()
{
    QTest::addColumn<qint64>("committedBefore");
    QTest::addColumn<qint64>("endBefore");
    QTest::addColumn<qint64>("committedAfter");
    QTest::addColumn<qint64>("endAfter");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<QString>("progress");
    QTest::addRow("reads 30/s, nothing written: 600 left take 20 s")
        << 100LL << 1000LL << 400LL << 1000LL << 10000LL << QStringLiteral("30/s")
        << QStringLiteral("catching up in about 20 s");
    QTest::addRow("reads 10/s while 0 are written: 1,800 left take 3 min")
        << 0LL << 2400LL << 600LL << 2400LL << 60000LL << QStringLiteral("10/s")
        << QStringLiteral("catching up in about 3 min");
    QTest::addRow("reads 30/s while 15/s are written: the lag shrinks by 15/s")
        << 100LL << 1000LL << 400LL << 1150LL << 10000LL << QStringLiteral("30/s")
        << QStringLiteral("catching up in about 50 s");
    QTest::addRow("slow reads of a large lag: hours")
        << 0LL << 100000LL << 10LL << 100000LL << 1000LL << QStringLiteral("10/s")
        << QStringLiteral("catching up in about 2 h 47 min");
    QTest::addRow("writes outpace reads: falling behind")
        << 100LL << 1000LL << 200LL << 1500LL << 10000LL << QStringLiteral("10/s") << QStringLiteral("falling behind");
    QTest::addRow("reads as fast as writes: keeping pace")
        << 100LL << 1000LL << 600LL << 1500LL << 10000LL << QStringLiteral("50/s") << QStringLiteral("keeping pace");
    QTest::addRow("no commits and no writes: not consuming")
        << 100LL << 1000LL << 100LL << 1000LL << 10000LL << QStringLiteral("0/s") << QStringLiteral("not consuming");
    QTest::addRow("no commits while messages are written: falling behind")
        << 100LL << 1000LL << 100LL << 1100LL << 10000LL << QStringLiteral("0/s") << QStringLiteral("falling behind");
    QTest::addRow("all read: caught up") << 100LL << 1000LL << 1000LL << 1000LL << 10000LL << QStringLiteral("90/s")
                                         << QStringLiteral("caught up");
    QTest::addRow("a fraction a second") << 100LL << 1000LL << 104LL << 1000LL << 10000LL << QStringLiteral("0.4/s")
                                         << QStringLiteral("catching up in about 37 min");
    QTest::addRow("offsets reset: no rate, and the lag grew")
        << 500LL << 1000LL << 100LL << 1000LL << 10000LL << QStringLiteral("—") << QStringLiteral("falling behind");
}

void TstUiGroupLag::modelRatesAndProgress()
{
    QFETCH(qint64, committedBefore);
    QFETCH(qint64, endBefore);
    QFETCH(qint64, committedAfter);
    QFETCH(qint64, endAfter);
    QFETCH(qint64, ms);
    QFETCH(QString, rate);
    QFETCH(QString, progress);
    GroupLagModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 t0 = 1'700'000'000'000;
    model.setLag(read(QStringLiteral("g"), {partition(kTopic, 0, committedBefore, endBefore)}), t0);
    // One read gives no rate and no estimate, and says when they come.
    QCOMPARE(model.index(0, GroupLagModel::Rate).data().toString(), QStringLiteral("—"));
    QVERIFY(model.index(0, GroupLagModel::Rate).data(Qt::ToolTipRole).toString().contains(u"next read"));
    QVERIFY(!model.totalRate());
    if (endBefore > committedBefore)
        QCOMPARE(model.progress(), QString());

    model.setLag(read(QStringLiteral("g"), {partition(kTopic, 0, committedAfter, endAfter)}), t0 + ms);
    QCOMPARE(model.index(0, GroupLagModel::Rate).data().toString(), rate);
    QCOMPARE(model.progress(), progress);
    QCOMPARE(model.index(0, GroupLagModel::Lag).data(GroupLagModel::SortRole).toLongLong(), endAfter - committedAfter);
    if (committedAfter >= committedBefore) {
        QVERIFY(model.totalRate());
        QCOMPARE(*model.totalRate(), double(committedAfter - committedBefore) * 1000.0 / double(ms));
        QCOMPARE(model.index(0, GroupLagModel::Rate).data(GroupLagModel::SortRole).toDouble(), *model.totalRate());
    } else {
        QVERIFY(!model.totalRate());
        QVERIFY2(model.index(0, GroupLagModel::Rate).data(Qt::ToolTipRole).toString().contains(u"moved back"),
                 qPrintable(model.index(0, GroupLagModel::Rate).data(Qt::ToolTipRole).toString()));
    }
}

void TstUiGroupLag::modelTotalsOverPartitions()
{
    GroupLagModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString g = QStringLiteral("g");
    model.setLag(read(g, {partition(kTopic, 0, 0, 100), partition(kTopic, 1, 50, 100), partition(kTopic, 2, -1, 40)}),
                 0);
    QCOMPARE(model.totalLag(), 150LL);
    QCOMPARE(model.knownLagCount(), 2);
    // 4 s later: 40 and 20 more committed, 10 more written to partition 1; partition 2 still has no commit.
    model.setLag(read(g, {partition(kTopic, 0, 40, 100), partition(kTopic, 1, 70, 110), partition(kTopic, 2, -1, 45)}),
                 4000);
    QCOMPARE(model.rate(0).value_or(-1), 10.0);
    QCOMPARE(model.rate(1).value_or(-1), 5.0);
    QVERIFY(!model.rate(2));
    QCOMPARE(model.totalRate().value_or(-1), 15.0);
    QCOMPARE(model.totalLag(), 100LL); // 60 + 40; the unknown one left out
    // The known lag shrank by 50 in 4 s: 100 take 8 s.
    QCOMPARE(model.progress(), QStringLiteral("catching up in about 8 s"));
}

void TstUiGroupLag::modelKeepsRowsAndAnnouncesOnlyChanges()
{
    GroupLagModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel sorted;
    sorted.setSourceModel(&model);
    sorted.setSortRole(GroupLagModel::SortRole);
    sorted.setDynamicSortFilter(true);
    QAbstractItemModelTester sortedTester(&sorted, QAbstractItemModelTester::FailureReportingMode::QtTest);
    sorted.sort(GroupLagModel::Lag, Qt::DescendingOrder);
    QItemSelectionModel selection(&sorted);
    const QString g = QStringLiteral("g");

    model.setLag(read(g, {partition(kTopic, 0, 10, 100), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100)}),
                 0);
    // The partition furthest behind first; it is selected.
    QCOMPARE(sorted.index(0, GroupLagModel::Partition).data().toString(), QStringLiteral("0"));
    selection.select(sorted.index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
    // 10 s later partition 0 read 60: it is no longer furthest behind; every rate became known.
    model.setLag(read(g, {partition(kTopic, 0, 70, 100), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100)}),
                 10000);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count() + removals.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(changes[0][0].value<QModelIndex>(), model.index(0, GroupLagModel::Committed));
    QCOMPARE(changes[0][1].value<QModelIndex>(), model.index(2, GroupLagModel::Rate));
    // The sort follows the figures (lags 80, 70, 30); the selection stays on partition 0.
    QCOMPARE(sorted.index(0, GroupLagModel::Partition).data().toString(), QStringLiteral("1"));
    QCOMPARE(sorted.index(2, GroupLagModel::Partition).data().toString(), QStringLiteral("0"));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().constFirst().siblingAtColumn(GroupLagModel::Partition).data().toString(),
             QStringLiteral("0"));

    // Another 10 s: only partition 0 moved, at the same rate; the others' figures and rates are as they were.
    changes.clear();
    model.setLag(
        read(g, {partition(kTopic, 0, 130, 160), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100)}), 20000);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(changes[0][0].value<QModelIndex>(), model.index(0, GroupLagModel::Committed));
    QCOMPARE(changes[0][1].value<QModelIndex>(), model.index(0, GroupLagModel::Rate));
    // The same figures again 10 s later: partition 0's rate fell to 0, nothing else changed.
    changes.clear();
    model.setLag(
        read(g, {partition(kTopic, 0, 130, 160), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100)}), 30000);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(changes[0][1].value<QModelIndex>(), model.index(0, GroupLagModel::Rate));
    changes.clear();
    model.setLag(
        read(g, {partition(kTopic, 0, 130, 160), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100)}), 40000);
    QCOMPARE(changes.count(), 0);

    // Another partition set: the rows are made anew; the partitions read before keep their rates.
    model.setLag(read(g, {partition(kTopic, 0, 140, 160), partition(kTopic, 1, 20, 100), partition(kTopic, 2, 30, 100),
                          partition(kTopic, 3, 5, 5)}),
                 50000);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rate(0).value_or(-1), 1.0);
    QVERIFY(!model.rate(3));
    QVERIFY(model.index(3, GroupLagModel::Rate).data(Qt::ToolTipRole).toString().contains(u"Not read before"));
}

void TstUiGroupLag::modelShowsWhyAFigureIsUnknown()
{
    GroupLagModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLag(
        read(QStringLiteral("billing"),
             {partition(kTopic, 0, -1, 40), partition(kTopic, 1, -1, 50, QStringLiteral("Broker: Not coordinator")),
              partition(kTopic, 2, 7, -1, QStringLiteral("end offset unknown: Broker: Leader not available")),
              partition(kTopic, 3, 1234567, 1234600)}),
        0);
    const auto text = [&](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role).toString();
    };
    // No commit on the partition: committed and lag unknown, and why.
    QCOMPARE(text(0, GroupLagModel::Committed), QStringLiteral("—"));
    QCOMPARE(text(0, GroupLagModel::Lag), QStringLiteral("—"));
    QCOMPARE(text(0, GroupLagModel::End), QStringLiteral("40"));
    QCOMPARE(text(0, GroupLagModel::Committed, Qt::ToolTipRole),
             QStringLiteral("Group billing has committed no offset on partition 0 of orders."));
    QCOMPARE(text(0, GroupLagModel::Lag, Qt::ToolTipRole), text(0, GroupLagModel::Committed, Qt::ToolTipRole));
    // The cluster's error for the committed offset, in its words.
    QCOMPARE(text(1, GroupLagModel::Committed, Qt::ToolTipRole), QStringLiteral("Broker: Not coordinator."));
    QCOMPARE(text(1, GroupLagModel::Lag, Qt::ToolTipRole), QStringLiteral("Broker: Not coordinator."));
    // The end unknown: end and lag unknown, the committed offset shown.
    QCOMPARE(text(2, GroupLagModel::Committed), QStringLiteral("7"));
    QCOMPARE(text(2, GroupLagModel::End), QStringLiteral("—"));
    QCOMPARE(text(2, GroupLagModel::End, Qt::ToolTipRole),
             QStringLiteral("End offset unknown: Broker: Leader not available."));
    QCOMPARE(text(2, GroupLagModel::Lag, Qt::ToolTipRole), text(2, GroupLagModel::End, Qt::ToolTipRole));
    // Known figures: offsets as they are, the lag with the locale's grouping; right-aligned; raw for sorting.
    QCOMPARE(text(3, GroupLagModel::Committed), QStringLiteral("1234567"));
    QCOMPARE(text(3, GroupLagModel::Lag), QStringLiteral("33"));
    QVERIFY(text(3, GroupLagModel::Lag, Qt::ToolTipRole).contains(u"33 messages"));
    QCOMPARE(model.index(3, GroupLagModel::Lag).data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
             Qt::AlignRight | Qt::AlignVCenter);
    QCOMPARE(model.index(3, GroupLagModel::Topic).data(Qt::TextAlignmentRole), QVariant());
    for (int row : {0, 1})
        QCOMPARE(model.index(row, GroupLagModel::Lag).data(GroupLagModel::SortRole).toLongLong(), -1LL);
    QCOMPARE(model.index(2, GroupLagModel::End).data(GroupLagModel::SortRole).toLongLong(), -1LL);
    QCOMPARE(model.index(3, GroupLagModel::Lag).data(GroupLagModel::SortRole).toLongLong(), 33LL);
    QCOMPARE(model.totalLag(), 33LL);
    QCOMPARE(model.knownLagCount(), 1);
}

void TstUiGroupLag::modelStartsAfreshForAnotherGroup()
{
    GroupLagModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLag(read(QStringLiteral("a"), {partition(kTopic, 0, 10, 100)}), 0);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setLag(read(QStringLiteral("b"), {partition(kTopic, 0, 50, 100)}), 10000);
    QCOMPARE(resets.count(), 1);
    QVERIFY(!model.rate(0)); // not b's rate: a's commits are not b's
    QVERIFY(!model.totalRate());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.readAtMs(), -1);
}

// The view.

void TstUiGroupLag::listingRefusedIsAHintNotAnError()
{
    auto *box = child<QComboBox>(m_view, "groupBox");
    auto *status = child<QLabel>(m_view, "groupLagStatus");
    QVERIFY(box && status && child<QTableView>(m_view, "groupLagTable") && child<QLabel>(m_view, "groupLagSummary"));
    QVERIFY(status->text().contains(u"Not connected"));
    // Hidden, the view asks the cluster nothing; shown, it lists the groups.
    QSignalSpy listed(&m_view, &GroupLagView::groupsListed);
    m_view.setConnection(m_bootstrap, {});
    QVERIFY(!listed.wait(300));
    m_view.show();
    QVERIFY(listed.wait(kWait));
    m_view.hide();
    // The embedded cluster answers no ListGroups: the user is told to type a group's id, and nothing failed.
    QCOMPARE(status->text(), QStringLiteral("This cluster does not list its consumer groups; type a group's id."));
    QVERIFY2(status->toolTip().contains(u"does not list consumer groups"), qPrintable(status->toolTip()));
    QCOMPARE(box->count(), 0);
    QVERIFY(box->isEditable() && box->isEnabled());
    QVERIFY(child<QPushButton>(m_view, "showLagButton")->isEnabled());
}

void TstUiGroupLag::showsCommittedEndAndLagPerPartition()
{
    // The group read 4, 20 and 10 messages of partitions 0 to 2, and nothing of 3; nothing of "refunds".
    commit(QStringLiteral("reorder-service"), {{0, 4}, {1, 20}, {2, 10}});
    auto *box = child<QComboBox>(m_view, "groupBox");
    auto *table = child<QTableView>(m_view, "groupLagTable");
    // Typed, and Enter.
    box->lineEdit()->setText(QStringLiteral("reorder-service"));
    QSignalSpy shown(&m_view, &GroupLagView::lagShown);
    QTest::keyClick(box->lineEdit(), Qt::Key_Return);
    QVERIFY(shown.wait(kWait));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(m_view.group(), QStringLiteral("reorder-service"));

    // Only the topic the group committed on, every partition of it.
    QCOMPARE(table->model()->rowCount(), 4);
    const QList<qint64> committed{4, 20, 10};
    for (int p = 0; p < 3; ++p) {
        QCOMPARE(cell(*table, kTopic, p, GroupLagModel::Committed), QString::number(committed[p]));
        QCOMPARE(cell(*table, kTopic, p, GroupLagModel::End), QString::number(m_ends[p]));
        QCOMPARE(cell(*table, kTopic, p, GroupLagModel::Lag), QString::number(m_ends[p] - committed[p]));
        QCOMPARE(cell(*table, kTopic, p, GroupLagModel::Rate), QStringLiteral("—"));
    }
    QCOMPARE(cell(*table, kTopic, 3, GroupLagModel::Committed), QStringLiteral("—"));
    QCOMPARE(cell(*table, kTopic, 3, GroupLagModel::End), QString::number(m_ends[3]));
    QCOMPARE(cell(*table, kTopic, 3, GroupLagModel::Lag), QStringLiteral("—"));
    QVERIFY2(tooltip(*table, kTopic, 3, GroupLagModel::Lag).contains(u"has committed no offset"),
             qPrintable(tooltip(*table, kTopic, 3, GroupLagModel::Lag)));
    // Furthest behind first.
    QCOMPARE(table->model()->index(0, GroupLagModel::Partition).data().toString(), QStringLiteral("2"));
    // 6 + 0 + 20.
    const QString summary = child<QLabel>(m_view, "groupLagSummary")->text();
    QVERIFY2(summary.startsWith(u"Group reorder-service: lag 26 messages on 3 of 4 partitions"), qPrintable(summary));
    const QString status = child<QLabel>(m_view, "groupLagStatus")->text();
    QVERIFY2(status.contains(u"Read at ") && !status.contains(u"Could not"), qPrintable(status));
    // Remembered for the session.
    QVERIFY(box->findText(QStringLiteral("reorder-service")) >= 0);
}

void TstUiGroupLag::refreshShowsNewFiguresAndARate()
{
    auto *table = child<QTableView>(m_view, "groupLagTable");
    const qint64 firstRead = m_view.model()->readAtMs();
    QVERIFY(firstRead > 0);
    // Partition 1 of the table selected: it stays selected.
    table->selectRow(1);
    const QString selected = table->selectionModel()->selectedRows().value(0).siblingAtColumn(1).data().toString();
    QSignalSpy resets(m_view.model(), &QAbstractItemModel::modelReset);

    // 10 more messages on partition 0; the group reads on, 10 of partition 0 and 15 of partition 2.
    produce(0, 10);
    commit(QStringLiteral("reorder-service"), {{0, 14}, {1, 20}, {2, 25}});
    QTest::qWait(200); // a measurable time between the reads
    QVERIFY(showAndWait(m_view, QStringLiteral("reorder-service")));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(cell(*table, kTopic, 0, GroupLagModel::Committed), QStringLiteral("14"));
    QCOMPARE(cell(*table, kTopic, 0, GroupLagModel::End), QStringLiteral("20"));
    QCOMPARE(cell(*table, kTopic, 0, GroupLagModel::Lag), QStringLiteral("6"));
    QCOMPARE(cell(*table, kTopic, 2, GroupLagModel::Lag), QStringLiteral("5"));
    QCOMPARE(cell(*table, kTopic, 1, GroupLagModel::Rate), QStringLiteral("0/s"));
    QVERIFY(cell(*table, kTopic, 0, GroupLagModel::Rate) != QStringLiteral("—"));
    // 25 committed over the time between the reads.
    const double seconds = double(m_view.model()->readAtMs() - firstRead) / 1000.0;
    QVERIFY(seconds > 0);
    QCOMPARE(m_view.model()->totalRate().value_or(-1), 25.0 / seconds);
    QCOMPARE(m_view.model()->rate(0).value_or(-1), 10.0 / seconds);
    const QString summary = child<QLabel>(m_view, "groupLagSummary")->text();
    QVERIFY2(summary.startsWith(u"Group reorder-service: lag 11 messages on 3 of 4 partitions, consuming "),
             qPrintable(summary));
    // The lag fell from 26 to 11.
    QVERIFY2(summary.contains(u"catching up in about "), qPrintable(summary));
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().value(0).siblingAtColumn(1).data().toString(), selected);
}

void TstUiGroupLag::groupWithoutCommitsShowsLagUnknown()
{
    QVERIFY(showAndWait(m_view, QStringLiteral("never-committed")));
    QCOMPARE(child<QTableView>(m_view, "groupLagTable")->model()->rowCount(), 0);
    const QString summary = child<QLabel>(m_view, "groupLagSummary")->text();
    QVERIFY2(summary.contains(u"Group never-committed: no committed offsets, lag unknown"), qPrintable(summary));
    const QString status = child<QLabel>(m_view, "groupLagStatus")->text();
    QVERIFY2(status.contains(u"Group never-committed has committed no offsets."), qPrintable(status));
    QVERIFY2(!status.contains(u"Could not"), qPrintable(status));
    // Both groups are in the box now.
    auto *box = child<QComboBox>(m_view, "groupBox");
    QVERIFY(box->findText(QStringLiteral("reorder-service")) >= 0);
    QVERIFY(box->findText(QStringLiteral("never-committed")) >= 0);
    QCOMPARE(box->currentText(), QStringLiteral("never-committed"));
}

void TstUiGroupLag::errorsAreShownInWords()
{
    GroupLagView view;
    view.setConnection(m_bootstrap, {{"no.such.property", "1"}});
    QVERIFY(showAndWait(view, QStringLiteral("reorder-service")));
    const QString status = child<QLabel>(view, "groupLagStatus")->text();
    QVERIFY2(status.contains(u"Could not read the lag of group reorder-service at "), qPrintable(status));
    QVERIFY2(status.contains(u"No such configuration property: \"no.such.property\""), qPrintable(status));
    // Not a cluster that does not list its groups; and the reason is said once.
    QVERIFY2(!status.contains(u"does not list"), qPrintable(status));
    QCOMPARE(status.count(u"no.such.property"), 2); // the property and librdkafka's words for it
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY2(child<QLabel>(view, "groupLagSummary")->text().contains(u"The lag of group reorder-service is not known"),
             qPrintable(child<QLabel>(view, "groupLagSummary")->text()));
}

void TstUiGroupLag::refreshesEveryIntervalWhileShownOnly()
{
    GroupLagView view;
    view.setRefreshInterval(300ms);
    view.setConnection(m_bootstrap, {});
    QVERIFY(showAndWait(view, QStringLiteral("reorder-service")));
    QSignalSpy shown(&view, &GroupLagView::lagShown);
    // Hidden: no reads of its own.
    QTest::qWait(1000);
    QCOMPARE(shown.count(), 0);
    // Shown: read again and again, with no one asking.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 3, kWait);
    view.hide();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isReading(), kWait);
    QTest::qWait(50);
    const qsizetype reads = shown.count();
    QTest::qWait(1000);
    QCOMPARE(shown.count(), reads);
}

void TstUiGroupLag::readsOneAtATime()
{
    GroupLagView view;
    QSignalSpy listed(&view, &GroupLagView::groupsListed);
    view.show();
    view.setConnection(m_bootstrap, {});
    QVERIFY(listed.wait(kWait));
    QSignalSpy shown(&view, &GroupLagView::lagShown);
    // Asked again and again while its read runs: that one read answers.
    for (int i = 0; i < 5; ++i)
        view.showGroup(QStringLiteral("reorder-service"));
    QVERIFY(view.isReading());
    QVERIFY(shown.wait(kWait));
    QTest::qWait(500);
    QCOMPARE(shown.count(), 1);
    // Another group chosen while a read runs: the first group's answer is dropped, the second's read follows it.
    shown.clear();
    view.showGroup(QStringLiteral("reorder-service"));
    view.showGroup(QStringLiteral("never-committed"));
    QVERIFY(shown.wait(kWait));
    QTest::qWait(500);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(child<QLabel>(view, "groupLagSummary")->text().startsWith(u"Group never-committed:"));
}

void TstUiGroupLag::destroyingTheViewMidReadIsQuick()
{
    auto *view = new GroupLagView;
    QSignalSpy listed(view, &GroupLagView::groupsListed);
    view->show();
    view->setConnection(m_bootstrap, {});
    QVERIFY(listed.wait(kWait));
    view->showGroup(QStringLiteral("reorder-service"));
    QVERIFY(view->isReading());
    QPointer<GroupLagView> watched(view);
    QElapsedTimer timer;
    timer.start();
    delete view;
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    // The answer, when it comes, reaches no view.
    QTest::qWait(1500);
    QVERIFY(!watched);
}

QTEST_MAIN(TstUiGroupLag)
#include "tst_ui_group_lag.moc"
