// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// Desktop notifications of alerts (issue "Alerts that reach people"): DesktopNotifier against a notification
// service the test registers itself, on a real but private session bus (CTest runs this under dbus-run-session
// with tests/data/dbus/session.conf, a bus that starts no installed notification daemon).
#include "alert_dispatcher.h"
#include "alert_outbox.h"
#include "desktop_notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusError>
#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <vector>

using peakwatch::Alert;
using peakwatch::AlertDispatcher;
using peakwatch::AlertOutbox;
using peakwatch::AlertRule;
using peakwatch::AlertSeverity;
using peakwatch::AlertSink;
using peakwatch::DesktopNotifier;
using peakwatch::SendOutcome;

namespace {

const QString kServiceName = QStringLiteral("org.freedesktop.Notifications");
const QString kObjectPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kServiceConnection = QStringLiteral("notification-service");

constexpr qint64 kMinute = 60 * 1000;
const QByteArray kShop = QByteArrayLiteral("peak-apparel.myshopify.com");
constexpr qint64 kLiquid = 8841726390317;

// 14:05 local time, so that the sell-out 23 minutes after the alert is a clock time a person would read.
qint64 selloutAtMs()
{
    return QDateTime(QDate(2026, 11, 27), QTime(14, 5)).toMSecsSinceEpoch();
}

Alert makeAlert(AlertRule rule, qint64 quantity, qint64 productId = kLiquid,
                const QByteArray &title = QByteArrayLiteral("Snowboard Liquid"), const QByteArray &shop = kShop)
{
    Alert alert;
    alert.id = QByteArray::number(productId) + QByteArray::number(int(rule));
    alert.rule = rule;
    alert.shop = shop;
    alert.productId = productId;
    alert.title = title;
    alert.quantity = quantity;
    alert.ratePerHour = 42.0;
    alert.atMs = selloutAtMs() - 23 * kMinute;
    if (rule == AlertRule::SellingOut || rule == AlertRule::LowStock)
        alert.selloutAtMs = selloutAtMs();
    return alert;
}

// One Notify call as the service received it, and the id it answered.
struct NotifyCall {
    QString appName;
    uint replacesId = 0;
    QString appIcon;
    QString summary;
    QString body;
    QStringList actions;
    QVariantMap hints;
    int expireTimeout = 0;
    uint id = 0;
    qint64 atMs = 0; // when it came
};

// A notification service per the Desktop Notifications Specification, as far as a client can tell: records every
// Notify, answers ids counting up (or an error when told to), and emits ActionInvoked / NotificationClosed when
// the test emits them.
class FakeNotificationService final : public QObject, protected QDBusContext {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    std::vector<NotifyCall> calls;
    QString failWith; // when set, Notify answers org.freedesktop.DBus.Error.Failed with this message

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int expireTimeout)
    {
        if (!failWith.isEmpty()) {
            sendErrorReply(QDBusError::Failed, failWith);
            return 0;
        }
        calls.push_back({appName, replacesId, appIcon, summary, body, actions, hints, expireTimeout, ++m_lastId,
                         QDateTime::currentMSecsSinceEpoch()});
        return m_lastId;
    }
    QStringList GetCapabilities() const
    {
        return {QStringLiteral("actions"), QStringLiteral("body"), QStringLiteral("body-markup")};
    }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion) const
    {
        vendor = QStringLiteral("Peakwatch tests");
        version = QStringLiteral("1.0");
        specVersion = QStringLiteral("1.2");
        return QStringLiteral("tst_notify");
    }
    void CloseNotification(uint id) { Q_EMIT NotificationClosed(id, 3); } // 3: closed by CloseNotification

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);

private:
    uint m_lastId = 0;
};

// What the fallback was given.
struct Shown {
    QString summary;
    QString body;
    AlertSeverity severity = AlertSeverity::Low;
};

} // namespace

class TestNotify final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void availableWhileAServiceIsRegistered();
    void oneAlertIsOneNotification_data();
    void oneAlertIsOneNotification();
    void severalAlertsAreOneNotification();
    void severalAlertsOfOneProductNameIt();
    void atMostOneNotificationEveryThreeSeconds();
    void markupInTitlesIsEscaped();
    void clickingOpensTheProduct();
    void clickingASummaryOpensTheAlertList();
    void closedNotificationsAreForgotten();
    void aServiceErrorIsRetried();
    void withoutAServiceTheFallbackShowsIt();
    void withoutABusTheFallbackShowsIt();

