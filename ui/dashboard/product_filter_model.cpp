// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "product_filter_model.h"

#include "product_table_model.h"

#include <algorithm>
#include <limits>

namespace peakwatch::ui {
namespace {

constexpr double kLast = std::numeric_limits<double>::infinity(); // products without the figure sort last

// The figure a numeric column sorts by; lower comes first in ascending order.
double sortKey(const ProductSnapshot &s, int column)
{
    switch (column) {
    case ProductTableModel::ProductId: return double(s.productId);
    case ProductTableModel::Stock: return s.status == ProductStatus::Untracked ? kLast : double(s.quantity);
    case ProductTableModel::ChangePerHour: return -s.ratePerHour.value_or(0); // selling fastest first
    case ProductTableModel::SelloutIn:
    case ProductTableModel::SelloutAt: {
        // The urgent first: products still in stock by their predicted sell-out, soonest first; then those
        // already sold out, the latest first; then those with no sell-out in sight. Event times in
        // milliseconds stay below 2^43, so a tier of 2^45 keeps them apart and exact.
        constexpr double kTier = 35184372088832.0; // 2^45
        if (s.status == ProductStatus::SoldOut)
            return kTier - double(s.selloutAtMs.value_or(0));
        return s.selloutAtMs ? double(*s.selloutAtMs) - kTier : kLast;
    }
    case ProductTableModel::Price: return s.hasPrice ? double(s.minPrice) : kLast;
    case ProductTableModel::Status: return s.status == ProductStatus::Untracked ? -1 : int(s.status);
    }
    return 0;
}

} // namespace

ProductFilterModel::ProductFilterModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_statuses.set();
}

void ProductFilterModel::setSourceModel(QAbstractItemModel *source)
{
    beginResetModel();
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(source);
    m_products = static_cast<const ProductTableModel *>(source);
    m_foldedTitles.clear();
    if (source) {
        connect(source, &QAbstractItemModel::dataChanged, this, &ProductFilterModel::onDataChanged);
        connect(source, &QAbstractItemModel::rowsInserted, this, &ProductFilterModel::onRowsInserted);
        connect(source, &QAbstractItemModel::modelAboutToBeReset, this, &ProductFilterModel::beginResetModel);
        connect(source, &QAbstractItemModel::modelReset, this, [this] {
            m_foldedTitles.clear();
            rebuild();
            endResetModel();
        });
        // The product table only appends and resets; anything else is taken as a reset.
        connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this, &ProductFilterModel::beginResetModel);
        connect(source, &QAbstractItemModel::rowsRemoved, this, [this] {
            m_foldedTitles.clear();
            rebuild();
            endResetModel();
        });
        connect(source, &QAbstractItemModel::layoutChanged, this,
                [this] { relayout(QAbstractItemModel::NoLayoutChangeHint); });
    }
    rebuild();
    endResetModel();
}

void ProductFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    bool isNumber = false;
    const qint64 id = text.trimmed().toLongLong(&isNumber);
    m_idText = isNumber ? std::optional<qint64>(id) : std::nullopt;
    relayout(QAbstractItemModel::NoLayoutChangeHint);
}

void ProductFilterModel::setStatuses(std::bitset<5> shown)
{
    if (shown == m_statuses)
        return;
    m_statuses = shown;
    relayout(QAbstractItemModel::NoLayoutChangeHint);
}

void ProductFilterModel::refresh()
{
    const bool filtered = !m_text.isEmpty() || !m_statuses.all();
    if (!filtered && m_sortColumn < 0)
        return; // nothing can have moved
    relayout(filtered ? QAbstractItemModel::NoLayoutChangeHint : QAbstractItemModel::VerticalSortHint);
}

void ProductFilterModel::sort(int column, Qt::SortOrder order)
{
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    relayout(QAbstractItemModel::VerticalSortHint);
}

QModelIndex ProductFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex ProductFilterModel::parent(const QModelIndex &) const
{
    return {};
}

int ProductFilterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sourceRows.size());
}

int ProductFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

bool ProductFilterModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_sourceRows.empty();
}

QModelIndex ProductFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel() || size_t(proxyIndex.row()) >= m_sourceRows.size())
        return {};
    return sourceModel()->index(m_sourceRows[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex ProductFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || size_t(sourceIndex.row()) >= m_proxyRows.size())
        return {};
    const int row = m_proxyRows[size_t(sourceIndex.row())];
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

void ProductFilterModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                       const QList<int> &roles)
{
    if (m_sourceRows.empty())
        return;
    // Rows keep their place until the next refresh: only the span of proxy rows they occupy repaints.
    int first = std::numeric_limits<int>::max(), last = -1;
    if (topLeft.row() == 0 && size_t(bottomRight.row()) + 1 >= m_proxyRows.size()) {
        first = 0;
        last = rowCount() - 1;
    } else {
        for (int source = topLeft.row(); source <= bottomRight.row(); ++source) {
            const int row = m_proxyRows[size_t(source)];
            if (row >= 0) {
                first = std::min(first, row);
                last = std::max(last, row);
            }
        }
    }
    if (last >= 0)
        Q_EMIT dataChanged(index(first, topLeft.column()), index(last, bottomRight.column()), roles);
}

void ProductFilterModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    // New products join at the end; the next refresh puts them in their sorted place.
    m_proxyRows.resize(size_t(last) + 1, -1);
    std::vector<int> accepted;
    for (int source = first; source <= last; ++source)
        if (accepts(source))
            accepted.push_back(source);
    if (accepted.empty())
        return;
    const int at = rowCount();
    beginInsertRows({}, at, at + int(accepted.size()) - 1);
    for (const int source : accepted) {
        m_proxyRows[size_t(source)] = int(m_sourceRows.size());
        m_sourceRows.push_back(source);
    }
    endInsertRows();
}

void ProductFilterModel::rebuild()
{
    const int sources = m_products ? m_products->rowCount() : 0;
    m_sourceRows.clear();
    m_sourceRows.reserve(size_t(sources));
    for (int source = 0; source < sources; ++source)
        if (accepts(source))
            m_sourceRows.push_back(source);
    sortRows(m_sourceRows);
    m_proxyRows.assign(size_t(sources), -1);
    for (size_t row = 0; row < m_sourceRows.size(); ++row)
        m_proxyRows[size_t(m_sourceRows[row])] = int(row);
}

void ProductFilterModel::relayout(QAbstractItemModel::LayoutChangeHint hint)
{
    Q_EMIT layoutAboutToBeChanged({}, hint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> sourceOf;
    sourceOf.reserve(size_t(before.size()));
    for (const QModelIndex &index : before)
        sourceOf.push_back(m_sourceRows[size_t(index.row())]);
    rebuild();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int row =
            size_t(sourceOf[size_t(i)]) < m_proxyRows.size() ? m_proxyRows[size_t(sourceOf[size_t(i)])] : -1;
        after.append(row < 0 ? QModelIndex() : createIndex(row, before[i].column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, hint);
}

bool ProductFilterModel::accepts(int sourceRow) const
{
    const ProductSnapshot &s = m_products->snapshot(sourceRow);
    if (!m_statuses.test(size_t(s.status)))
        return false;
    if (m_text.isEmpty())
        return true;
    return QString::fromUtf8(s.title).contains(m_text, Qt::CaseInsensitive) ||
           QString::fromUtf8(s.shop).contains(m_text, Qt::CaseInsensitive) ||
           QString::fromUtf8(s.handle).contains(m_text, Qt::CaseInsensitive) || (m_idText && s.productId == *m_idText);
}

void ProductFilterModel::sortRows(std::vector<int> &rows)
{
    if (m_sortColumn < 0 || !m_products)
        return;
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    // Ties keep the order products were first seen in, either way round, so equal rows never swap.
    if (m_sortColumn == ProductTableModel::Title || m_sortColumn == ProductTableModel::Shop ||
        m_sortColumn == ProductTableModel::Handle) {
        if (m_sortColumn == ProductTableModel::Title) {
            m_foldedTitles.resize(size_t(m_products->rowCount()));
            for (const int row : rows) {
                auto &[raw, folded] = m_foldedTitles[size_t(row)];
                const QByteArray &title = m_products->snapshot(row).title;
                if (raw != title || raw.isNull()) {
                    raw = title;
                    folded = QString::fromUtf8(title).toCaseFolded();
                }
            }
        }
        auto text = [this](int row) -> QStringView { return m_foldedTitles[size_t(row)].second; };
        const bool byTitle = m_sortColumn == ProductTableModel::Title;
        const bool byShop = m_sortColumn == ProductTableModel::Shop;
        std::sort(rows.begin(), rows.end(), [&](int a, int b) {
            const ProductSnapshot &sa = m_products->snapshot(a), &sb = m_products->snapshot(b);
            const int order = byTitle  ? text(a).compare(text(b))
                              : byShop ? sa.shop.compare(sb.shop)
                                       : sa.handle.compare(sb.handle);
            if (order != 0)
                return descending ? order > 0 : order < 0;
            return a < b;
        });
        return;
    }
    std::vector<std::pair<double, int>> keyed;
    keyed.reserve(rows.size());
    for (const int row : rows)
        keyed.emplace_back(sortKey(m_products->snapshot(row), m_sortColumn), row);
    std::sort(keyed.begin(), keyed.end(), [descending](const auto &a, const auto &b) {
        if (a.first != b.first)
            return descending ? a.first > b.first : a.first < b.first;
        return a.second < b.second;
    });
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i] = keyed[i].second;
}

} // namespace peakwatch::ui
