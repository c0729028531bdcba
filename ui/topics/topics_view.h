// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "topic_browser.h"

#include <QWidget>

#include <memory>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QTreeView;

namespace peakwatch::ui {

class GroupLagView;
class MessageDetailView;
class MessagePageModel;
class TopicListModel;
class TopicSearchBar;

// The Topics view: the cluster's topics and partitions with their message counts on the left; on the
// right the messages of the chosen partition, a page at a time (from the beginning, the newest, or an
// offset) or live, filtered by text, and the selected message in full underneath. All Kafka I/O runs on
// the TopicBrowser's thread.
class TopicsView final : public QWidget {
    Q_OBJECT
public:
    explicit TopicsView(QWidget *parent = nullptr);
    ~TopicsView() override;
    // Points the browser at a cluster (empty bootstrap = disconnected); lists its topics.
    void setConnection(const QString &bootstrapServers, const peakwatch::KafkaProperties &properties);
    void refreshTopics();
    // Shows the newest page of a partition, as choosing it in the list does.
    void showPartition(const QString &topic, int partition);
    // Loads the page of the partition shown that starts at its first message at or after this time.
    void loadFromTime(qint64 msSinceEpoch);

    // The messages selected in the table, in the order they were read.
    QList<TopicMessage> selectedMessages() const;
    // Copies the selected messages to the clipboard as kcat -J writes them, one JSON object a line.
    void copySelected();
    // Copies the value of the message shown whole (the current row) to the clipboard.
    void copyValue();
    // Opens the dialog that writes a message to the topic shown; filled from `message` when given.
    void produceMessage(const TopicMessage *message = nullptr);
    // Opens the dialog that sends the selected messages to a topic.
    void resendSelected();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override; // the counts are fresh whenever the view is opened
    void hideEvent(QHideEvent *event) override; // and follow the cluster only while it is on screen

private:
    enum class State { Idle, Loading, Tailing };

    // Reads every partition's offsets again, quietly, unless a listing is under way.
    void refreshCounts();
    void onTopicsListed(const QList<TopicInfo> &topics);
    void onPageLoaded(const MessagePage &page);
    void onTailStarted(qint64 fromOffset);
    void onTailMessages(const TailBatch &batch);
    void onFailed(TopicBrowser::Operation operation, const QString &message);
    void onTopicChosen(const QModelIndex &current);
    void onMessageChosen(const QModelIndex &current);
    void showMessageMenu(const QPoint &position);

    void load(TopicBrowser::PageStart start, qint64 offset = 0);
    void loadOffset();
    void chooseTime();
    void setTailing(bool on);
    void showSearchResults(bool on);
    void updateActions();
    void setStatus(const QString &text);
    void updateStatus();
    QString positionText() const;
    // The topic of the rows shown: the partition's, or the search's.
    QString shownTopic() const { return m_showingSearch ? m_searchTopic : m_topic; }

    std::unique_ptr<TopicBrowser> m_browser;
    QString m_bootstrapServers;
    KafkaProperties m_properties;

    TopicListModel *m_topicModel = nullptr;
    QTreeView *m_topicTree = nullptr;
    QLabel *m_topicsStatus = nullptr;
    QTimer *m_countsTimer = nullptr;
    bool m_listing = false; // a listing is awaited
    MessagePageModel *m_messageModel = nullptr;
    QSortFilterProxyModel *m_filterModel = nullptr;
    QTableView *m_messageTable = nullptr;
    MessageDetailView *m_detail = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_beginningAction = nullptr;
    QAction *m_newestAction = nullptr;
    QAction *m_offsetAction = nullptr;
    QAction *m_timeAction = nullptr;
    QAction *m_previousAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_tailAction = nullptr;
    QAction *m_produceAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_copyValueAction = nullptr;
    QAction *m_sendAgainAction = nullptr;
    QAction *m_resendAction = nullptr;
    bool m_rowsLeaving = false; // the model is removing rows: the current row's going is not a choice
    QDoubleSpinBox *m_offsetBox = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    TopicSearchBar *m_searchBar = nullptr;
    GroupLagView *m_groupLag = nullptr;
    // The table shows a search's results (of m_searchTopic, every partition), not a page of the partition.
    bool m_showingSearch = false;
    QString m_searchTopic;

    // The partition shown, and what of it: the offsets of the rows (first to next - 1) and its own.
    QString m_topic;
    int m_partition = -1;
    MessagePage m_shown; // without its messages, which the model holds
    bool m_haveShown = false;
    State m_state = State::Idle;
    TopicBrowser::PageStart m_requestedStart = TopicBrowser::PageStart::Newest; // of the page loading
    qint64 m_requestedOffset = 0;
    QString m_statusText;
    qint64 m_tailReceived = 0;
    qint64 m_tailSkipped = 0;
    qint64 m_tailLost = 0;
};

} // namespace peakwatch::ui
