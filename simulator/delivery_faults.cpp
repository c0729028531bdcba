// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "delivery_faults.h"

#include <QStringBuilder>

namespace peakwatch::sim {

DeliveryFaults::DeliveryFaults(Options options)
    : m_options(options)
    , m_rng(options.seed)
{}

bool DeliveryFaults::enabled() const
{
    return m_options.duplicates > 0 || m_options.outOfOrder > 0 || m_options.malformed > 0;
}

void DeliveryFaults::release(std::vector<WebhookDelivery> &out)
{
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (--it->releaseAfter < 0) {
            out.push_back(std::move(it->delivery));
            it = m_held.erase(it);
        } else {
            ++it;
        }
    }
}

void DeliveryFaults::push(WebhookDelivery delivery, std::vector<WebhookDelivery> &out)
{
    std::uniform_real_distribution<double> unit(0, 1);
    std::uniform_int_distribution<int> hold(1, std::max(1, m_options.maxHold));
    ++m_counts.originals;

    const bool duplicate = unit(m_rng) < m_options.duplicates;
    const bool late = unit(m_rng) < m_options.outOfOrder;
    const bool malformed = unit(m_rng) < m_options.malformed;

    // Those already held go out first when their turn has come.
    release(out);

    if (duplicate) {
        WebhookDelivery copy = delivery;
        copy.kind = WebhookDelivery::Kind::Duplicate;
        m_held.push_back({std::move(copy), hold(m_rng) - 1});
        ++m_counts.duplicates;
    }
    if (malformed) {
        WebhookDelivery bad = delivery;
        bad.kind = WebhookDelivery::Kind::Malformed;
        bad.webhookId += "-malformed";
        // A body cut short, or with its braces unbalanced: never valid JSON.
        const qsizetype cut =
            qsizetype(std::uniform_int_distribution<qsizetype>(1, std::max<qsizetype>(1, bad.body.size() - 2))(m_rng));
        bad.body =
            unit(m_rng) < 0.5 ? bad.body.left(cut) : "{\"id\":" + QByteArray::number(bad.productId) + ",\"variants\":[";
        out.push_back(std::move(bad));
        ++m_counts.malformed;
    }
    if (late) {
        delivery.kind = WebhookDelivery::Kind::Late;
        m_held.push_back({std::move(delivery), hold(m_rng)});
        ++m_counts.late;
    } else {
        out.push_back(std::move(delivery));
    }
}

void DeliveryFaults::flush(std::vector<WebhookDelivery> &out)
{
    for (Held &h : m_held)
        out.push_back(std::move(h.delivery));
    m_held.clear();
}

} // namespace peakwatch::sim
