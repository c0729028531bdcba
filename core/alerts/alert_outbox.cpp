// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "alert_outbox.h"

#include <QDir>
#include <QHash>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringBuilder>
#include <QVariant>

#include <atomic>

namespace peakwatch {
namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS alerts("
    " id TEXT PRIMARY KEY, rule TEXT NOT NULL, shop TEXT NOT NULL, product_id INTEGER NOT NULL,"
    " title TEXT NOT NULL, quantity INTEGER NOT NULL, rate_per_hour REAL, sellout_at INTEGER,"
    " at INTEGER NOT NULL, message TEXT NOT NULL, fired_at INTEGER NOT NULL, acknowledged_at INTEGER)",
    // The history reads the newest first (fired_at, then at): one index walked backwards, no sort.
    "DROP INDEX IF EXISTS alerts_by_fired_at",
    "CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts(fired_at, at)",
    "CREATE TABLE IF NOT EXISTS deliveries("
    " alert_id TEXT NOT NULL REFERENCES alerts(id), sink TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, error TEXT, done_at INTEGER,"
    " PRIMARY KEY(alert_id, sink))",
    "CREATE INDEX IF NOT EXISTS deliveries_by_due ON deliveries(sink, state, due_at)",
    "CREATE TABLE IF NOT EXISTS snoozes("
    " shop TEXT NOT NULL, product_id INTEGER NOT NULL, until_at INTEGER NOT NULL, PRIMARY KEY(shop, product_id))",
};

// Changes to the schema above, in order: a database at user_version N takes the steps after the Nth, each in a
// transaction with the user_version it leads to, so that a file written by an earlier Peakwatch opens and keeps
// its rows.
const std::vector<std::vector<const char *>> kMigrations = {
    // 1: the episode of each alert (its thread) and the 80 % interval of the predicted sell-out; rows recorded
    // before have neither.
    {"ALTER TABLE alerts ADD COLUMN episode TEXT", "ALTER TABLE alerts ADD COLUMN sellout_earliest INTEGER",
     "ALTER TABLE alerts ADD COLUMN sellout_latest INTEGER",
     "CREATE INDEX IF NOT EXISTS alerts_by_episode ON alerts(episode, at, id)"},
    // 2: where a sink put an episode's thread (Slack's bot: the channel and ts of the episode's first message).
    {"CREATE TABLE IF NOT EXISTS sink_threads(sink TEXT NOT NULL, episode TEXT NOT NULL, reference TEXT NOT NULL,"
     " PRIMARY KEY(sink, episode))"},
    // 3: snoozes end in the stream's time; when one was made (the wall clock) decides when it is forgotten.
    // Those made before have no such time and go at the next prune.
    {"ALTER TABLE snoozes ADD COLUMN made_at INTEGER NOT NULL DEFAULT 0"},
};

constexpr qint64 kSnoozeKeptMs = 2LL * 24 * 3600 * 1000;

QString sqlError(const QString &what, const QSqlError &error)
{
    return what % QStringLiteral(": ") % error.text();
}

std::optional<qint64> optionalInteger(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

Alert alertFrom(const QSqlQuery &q)
{
    // Columns in the order of kAlertColumns.
    Alert a;
    a.id = q.value(0).toString().toUtf8();
    a.rule = alertRuleFromName(q.value(1).toString()).value_or(AlertRule::LowStock);
    a.shop = q.value(2).toString().toUtf8();
    a.productId = q.value(3).toLongLong();
    a.title = q.value(4).toString().toUtf8();
    a.quantity = q.value(5).toLongLong();
    if (!q.value(6).isNull())
        a.ratePerHour = q.value(6).toDouble();
    if (!q.value(7).isNull())
        a.selloutAtMs = q.value(7).toLongLong();
    a.atMs = q.value(8).toLongLong();
    a.message = q.value(9).toString();
    a.episode = q.value(10).toString().toUtf8();
    a.selloutEarliestMs = optionalInteger(q.value(11));
    a.selloutLatestMs = optionalInteger(q.value(12));
    if (!q.value(13).isNull() && !q.value(14).isNull())
        a.thread = Alert::Thread{q.value(13).toInt(),
                                 alertRuleFromName(q.value(14).toString()).value_or(AlertRule::SellingOut),
                                 q.value(15).toLongLong()};
    return a;
}

// The alert's columns, then its place in its episode's thread: how many alerts of the episode fired up to it (by
// event time, then id), and the rule and time of the first. Each subquery is a short walk of alerts_by_episode (an
// episode has a handful of alerts). In the order alertFrom() reads them.
const QString kAlertColumns = QStringLiteral(
    "a.id, a.rule, a.shop, a.product_id, a.title, a.quantity, a.rate_per_hour, a.sellout_at, a.at, a.message,"
    " a.episode, a.sellout_earliest, a.sellout_latest,"
    " (SELECT COUNT(*) FROM alerts e WHERE e.episode = a.episode AND (e.at < a.at OR (e.at = a.at AND e.id <= a.id))),"
    " (SELECT e.rule FROM alerts e WHERE e.episode = a.episode ORDER BY e.at, e.id LIMIT 1),"
    " (SELECT e.at FROM alerts e WHERE e.episode = a.episode ORDER BY e.at, e.id LIMIT 1)");
constexpr int kAlertColumnCount = 16;

} // namespace

Result<std::unique_ptr<AlertOutbox>> AlertOutbox::open(const QString &path)
{
    static std::atomic<int> opened{0};
    std::unique_ptr<AlertOutbox> outbox(new AlertOutbox);
    outbox->m_path = path;
    outbox->m_connection = QStringLiteral("peakwatch-outbox-%1").arg(++opened);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error{QStringLiteral("cannot create the folder of the alert outbox ") % path};
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), outbox->m_connection);
    db.setDatabaseName(path);
    if (!db.open())
        return Error{sqlError(QStringLiteral("cannot open the alert outbox ") % path, db.lastError())};
    // WAL with synchronous=NORMAL: a commit survives the process being killed; 5 s for a second process.
    for (const char *pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"})
        if (Status s = outbox->exec(QString::fromLatin1(pragma)); !s)
            return Error{s.error()};
    for (const char *statement : kSchema)
        if (Status s = outbox->exec(QString::fromLatin1(statement)); !s)
            return Error{s.error()};
    if (Status s = outbox->migrate(); !s)
        return Error{s.error()};
    return outbox;
}

