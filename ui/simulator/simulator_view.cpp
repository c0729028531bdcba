// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "simulator_view.h"

#include "scenario.h"
#include "ui_format.h"

#include <QApplication>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStringBuilder>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace peakwatch::ui {
namespace {

enum Pace { ScenarioPace, FixedRate, AsFastAsPossible };

// The scenario combo's item data: a built-in name or a file path; "From file…" has none.
constexpr int kScenarioRole = Qt::UserRole;
// True on the item of a chosen scenario file.
constexpr int kScenarioFileRole = Qt::UserRole + 1;

QString scenarioTitle(const QString &name)
{
    if (name == QLatin1String("ordinary-day"))
        return QStringLiteral("Ordinary day");
    if (name == QLatin1String("black-friday"))
        return QStringLiteral("Black Friday");
    if (name == QLatin1String("flash-sale"))
        return QStringLiteral("Flash sale");
    if (name == QLatin1String("restocks"))
        return QStringLiteral("Restocks");
    if (name == QLatin1String("sell-out"))
        return QStringLiteral("Sell-out");
    return name;
}

// A tick interval of 1, 2 or 5 times a power of ten that cuts `span` into about five.
double niceStep(double span)
{
    const double raw = std::max(span, 1e-9) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (raw <= m * magnitude)
            return m * magnitude;
    return 10 * magnitude;
}

// Sets an axis's range and tick interval together. Changed one after the other, the axis would lay out
// the new range with the old interval in between: a range grown from 0..1 to 0..50,000 with ticks every
// 0.2 makes a quarter of a million tick items. Fixed ticks while changing avoid that.
void setAxis(QValueAxis *axis, double min, double max, double tickInterval)
{
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(min, max);
    axis->setTickInterval(tickInterval);
    axis->setTickType(QValueAxis::TicksDynamic);
}

QString oneDecimal(double value)
{
    return QLocale().toString(value, 'f', 1);
}

// A report field as a person reads it.
QString reportValue(const QString &key, const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("Yes") : QStringLiteral("No");
    if (value.isObject()) { // {"200": 1200, "401": 3}
        const QJsonObject object = value.toObject();
        QStringList parts;
        for (auto it = object.begin(); it != object.end(); ++it)
            parts << (it.key() == QLatin1String("0") ? QStringLiteral("no answer") : it.key()) % QStringLiteral(": ") %
                         count(qint64(it.value().toDouble()));
        return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
    }
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (key.endsWith(QLatin1String("_ms")))
            return QLocale().toString(number, 'f', 2) % QStringLiteral(" ms");
        if (key == QLatin1String("seconds"))
            return oneDecimal(number) % QStringLiteral(" s");
        if (key.endsWith(QLatin1String("_per_second")))
            return oneDecimal(number) % QStringLiteral("/s");
        if (number == double(qint64(number)))
            return count(qint64(number));
        return QLocale().toString(number, 'g', 6);
    }
    if (value.isNull())
        return QStringLiteral("–");
    return value.toString();
}

// The report's fields in the order shown, with their labels; others follow under their own names.
struct ReportField {
    const char *key;
    const char *label;
};
constexpr ReportField kReportFields[] = {
    {"scenario", "Scenario"},
    {"seconds", "Duration"},
    {"events", "Webhooks generated"},
    {"sent", "Sent"},
    {"acknowledged", "Acknowledged"},
    {"errors", "Errors (not delivered)"},
    {"rejected", "Rejected (refused for good)"},
    {"retries", "Retries"},
    {"sent_per_second", "Sent a second"},
    {"acknowledged_per_second", "Acknowledged a second"},
    {"latency_p50_ms", "Latency, median (p50)"},
    {"latency_p99_ms", "Latency, p99"},
    {"duplicates", "Duplicates injected"},
    {"late", "Delivered late (out of order)"},
    {"malformed", "Malformed bodies injected"},
    {"simulated_start", "Simulated from"},
    {"simulated_end", "Simulated until"},
    {"drained", "Everything in flight settled"},
    {"http_status", "HTTP answers"},
};

