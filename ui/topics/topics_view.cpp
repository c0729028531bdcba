// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topics_view.h"

#include "group_lag_view.h"
#include "message_detail_view.h"
#include "message_format.h"
#include "message_page_model.h"
#include "message_view.h"
#include "produce_dialog.h"
#include "resend_dialog.h"
#include "row_table.h"
#include "topic_list_model.h"
#include "topic_search.h"
#include "topic_search_bar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPersistentModelIndex>
#include <QScrollBar>
#include <QSet>
#include <QShowEvent>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStringBuilder>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

// A live tail keeps this many of the newest messages, and no more than this many bytes of them.
constexpr int kMaxTailRows = 5000;
constexpr qint64 kMaxTailBytes = qint64(256) << 20;
// Offsets are shown in a QDoubleSpinBox, exact up to 2^53.
constexpr double kMaxOffset = 9007199254740991.0;
// The topic list's share of a 1440 pixel wide window: a topic's name, "Partition 12" under it, its message
// count and offsets, side by side.
constexpr int kTopicsWidth = 440;
// How often every partition's message count is read again while the view is on screen.
constexpr auto kCountsInterval = std::chrono::seconds(2);

QString range(qint64 first, qint64 last)
{
    return QString::number(first) % QStringLiteral("–") % QString::number(last);
}

} // namespace