Status AlertOutbox::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery version(db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next())
        return Error{sqlError(QStringLiteral("cannot read the schema version of the alert outbox ") % m_path,
                              version.lastError())};
    const int from = version.value(0).toInt();
    version.finish();
    if (from > int(kMigrations.size()))
        return Error{QStringLiteral("the alert outbox ") % m_path %
                     QStringLiteral(" was written by a newer Peakwatch (schema %1, this one knows up to %2)")
                         .arg(from)
                         .arg(kMigrations.size())};
    for (int step = from; step < int(kMigrations.size()); ++step) {
        if (!db.transaction())
            return Error{sqlError(QStringLiteral("cannot upgrade the alert outbox ") % m_path, db.lastError())};
        QSqlQuery q(db);
        for (const char *statement : kMigrations[size_t(step)]) {
            if (!q.exec(QString::fromLatin1(statement))) {
                const QSqlError error = q.lastError();
                db.rollback();
                return Error{sqlError(QStringLiteral("cannot upgrade the alert outbox ") % m_path, error)};
            }
        }
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(step + 1)) || !db.commit()) {
            const QSqlError error = q.lastError().isValid() ? q.lastError() : db.lastError();
            db.rollback();
            return Error{sqlError(QStringLiteral("cannot upgrade the alert outbox ") % m_path, error)};
        }
    }
    return {};
}

AlertOutbox::~AlertOutbox()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Status AlertOutbox::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(sql))
        return Error{sqlError(QStringLiteral("alert outbox ") % m_path, q.lastError())};
    return {};
}

