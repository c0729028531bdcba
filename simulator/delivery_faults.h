// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_delivery.h"

#include <random>
#include <vector>

namespace peakwatch::sim {

// Shopify's delivery faults, on demand: duplicate deliveries (same webhook id), late and out-of-order
// deliveries (held back behind later ones), and malformed bodies (extra deliveries that are not valid
// JSON, never in place of a real update). Deterministic for a seed. No I/O.
class DeliveryFaults final {
public:
    struct Options {
        double duplicates = 0; // fraction of deliveries delivered again
        double outOfOrder = 0; // fraction held back behind up to maxHold later deliveries
        double malformed = 0;  // fraction followed by an extra malformed delivery
        int maxHold = 20;
        quint64 seed = 1;
    };
    struct Counts {
        qint64 originals = 0;
        qint64 duplicates = 0;
        qint64 late = 0;
        qint64 malformed = 0;
    };

    explicit DeliveryFaults(Options options);

    // Takes the next delivery; appends what goes out now to `out` (nothing, it, or more).
    void push(WebhookDelivery delivery, std::vector<WebhookDelivery> &out);
    // Everything still held back, at the end of a run.
    void flush(std::vector<WebhookDelivery> &out);
    const Counts &counts() const { return m_counts; }
    bool enabled() const;

private:
    struct Held {
        WebhookDelivery delivery;
        int releaseAfter; // deliveries still to go out before this one
    };
    void release(std::vector<WebhookDelivery> &out);

    Options m_options;
    std::mt19937_64 m_rng;
    std::vector<Held> m_held;
    Counts m_counts;
};

} // namespace peakwatch::sim