QLabel *counterLabel(const QString &objectName, const QString &toolTip)
{
    auto *label = new QLabel(QStringLiteral("0"));
    label->setObjectName(objectName);
    label->setToolTip(toolTip);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

SimulatorView::SimulatorView(QWidget *parent)
    : QWidget(parent)
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(makeForm());
    splitter->addWidget(makeMonitor());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(&m_controller, &SimulatorController::started, this, &SimulatorView::onStarted);
    connect(&m_controller, &SimulatorController::progress, this, &SimulatorView::onProgress);
    connect(&m_controller, &SimulatorController::faultsInjected, this, &SimulatorView::showFaults);
    connect(&m_controller, &SimulatorController::finished, this, &SimulatorView::onFinished);
    updateConnectionLabel();
    updateEnabled();
}

SimulatorView::~SimulatorView()
{
    // The controller stops its run first; nothing it emits reaches the widgets being destroyed.
    disconnect(&m_controller, nullptr, this, nullptr);
}

QSize SimulatorView::sizeHint() const
{
    return {1100, 720};
}

QWidget *SimulatorView::makeForm()
{
    auto *panel = new QWidget;
    auto *column = new QVBoxLayout(panel);
    column->setContentsMargins(0, 0, 0, 0);

    m_form = new QGroupBox(QStringLiteral("Load run"));
    auto *form = new QFormLayout(m_form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_scenario = new QComboBox;
    m_scenario->setObjectName(QStringLiteral("scenario"));
    for (const QString &name : sim::Scenario::builtinNames()) {
        m_scenario->addItem(scenarioTitle(name), name);
        if (auto scenario = sim::Scenario::builtin(name))
            m_scenario->setItemData(m_scenario->count() - 1, scenario->description, Qt::ToolTipRole);
    }
    m_scenario->addItem(QStringLiteral("From file…"));
    m_scenario->setItemData(
        m_scenario->count() - 1,
        QStringLiteral("Choose a scenario file (JSON): its demand curve, flash sales and restocks."), Qt::ToolTipRole);
    m_scenario->setCurrentIndex(std::max(0, m_scenario->findData(QStringLiteral("black-friday"))));
    m_lastScenarioIndex = m_scenario->currentIndex();
    m_scenario->setToolTip(QStringLiteral("The demand to simulate: how many orders an hour, flash sales, restocks "
                                          "and starting stock. A built-in scenario, or a scenario file."));
    connect(m_scenario, &QComboBox::activated, this, &SimulatorView::onScenarioActivated);
    form->addRow(QStringLiteral("S&cenario:"), m_scenario);

    m_toConnection = new QRadioButton(QStringLiteral("This c&onnection"));
    m_toConnection->setObjectName(QStringLiteral("toConnection"));
    m_toConnection->setToolTip(QStringLiteral("Produce the webhooks straight to the Kafka topic of the current "
                                              "connection, as the webhook gateway would."));
    m_toConnection->setChecked(true);
    m_connectionLabel = new QLabel;
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_connectionLabel->setWordWrap(true);
    m_connectionLabel->setIndent(20);
    m_toHttp = new QRadioButton(QStringLiteral("&HTTP endpoint"));
    m_toHttp->setObjectName(QStringLiteral("toHttp"));
    m_toHttp->setToolTip(QStringLiteral("POST the webhooks to a URL, signed with X-Shopify-Hmac-Sha256 as Shopify "
                                        "signs them, retrying as Shopify does."));
    m_targets = new QButtonGroup(this);
    m_targets->addButton(m_toConnection);
    m_targets->addButton(m_toHttp);
    m_url = new QLineEdit;
    m_url->setObjectName(QStringLiteral("webhookUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/webhooks/shopify"));
    m_url->setToolTip(QStringLiteral("The http:// or https:// address the webhooks are POSTed to."));
    m_url->setClearButtonEnabled(true);
    m_secret = new QLineEdit;
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(QStringLiteral("Webhook signing secret"));
    m_secret->setToolTip(QStringLiteral("The secret the endpoint checks signatures with (Shopify's app secret). It "
                                        "is used to sign each webhook and never shown or logged."));
    auto *targetBox = new QWidget;
    auto *targetLayout = new QVBoxLayout(targetBox);
    targetLayout->setContentsMargins(0, 0, 0, 0);
    targetLayout->addWidget(m_toConnection);
    targetLayout->addWidget(m_connectionLabel);
    targetLayout->addWidget(m_toHttp);
    auto *httpFields = new QFormLayout;
    httpFields->setContentsMargins(20, 0, 0, 0);
    httpFields->addRow(QStringLiteral("&URL:"), m_url);
    httpFields->addRow(QStringLiteral("Secre&t:"), m_secret);
    targetLayout->addLayout(httpFields);
    connect(m_toHttp, &QRadioButton::toggled, this, &SimulatorView::updateEnabled);
    form->addRow(QStringLiteral("Send to:"), targetBox);

    m_pace = new QComboBox;
    m_pace->setObjectName(QStringLiteral("pace"));
    m_pace->addItem(QStringLiteral("Scenario pace"));
    m_pace->addItem(QStringLiteral("Fixed rate"));
    m_pace->addItem(QStringLiteral("As fast as possible"));
    m_pace->setToolTip(QStringLiteral("Scenario pace: orders come as the scenario's demand says, its time "
                                      "compressed. Fixed rate: this many webhooks a second. As fast as possible: "
                                      "as fast as the target takes them."));
    m_rate = new QSpinBox;
    m_rate->setObjectName(QStringLiteral("rate"));
    m_rate->setRange(1, 1000000);
    m_rate->setValue(1000);
    m_rate->setSingleStep(100);
    m_rate->setSuffix(QStringLiteral(" /s"));
    m_rate->setGroupSeparatorShown(true);
    m_rate->setToolTip(QStringLiteral("Webhooks a second, with a fixed rate."));
    auto *rateRow = new QHBoxLayout;
    rateRow->addWidget(m_pace, 1);
    rateRow->addWidget(m_rate, 1);
    connect(m_pace, &QComboBox::currentIndexChanged, this, &SimulatorView::updateEnabled);
    form->addRow(QStringLiteral("&Rate:"), rateRow);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(rateRow)))
        label->setBuddy(m_pace);

    m_duration = new QSpinBox;
    m_duration->setObjectName(QStringLiteral("duration"));
    m_duration->setRange(0, 7 * 86400);
    m_duration->setSuffix(QStringLiteral(" s"));
    m_duration->setSpecialValueText(QStringLiteral("Until stopped"));
    m_duration->setGroupSeparatorShown(true);
    m_duration->setToolTip(QStringLiteral("Stop after this many seconds; \"Until stopped\" runs until you stop it "
                                          "or the scenario ends."));
    form->addRow(QStringLiteral("&Duration:"), m_duration);

    m_compression = new QDoubleSpinBox;
    m_compression->setObjectName(QStringLiteral("timeCompression"));
    m_compression->setRange(0, 1000000);
    m_compression->setDecimals(1);
    m_compression->setSingleStep(10);
    m_compression->setSuffix(QStringLiteral(" ×"));
    m_compression->setSpecialValueText(QStringLiteral("The scenario's own"));
    m_compression->setToolTip(QStringLiteral("With the scenario's pace: simulated seconds per real second (60 plays "
                                             "an hour of sales in a minute)."));
    form->addRow(QStringLiteral("Time co&mpression:"), m_compression);

    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setToolTip(QStringLiteral("The same seed makes the same shops, products and orders."));
    form->addRow(QStringLiteral("S&eed:"), m_seed);

    m_shopifyTopics = new QCheckBox(QStringLiteral("Orders and inventory levels, 3 locations a shop"));
    m_shopifyTopics->setObjectName(QStringLiteral("shopifyTopics"));
    m_shopifyTopics->setToolTip(
        QStringLiteral("Send the shop's stock as Shopify does: for each order an orders/create and an "
                       "inventory_levels/update per location it took stock from, and each product's changes "
                       "gathered into one products/update 10 s later (peakwatch-cli simulate --topics "
                       "products/update,inventory_levels/update,orders/create --locations 3 --coalesce 10). "
                       "Off: one products/update per change."));
    m_shopifyTopics->setChecked(true);
    form->addRow(QStringLiteral("Topics:"), m_shopifyTopics);

    column->addWidget(m_form);

    m_start = new QPushButton(QStringLiteral("&Start"));
    m_start->setObjectName(QStringLiteral("start"));
    m_start->setToolTip(QStringLiteral("Start the load run."));
    m_stop = new QPushButton(QStringLiteral("Sto&p"));
    m_stop->setObjectName(QStringLiteral("stop"));
    m_stop->setToolTip(QStringLiteral("Stop generating; what is in flight is still waited for, then the report "
                                      "comes."));
    connect(m_start, &QPushButton::clicked, this, &SimulatorView::onStartClicked);
    connect(m_stop, &QPushButton::clicked, this, &SimulatorView::onStopClicked);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    column->addLayout(buttons);

    m_status = new QLabel(QStringLiteral("Ready."));
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    column->addWidget(m_status);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QPalette palette = m_error->palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    palette.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28));
    m_error->setPalette(palette);
    m_error->hide();
    column->addWidget(m_error);
    column->addWidget(makeReport(), 1);
    panel->setMinimumWidth(340);
    return panel;
}

