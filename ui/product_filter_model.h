#pragma once

#include "product_snapshot.h"

#include <QSortFilterProxyModel>

#include <bitset>

namespace peakwatch::ui {

// Filters the product table by text (title or shop, any case) and by status, and sorts by each column's
// SortRole value, live as figures change.
class ProductFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProductFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    // Which statuses are shown; all by default.
    void setStatuses(std::bitset<5> shown);
    std::bitset<5> statuses() const { return m_statuses; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    std::bitset<5> m_statuses;
};

} // namespace peakwatch::ui
