// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "delivery_group.h"

class QCheckBox;

namespace peakwatch {
struct JiraOptions;
}

namespace peakwatch::ui {

// Jira in the delivery dialog: the site with the user and API token (a secret), the project, the issue type, the
// labels, and whether a restock resolves the episode's issue, through which transition.
class JiraDeliveryGroup final : public DeliveryGroup {
    Q_OBJECT
public:
    JiraDeliveryGroup(const QString &connection, const DeliverySettings &settings, DeliveryDialog &dialog);

    static void load(const QSettings &settings, DeliverySettings &out);
    void save(QSettings &settings) const override;
    QList<QWidget *> tabChain() const override;

protected:
    QString problem(QWidget *&where) const override;
    std::unique_ptr<AlertSink> makeSink(const QStringList &secrets, QString &error) const override;
    QString destination() const override;

private:
    QStringList labels() const;
    JiraOptions options() const;

    QLineEdit *m_site;
    QLineEdit *m_project;
    QLineEdit *m_issueType;
    QLineEdit *m_labels;
    QCheckBox *m_resolve;
    QLineEdit *m_transition;
};

} // namespace peakwatch::ui
