// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// peakwatch-cli msk-token: the MSK IAM auth token for the AWS credentials at hand, as the aws-msk-iam-sasl-signer
// tools print it; for checking credentials and a cluster's IAM listener with kcat or any Kafka client.
#include "cli_msk_token.h"

#include "aws_credentials.h"
#include "cli_support.h"
#include "iso_time.h"
#include "msk_iam_token.h"

#include <QDateTime>
#include <QStringBuilder>

#include <cstdio>

namespace peakwatch::cli {

int runMskToken(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption regionOption(
        QStringLiteral("region"),
        QStringLiteral("The cluster's AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region)."),
        QStringLiteral("REGION"));
    const QCommandLineOption timeOption(QStringLiteral("time"),
                                        QStringLiteral("Sign as at this time (ISO 8601, e.g. 2026-11-27T05:00:00Z) "
                                                       "instead of now."),
                                        QStringLiteral("TIME"));
    const QCommandLineOption profileOption(
        QStringLiteral("profile-aws"),
        QStringLiteral("The AWS profile in ~/.aws/credentials or ~/.aws/config (default: AWS_PROFILE, or "
                       "\"default\"); the environment's keys are then not used."),
        QStringLiteral("NAME"));
    parser.addOptions({regionOption, timeOption, profileOption, cli::profileOption()});
    const int parsed = parseCommandLine(
        parser, arguments,
        QStringLiteral("msk-token [--profile NAME] [--region REGION] [--time TIME] [--profile-aws NAME]"),
        QStringLiteral(
            "Print the SASL/OAUTHBEARER token for an Amazon MSK cluster's IAM listener, signed with the "
            "AWS credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
            "AWS_SESSION_TOKEN) or the shared files (~/.aws/credentials, ~/.aws/config). The token goes to "
            "standard output, when it expires to standard error. It is valid for 15 minutes. With --profile, the saved "
            "connection's region and AWS profile apply unless given here."));
    if (parsed >= 0)
        return parsed;
    KafkaProperties ignored;
    int exitCode = 0;
    if (!kafkaProperties(parser, ignored, exitCode))
        return exitCode;

    qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (!peakwatch::cli::timeOption(parser, timeOption, nowMs, exitCode))
        return exitCode;

    const AwsEnvironment environment = AwsEnvironment::system();
    std::optional<ConnectionProfile> saved;
    if (!selectedProfile(parser, saved, exitCode))
        return exitCode;
    if (saved && saved->security != ConnectionProfile::Security::Iam)
        return fail(kExitUsageError, QStringLiteral("--profile ") % saved->name %
                                         QStringLiteral(": this connection does not sign in with IAM (it uses ") %
                                         ConnectionProfile::securityName(saved->security) % u')');
    QString profile = parser.value(profileOption);
    if (parser.isSet(profileOption) && profile.trimmed().isEmpty())
        return fail(kExitUsageError, QStringLiteral("--profile-aws: expected a profile name"));
    if (!parser.isSet(profileOption) && saved)
        profile = saved->awsProfile;

    QString region = parser.value(regionOption).trimmed();
    if (region.isEmpty() && saved)
        region = saved->awsRegion.isEmpty() ? ConnectionProfile::regionOfBootstrap(saved->bootstrapServers)
                                            : saved->awsRegion;
    if (region.isEmpty()) {
        auto configured = resolveAwsRegion(environment, profile);
        if (!configured)
            return fail(kExitUsageError, QStringLiteral("--region not given, and ") % configured.error());
        region = *configured;
    }

    auto credentials = resolveAwsCredentials(environment, profile);
    if (!credentials)
        return fail(kExitRuntimeError, credentials.error());

    auto token = makeMskIamToken(*credentials, region, nowMs, QStringLiteral("peakwatch/" PEAKWATCH_VERSION));
    if (!token)
        return fail(parser.isSet(regionOption) ? kExitUsageError : kExitRuntimeError, token.error());

    std::fwrite(token->token.constData(), 1, size_t(token->token.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    std::fprintf(stderr, "MSK IAM token for %s (%s), region %s; expires %s (%lld ms since the epoch)\n",
                 qPrintable(token->principal), qPrintable(credentials->source), qPrintable(region),
                 formatIsoTime(token->expiresAtMs).constData(), static_cast<long long>(token->expiresAtMs));
    return kExitOk;
}

} // namespace peakwatch::cli
