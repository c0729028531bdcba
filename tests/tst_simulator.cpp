#include <QTest>

class TstSimulator final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstSimulator)
#include "tst_simulator.moc"
