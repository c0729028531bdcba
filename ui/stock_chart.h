#pragma once

#include "live_batch.h"

#include <QChartView>

#include <vector>

class QDateTimeAxis;
class QValueAxis;

namespace peakwatch::ui {

// Stock over time of the selected products, each with its predicted path to zero and the uncertainty of
// that path, the low-stock threshold as a line and restocks marked. Local time axis; zoom with the wheel
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
    int productCount() const { return m_products; }
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
    void fitAxes();

    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_stock = nullptr;
    int m_products = 0;
    qreal m_minX = 0, m_maxX = 0, m_maxY = 0;
    bool m_zoomed = false;
    QPoint m_panFrom;
    bool m_panning = false;
};

} // namespace peakwatch::ui