TopicsView::TopicsView(QWidget *parent)
    : QWidget(parent)
{
    // Left: the topics.
    m_topicModel = new TopicListModel(this);
    m_topicTree = new QTreeView(this);
    m_topicTree->setObjectName(QStringLiteral("topicTree"));
    m_topicTree->setModel(m_topicModel);
    m_topicTree->setUniformRowHeights(true);
    m_topicTree->setAlternatingRowColors(true);
    m_topicTree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_topicTree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_topicTree->setToolTip(tr("The cluster's topics; expand one and choose a partition to see its messages"));
    // Every column as wide as its widest text, names included: a name cut to "Parti…" says nothing. What does
    // not fit scrolls sideways instead.
    m_topicTree->header()->setStretchLastSection(true);
    m_topicTree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_topicTree->setMinimumWidth(240);

    m_refreshAction = new QAction(tr("Refresh"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshTopicsAction"));
    m_refreshAction->setToolTip(tr("List the cluster's topics and their message counts again (F5)"));
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_refreshAction);
    m_produceAction = new QAction(tr("Produce…"), this);
    m_produceAction->setObjectName(QStringLiteral("produceAction"));
    m_produceAction->setToolTip(tr("Write a message to the topic: key, headers and a value checked as JSON"));
    auto *topicsBar = new QToolBar(this);
    auto *spacer = new QWidget(topicsBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    topicsBar->addWidget(spacer);
    topicsBar->addAction(m_produceAction);
    topicsBar->addAction(m_refreshAction);

    m_topicsStatus = new QLabel(this);
    m_topicsStatus->setObjectName(QStringLiteral("topicsStatus"));
    m_topicsStatus->setWordWrap(true);
    m_topicsStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(topicsBar);
    leftLayout->addWidget(m_topicTree, 1);
    leftLayout->addWidget(m_topicsStatus);

    // Right: the toolbar, the messages and the one selected.
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("messagesToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addWidget(new QLabel(tr("Start: "), toolbar));
    m_beginningAction = toolbar->addAction(tr("Beginning"));
    m_beginningAction->setObjectName(QStringLiteral("loadBeginningAction"));
    m_beginningAction->setToolTip(tr("Load the partition's oldest messages"));
    m_newestAction = toolbar->addAction(tr("Newest"));
    m_newestAction->setObjectName(QStringLiteral("loadNewestAction"));
    m_newestAction->setToolTip(tr("Load the partition's newest messages"));
    m_offsetBox = new QDoubleSpinBox(toolbar);
    m_offsetBox->setObjectName(QStringLiteral("offsetBox"));
    m_offsetBox->setDecimals(0);
    m_offsetBox->setRange(0, kMaxOffset);
    m_offsetBox->setGroupSeparatorShown(false);
    m_offsetBox->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_offsetBox->setMinimumWidth(90);
    m_offsetBox->setMaximumWidth(120);
    m_offsetBox->setToolTip(tr("An offset to load messages from; press Enter to load"));
    m_offsetBox->installEventFilter(this);
    toolbar->addWidget(m_offsetBox);
    m_offsetAction = toolbar->addAction(tr("Offset"));
    m_offsetAction->setObjectName(QStringLiteral("loadOffsetAction"));
    m_offsetAction->setToolTip(tr("Load messages from the offset in the box"));
    m_timeAction = toolbar->addAction(tr("Time…"));
    m_timeAction->setObjectName(QStringLiteral("loadTimeAction"));
    m_timeAction->setToolTip(tr("Load messages from the first one at or after a time"));
    toolbar->addSeparator();
    m_previousAction = toolbar->addAction(tr("◀ Previous"));
    m_previousAction->setObjectName(QStringLiteral("previousPageAction"));
    m_previousAction->setToolTip(tr("Load the %1 messages before these").arg(TopicBrowser::kDefaultPageSize));
    m_nextAction = toolbar->addAction(tr("Next ▶"));
    m_nextAction->setObjectName(QStringLiteral("nextPageAction"));
    m_nextAction->setToolTip(tr("Load the %1 messages after these").arg(TopicBrowser::kDefaultPageSize));
    toolbar->addSeparator();
    m_tailAction = toolbar->addAction(tr("Live tail"));
    m_tailAction->setObjectName(QStringLiteral("liveTailAction"));
    m_tailAction->setCheckable(true);
    m_tailAction->setToolTip(tr("Show new messages of the partition as they arrive, newest first (the newest %L1, "
                                "up to %2 MB, are kept)")
                                 .arg(kMaxTailRows)
                                 .arg(kMaxTailBytes >> 20));
    toolbar->addSeparator();
    m_filterEdit = new QLineEdit(toolbar);
    m_filterEdit->setObjectName(QStringLiteral("messageFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter messages"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setToolTip(tr("Show only the loaded messages whose key, headers or value contain this text "
                                "(not case-sensitive)"));
    m_filterEdit->setMinimumWidth(140);
    toolbar->addWidget(m_filterEdit);

    m_messageModel = new MessagePageModel(this);
    m_filterModel = new QSortFilterProxyModel(this);
    m_filterModel->setSourceModel(m_messageModel);
    m_filterModel->setFilterRole(MessagePageModel::FilterTextRole);
    m_filterModel->setFilterKeyColumn(MessagePageModel::Offset);
    m_filterModel->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_messageTable = new QTableView(this);
    m_messageTable->setObjectName(QStringLiteral("messageTable"));
    m_messageTable->setModel(m_filterModel);
    setUpRowTable(*m_messageTable, QAbstractItemView::ExtendedSelection);
    m_messageTable->setContextMenuPolicy(Qt::CustomContextMenu);
    m_messageTable->setTextElideMode(Qt::ElideRight);
    m_messageTable->setColumnWidth(MessagePageModel::Offset, 80);
    m_messageTable->setColumnWidth(MessagePageModel::Timestamp, 170);
    m_messageTable->setColumnWidth(MessagePageModel::Key, 170);
    m_messageTable->setColumnWidth(MessagePageModel::Headers, 240);
    m_messageTable->setToolTip(tr("The messages loaded; select one to see it whole below, several to copy them or "
                                  "send them to a topic (right-click)"));

    // What can be done with the selected messages: the table's context menu and its shortcuts.
    m_copyAction = new QAction(tr("Copy as JSON lines"), this);
    m_copyAction->setObjectName(QStringLiteral("copyMessagesAction"));
    m_copyAction->setShortcut(QKeySequence::Copy); // shown in the menu; the table's key press is taken below
    m_copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_copyAction->setToolTip(tr("Copy the selected messages as kcat -J writes them, one JSON object a line"));
    m_copyValueAction = new QAction(tr("Copy value"), this);
    m_copyValueAction->setObjectName(QStringLiteral("copyValueAction"));
    m_sendAgainAction = new QAction(tr("Edit and send…"), this);
    m_sendAgainAction->setObjectName(QStringLiteral("sendAgainAction"));
    m_sendAgainAction->setToolTip(tr("Open the message in the Produce dialog, to change it and send it"));
    m_resendAction = new QAction(tr("Send to topic…"), this);
    m_resendAction->setObjectName(QStringLiteral("resendAction"));
    m_resendAction->setToolTip(tr("Send the selected messages as they are to a topic"));
    // A table copies its current cell on Ctrl+C by itself: the key is taken before it sees it.
    m_messageTable->installEventFilter(this);

    m_detail = new MessageDetailView(this);
    m_detail->setObjectName(QStringLiteral("messageDetail"));

    auto *messagesSplitter = new QSplitter(Qt::Vertical, this);
    messagesSplitter->addWidget(m_messageTable);
    messagesSplitter->addWidget(m_detail);
    messagesSplitter->setStretchFactor(0, 3);
    messagesSplitter->setStretchFactor(1, 2);
    messagesSplitter->setSizes({260, 440}); // about ten rows, and room for a webhook's variants

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("messagesStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    m_searchBar = new TopicSearchBar(this);
    m_searchBar->setObjectName(QStringLiteral("topicSearchBar"));
    m_messageTable->setColumnWidth(MessagePageModel::Partition, 70);
    m_messageTable->setColumnHidden(MessagePageModel::Partition, true);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(toolbar);
    rightLayout->addWidget(m_searchBar);
    rightLayout->addWidget(messagesSplitter, 1);
    rightLayout->addWidget(m_status);

    // Beside the topics, the consumer groups reading them and their lag.
    m_groupLag = new GroupLagView(this);
    m_groupLag->setObjectName(QStringLiteral("groupLagView"));
    auto *leftTabs = new QTabWidget(this);
    leftTabs->setObjectName(QStringLiteral("topicsSideTabs"));
    leftTabs->setDocumentMode(true);
    leftTabs->addTab(left, tr("Topics"));
    leftTabs->addTab(m_groupLag, tr("Consumer groups"));
    leftTabs->setTabToolTip(1, tr("A consumer group's committed offsets, lag per partition, and how fast it catches "
                                  "up"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(leftTabs);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({kTopicsWidth, 1440 - kTopicsWidth});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    // Every partition's counts, not only the one shown, follow the cluster while the view is on screen.
    m_countsTimer = new QTimer(this);
    m_countsTimer->setInterval(kCountsInterval);
    connect(m_countsTimer, &QTimer::timeout, this, &TopicsView::refreshCounts);

    connect(m_refreshAction, &QAction::triggered, this, &TopicsView::refreshTopics);
    connect(m_beginningAction, &QAction::triggered, this, [this] { load(TopicBrowser::PageStart::Beginning); });
    connect(m_newestAction, &QAction::triggered, this, [this] { load(TopicBrowser::PageStart::Newest); });
    connect(m_offsetAction, &QAction::triggered, this, &TopicsView::loadOffset);
    connect(m_timeAction, &QAction::triggered, this, &TopicsView::chooseTime);
    connect(m_previousAction, &QAction::triggered, this,
            [this] { load(TopicBrowser::PageStart::BeforeOffset, m_shown.firstOffset); });
    connect(m_nextAction, &QAction::triggered, this,
            [this] { load(TopicBrowser::PageStart::AtOffset, m_shown.nextOffset); });
    connect(m_tailAction, &QAction::triggered, this, &TopicsView::setTailing);
    connect(m_produceAction, &QAction::triggered, this, [this] { produceMessage(); });
    connect(m_copyAction, &QAction::triggered, this, &TopicsView::copySelected);
    connect(m_copyValueAction, &QAction::triggered, this, &TopicsView::copyValue);
    connect(m_sendAgainAction, &QAction::triggered, this, [this] {
        const QModelIndex current = m_filterModel->mapToSource(m_messageTable->currentIndex());
        if (current.isValid()) {
            const TopicMessage message = m_messageModel->message(current.row());
            produceMessage(&message);
        }
    });
    connect(m_resendAction, &QAction::triggered, this, &TopicsView::resendSelected);
    connect(m_messageTable, &QWidget::customContextMenuRequested, this, &TopicsView::showMessageMenu);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filterModel->setFilterFixedString(text);
        updateStatus();
    });
    connect(m_topicTree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TopicsView::onTopicChosen);
    connect(m_messageTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TopicsView::onMessageChosen);
    // The row shown in the detail pane may go: the live tail drops the oldest, a page replaces all. A message
    // being read stays in the pane when the tail drops its row.
    connect(m_filterModel, &QAbstractItemModel::modelReset, m_detail, &MessageDetailView::clear);
    connect(m_filterModel, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { m_rowsLeaving = true; });
    connect(m_filterModel, &QAbstractItemModel::rowsRemoved, this, [this] { m_rowsLeaving = false; });
    // A search's results replace the page (and stop a live tail); loading a page again puts them away.
    connect(m_searchBar, &TopicSearchBar::started, this, [this](const QString &topic) {
        if (m_state == State::Tailing)
            setTailing(false);
        m_searchTopic = topic;
        showSearchResults(true);
        m_messageModel->clear();
        m_messageModel->setNewestFirst(false);
        setStatus(tr("Search results from every partition of %1").arg(topic));
    });
    connect(m_searchBar, &TopicSearchBar::found, this,
            [this](const QString &topic, const QList<TopicMessage> &messages) {
                if (m_showingSearch && topic == m_searchTopic) {
                    m_messageModel->appendMessages(messages, TopicSearch::kPageSize);
                    updateStatus();
                }
            });

    setConnection({}, {});
}

TopicsView::~TopicsView()
{
    m_browser.reset(); // joins the Kafka thread before the models go
}

void TopicsView::setConnection(const QString &bootstrapServers, const KafkaProperties &properties)
{
    if (m_browser && bootstrapServers == m_bootstrapServers && properties == m_properties) {
        refreshTopics();
        return;
    }
    m_browser.reset();
    m_searchBar->setConnection(bootstrapServers, properties);
    m_groupLag->setConnection(bootstrapServers, properties);
    m_searchBar->setTopic({});
    showSearchResults(false);
    m_listing = false;
    m_bootstrapServers = bootstrapServers;
    m_properties = properties;
    m_topic.clear();
    m_partition = -1;
    m_haveShown = false;
    m_state = State::Idle;
    m_tailAction->setChecked(false);
    m_messageModel->clear();
    m_topicModel->clear();
    if (bootstrapServers.isEmpty()) {
        m_topicsStatus->setText(tr("Not connected to a cluster."));
        setStatus(tr("Connect to a cluster to browse its topics."));
        updateActions();
        return;
    }
    m_browser = std::make_unique<TopicBrowser>(bootstrapServers, properties);
    TopicBrowser *browser = m_browser.get();
    connect(browser, &TopicBrowser::topicsListed, this,
            [this](quint64, const QList<TopicInfo> &topics) { onTopicsListed(topics); });
    connect(browser, &TopicBrowser::pageLoaded, this, [this](quint64, const MessagePage &page) { onPageLoaded(page); });
    connect(browser, &TopicBrowser::tailStarted, this,
            [this](quint64, const QString &, int, qint64 fromOffset) { onTailStarted(fromOffset); });
    connect(browser, &TopicBrowser::tailMessages, this,
            [this](quint64, const TailBatch &batch) { onTailMessages(batch); });
    connect(
        browser, &TopicBrowser::failed, this,
        [this](quint64, TopicBrowser::Operation operation, const QString &message) { onFailed(operation, message); });
    setStatus(tr("Choose a partition of a topic to see its messages."));
    updateActions();
    refreshTopics();
}

void TopicsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refreshTopics();
    m_countsTimer->start();
}

void TopicsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_countsTimer->stop();
}

void TopicsView::refreshTopics()
{
    if (!m_browser)
        return;
    m_browser->listTopics();
    m_listing = true;
    m_topicsStatus->setText(tr("Listing the topics of %1…").arg(m_bootstrapServers));
}

void TopicsView::refreshCounts()
{
    // The listing asks each broker once for all of its partitions' offsets, on the browser's thread. One at a
    // time: a listing supersedes the one before it, so a slow cluster must not be asked again before it answers.
    if (!m_browser || m_listing || !isVisible())
        return;
    m_browser->listTopics();
    m_listing = true;
}

void TopicsView::onTopicsListed(const QList<TopicInfo> &topics)
{
    m_listing = false;
    // A changed list resets the model: keep what was expanded and chosen.
    QSet<QString> expanded;
    for (int row = 0; row < m_topicModel->rowCount(); ++row) {
        const QModelIndex index = m_topicModel->index(row, 0);
        if (m_topicTree->isExpanded(index))
            expanded.insert(index.data(TopicListModel::TopicRole).toString());
    }
    const QModelIndex current = m_topicTree->currentIndex();
    const QString currentTopic = current.data(TopicListModel::TopicRole).toString();
    const int currentPartition = current.isValid() ? current.data(TopicListModel::PartitionRole).toInt() : -1;

    m_topicModel->setTopics(topics);

    for (const QString &topic : std::as_const(expanded))
        m_topicTree->expand(m_topicModel->topicIndex(topic));
    if (topics.size() == 1) // one topic: its partitions are what there is to choose
        m_topicTree->expand(m_topicModel->index(0, 0));
    if (!m_topicTree->currentIndex().isValid() && !currentTopic.isEmpty()) {
        const QModelIndex again = currentPartition < 0 ? m_topicModel->topicIndex(currentTopic)
                                                       : m_topicModel->partitionIndex(currentTopic, currentPartition);
        if (again.isValid())
            m_topicTree->setCurrentIndex(again); // the same partition: nothing is reloaded
    }
    // The partition shown may know newer offsets than the listing (a live tail): the newer ones stay.
    if (m_haveShown) {
        const QModelIndex listed = m_topicModel->partitionIndex(m_topic, m_partition);
        if (listed.isValid() && listed.data(TopicListModel::HighOffsetRole).toLongLong() < m_shown.high)
            m_topicModel->updatePartition(m_topic, m_partition, m_shown.low, m_shown.high);
    }

    qint64 messages = 0;
    for (const TopicInfo &t : topics)
        messages += t.messageCount();
    const QLocale locale;
    m_topicsStatus->setText(
        topics.isEmpty()
            ? tr("The cluster has no topics.")
            : (topics.size() == 1
                   ? tr("1 topic, %1 messages").arg(locale.toString(messages))
                   : tr("%1 topics, %2 messages").arg(locale.toString(topics.size()), locale.toString(messages))));
}

void TopicsView::onTopicChosen(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QString topic = current.data(TopicListModel::TopicRole).toString();
    m_searchBar->setTopic(topic);
    int partition = current.data(TopicListModel::PartitionRole).toInt();
    if (partition < 0) {
        const QModelIndex topicRow = current.siblingAtColumn(0);
        const int partitions = m_topicModel->rowCount(topicRow);
        if (partitions != 1) {
            m_topicTree->expand(topicRow);
            if (topic != m_topic)
                setStatus(tr("Choose a partition of %1 to see its messages.").arg(topic));
            return;
        }
        partition = m_topicModel->index(0, 0, topicRow).data(TopicListModel::PartitionRole).toInt();
    }
    if (topic == m_topic && partition == m_partition && !m_showingSearch)
        return;
    showPartition(topic, partition);
}

void TopicsView::showPartition(const QString &topic, int partition)
{
    m_searchBar->setTopic(topic);
    m_topic = topic;
    m_partition = partition;
    m_haveShown = false;
    m_tailAction->setChecked(false);
    m_messageModel->clear();
    load(TopicBrowser::PageStart::Newest);
}

void TopicsView::load(TopicBrowser::PageStart start, qint64 offset)
{
    if (!m_browser || m_topic.isEmpty())
        return;
    if (m_showingSearch) {
        m_searchBar->cancelSearch();
        showSearchResults(false);
        m_messageModel->clear();
    }
    m_tailAction->setChecked(false);
    m_browser->fetchPage(m_topic, m_partition, start, offset);
    m_requestedStart = start;
    m_requestedOffset = offset;
    m_state = State::Loading;
    setStatus(tr("Loading…"));
    updateActions();
}

void TopicsView::loadOffset()
{
    m_offsetBox->interpretText();
    load(TopicBrowser::PageStart::AtOffset, qint64(m_offsetBox->value()));
}

void TopicsView::loadFromTime(qint64 msSinceEpoch)
{
    load(TopicBrowser::PageStart::AtTime, msSinceEpoch);
}

void TopicsView::chooseTime()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Load messages from a time"));
    auto *edit = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(-3600), &dialog);
    edit->setObjectName(QStringLiteral("pageTime"));
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setCalendarPopup(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QFormLayout(&dialog);
    layout->addRow(tr("From (local time):"), edit);
    layout->addRow(buttons);
    if (dialog.exec() == QDialog::Accepted)
        loadFromTime(edit->dateTime().toMSecsSinceEpoch());
}

bool TopicsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_messageTable && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copySelected();
        return true;
    }
    if (watched == m_offsetBox && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            loadOffset();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TopicsView::onPageLoaded(const MessagePage &page)
{
    m_shown = page;
    m_shown.messages.clear();
    m_haveShown = true;
    m_state = State::Idle;
    m_messageModel->setNewestFirst(false);
    m_messageModel->setMessages(page.messages);
    m_messageTable->scrollToTop();
    m_offsetBox->setValue(double(page.firstOffset));
    m_topicModel->updatePartition(page.topic, page.partition, page.low, page.high);
    const QLocale locale;
    const bool fromOffset = m_requestedStart == TopicBrowser::PageStart::AtOffset;
    if (page.high <= page.low) {
        setStatus(tr("Partition %1 of %2 is empty.").arg(page.partition).arg(page.topic));
    } else if (page.messages.isEmpty() && m_requestedStart == TopicBrowser::PageStart::AtTime) {
        setStatus(tr("No messages at or after %1 (the partition has offsets %2).")
                      .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_requestedOffset), QLocale::ShortFormat))
                      .arg(range(page.low, page.high - 1)));
    } else if (page.messages.isEmpty()) {
        setStatus(tr("No messages from offset %1 (the partition has offsets %2).")
                      .arg(fromOffset ? m_requestedOffset : page.firstOffset)
                      .arg(range(page.low, page.high - 1)));
    } else {
        // An offset retention has removed is not skipped silently: the page starts at the earliest left.
        const QString gone = fromOffset && m_requestedOffset < page.low
                                 ? tr("Offset %1 is no longer on the broker; ").arg(m_requestedOffset)
                                 : QString();
        const QString from =
            m_requestedStart == TopicBrowser::PageStart::AtTime
                ? tr("From %1: ")
                      .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_requestedOffset), QLocale::ShortFormat))
                : QString();
        setStatus(gone % from %
                  tr("%1 messages, offsets %2 of %3")
                      .arg(locale.toString(page.messages.size()),
                           range(page.messages.first().offset, page.messages.last().offset),
                           range(page.low, page.high - 1)));
    }
    updateActions();
}

