#include <QTest>

class TstUi final : public QObject {
    Q_OBJECT
};

QTEST_MAIN(TstUi)
#include "tst_ui_dashboard.moc"
