#include <QTest>

class TstEngine final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstEngine)
#include "tst_engine.moc"