void TopicsView::setTailing(bool on)
{
    if (!m_browser || m_topic.isEmpty()) {
        m_tailAction->setChecked(false);
        return;
    }
    if (!on) {
        m_browser->stopTail();
        m_state = State::Idle;
        m_tailAction->setChecked(false);
        setStatus(tr("Live tail stopped: %1").arg(positionText()));
        updateActions();
        return;
    }
    qint64 from = TopicBrowser::kFromEnd;
    // When the rows reach the partition's end, the tail continues them; otherwise it starts afresh.
    if (m_haveShown && m_state == State::Idle && m_shown.nextOffset >= m_shown.high && m_messageModel->rowCount() > 0) {
        from = m_shown.nextOffset;
    } else {
        m_messageModel->clear();
        m_haveShown = false;
    }
    m_messageModel->setNewestFirst(true);
    m_messageTable->scrollToTop();
    m_browser->startTail(m_topic, m_partition, from);
    m_tailReceived = 0;
    m_tailSkipped = 0;
    m_tailLost = 0;
    m_state = State::Tailing;
    m_tailAction->setChecked(true);
    setStatus(tr("Starting the live tail of %1, partition %2…").arg(m_topic).arg(m_partition));
    updateActions();
}

void TopicsView::onTailStarted(qint64 fromOffset)
{
    if (!m_haveShown) {
        m_shown = MessagePage{};
        m_shown.topic = m_topic;
        m_shown.partition = m_partition;
        m_shown.firstOffset = fromOffset;
        m_shown.nextOffset = fromOffset;
        m_shown.low = fromOffset;
        m_shown.high = fromOffset;
        m_haveShown = true;
    }
    setStatus(tr("Live tail of %1, partition %2, from offset %3: waiting for new messages…")
                  .arg(m_topic)
                  .arg(m_partition)
                  .arg(fromOffset));
}