QGroupBox *SimulatorView::makeReport()
{
    auto *reportBox = new QGroupBox(QStringLiteral("Report"));
    auto *reportLayout = new QVBoxLayout(reportBox);
    m_report = new QTableWidget(0, 2);
    m_report->setObjectName(QStringLiteral("report"));
    m_report->setHorizontalHeaderLabels({QStringLiteral("Figure"), QStringLiteral("Value")});
    m_report->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_report->horizontalHeader()->setStretchLastSection(true);
    m_report->verticalHeader()->hide();
    m_report->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_report->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_report->setAlternatingRowColors(true);
    m_report->setToolTip(QStringLiteral("The run's report, when it has ended."));
    m_report->setMinimumHeight(120);
    reportLayout->addWidget(m_report);
    m_copyReport = new QPushButton(QStringLiteral("Cop&y report as JSON"));
    m_copyReport->setObjectName(QStringLiteral("copyReport"));
    m_copyReport->setToolTip(QStringLiteral("Copy the report, as JSON, to the clipboard."));
    m_copyReport->setEnabled(false);
    connect(m_copyReport, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(QString::fromUtf8(m_reportJson)); });
    auto *copyRow = new QHBoxLayout;
    copyRow->addStretch();
    copyRow->addWidget(m_copyReport);
    reportLayout->addLayout(copyRow);
    return reportBox;
}