Result<std::vector<Alert>> AlertOutbox::add(const std::vector<Alert> &alerts, const std::vector<QStringList> &sinksOf,
                                            qint64 nowMs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    std::vector<Alert> added;
    if (alerts.empty())
        return added;
    auto failed = [&](const QSqlQuery &q) {
        db.rollback();
        return Error{sqlError(QStringLiteral("cannot record alerts in ") % m_path, q.lastError())};
    };
    if (!db.transaction())
        return Error{sqlError(QStringLiteral("cannot record alerts in ") % m_path, db.lastError())};
    QSqlQuery alert(db);
    alert.prepare(QStringLiteral("INSERT OR IGNORE INTO alerts(id, rule, shop, product_id, title, quantity, "
                                 "rate_per_hour, sellout_at, at, message, fired_at, episode, sellout_earliest, "
                                 "sellout_latest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    QSqlQuery thread(db);
    thread.prepare(QStringLiteral("SELECT ") % kAlertColumns % QStringLiteral(" FROM alerts a WHERE a.id = ?"));
    const QVariant noInteger(QMetaType::fromType<qint64>());
    QSqlQuery delivery(db);
    delivery.prepare(QStringLiteral("INSERT OR IGNORE INTO deliveries(alert_id, sink, due_at) VALUES (?,?,?)"));
    // Qt binds a null QString (an empty QByteArray decoded) as NULL: an alert with no title or message would break
    // a NOT NULL column, be ignored by INSERT OR IGNORE, and fail the whole batch on its deliveries' foreign key.
    const auto text = [](const QString &s) { return s.isNull() ? QStringLiteral("") : s; };
    for (size_t i = 0; i < alerts.size(); ++i) {
        const Alert &a = alerts[i];
        const QString id = QString::fromUtf8(a.id);
        alert.addBindValue(id);
        alert.addBindValue(alertRuleName(a.rule));
        alert.addBindValue(text(QString::fromUtf8(a.shop)));
        alert.addBindValue(a.productId);
        alert.addBindValue(text(QString::fromUtf8(a.title)));
        alert.addBindValue(a.quantity);
        alert.addBindValue(a.ratePerHour ? QVariant(*a.ratePerHour) : QVariant(QMetaType::fromType<double>()));
        alert.addBindValue(a.selloutAtMs ? QVariant(*a.selloutAtMs) : QVariant(QMetaType::fromType<qint64>()));
        alert.addBindValue(a.atMs);
        alert.addBindValue(text(a.message));
        alert.addBindValue(nowMs);
        alert.addBindValue(a.episode.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                               : QString::fromUtf8(a.episode));
        alert.addBindValue(a.selloutEarliestMs ? QVariant(*a.selloutEarliestMs) : noInteger);
        alert.addBindValue(a.selloutLatestMs ? QVariant(*a.selloutLatestMs) : noInteger);
        if (!alert.exec())
            return failed(alert);
        if (alert.numRowsAffected() == 1) {
            added.push_back(a);
            // Its place in its episode's thread, among the alerts recorded so far.
            if (!a.episode.isEmpty()) {
                thread.addBindValue(id);
                if (!thread.exec())
                    return failed(thread);
                if (thread.next())
                    added.back().thread = alertFrom(thread).thread;
            }
        }
        for (const QString &sink : sinksOf[i]) {
            delivery.addBindValue(id);
            delivery.addBindValue(sink);
            delivery.addBindValue(nowMs);
            if (!delivery.exec())
                return failed(delivery);
        }
    }
    if (!db.commit())
        return Error{sqlError(QStringLiteral("cannot record alerts in ") % m_path, db.lastError())};
    return added;
}

Result<std::vector<Alert>> AlertOutbox::due(const QString &sink, qint64 nowMs, int limit)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(
        QStringLiteral("SELECT ") % kAlertColumns %
        QStringLiteral(", (SELECT t.reference FROM sink_threads t WHERE t.sink = d.sink AND t.episode = a.episode)"
                       " FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
                       " WHERE d.sink = ? AND d.state = 0 AND d.due_at <= ? ORDER BY a.at, a.id LIMIT ?"));
    q.addBindValue(sink);
    q.addBindValue(nowMs);
    q.addBindValue(limit);
    if (!q.exec())
        return Error{sqlError(QStringLiteral("cannot read the alert outbox ") % m_path, q.lastError())};
    std::vector<Alert> out;
    while (q.next()) {
        out.push_back(alertFrom(q));
        out.back().threadReference = q.value(kAlertColumnCount).toString().toUtf8();
    }
    return out;
}

Status AlertOutbox::setThreadReferences(const QString &sink,
                                        const std::vector<std::pair<QByteArray, QByteArray>> &threads)
{
    if (threads.empty())
        return {};
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return Error{sqlError(QStringLiteral("cannot record threads in ") % m_path, db.lastError())};
    QSqlQuery q(db);
    // A sink reports a thread only for an episode it has no usable thread for (none yet, or one in a channel it
    // no longer posts to): the new one replaces the old.
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO sink_threads(sink, episode, reference) VALUES (?,?,?)"));
    for (const auto &[episode, reference] : threads) {
        if (episode.isEmpty())
            continue;
        q.addBindValue(sink);
        q.addBindValue(QString::fromUtf8(episode));
        q.addBindValue(QString::fromUtf8(reference));
        if (!q.exec()) {
            const QSqlError error = q.lastError();
            db.rollback();
            return Error{sqlError(QStringLiteral("cannot record threads in ") % m_path, error)};
        }
    }
    if (!db.commit())
        return Error{sqlError(QStringLiteral("cannot record threads in ") % m_path, db.lastError())};
    return {};
}

std::optional<qint64> AlertOutbox::nextDueAt(const QString &sink)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT MIN(due_at) FROM deliveries WHERE sink = ? AND state = 0"));
    q.addBindValue(sink);
    if (!q.exec() || !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

int AlertOutbox::attempts(const QString &sink, const std::vector<QByteArray> &ids)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT attempts FROM deliveries WHERE sink = ? AND alert_id = ?"));
    int most = 0;
    for (const QByteArray &id : ids) {
        q.addBindValue(sink);
        q.addBindValue(QString::fromUtf8(id));
        if (q.exec() && q.next())
            most = std::max(most, q.value(0).toInt());
    }
    return most;
}

Status AlertOutbox::setState(const QString &sink, const std::vector<QByteArray> &ids, const QString &assignments,
                             const QVariantList &values)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return Error{sqlError(QStringLiteral("cannot update the alert outbox ") % m_path, db.lastError())};
    QSqlQuery q(db);
    // Only pending deliveries change: a delivered one stays delivered whatever a late report says.
    q.prepare(QStringLiteral("UPDATE deliveries SET ") % assignments %
              QStringLiteral(" WHERE sink = ? AND alert_id = ? AND state = 0"));
    for (const QByteArray &id : ids) {
        for (const QVariant &v : values)
            q.addBindValue(v);
        q.addBindValue(sink);
        q.addBindValue(QString::fromUtf8(id));
        if (!q.exec()) {
            db.rollback();
            return Error{sqlError(QStringLiteral("cannot update the alert outbox ") % m_path, q.lastError())};
        }
    }
    if (!db.commit())
        return Error{sqlError(QStringLiteral("cannot update the alert outbox ") % m_path, db.lastError())};
    return {};
}

