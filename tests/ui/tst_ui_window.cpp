// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// The main window as a user meets it, offscreen: demo mode reaching live figures, the status bar,
// rejected messages, alerts opening their product, saved connections and the remembered layout.
#include "alert_center.h"
#include "alerts_model.h"
#include "alerts_view.h"
#include "connection_profile.h"
#include "dashboard_view.h"
#include "embedded_cluster.h"
#include "delivery_dialog.h"
#include "kafka_producer.h"
#include "live_analysis.h"
#include "main_window.h"
#include "msk_iam_auth.h"
#include "profile_dialog.h"
#include "product_table_model.h"
#include "rejects_dialog.h"
#include "rules_dialog.h"
#include "simulator_view.h"
#include "secret_store.h"
#include "status_figures.h"
#include "system_palette.h"
#include "thread_priority.h"
#include "stock_chart.h"

#include <QApplication>
#include <QChart>
#include <QHash>
#include <QMenu>
#include <QProcess>
#include <QScopeGuard>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QToolBar>
#include <QMessageBox>
#include <QDir>
#include <QFileInfo>
#include <QMultiHash>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QAbstractSpinBox>
#include <QAction>
#include <QGroupBox>
#include <QStatusBar>
#include <QLabel>
#include <QLineEdit>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <optional>

#include <sys/resource.h>

using namespace peakwatch;
using namespace peakwatch::ui;

namespace {

// Texts shown anywhere in the application's widgets that look like UTF-8 read as Latin-1 ("Connectingâ€¦" for
// "Connecting…", "Â±" for "±", "Ã©" for "é") or carry the replacement character of undecodable bytes.
QStringList mojibake()
{
    QStringList found;
    const auto check = [&found](const QObject *where, const QString &what, const QString &text) {
        static const QString latin1Utf8Lead = QString::fromUtf8("\u00e2\u20ac"); // "â€", as in "â€¦" and "â€”"
        if (text.contains(latin1Utf8Lead) || text.contains(QChar(0xc3)) || text.contains(QChar(0xc2)) ||
            text.contains(QChar(QChar::ReplacementCharacter)))
            found << QStringLiteral("%1 %2, %3: %4")
                         .arg(QString::fromLatin1(where->metaObject()->className()), where->objectName(), what, text);
    };
    const auto checkActions = [&check](const QObject *owner) {
        for (const QAction *action : owner->findChildren<QAction *>()) {
            check(action, QStringLiteral("text"), action->text());
            check(action, QStringLiteral("tool tip"), action->toolTip());
            check(action, QStringLiteral("status tip"), action->statusTip());
        }
    };
    for (const QWidget *w : QApplication::allWidgets()) {
        check(w, QStringLiteral("tool tip"), w->toolTip());
        check(w, QStringLiteral("status tip"), w->statusTip());
        check(w, QStringLiteral("window title"), w->windowTitle());
        check(w, QStringLiteral("accessible name"), w->accessibleName());
        if (const auto *label = qobject_cast<const QLabel *>(w))
            check(w, QStringLiteral("text"), label->text());
        if (const auto *button = qobject_cast<const QAbstractButton *>(w))
            check(w, QStringLiteral("text"), button->text());
        if (const auto *edit = qobject_cast<const QLineEdit *>(w)) {
            check(w, QStringLiteral("text"), edit->text());
            check(w, QStringLiteral("placeholder"), edit->placeholderText());
        }
        if (const auto *box = qobject_cast<const QGroupBox *>(w))
            check(w, QStringLiteral("title"), box->title());
        if (const auto *combo = qobject_cast<const QComboBox *>(w))
            for (int i = 0; i < combo->count(); ++i) {
                check(w, QStringLiteral("item"), combo->itemText(i));
                check(w, QStringLiteral("item tool tip"), combo->itemData(i, Qt::ToolTipRole).toString());
            }
        if (const auto *tabs = qobject_cast<const QTabWidget *>(w))
            for (int i = 0; i < tabs->count(); ++i) {
                check(w, QStringLiteral("tab"), tabs->tabText(i));
                check(w, QStringLiteral("tab tool tip"), tabs->tabToolTip(i));
            }
        if (const auto *spin = qobject_cast<const QAbstractSpinBox *>(w))
            check(w, QStringLiteral("text"), spin->text());
        if (const auto *bar = qobject_cast<const QStatusBar *>(w))
            check(w, QStringLiteral("message"), bar->currentMessage());
        if (const auto *view = qobject_cast<const QAbstractItemView *>(w); view && view->model()) {
            const QAbstractItemModel *model = view->model();
            for (int c = 0; c < model->columnCount(); ++c)
                for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                    check(w, QStringLiteral("heading"), model->headerData(c, Qt::Horizontal, role).toString());
            for (int r = 0; r < std::min(model->rowCount(), 50); ++r)
                for (int c = 0; c < model->columnCount(); ++c)
                    for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                        check(w, QStringLiteral("cell"), model->index(r, c).data(role).toString());
        }
        checkActions(w);
    }
    return found;
}

} // namespace

class TstUiWindow final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void demoReachesLiveFiguresWithinSeconds();
    void rejectedMessagesAreCountedAndShown();
    void savedConnectionsKeepNoSecrets();
    void connectionDialogFollowsMsksListeners();
    void unknownConnectionIsAClearError();
    void unreachableClusterFailsWithoutBlockingTheWindow();
    void iamConnectionSignsWithItsKeptKeys();
    void withoutAKeychainSecretsAreKeptOnlyByChoice();
    void disconnectingWhileConnectingIsImmediate();
    void failedConnectionIsTriedAgainUntilDisconnected();
    void reconnectWaitsDoubleUpToAMinute();
    void aConnectionOfThreeTopicsIsReadAndFedWhole();
    void savedConnectionIsOfferedNotSwitchedTo();
    void disconnectingLeavesNoStaleRows();
    void layoutIsRemembered();
    void readsTheDarkPreferenceFromGnomeAndTheEnvironment();
    void aDarkPreferenceDrawsEveryTabDarkWithLightText();
    void alertsAreKeptAcknowledgedAndSurviveARestart();
    void rulesAreSavedAndAppliedAtOnce();
    void backgroundThreadsYieldToTheWindow();
    void aBurstOfAlertsNeverHoldsTheWindowLong();
    void everyTextReachesTheScreenIntact();

