// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "group_lag_view.h"

#include "group_lag.h"
#include "group_lag_model.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMetaObject>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStringBuilder>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace peakwatch::ui {
namespace {

// How long each request of a read waits for the cluster.
constexpr auto kRequestTimeout = std::chrono::seconds(10);

// The reads still running. A view that goes never waits for its read; the application, when it quits, gives them
// a moment to end, so that none is still at work while the program's statics are destroyed.
class ReadsInFlight final {
public:
    static ReadsInFlight &instance()
    {
        static auto *reads = new ReadsInFlight; // never destroyed: a read may end after the statics are gone
        return *reads;
    }

    void started()
    {
        std::lock_guard lock(m_mutex);
        ++m_running;
    }
    void ended()
    {
        {
            std::lock_guard lock(m_mutex);
            --m_running;
        }
        m_ended.notify_all();
    }
    void waitAtExit()
    {
        std::unique_lock lock(m_mutex);
        m_ended.wait_for(lock, std::chrono::seconds(2), [this] { return m_running == 0; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ended;
    int m_running = 0;
};

QString timeOfDay(qint64 msSinceEpoch)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(msSinceEpoch).time(), QStringLiteral("HH:mm:ss"));
}

QString partitions(qsizetype n)
{
    return n == 1 ? GroupLagView::tr("1 partition") : GroupLagView::tr("%1 partitions").arg(n);
}

} // namespace

// The view while it lives; a read on a worker posts its answer to it under the lock, and finds it null once the
// view is gone.
struct GroupLagView::Inbox {
    std::mutex mutex;
    GroupLagView *view = nullptr;
};

// What a read on a worker learnt.
struct GroupLagView::Outcome {
    quint64 connection = 0;
    std::optional<Result<QList<GroupListing>>> groups; // when they were asked for
    QString group;                                     // whose lag was read, if a group's was
    std::optional<Result<GroupLag>> lag;
    qint64 readAtMs = -1;
};

GroupLagView::GroupLagView(QWidget *parent)
    : QWidget(parent)
    , m_inbox(std::make_shared<Inbox>())
{
    m_inbox->view = this;
    static std::once_flag atExit;
    std::call_once(atExit, [] { qAddPostRoutine([] { ReadsInFlight::instance().waitAtExit(); }); });

    auto *label = new QLabel(tr("Consumer group:"), this);
    m_groupBox = new QComboBox(this);
    m_groupBox->setObjectName(QStringLiteral("groupBox"));
    m_groupBox->setEditable(true);
    m_groupBox->setInsertPolicy(QComboBox::NoInsert);
    m_groupBox->setMinimumContentsLength(24);
    m_groupBox->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_groupBox->lineEdit()->setPlaceholderText(tr("a consumer group's id"));
    m_groupBox->setToolTip(tr("The cluster's consumer groups, and those typed before; type a group's id where the "
                              "cluster does not list them"));
    label->setBuddy(m_groupBox);
    m_showButton = new QPushButton(tr("Show lag"), this);
    m_showButton->setObjectName(QStringLiteral("showLagButton"));
    m_showButton->setToolTip(tr("Read the group's committed offsets against the partitions' ends; read again every "
                                "%1 s while shown")
                                 .arg(kRefreshInterval.count() / 1000));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("groupLagSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_model = new GroupLagModel(this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(GroupLagModel::SortRole);
    m_sorted->setDynamicSortFilter(true);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("groupLagTable"));
    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(GroupLagModel::Lag, Qt::DescendingOrder); // the partitions furthest behind first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(GroupLagModel::Topic, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("groupLagStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *chooser = new QHBoxLayout;
    chooser->addWidget(label);
    chooser->addWidget(m_groupBox, 1);
    chooser->addWidget(m_showButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(chooser);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    m_refresh = new QTimer(this);
    m_refresh->setInterval(kRefreshInterval);
    connect(m_refresh, &QTimer::timeout, this, &GroupLagView::refresh);
    connect(m_showButton, &QPushButton::clicked, this, [this] { showGroup(m_groupBox->currentText()); });
    connect(m_groupBox->lineEdit(), &QLineEdit::returnPressed, this, [this] { showGroup(m_groupBox->currentText()); });
    connect(m_groupBox, &QComboBox::activated, this, [this](int index) { showGroup(m_groupBox->itemText(index)); });
    updateTexts();
}

GroupLagView::~GroupLagView()
{
    // A read still running ends by itself; its answer finds no view.
    std::lock_guard lock(m_inbox->mutex);
    m_inbox->view = nullptr;
}

void GroupLagView::setConnection(const QString &bootstrapServers, const KafkaProperties &properties)
{
    // A read for the connection before is left to end by itself; its answer is dropped.
    ++m_connection;
    m_bootstrapServers = bootstrapServers;
    m_properties = properties;
    m_reading = false;
    m_readingGroup.clear();
    m_listWanted = false;
    m_readWanted = false;
    m_hint.clear();
    m_hintWhy.clear();
    m_listError.clear();
    m_listedGroups.clear();
    m_error.clear();
    m_model->clear();
    fillGroupBox();
    if (bootstrapServers.isEmpty()) {
        m_refresh->stop();
    } else {
        // Read once the view is shown (showEvent): a tab nobody looks at asks the cluster nothing.
        m_listWanted = true;
        m_readWanted = !m_group.isEmpty();
        if (isVisible()) {
            startRead();
            m_refresh->start();
        }
    }
    m_showButton->setEnabled(!bootstrapServers.isEmpty());
    updateTexts();
}

void GroupLagView::showGroup(const QString &group)
{
    const QString name = group.trimmed();
    if (name.isEmpty())
        return;
    rememberGroup(name);
    if (m_groupBox->currentText() != name)
        m_groupBox->setEditText(name);
    if (name != m_group) {
        m_group = name;
        m_error.clear();
        m_model->clear();
    }
    if (m_bootstrapServers.isEmpty() || (m_reading && m_readingGroup == name))
        return; // read once connected; or the read on its way shows it
    m_readWanted = true;
    startRead();
    updateTexts();
}

void GroupLagView::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_refresh->setInterval(interval);
}

void GroupLagView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_bootstrapServers.isEmpty())
        return;
    m_refresh->start();
    if (m_reading)
        return;
    // The groups come and go: listed again. Figures older than a refresh are read again at once.
    m_listWanted = true;
    const qint64 readAt = m_model->readAtMs();
    m_readWanted = !m_group.isEmpty() && (readAt < 0 || QDateTime::currentMSecsSinceEpoch() - readAt >=
                                                            m_refresh->intervalAsDuration().count());
    startRead();
}

