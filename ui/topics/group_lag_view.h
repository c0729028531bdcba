// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "group_lag.h"
#include "kafka_properties.h"

#include <QWidget>

#include <chrono>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace peakwatch::ui {

class GroupLagModel;

// A consumer group's lag on the desktop, as peakwatch-cli lag shows it: the group is chosen from the cluster's
// groups, or typed where the cluster does not list them (the embedded one); each partition's committed offset, end
// and lag, the rate the group consumes at and, in total, when it will catch up. Reads run on a worker, one at a
// time, and again every 5 s while the view is shown; a read still running when the view goes, or when the
// connection changes, is left to end by itself, and its answer is dropped.
class GroupLagView final : public QWidget {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kRefreshInterval{5000};

    explicit GroupLagView(QWidget *parent = nullptr);
    ~GroupLagView() override;
    Q_DISABLE_COPY_MOVE(GroupLagView)

    // The cluster the groups are read from; an empty `bootstrapServers` disconnects. Lists the cluster's groups.
    void setConnection(const QString &bootstrapServers, const KafkaProperties &properties);
    // Reads the lag of `group` now (again, when it is the group shown) and remembers the group in the box.
    void showGroup(const QString &group);
    QString group() const { return m_group; }
    bool isReading() const { return m_reading; }
    GroupLagModel *model() const { return m_model; }
    // How often the figures are read again while the view is shown (kRefreshInterval unless a test says otherwise).
    void setRefreshInterval(std::chrono::milliseconds interval);

Q_SIGNALS:
    // A read of the group's lag was shown: its figures, or why there are none.
    void lagShown();
    // The cluster's groups were put in the box, or the hint that it does not list them was shown.
    void groupsListed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Inbox; // what a read running on a worker shares with the view
    struct Outcome;

    void refresh();
    void startRead(); // what is wanted, unless a read runs
    void onOutcome(const Outcome &outcome);
    void showListing(const Outcome &outcome);
    void showLag(const Outcome &outcome);
    void rememberGroup(const QString &group);
    void fillGroupBox();
    void updateTexts();

    std::shared_ptr<Inbox> m_inbox;
    QString m_bootstrapServers;
    KafkaProperties m_properties;
    quint64 m_connection = 0; // answers for a connection that was replaced are dropped
    QString m_group;
    bool m_reading = false;
    QString m_readingGroup; // the group the read in flight reads, if any
    bool m_listWanted = false;
    bool m_readWanted = false;
    QString m_hint;      // the cluster does not list its groups: the user types a group's id
    QString m_hintWhy;   // the cluster's words for it
    QString m_listError; // why the groups could not be listed otherwise
    QList<GroupListing> m_listedGroups;
    QStringList m_remembered; // the groups shown in this session
    QString m_error;          // why the last read failed, if it did
    qint64 m_failedAtMs = -1;

    GroupLagModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QComboBox *m_groupBox = nullptr;
    QPushButton *m_showButton = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_refresh = nullptr;
};

} // namespace peakwatch::ui