private:
    QTemporaryDir m_settings;
};

void TstUiWindow::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    QApplication::setOrganizationName(QStringLiteral("PeakwatchTest"));
    qputenv("XDG_DATA_HOME", m_settings.path().toUtf8()); // the alert outbox and rules, away from the user's
    QApplication::setApplicationName(QStringLiteral("tst_ui_window"));
}

void TstUiWindow::demoReachesLiveFiguresWithinSeconds()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.windowIcon().isNull());
    QCOMPARE(window.tabs().count(), 4);
    QVERIFY(window.startDemo(60));
    QTRY_COMPARE(window.figures().state(), StatusFigures::State::Live);
    QCOMPARE(window.tabs().currentWidget(), &window.dashboard());

    // Within seconds: products on the dashboard, a sales rate and a predicted sell-out for some of them,
    // and events per second in the status bar.
    ProductTableModel &model = window.dashboard().model();
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 100, 10000);
    auto predicted = [&model] {
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.snapshot(r).selloutAtMs && model.snapshot(r).status != ProductStatus::SoldOut)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(predicted(), 15000);
    // Live: the demo's sales take stock away. Each product's units now, and then some product with fewer of them a
    // few seconds on.
    QHash<QString, qint64> unitsAtFirst;
    const auto key = [](const ProductSnapshot &s) -> QString {
        return QString::fromUtf8(s.shop) + u'/' + QString::number(s.productId);
    };
    for (int r = 0; r < model.rowCount(); ++r)
        unitsAtFirst.insert(key(model.snapshot(r)), model.snapshot(r).quantity);
    const auto someStockFell = [&] {
        for (int r = 0; r < model.rowCount(); ++r) {
            const ProductSnapshot &s = model.snapshot(r);
            if (const auto it = unitsAtFirst.constFind(key(s)); it != unitsAtFirst.cend() && s.quantity < *it)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(someStockFell(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.figures().eventsText().startsWith(u'0'), 5000);
    QVERIFY(window.batchesReceived() > 5);
    // One clock: the stream's (the simulated Black Friday's), with its zone, in the status bar; the window's
    // title names the connection once (the desktop adds "— Peakwatch").
    QVERIFY2(window.figures().streamTimeText().startsWith(QStringLiteral("Stream time ")) &&
                 window.figures().streamTimeText().contains(QStringLiteral("Nov")),
             qPrintable(window.figures().streamTimeText()));
    QCOMPARE(window.windowTitle(), MainWindow::embeddedName());

    // Selecting the soonest sell-out charts it.
    QTableView &table = window.dashboard().table();
    table.sortByColumn(ProductTableModel::SelloutIn, Qt::AscendingOrder);
    table.selectRow(0);
    QTRY_COMPARE_WITH_TIMEOUT(window.dashboard().chart().productCount(), 1, 5000);

    // An alert opens its product in the dashboard.
    AlertsModel &alerts = window.alerts().model();
    QTRY_VERIFY_WITH_TIMEOUT(alerts.rowCount() > 0, 20000);
    window.tabs().setCurrentWidget(&window.alerts());
    QTableView &alertTable = window.alerts().table();
    alertTable.setCurrentIndex(alertTable.model()->index(0, 0));
    QTest::keyClick(&alertTable, Qt::Key_Return);
    QCOMPARE(window.tabs().currentWidget(), &window.dashboard());
    const std::vector<ProductRef> selected = window.dashboard().selectedProducts();
    QCOMPARE(selected.size(), size_t(1));
    QCOMPARE(selected[0], alerts.productAt(0));
    // Its row is in view, however far down the sorted table it is.
    QTableView &products = window.dashboard().table();
    const QModelIndex current = products.selectionModel()->selectedRows().value(0);
    QTRY_VERIFY(products.viewport()->rect().contains(products.visualRect(current).center()));
    window.close();
}

void TstUiWindow::rejectedMessagesAreCountedAndShown()
{
    MainWindow window;
    window.show();
    QVERIFY(window.connectTo(MainWindow::embeddedName()));
    auto producer = KafkaProducer::create(window.bootstrapServers());
    QVERIFY(producer);
    QVERIFY((*producer)->produce("products", "a.myshopify.com", "{\"id\": 1, \"title\": \"broken\""));
    QVERIFY((*producer)->produce("products", "a.myshopify.com", "[1, 2]"));
    QVERIFY((*producer)->flush(10000));
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().rejectedText(), QStringLiteral("2 rejected"), 10000);
    auto *button = window.figures().findChild<QToolButton *>();
    QVERIFY(button && button->isEnabled());
    button->click();
    auto *dialog = window.findChild<RejectsDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->reasonCount(), 2); // invalid JSON, not an object
    window.close();
}

void TstUiWindow::savedConnectionsKeepNoSecrets()
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("Production MSK");
    profile.bootstrapServers = QStringLiteral("b-1.example:9096,b-2.example:9096");
    profile.topic = QStringLiteral("shopify-products");
    auto properties = ConnectionProfile::parseProperties(QStringLiteral(
        "# MSK over SCRAM\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.username=peakwatch\n"
        "sasl.password=hunter2\n"));
    QVERIFY(properties);
    profile.properties = *properties;
    {
        QSettings settings;
        QCOMPARE(profile.save(settings), QStringList{QStringLiteral("sasl.password")});
    }
    QSettings settings;
    const QList<ConnectionProfile> loaded = ConnectionProfile::loadAll(settings);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded[0].name, profile.name);
    QCOMPARE(loaded[0].bootstrapServers, profile.bootstrapServers);
    QCOMPARE(loaded[0].topic, profile.topic);
    QCOMPARE(loaded[0].properties.size(), 3);
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("hunter2")); // never on disk

    const auto bad = ConnectionProfile::parseProperties(QStringLiteral("security.protocol=SSL\nnot a property\n"));
    QVERIFY(!bad);
    QCOMPARE(bad.error(), QStringLiteral("line 2: \"not a property\" is not key=value"));
    ConnectionProfile::remove(settings, profile.name);
    QVERIFY(ConnectionProfile::loadAll(settings).isEmpty());
}

