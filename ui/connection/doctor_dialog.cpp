// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "doctor_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStringBuilder>
#include <QStyle>
#include <QVBoxLayout>

namespace peakwatch::ui {
namespace {

QString outcomeName(DoctorStep::Outcome outcome)
{
    switch (outcome) {
    case DoctorStep::Outcome::Passed: return QStringLiteral("Passed");
    case DoctorStep::Outcome::Failed: return QStringLiteral("Failed");
    case DoctorStep::Outcome::Skipped: return QStringLiteral("Skipped");
    }
    return QString();
}

QString mark(DoctorStep::Outcome outcome)
{
    switch (outcome) {
    case DoctorStep::Outcome::Passed: return QStringLiteral("\u2713");
    case DoctorStep::Outcome::Failed: return QStringLiteral("\u2717");
    case DoctorStep::Outcome::Skipped: return QStringLiteral("-");
    }
    return QString();
}

QIcon outcomeIcon(const QStyle *style, DoctorStep::Outcome outcome)
{
    switch (outcome) {
    case DoctorStep::Outcome::Passed: return style->standardIcon(QStyle::SP_DialogApplyButton);
    case DoctorStep::Outcome::Failed: return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case DoctorStep::Outcome::Skipped: return style->standardIcon(QStyle::SP_MessageBoxInformation);
    }
    return QIcon();
}

} // namespace

DoctorDialog::DoctorDialog(const DoctorOptions &options, QWidget *parent)
    : QDialog(parent)
    , m_options(options)
    , m_summary(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_rows(new QWidget)
    , m_grid(new QGridLayout(m_rows))
{
    setWindowTitle(QStringLiteral("Test connection"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setRange(0, 0); // busy, without an end in sight
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(m_busy->fontMetrics().height() / 2);
    m_grid->setColumnStretch(2, 1);
    m_grid->setAlignment(Qt::AlignTop);
    m_grid->setVerticalSpacing(m_grid->verticalSpacing() + 4);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_rows);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_again = buttons->addButton(QStringLiteral("&Run again"), QDialogButtonBox::ActionRole);
    m_copy = buttons->addButton(QStringLiteral("&Copy report"), QDialogButtonBox::ActionRole);
    m_copy->setToolTip(
        QStringLiteral("Copy the steps as text, for a colleague or a support ticket (no secrets in it)"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_again, &QPushButton::clicked, this, &DoctorDialog::start);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(reportText()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_busy);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    resize(760, 480);
}

DoctorDialog::~DoctorDialog()
{
    m_thread.request_stop();
    if (m_thread.joinable())
        m_thread.join();
}

void DoctorDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (!m_started)
        start();
}

void DoctorDialog::start()
{
    if (m_running)
        return;
    if (m_thread.joinable())
        m_thread.join(); // the last run posted its end as its last act: it is over
    m_started = true;
    m_running = true;
    const quint64 run = ++m_run;
    m_steps.clear();
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QString servers =
        m_options.bootstrapServers.isEmpty()
            ? QString::fromUtf8(ConnectionDoctor::property(m_options.properties, "bootstrap.servers"))
            : m_options.bootstrapServers;
    m_summary->setText(QStringLiteral("Checking the way to ") % servers % QStringLiteral("…"));
    m_busy->show();
    m_again->setEnabled(false);
    // The doctor blocks; it runs here, and hands each step to the UI thread as it finishes.
    m_thread = std::jthread([this, run, options = m_options](std::stop_token stop) {
        ConnectionDoctor doctor(options);
        doctor.run(
            [this, run](const DoctorStep &step) {
                QMetaObject::invokeMethod(
                    this,
                    [this, run, step] {
                        if (run == m_run)
                            addStep(step);
                    },
                    Qt::QueuedConnection);
            },
            stop);
        QMetaObject::invokeMethod(
            this, [this, run] { finish(run); }, Qt::QueuedConnection);
    });
}

void DoctorDialog::addStep(const DoctorStep &step)
{
    const int row = int(m_steps.size());
    m_steps.append(step);

    auto *icon = new QLabel(m_rows);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    icon->setPixmap(outcomeIcon(style(), step.outcome).pixmap(size, size));
    icon->setToolTip(outcomeName(step.outcome));
    icon->setAccessibleName(outcomeName(step.outcome));

    auto *kind = new QLabel(DoctorStep::kindName(step.kind), m_rows);
    QFont bold = kind->font();
    bold.setBold(true);
    kind->setFont(bold);

    QString text = step.subject % QStringLiteral(": ") % step.finding;
    if (!step.advice.isEmpty())
        text += QStringLiteral("\n") % step.advice;
    auto *words = new QLabel(text, m_rows);
    words->setTextFormat(Qt::PlainText);
    words->setWordWrap(true);
    words->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    if (step.outcome == DoctorStep::Outcome::Skipped)
        words->setForegroundRole(QPalette::PlaceholderText);

    m_grid->addWidget(icon, row, 0, Qt::AlignTop);
    m_grid->addWidget(kind, row, 1, Qt::AlignTop);
    m_grid->addWidget(words, row, 2);
}

void DoctorDialog::finish(quint64 run)
{
    if (run != m_run)
        return;
    m_running = false;
    m_busy->hide();
    m_again->setEnabled(true);
    const bool passed = ConnectionDoctor::passed(m_steps);
    qsizetype failed = 0;
    for (const DoctorStep &step : std::as_const(m_steps))
        failed += step.outcome == DoctorStep::Outcome::Failed;
    if (passed)
        m_summary->setText(QStringLiteral("Every check passed: this machine reaches the cluster."));
    else if (failed > 0)
        m_summary->setText(QStringLiteral("%1 of %2 checks failed. The first failure says what to do; the ones after "
                                          "it often follow from it.")
                               .arg(failed)
                               .arg(m_steps.size()));
    else
        m_summary->setText(QStringLiteral("Stopped."));
    Q_EMIT diagnosisFinished(passed);
}

QString DoctorDialog::reportText() const
{
    QString text;
    for (const DoctorStep &step : m_steps) {
        text += mark(step.outcome) % u' ' % DoctorStep::kindName(step.kind) % u' ' % step.subject %
                QStringLiteral(": ") % step.finding;
        if (!step.advice.isEmpty())
            text += QStringLiteral(" \u2014 ") % step.advice;
        text += u'\n';
    }
    return text;
}

} // namespace peakwatch::ui