void TopicsView::onTailMessages(const TailBatch &batch)
{
    m_tailReceived += batch.messages.size();
    m_tailSkipped += batch.skipped;
    m_tailLost += batch.lost;
    // Newest first: new rows come in at the top. At the top, the view shows them; scrolled down to read, it
    // keeps the rows being read where they are.
    const bool atTop = m_messageTable->verticalScrollBar()->value() == 0;
    const QPersistentModelIndex firstShown = atTop ? QModelIndex() : m_messageTable->indexAt(QPoint(1, 1));
    m_messageModel->appendMessages(batch.messages, kMaxTailRows, kMaxTailBytes);
    if (firstShown.isValid())
        m_messageTable->scrollTo(firstShown, QAbstractItemView::PositionAtTop);
    if (m_messageModel->rowCount() > 0) {
        m_shown.firstOffset = m_messageModel->messages().first().offset;
        m_shown.nextOffset = m_messageModel->messages().last().offset + 1;
    }
    if (batch.low >= 0)
        m_shown.low = batch.low;
    if (batch.high >= 0)
        m_shown.high = std::max(batch.high, m_shown.nextOffset);
    m_topicModel->updatePartition(m_topic, m_partition, m_shown.low, m_shown.high);
    const QLocale locale;
    QString text = tr("Live tail of %1, partition %2: %3 new messages; %4")
                       .arg(m_topic)
                       .arg(m_partition)
                       .arg(locale.toString(m_tailReceived), positionText());
    if (m_tailSkipped > 0)
        text += tr("; %1 came too fast to show").arg(locale.toString(m_tailSkipped));
    if (m_tailLost > 0)
        text += tr("; %1 were removed by retention before they could be read").arg(locale.toString(m_tailLost));
    setStatus(text);
}

