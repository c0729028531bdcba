// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "topic_search.h"

#include "message_filter.h"

#include <QFile>
#include <QMetaObject>
#include <QPointer>
#include <QSaveFile>
#include <QStringBuilder>

#include <chrono>

namespace peakwatch {
namespace {

// Matches reach the window at most this often, a batch at a time.
constexpr auto kDeliverEvery = std::chrono::milliseconds(100);

TopicMessage ownedCopy(const MessageView &m)
{
    TopicMessage out;
    out.partition = m.partition;
    out.offset = m.offset;
    out.timestampMs = m.timestampMs;
    out.timestampType = m.timestampType;
    out.keyIsNull = m.key.isNull;
    out.key = QByteArray(m.key.bytes.data(), qsizetype(m.key.bytes.size()));
    out.keySize = out.key.size();
    out.valueIsNull = m.value.isNull;
    out.value = QByteArray(m.value.bytes.data(), qsizetype(m.value.bytes.size()));
    out.valueSize = out.value.size();
    for (const HeaderView &h : m.headers)
        out.headers.append({QByteArray(h.name.data(), qsizetype(h.name.size())),
                            QByteArray(h.value.bytes.data(), qsizetype(h.value.bytes.size())), h.value.isNull});
    return out;
}

} // namespace

TopicSearch::TopicSearch(const QString &bootstrapServers, const KafkaProperties &properties, QObject *parent)
    : QObject(parent)
    , m_bootstrap(bootstrapServers)
    , m_properties(properties)
{
    qRegisterMetaType<ScanProgress>();
    qRegisterMetaType<ScanSummary>();
    qRegisterMetaType<QList<TopicMessage>>();
}

TopicSearch::~TopicSearch()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void TopicSearch::cancel()
{
    if (m_cancelled)
        m_cancelled->store(true);
}

Status TopicSearch::start(const ScanRequest &request, const QStringList &filters)
{
    return launch(request, filters, {}, MessageFormat::Jsonl, {});
}

Status TopicSearch::exportTo(const QString &path, MessageFormat format, const QStringList &columns,
                             const ScanRequest &request, const QStringList &filters)
{
    if (format == MessageFormat::Csv)
        if (Status s = MessageWriter::checkColumns(columns); !s)
            return s;
    return launch(request, filters, path, format, columns);
}

Status TopicSearch::launch(const ScanRequest &request, const QStringList &filters, const QString &path,
                           MessageFormat format, const QStringList &columns)
{
    auto filter = MessageFilter::compile(filters);
    if (!filter)
        return Error{filter.error()};
    std::unique_ptr<QSaveFile> file;
    if (!path.isEmpty()) {
        file = std::make_unique<QSaveFile>(path);
        if (!file->open(QIODevice::WriteOnly))
            return Error{QStringLiteral("cannot write %1: %2").arg(path, file->errorString())};
    }
    cancel();
    if (m_thread.joinable())
        m_thread.join();
    m_cancelled = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    const quint64 generation = ++m_generation;
    QPointer<TopicSearch> self(this);
    // Runs the slot in this object's thread, unless the search was replaced or this object is gone.
    auto post = [self, generation](auto &&call) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, call = std::forward<decltype(call)>(call)] {
                if (self && self->m_generation == generation)
                    call(*self);
            },
            Qt::QueuedConnection);
    };
    m_thread = std::jthread([bootstrap = m_bootstrap, properties = m_properties, request,
                             filter = std::make_shared<MessageFilter>(std::move(*filter)), file = std::move(file),
                             format, columns, cancelled = m_cancelled, post]() mutable {
        TopicScan scan(bootstrap, properties);
        MessageWriter writer(format, columns.isEmpty() ? MessageWriter::defaultColumns() : columns);
        QByteArray out = file ? writer.begin() : QByteArray();
        qint64 exported = 0;
        int paged = 0;
        QList<TopicMessage> batch;
        auto lastDelivery = std::chrono::steady_clock::now();
        QString writeError;
        auto deliver = [&] {
            if (!batch.isEmpty())
                post([topic = request.topic, batch = std::exchange(batch, {})](TopicSearch &s) {
                    Q_EMIT s.found(topic, batch);
                });
            lastDelivery = std::chrono::steady_clock::now();
        };
        auto summary = scan.run(
            request, *filter,
            [&](const MessageView &m) {
                if (paged < kPageSize) {
                    batch.append(ownedCopy(m));
                    ++paged;
                }
                if (file) {
                    writer.append(out, m);
                    ++exported;
                    if (out.size() > (1 << 20)) {
                        if (file->write(out) != out.size())
                            writeError = file->errorString();
                        out.clear();
                    }
                    return writeError.isEmpty();
                }
                return true;
            },
            [&](const ScanProgress &p) {
                if (std::chrono::steady_clock::now() - lastDelivery >= kDeliverEvery)
                    deliver();
                post([p](TopicSearch &s) { Q_EMIT s.progressed(p); });
            },
            [&] { return cancelled->load(); });
        deliver();
        if (file) {
            out += writer.end();
            if (writeError.isEmpty() && file->write(out) != out.size())
                writeError = file->errorString();
            if (writeError.isEmpty() && summary && !file->commit())
                writeError = file->errorString();
            if (!writeError.isEmpty()) {
                file->cancelWriting();
                post([writeError, path = file->fileName()](TopicSearch &s) {
                    s.m_running = false;
                    Q_EMIT s.failed(QStringLiteral("cannot write %1: %2").arg(path, writeError));
                });
                return;
            }
        }
        if (!summary) {
            post([message = summary.error()](TopicSearch &s) {
                s.m_running = false;
                Q_EMIT s.failed(message);
            });
            return;
        }
        post([summary = *summary, exported](TopicSearch &s) {
            s.m_running = false;
            Q_EMIT s.finished(summary, exported);
        });
    });
    return {};
}

} // namespace peakwatch
