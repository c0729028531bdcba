// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "cli_support.h"

#include "connection_doctor.h"
#include "doctor_verdicts.h"
#include "iso_time.h"
#include "redaction.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QStringBuilder>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace peakwatch::cli {
namespace {

int g_signalFds[2] = {-1, -1};

void forwardSignal(int signal)
{
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}

} // namespace

int fail(ExitCode code, const QString &message)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(QCoreApplication::applicationName()),
                 redacted(message).toLocal8Bit().constData());
    return code;
}

int parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &usage,
                     const QString &description, Positionals positionals)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({QStringLiteral("X"), QStringLiteral("Pass a librdkafka property, as kcat does."),
                      QStringLiteral("key=value")});
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Show the log: Peakwatch's own and librdkafka's (category "
                                                    "peakwatch.kafka.librdkafka), on standard error."));
    parser.addOption(verbose);
    if (!parser.parse(arguments))
        return fail(kExitUsageError,
                    arguments.first() % QStringLiteral(": ") % parser.errorText() % QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        const QString text = QStringLiteral("Usage: peakwatch-cli ") % usage % QStringLiteral("\n\n") % description %
                             QStringLiteral("\n\n") % parser.helpText().section(u'\n', 2);
        std::fputs(text.toLocal8Bit().constData(), stdout);
        return kExitOk;
    }
    if (parser.isSet(verbose))
        QLoggingCategory::setFilterRules(QStringLiteral("peakwatch.*=true"));
    if (positionals == Positionals::Refused && !parser.positionalArguments().isEmpty())
        return fail(kExitUsageError, arguments.first() % QStringLiteral(": unexpected argument \"") %
                                         parser.positionalArguments().first() % QStringLiteral("\" (see --help)"));
    return -1;
}

bool kafkaProperties(const QCommandLineParser &parser, KafkaProperties &out, int &exitCode)
{
    for (const QString &text : parser.values(QStringLiteral("X"))) {
        auto property = parseKafkaProperty(text);
        if (!property) {
            exitCode = fail(kExitUsageError, property.error());
            return false;
        }
        out.append(*property);
    }
    return true;
}

const QCommandLineOption &profileOption()
{
    static const QCommandLineOption option(
        QStringLiteral("profile"),
        QStringLiteral("Use this saved connection (see peakwatch-cli profile list): its bootstrap servers, topic, "
                       "consumer group and properties; the options given here win."),
        QStringLiteral("NAME"));
    return option;
}

Result<ConnectionProfile> savedProfile(const QString &name)
{
    ProfileSettings settings;
    QStringList names;
    for (const ConnectionProfile &profile : ConnectionProfile::loadAll(settings)) {
        if (profile.name == name)
            return profile;
        names << u'"' % profile.name % u'"';
    }
    if (names.isEmpty())
        return Error{QStringLiteral("no saved profile named \"%1\", and none are saved (peakwatch-cli profile import "
                                    "NAME FILE saves one, as does the desktop's New connection)")
                         .arg(name)};
    return Error{QStringLiteral("no saved profile named \"%1\"; the saved ones: %2")
                     .arg(name, names.join(QStringLiteral(", ")))};
}

bool selectedProfile(const QCommandLineParser &parser, std::optional<ConnectionProfile> &out, int &exitCode)
{
    out.reset();
    // optionNames(): the options given, of those the parser has; isSet() would warn about one it has not.
    if (!parser.optionNames().contains(profileOption().names().constFirst()))
        return true;
    auto profile = savedProfile(parser.value(profileOption()));
    if (!profile) {
        exitCode = fail(kExitUsageError, QStringLiteral("--profile: ") % profile.error());
        return false;
    }
    out = std::move(*profile);
    return true;
}

bool kafkaTarget(const QCommandLineParser &parser, const KafkaTargetOptions &options, KafkaTarget &out, int &exitCode)
{
    out = {};
    KafkaProperties given;
    if (!kafkaProperties(parser, given, exitCode) || !selectedProfile(parser, out.profile, exitCode))
        return false;
    if (out.profile) {
        const ConnectionProfile &profile = *out.profile;
        out.bootstrapServers = profile.bootstrapServers;
        out.topic = profile.topic;
        out.group = profile.group;
        out.properties = profile.kafkaProperties();
        const bool passwordGiven = std::any_of(given.cbegin(), given.cend(),
                                               [](const auto &property) { return property.first == "sasl.password"; });
        if (profile.needsPassword() && !passwordGiven) {
            const QString password = qEnvironmentVariable(kKafkaPasswordVariable);
            if (password.isEmpty()) {
                exitCode = fail(kExitUsageError,
                                QStringLiteral("profile \"%1\" signs in with SASL/SCRAM as \"%2\": put the password in "
                                               "the environment variable %3 (profiles keep no passwords)")
                                    .arg(profile.name, profile.saslUsername, QLatin1String(kKafkaPasswordVariable)));
                return false;
            }
            registerSecret(password);
            out.properties.append({"sasl.password", password.toUtf8()});
        }
    }
    if (options.bootstrap && parser.isSet(*options.bootstrap))
        out.bootstrapServers = parser.value(*options.bootstrap);
    if (options.topic && parser.isSet(*options.topic))
        out.topic = parser.value(*options.topic);
    if (options.group && parser.isSet(*options.group))
        out.group = parser.value(*options.group);
    for (const auto &[key, value] : std::as_const(given))
        if (isSecretKafkaProperty(key))
            registerSecret(QString::fromUtf8(value));
    out.properties += given;
    return true;
}