void TstUiWindow::connectionDialogFollowsMsksListeners()
{
    ConnectionProfile start;
    start.name = QStringLiteral("Production MSK");
    start.bootstrapServers = QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9098");
    ProfileDialog dialog(start);
    auto *security = dialog.findChild<QComboBox *>();
    QVERIFY(security);
    auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("password"));
    auto *keyId = dialog.findChild<QLineEdit *>(QStringLiteral("awsKeyId"));
    auto *secret = dialog.findChild<QLineEdit *>(QStringLiteral("awsSecret"));
    QVERIFY(password && keyId && secret);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    const auto shownError = [&dialog] {
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            if (label->styleSheet().contains(QLatin1String("color")))
                return label->text();
        return QString();
    };

    // The port says IAM: plaintext is refused, in words.
    QVERIFY(!password->isVisibleTo(&dialog));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(shownError(), QStringLiteral("Port 9098 is MSK's IAM listener: choose IAM."));

    // IAM: AWS keys of the connection's own, both or neither, kept apart from the profile.
    security->setCurrentIndex(security->findData(int(ConnectionProfile::Security::Iam)));
    QVERIFY(keyId->isVisibleTo(&dialog) && secret->isVisibleTo(&dialog) && !password->isVisibleTo(&dialog));
    secret->setText(QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(shownError(),
             QStringLiteral("AWS access key ID: needed with the secret access key (or leave both empty)"));
    keyId->setText(QStringLiteral("my-key"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY2(shownError().startsWith(QStringLiteral("AWS access key ID: \"my-key\" is not one")),
             qPrintable(shownError()));
    keyId->setText(QStringLiteral("AKIAIOSFODNN7EXAMPLE"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.awsKeys(), QStringLiteral("AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    QCOMPARE(dialog.profile().security, ConnectionProfile::Security::Iam);
    QVERIFY(!dialog.profile().propertiesText().contains(QStringLiteral("wJalrXUtnFEMI")));
    dialog.setResult(QDialog::Rejected);

    // SASL/SCRAM shows the user and password; a client.properties fills them, the name stays.
    security->setCurrentIndex(security->findData(int(ConnectionProfile::Security::SaslScram)));
    QVERIFY(password->isVisibleTo(&dialog));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("client.properties"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("bootstrap.servers=b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9096\n"
                  "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                  "ssl.truststore.location=/tmp/kafka.client.truststore.jks\n"
                  "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                  "username=\"alice\" password=\"alice-secret-1234\";\n");
    }
    QVERIFY(dialog.importClientProperties(file));
    QVERIFY2(dialog.importNotes().contains(QStringLiteral("Java truststore (JKS)")), qPrintable(dialog.importNotes()));
    QVERIFY(!dialog.importNotes().contains(QStringLiteral("alice-secret-1234")));
    QCOMPARE(password->text(), QStringLiteral("alice-secret-1234"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const ConnectionProfile saved = dialog.profile();
    QCOMPARE(saved.name, start.name);
    QCOMPARE(saved.security, ConnectionProfile::Security::SaslScram);
    QCOMPARE(saved.saslUsername, QStringLiteral("alice"));
    QCOMPARE(dialog.password(), QStringLiteral("alice-secret-1234")); // for the secret store, not the profile
    QVERIFY(!saved.propertiesText().contains(QStringLiteral("alice-secret")));
}

void TstUiWindow::unknownConnectionIsAClearError()
{
    MainWindow window;
    const Status s = window.connectTo(QStringLiteral("Nowhere"));
    QVERIFY(!s);
    QCOMPARE(s.error(), QStringLiteral("there is no saved connection named \"Nowhere\""));
}

void TstUiWindow::unreachableClusterFailsWithoutBlockingTheWindow()
{
    QTcpServer closed; // a port that nothing listens on once closed
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    ConnectionProfile profile;
    profile.name = QStringLiteral("Nowhere on this machine");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(port);
    {
        ProfileSettings settings; // shared with peakwatch-cli: where the window looks
        profile.save(settings);
    }
    MainWindow window;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(window.connectTo(profile.name));
    QVERIFY2(clock.elapsed() < 1000, "connecting must not wait for the cluster on the UI thread");
    QCOMPARE(window.figures().state(), StatusFigures::State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().state(), StatusFigures::State::Failed, 20000);
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

void TstUiWindow::iamConnectionSignsWithItsKeptKeys()
{
    // An IAM connection whose AWS keys are kept (here for the session: no keychain runs in the tests) signs its
    // token with them, whatever the environment holds; nothing of them reaches the settings file.
    qputenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT");
    qputenv("AWS_SECRET_ACCESS_KEY", "environment-secret-0123456789");
    ConnectionProfile profile;
    profile.name = QStringLiteral("Shop MSK with keys");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:9098");
    profile.security = ConnectionProfile::Security::Iam;
    profile.awsRegion = QStringLiteral("eu-west-1");
    const QString secret = QStringLiteral("kept-secret-key-0123456789abcdef");
    {
        ProfileSettings settings;
        profile.save(settings);
    }
    MainWindow window;
    bool written = false;
    window.alertCenter().sessionSecrets().write(awsKeysKey(profile.name),
                                                awsKeysSecret(QStringLiteral("AKIAKEPTFORTHISONE"), secret),
                                                [&](Status s) { written = bool(s); });
    QTRY_VERIFY(written);
    QVERIFY(window.connectTo(profile.name));
    QTRY_VERIFY2_WITH_TIMEOUT(lastMskIamRefresh().startsWith(QLatin1String("token for AKIAKEPTFORTHISONE")),
                              qPrintable(lastMskIamRefresh()), 10000);
    window.disconnectFromCluster();
    {
        ProfileSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(secret.toUtf8()));
        ConnectionProfile::remove(settings, profile.name);
    }
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
}

void TstUiWindow::withoutAKeychainSecretsAreKeptOnlyByChoice()
{
    // No Secret Service runs here: saving a connection with AWS keys asks whether to keep them for the session.
    MainWindow window;
    window.show();
    QAction *add = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->text() == QStringLiteral("New…"))
            add = action;
    QVERIFY(add);
    const QString name = QStringLiteral("Keys without a keychain");
    const QString secret = QStringLiteral("no-keychain-secret-0123456789");
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = qobject_cast<ProfileDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        for (QLineEdit *edit : dialog->findChildren<QLineEdit *>())
            if (edit->placeholderText() == QLatin1String("Production MSK"))
                edit->setText(name);
        auto *security = dialog->findChild<QComboBox *>();
        security->setCurrentIndex(security->findData(int(ConnectionProfile::Security::Iam)));
        for (QLineEdit *edit : dialog->findChildren<QLineEdit *>())
            if (edit->placeholderText().startsWith(QLatin1String("b-1.")))
                edit->setText(QStringLiteral("b-1.shop.abc123.c2.kafka.us-east-1.amazonaws.com:9098"));
        dialog->findChild<QLineEdit *>(QStringLiteral("awsKeyId"))->setText(QStringLiteral("AKIANOKEYCHAIN000001"));
        dialog->findChild<QLineEdit *>(QStringLiteral("awsSecret"))->setText(secret);
        dialog->accept();
        QCOMPARE(dialog->result(), int(QDialog::Accepted));
    });
    add->trigger();
    QMessageBox *choice = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((choice = window.findChild<QMessageBox *>(QStringLiteral("keychainChoice"))), 30000);
    QVERIFY2(choice->text().contains(QStringLiteral("cannot be kept in the system keychain")),
             qPrintable(choice->text()));
    QVERIFY(!choice->text().contains(secret));
    // Nothing is kept until the person says so.
    std::optional<QString> kept = QStringLiteral("unread");
    window.alertCenter().sessionSecrets().read(
        awsKeysKey(name), [&](Result<std::optional<QString>> found) { kept = found ? *found : std::nullopt; });
    QTRY_VERIFY(!kept.has_value());
    QAbstractButton *keep = nullptr;
    for (QAbstractButton *button : choice->buttons())
        if (button->text() == QLatin1String("Keep for this session"))
            keep = button;
    QVERIFY(keep);
    keep->click();
    kept = QStringLiteral("unread");
    window.alertCenter().sessionSecrets().read(
        awsKeysKey(name), [&](Result<std::optional<QString>> found) { kept = found ? *found : std::nullopt; });
    QTRY_COMPARE(kept, std::optional<QString>(awsKeysSecret(QStringLiteral("AKIANOKEYCHAIN000001"), secret)));
    ProfileSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(secret.toUtf8()));
    ConnectionProfile::remove(settings, name);
}

void TstUiWindow::disconnectingWhileConnectingIsImmediate()
{
    QTcpServer silent; // accepts connections (the kernel does) and never answers, like a half-open VPN
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    ConnectionProfile profile;
    profile.name = QStringLiteral("Silent, then nothing");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(silent.serverPort());
    {
        ProfileSettings settings; // shared with peakwatch-cli: where the window looks
        profile.save(settings);
    }
    MainWindow window;
    QVERIFY(window.connectTo(profile.name));
    QTest::qWait(300); // well into the wait for the cluster
    QCOMPARE(window.figures().state(), StatusFigures::State::Connecting);
    QElapsedTimer clock;
    clock.start();
    window.disconnectFromCluster();
    QVERIFY2(clock.elapsed() < 1000, "the store manager changed their mind: the window must not wait 10 s");
    QCOMPARE(window.figures().state(), StatusFigures::State::Disconnected);
    QTest::qWait(200); // the abandoned attempt reports nothing afterwards
    QCOMPARE(window.figures().state(), StatusFigures::State::Disconnected);
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

void TstUiWindow::failedConnectionIsTriedAgainUntilDisconnected()
{
    QTcpServer closed; // a port that nothing listens on once closed: the VPN is down
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    ConnectionProfile profile;
    profile.name = QStringLiteral("Behind the VPN");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(port);
    {
        ProfileSettings settings;
        profile.save(settings);
    }
    MainWindow window;
    QVERIFY(window.connectTo(profile.name));
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().state(), StatusFigures::State::Failed, 20000);
    QVERIFY2(window.figures().stateDetail().contains(QLatin1String("trying again in 2 s")),
             qPrintable(window.figures().stateDetail()));
    // Two seconds later it tries again by itself.
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().state(), StatusFigures::State::Connecting, 5000);
    // The second failure waits longer; Disconnect stops the retrying.
    QTRY_VERIFY_WITH_TIMEOUT(window.figures().stateDetail().contains(QLatin1String("trying again in 4 s")), 20000);
    // The wait counts down, a second at a time.
    QTRY_VERIFY_WITH_TIMEOUT(window.figures().stateDetail().contains(QLatin1String("trying again in 3 s")), 2500);
    // On screen too: the error (well over the status bar's room, naming broker, cause and doctor) is what is cut.
    QVERIFY2(window.figures().stateDetail().size() > 100, qPrintable(window.figures().stateDetail()));
    QVERIFY2(window.figures().stateShown().contains(QLatin1String("trying again in 3 s")),
             qPrintable(window.figures().stateShown()));
    QVERIFY2(window.figures().stateShown().endsWith(u'…'), qPrintable(window.figures().stateShown()));
    window.disconnectFromCluster();
    QTest::qWait(4500);
    QCOMPARE(window.figures().state(), StatusFigures::State::Disconnected);
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

void TstUiWindow::reconnectWaitsDoubleUpToAMinute()
{
    // The waits the window counts down after each failure in a row (failedConnectionIsTriedAgainUntilDisconnected
    // sees the first two on screen; each failure against a closed port takes the 10 s the client gives a cluster
    // to answer, so the rest are read from the rule the window follows).
    QList<int> waits;
    for (int failures = 1; failures <= 10; ++failures)
        waits << MainWindow::reconnectDelaySeconds(failures);
    QCOMPARE(waits, (QList<int>{2, 4, 8, 16, 32, 60, 60, 60, 60, 60}));
    QCOMPARE(MainWindow::reconnectDelaySeconds(1000), 60);
}

void TstUiWindow::aConnectionOfThreeTopicsIsReadAndFedWhole()
{
    // Shopify's three topics on Kafka topics of their own, named in one connection: the dashboard reads them as
    // one stream, and the Simulator feeds each its own kind of webhook.
    auto cluster = EmbeddedCluster::start(1, {{QStringLiteral("shop.products"), 2},
                                              {QStringLiteral("shop.inventory-levels"), 2},
                                              {QStringLiteral("shop.orders"), 2}});
    QVERIFY2(cluster, qPrintable(cluster.error()));
    ConnectionProfile profile;
    profile.name = QStringLiteral("Three topics");
    profile.bootstrapServers = (*cluster)->bootstrapServers();
    profile.topic = QStringLiteral("shop.products, shop.inventory-levels, shop.orders");
    QCOMPARE(profile.problems(), QStringList());
    {
        ProfileSettings settings;
        profile.save(settings);
    }
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.connectTo(profile.name));
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().state(), StatusFigures::State::Live, 20000);

    window.tabs().setCurrentWidget(&window.simulator());
    auto *label = window.simulator().findChild<QLabel *>(QStringLiteral("connectionLabel"));
    QVERIFY(label && label->text().contains(QLatin1String("shop.orders")));
    auto *shopifyTopics = window.simulator().findChild<QCheckBox *>(QStringLiteral("shopifyTopics"));
    QVERIFY(shopifyTopics && shopifyTopics->isChecked());
    window.simulator().findChild<QSpinBox *>(QStringLiteral("duration"))->setValue(3);
    qint64 consumed = 0;
    connect(&window.analysis(), &LiveAnalysis::batchReady, this,
            [&consumed](const LiveBatchPtr &batch) { consumed = batch->stats.consumed; });
    QSignalSpy finished(&window.simulator().controller(), &SimulatorController::finished);
    QTest::mouseClick(window.simulator().findChild<QPushButton *>(QStringLiteral("start")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.at(0).at(1).toString().isEmpty(), qPrintable(finished.at(0).at(1).toString()));
    const QJsonObject report = QJsonDocument::fromJson(finished.at(0).at(0).toByteArray()).object();
    const qint64 acknowledged = report.value(QLatin1String("acknowledged")).toInteger();
    QVERIFY(acknowledged > 0);
    // Every message the simulator wrote, on whichever of the three topics, is read.
    QTRY_COMPARE_WITH_TIMEOUT(consumed, acknowledged, 20000);

    // Products with their stock by location: the levels came from their own topic, and the orders from theirs.
    const ProductTableModel &model = window.dashboard().model();
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < model.rowCount(); ++r)
                if (!model.snapshot(r).locations.empty())
                    return true;
            return false;
        }(),
        20000);
    window.disconnectFromCluster();
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

