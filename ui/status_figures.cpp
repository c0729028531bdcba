#include "status_figures.h"

#include "steady_text.h"
#include "ui_format.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>

namespace peakwatch::ui {

StatusFigures::StatusFigures(QWidget *parent)
    : QWidget(parent)
    , m_connection(new QLabel(this))
    , m_events(new QLabel(this))
    , m_lag(new QLabel(this))
    , m_products(new QLabel(this))
    , m_rejected(new QToolButton(this))
{
    m_events->setToolTip(QStringLiteral("Product updates analysed per second, over the last second"));
    m_lag->setToolTip(QStringLiteral("Consumer lag: messages on the cluster not yet read. It should stay near "
                                     "zero; a growing lag means the analysis is falling behind the stream."));
    m_products->setToolTip(QStringLiteral("Products seen on the stream"));
    m_rejected->setAutoRaise(true);
    m_rejected->setToolTip(QStringLiteral("Messages that could not be read as products/update payloads. Click to "
                                          "see which and why."));
    connect(m_rejected, &QToolButton::clicked, this, &StatusFigures::rejectsRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(18);
    layout->addWidget(m_connection);
    layout->addWidget(m_events);
    layout->addWidget(m_lag);
    layout->addWidget(m_products);
    layout->addWidget(m_rejected);
    setState(State::Disconnected, QString());
    setStats({});
}

void StatusFigures::setState(State state, const QString &detail)
{
    m_state = state;
    m_detail = detail;
    static const char *const names[] = {"Disconnected", "Connecting…", "Live", "Failed"};
    static const char *const colors[] = {"#8c959f", "#bf8700", "#1a7f37", "#cf222e"};
    const int i = int(state);
    m_connection->setText(QStringLiteral("<span style='color:%1'>●</span> %2%3")
                              .arg(QLatin1String(colors[i]), QString::fromUtf8(names[i]),
                                   detail.isEmpty() ? QString() : QStringLiteral(": ") + detail.toHtmlEscaped()));
    m_connection->setToolTip(detail.isEmpty() ? QStringLiteral("Connection state") : detail);
}

void StatusFigures::setStats(const LiveStats &stats)
{
    // Ten times a second: see steady_text.h.
    setSteadyText(m_events, QStringLiteral("%1 events/s").arg(QLocale().toString(qRound64(stats.eventsPerSecond))));
    setSteadyText(m_lag, QStringLiteral("lag %1").arg(count(stats.lag)));
    setSteadyText(m_products, QStringLiteral("%1 products").arg(count(stats.products)));
    setSteadyText(m_rejected, QStringLiteral("%1 rejected").arg(count(stats.rejected)));
    m_rejected->setEnabled(stats.rejected > 0);
}

QString StatusFigures::eventsText() const
{
    return m_events->text();
}

QString StatusFigures::rejectedText() const
{
    return m_rejected->text();
}

} // namespace peakwatch::ui
