// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "result.h"

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace peakwatch {

// An AWS access key, with the session token that temporary keys come with. The secret key and the session
// token are registered with registerSecret() wherever they are learnt; never print them.
struct AwsCredentials {
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // empty for long-term keys
    // Where the keys came from, for messages: "the environment", "profile \"ci\" in /home/x/.aws/credentials".
    QString source;
};

// What the chain looks at, passed in so that a test can give it its own environment and home directory.
struct AwsEnvironment {
    QProcessEnvironment variables;
    QString homeDirectory;

    // This process's environment and the user's home directory.
    static AwsEnvironment system();
};

// The shared credentials and config files, as AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE name them or
// else ~/.aws/credentials and ~/.aws/config ("~" stands for the home directory).
QString awsCredentialsFilePath(const AwsEnvironment &environment);
QString awsConfigFilePath(const AwsEnvironment &environment);

// The profile in use: `explicitProfile` if given (--profile-aws), else AWS_PROFILE, else AWS_DEFAULT_PROFILE,
// else "default".
QString awsProfileName(const AwsEnvironment &environment, const QString &explicitProfile = {});

// AWS's usual credentials chain, first match wins:
//   1. `known`: keys already at hand (later, the keychain through core/connect/secret_store.h);
//   2. the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN if set; skipped
//      when a profile is named explicitly, as the AWS CLI does (AWS_PROFILE does not skip it);
//   3. the profile's [name] section in the shared credentials file;
//   4. the profile's [profile name] section ([default] for "default") in the shared config file.
// The error names what was looked for: "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
// or a profile in ~/.aws/credentials (looked for profile "x")"; a profile that was named but exists in
// neither file, keys given by halves and profiles that need what Peakwatch cannot do yet (assume a role,
// SSO, credential_process) are errors of their own. Registers the secret key and session token found.
Result<AwsCredentials> resolveAwsCredentials(const AwsEnvironment &environment, const QString &explicitProfile = {},
                                             const std::optional<AwsCredentials> &known = std::nullopt);

// The region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` in the config file. An error
// says where it looked.
Result<QString> resolveAwsRegion(const AwsEnvironment &environment, const QString &explicitProfile = {});

} // namespace peakwatch
