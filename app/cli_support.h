#pragma once

#include "kafka_config.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace peakwatch::cli {

// Exit codes of every subcommand.
enum ExitCode { kExitOk = 0, kExitRuntimeError = 1, kExitUsageError = 2 };

// Thrown nowhere: a subcommand returns one of these after printing one line on stderr.
int fail(ExitCode code, const QString &message);

// Parses `arguments` (the subcommand's name first) with the options every subcommand has
// (-X key=value, --help). Returns -1 to go on, or the exit code to return (help printed, or a
// usage error reported).
int parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &usage,
                     const QString &description);

// The -X properties given, in order; a malformed one is a usage error (reported, exit code set).
bool kafkaProperties(const QCommandLineParser &parser, KafkaProperties &out, int &exitCode);

// The value of a numeric option, within [min, max]. An option that is not set and has no default leaves
// `out` as it is. Anything else is a usage error: "--NAME VALUE: expected a number from MIN to MAX" is
// reported, `exitCode` set and false returned.
bool integerOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min, qint64 max,
                   qint64 &out, int &exitCode);
bool numberOption(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
                  double &out, int &exitCode);

// The secret held by the environment variable that `option` names (--secret-env VAR). Only the
// variable's name ever appears in a message, never its value; unset or empty is a usage error.
bool secretFromEnvironment(const QCommandLineParser &parser, const QCommandLineOption &option, QByteArray &out,
                           int &exitCode);

// Writes to standard output through a large buffer; flush() pushes it out.
void writeLine(const QByteArray &line);
void flushOutput();

// Calls `onSignal` in the Qt event loop when SIGINT or SIGTERM arrives.
class SignalWatcher final {
public:
    explicit SignalWatcher(std::function<void(int)> onSignal);
    ~SignalWatcher();
    Q_DISABLE_COPY_MOVE(SignalWatcher)

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::function<void(int)> m_onSignal;
};

int runBroker(const QStringList &arguments);
int runAnalyze(const QStringList &arguments);
int runDemo(const QStringList &arguments);
int runGateway(const QStringList &arguments);
int runSimulate(const QStringList &arguments);

} // namespace peakwatch::cli
