// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "aws_credentials.h"
#include "result.h"

#include <QByteArray>
#include <QString>

namespace peakwatch {

// The token an Amazon MSK broker takes over SASL/OAUTHBEARER on its IAM listener, made as AWS's
// aws-msk-iam-sasl-signer libraries make it: a SigV4-presigned
//   GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect
// (service "kafka-cluster", X-Amz-Expires 900, only host signed, the empty body's hash), with a User-Agent
// parameter added after signing, the whole URL base64url-encoded without padding.
struct MskIamToken {
    QByteArray token;
    qint64 expiresAtMs = 0; // signing time (whole seconds) + 900 s, ms since the Unix epoch
    QString principal;      // the access key id, for librdkafka's token principal
};

inline constexpr int kMskIamTokenLifetimeSeconds = 900;

// Pure: same inputs, same token. `nowMs` is the signing time (ms since the Unix epoch); `userAgent` names
// the client ("peakwatch/0.1.0"). Fails, saying why, on missing keys or a region that cannot be a host name
// part ("eu-west-1").
Result<MskIamToken> makeMskIamToken(const AwsCredentials &credentials, const QString &region, qint64 nowMs,
                                    const QString &userAgent);

} // namespace peakwatch
