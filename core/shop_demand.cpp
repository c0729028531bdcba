#include "shop_demand.h"

#include <algorithm>
#include <cmath>

namespace peakwatch {
namespace {
constexpr double kOrderSizeSmoothing = 0.02; // each sale moves the order-size moments by 2 %
constexpr double kMilli = 1000;              // the rate estimator counts whole units: feed it thousandths
} // namespace

PredictorParams ShopDemand::shopParams(const PredictorParams &params)
{
    PredictorParams shop = params;
    shop.windowMs = params.shopWindowMs;
    shop.silentWindows =
        std::max(params.silentWindows, int(params.shareWindowMs / std::max<qint64>(1, params.shopWindowMs)) + 1);
    return shop;
}

void ShopDemand::observe(qint64 atMs, const PredictorParams &params)
{
    if (m_seen)
        return;
    m_seen = true;
    m_lastAtMs = atMs;
    m_rate.observe(atMs, 0, shopParams(params));
}

void ShopDemand::observeSale(qint64 atMs, qint64 units, const PredictorParams &params)
{
    observe(atMs, params);
    if (units <= 0)
        return;
    const double u = double(units);
    if (m_cumulative == 0) {
        m_units1 = u;
        m_units2 = u * u;
    } else {
        m_units1 += kOrderSizeSmoothing * (u - m_units1);
        m_units2 += kOrderSizeSmoothing * (u * u - m_units2);
    }
    m_cumulative += u;
    m_demand += u / inStockShare();
    // The shop's products each keep their own clock (Shopify's updated_at), so its sales arrive a little out of
    // time order: the shop's clock only moves forward.
    m_lastAtMs = std::max(m_lastAtMs, atMs);
    m_rate.observe(m_lastAtMs, -qint64(std::llround(m_demand * kMilli)), shopParams(params));
}

double ShopDemand::inStockShare() const
{
    constexpr double kFloor = 0.05; // never read a sale as more than 20 times its demand
    if (!(m_shareAll > 0))
        return 1;
    return std::clamp(m_shareInStock / m_shareAll, kFloor, 1.0);
}

void ShopDemand::updateProduct(double oldShare, bool oldInStock, double newShare, bool newInStock)
{
    m_shareAll += newShare - oldShare;
    m_shareInStock += (newInStock ? newShare : 0) - (oldInStock ? oldShare : 0);
    m_shareAll = std::max(0.0, m_shareAll);
    m_shareInStock = std::clamp(m_shareInStock, 0.0, m_shareAll);
}

std::optional<double> ShopDemand::demandPerHour(qint64 nowMs, const PredictorParams &params) const
{
    const auto rate = m_rate.ratePerHour(nowMs, shopParams(params));
    return rate ? std::optional<double>(*rate / kMilli) : std::nullopt;
}

} // namespace peakwatch
