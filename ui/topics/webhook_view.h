// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_reading.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace peakwatch::ui {

class WebhookLinesModel;
class WebhookVariantsModel;

// A Shopify webhook shown as what it is, beside its raw JSON in the detail pane: a product with its variants and
// their stock, an order with its lines, an inventory level, or a Spark-output row; and a line saying how the engine
// reads it, or why it rejects it.
class WebhookView final : public QWidget {
    Q_OBJECT
public:
    explicit WebhookView(QWidget *parent = nullptr);

    void showReading(const WebhookReading &reading);
    void clear();

    const WebhookReading &reading() const { return m_reading; }

private:
    QString summaryText() const;
    QString totalText() const;

    WebhookReading m_reading;
    QLabel *m_summary = nullptr;
    QLabel *m_engine = nullptr;
    QLabel *m_total = nullptr;
    QTableView *m_variants = nullptr;
    QTableView *m_lines = nullptr;
    WebhookVariantsModel *m_variantsModel = nullptr;
    WebhookLinesModel *m_linesModel = nullptr;
};

} // namespace peakwatch::ui