void TstUiWindow::savedConnectionIsOfferedNotSwitchedTo()
{
    MainWindow window;
    QVERIFY(window.connectTo(MainWindow::embeddedName()));
    QTRY_COMPARE_WITH_TIMEOUT(window.figures().state(), StatusFigures::State::Live, 20000);
    auto *selector = window.findChild<QComboBox *>(QStringLiteral("connectionSelector"));
    QVERIFY(selector);
    auto offer = [&window] { return window.findChild<QMessageBox *>(QStringLiteral("connectOffer")); };
    auto answer = [](QMessageBox *box, const QString &button) {
        for (QAbstractButton *b : box->buttons())
            if (b->text() == button) {
                b->click();
                return true;
            }
        return false;
    };

    // A new connection is saved while the demo runs: the selector stays on the demo, and connecting is offered.
    ConnectionProfile profile;
    profile.name = QStringLiteral("Shop behind the VPN");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:9");
    window.saveConnection(profile, {}, {}, ConnectionProfile{});
    QCOMPARE(selector->currentText(), MainWindow::embeddedName());
    QTRY_VERIFY(offer());
    QMessageBox *box = offer();
    QVERIFY(box->text().contains(QStringLiteral("Connect to it now?")));
    QVERIFY(answer(box, QStringLiteral("Later")));
    QCOMPARE(window.figures().state(), StatusFigures::State::Live);
    QCOMPARE(selector->currentText(), MainWindow::embeddedName());
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("connectOffer")));

    // Connected to it (nothing listens there), its address is corrected: reconnecting is offered, and uses it.
    QVERIFY(window.connectTo(profile.name));
    QCOMPARE(selector->currentText(), profile.name);
    ConnectionProfile corrected = profile;
    corrected.bootstrapServers = window.bootstrapServers() == QLatin1String("127.0.0.1:9")
                                     ? QStringLiteral("127.0.0.1:19")
                                     : QStringLiteral("127.0.0.1:9");
    window.saveConnection(corrected, {}, {}, profile);
    QCOMPARE(selector->currentText(), profile.name);
    QTRY_VERIFY(offer());
    box = offer();
    QVERIFY(box->text().contains(QStringLiteral("reconnect now")));
    QVERIFY(answer(box, QStringLiteral("Reconnect now")));
    QTRY_COMPARE(window.bootstrapServers(), QStringLiteral("127.0.0.1:19"));
    window.disconnectFromCluster();
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