private:
    // Sends and waits for the outcome; every finished() emitted until then (there must be exactly one).
    QList<SendOutcome> send(DesktopNotifier &notifier, const std::vector<Alert> &alerts);
    bool registerService();

    FakeNotificationService m_service;
    QDBusConnection m_serviceBus{QString()};
};

void TestNotify::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("DBUS_SESSION_BUS_ADDRESS is unset: this test needs a session bus of its own. Run it through ctest, or "
              "as `dbus-run-session --config-file=tests/data/dbus/session.conf -- tst_notify`.");
    const QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.isConnected(),
             qPrintable(QStringLiteral("cannot connect to the session bus: ") % bus.lastError().message()));

    // The service runs on a second connection, as a notification daemon would run in another process.
    m_serviceBus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, kServiceConnection);
    QVERIFY(m_serviceBus.isConnected());
    QVERIFY2(!m_serviceBus.interface()->isServiceRegistered(kServiceName).value(),
             "org.freedesktop.Notifications is already registered on this session bus: run the test on a private "
             "bus (dbus-run-session), never on a desktop's own");
    QVERIFY(m_serviceBus.registerObject(kObjectPath, &m_service,
                                        QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(registerService());
}

void TestNotify::init()
{
    m_service.calls.clear();
    m_service.failWith.clear();
}

void TestNotify::cleanupTestCase()
{
    m_serviceBus.unregisterObject(kObjectPath);
    QDBusConnection::disconnectFromBus(kServiceConnection);
}

bool TestNotify::registerService()
{
    if (m_serviceBus.registerService(kServiceName))
        return true;
    qWarning() << "cannot register" << kServiceName << m_serviceBus.lastError().message();
    return false;
}

QList<SendOutcome> TestNotify::send(DesktopNotifier &notifier, const std::vector<Alert> &alerts)
{
    QSignalSpy finished(&notifier, &AlertSink::finished);
    notifier.send(alerts);
    if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, 5000))
        return {};                     // no outcome: the caller's count fails
    QCoreApplication::processEvents(); // a second finished() would be queued behind the first
    QList<SendOutcome> outcomes;
    for (const QList<QVariant> &arguments : finished)
        outcomes << arguments.at(0).value<SendOutcome>();
    return outcomes;
}

void TestNotify::availableWhileAServiceIsRegistered()
{
    DesktopNotifier notifier;
    QVERIFY(notifier.available());
    QCOMPARE(notifier.name(), QStringLiteral("desktop"));
    QCOMPARE(notifier.maxGroup(), 20);
    QVERIFY(notifier.quietHoursApply());
}

void TestNotify::oneAlertIsOneNotification_data()
{
    QTest::addColumn<AlertRule>("rule");
    QTest::addColumn<qint64>("quantity");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<uchar>("urgency");
    QTest::addColumn<bool>("namesSellout");

    QTest::addRow("sold out is critical")
        << AlertRule::SoldOut << qint64(0) << QStringLiteral("Sold out: Snowboard Liquid") << uchar(2) << false;
    QTest::addRow("selling out is normal")
        << AlertRule::SellingOut << qint64(16) << QStringLiteral("Selling out in 23 min: Snowboard Liquid") << uchar(1)
        << true;
    QTest::addRow("low stock is normal") << AlertRule::LowStock << qint64(3)
                                         << QStringLiteral("Low stock: Snowboard Liquid") << uchar(1) << true;
    QTest::addRow("restocked is low") << AlertRule::Restocked << qint64(40)
                                      << QStringLiteral("Restocked: Snowboard Liquid") << uchar(0) << false;
}

