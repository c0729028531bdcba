// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QWidget>

namespace peakwatch::ui {
class MainWindow;
}

// `peakwatch --demo --screenshots DIR`: once the demo has run for a while, shows each view in turn and
// saves what the screen shows of the window (docs/screenshots), then the alert rules and delivery dialogs,
// then quits. Run under Xvfb by
// scripts/screenshots.sh.
class ScreenshotTour final : public QObject {
    Q_OBJECT
public:
    ScreenshotTour(peakwatch::ui::MainWindow &window, QString directory, int warmupSeconds);
    void start();

private:
    void step();
    void save(const QString &name);
    void showDoctor(const QString &bootstrapServers, const QString &topic); // Test connection, then the next step
    void saveDialog(const QString &name); // the dialog open now, as it renders itself; then closes it

    peakwatch::ui::MainWindow &m_window;
    QString m_directory;
    int m_warmupSeconds;
    int m_step = 0;
    int m_partition = 0;
    QPointer<QWidget> m_dialog;
};