QWidget *SimulatorView::makeMonitor()
{
    auto *panel = new QWidget;
    auto *column = new QVBoxLayout(panel);
    column->setContentsMargins(0, 0, 0, 0);

    // Shopify's delivery faults, as peakwatch-cli simulate --duplicates, --out-of-order and --malformed inject
    // them: the same fractions of the webhooks, here in percent.
    const auto faultBox = [](const QString &objectName, const QString &toolTip) {
        auto *box = new QDoubleSpinBox;
        box->setObjectName(objectName);
        box->setRange(0, 100);
        box->setDecimals(2);
        box->setSingleStep(1);
        box->setSuffix(QStringLiteral(" %"));
        box->setSpecialValueText(QStringLiteral("None"));
        box->setToolTip(toolTip);
        return box;
    };
    m_duplicates = faultBox(QStringLiteral("duplicates"),
                            QStringLiteral("Percent of webhooks delivered twice, with the same webhook id, as Shopify "
                                           "redelivers (peakwatch-cli simulate --duplicates). The copy follows "
                                           "within the next 20 deliveries."));
    m_outOfOrder = faultBox(QStringLiteral("outOfOrder"),
                            QStringLiteral("Percent of webhooks delivered late, held back behind up to 20 later "
                                           "ones (peakwatch-cli simulate --out-of-order)."));
    m_malformed = faultBox(QStringLiteral("malformed"),
                           QStringLiteral("Percent of webhooks followed by an extra delivery whose body is not valid "
                                          "JSON: cut short, or with its brackets unbalanced (peakwatch-cli simulate "
                                          "--malformed). The real update is still delivered."));
    // Beside the figures they show up in, where the form has no room to spare.
    m_faults = new QGroupBox(QStringLiteral("Delivery faults"));
    m_faults->setObjectName(QStringLiteral("deliveryFaults"));
    m_faults->setToolTip(QStringLiteral("Shopify delivers at least once, in no guaranteed order: inject its faults "
                                        "to see that the pipeline copes."));
    auto *faults = new QGridLayout(m_faults);
    int faultColumn = 0;
    for (const auto &[text, box] : {std::pair{QStringLiteral("Dupl&icates:"), m_duplicates},
                                    std::pair{QStringLiteral("Out o&f order:"), m_outOfOrder},
                                    std::pair{QStringLiteral("M&alformed:"), m_malformed}}) {
        auto *label = new QLabel(text);
        label->setBuddy(box);
        label->setToolTip(box->toolTip());
        faults->addWidget(label, 0, faultColumn);
        faults->addWidget(box, 1, faultColumn);
        faults->setColumnStretch(faultColumn++, 1);
    }
    column->addWidget(m_faults);

    m_sent = counterLabel(QStringLiteral("sentCount"), QStringLiteral("Webhooks sent so far."));
    m_acknowledged = counterLabel(QStringLiteral("acknowledgedCount"),
                                  QStringLiteral("Webhooks the target has acknowledged (Kafka: the broker stored "
                                                 "them; HTTP: answered 2xx)."));
    m_errors = counterLabel(QStringLiteral("errorCount"),
                            QStringLiteral("Webhooks given up on: not delivered after every retry."));
    m_rejected = counterLabel(QStringLiteral("rejectedCount"),
                              QStringLiteral("Webhooks the HTTP endpoint refused for good (4xx, such as a bad "
                                             "signature)."));
    m_retries = counterLabel(QStringLiteral("retryCount"),
                             QStringLiteral("Deliveries tried again after a 429, a 5xx or a network error."));
    m_duplicateCount = counterLabel(QStringLiteral("duplicateCount"),
                                    QStringLiteral("Webhooks delivered a second time with the same webhook id (the "
                                                   "Duplicates fault)."));
    m_lateCount = counterLabel(QStringLiteral("lateCount"),
                               QStringLiteral("Webhooks held back behind later ones (the Out of order fault)."));
    m_malformedCount = counterLabel(QStringLiteral("malformedCount"),
                                    QStringLiteral("Extra deliveries whose body is not valid JSON (the Malformed "
                                                   "fault)."));
    auto *counters = new QGridLayout;
    const QList<QPair<QString, QLabel *>> items{
        {QStringLiteral("Sent"), m_sent},       {QStringLiteral("Acknowledged"), m_acknowledged},
        {QStringLiteral("Errors"), m_errors},   {QStringLiteral("Rejected"), m_rejected},
        {QStringLiteral("Retries"), m_retries}, {QStringLiteral("Duplicates"), m_duplicateCount},
        {QStringLiteral("Late"), m_lateCount},  {QStringLiteral("Malformed"), m_malformedCount}};
    // The deliveries in the first row, the faults injected under them.
    constexpr int kPerRow = 5;
    for (int i = 0; i < items.size(); ++i) {
        auto *title = new QLabel(items[i].first);
        title->setToolTip(items[i].second->toolTip());
        counters->addWidget(title, 2 * (i / kPerRow), i % kPerRow);
        counters->addWidget(items[i].second, 2 * (i / kPerRow) + 1, i % kPerRow);
        counters->setColumnStretch(i % kPerRow, 1);
    }
    column->addLayout(counters);

    m_rateChart = makeChart(QStringLiteral("rateChart"), QStringLiteral("Achieved rate"), QStringLiteral("Events/s"),
                            QStringLiteral("Sent"), QStringLiteral("Acknowledged"),
                            QStringLiteral("Webhooks sent and acknowledged each second of the run."));
    m_latencyChart =
        makeChart(QStringLiteral("latencyChart"), QStringLiteral("Latency"), QStringLiteral("Latency (ms)"),
                  QStringLiteral("p50"), QStringLiteral("p99"),
                  QStringLiteral("Time from sending a webhook to its acknowledgement, median and 99th percentile, "
                                 "each second of the run."));
    column->addWidget(m_rateChart.view, 1);
    column->addWidget(m_latencyChart.view, 1);

    return panel;
}

