#include <QTest>

class TstRules final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstRules)
#include "tst_rules.moc"