Status AlertOutbox::markDelivered(const QString &sink, const std::vector<QByteArray> &ids, qint64 nowMs)
{
    return setState(sink, ids, QStringLiteral("state = 1, attempts = attempts + 1, error = NULL, done_at = ?"),
                    {nowMs});
}

Status AlertOutbox::markRetry(const QString &sink, const std::vector<QByteArray> &ids, qint64 retryAtMs,
                              const QString &error)
{
    return setState(sink, ids, QStringLiteral("attempts = attempts + 1, due_at = ?, error = ?"), {retryAtMs, error});
}

Status AlertOutbox::markFailed(const QString &sink, const std::vector<QByteArray> &ids, const QString &error,
                               qint64 nowMs)
{
    return setState(sink, ids, QStringLiteral("state = 2, attempts = attempts + 1, error = ?, done_at = ?"),
                    {error, nowMs});
}

AlertOutbox::SinkCounts AlertOutbox::counts(const QString &sink)
{
    SinkCounts counts;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT state, COUNT(*) FROM deliveries WHERE sink = ? GROUP BY state"));
    q.addBindValue(sink);
    if (q.exec()) {
        while (q.next()) {
            const qint64 n = q.value(1).toLongLong();
            switch (q.value(0).toInt()) {
            case 0: counts.pending = n; break;
            case 1: counts.delivered = n; break;
            default: counts.failed = n; break;
            }
        }
    }
    q.prepare(QStringLiteral("SELECT error FROM deliveries WHERE sink = ? AND error IS NOT NULL"
                             " ORDER BY COALESCE(done_at, due_at) DESC LIMIT 1"));
    q.addBindValue(sink);
    if (q.exec() && q.next())
        counts.lastError = q.value(0).toString();
    return counts;
}

