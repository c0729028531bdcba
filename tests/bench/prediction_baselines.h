// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

// What a shop would use to predict a sell-out without Peakwatch, from the same stream of stock updates:
//  - the run rate since the product was first seen (units sold / time, as Shopify's sales reports give it);
//  - the least-squares gradient of the stock over its last 10 updates (the original Spark job's "gradient");
//  - the product's own moving rate: units sold in the last 15 minutes.
// Each gives a rate in units an hour, or nothing; the sell-out time is then the last update + stock / rate.
#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>

namespace peakwatch::bench {

class PredictionBaselines final {
public:
    static constexpr int kGradientPoints = 10;
    static constexpr qint64 kMovingWindowMs = 15 * 60 * 1000;

    void observe(qint64 atMs, qint64 quantity)
    {
        if (m_points.empty())
            m_firstAtMs = atMs;
        else if (const qint64 sold = m_points.back().second - quantity; sold > 0) {
            m_unitsSold += sold;
            m_sales.emplace_back(atMs, sold);
        }
        m_points.emplace_back(atMs, quantity);
        if (m_points.size() > size_t(kGradientPoints))
            m_points.pop_front();
    }

    qint64 lastAtMs() const { return m_points.empty() ? 0 : m_points.back().first; }
    qint64 quantity() const { return m_points.empty() ? 0 : m_points.back().second; }

    std::optional<double> runRatePerHour(qint64 nowMs) const
    {
        if (m_points.empty() || m_unitsSold == 0 || nowMs <= m_firstAtMs)
            return std::nullopt;
        return double(m_unitsSold) / hours(nowMs - m_firstAtMs);
    }

    std::optional<double> gradientPerHour() const
    {
        if (m_points.size() < 2)
            return std::nullopt;
        double meanT = 0, meanQ = 0;
        for (const auto &[t, q] : m_points) {
            meanT += hours(t - m_points.front().first);
            meanQ += double(q);
        }
        meanT /= double(m_points.size());
        meanQ /= double(m_points.size());
        double sxy = 0, sxx = 0;
        for (const auto &[t, q] : m_points) {
            const double x = hours(t - m_points.front().first) - meanT;
            sxy += x * (double(q) - meanQ);
            sxx += x * x;
        }
        if (sxx <= 0 || sxy >= 0)
            return std::nullopt;
        return -sxy / sxx;
    }

    std::optional<double> movingRatePerHour(qint64 nowMs)
    {
        while (!m_sales.empty() && m_sales.front().first <= nowMs - kMovingWindowMs)
            m_sales.pop_front();
        qint64 units = 0;
        for (const auto &sale : m_sales)
            units += sale.second;
        if (units == 0)
            return std::nullopt;
        return double(units) / hours(kMovingWindowMs);
    }

    // Last update + stock / rate.
    std::optional<qint64> selloutAtMs(std::optional<double> ratePerHour) const
    {
        if (!ratePerHour || !(*ratePerHour > 0) || quantity() <= 0)
            return std::nullopt;
        const double h = double(quantity()) / *ratePerHour;
        if (h > 24.0 * 365)
            return std::nullopt;
        return lastAtMs() + qint64(std::llround(h * 3600000.0));
    }

private:
    static double hours(qint64 ms) { return double(ms) / 3600000.0; }

    std::deque<std::pair<qint64, qint64>> m_points; // (at, quantity), the last kGradientPoints
    std::deque<std::pair<qint64, qint64>> m_sales;  // (at, units), the last kMovingWindowMs or more
    qint64 m_firstAtMs = 0;
    qint64 m_unitsSold = 0;
};

} // namespace peakwatch::bench
