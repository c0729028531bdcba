#include <QTest>

class TstParsing final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QSKIP("written next"); }
};

QTEST_GUILESS_MAIN(TstParsing)
#include "tst_parsing.moc"
