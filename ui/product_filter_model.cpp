#include "product_filter_model.h"

#include "product_table_model.h"

namespace peakwatch::ui {

ProductFilterModel::ProductFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    m_statuses.set();
    setSortRole(ProductTableModel::SortRole);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ProductFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

void ProductFilterModel::setStatuses(std::bitset<5> shown)
{
    if (shown == m_statuses)
        return;
    m_statuses = shown;
    invalidateFilter();
}

bool ProductFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *products = static_cast<const ProductTableModel *>(sourceModel());
    if (sourceParent.isValid() || !products)
        return false;
    const ProductSnapshot &s = products->snapshot(sourceRow);
    if (!m_statuses.test(size_t(s.status)))
        return false;
    if (m_text.isEmpty())
        return true;
    return QString::fromUtf8(s.title).contains(m_text, Qt::CaseInsensitive) ||
           QString::fromUtf8(s.shop).contains(m_text, Qt::CaseInsensitive);
}

} // namespace peakwatch::ui
