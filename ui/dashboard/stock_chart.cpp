// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "stock_chart.h"

#include "ui_format.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStringBuilder>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace peakwatch::ui {
namespace {

const QColor kColors[] = {QColor(0x1f, 0x6f, 0xeb), QColor(0xd9, 0x4f, 0x00), QColor(0x1a, 0x7f, 0x37),
                          QColor(0x8a, 0x3f, 0xfc), QColor(0xbf, 0x1d, 0x6a), QColor(0x00, 0x7a, 0x8a)};

// Points of one product's line at most: more cost the UI thread layout time and show nothing more at a
// chart's width.
constexpr size_t kMaxLinePoints = 300;

// Keeps, of each of `maxPoints / 2` equal spans of time, the lowest and the highest point (in time order),
// and the first and last points: the shape of the line at a chart's resolution.
std::vector<HistoryPoint> downsampled(const std::vector<HistoryPoint> &points, size_t maxPoints)
{
    if (points.size() <= maxPoints)
        return points;
    std::vector<HistoryPoint> out;
    out.reserve(maxPoints + 2);
    const qint64 first = points.front().atMs;
    const qint64 span = std::max<qint64>(1, points.back().atMs - first);
    const size_t buckets = maxPoints / 2;
    out.push_back(points.front());
    size_t i = 1;
    for (size_t b = 0; b < buckets && i + 1 < points.size(); ++b) {
        const qint64 end = first + qint64(double(span) * double(b + 1) / double(buckets));
        size_t low = i, high = i;
        const size_t start = i;
        while (i + 1 < points.size() && points[i].atMs <= end) {
            if (points[i].quantity < points[low].quantity)
                low = i;
            if (points[i].quantity > points[high].quantity)
                high = i;
            ++i;
        }
        if (i == start)
            continue;
        out.push_back(points[std::min(low, high)]);
        if (low != high)
            out.push_back(points[std::max(low, high)]);
    }
    out.push_back(points.back());
    return out;
}

} // namespace

StockChart::StockChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(360, 220);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                          : QChart::ChartThemeLight);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    m_time = new QDateTimeAxis; // the chart owns its axes and series
    // Whatever moves the axis (the stream, a zoom, a pan): its labels carry the day when it spans more than one,
    // and its title the zone of the times shown.
    connect(m_time, &QDateTimeAxis::rangeChanged, this, [this](const QDateTime &from, const QDateTime &to) {
        m_time->setFormat(from.date() == to.date() ? QStringLiteral("HH:mm") : QStringLiteral("ddd HH:mm"));
        m_time->setTitleText(QStringLiteral("Stream time (%1)").arg(zoneName(to.toMSecsSinceEpoch())));
    });
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTitleText(QStringLiteral("Stream time (%1)").arg(zoneName(QDateTime::currentMSecsSinceEpoch())));
    m_stock = new QValueAxis;
    m_stock->setTitleText(QStringLiteral("Units"));
    m_stock->setLabelFormat(QStringLiteral("%d"));
    chart()->addAxis(m_time, Qt::AlignBottom);
    chart()->addAxis(m_stock, Qt::AlignLeft);
    setToolTip(QStringLiteral("Wheel or drag a rectangle to zoom, right-drag or arrow keys to pan, double-click or "
                              "Home to reset"));
    clearProducts();
}

void StockChart::clearProducts()
{
    chart()->removeAllSeries();
    m_series.clear();
    m_thresholds.clear();
    m_shape.clear();
    m_products = 0;
    m_drawn.clear();
    if (m_zoomed) {
        m_zoomed = false;
        chart()->zoomReset();
    }
    chart()->setTitle(QStringLiteral("Select products to see their stock over time"));
    // The hour before the stream's time (the clock's until the stream has one).
    const qint64 now = m_streamNowMs > 0 ? m_streamNowMs : QDateTime::currentMSecsSinceEpoch();
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(now - 3600000), QDateTime::fromMSecsSinceEpoch(now));
    m_stock->setRange(0, 10);
}

void StockChart::setStreamTime(qint64 nowMs)
{
    m_streamNowMs = nowMs;
    if (m_products == 0 && std::abs(m_time->max().toMSecsSinceEpoch() - nowMs) >= 60000)
        m_time->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - 3600000), QDateTime::fromMSecsSinceEpoch(nowMs));
}