void TopicsView::onFailed(TopicBrowser::Operation operation, const QString &message)
{
    switch (operation) {
    case TopicBrowser::Operation::ListTopics:
        m_listing = false;
        m_topicsStatus->setText(tr("Cannot list the topics: %1").arg(message));
        return;
    case TopicBrowser::Operation::FetchPage:
        m_state = State::Idle;
        setStatus(tr("Cannot load the messages: %1").arg(message));
        break;
    case TopicBrowser::Operation::Tail:
        m_state = State::Idle;
        m_tailAction->setChecked(false);
        setStatus(tr("The live tail stopped: %1").arg(message));
        break;
    }
    updateActions();
}

void TopicsView::onMessageChosen(const QModelIndex &current)
{
    if (m_rowsLeaving)
        return; // the tail dropped the row being read: the pane keeps its message
    const QModelIndex source = m_filterModel->mapToSource(current);
    if (!source.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->showMessage(shownTopic(), m_messageModel->message(source.row()));
}

QList<TopicMessage> TopicsView::selectedMessages() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_messageTable->selectionModel()->selectedRows())
        rows << m_filterModel->mapToSource(index).row();
    std::sort(rows.begin(), rows.end());
    if (m_messageModel->newestFirst())
        std::reverse(rows.begin(), rows.end());
    QList<TopicMessage> messages;
    messages.reserve(rows.size());
    for (int row : std::as_const(rows))
        messages << m_messageModel->message(row);
    return messages;
}

