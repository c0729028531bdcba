// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "aws_credentials.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace peakwatch {

// AWS Signature Version 4, as docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// describes it: pure functions, no I/O, the time an input. Used to presign the MSK IAM token; general enough
// for any AWS request.

// A request to sign.
struct SigV4Request {
    QByteArray method = QByteArrayLiteral("GET");
    QByteArray host; // the Host header, always signed: "kafka.eu-west-1.amazonaws.com"
    // The path, decoded ("/example space/", "/ሴ"); encoded once when signed, as S3 and the published test
    // suite expect. Services that want it encoded twice get that by passing the encoded path.
    QString path = QStringLiteral("/");
    QList<std::pair<QString, QString>> query; // decoded names and values, in any order
    // Further headers to sign, as they will be sent. Host, X-Amz-Date and X-Amz-Security-Token are the signer's:
    // given here, they are left out.
    QList<std::pair<QByteArray, QByteArray>> headers;
    // Hex SHA-256 of the body (sha256Hex()), or "UNSIGNED-PAYLOAD". Empty: the hash of an empty body.
    QByteArray payloadHash;
};

// Whose keys, where and when.
struct SigV4Scope {
    QByteArray region;  // "us-east-1"
    QByteArray service; // "kafka-cluster", "s3"
    qint64 timeMs = 0;  // signing time, ms since the Unix epoch; the signature covers whole seconds
};

// A signature, with the steps that led to it (what AWS's error messages quote back, and what tests check).
struct SigV4Signature {
    QByteArray accessKeyId;
    QByteArray amzDate;         // "20150830T123600Z"
    QByteArray credentialScope; // "20150830/us-east-1/service/aws4_request"
    QByteArray signedHeaders;   // "host;x-amz-date"
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature; // lower-case hex
};

// The request signed for the Authorization header.
struct SigV4SignedHeaders {
    SigV4Signature signature;
    // The headers to add to the request: X-Amz-Date, X-Amz-Security-Token (with a session token) and
    // Authorization, in that order.
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray authorization() const;
};

// The request signed in its query string (a presigned URL).
struct SigV4PresignedUrl {
    SigV4Signature signature;
    // The whole query, encoded, in order: the request's own parameters, then X-Amz-Algorithm,
    // X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token (with a session
    // token) and X-Amz-Signature last.
    QByteArray query;
    QByteArray url; // "https://" + host + encoded path + "?" + query
};

namespace sigv4 {

inline constexpr QByteArrayView kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr QByteArrayView kUnsignedPayload = "UNSIGNED-PAYLOAD";

QByteArray sha256Hex(QByteArrayView data);

// Percent-encodes UTF-8 `text` as SigV4 wants: everything but A-Z a-z 0-9 - _ . ~ as %XX with upper-case
// hex; '/' too unless `keepSlash`.
QByteArray uriEncode(QStringView text, bool keepSlash = false);

// "20150830T123600Z" for a time in ms since the Unix epoch, UTC.
QByteArray amzDate(qint64 timeMs);

// The steps, each on its own for tests and for signing what this file does not cover.
QByteArray canonicalUri(const QString &path);
QByteArray canonicalQueryString(const QList<std::pair<QString, QString>> &query);
// Lower-cased names, sorted; values trimmed with inner runs of spaces made one; repeated names joined by ','.
// Returns the canonical headers block (each line ending in '\n') and the signed headers list.
std::pair<QByteArray, QByteArray> canonicalHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers);
QByteArray canonicalRequest(QByteArrayView method, const QString &path, const QList<std::pair<QString, QString>> &query,
                            const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView payloadHash);
QByteArray credentialScope(const SigV4Scope &scope);
QByteArray stringToSign(const SigV4Scope &scope, QByteArrayView canonicalRequest);
// HMAC chain "AWS4" + secret → date → region → service → "aws4_request".
QByteArray signingKey(const QString &secretAccessKey, const SigV4Scope &scope);

// Signs `request` for the Authorization header.
SigV4SignedHeaders signHeaders(const SigV4Request &request, const AwsCredentials &credentials, const SigV4Scope &scope);

// Presigns `request` for `expiresSeconds` (1 to 604800): every auth parameter in the query string, only the
// headers in `request` signed (host at least).
SigV4PresignedUrl presign(const SigV4Request &request, const AwsCredentials &credentials, const SigV4Scope &scope,
                          int expiresSeconds);

} // namespace sigv4
} // namespace peakwatch
