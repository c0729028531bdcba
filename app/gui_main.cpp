// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch: the desktop. `peakwatch --demo` is the README's first command.
#include "heap_trimmer.h"
#include "logging.h"
#include "main_window.h"
#include "redaction.h"
#include "screenshot_tour.h"
#include "system_palette.h"
#include "thread_priority.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    peakwatch::installRedactingMessageHandler(); // no secret reaches a log line
    peakwatch::setBackgroundThreadsYield(true);  // before any thread starts: the window is served first
    const peakwatch::HeapTrimmer trimmer;        // hours at the peak: what is freed goes back to the system
    QApplication::setOrganizationName(QStringLiteral("Peakwatch"));
    QApplication::setApplicationName(QStringLiteral("peakwatch"));
    QApplication::setApplicationDisplayName(QStringLiteral("Peakwatch"));
    QApplication::setApplicationVersion(QStringLiteral(PEAKWATCH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.peakwatch.Peakwatch")); // resources/, its AppStream id
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/peakwatch/icons/peakwatch.svg")));
    peakwatch::ui::applySystemColours(); // Fusion, dark where the desktop prefers it

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Live stock and predicted sell-out of Shopify products from Kafka, a topic browser and a load simulator."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start the embedded Kafka cluster, feed it a time-compressed Black "
                                                 "Friday and show the dashboard on it."));
    const QCommandLineOption compression(QStringLiteral("time-compression"),
                                         QStringLiteral("With --demo: simulated seconds per real second (default 60)."),
                                         QStringLiteral("X"), QStringLiteral("60"));
    const QCommandLineOption connection(QStringLiteral("connection"),
                                        QStringLiteral("Connect to this saved connection at start."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("With --demo: save a screenshot of each view to DIR once "
                                                        "the demo has run for a while, then quit."),
                                         QStringLiteral("DIR"));
    parser.addOptions({demo, compression, connection, screenshots});
    parser.process(app);

    bool ok = false;
    const double timeCompression = parser.value(compression).toDouble(&ok);
    if (!ok || timeCompression <= 0 || timeCompression > 100000) {
        std::fprintf(stderr, "peakwatch: --time-compression: \"%s\" is not a number between 0 and 100000\n",
                     qPrintable(parser.value(compression)));
        return 2;
    }

    peakwatch::ui::MainWindow window;
    window.show();
    peakwatch::Status started;
    if (parser.isSet(demo))
        started = window.startDemo(timeCompression);
    else if (parser.isSet(connection))
        started = window.connectTo(parser.value(connection));
    if (!started) {
        std::fprintf(stderr, "peakwatch: %s\n", qPrintable(started.error()));
        QMessageBox::warning(&window, QStringLiteral("Peakwatch"), started.error());
    }
    ScreenshotTour tour(window, parser.value(screenshots), 25);
    if (parser.isSet(screenshots))
        tour.start();
    return QApplication::exec();
}