StockChart::Layout StockChart::layOut(const std::vector<ProductHistory> &histories,
                                      const std::vector<ProductSnapshot> &snapshots, qint64 nowMs)
{
    Layout layout;
    auto widen = [&layout](qreal x, qreal y) {
        layout.minX = std::min(layout.minX, x);
        layout.maxX = std::max(layout.maxX, x);
        layout.maxY = std::max(layout.maxY, y);
    };
    for (size_t i = 0; i < histories.size(); ++i) {
        const ProductHistory &h = histories[i];
        if (h.points.empty())
            continue;
        const auto snapshot = std::find_if(snapshots.begin(), snapshots.end(), [&](const ProductSnapshot &s) {
            return s.productId == h.product.productId && s.shop == h.product.shop;
        });
        Drawing d;
        d.color = kColors[i % std::size(kColors)];
        d.name = snapshot != snapshots.end() ? QString::fromUtf8(snapshot->title)
                                             : QStringLiteral("Product %1").arg(h.product.productId);
        // Restocks from the whole history; the line from at most kMaxLinePoints of it.
        for (size_t p = 1; p < h.points.size(); ++p)
            if (h.points[p].quantity > h.points[p - 1].quantity)
                d.restocks.append(QPointF(qreal(h.points[p].atMs), qreal(h.points[p].quantity)));
        const std::vector<HistoryPoint> line = downsampled(h.points, kMaxLinePoints);
        // Stock is a step function: it holds until the next update.
        d.stock.reserve(qsizetype(line.size() * 2 + 1));
        for (size_t p = 0; p < line.size(); ++p) {
            const qreal x = qreal(line[p].atMs);
            const qreal y = qreal(line[p].quantity);
            if (p > 0)
                d.stock.append(QPointF(x, qreal(line[p - 1].quantity)));
            d.stock.append(QPointF(x, y));
            widen(x, y);
        }
        const HistoryPoint &last = h.points.back();
        if (nowMs > last.atMs) {
            d.stock.append(QPointF(qreal(nowMs), qreal(last.quantity)));
            widen(qreal(nowMs), qreal(last.quantity));
        }
        // The predicted path to zero, and its 80 % interval: the band spans the earliest and latest sell-out the
        // forecast gives (an open latest end is drawn to twice the predicted time left, the chart's edge).
        if (snapshot != snapshots.end() && snapshot->selloutAtMs && snapshot->status != ProductStatus::SoldOut &&
            snapshot->quantity > 0) {
            const qreal fromX = qreal(std::max(last.atMs, snapshot->updatedAtMs));
            const qreal q = qreal(snapshot->quantity);
            const qreal point = qreal(*snapshot->selloutAtMs);
            d.path = {QPointF(fromX, q), QPointF(point, 0)};
            if (snapshot->selloutEarliestMs) {
                const qreal early = std::max(fromX, qreal(*snapshot->selloutEarliestMs));
                const qreal late = snapshot->selloutLatestMs ? std::max(point, qreal(*snapshot->selloutLatestMs))
                                                             : point + 2 * (point - fromX);
                d.upper = {QPointF(fromX, q), QPointF(late, 0)};
                d.lower = {QPointF(fromX, q), QPointF(early, 0)};
                widen(late, 0);
            } else {
                widen(point, 0);
            }
        }
        if (std::find(layout.thresholds.begin(), layout.thresholds.end(), h.rules.lowStock) == layout.thresholds.end())
            layout.thresholds.push_back(h.rules.lowStock);
        layout.drawings.push_back(std::move(d));
    }
    return layout;
}

void StockChart::setProducts(const std::vector<ProductHistory> &histories,
                             const std::vector<ProductSnapshot> &snapshots, qint64 nowMs)
{
    Layout layout = layOut(histories, snapshots, nowMs);
    if (layout.drawings.empty()) {
        clearProducts();
        return;
    }
    m_minX = layout.minX;
    m_maxX = layout.maxX;
    m_maxY = layout.maxY;
    m_streamNowMs = nowMs;
    // Other products than those zoomed into: their stock may lie wholly outside the zoomed window, so the
    // view starts again from the whole of it.
    // Products are told apart by shop and id: two of one title are two products.
    QStringList drawn;
    for (const ProductHistory &h : histories)
        drawn << QString::fromUtf8(h.product.shop) % u'/' % QString::number(h.product.productId);
    if (drawn != m_drawn && m_zoomed) {
        m_zoomed = false;
        chart()->zoomReset();
    }
    m_drawn = drawn;
    // The same products drawn the same way: only the points move (far cheaper than new series).
    QStringList shape;
    for (const Drawing &d : layout.drawings)
        shape << d.name << QString::number(d.path.size()) << QString::number(d.restocks.isEmpty());
    for (const qint64 threshold : layout.thresholds)
        shape << QString::number(threshold);
    if (shape != m_shape)
        rebuild(layout);
    m_shape = shape;
    for (size_t i = 0; i < layout.drawings.size(); ++i) {
        const Drawing &d = layout.drawings[i];
        Series &s = m_series[i];
        s.stock->replace(d.stock);
        s.restocks->replace(d.restocks);
        if (s.path) {
            s.upper->replace(d.upper);
            s.lower->replace(d.lower);
            s.path->replace(d.path);
        }
    }
    for (size_t i = 0; i < layout.thresholds.size(); ++i)
        m_thresholds[i]->replace(
            {QPointF(m_minX, qreal(layout.thresholds[i])), QPointF(m_maxX, qreal(layout.thresholds[i]))});
    ++m_redraws;
    if (!m_zoomed)
        fitAxes();
}