void TopicsView::copySelected()
{
    const QList<TopicMessage> messages = selectedMessages();
    if (messages.isEmpty())
        return;
    const QByteArray topic = shownTopic().toUtf8();
    MessageWriter writer(MessageFormat::Jsonl);
    QByteArray out;
    std::vector<HeaderView> headers;
    for (const TopicMessage &m : messages)
        writer.append(out, viewOf(m, std::string_view(topic.constData(), size_t(topic.size())), headers));
    QApplication::clipboard()->setText(QString::fromUtf8(out));
    setStatus(tr("Copied %1 messages as JSON lines.").arg(QLocale().toString(messages.size())));
}

void TopicsView::copyValue()
{
    const QModelIndex current = m_filterModel->mapToSource(m_messageTable->currentIndex());
    if (!current.isValid())
        return;
    const TopicMessage &m = m_messageModel->message(current.row());
    // Text as it is; anything else as the hex the detail pane shows.
    QApplication::clipboard()->setText(MessagePageModel::isText(m.value, m.valueTruncated())
                                           ? QString::fromUtf8(m.value)
                                           : QString::fromLatin1(m.value.toHex()));
    setStatus(m.valueTruncated() ? tr("Copied the first %1 of the value (it was cut when read).")
                                       .arg(MessagePageModel::sizeText(m.value.size()))
                                 : tr("Copied the value (%1).").arg(MessagePageModel::sizeText(m.value.size())));
}

