// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QDialog>

class QTreeWidget;

namespace peakwatch::ui {

// The rejected messages by reason, with the first few of each: where they are and what was wrong.
class RejectsDialog final : public QDialog {
    Q_OBJECT
public:
    explicit RejectsDialog(QWidget *parent = nullptr);
    void setSummary(const std::shared_ptr<const RejectSummary> &summary);
    int reasonCount() const;

private:
    QTreeWidget *m_tree;
};

} // namespace peakwatch::ui
