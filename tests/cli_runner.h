// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

// Runs peakwatch-cli (and kcat) as child processes for the CLI and integration tests.

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTest>

#include <unistd.h>

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;

    QList<QByteArray> outLines() const
    {
        QList<QByteArray> lines = out.split('\n');
        lines.removeAll(QByteArray());
        return lines;
    }
};

// A child inherits no descriptor of the test's process. librdkafka's mock brokers (the embedded cluster, which many
// tests run in their own process) open their sockets without close-on-exec: a child started while a broker holds a
// connection would keep it open after the broker closes it, and the client would wait a whole socket timeout
// (60 s) to notice a broker that went down. Marked close-on-exec in the child, the sockets stay the broker's alone.
inline void inheritNoDescriptors()
{
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
}

inline void startInheritingNothing(QProcess &process, const QString &program, const QStringList &arguments)
{
    process.setChildProcessModifier(inheritNoDescriptors);
    process.start(program, arguments);
}

inline CliResult runProgram(const QString &program, const QStringList &arguments, const QByteArray &input = {},
                            int timeoutMs = 60000)
{
    QProcess process;
    startInheritingNothing(process, program, arguments);
    CliResult result;
    if (!process.waitForStarted(10000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

inline CliResult runCli(const QStringList &arguments, const QByteArray &input = {}, int timeoutMs = 60000)
{
    return runProgram(QStringLiteral(PEAKWATCH_CLI), arguments, input, timeoutMs);
}

// The embedded cluster in a `peakwatch-cli broker` process of its own, with one broker and the topics given
// ("NAME" or "NAME:PARTITIONS"); stopped when this goes.
struct CliBroker {
    QProcess process;
    QString bootstrap;

    bool start(const QStringList &topics)
    {
        QStringList args{QStringLiteral("broker"), QStringLiteral("--brokers"), QStringLiteral("1")};
        for (const QString &topic : topics)
            args << QStringLiteral("--topic") << topic;
        startInheritingNothing(process, QStringLiteral(PEAKWATCH_CLI), args);
        if (!process.waitForStarted(10000))
            return false;
        for (int i = 0; i < 150 && !process.canReadLine(); ++i)
            process.waitForReadyRead(100);
        bootstrap = QString::fromUtf8(process.readLine().trimmed());
        return bootstrap.startsWith(QLatin1String("127.0.0.1:"));
    }
    ~CliBroker()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(10000))
                process.kill();
        }
    }
};
