// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The "Test connection" dialog, offscreen: it runs the connection doctor off the UI thread, shows each step as it
// finishes, and stops promptly when closed mid-run.
#include "doctor_dialog.h"
#include "embedded_cluster.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace peakwatch;

class TstUiDoctor final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsEveryStepOfAPassingRun();
    void closingMidRunStopsPromptly();
};

void TstUiDoctor::showsEveryStepOfAPassingRun()
{
    auto cluster = EmbeddedCluster::start(2, {{QStringLiteral("products"), 1}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    DoctorOptions options;
    options.bootstrapServers = (*cluster)->bootstrapServers();
    ui::DoctorDialog dialog(options);
    QSignalSpy finished(&dialog, &ui::DoctorDialog::diagnosisFinished);
    dialog.show(); // starts the run
    QVERIFY(dialog.isRunning());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!dialog.isRunning());
    // 1 DNS (one host), 2 TCP, TLS skipped, Kafka, 2 advertised brokers
    QCOMPARE(dialog.steps().size(), 7);
    const QString report = dialog.reportText();
    QVERIFY2(report.contains(QStringLiteral("\u2713 Kafka cluster: 2 brokers, 1 topic (products)")),
             qPrintable(report));

    // Each step's words can be selected, to copy the advice.
    int selectable = 0;
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        selectable += label->text().contains(QLatin1String("connected to 127.0.0.1")) &&
                      label->textInteractionFlags().testFlag(Qt::TextSelectableByMouse);
    QCOMPARE(selectable, 4); // 2 bootstrap connections, 2 advertised brokers

    finished.clear();
    dialog.start(); // again: the earlier steps go
    QVERIFY(finished.wait(30000));
    QCOMPARE(dialog.steps().size(), 7);
}

void TstUiDoctor::closingMidRunStopsPromptly()
{
    QTcpServer silent; // takes connections, answers nothing: the Kafka step would wait for a minute
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    DoctorOptions options;
    options.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(silent.serverPort());
    options.metadataTimeoutMs = 60000;
    auto dialog = std::make_unique<ui::DoctorDialog>(options);
    dialog->show();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->steps().size(), 3, 10000); // DNS, TCP, TLS skipped: now asking for metadata
    QTest::qWait(200);
    QVERIFY(dialog->isRunning());
    QElapsedTimer clock;
    clock.start();
    dialog.reset();
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
}

QTEST_MAIN(TstUiDoctor)
#include "tst_ui_doctor.moc"
