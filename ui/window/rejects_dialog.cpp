// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "rejects_dialog.h"

#include "ui_format.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace peakwatch::ui {

RejectsDialog::RejectsDialog(QWidget *parent)
    : QDialog(parent)
    , m_tree(new QTreeWidget(this))
{
    setWindowTitle(QStringLiteral("Rejected messages"));
    auto *intro = new QLabel(QStringLiteral("Messages that could not be read as products/update payloads are counted "
                                            "and skipped; the stream goes on. The first %1 of each kind are kept here.")
                                 .arg(RejectLog::kSamplesPerReason),
                             this);
    intro->setWordWrap(true);
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({QStringLiteral("Reason"), QStringLiteral("Where"), QStringLiteral("What was wrong")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 220);
    m_tree->setColumnWidth(1, 200);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    resize(820, 420);
}

void RejectsDialog::setSummary(const std::shared_ptr<const RejectSummary> &summary)
{
    m_tree->clear();
    if (!summary)
        return;
    for (const RejectSummary::Entry &entry : summary->entries) {
        auto *reason = new QTreeWidgetItem(
            m_tree, {rejectReasonName(entry.reason), QStringLiteral("%1 messages").arg(count(entry.count)), QString()});
        for (const RejectLog::Sample &sample : entry.samples)
            new QTreeWidgetItem(reason, {QString(), RejectLog::where(sample), sample.detail});
        reason->setExpanded(true);
    }
}

int RejectsDialog::reasonCount() const
{
    return m_tree->topLevelItemCount();
}

} // namespace peakwatch::ui
