#include "cli_support.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QStringBuilder>

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
                 message.toLocal8Bit().constData());
    return code;
}

int parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &usage,
                     const QString &description)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({QStringLiteral("X"), QStringLiteral("Pass a librdkafka property, as kcat does."),
                      QStringLiteral("key=value")});
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments))
        return fail(kExitUsageError,
                    arguments.first() % QStringLiteral(": ") % parser.errorText() % QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        const QString text = QStringLiteral("Usage: peakwatch-cli ") % usage % QStringLiteral("\n\n") % description %
                             QStringLiteral("\n\n") % parser.helpText().section(u'\n', 2);
        std::fputs(text.toLocal8Bit().constData(), stdout);
        return kExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
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