Result<std::vector<AlertOutbox::Entry>> AlertOutbox::recent(int limit)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ") % kAlertColumns %
              QStringLiteral(", a.fired_at, a.acknowledged_at FROM alerts a ORDER BY a.fired_at DESC, a.at DESC"
                             " LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return Error{sqlError(QStringLiteral("cannot read the alert history in ") % m_path, q.lastError())};
    std::vector<Entry> entries;
    while (q.next()) {
        Entry e;
        e.alert = alertFrom(q);
        e.firedAtMs = q.value(kAlertColumnCount).toLongLong();
        if (!q.value(kAlertColumnCount + 1).isNull())
            e.acknowledgedAtMs = q.value(kAlertColumnCount + 1).toLongLong();
        entries.push_back(std::move(e));
    }
    // One query for the deliveries of all of them: one a row would cost a millisecond per 20 alerts.
    QHash<QByteArray, size_t> index;
    for (size_t i = 0; i < entries.size(); ++i)
        index.insert(entries[i].alert.id, i);
    QSqlQuery d(db);
    d.prepare(QStringLiteral("SELECT d.alert_id, d.sink, d.state, d.attempts, d.error FROM deliveries d"
                             " WHERE d.alert_id IN (SELECT id FROM alerts ORDER BY fired_at DESC, at DESC LIMIT ?)"
                             " ORDER BY d.sink"));
    d.addBindValue(limit);
    if (!d.exec())
        return Error{sqlError(QStringLiteral("cannot read the alert history in ") % m_path, d.lastError())};
    while (d.next()) {
        const auto it = index.constFind(d.value(0).toString().toUtf8());
        if (it == index.cend())
            continue;
        entries[*it].deliveries.push_back({d.value(1).toString(), DeliveryState(std::clamp(d.value(2).toInt(), 0, 2)),
                                           d.value(3).toInt(), d.value(4).toString()});
    }
    return entries;
}

Status AlertOutbox::acknowledge(const std::vector<QByteArray> &ids, qint64 nowMs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return Error{sqlError(QStringLiteral("cannot acknowledge alerts in ") % m_path, db.lastError())};
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL"));
    for (const QByteArray &id : ids) {
        q.addBindValue(nowMs);
        q.addBindValue(QString::fromUtf8(id));
        if (!q.exec()) {
            db.rollback();
            return Error{sqlError(QStringLiteral("cannot acknowledge alerts in ") % m_path, q.lastError())};
        }
    }
    if (!db.commit())
        return Error{sqlError(QStringLiteral("cannot acknowledge alerts in ") % m_path, db.lastError())};
    return {};
}

qint64 AlertOutbox::activeCount(qint64 nowMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NULL AND fired_at > ?"));
    q.addBindValue(nowMs - kDayMs);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

qint64 AlertOutbox::alertCount()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM alerts")) && q.next() ? q.value(0).toLongLong() : 0;
}