void StockChart::rebuild(const Layout &layout)
{
    chart()->removeAllSeries();
    m_series.clear();
    m_thresholds.clear();
    auto attach = [this](QAbstractSeries *series) {
        chart()->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(m_stock);
    };
    for (const Drawing &d : layout.drawings) {
        Series s;
        s.stock = new QLineSeries;
        s.stock->setName(d.name);
        s.stock->setPen(QPen(d.color, 2));
        attach(s.stock);
        s.restocks = new QScatterSeries;
        s.restocks->setName(QStringLiteral("Restock: ") % d.name);
        s.restocks->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        s.restocks->setMarkerSize(11);
        s.restocks->setColor(d.color.lighter(130));
        s.restocks->setBorderColor(d.color.darker(130));
        attach(s.restocks);
        if (d.restocks.isEmpty())
            chart()->legend()->markers(s.restocks).value(0)->setVisible(false);
        if (!d.path.isEmpty()) {
            s.upper = new QLineSeries;
            s.lower = new QLineSeries;
            auto *band = new QAreaSeries(s.upper, s.lower);
            s.upper->setParent(band); // the band does not own its edges: they go with it
            s.lower->setParent(band);
            band->setName(QStringLiteral("80 % interval: ") % d.name);
            QColor fill = d.color;
            fill.setAlpha(45);
            band->setBrush(fill);
            band->setPen(Qt::NoPen);
            attach(band);
            chart()->legend()->markers(band).value(0)->setVisible(false);
            s.path = new QLineSeries;
            s.path->setName(QStringLiteral("Predicted: ") % d.name);
            s.path->setPen(QPen(d.color, 2, Qt::DashLine));
            attach(s.path);
            chart()->legend()->markers(s.path).value(0)->setVisible(false);
        }
        m_series.push_back(s);
    }
    for (const qint64 threshold : layout.thresholds) {
        auto *line = new QLineSeries;
        line->setName(QStringLiteral("Low stock (%1)").arg(threshold));
        line->setPen(QPen(QColor(0xcf, 0x22, 0x2e), 1, Qt::DotLine));
        attach(line);
        m_thresholds.push_back(line);
    }
    m_products = int(layout.drawings.size());
    chart()->setTitle(m_products == 1 ? QString() : QStringLiteral("%1 products").arg(m_products));
}

QList<QAbstractSeries *> StockChart::seriesNamed(const QString &prefix) const
{
    QList<QAbstractSeries *> out;
    for (QAbstractSeries *s : chart()->series())
        if (s->name().startsWith(prefix))
            out.append(s);
    return out;
}

void StockChart::fitAxes()
{
    if (m_products == 0)
        return;
    // An axis moves only when what is drawn no longer fits it or fills too little of it: each change of
    // range lays every series out again, and a time axis creeping on with the stream would do that at every
    // redraw, five times a second.
    const qreal span = std::max<qreal>(m_maxX - m_minX, 60000);
    const qreal from = qreal(m_time->min().toMSecsSinceEpoch());
    const qreal to = qreal(m_time->max().toMSecsSinceEpoch());
    if (from > m_minX || to < m_minX + span || to - from > span * 1.1) {
        m_time->setRange(QDateTime::fromMSecsSinceEpoch(qint64(m_minX)),
                         QDateTime::fromMSecsSinceEpoch(qint64(m_minX + span * 1.05)));
    }
    const qreal top = m_stock->max();
    if (top < m_maxY * 1.02 || top > m_maxY * 2 + 10) {
        m_stock->setRange(0, std::ceil(m_maxY * 1.1));
        m_stock->applyNiceNumbers();
    }
}

void StockChart::resetZoom()
{
    m_zoomed = false;
    chart()->zoomReset();
    fitAxes();
}

void StockChart::wheelEvent(QWheelEvent *event)
{
    const qreal factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    chart()->zoom(factor);
    m_zoomed = true;
    event->accept();
}

void StockChart::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left: chart()->scroll(-width() / 10.0, 0); break;
    case Qt::Key_Right: chart()->scroll(width() / 10.0, 0); break;
    case Qt::Key_Up: chart()->scroll(0, height() / 10.0); break;
    case Qt::Key_Down: chart()->scroll(0, -height() / 10.0); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: chart()->zoom(1.25); break;
    case Qt::Key_Minus: chart()->zoom(0.8); break;
    case Qt::Key_Home: resetZoom(); return;
    default: QChartView::keyPressEvent(event); return;
    }
    m_zoomed = true;
}

void StockChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::RightButton) {
        m_panning = true;
        m_panFrom = event->position().toPoint();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void StockChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint to = event->position().toPoint();
        chart()->scroll(m_panFrom.x() - to.x(), to.y() - m_panFrom.y());
        m_panFrom = to;
        m_zoomed = true;
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void StockChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::RightButton) {
        m_panning = false;
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
    // The rubber band zoomed in, unless it was a click (one that gives the chart the focus for its keys): the chart
    // then goes on following the stream.
    if (event->button() == Qt::LeftButton && chart()->isZoomed())
        m_zoomed = true;
}

void StockChart::mouseDoubleClickEvent(QMouseEvent *event)
{
    resetZoom();
    event->accept();
}

} // namespace peakwatch::ui