void TestNotify::oneAlertIsOneNotification()
{
    QFETCH(AlertRule, rule);
    QFETCH(qint64, quantity);
    QFETCH(QString, summary);
    QFETCH(uchar, urgency);
    QFETCH(bool, namesSellout);

    DesktopNotifier notifier;
    const QList<SendOutcome> outcomes = send(notifier, {makeAlert(rule, quantity)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Delivered);

    QCOMPARE(m_service.calls.size(), size_t(1));
    const NotifyCall &call = m_service.calls.front();
    QCOMPARE(call.appName, QStringLiteral("Peakwatch"));
    QCOMPARE(call.replacesId, 0u);
    QCOMPARE(call.appIcon, QStringLiteral("peakwatch"));
    QCOMPARE(call.expireTimeout, -1);
    QCOMPARE(call.summary, summary);

    QVERIFY2(call.body.contains(QString::fromUtf8(kShop)), qPrintable(call.body));
    QVERIFY2(call.body.contains(QStringLiteral("Stock %1").arg(quantity)), qPrintable(call.body));
    QVERIFY2(call.body.contains(QStringLiteral("42 per hour")), qPrintable(call.body));
    // The sell-out as a local clock time, as the person's locale writes it.
    const QString clock =
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(selloutAtMs()).time(), QLocale::ShortFormat);
    QCOMPARE(call.body.contains(QStringLiteral("Sells out around ") % clock), namesSellout);

    // Action keys and labels alternate: "default" must be a key.
    QCOMPARE(call.actions.size() % 2, 0);
    QVERIFY2(call.actions.indexOf(QStringLiteral("default")) % 2 == 0, qPrintable(call.actions.join(u',')));

    // The spec's urgency hint is a byte: sent as an int, servers ignore it.
    const QVariant urgencyHint = call.hints.value(QStringLiteral("urgency"));
    QCOMPARE(urgencyHint.metaType(), QMetaType::fromType<uchar>());
    QCOMPARE(urgencyHint.value<uchar>(), urgency);
    QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(), QStringLiteral("peakwatch"));
    QCOMPARE(call.hints.value(QStringLiteral("category")).toString(), QStringLiteral("x-peakwatch.alert"));
}

void TestNotify::severalAlertsAreOneNotification()
{
    std::vector<Alert> alerts;
    for (qint64 i = 1; i <= 7; ++i) {
        const AlertRule rule = i == 6 ? AlertRule::SoldOut : AlertRule::Restocked;
        alerts.push_back(makeAlert(rule, rule == AlertRule::SoldOut ? 0 : 40, i, "Board " + QByteArray::number(i)));
    }
    DesktopNotifier notifier;
    const QList<SendOutcome> outcomes = send(notifier, alerts);
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Delivered);

    QCOMPARE(m_service.calls.size(), size_t(1));
    const NotifyCall &call = m_service.calls.front();
    QCOMPARE(call.summary, QStringLiteral("7 products need attention"));
    const QStringList lines = call.body.split(u'\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.front(), QStringLiteral("Board 1 (peak-apparel.myshopify.com): restocked, 40 in stock"));
    QCOMPARE(lines.at(4), QStringLiteral("Board 5 (peak-apparel.myshopify.com): restocked, 40 in stock"));
    QCOMPARE(lines.back(), QStringLiteral("and 2 more"));
    // The most urgent of them decides: one sold out (not among the five listed) makes it critical.
    QCOMPARE(call.hints.value(QStringLiteral("urgency")).value<uchar>(), uchar(2));
    QVERIFY(call.actions.contains(QStringLiteral("default")));
}

