// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

// tests/smtp_test_server.py (Debian's python3-aiosmtpd) as a peer of the tests: a real SMTP server on loopback
// that takes AUTH PLAIN and LOGIN for one user and keeps every message it accepts. Needs PEAKWATCH_SMTP_TEST_SERVER
// (the script's path) defined by the test's build.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringBuilder>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <vector>

namespace smtp_test {

inline const QString kUser = QStringLiteral("alerts@northwind.example");
// Characters a URL must escape, and one beyond ASCII: the sink must decode them.
inline const QString kPassword = QStringLiteral("s3cret/p@ss:wörd");

inline QString pythonInterpreter()
{
    // Debian's python3-aiosmtpd is installed for Debian's own Python, which another python3 on PATH may not see.
    const QString debian = QStringLiteral("/usr/bin/python3");
    return QFileInfo(debian).isExecutable() ? debian : QStringLiteral("python3");
}

// tests/smtp_test_server.py, started on a free port of 127.0.0.1 and ended with the test.
class SmtpServer {
public:
    explicit SmtpServer(const QStringList &extraArgs = {})
    {
        m_process.setProgram(pythonInterpreter());
        m_process.setArguments(QStringList{QStringLiteral(PEAKWATCH_SMTP_TEST_SERVER), QStringLiteral("--dir"),
                                           m_dir.path(), QStringLiteral("--user"), kUser, QStringLiteral("--password"),
                                           kPassword} +
                               extraArgs);
        m_process.start();
        if (!m_process.waitForStarted(10'000))
            return;
        while (!m_process.canReadLine() && m_process.state() == QProcess::Running)
            m_process.waitForReadyRead(200);
        bool ok = false;
        m_port = quint16(m_process.readLine().trimmed().toUInt(&ok));
        if (!ok)
            m_port = 0;
    }
    ~SmtpServer()
    {
        m_process.closeWriteChannel(); // the server ends when its standard input closes
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    Q_DISABLE_COPY_MOVE(SmtpServer)

    bool ok() const { return m_port != 0; }
    QString problem() { return QString::fromUtf8(m_process.readAllStandardError()) % m_process.errorString(); }

    QUrl url(const QString &password = kPassword) const
    {
        QUrl url;
        url.setScheme(QStringLiteral("smtp"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(m_port);
        url.setUserName(kUser, QUrl::DecodedMode);
        url.setPassword(password, QUrl::DecodedMode);
        return url;
    }

    // The messages taken so far, oldest first, as the server's email module read them.
    std::vector<QJsonObject> messages() const
    {
        std::vector<QJsonObject> out;
        const QDir dir(m_dir.path());
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(name));
            if (file.open(QIODevice::ReadOnly))
                out.push_back(QJsonDocument::fromJson(file.readAll()).object());
        }
        return out;
    }
    QByteArray raw(size_t index) const
    {
        QFile file(QDir(m_dir.path()).filePath(QStringLiteral("%1.eml").arg(index + 1, 4, 10, QLatin1Char('0'))));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace smtp_test