SimulatorView::LiveChart SimulatorView::makeChart(const QString &objectName, const QString &title,
                                                  const QString &yTitle, const QString &firstName,
                                                  const QString &secondName, const QString &toolTip)
{
    LiveChart c;
    c.chart = new QChart;
    // Light or dark as the window's colours are (the dashboard's chart does the same).
    c.chart->setTheme(QGuiApplication::palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                                           : QChart::ChartThemeLight);
    c.chart->setTitle(title);
    c.chart->setAnimationOptions(QChart::NoAnimation);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.first = new QLineSeries;
    c.first->setName(firstName);
    c.second = new QLineSeries;
    c.second->setName(secondName);
    c.chart->addSeries(c.first);
    c.chart->addSeries(c.second);
    c.x = new QValueAxis;
    c.x->setTitleText(QStringLiteral("Seconds since start"));
    c.x->setLabelFormat(QStringLiteral("%.0f"));
    c.x->setRange(0, 60);
    c.y = new QValueAxis;
    c.y->setTitleText(yTitle);
    c.y->setLabelFormat(QStringLiteral("%.1f"));
    c.y->setRange(0, 1);
    for (QValueAxis *axis : {c.x, c.y}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
    }
    c.x->setTickInterval(10);
    c.y->setTickInterval(0.2);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    for (QLineSeries *series : {c.first, c.second}) {
        series->attachAxis(c.x);
        series->attachAxis(c.y);
    }
    c.view = new QChartView(c.chart);
    c.view->setObjectName(objectName);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setToolTip(toolTip);
    c.view->setAccessibleName(title);
    c.view->setMinimumHeight(180);
    return c;
}

