// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_config.h"
#include "simulator_controller.h"

#include <QList>
#include <QPointF>
#include <QWidget>

class QButtonGroup;
class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QValueAxis;

namespace peakwatch::ui {

// The load simulator: a form for the scenario, the target (this connection, or an HTTP endpoint and its
// signing secret), the rate and duration; Start and Stop; live charts of the achieved rate and latency;
// live counters; and the report when the run ends. The run itself belongs to controller().
class SimulatorView final : public QWidget {
    Q_OBJECT
public:
    explicit SimulatorView(QWidget *parent = nullptr);
    ~SimulatorView() override;
    Q_DISABLE_COPY_MOVE(SimulatorView)

    // The connection "This connection" sends to (empty bootstrap servers: none).
    void setConnection(const QString &bootstrapServers, const peakwatch::KafkaProperties &properties,
                       const QString &topic);
    // Chooses a scenario file, as "From file…" does after its dialog.
    void setScenarioFile(const QString &path);
    SimulatorController &controller() { return m_controller; }

    QSize sizeHint() const override;

    // The most points a chart keeps (a point a second: the last ten minutes).
    static constexpr int kMaxChartPoints = 600;

protected:
    void showEvent(QShowEvent *event) override;

private:
    // A chart's points are kept here and handed to its series only while it is on screen: behind another
    // tab, a chart would lay out its series and axes again every second for no one to see.
    struct LiveChart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QLineSeries *first = nullptr;
        QLineSeries *second = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QList<QPointF> firstPoints;
        QList<QPointF> secondPoints;
        bool stale = false; // points arrived while hidden
    };
    LiveChart makeChart(const QString &objectName, const QString &title, const QString &yTitle,
                        const QString &firstName, const QString &secondName, const QString &toolTip);
    static void append(LiveChart &chart, double x, double first, double second);
    static void draw(LiveChart &chart);
    static void clear(LiveChart &chart);

    QWidget *makeForm();
    QWidget *makeMonitor();
    QGroupBox *makeReport();
    void onScenarioActivated(int index);
    void onStartClicked();
    void onStopClicked();
    void onStarted();
    void onProgress(const peakwatch::sim::RunStats::Interval &interval);
    void onFinished(const QByteArray &reportJson, const QString &error);
    void showCounters(qint64 sent, qint64 acknowledged, qint64 errors, qint64 rejected, qint64 retries);
    void showFaults(qint64 duplicates, qint64 late, qint64 malformed);
    void showReport(const QByteArray &reportJson);
    void showError(const QString &error);
    void updateConnectionLabel();
    void updateEnabled();
    SimulationRequest requestFromForm() const;

    SimulatorController m_controller;
    QString m_bootstrapServers;
    KafkaProperties m_properties;
    QString m_topic;
    int m_lastScenarioIndex = 0;
    bool m_stopping = false;

    QGroupBox *m_form = nullptr;
    QComboBox *m_scenario = nullptr;
    QButtonGroup *m_targets = nullptr;
    QRadioButton *m_toConnection = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QRadioButton *m_toHttp = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_secret = nullptr;
    QComboBox *m_pace = nullptr;
    QSpinBox *m_rate = nullptr;
    QSpinBox *m_duration = nullptr;
    QDoubleSpinBox *m_compression = nullptr;
    QSpinBox *m_seed = nullptr;
    QDoubleSpinBox *m_duplicates = nullptr;
    QDoubleSpinBox *m_outOfOrder = nullptr;
    QDoubleSpinBox *m_malformed = nullptr;
    QCheckBox *m_shopifyTopics = nullptr;
    QGroupBox *m_faults = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;

    QLabel *m_sent = nullptr;
    QLabel *m_acknowledged = nullptr;
    QLabel *m_errors = nullptr;
    QLabel *m_rejected = nullptr;
    QLabel *m_retries = nullptr;
    QLabel *m_duplicateCount = nullptr;
    QLabel *m_lateCount = nullptr;
    QLabel *m_malformedCount = nullptr;
    LiveChart m_rateChart;
    LiveChart m_latencyChart;
    QTableWidget *m_report = nullptr;
    QPushButton *m_copyReport = nullptr;
    QByteArray m_reportJson;
};

} // namespace peakwatch::ui
