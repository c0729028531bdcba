// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "rule_overrides_model.h"

#include "shopify_admin.h"

#include <QApplication>
#include <QIcon>
#include <QPalette>
#include <QRegularExpression>
#include <QStringBuilder>
#include <QStyle>

#include <algorithm>

namespace peakwatch::ui {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;

// What a user pastes as a shop, as the webhooks name it: "https://A.myshopify.com/" is a.myshopify.com.
QString normalizedShop(const QString &text)
{
    QString shop = text.trimmed().toLower();
    for (const QLatin1StringView scheme : {QLatin1StringView("https://"), QLatin1StringView("http://")})
        if (shop.startsWith(scheme))
            shop.remove(0, scheme.size());
    while (shop.endsWith(u'/'))
        shop.chop(1);
    return shop;
}

QString minutesCell(qint64 minutes)
{
    return QStringLiteral("%1 min").arg(minutes);
}

} // namespace

RuleOverridesModel::RuleOverridesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

bool RuleOverridesModel::isCell(const QModelIndex &index) const
{
    // Not checkIndex(): views and the model tester ask about invalid indexes, which is no mistake.
    return index.isValid() && index.model() == this && index.row() < rowCount() && index.column() < ColumnCount;
}

std::optional<qint64> RuleOverridesModel::parseProductId(const QString &text)
{
    static const QRegularExpression embedded(QStringLiteral("^(?:gid://shopify/Product/|\\S*/products/)(\\d+)/?$"));
    QString digits = text.trimmed();
    if (const auto match = embedded.match(digits); match.hasMatch())
        digits = match.captured(1);
    if (digits.isEmpty() || digits.size() > 19 ||
        !std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    bool ok = false;
    const qint64 id = digits.toLongLong(&ok); // integer parsing: exact for every qint64
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}

void RuleOverridesModel::setOverrides(const std::vector<AlertRules::Override> &overrides, const RuleSet &defaults)
{
    beginResetModel();
    m_rows.clear();
    for (const AlertRules::Override &o : overrides) {
        Row row;
        row.shop = QString::fromUtf8(o.shop);
        row.productId = o.productId != 0 ? QString::number(o.productId) : QString();
        row.lowStock = o.rules.lowStock;
        row.horizonMinutes = o.rules.horizonMs / kMinuteMs;
        row.cooldownMinutes = o.rules.cooldownMs / kMinuteMs;
        if (o.rules.enabled != defaults.enabled)
            row.enabled = o.rules.enabled;
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

void RuleOverridesModel::applyTo(AlertRules &rules) const
{
    rules.clearOverrides();
    for (int i = 0; i < rowCount(); ++i) {
        if (!problem(i).isEmpty())
            continue;
        const Row &row = m_rows[size_t(i)];
        RuleSet set;
        set.lowStock = row.lowStock;
        set.horizonMs = row.horizonMinutes * kMinuteMs;
        set.cooldownMs = row.cooldownMinutes * kMinuteMs;
        set.enabled = row.enabled.value_or(rules.defaults().enabled);
        const qint64 productId = row.productId.isEmpty() ? 0 : parseProductId(row.productId).value_or(0);
        rules.setOverride(row.shop.toUtf8(), productId, set);
    }
}

int RuleOverridesModel::addRow(const RuleSet &values)
{
    const int at = rowCount();
    beginInsertRows({}, at, at);
    Row row;
    row.lowStock = values.lowStock;
    row.horizonMinutes = values.horizonMs / kMinuteMs;
    row.cooldownMinutes = values.cooldownMs / kMinuteMs;
    m_rows.push_back(std::move(row));
    endInsertRows();
    return at;
}

QString RuleOverridesModel::problem(int rowNumber, int *column) const
{
    if (rowNumber < 0 || rowNumber >= rowCount())
        return {};
    auto fault = [&](int at, const QString &text) -> QString {
        if (column)
            *column = at;
        return text;
    };
    const Row &row = m_rows[size_t(rowNumber)];
    if (row.shop.isEmpty() && row.productId.isEmpty())
        return fault(Shop, QStringLiteral("give a shop domain, a product ID or both."));
    if (!row.shop.isEmpty() && !isShopDomain(row.shop))
        return fault(Shop, QStringLiteral("“") % row.shop %
                               QStringLiteral("” is not a shop domain; write it in full, like "
                                              "my-store.myshopify.com."));
    std::optional<qint64> id;
    if (!row.productId.isEmpty()) {
        id = parseProductId(row.productId);
        if (!id)
            return fault(ProductId, QStringLiteral("“") % row.productId %
                                        QStringLiteral("” is not a product ID; it is the number at the end of the "
                                                       "product's admin address, like 8841726390317."));
    }
    for (int other = 0; other < rowNumber; ++other) {
        const Row &earlier = m_rows[size_t(other)];
        if (earlier.shop != row.shop)
            continue;
        const std::optional<qint64> earlierId =
            earlier.productId.isEmpty() ? std::optional<qint64>(0) : parseProductId(earlier.productId);
        if (earlierId && *earlierId == id.value_or(0))
            return fault(
                row.productId.isEmpty() ? Shop : ProductId,
                QStringLiteral("names the same shop and product as row %1; remove one of them.").arg(other + 1));
    }
    return {};
}

QStringList RuleOverridesModel::problems() const
{
    QStringList out;
    for (int i = 0; i < rowCount(); ++i)
        if (const QString text = problem(i); !text.isEmpty())
            out.append(QStringLiteral("Row %1: ").arg(i + 1) % text);
    return out;
}

int RuleOverridesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RuleOverridesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RuleOverridesModel::data(const QModelIndex &index, int role) const
{
    if (!isCell(index))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Shop: return row.shop.isEmpty() ? QStringLiteral("Any shop") : row.shop;
        case ProductId: return row.productId.isEmpty() ? QStringLiteral("Any product") : row.productId;
        case LowStock: return QString::number(row.lowStock);
        case Horizon: return minutesCell(row.horizonMinutes);
        case Cooldown: return minutesCell(row.cooldownMinutes);
        default: return {};
        }
    case Qt::EditRole:
        switch (column) {
        case Shop: return row.shop;
        case ProductId: return row.productId;
        case LowStock: return row.lowStock;
        case Horizon: return row.horizonMinutes;
        case Cooldown: return row.cooldownMinutes;
        default: return {};
        }
    case Qt::ForegroundRole:
        if ((column == Shop && row.shop.isEmpty()) || (column == ProductId && row.productId.isEmpty()))
            return QApplication::palette().brush(QPalette::PlaceholderText);
        return {};
    case Qt::DecorationRole: {
        int at = -1;
        if (!problem(index.row(), &at).isEmpty() && at == column)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    }
    case Qt::TextAlignmentRole:
        if (column != Shop)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ToolTipRole: {
        if (const QString text = problem(index.row()); !text.isEmpty())
            return QString(text.left(1).toUpper() % text.mid(1));
        const QString product =
            row.productId.isEmpty() ? QStringLiteral("Every product") : QStringLiteral("Product ") % row.productId;
        const QString shop = row.shop.isEmpty() ? QStringLiteral("any shop") : row.shop;
        QString tip = product % QStringLiteral(" of ") % shop %
                      QStringLiteral(": low stock at %1 units or fewer, selling-out alert %2 minutes ahead, "
                                     "at most one alert of a kind every %3 minutes.")
                          .arg(row.lowStock)
                          .arg(row.horizonMinutes)
                          .arg(row.cooldownMinutes);
        if (row.enabled) {
            QStringList on;
            for (size_t i = 0; i < kAlertRuleCount; ++i)
                if ((*row.enabled)[i])
                    on.append(alertRuleName(AlertRule(i)));
            tip += QStringLiteral("\nThe rules file turns on only these alerts for it: ") %
                   (on.isEmpty() ? QStringLiteral("none") : on.join(QStringLiteral(", "))) % u'.';
        }
        return tip;
    }
    case ProblemRole: return problem(index.row());
    default: return {};
    }
}

bool RuleOverridesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !isCell(index))
        return false;
    Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    if (column == Shop || column == ProductId) {
        // Keys: a change may make another row valid or invalid (the same shop and product twice).
        QString text = value.toString().trimmed();
        if (column == Shop)
            text = normalizedShop(text);
        else if (const auto id = parseProductId(text))
            text = QString::number(*id); // "gid://shopify/Product/42" is 42
        QString &field = column == Shop ? row.shop : row.productId;
        if (field == text)
            return true;
        field = text;
        Q_EMIT dataChanged(this->index(0, 0), this->index(rowCount() - 1, ColumnCount - 1));
        return true;
    }
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    const qint64 max = column == LowStock ? kMaxLowStock : kMaxMinutes;
    if (!ok || number < 0 || number > max)
        return false;
    qint64 &field = column == LowStock ? row.lowStock : column == Horizon ? row.horizonMinutes : row.cooldownMinutes;
    if (field != number) {
        field = number;
        Q_EMIT dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
    }
    return true;
}

Qt::ItemFlags RuleOverridesModel::flags(const QModelIndex &index) const
{
    if (!isCell(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QVariant RuleOverridesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
            return section + 1;
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Shop: return QStringLiteral("Shop");
        case ProductId: return QStringLiteral("Product ID");
        case LowStock: return QStringLiteral("Low stock");
        case Horizon: return QStringLiteral("Horizon");
        case Cooldown: return QStringLiteral("Cooldown");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Shop: return QStringLiteral("The shop's myshopify.com domain; empty for the product in any shop");
        case ProductId:
            return QStringLiteral("The product's ID, the number at the end of its admin address; empty for every "
                                  "product of the shop");
        case LowStock: return QStringLiteral("The low stock alert fires at this many units or fewer");
        case Horizon:
            return QStringLiteral("The selling out alert fires when the product will sell out within this many "
                                  "minutes");
        case Cooldown:
            return QStringLiteral("A restocked product's alerts stay in one thread until it has been calm this long");
        default: return {};
        }
    }
    return {};
}

bool RuleOverridesModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
    endRemoveRows();
    // Rows below moved up: their numbers, and duplicates named by number, changed.
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    return true;
}

} // namespace peakwatch::ui
