// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

// Runs peakwatch-cli (and kcat) as child processes for the CLI and integration tests.

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTest>

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

inline CliResult runProgram(const QString &program, const QStringList &arguments, const QByteArray &input = {},
                            int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, arguments);
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
