#include <QTest>

class TstCli final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
