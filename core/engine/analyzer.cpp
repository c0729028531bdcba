// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "analyzer.h"

#include "sellout_forecast.h"

#include <QStringBuilder>

namespace peakwatch {

Analyzer::Analyzer(AlertRules rules, PredictorParams params, size_t maxValueBytes)
    : m_rules(std::move(rules))
    , m_parser(maxValueBytes)
    , m_engine(params)
{}

Analyzer::Outcome Analyzer::process(const RawMessage &message, std::vector<Alert> &alerts)
{
    if (!m_parser.parse(message, m_message, m_rejection)) {
        m_rejects.add(m_rejection.reason, message.partition, message.position, m_rejection.detail,
                      m_partitionNames && message.partition >= 0 ? m_partitionNames(message.partition) : QString());
        return Outcome::Rejected;
    }
    const auto applied = m_engine.apply(m_message, message.partition);
    switch (applied.result) {
    case ApplyResult::Duplicate: ++m_duplicates; return Outcome::Duplicate;
    case ApplyResult::OutOfOrder: ++m_outOfOrder; return Outcome::OutOfOrder;
    case ApplyResult::Waiting: ++m_held; return Outcome::Waiting;
    case ApplyResult::Accepted: break;
    }
    ++m_accepted;
    ++m_acceptedByTopic[size_t(m_message.topic)];
    const auto &params = m_engine.predictorParams();
    for (ProductState *touched : applied.touched) {
        ProductState &state = *touched;
        if (m_trackChanges)
            m_changed.insert(state.key);
        if (!state.tracked) {
            state.alerts.active.fill(false);
            continue;
        }
        const QByteArray &shop = m_engine.shopName(state.key.shop);
        const RuleSet &rules =
            m_rules.ruleSetFor(std::string_view(shop.constData(), size_t(shop.size())), state.key.productId);
        const SelloutForecast forecast =
            forecastSellout(state, m_engine.shopDemand(state), params, state.updatedAtMs, false);
        evaluateAlerts(state, m_stream, shop, rules, forecast, state.alerts, alerts);
    }
    return Outcome::Accepted;
}

ProductSnapshot Analyzer::snapshotOf(const ProductState &state) const
{
    const QByteArray &shop = m_engine.shopName(state.key.shop);
    const RuleSet &rules =
        m_rules.ruleSetFor(std::string_view(shop.constData(), size_t(shop.size())), state.key.productId);
    return makeSnapshot(m_engine, state, rules, m_engine.shopLatestMs(state.key.shop));
}

std::vector<ProductSnapshot> Analyzer::snapshots() const
{
    std::vector<ProductSnapshot> out;
    const auto products = m_engine.sortedProducts();
    out.reserve(products.size());
    for (const ProductState *state : products)
        out.push_back(snapshotOf(*state));
    return out;
}

std::vector<ProductSnapshot> Analyzer::takeChangedSnapshots()
{
    std::vector<ProductSnapshot> out;
    out.reserve(m_changed.size());
    for (const ProductKey &key : m_changed) {
        const QByteArray &shop = m_engine.shopName(key.shop);
        if (const ProductState *state =
                m_engine.find(std::string_view(shop.constData(), size_t(shop.size())), key.productId))
            out.push_back(snapshotOf(*state));
    }
    m_changed.clear();
    return out;
}

size_t Analyzer::dropPartition(int partition)
{
    m_changed.clear();
    return m_engine.dropPartition(partition);
}

QString Analyzer::summary() const
{
    QString text = QStringLiteral("accepted %1, duplicates %2, out of order %3, rejected %4")
                       .arg(m_accepted)
                       .arg(m_duplicates)
                       .arg(m_outOfOrder)
                       .arg(m_rejects.total());
    QStringList reasons;
    for (int i = 0; i < int(RejectReason::Count); ++i)
        if (const qint64 n = m_rejects.count(RejectReason(i)))
            reasons << rejectReasonName(RejectReason(i)) % u' ' % QString::number(n);
    if (!reasons.isEmpty())
        text += QStringLiteral(" (") % reasons.join(QStringLiteral(", ")) % u')';
    const qint64 levels = accepted(ShopifyTopic::InventoryLevelsUpdate);
    const InventoryItems &items = m_engine.items();
    const qint64 orders = accepted(ShopifyTopic::OrdersCreate);
    if (levels == 0 && m_held == 0 && orders == 0 && m_engine.orderLinesHeld() == 0)
        return text;
    text += QStringLiteral("; inventory levels %1").arg(levels);
    if (m_held > 0) {
        text += QStringLiteral(", %1 held until a products/update named their item (%2 still held")
                    .arg(m_held)
                    .arg(items.waiting());
        if (items.dropped() > 0)
            text += QStringLiteral(", %1 dropped: too many held").arg(items.dropped());
        text += u')';
    }
    text += QStringLiteral(", orders %1").arg(orders);
    if (const qint64 held = m_engine.orderLinesHeld()) {
        text += QStringLiteral(" (%1 lines waited for their product's first products/update, %2 still waiting")
                    .arg(held)
                    .arg(m_engine.orderLinesWaiting());
        if (const qint64 dropped = m_engine.orderLinesDropped())
            text += QStringLiteral(", %1 dropped: too many waiting").arg(dropped);
        text += u')';
    }
    return text;
}

} // namespace peakwatch
