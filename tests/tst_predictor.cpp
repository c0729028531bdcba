#include <QTest>

class TstPredictor final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstPredictor)
#include "tst_predictor.moc"
