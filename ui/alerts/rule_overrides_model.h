// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_rules.h"

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace peakwatch::ui {

// The per-shop and per-product overrides of the alert rules as an editable table. Rows keep what was typed
// (a product id as text, so ids above 2^53 are never rounded) and say what is wrong with them until they
// are valid: a row names a shop, a product id or both, and no two rows name the same shop and product.
class RuleOverridesModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Shop, ProductId, LowStock, Horizon, Cooldown, ColumnCount };
    enum Role {
        ProblemRole = Qt::UserRole + 1, // on any cell: what is wrong with the row, empty when it is valid
    };
    static constexpr qint64 kMaxLowStock = 1'000'000'000;
    static constexpr qint64 kMaxMinutes = 30 * 24 * 60; // horizon and cooldown: 30 days

    explicit RuleOverridesModel(QObject *parent = nullptr);

    // Replaces the rows. An override whose alerts on/off are those of `defaults` follows the defaults
    // from then on; one with its own set (from a rules file) keeps it.
    void setOverrides(const std::vector<AlertRules::Override> &overrides, const RuleSet &defaults);
    // Writes the rows into `rules`, replacing its overrides; rows that follow the defaults take the alerts
    // on/off of rules.defaults(), so set the defaults first. Invalid rows are skipped: check problems().
    void applyTo(AlertRules &rules) const;

    // Appends a row naming no shop and no product yet, with the thresholds of `values`; returns its row.
    int addRow(const RuleSet &values);

    // What is wrong with a row, to follow "Row 2: " ("give a shop domain, a product ID or both."); empty when
    // it is valid. `column`, when given, is set to the cell at fault.
    QString problem(int row, int *column = nullptr) const;
    // "Row 2: …" for each invalid row, in order (rows are numbered from 1, as the table shows them).
    QStringList problems() const;
    bool isValid() const { return problems().isEmpty(); }

    // "8841726390317", also from "gid://shopify/Product/8841726390317" or an admin URL ending in
    // "/products/8841726390317"; nullopt when it is not a product id (digits only, 1 to 2^63 - 1).
    static std::optional<qint64> parseProductId(const QString &text);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

private:
    struct Row {
        QString shop;      // lower case; empty: any shop
        QString productId; // as typed (digits when valid); empty: any product of the shop
        qint64 lowStock = 0;
        qint64 horizonMinutes = 0;
        qint64 cooldownMinutes = 0;
        std::optional<std::array<bool, kAlertRuleCount>> enabled; // nullopt: as the defaults
    };

    bool isCell(const QModelIndex &index) const;

    std::vector<Row> m_rows;
};

} // namespace peakwatch::ui
