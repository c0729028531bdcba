// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "connection_doctor.h"

#include <QDialog>
#include <QList>

#include <thread>

class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace peakwatch::ui {

// "Test connection": runs the connection doctor for a cluster on a thread of its own and shows each step as it
// finishes, with an icon for passed, failed or skipped, and what was found and what to do in text that can be
// selected and copied. Starts when shown; "Run again" starts over; closing stops a run within a fraction of a
// second.
class DoctorDialog final : public QDialog {
    Q_OBJECT
public:
    explicit DoctorDialog(const DoctorOptions &options, QWidget *parent = nullptr);
    ~DoctorDialog() override; // stops and joins the run
    Q_DISABLE_COPY_MOVE(DoctorDialog)

    // Starts a run unless one is going on; the steps of an earlier run are cleared.
    void start();
    bool isRunning() const { return m_running; }
    // The steps shown so far.
    const QList<DoctorStep> &steps() const { return m_steps; }
    // The steps as plain text, one a line, as peakwatch-cli doctor prints them.
    QString reportText() const;

Q_SIGNALS:
    // A run ended; `passed` as ConnectionDoctor::passed().
    void diagnosisFinished(bool passed);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void addStep(const DoctorStep &step);
    void finish(quint64 run);

    DoctorOptions m_options;
    QList<DoctorStep> m_steps;
    bool m_running = false;
    bool m_started = false;
    quint64 m_run = 0; // steps posted by an earlier run are dropped
    QLabel *m_summary;
    QProgressBar *m_busy;
    QWidget *m_rows;
    QGridLayout *m_grid;
    QPushButton *m_again;
    QPushButton *m_copy;
    std::jthread m_thread; // last: joined before the widgets go
};

} // namespace peakwatch::ui