void SimulatorView::append(LiveChart &c, double x, double first, double second)
{
    for (auto [points, y] : {std::pair{&c.firstPoints, first}, std::pair{&c.secondPoints, second}}) {
        points->append(QPointF(x, y));
        if (const qsizetype excess = points->size() - kMaxChartPoints; excess > 0)
            points->remove(0, excess);
    }
    if (c.view->isVisible())
        draw(c);
    else
        c.stale = true;
}

void SimulatorView::draw(LiveChart &c)
{
    c.stale = false;
    c.first->replace(c.firstPoints);
    c.second->replace(c.secondPoints);
    if (c.firstPoints.isEmpty())
        return;
    double top = 0;
    for (const QList<QPointF> *points : {&c.firstPoints, &c.secondPoints})
        for (const QPointF &p : *points)
            top = std::max(top, p.y());
    // From the run's start until the oldest points are dropped, then the window of points kept.
    const double x = c.firstPoints.last().x();
    const double left = c.firstPoints.size() < kMaxChartPoints ? 0 : c.firstPoints.first().x();
    const double right = std::max(x, left + 60);
    const double step = niceStep(top > 0 ? top * 1.1 : 1);
    setAxis(c.x, left, right, niceStep(right - left));
    setAxis(c.y, 0, std::ceil((top > 0 ? top * 1.1 : 1) / step) * step, step);
    c.y->setLabelFormat(step < 0.1 ? QStringLiteral("%.2f")
                        : step < 1 ? QStringLiteral("%.1f")
                                   : QStringLiteral("%.0f"));
}

void SimulatorView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (LiveChart *c : {&m_rateChart, &m_latencyChart})
        if (c->stale)
            draw(*c);
}

void SimulatorView::clear(LiveChart &c)
{
    c.firstPoints.clear();
    c.secondPoints.clear();
    c.stale = false;
    c.first->clear();
    c.second->clear();
    setAxis(c.x, 0, 60, 10);
    setAxis(c.y, 0, 1, 0.2);
    c.y->setLabelFormat(QStringLiteral("%.1f"));
}

void SimulatorView::setConnection(const QString &bootstrapServers, const KafkaProperties &properties,
                                  const QString &topic)
{
    m_bootstrapServers = bootstrapServers;
    m_properties = properties;
    m_topic = topic;
    updateConnectionLabel();
}

