#pragma once

#include "product_snapshot.h"

#include <QSortFilterProxyModel>

#include <bitset>

namespace peakwatch::ui {

// Filters the product table by text (title or shop, any case) and by status, and sorts by the column's
// figure. At Black Friday rates nearly every row changes ten times a second, so rows are not re-sorted on
// each change (they would jump about unreadably, and sorting 20,000 rows ten times a second costs the UI
// tens of milliseconds each time): refresh() sorts and filters again, and the dashboard calls it once a
// second. Changing the text, the statuses or the sort column applies at once.
class ProductFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProductFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    // Which statuses are shown; all by default.
    void setStatuses(std::bitset<5> shown);
    std::bitset<5> statuses() const { return m_statuses; }
    // Sorts and filters again with the rows' current figures.
    void refresh();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    std::bitset<5> m_statuses;
};

} // namespace peakwatch::ui