void TstUiWindow::disconnectingLeavesNoStaleRows()
{
    MainWindow window;
    QVERIFY(window.startDemo(60));
    QTRY_VERIFY_WITH_TIMEOUT(window.dashboard().model().rowCount() > 50, 20000);
    // Batches built while the analysis stops never reach the dashboard once it is cleared.
    window.disconnectFromCluster();
    QCOMPARE(window.dashboard().model().rowCount(), 0);
    QTest::qWait(1500);
    QCOMPARE(window.dashboard().model().rowCount(), 0);
    QCOMPARE(window.figures().state(), StatusFigures::State::Disconnected);
}

void TstUiWindow::layoutIsRemembered()
{
    // Everything of the layout the window saves (MainWindow::saveLayout): its geometry, its toolbars' state, the
    // dashboard's split between table and chart, and the tab.
    QList<int> split;
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(1000, 700);
        window.move(120, 80);
        window.tabs().setCurrentWidget(&window.dashboard());
        // The handle between table and chart dragged 80 px up.
        QSplitter &splitter = window.dashboard().splitter();
        QTRY_VERIFY(splitter.handle(1)->isVisible() && splitter.sizes().value(1) > 0);
        const QList<int> before = splitter.sizes();
        QSplitterHandle *handle = splitter.handle(1);
        // Where the pointer is, on the splitter (the handle moves under it while dragged).
        const QPoint grip = handle->mapTo(&splitter, handle->rect().center());
        const auto on = [&](int up) { return handle->mapFrom(&splitter, grip - QPoint(0, up)); };
        QTest::mousePress(handle, Qt::LeftButton, Qt::NoModifier, on(0));
        QTest::mouseMove(handle, on(40));
        QTest::mouseMove(handle, on(80));
        QTest::mouseRelease(handle, Qt::LeftButton, Qt::NoModifier, on(80));
        split = splitter.sizes();
        QCOMPARE(split.value(0), before.value(0) - 80);
        QCOMPARE(split.value(1), before.value(1) + 80);
        // The Alerts toolbar hidden from the window's menu of toolbars.
        std::unique_ptr<QMenu> toolbars(window.createPopupMenu());
        QAction *alertsBar = nullptr;
        for (QAction *action : toolbars->actions())
            if (action->text() == QLatin1String("Alerts"))
                alertsBar = action;
        QVERIFY(alertsBar && alertsBar->isChecked());
        alertsBar->trigger();
        QVERIFY(!window.findChild<QToolBar *>(QStringLiteral("AlertsToolBar"))->isVisible());
        window.tabs().setCurrentIndex(2);
        window.close();
    }
    MainWindow again;
    const auto cleanup = qScopeGuard([] { QSettings().remove(QStringLiteral("window")); }); // later tests: the default
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1000, 700));
    QCOMPARE(again.pos(), QPoint(120, 80));
    QCOMPARE(again.tabs().currentIndex(), 2);
    QVERIFY(!again.findChild<QToolBar *>(QStringLiteral("AlertsToolBar"))->isVisible());
    QVERIFY(again.findChild<QToolBar *>(QStringLiteral("ConnectionToolBar"))->isVisible());
    again.tabs().setCurrentWidget(&again.dashboard());
    QTRY_COMPARE(again.dashboard().splitter().sizes(), split);
}