namespace {

template <typename T, typename Convert>
bool rangedOption(const QCommandLineParser &parser, const QCommandLineOption &option, T min, T max, T &out,
                  int &exitCode, Convert convert)
{
    if (!parser.isSet(option) && option.defaultValues().isEmpty())
        return true;
    bool ok = false;
    const T value = convert(parser.value(option), &ok);
    if (ok && value >= min && value <= max) {
        out = value;
        return true;
    }
    exitCode = fail(kExitUsageError, QStringLiteral("--%1 %2: expected a number from %3 to %4")
                                         .arg(option.names().last(), parser.value(option))
                                         .arg(min)
                                         .arg(max));
    return false;
}

} // namespace

bool integerOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min, qint64 max,
                   qint64 &out, int &exitCode)
{
    return rangedOption<qint64>(parser, option, min, max, out, exitCode,
                                [](const QString &text, bool *ok) { return text.toLongLong(ok); });
}

bool numberOption(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
                  double &out, int &exitCode)
{
    return rangedOption<double>(parser, option, min, max, out, exitCode,
                                [](const QString &text, bool *ok) { return text.toDouble(ok); });
}

bool secretFromEnvironment(const QCommandLineParser &parser, const QCommandLineOption &option, QByteArray &out,
                           int &exitCode)
{
    const QString variable = parser.value(option);
    out = variable.isEmpty() ? QByteArray() : qgetenv(variable.toLocal8Bit().constData());
    if (!out.isEmpty())
        return true;
    exitCode = fail(kExitUsageError, QStringLiteral("--") % option.names().last() % u' ' % variable %
                                         QStringLiteral(": the environment variable is not set or empty; it must "
                                                        "hold the webhook secret"));
    return false;
}

void writeLine(const QByteArray &line)
{
    static bool buffered = [] {
        std::setvbuf(stdout, nullptr, _IOFBF, 1 << 20);
        return true;
    }();
    Q_UNUSED(buffered)
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
}

void flushOutput()
{
    std::fflush(stdout);
}

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void raiseInterrupt(int signal)
{
    g_interrupted = 1;
    ::signal(signal, SIG_DFL); // a second one ends the program
}

} // namespace

InterruptFlag::InterruptFlag()
{
    g_interrupted = 0;
    ::signal(SIGINT, raiseInterrupt);
    ::signal(SIGTERM, raiseInterrupt);
}

InterruptFlag::~InterruptFlag()
{
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
}

bool InterruptFlag::raised()
{
    return g_interrupted != 0;
}

bool timeOption(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 &out, int &exitCode)
{
    if (!parser.isSet(option))
        return true;
    const QByteArray text = parser.value(option).toUtf8();
    if (const auto ms = parseIsoTime(std::string_view(text.constData(), size_t(text.size())))) {
        out = *ms;
        return true;
    }
    exitCode =
        fail(kExitUsageError, QStringLiteral("--%1 %2: expected a time in ISO 8601, such as 2026-11-27T09:00:00Z or "
                                             "2026-11-27T10:00:00+01:00")
                                  .arg(option.names().last(), parser.value(option)));
    return false;
}

const QCommandLineOption &bootstrapOption()
{
    static const QCommandLineOption option({QStringLiteral("b"), QStringLiteral("bootstrap")},
                                           QStringLiteral("Kafka bootstrap servers (or -X bootstrap.servers=…)."),
                                           QStringLiteral("HOST:PORT,..."));
    return option;
}

QString bootstrapServers(const KafkaTarget &target, const QString &command, int &exitCode)
{
    const QString servers = target.bootstrapServers.isEmpty()
                                ? QString::fromUtf8(ConnectionDoctor::property(target.properties, "bootstrap.servers"))
                                : target.bootstrapServers;
    if (servers.isEmpty()) {
        exitCode = fail(kExitUsageError,
                        QStringLiteral("%1 needs --bootstrap HOST:PORT or --profile NAME (see --help)").arg(command));
        return {};
    }
    if (auto parsed = KafkaAddress::parseList(servers); !parsed) {
        exitCode = fail(kExitUsageError, QStringLiteral("--bootstrap: ") % parsed.error());
        return {};
    }
    return servers;
}

SignalWatcher::SignalWatcher(std::function<void(int)> onSignal)
    : m_onSignal(std::move(onSignal))
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    m_notifier = std::make_unique<QSocketNotifier>(g_signalFds[1], QSocketNotifier::Read);
    QObject::connect(m_notifier.get(), &QSocketNotifier::activated, m_notifier.get(), [this] {
        char byte = 0;
        if (::read(g_signalFds[1], &byte, 1) == 1 && m_onSignal)
            m_onSignal(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = forwardSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

SignalWatcher::~SignalWatcher()
{
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    m_notifier.reset();
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
    g_signalFds[0] = g_signalFds[1] = -1;
}

} // namespace peakwatch::cli
