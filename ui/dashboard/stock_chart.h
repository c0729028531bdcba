// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QChartView>

#include <QColor>
#include <QPointF>
#include <QStringList>

#include <limits>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace peakwatch::ui {

// Stock over time of the selected products, each with its predicted path to zero and the uncertainty of
// that path, the low-stock threshold as a line and restocks marked. The stream's time on the axis; zoom with the wheel
// or a rubber band, pan by dragging with the right button or with the arrow keys, reset with Home or a
// double click.
class StockChart final : public QChartView {
    Q_OBJECT
public:
    explicit StockChart(QWidget *parent = nullptr);

    // The products shown, with their latest snapshots (for the prediction). Replaces every series.
    void setProducts(const std::vector<ProductHistory> &histories, const std::vector<ProductSnapshot> &snapshots,
                     qint64 nowMs);
    void clearProducts();
    // The stream's time, where an empty chart's axis ends (moved a minute at a time).
    void setStreamTime(qint64 nowMs);
    int productCount() const { return m_products; }
    int redraws() const { return m_redraws; } // setProducts() calls that drew something
    void resetZoom();
    // Series the chart holds, by role, for tests and export.
    QList<QAbstractSeries *> seriesNamed(const QString &prefix) const;

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    // What one product's series show: computed first, then given to new or existing series.
    struct Drawing {
        QString name;
        QColor color;
        QList<QPointF> stock, restocks, upper, lower, path; // path empty: no prediction
    };
    struct Layout {
        std::vector<Drawing> drawings;
        std::vector<qint64> thresholds;
        qreal minX = std::numeric_limits<qreal>::max(), maxX = std::numeric_limits<qreal>::lowest(), maxY = 1;
    };
    struct Series {
        QLineSeries *stock = nullptr;
        QScatterSeries *restocks = nullptr;
        QLineSeries *upper = nullptr, *lower = nullptr, *path = nullptr;
    };
    static Layout layOut(const std::vector<ProductHistory> &histories, const std::vector<ProductSnapshot> &snapshots,
                         qint64 nowMs);
    void rebuild(const Layout &layout);
    void fitAxes();

    std::vector<Series> m_series; // owned by the chart
    std::vector<QLineSeries *> m_thresholds;
    QStringList m_shape; // what the series were built for
    int m_redraws = 0;

    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_stock = nullptr;
    int m_products = 0;
    qreal m_minX = 0, m_maxX = 0, m_maxY = 0;
    bool m_zoomed = false;
    QStringList m_drawn; // the products drawn, as "shop/id"
    qint64 m_streamNowMs = 0;
    QPoint m_panFrom;
    bool m_panning = false;
};

} // namespace peakwatch::ui