void GroupLagView::hideEvent(QHideEvent *event)
{
    m_refresh->stop();
    QWidget::hideEvent(event);
}

void GroupLagView::refresh()
{
    // A read that takes longer than the interval is not queued behind: the next tick after it reads.
    if (m_group.isEmpty() || m_bootstrapServers.isEmpty() || m_reading)
        return;
    m_readWanted = true;
    startRead();
}

void GroupLagView::startRead()
{
    if (m_reading || m_bootstrapServers.isEmpty())
        return;
    const bool list = std::exchange(m_listWanted, false);
    const QString group = std::exchange(m_readWanted, false) ? m_group : QString();
    if (!list && group.isEmpty())
        return;
    m_reading = true;
    m_readingGroup = group;
    struct Job {
        QString servers;
        KafkaProperties properties;
        quint64 connection;
        bool list;
        QString group;
        std::shared_ptr<Inbox> inbox;
    };
    ReadsInFlight::instance().started();
    std::thread([job = Job{m_bootstrapServers, m_properties, m_connection, list, group, m_inbox}]() mutable {
        {
            const Job mine = std::move(job); // gone before the read counts as ended
            Outcome outcome;
            outcome.connection = mine.connection;
            if (mine.list)
                outcome.groups = listGroups(mine.servers, mine.properties, kRequestTimeout);
            if (!mine.group.isEmpty()) {
                outcome.group = mine.group;
                outcome.lag = readGroupLagOnCommittedTopics(mine.servers, mine.properties, mine.group, kRequestTimeout);
                outcome.readAtMs = QDateTime::currentMSecsSinceEpoch();
            }
            std::lock_guard lock(mine.inbox->mutex);
            if (GroupLagView *view = mine.inbox->view)
                QMetaObject::invokeMethod(
                    view, [view, outcome = std::move(outcome)] { view->onOutcome(outcome); }, Qt::QueuedConnection);
        }
        ReadsInFlight::instance().ended();
    }).detach();
}

void GroupLagView::onOutcome(const Outcome &outcome)
{
    if (outcome.connection != m_connection)
        return; // for a connection since replaced
    m_reading = false;
    m_readingGroup.clear();
    if (outcome.groups)
        showListing(outcome);
    // The lag of a group since replaced is dropped: the new group's read is wanted already.
    const bool shown = outcome.lag && outcome.group == m_group;
    if (shown)
        showLag(outcome);
    startRead();
    updateTexts();
    if (outcome.groups)
        Q_EMIT groupsListed();
    if (shown)
        Q_EMIT lagShown();
}

void GroupLagView::showListing(const Outcome &outcome)
{
    const Result<QList<GroupListing>> &groups = *outcome.groups;
    if (groups) {
        m_listedGroups = *groups;
        m_hint.clear();
        m_hintWhy.clear();
        m_listError.clear();
    } else {
        m_listedGroups.clear();
        // The core words a cluster's refusal so; anything else (a client that cannot be made) is an error.
        if (groups.error().startsWith(QLatin1String("the cluster does not"))) {
            m_hint = tr("This cluster does not list its consumer groups; type a group's id.");
            m_hintWhy = GroupLagModel::sentence(groups.error());
            m_listError.clear();
        } else {
            m_hint.clear();
            m_hintWhy.clear();
            m_listError = GroupLagModel::sentence(groups.error());
        }
    }
    fillGroupBox();
}