namespace {

// Sets an environment variable for the scope, and puts back what was there before (or nothing).
class ScopedEnv {
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
    {
        m_old = qgetenv(name);
        value.isNull() ? qunsetenv(name) : qputenv(name, value);
    }
    ~ScopedEnv() { m_had ? qputenv(m_name, m_old) : qunsetenv(m_name); }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

// GNOME's settings as the desktop keeps them, apart from the user's: dconf's database in a temporary directory,
// written by dconf's own service on a private session bus (dbus-daemon) whose only service it is. gsettings reads
// and writes them there while this lives, as on a GNOME desktop.
class PrivateGnomeSettings {
public:
    PrivateGnomeSettings()
        : m_config("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8())
        , m_runtime("XDG_RUNTIME_DIR", m_dir.filePath(QStringLiteral("runtime")).toUtf8())
        , m_backend("GSETTINGS_BACKEND", QByteArray()) // the desktop's own: dconf
    {
        QDir(m_dir.path()).mkpath(QStringLiteral("runtime"));
        QFile::setPermissions(m_dir.filePath(QStringLiteral("runtime")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    ~PrivateGnomeSettings()
    {
        if (m_bus.state() != QProcess::NotRunning) {
            m_bus.terminate(); // dconf's service leaves with its bus
            m_bus.waitForFinished(5000);
        }
    }
    // Empty when the bus is up; else what is missing.
    QString start()
    {
        const QString gsettings = QStandardPaths::findExecutable(QStringLiteral("gsettings"));
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        const QString service = QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                                                       QStringLiteral("dbus-1/services/ca.desrt.dconf.service"));
        if (gsettings.isEmpty() || daemon.isEmpty() || service.isEmpty())
            return QStringLiteral("needs gsettings (libglib2.0-bin), dbus-daemon (dbus) and dconf's service "
                                  "(dconf-service, dconf-gsettings-backend)");
        if (!run({QStringLiteral("list-keys"), QStringLiteral("org.gnome.desktop.interface")}).contains("color-scheme"))
            return QStringLiteral("needs GNOME's org.gnome.desktop.interface color-scheme (gsettings-desktop-schemas)");
        const QString services = m_dir.filePath(QStringLiteral("services"));
        QDir().mkpath(services);
        QFile::copy(service, services + QStringLiteral("/ca.desrt.dconf.service"));
        QFile config(m_dir.filePath(QStringLiteral("session.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return config.errorString();
        config.write(QStringLiteral(R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%1</listen>
  <auth>EXTERNAL</auth>
  <servicedir>%2</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)")
                         .arg(m_dir.path(), services)
                         .toUtf8());
        config.close();
        m_bus.start(daemon, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                             QStringLiteral("--print-address=1")});
        QElapsedTimer waited;
        waited.start();
        while (!m_bus.canReadLine() && m_bus.state() != QProcess::NotRunning && !waited.hasExpired(10000))
            m_bus.waitForReadyRead(100);
        const QByteArray address = m_bus.readLine().trimmed();
        if (address.isEmpty())
            return QStringLiteral("dbus-daemon did not start: ") + QString::fromLocal8Bit(m_bus.readAllStandardError());
        m_address.emplace("DBUS_SESSION_BUS_ADDRESS", address);
        return {};
    }
    // What GNOME Settings' Appearance page writes: "default", "prefer-dark" or "prefer-light".
    bool setColorScheme(const QString &value)
    {
        run({QStringLiteral("set"), QStringLiteral("org.gnome.desktop.interface"), QStringLiteral("color-scheme"),
             value});
        return colorScheme() == QStringLiteral("'%1'").arg(value);
    }
    QString colorScheme()
    {
        return QString::fromUtf8(
            run({QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"), QStringLiteral("color-scheme")})
                .trimmed());
    }
    // Where dconf keeps what was set: there only if dconf, not a stand-in, took it.
    QString database() const { return m_dir.filePath(QStringLiteral("config/dconf/user")); }

private:
    static QByteArray run(const QStringList &arguments)
    {
        QProcess gsettings;
        gsettings.start(QStringLiteral("gsettings"), arguments);
        if (!gsettings.waitForFinished(10000))
            gsettings.kill();
        return gsettings.readAllStandardOutput();
    }

    QTemporaryDir m_dir;
    ScopedEnv m_config, m_runtime, m_backend;
    std::optional<ScopedEnv> m_address;
    QProcess m_bus;
};

} // namespace

void TstUiWindow::readsTheDarkPreferenceFromGnomeAndTheEnvironment()
{
    ScopedEnv theme("PEAKWATCH_THEME", QByteArray()), gtk("GTK_THEME", QByteArray());
    // The environment's: PEAKWATCH_THEME decides; else GTK_THEME's dark variant.
    {
        ScopedEnv dark("PEAKWATCH_THEME", "dark");
        QVERIFY(systemPrefersDark());
    }
    {
        ScopedEnv variant("GTK_THEME", "Adwaita:dark");
        QVERIFY(systemPrefersDark());
        ScopedEnv light("PEAKWATCH_THEME", "light");
        QVERIFY(!systemPrefersDark()); // the explicit choice wins
    }

    // GNOME's: its dark style, org.gnome.desktop.interface color-scheme, read through gsettings from dconf.
    PrivateGnomeSettings gnome;
    if (const QString missing = gnome.start(); !missing.isEmpty())
        QSKIP(qPrintable(QStringLiteral("GNOME's setting cannot be read on this machine, by Peakwatch either: ") +
                         missing));
    QCOMPARE(gnome.colorScheme(), QStringLiteral("'default'"));
    QVERIFY(!systemPrefersDark());
    QVERIFY(gnome.setColorScheme(QStringLiteral("prefer-dark")));
    QVERIFY2(QFileInfo::exists(gnome.database()), qPrintable(gnome.database()));
    QVERIFY(systemPrefersDark());
    {
        ScopedEnv light("PEAKWATCH_THEME", "light");
        QVERIFY(!systemPrefersDark()); // the explicit choice wins over GNOME's too
    }
    QVERIFY(gnome.setColorScheme(QStringLiteral("prefer-light")));
    QVERIFY(!systemPrefersDark());
    QVERIFY(gnome.setColorScheme(QStringLiteral("default")));
    QVERIFY(!systemPrefersDark());
}

namespace {
// The share of the image's pixels darker than `lightness` (HSL, 0 to 255), of every fourth pixel.
qreal shareDarkerThan(const QImage &image, int lightness)
{
    qsizetype dark = 0, all = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2, ++all)
            dark += image.pixelColor(x, y).lightness() < lightness;
    return all ? qreal(dark) / qreal(all) : 0;
}
// Whether any pixel is lighter than `lightness`.
bool hasPixelsLighterThan(const QImage &image, int lightness)
{
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y).lightness() > lightness)
                return true;
    return false;
}
} // namespace

void TstUiWindow::aDarkPreferenceDrawsEveryTabDarkWithLightText()
{
    // What peakwatch's main() does at start (app/gui_main.cpp), the desktop preferring dark: Fusion, and the dark
    // palette.
    ScopedEnv theme("PEAKWATCH_THEME", "dark");
    const QPalette palette = QApplication::palette();
    const QString style = QApplication::style()->name();
    const auto restore = qScopeGuard([&] {
        QApplication::setStyle(style);
        QApplication::setPalette(palette);
    });
    QVERIFY(systemPrefersDark());
    applySystemColours();
    QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));

    MainWindow window;
    window.resize(1280, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // The palette the window and its table draw with: dark grounds, light text.
    QVERIFY(window.palette().color(QPalette::Window).lightness() < 64);
    QVERIFY(window.palette().color(QPalette::WindowText).lightness() > 192);
    QVERIFY(window.dashboard().table().palette().color(QPalette::Base).lightness() < 64);
    QVERIFY(window.dashboard().table().palette().color(QPalette::Text).lightness() > 192);
    QCOMPARE(window.dashboard().chart().chart()->theme(), QChart::ChartThemeDark);
    // As drawn, on every tab: nine pixels in ten darker than 80 of 255, and text lighter than 192.
    QStringList light;
    for (int tab = 0; tab < window.tabs().count(); ++tab) {
        window.tabs().setCurrentIndex(tab);
        const QImage shown = window.grab().toImage();
        const qreal dark = shareDarkerThan(shown, 80);
        if (dark < 0.9 || !hasPixelsLighterThan(shown, 192))
            light << QStringLiteral("%1: %2 % dark").arg(window.tabs().tabText(tab)).arg(qRound(dark * 100));
    }
    // The chart, with its axes' labels.
    window.tabs().setCurrentWidget(&window.dashboard());
    const QImage chart = window.dashboard().chart().grab().toImage();
    if (shareDarkerThan(chart, 80) < 0.9 || !hasPixelsLighterThan(chart, 192))
        light << QStringLiteral("the stock chart: %1 % dark").arg(qRound(shareDarkerThan(chart, 80) * 100));
    QVERIFY2(light.isEmpty(), qPrintable(light.join(QStringLiteral("; "))));
}

void TstUiWindow::alertsAreKeptAcknowledgedAndSurviveARestart()
{
    QByteArray acknowledgedId;
    int shown = 0;
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.startDemo(600)); // ten simulated minutes a second: alerts within seconds
        AlertsModel &alerts = window.alerts().model();
        QTRY_VERIFY_WITH_TIMEOUT(alerts.rowCount() >= 3, 30000);
        window.disconnectFromCluster();
        QTRY_VERIFY_WITH_TIMEOUT(!window.alertCenter().recording(), 10000);
        shown = alerts.rowCount();
        std::optional<qsizetype> kept;
        window.alertCenter().readHistory(
            100000, &window, [&](const std::vector<AlertOutbox::Entry> &entries) { kept = qsizetype(entries.size()); });
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), 5000);
        QCOMPARE(*kept, qsizetype(shown));
        QTRY_COMPARE_WITH_TIMEOUT(window.alertCenter().activeCount(), shown, 5000); // counted at most every 2 s
        const qint64 active = shown;

