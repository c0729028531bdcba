// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "msk_iam_token.h"

#include "aws_sigv4.h"

#include <QRegularExpression>
#include <QStringBuilder>

namespace peakwatch {

Result<MskIamToken> makeMskIamToken(const AwsCredentials &credentials, const QString &region, qint64 nowMs,
                                    const QString &userAgent)
{
    if (credentials.accessKeyId.isEmpty() || credentials.secretAccessKey.isEmpty())
        return Error{QStringLiteral("cannot make an MSK IAM token without an AWS access key id and secret key")};
    // The region becomes part of a host name; anything else there would sign a request for another host.
    static const QRegularExpression regionPattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)+$"));
    if (!regionPattern.match(region).hasMatch())
        return Error{QStringLiteral("\"") % region %
                     QStringLiteral("\" is not an AWS region (expected a name such as eu-west-1)")};

    const qint64 signedAtMs = nowMs - (((nowMs % 1000) + 1000) % 1000); // the signature covers whole seconds
    SigV4Request request;
    request.method = QByteArrayLiteral("GET");
    request.host = QByteArrayLiteral("kafka.") + region.toLatin1() + QByteArrayLiteral(".amazonaws.com");
    request.path = QStringLiteral("/");
    request.query = {{QStringLiteral("Action"), QStringLiteral("kafka-cluster:Connect")}};
    const SigV4Scope scope{region.toLatin1(), QByteArrayLiteral("kafka-cluster"), signedAtMs};
    const SigV4PresignedUrl presigned = sigv4::presign(request, credentials, scope, kMskIamTokenLifetimeSeconds);

    QByteArray url = presigned.url;
    if (!userAgent.isEmpty())
        url += QByteArrayLiteral("&User-Agent=") + sigv4::uriEncode(userAgent);

    MskIamToken token;
    token.token = url.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    token.expiresAtMs = signedAtMs + qint64(kMskIamTokenLifetimeSeconds) * 1000;
    token.principal = credentials.accessKeyId;
    return token;
}

} // namespace peakwatch
