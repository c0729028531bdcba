#include "stock_chart.h"

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

// How uncertain a prediction is: the rate's relative error, from the confidence (0..1).
double relativeSpread(double confidence)
{
    return std::clamp(0.6 * (1.0 - confidence) + 0.1, 0.1, 0.7);
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
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTitleText(QStringLiteral("Local time"));
    m_stock = new QValueAxis;
    m_stock->setTitleText(QStringLiteral("Units in stock"));
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
    m_products = 0;
    chart()->setTitle(QStringLiteral("Select products to see their stock over time"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(now - 3600000), QDateTime::fromMSecsSinceEpoch(now));
    m_stock->setRange(0, 10);
}

void StockChart::setProducts(const std::vector<ProductHistory> &histories,
                             const std::vector<ProductSnapshot> &snapshots, qint64 nowMs)
{
    chart()->removeAllSeries();
    m_products = 0;
    m_minX = std::numeric_limits<qreal>::max();
    m_maxX = std::numeric_limits<qreal>::lowest();
    m_maxY = 1;
    auto widen = [this](qreal x, qreal y) {
        m_minX = std::min(m_minX, x);
        m_maxX = std::max(m_maxX, x);
        m_maxY = std::max(m_maxY, y);
    };
    auto attach = [this](QAbstractSeries *series) {
        chart()->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(m_stock);
    };
    std::vector<qint64> thresholds;
    for (size_t i = 0; i < histories.size(); ++i) {
        const ProductHistory &h = histories[i];
        if (h.points.empty())
            continue;
        const auto snapshot = std::find_if(snapshots.begin(), snapshots.end(), [&](const ProductSnapshot &s) {
            return s.productId == h.product.productId && s.shop == h.product.shop;
        });
        const QColor color = kColors[i % std::size(kColors)];
        const QString name = snapshot != snapshots.end() ? QString::fromUtf8(snapshot->title)
                                                         : QStringLiteral("Product %1").arg(h.product.productId);

        // Stock is a step function: it holds until the next update.
        auto *stock = new QLineSeries;
        stock->setName(name);
        stock->setPen(QPen(color, 2));
        auto *restocks = new QScatterSeries;
        restocks->setName(QStringLiteral("Restock: ") % name);
        restocks->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        restocks->setMarkerSize(11);
        restocks->setColor(color.lighter(130));
        restocks->setBorderColor(color.darker(130));
        QList<QPointF> points;
        points.reserve(qsizetype(h.points.size() * 2 + 1));
        QList<QPointF> restockPoints;
        for (size_t p = 0; p < h.points.size(); ++p) {
            const qreal x = qreal(h.points[p].atMs);
            const qreal y = qreal(h.points[p].quantity);
            if (p > 0) {
                points.append(QPointF(x, qreal(h.points[p - 1].quantity)));
                if (h.points[p].quantity > h.points[p - 1].quantity)
                    restockPoints.append(QPointF(x, y));
            }
            points.append(QPointF(x, y));
            widen(x, y);
        }
        const HistoryPoint &last = h.points.back();
        if (nowMs > last.atMs) {
            points.append(QPointF(qreal(nowMs), qreal(last.quantity)));
            widen(qreal(nowMs), qreal(last.quantity));
        }
        stock->replace(points);
        attach(stock);
        restocks->replace(restockPoints);
        attach(restocks);
        if (restockPoints.isEmpty())
            chart()->legend()->markers(restocks).value(0)->setVisible(false);

        // The predicted path to zero, and how uncertain it is.
        if (snapshot != snapshots.end() && snapshot->selloutAtMs && snapshot->status != ProductStatus::SoldOut &&
            snapshot->quantity > 0 && snapshot->ratePerHour && *snapshot->ratePerHour > 0) {
            const qreal fromX = qreal(std::max(last.atMs, snapshot->updatedAtMs));
            const qreal q = qreal(snapshot->quantity);
            const double hoursLeft = double(snapshot->quantity) / *snapshot->ratePerHour;
            const double spread = relativeSpread(snapshot->confidence);
            const qreal early = fromX + hoursLeft / (1 + spread) * 3600000.0;
            const qreal late = fromX + hoursLeft / (1 - spread) * 3600000.0;
            auto *upper = new QLineSeries;
            upper->append(fromX, q);
            upper->append(late, 0);
            auto *lower = new QLineSeries;
            lower->append(fromX, q);
            lower->append(early, 0);
            auto *band = new QAreaSeries(upper, lower);
            upper->setParent(band); // the band does not own its edges: they go with it
            lower->setParent(band);
            band->setName(QStringLiteral("Uncertainty: ") % name);
            QColor fill = color;
            fill.setAlpha(45);
            band->setBrush(fill);
            band->setPen(Qt::NoPen);
            attach(band);
            chart()->legend()->markers(band).value(0)->setVisible(false);
            auto *path = new QLineSeries;
            path->setName(QStringLiteral("Predicted: ") % name);
            path->setPen(QPen(color, 2, Qt::DashLine));
            path->append(fromX, q);
            path->append(qreal(*snapshot->selloutAtMs), 0);
            attach(path);
            chart()->legend()->markers(path).value(0)->setVisible(false);
            widen(late, 0);
        }
        if (std::find(thresholds.begin(), thresholds.end(), h.rules.lowStock) == thresholds.end())
            thresholds.push_back(h.rules.lowStock);
        ++m_products;
    }
    if (m_products == 0) {
        clearProducts();
        return;
    }
    for (const qint64 threshold : thresholds) {
        auto *line = new QLineSeries;
        line->setName(QStringLiteral("Low stock (%1)").arg(threshold));
        QPen pen(QColor(0xcf, 0x22, 0x2e), 1, Qt::DotLine);
        line->setPen(pen);
        line->append(m_minX, qreal(threshold));
        line->append(m_maxX, qreal(threshold));
        attach(line);
    }
    chart()->setTitle(m_products == 1 ? QString() : QStringLiteral("%1 products").arg(m_products));
    if (!m_zoomed)
        fitAxes();
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
    const qreal span = std::max<qreal>(m_maxX - m_minX, 60000);
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(qint64(m_minX)),
                     QDateTime::fromMSecsSinceEpoch(qint64(m_minX + span * 1.02)));
    m_time->setFormat(span > 36 * 3600000.0 ? QStringLiteral("ddd HH:mm") : QStringLiteral("HH:mm"));
    m_stock->setRange(0, std::ceil(m_maxY * 1.1));
    m_stock->applyNiceNumbers();
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
    if (event->button() == Qt::LeftButton)
        m_zoomed = true; // the rubber band zoomed in
    QChartView::mouseReleaseEvent(event);
}

void StockChart::mouseDoubleClickEvent(QMouseEvent *event)
{
    resetZoom();
    event->accept();
}

} // namespace peakwatch::ui