void TestNotify::atMostOneNotificationEveryThreeSeconds()
{
    // Through the outbox and dispatcher, as the desktop delivers: the first alert at once, the two that fire
    // within the next second together, three seconds after the first and not before.
    QTemporaryDir dir;
    auto outbox = AlertOutbox::open(dir.filePath(QStringLiteral("notify.sqlite")));
    QVERIFY2(outbox, qPrintable(outbox.error()));
    AlertDispatcher dispatcher(**outbox);
    dispatcher.addSink(std::make_unique<DesktopNotifier>());
    auto fired = [](qint64 productId, const QByteArray &title) {
        Alert alert = makeAlert(AlertRule::LowStock, 3, productId, title);
        alert.atMs = QDateTime::currentMSecsSinceEpoch();
        alert.message = QString::fromUtf8(title) + QStringLiteral(": 3 left");
        return alert;
    };
    QVERIFY(dispatcher.submit({fired(1, "Board 1")}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_service.calls.size(), size_t(1), 2000);
    QTest::qWait(300);
    QVERIFY(dispatcher.submit({fired(2, "Board 2")}).ok());
    QTest::qWait(300);
    QVERIFY(dispatcher.submit({fired(3, "Board 3")}).ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_service.calls.size(), size_t(2), 6000);
    const qint64 apart = m_service.calls.at(1).atMs - m_service.calls.at(0).atMs;
    QVERIFY2(apart >= 2950 && apart < 4500, qPrintable(QString::number(apart)));
    QCOMPARE(m_service.calls.at(0).summary, QStringLiteral("Low stock: Board 1"));
    QCOMPARE(m_service.calls.at(1).summary, QStringLiteral("2 products need attention"));
    QTest::qWait(3500); // and nothing more
    QCOMPARE(m_service.calls.size(), size_t(2));
    QCOMPARE((*outbox)->counts(QStringLiteral("desktop")).delivered, 3);
}

void TestNotify::severalAlertsOfOneProductNameIt()
{
    DesktopNotifier notifier;
    QSignalSpy product(&notifier, &DesktopNotifier::productActivated);
    const QList<SendOutcome> outcomes =
        send(notifier, {makeAlert(AlertRule::LowStock, 3), makeAlert(AlertRule::SoldOut, 0)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(m_service.calls.size(), size_t(1));
    // What holds now: the latest alert.
    QCOMPARE(m_service.calls.front().summary, QStringLiteral("Sold out: Snowboard Liquid"));
    Q_EMIT m_service.ActionInvoked(m_service.calls.front().id, QStringLiteral("default"));
    QTRY_COMPARE(product.size(), 1);
    QCOMPARE(product.front().at(1).toLongLong(), kLiquid);
}

void TestNotify::markupInTitlesIsEscaped()
{
    DesktopNotifier notifier;
    const QList<SendOutcome> outcomes = send(notifier, {makeAlert(AlertRule::SoldOut, 0, 1, "Tees <XL> & more"),
                                                        makeAlert(AlertRule::SoldOut, 0, 2, "<b>Caps</b>")});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(m_service.calls.size(), size_t(1));
    const QString body = m_service.calls.front().body;
    QVERIFY2(body.contains(QStringLiteral("Tees &lt;XL&gt; &amp; more (")), qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("&lt;b&gt;Caps&lt;/b&gt; (")), qPrintable(body));
    QVERIFY2(!body.contains(u'<') && !body.contains(u'>'), qPrintable(body));
}

void TestNotify::clickingOpensTheProduct()
{
    const QByteArray shop = QByteArrayLiteral("northwind.myshopify.com");
    DesktopNotifier notifier;
    QSignalSpy product(&notifier, &DesktopNotifier::productActivated);
    QSignalSpy alerts(&notifier, &DesktopNotifier::alertsActivated);
    QCOMPARE(send(notifier, {makeAlert(AlertRule::SoldOut, 0, kLiquid, "Snowboard Liquid", shop)}).size(), 1);
    QCOMPARE(m_service.calls.size(), size_t(1));

    // Another application's notification first: ignored. The signals arrive in the order they were sent.
    Q_EMIT m_service.ActionInvoked(m_service.calls.front().id + 1000, QStringLiteral("default"));
    Q_EMIT m_service.ActionInvoked(m_service.calls.front().id, QStringLiteral("default"));
    QTRY_COMPARE(product.size(), 1);
    QCOMPARE(product.front().at(0).toByteArray(), shop);
    QCOMPARE(product.front().at(1).toLongLong(), kLiquid);
    QCOMPARE(alerts.size(), 0);
}

void TestNotify::clickingASummaryOpensTheAlertList()
{
    DesktopNotifier notifier;
    QSignalSpy product(&notifier, &DesktopNotifier::productActivated);
    QSignalSpy alerts(&notifier, &DesktopNotifier::alertsActivated);
    QCOMPARE(send(notifier, {makeAlert(AlertRule::SoldOut, 0, 1), makeAlert(AlertRule::LowStock, 3, 2),
                             makeAlert(AlertRule::Restocked, 40, 3)})
                 .size(),
             1);
    QCOMPARE(m_service.calls.size(), size_t(1));
    QCOMPARE(m_service.calls.front().summary, QStringLiteral("3 products need attention"));

    Q_EMIT m_service.ActionInvoked(m_service.calls.front().id, QStringLiteral("default"));
    QTRY_COMPARE(alerts.size(), 1);
    QCOMPARE(product.size(), 0);
}

void TestNotify::closedNotificationsAreForgotten()
{
    DesktopNotifier notifier;
    QSignalSpy product(&notifier, &DesktopNotifier::productActivated);
    QCOMPARE(send(notifier, {makeAlert(AlertRule::SoldOut, 0, 1)}).size(), 1);
    QCOMPARE(send(notifier, {makeAlert(AlertRule::SoldOut, 0, 2)}).size(), 1);
    QCOMPARE(m_service.calls.size(), size_t(2));
    const uint first = m_service.calls.at(0).id;
    const uint second = m_service.calls.at(1).id;
    QVERIFY(first != second);

    Q_EMIT m_service.NotificationClosed(first, 2); // 2: dismissed by the user
    Q_EMIT m_service.ActionInvoked(first, QStringLiteral("default"));
    Q_EMIT m_service.ActionInvoked(second, QStringLiteral("default"));
    QTRY_COMPARE(product.size(), 1);
    QCOMPARE(product.front().at(1).toLongLong(), qint64(2));
}

void TestNotify::aServiceErrorIsRetried()
{
    m_service.failWith = QStringLiteral("the notification queue is full");
    DesktopNotifier notifier;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("the notification queue is full")));
    const QList<SendOutcome> outcomes = send(notifier, {makeAlert(AlertRule::SoldOut, 0)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Retry);
    QVERIFY2(outcomes.front().error.contains(QStringLiteral("the notification queue is full")),
             qPrintable(outcomes.front().error));
}

void TestNotify::withoutAServiceTheFallbackShowsIt()
{
    QVERIFY(m_serviceBus.unregisterService(kServiceName));
    const auto reregister = qScopeGuard([this] {
        if (!m_serviceBus.interface()->isServiceRegistered(kServiceName).value())
            registerService();
    });
    QVERIFY2(!m_serviceBus.interface()->activatableServiceNames().value().contains(kServiceName),
             "the bus can start a notification daemon: run the test on tests/data/dbus/session.conf");

    DesktopNotifier notifier;
    QVERIFY(!notifier.available());

    std::vector<Shown> shown;
    notifier.setFallback([&](const QString &summary, const QString &body, AlertSeverity severity) {
        shown.push_back({summary, body, severity});
    });
    QList<SendOutcome> outcomes = send(notifier, {makeAlert(AlertRule::SoldOut, 0)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Delivered);
    QCOMPARE(shown.size(), size_t(1));
    QCOMPARE(shown.front().summary, QStringLiteral("Sold out: Snowboard Liquid"));
    QVERIFY2(shown.front().body.contains(QString::fromUtf8(kShop)), qPrintable(shown.front().body));
    QCOMPARE(shown.front().severity, AlertSeverity::Critical);
    QVERIFY(m_service.calls.empty());

    notifier.setFallback({});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^no desktop notification service")));
    outcomes = send(notifier, {makeAlert(AlertRule::SoldOut, 0)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Failed);
    QCOMPARE(outcomes.front().error,
             QStringLiteral("no desktop notification service (org.freedesktop.Notifications) on the session bus"));
    QCOMPARE(shown.size(), size_t(1));

    QVERIFY(registerService());
    QVERIFY(notifier.available());
}

void TestNotify::withoutABusTheFallbackShowsIt()
{
    DesktopNotifier notifier{QDBusConnection(QStringLiteral("no such connection"))};
    QVERIFY(!notifier.available());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^no D-Bus session bus")));
    QList<SendOutcome> outcomes = send(notifier, {makeAlert(AlertRule::Restocked, 40)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Failed);
    QVERIFY2(outcomes.front().error.contains(QStringLiteral("no D-Bus session bus")),
             qPrintable(outcomes.front().error));

    std::vector<Shown> shown;
    notifier.setFallback([&](const QString &summary, const QString &body, AlertSeverity severity) {
        shown.push_back({summary, body, severity});
    });
    outcomes = send(notifier, {makeAlert(AlertRule::Restocked, 40)});
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.front().kind, SendOutcome::Kind::Delivered);
    QCOMPARE(shown.size(), size_t(1));
    QCOMPARE(shown.front().summary, QStringLiteral("Restocked: Snowboard Liquid"));
    QCOMPARE(shown.front().severity, AlertSeverity::Low);
}

QTEST_GUILESS_MAIN(TestNotify)
#include "tst_notify.moc"