void GroupLagView::showLag(const Outcome &outcome)
{
    const Result<GroupLag> &lag = *outcome.lag;
    if (lag) {
        m_model->setLag(*lag, outcome.readAtMs);
        m_error.clear();
    } else {
        m_error = GroupLagModel::sentence(lag.error());
        m_failedAtMs = outcome.readAtMs;
    }
}

void GroupLagView::rememberGroup(const QString &group)
{
    if (m_remembered.contains(group))
        return;
    m_remembered << group;
    fillGroupBox();
}

void GroupLagView::fillGroupBox()
{
    // The cluster's groups and those typed in this session, in name order; what is in the box stays.
    QList<GroupListing> groups = m_listedGroups;
    for (const QString &typed : std::as_const(m_remembered))
        if (std::none_of(groups.cbegin(), groups.cend(), [&](const GroupListing &g) { return g.group == typed; }))
            groups.append({typed, {}});
    std::sort(groups.begin(), groups.end(),
              [](const GroupListing &a, const GroupListing &b) { return a.group < b.group; });
    const QString text = m_groupBox->currentText();
    const QSignalBlocker blocker(m_groupBox);
    m_groupBox->clear();
    for (const GroupListing &g : std::as_const(groups)) {
        m_groupBox->addItem(g.group);
        m_groupBox->setItemData(m_groupBox->count() - 1,
                                g.state.isEmpty() ? tr("Typed in this session") : tr("State: %1").arg(g.state),
                                Qt::ToolTipRole);
    }
    m_groupBox->setEditText(text);
}

void GroupLagView::updateTexts()
{
    const QLocale locale;
    // What the figures add up to.
    QString summary;
    if (m_group.isEmpty()) {
        summary = tr("Choose a consumer group, or type its id, to see its lag.");
    } else if (m_model->readAtMs() < 0) {
        summary = m_reading || m_readWanted ? tr("Reading the lag of group %1…").arg(m_group)
                                            : tr("The lag of group %1 is not known.").arg(m_group);
    } else {
        const GroupLag &lag = m_model->lag();
        summary = tr("Group %1").arg(lag.group);
        if (!lag.state.isEmpty())
            summary += lag.members >= 0
                           ? tr(" (%1, %2)")
                                 .arg(lag.state, lag.members == 1 ? tr("1 member") : tr("%1 members").arg(lag.members))
                           : tr(" (%1)").arg(lag.state);
        const qsizetype rows = lag.partitions.size();
        const int known = m_model->knownLagCount();
        if (rows == 0) {
            summary += tr(": no committed offsets, lag unknown.");
        } else if (known == 0) {
            summary += tr(": lag unknown on %1.").arg(partitions(rows));
        } else {
            summary += tr(": lag %1 on %2")
                           .arg(m_model->totalLag() == 1 ? tr("1 message")
                                                         : tr("%1 messages").arg(locale.toString(m_model->totalLag())),
                                known == rows ? partitions(rows) : tr("%1 of %2").arg(known).arg(partitions(rows)));
            if (const auto rate = m_model->totalRate())
                summary += tr(", consuming %1").arg(GroupLagModel::rateText(*rate));
            if (const QString progress = m_model->progress(); !progress.isEmpty())
                summary += u", " % progress;
            summary += u'.';
        }
    }
    m_summary->setText(summary);

    // When the figures were read, what went wrong and what could not be learnt.
    QStringList status;
    if (m_bootstrapServers.isEmpty()) {
        status << tr("Not connected to a cluster.");
    } else {
        if (!m_hint.isEmpty())
            status << m_hint;
        // Said once when the read of the lag failed for the same reason.
        if (!m_listError.isEmpty() && m_listError != m_error)
            status << tr("Could not list the consumer groups: %1").arg(m_listError);
        if (!m_error.isEmpty()) {
            QString line =
                tr("Could not read the lag of group %1 at %2: %3").arg(m_group, timeOfDay(m_failedAtMs), m_error);
            if (m_model->readAtMs() >= 0)
                line += u' ' % tr("The figures are from %1.").arg(timeOfDay(m_model->readAtMs()));
            status << line;
        } else if (m_model->readAtMs() >= 0) {
            status << tr("Read at %1.").arg(timeOfDay(m_model->readAtMs()));
            for (const QString &note : m_model->lag().notes)
                status << GroupLagModel::sentence(note);
        }
    }
    m_status->setText(status.join(u'\n'));
    m_status->setToolTip(m_hintWhy);
}

} // namespace peakwatch::ui
