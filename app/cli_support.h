// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "connection_profile.h"
#include "kafka_config.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QSocketNotifier;

namespace peakwatch::cli {

// Exit codes of every subcommand.
enum ExitCode { kExitOk = 0, kExitRuntimeError = 1, kExitUsageError = 2 };

// Thrown nowhere: a subcommand returns one of these after printing one line on stderr.
int fail(ExitCode code, const QString &message);

// Whether a subcommand takes positional arguments (declared with addPositionalArgument) or refuses them.
enum class Positionals { Refused, Taken };

// Parses `arguments` (the subcommand's name first) with the options every subcommand has
// (-X key=value, --help). Returns -1 to go on, or the exit code to return (help printed, or a
// usage error reported).
int parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &usage,
                     const QString &description, Positionals positionals = Positionals::Refused);

// The -X properties given, in order; a malformed one is a usage error (reported, exit code set).
bool kafkaProperties(const QCommandLineParser &parser, KafkaProperties &out, int &exitCode);

// The value of a numeric option, within [min, max]. An option that is not set and has no default leaves
// `out` as it is. Anything else is a usage error: "--NAME VALUE: expected a number from MIN to MAX" is
// reported, `exitCode` set and false returned.
bool integerOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min, qint64 max,
                   qint64 &out, int &exitCode);
bool numberOption(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
                  double &out, int &exitCode);

// The value of a time option in ISO 8601 (2026-11-27T09:00:00Z, 2026-11-27T10:00:00+01:00), in milliseconds since
// the epoch. An option that is not set leaves `out` as it is; anything else is a usage error, reported, `exitCode`
// set and false returned.
bool timeOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 &out, int &exitCode);

// The secret held by the environment variable that `option` names (--secret-env VAR). Only the
// variable's name ever appears in a message, never its value; unset or empty is a usage error.
bool secretFromEnvironment(const QCommandLineParser &parser, const QCommandLineOption &option, QByteArray &out,
                           int &exitCode);

// --profile NAME: a saved connection, shared with the desktop (peakwatch-cli profile list shows them). The commands
// that talk to a Kafka cluster add it to their parser; broker and demo start their own cluster.
const QCommandLineOption &profileOption();

// -b/--bootstrap HOST:PORT,...: the cluster of the commands that talk to one (or -X bootstrap.servers=…).
const QCommandLineOption &bootstrapOption();

// A saved connection by name. The error says which are saved.
Result<ConnectionProfile> savedProfile(const QString &name);

// The profile --profile names, when the parser has the option and it was given; else nullopt. An unknown name is a
// usage error: reported, `exitCode` set and false returned.
bool selectedProfile(const QCommandLineParser &parser, std::optional<ConnectionProfile> &out, int &exitCode);

// The options with which a command names its cluster, topic and consumer group; any may be null.
struct KafkaTargetOptions {
    const QCommandLineOption *bootstrap = nullptr;
    const QCommandLineOption *topic = nullptr;
    const QCommandLineOption *group = nullptr;
};

// Where a command reads or writes: the saved profile given with --profile, then the command's own options, then
// -X options, which win.
struct KafkaTarget {
    std::optional<ConnectionProfile> profile; // as saved; nullopt without --profile
    QString bootstrapServers;                 // --bootstrap, else the profile's
    QString topic;                            // --topic, else the profile's
    QString group;                            // --group, else the profile's
    // The profile's (with a SASL/SCRAM profile's password, from PEAKWATCH_KAFKA_PASSWORD; an IAM profile's region
    // and AWS profile in sasl.oauthbearer.config, for makeKafkaConf()'s token callback), then -X.
    KafkaProperties properties;
};

// Fills `out` as above. A malformed -X, an unknown profile, or a SASL/SCRAM profile without its password (neither
// PEAKWATCH_KAFKA_PASSWORD nor -X sasl.password) is a usage error: reported, `exitCode` set and false returned.
bool kafkaTarget(const QCommandLineParser &parser, const KafkaTargetOptions &options, KafkaTarget &out, int &exitCode);

// The bootstrap servers a command talks to: --bootstrap or the profile's, else -X bootstrap.servers. A usage error
// (reported, `exitCode` set, an empty string returned) when none is given or the list is malformed; `command` names
// the command in the message.
QString bootstrapServers(const KafkaTarget &target, const QString &command, int &exitCode);

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

// For a command that blocks outside Qt's event loop: the first SIGINT or SIGTERM raises a flag the command polls;
// a second one ends the program as it would have without the flag.
class InterruptFlag final {
public:
    InterruptFlag();
    ~InterruptFlag();
    Q_DISABLE_COPY_MOVE(InterruptFlag)

    static bool raised();
};

int runBroker(const QStringList &arguments);
int runAnalyze(const QStringList &arguments);
int runDemo(const QStringList &arguments);
int runDoctor(const QStringList &arguments);
int runGateway(const QStringList &arguments);
int runProfile(const QStringList &arguments);
int runSimulate(const QStringList &arguments);
int runTopics(const QStringList &arguments);
int runConsume(const QStringList &arguments);
int runProduce(const QStringList &arguments);
int runLag(const QStringList &arguments);
int runFilter(const QStringList &arguments);

} // namespace peakwatch::cli