void SimulatorView::updateConnectionLabel()
{
    if (m_bootstrapServers.isEmpty()) {
        m_connectionLabel->setText(QStringLiteral("Not connected to a Kafka cluster."));
        return;
    }
    m_connectionLabel->setText((m_topic.isEmpty() ? QStringLiteral("(no topic)") : m_topic) % QStringLiteral(" at ") %
                               m_bootstrapServers);
}

void SimulatorView::setScenarioFile(const QString &path)
{
    // One item for the chosen file, just before "From file…".
    const int fromFile = m_scenario->count() - 1;
    int item = fromFile - 1;
    if (!m_scenario->itemData(item, kScenarioFileRole).toBool()) {
        m_scenario->insertItem(fromFile, QString());
        item = fromFile;
    }
    m_scenario->setItemText(item, QFileInfo(path).fileName());
    m_scenario->setItemData(item, path, kScenarioRole);
    m_scenario->setItemData(item, true, kScenarioFileRole);
    m_scenario->setItemData(item, QDir::toNativeSeparators(path), Qt::ToolTipRole);
    m_scenario->setCurrentIndex(item);
    m_lastScenarioIndex = item;
}

void SimulatorView::onScenarioActivated(int index)
{
    if (index != m_scenario->count() - 1) { // not "From file…"
        m_lastScenarioIndex = index;
        return;
    }
    const QString current = m_scenario->itemData(m_lastScenarioIndex, kScenarioRole).toString();
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Open a scenario file"),
                                     QFileInfo::exists(current) ? QFileInfo(current).path() : QString(),
                                     QStringLiteral("Scenario files (*.json);;All files (*)"));
    if (path.isEmpty()) {
        m_scenario->setCurrentIndex(m_lastScenarioIndex);
        return;
    }
    setScenarioFile(path);
}

SimulationRequest SimulatorView::requestFromForm() const
{
    SimulationRequest r;
    r.scenario = m_scenario->currentData(kScenarioRole).toString();
    r.timeCompression = m_pace->currentIndex() == ScenarioPace ? m_compression->value() : 0;
    if (m_toHttp->isChecked()) {
        r.target = SimulationRequest::Target::Http;
        r.webhookUrl = m_url->text().trimmed();
        r.secret = m_secret->text().toUtf8();
    } else {
        r.target = SimulationRequest::Target::Kafka;
        r.bootstrapServers = m_bootstrapServers;
        r.topic = m_topic;
        r.properties = m_properties;
    }
    switch (m_pace->currentIndex()) {
    case FixedRate: r.eventsPerSecond = m_rate->value(); break;
    case AsFastAsPossible: r.eventsPerSecond = -1; break;
    default: r.eventsPerSecond = 0; break;
    }
    r.durationSeconds = m_duration->value();
    r.seed = quint64(m_seed->value());
    r.shopifyTopics = m_shopifyTopics->isChecked();
    r.duplicates = m_duplicates->value() / 100;
    r.outOfOrder = m_outOfOrder->value() / 100;
    r.malformed = m_malformed->value() / 100;
    return r;
}

void SimulatorView::onStartClicked()
{
    if (m_controller.isRunning())
        return;
    if (m_scenario->currentData(kScenarioRole).toString().isEmpty()) {
        showError(QStringLiteral("Choose a scenario."));
        return;
    }
    if (Status s = m_controller.start(requestFromForm()); !s)
        showError(s.error());
}

void SimulatorView::onStopClicked()
{
    if (!m_controller.isRunning() || m_stopping)
        return;
    m_stopping = true;
    m_controller.stop();
    m_status->setText(QStringLiteral("Stopping: waiting for the webhooks in flight…"));
    updateEnabled();
}

void SimulatorView::onStarted()
{
    m_stopping = false;
    showError({});
    clear(m_rateChart);
    clear(m_latencyChart);
    showCounters(0, 0, 0, 0, 0);
    showFaults(0, 0, 0);
    m_report->setRowCount(0);
    m_reportJson.clear();
    m_copyReport->setEnabled(false);
    const SimulationRequest &r = m_controller.request();
    const QString target = r.target == SimulationRequest::Target::Http
                               ? QUrl(r.webhookUrl).toDisplayString(QUrl::RemoveUserInfo)
                               : r.topic % QStringLiteral(" at ") % r.bootstrapServers;
    const QString scenario = sim::Scenario::builtinNames().contains(r.scenario) ? scenarioTitle(r.scenario)
                                                                                : QFileInfo(r.scenario).fileName();
    m_status->setText(QStringLiteral("Running %1, sending to %2.").arg(scenario, target));
    const bool hadFocus = m_start->hasFocus();
    updateEnabled();
    if (hadFocus)
        m_stop->setFocus();
}