void TopicsView::produceMessage(const TopicMessage *message)
{
    if (!m_browser)
        return;
    auto *dialog = new ProduceDialog(m_bootstrapServers, m_properties, m_topicModel->topics(), shownTopic(), this);
    dialog->setObjectName(QStringLiteral("produceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (message)
        dialog->fillFrom(*message);
    // The counts show what was written at once.
    connect(dialog, &ProduceDialog::sent, this, [this] { refreshCounts(); });
    dialog->show();
}

void TopicsView::resendSelected()
{
    const QList<TopicMessage> messages = selectedMessages();
    if (!m_browser || messages.isEmpty())
        return;
    auto *dialog =
        new ResendDialog(m_bootstrapServers, m_properties, m_topicModel->topics(), shownTopic(), messages, this);
    dialog->setObjectName(QStringLiteral("resendDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ResendDialog::sent, this, [this](const QString &, const QString &summary) {
        setStatus(summary % u'.');
        refreshCounts();
    });
    dialog->show();
}

void TopicsView::showMessageMenu(const QPoint &position)
{
    const int selected = int(m_messageTable->selectionModel()->selectedRows().size());
    if (selected == 0)
        return;
    m_copyAction->setText(selected == 1 ? tr("Copy as JSON") : tr("Copy %1 messages as JSON lines").arg(selected));
    m_resendAction->setText(selected == 1 ? tr("Send to topic…") : tr("Send %1 messages to topic…").arg(selected));
    m_sendAgainAction->setEnabled(m_messageTable->currentIndex().isValid());
    QMenu menu(this);
    menu.addAction(m_copyAction);
    menu.addAction(m_copyValueAction);
    menu.addSeparator();
    menu.addAction(m_sendAgainAction);
    menu.addAction(m_resendAction);
    menu.exec(m_messageTable->viewport()->mapToGlobal(position));
}

void TopicsView::showSearchResults(bool on)
{
    m_showingSearch = on;
    m_messageTable->setColumnHidden(MessagePageModel::Partition, !on);
    if (on)
        m_haveShown = false; // the page's previous and next do not follow from search results
    updateActions();
}

QString TopicsView::positionText() const
{
    const QLocale locale;
    const int rows = m_messageModel->rowCount();
    const QString partition = m_shown.high > m_shown.low ? range(m_shown.low, m_shown.high - 1) : tr("none");
    if (rows == 0)
        return tr("no messages shown (the partition has offsets %1)").arg(partition);
    return tr("%1 messages, offsets %2 of %3")
        .arg(locale.toString(rows),
             range(m_messageModel->messages().first().offset, m_messageModel->messages().last().offset), partition);
}

void TopicsView::updateActions()
{
    const bool connected = m_browser != nullptr;
    const bool partition = connected && !m_topic.isEmpty();
    const bool tailing = m_state == State::Tailing;
    m_refreshAction->setEnabled(connected);
    m_beginningAction->setEnabled(partition);
    m_newestAction->setEnabled(partition);
    m_offsetAction->setEnabled(partition);
    m_timeAction->setEnabled(partition);
    m_offsetBox->setEnabled(partition);
    m_previousAction->setEnabled(partition && !tailing && m_haveShown && m_shown.hasPrevious());
    m_nextAction->setEnabled(partition && !tailing && m_haveShown && m_shown.hasNext());
    m_tailAction->setEnabled(partition);
    m_produceAction->setEnabled(connected);
    m_filterEdit->setEnabled(connected);
}

void TopicsView::setStatus(const QString &text)
{
    m_statusText = text;
    updateStatus();
}

void TopicsView::updateStatus()
{
    if (m_filterEdit->text().isEmpty() || m_messageModel->rowCount() == 0) {
        m_status->setText(m_statusText);
        return;
    }
    const QLocale locale;
    m_status->setText(m_statusText %
                      tr(" · %1 of them match the filter").arg(locale.toString(m_filterModel->rowCount())));
}

} // namespace peakwatch::ui