Result<qint64> AlertOutbox::prune(qint64 olderThanMs, qint64 keepAtMost, qint64 nowMs, int batch)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto error = [this](const QSqlError &e) {
        return Error{sqlError(QStringLiteral("cannot prune the alert outbox ") % m_path, e)};
    };
    // The cap as a time: everything first seen before the oldest of the newest `keepAtMost` alerts.
    qint64 cutoff = olderThanMs;
    QSqlQuery edge(db);
    edge.prepare(QStringLiteral("SELECT fired_at FROM alerts ORDER BY fired_at DESC, at DESC LIMIT 1 OFFSET ?"));
    edge.addBindValue(std::max<qint64>(keepAtMost - 1, 0));
    if (!edge.exec())
        return error(edge.lastError());
    if (edge.next())
        cutoff = std::max(cutoff, edge.value(0).toLongLong());

    QSqlQuery victims(db);
    victims.prepare(QStringLiteral("SELECT a.id FROM alerts a WHERE a.fired_at < ? AND NOT EXISTS"
                                   " (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.state = 0)"
                                   " ORDER BY a.fired_at LIMIT ?"));
    victims.addBindValue(cutoff);
    victims.addBindValue(batch);
    if (!victims.exec())
        return error(victims.lastError());
    QStringList ids;
    while (victims.next())
        ids << victims.value(0).toString();
    victims.finish();

    if (!db.transaction())
        return error(db.lastError());
    QSqlQuery deliveries(db);
    deliveries.prepare(QStringLiteral("DELETE FROM deliveries WHERE alert_id = ?"));
    QSqlQuery alerts(db);
    alerts.prepare(QStringLiteral("DELETE FROM alerts WHERE id = ?"));
    for (const QString &id : std::as_const(ids)) {
        deliveries.addBindValue(id);
        alerts.addBindValue(id);
        if (!deliveries.exec() || !alerts.exec()) {
            const QSqlError e = deliveries.lastError().isValid() ? deliveries.lastError() : alerts.lastError();
            db.rollback();
            return error(e);
        }
    }
    if (!ids.isEmpty()) { // the threads of episodes none of whose alerts is left
        QSqlQuery threads(db);
        if (!threads.exec(QStringLiteral("DELETE FROM sink_threads WHERE episode NOT IN"
                                         " (SELECT episode FROM alerts WHERE episode IS NOT NULL)"))) {
            const QSqlError e = threads.lastError();
            db.rollback();
            return error(e);
        }
    }
    QSqlQuery snoozes(db);
    snoozes.prepare(QStringLiteral("DELETE FROM snoozes WHERE made_at <= ?"));
    snoozes.addBindValue(nowMs - kSnoozeKeptMs);
    if (!snoozes.exec()) {
        const QSqlError e = snoozes.lastError();
        db.rollback();
        return error(e);
    }
    if (!db.commit())
        return error(db.lastError());
    return qint64(ids.size());
}

Status AlertOutbox::snooze(const QByteArray &shop, qint64 productId, qint64 untilMs, qint64 madeAtMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snoozes(shop, product_id, until_at, made_at) VALUES (?,?,?,?)"));
    q.addBindValue(QString::fromUtf8(shop));
    q.addBindValue(productId);
    q.addBindValue(untilMs);
    q.addBindValue(madeAtMs);
    if (!q.exec())
        return Error{sqlError(QStringLiteral("cannot snooze in ") % m_path, q.lastError())};
    return {};
}

std::optional<qint64> AlertOutbox::snoozedUntil(const QByteArray &shop, qint64 productId, qint64 atMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT until_at FROM snoozes WHERE shop = ? AND product_id = ? AND until_at > ?"));
    q.addBindValue(QString::fromUtf8(shop));
    q.addBindValue(productId);
    q.addBindValue(atMs);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return std::nullopt;
}

} // namespace peakwatch