void SimulatorView::onProgress(const sim::RunStats::Interval &interval)
{
    append(m_rateChart, interval.seconds, interval.sentPerSecond, interval.ackedPerSecond);
    append(m_latencyChart, interval.seconds, interval.p50Ms, interval.p99Ms);
    showCounters(interval.sent, interval.acknowledged, interval.errors, interval.rejected, interval.retries);
}

void SimulatorView::onFinished(const QByteArray &reportJson, const QString &error)
{
    m_stopping = false;
    const bool hadFocus = m_stop->hasFocus();
    showReport(reportJson);
    showError(error);
    m_status->setText(reportJson.isEmpty() ? QStringLiteral("The run did not start.")
                                           : QStringLiteral("Finished: the report is below."));
    updateEnabled();
    if (hadFocus)
        m_start->setFocus();
}

void SimulatorView::showCounters(qint64 sent, qint64 acknowledged, qint64 errors, qint64 rejected, qint64 retries)
{
    m_sent->setText(count(sent));
    m_acknowledged->setText(count(acknowledged));
    m_errors->setText(count(errors));
    m_rejected->setText(count(rejected));
    m_retries->setText(count(retries));
}

void SimulatorView::showFaults(qint64 duplicates, qint64 late, qint64 malformed)
{
    m_duplicateCount->setText(count(duplicates));
    m_lateCount->setText(count(late));
    m_malformedCount->setText(count(malformed));
}

void SimulatorView::showReport(const QByteArray &reportJson)
{
    m_reportJson = reportJson;
    m_report->setRowCount(0);
    m_copyReport->setEnabled(!reportJson.isEmpty());
    if (reportJson.isEmpty())
        return;
    const QJsonObject report = QJsonDocument::fromJson(reportJson).object();
    QList<QPair<QString, QString>> rows;
    QStringList shown{QStringLiteral("type")};
    for (const ReportField &field : kReportFields) {
        const QString key = QLatin1String(field.key);
        shown << key;
        if (report.contains(key))
            rows.append({QString::fromUtf8(field.label), reportValue(key, report.value(key))});
    }
    for (auto it = report.begin(); it != report.end(); ++it)
        if (!shown.contains(it.key()))
            rows.append({it.key(), reportValue(it.key(), it.value())});
    m_report->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        m_report->setItem(row, 0, new QTableWidgetItem(rows[row].first));
        auto *value = new QTableWidgetItem(rows[row].second);
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_report->setItem(row, 1, value);
    }
    showCounters(qint64(report.value(QLatin1String("sent")).toDouble()),
                 qint64(report.value(QLatin1String("acknowledged")).toDouble()),
                 qint64(report.value(QLatin1String("errors")).toDouble()),
                 qint64(report.value(QLatin1String("rejected")).toDouble()),
                 qint64(report.value(QLatin1String("retries")).toDouble()));
    showFaults(qint64(report.value(QLatin1String("duplicates")).toDouble()),
               qint64(report.value(QLatin1String("late")).toDouble()),
               qint64(report.value(QLatin1String("malformed")).toDouble()));
}

void SimulatorView::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

void SimulatorView::updateEnabled()
{
    const bool running = m_controller.isRunning();
    m_form->setEnabled(!running);
    m_faults->setEnabled(!running);
    m_start->setEnabled(!running);
    m_stop->setEnabled(running && !m_stopping);
    m_url->setEnabled(m_toHttp->isChecked());
    m_secret->setEnabled(m_toHttp->isChecked());
    m_rate->setEnabled(m_pace->currentIndex() == FixedRate);
    m_compression->setEnabled(m_pace->currentIndex() == ScenarioPace);
}

} // namespace peakwatch::ui
