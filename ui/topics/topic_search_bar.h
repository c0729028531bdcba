// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"
#include "topic_browser.h"
#include "topic_scan.h"

#include <QWidget>

#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;

namespace peakwatch {
class TopicSearch;
}

namespace peakwatch::ui {

// Search a whole topic through filters in jq's language: every partition, from its beginning or from a time, on a
// worker, with progress and Cancel; the first page of matches goes to the Topics view's table, and Export… writes
// every match to a JSON Lines or CSV file. A filter that does not compile is shown where it goes wrong. Saved
// filters (shared with peakwatch-cli filter) are offered, and the filter in the box can be saved.
class TopicSearchBar final : public QWidget {
    Q_OBJECT
public:
    explicit TopicSearchBar(QWidget *parent = nullptr);
    ~TopicSearchBar() override;

    void setConnection(const QString &bootstrapServers, const KafkaProperties &properties);
    void setTopic(const QString &topic); // the topic a search reads; none: searching is off
    bool isSearching() const;

    // For the tests and the screenshots: the filter, and where a search starts (-1: the beginning).
    void setFilter(const QString &filter);
    void setFromTime(qint64 msSinceEpoch);
    void search();
    void cancelSearch();
    Status exportTo(const QString &path); // by its suffix: .csv is CSV, anything else JSON Lines

Q_SIGNALS:
    void started(const QString &topic);
    void found(const QString &topic, const QList<peakwatch::TopicMessage> &messages);
    void ended();

private:
    ScanRequest request() const;
    QStringList filters() const;
    bool checkFilter(); // shows where a filter that does not compile goes wrong
    void onProgress(const ScanProgress &progress);
    void onFinished(const ScanSummary &summary, qint64 exported);
    void chooseExport();
    void saveFilter();
    void loadSavedFilters();
    void updateActions();

    std::unique_ptr<TopicSearch> m_search;
    QString m_topic;
    bool m_exporting = false;
    QString m_exportPath;
    QLabel *m_title = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_saved = nullptr;
    QCheckBox *m_fromCheck = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QAction *m_searchAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_saveAction = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace peakwatch::ui
