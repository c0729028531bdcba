// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "status_figures.h"

#include "steady_text.h"
#include "ui_format.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTextDocument>
#include <QToolButton>

namespace peakwatch::ui {

StatusFigures::StatusFigures(QWidget *parent)
    : QWidget(parent)
    , m_connection(new QLabel(this))
    , m_streamTime(new QLabel(this))
    , m_events(new QLabel(this))
    , m_lag(new QLabel(this))
    , m_products(new QLabel(this))
    , m_rejected(new QToolButton(this))
{
    m_events->setToolTip(QStringLiteral("Product updates analysed per second, over the last second"));
    m_lag->setToolTip(QStringLiteral("Consumer lag: messages on the cluster not yet read. It should stay near "
                                     "zero; a growing lag means the analysis is falling behind the stream."));
    m_products->setToolTip(QStringLiteral("Products seen on the stream"));
    m_streamTime->setObjectName(QStringLiteral("streamTime"));
    m_streamTime->setToolTip(QStringLiteral("The time of the latest update read (in the demo, the simulated time). "
                                            "Every time Peakwatch shows is on this clock, in this zone."));
    m_rejected->setAutoRaise(true);
    m_rejected->setToolTip(QStringLiteral("Messages that could not be read as products/update payloads. Click to "
                                          "see which and why."));
    connect(m_rejected, &QToolButton::clicked, this, &StatusFigures::rejectsRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(18);
    layout->addWidget(m_connection);
    layout->addWidget(m_streamTime);
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
    static const char16_t *const names[] = {u"Disconnected", u"Connecting…", u"Live", u"Failed"};
    static const char *const colors[] = {"#8c959f", "#bf8700", "#1a7f37", "#cf222e"};
    const int i = int(state);
    // A long error is cut with an ellipsis at about half a wide window; the tooltip has it whole.
    const QString shown = fontMetrics().elidedText(detail, Qt::ElideRight, 60 * fontMetrics().averageCharWidth());
    m_connection->setText(QStringLiteral("<span style='color:%1'>●</span> %2%3")
                              .arg(QLatin1String(colors[i]), QString::fromUtf16(names[i]),
                                   detail.isEmpty() ? QString() : QStringLiteral(": ") + shown.toHtmlEscaped()));
    m_connection->setToolTip(detail.isEmpty() ? QStringLiteral("Connection state") : detail);
}

void StatusFigures::setStats(const LiveStats &stats)
{
    // Ten times a second: see steady_text.h.
    // The stream's time to the minute, with its zone: every time in the window is on this clock.
    setSteadyText(m_streamTime, stats.watermarkMs > 0
                                    ? QStringLiteral("Stream time %1").arg(clockWithZone(stats.watermarkMs))
                                    : QString());
    setSteadyText(m_events, QStringLiteral("%1 events/s").arg(QLocale().toString(qRound64(stats.eventsPerSecond))));
    setSteadyText(m_lag, QStringLiteral("lag %1").arg(count(stats.lag)));
    setSteadyText(m_products, QStringLiteral("%1 products").arg(count(stats.products)));
    setSteadyText(m_rejected, QStringLiteral("%1 rejected").arg(count(stats.rejected)));
    m_rejected->setEnabled(stats.rejected > 0);
}

QString StatusFigures::stateShown() const
{
    QTextDocument document;
    document.setHtml(m_connection->text());
    return document.toPlainText();
}

QString StatusFigures::eventsText() const
{
    return m_events->text();
}

QString StatusFigures::streamTimeText() const
{
    return m_streamTime->text();
}

QString StatusFigures::rejectedText() const
{
    return m_rejected->text();
}

} // namespace peakwatch::ui