        // Acknowledge the newest through the Alerts tab's button.
        window.tabs().setCurrentWidget(&window.alerts());
        window.alerts().table().selectRow(0);
        acknowledgedId = alerts.alert(0).id;
        QToolButton *acknowledge = nullptr;
        for (QToolButton *button : window.alerts().findChildren<QToolButton *>())
            if (button->text() == QLatin1String("Acknowledge"))
                acknowledge = button;
        QVERIFY(acknowledge && acknowledge->isEnabled());
        QTest::mouseClick(acknowledge, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.alertCenter().activeCount(), active - 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(alerts.index(0, AlertsModel::State).data().toString(), QStringLiteral("Acknowledged"),
                                  5000);
        QVERIFY(window.alertCenter().tray().toolTip().contains(QString::number(active - 1)));
        // Acknowledged at the stream's time (the demo's Black Friday), as every time in the window is.
        const QString day = QLocale().toString(QDateTime::fromMSecsSinceEpoch(window.alerts().streamTime()),
                                               QStringLiteral("ddd d MMM"));
        QTRY_VERIFY_WITH_TIMEOUT(alerts.index(0, AlertsModel::State).data(Qt::ToolTipRole).toString().contains(day),
                                 5000);
    }
    // A new session shows the same history, acknowledgement included, before connecting to anything.
    MainWindow again;
    AlertsModel &alerts = again.alerts().model();
    QTRY_COMPARE_WITH_TIMEOUT(alerts.rowCount(), shown, 5000);
    int acknowledged = 0;
    for (int r = 0; r < alerts.rowCount(); ++r)
        if (alerts.acknowledged(r)) {
            ++acknowledged;
            QCOMPARE(alerts.alert(r).id, acknowledgedId);
        }
    QCOMPARE(acknowledged, 1);
}

void TstUiWindow::rulesAreSavedAndAppliedAtOnce()
{
    AlertRules rules;
    RuleSet defaults = rules.defaults();
    defaults.lowStock = 33;
    rules.setDefaults(defaults);
    rules.setQuietHours(QuietHours{21 * 60, 6 * 60});
    {
        MainWindow window;
        window.setRules(rules);
        QCOMPARE(window.rules().defaults().lowStock, 33);
    }
    MainWindow again;
    QCOMPARE(again.rules().defaults().lowStock, 33);
    QVERIFY(again.rules().quietHours() == (QuietHours{21 * 60, 6 * 60}));
}

namespace {
// The nice value of each of this process's threads, by thread name (Linux).
QMultiHash<QString, int> threadNiceValues()
{
    QMultiHash<QString, int> nice;
    for (const QFileInfo &task :
         QDir(QStringLiteral("/proc/self/task")).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(task.filePath() + QStringLiteral("/comm")), stat(task.filePath() + QStringLiteral("/stat"));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        nice.insert(QString::fromUtf8(comm.readAll().trimmed()), fields.value(16).toInt()); // field 19: nice
    }
    return nice;
}
} // namespace

void TstUiWindow::backgroundThreadsYieldToTheWindow()
{
    setBackgroundThreadsYield(true);
    {
        MainWindow window;
        const QMultiHash<QString, int> nice = threadNiceValues();
        QCOMPARE(nice.value(QStringLiteral("alert delivery"), -1), 5);
        QCOMPARE(getpriority(PRIO_PROCESS, 0), 0); // the UI thread keeps its priority
    }
    setBackgroundThreadsYield(false);
    MainWindow equal;
    QCOMPARE(threadNiceValues().value(QStringLiteral("alert delivery"), -1), 0); // off: every thread equal
}

void TstUiWindow::aBurstOfAlertsNeverHoldsTheWindowLong()
{
    // 5,000 alerts at once (a stream read from its beginning fires them all): recorded in the outbox in the
    // alert thread, so the window keeps answering, and every one reaches the Alerts tab once.
    MainWindow window;
    bool read = false; // the alert thread works in order: the window's history (earlier tests') is in after this
    window.alertCenter().readHistory(1, &window, [&](const std::vector<AlertOutbox::Entry> &) { read = true; });
    QTRY_VERIFY_WITH_TIMEOUT(read, 5000);
    const int before = window.alerts().model().rowCount();
    std::vector<Alert> burst;
    for (int i = 0; i < 5000; ++i) {
        Alert a;
        a.id = "burst-" + QByteArray::number(i);
        a.rule = AlertRule::SellingOut;
        a.shop = "burst.myshopify.com";
        a.productId = 9000000 + i;
        a.title = "Burst product " + QByteArray::number(i);
        a.quantity = 5;
        a.atMs = 1795755600000 + i;
        a.message = QStringLiteral("sells out soon");
        burst.push_back(a);
    }
    QElapsedTimer clock;
    qint64 last = 0, longest = 0;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    clock.start();
    probe.start(1);
    window.alertCenter().submit(burst);
    window.alertCenter().submit(burst); // fired again: not recorded or shown twice
    QTRY_VERIFY_WITH_TIMEOUT(!window.alertCenter().recording(), 60000);
    probe.stop();
    QCOMPARE(window.alerts().model().rowCount(), before + 5000);
    // AddressSanitizer makes every step about three times slower: the bound scales with it, as what is checked is
    // that the recording is handed over in slices, not how fast a slice is.
#ifdef PEAKWATCH_SANITIZED
    constexpr qint64 kLongestWaitMs = 150;
#else
    constexpr qint64 kLongestWaitMs = 50;
#endif
    QVERIFY2(longest < kLongestWaitMs, qPrintable(QStringLiteral("the window waited %1 ms").arg(longest)));
}

void TstUiWindow::everyTextReachesTheScreenIntact()
{
    // Non-ASCII text ("Connecting…", "±", "—", "◀") is UTF-8 in the source: read as Latin-1 it shows as
    // "Connectingâ€¦". Every text of the window, in each state of the connection and on each tab.
    QTcpServer silent; // accepts connections and never answers: the window stays "Connecting…"
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    ConnectionProfile profile;
    profile.name = QStringLiteral("Silent café"); // a name of the user's own, not ASCII either
    profile.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(silent.serverPort());
    {
        ProfileSettings settings;
        profile.save(settings);
    }
    MainWindow window;
    window.resize(1440, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList found;
    for (int tab = 0; tab < window.tabs().count(); ++tab) {
        window.tabs().setCurrentIndex(tab);
        QTest::qWait(20);
        found += mojibake();
    }
    QVERIFY(window.connectTo(profile.name));
    QCOMPARE(window.figures().state(), StatusFigures::State::Connecting);
    found += mojibake();
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    bool connectingShown = false;
    for (const QLabel *label : window.figures().findChildren<QLabel *>())
        connectingShown = connectingShown || label->text().contains(QStringLiteral("Connecting…"));
    QVERIFY(connectingShown);
    window.disconnectFromCluster();
    found += mojibake();
    for (const auto state : {StatusFigures::State::Live, StatusFigures::State::Failed}) {
        window.figures().setState(state, QStringLiteral("détail — ±1"));
        found += mojibake();
    }
    {
        // And the dialogs the window opens.
        MemorySecretStore secrets;
        DeliveryDialog delivery(profile.name, secrets, &window);
        RulesDialog rules(AlertRules{}, &window);
        ProfileDialog editor(profile, &window);
        RejectsDialog rejects(&window);
        found += mojibake();
    }
    found.removeDuplicates();
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    ProfileSettings settings;
    ConnectionProfile::remove(settings, profile.name);
}

QTEST_MAIN(TstUiWindow)
#include "tst_ui_window.moc"
