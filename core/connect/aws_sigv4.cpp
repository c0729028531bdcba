// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "aws_sigv4.h"

#include "hmac.h"

#include <QDateTime>

#include <openssl/evp.h>

#include <algorithm>
#include <map>

namespace peakwatch {
namespace sigv4 {
namespace {

constexpr qsizetype kSha256Bytes = 32;

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

// Leading and trailing whitespace gone, every inner run of spaces one space.
QByteArray trimmedHeaderValue(QByteArrayView value)
{
    const QByteArray trimmed = value.trimmed().toByteArray();
    QByteArray out;
    out.reserve(trimmed.size());
    bool lastWasSpace = false;
    for (const char c : trimmed) {
        const bool space = c == ' ' || c == '\t';
        if (space && lastWasSpace)
            continue;
        out += space ? ' ' : c;
        lastWasSpace = space;
    }
    return out;
}

bool isSignerHeader(QByteArrayView name)
{
    return name.compare("host", Qt::CaseInsensitive) == 0 || name.compare("x-amz-date", Qt::CaseInsensitive) == 0 ||
           name.compare("x-amz-security-token", Qt::CaseInsensitive) == 0;
}

SigV4Signature sign(const SigV4Request &request, const QList<std::pair<QString, QString>> &query,
                    const QList<std::pair<QByteArray, QByteArray>> &headers, const AwsCredentials &credentials,
                    const SigV4Scope &scope)
{
    SigV4Signature out;
    out.accessKeyId = credentials.accessKeyId.toUtf8();
    out.amzDate = amzDate(scope.timeMs);
    out.credentialScope = credentialScope(scope);
    out.signedHeaders = canonicalHeaders(headers).second;
    const QByteArray payloadHash = request.payloadHash.isEmpty() ? sha256Hex({}) : request.payloadHash;
    out.canonicalRequest = canonicalRequest(request.method, request.path, query, headers, payloadHash);
    out.stringToSign = stringToSign(scope, out.canonicalRequest);
    out.signature = hmacSha256(signingKey(credentials.secretAccessKey, scope), out.stringToSign).toHex();
    return out;
}

} // namespace

QByteArray sha256Hex(QByteArrayView data)
{
    QByteArray digest(kSha256Bytes, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_Digest(data.data(), size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &length,
               EVP_sha256(), nullptr);
    digest.resize(qsizetype(length));
    return digest.toHex();
}

QByteArray uriEncode(QStringView text, bool keepSlash)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3);
    for (const char c : utf8) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

QByteArray amzDate(qint64 timeMs)
{
    return QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
}

QByteArray canonicalUri(const QString &path)
{
    if (path.isEmpty())
        return QByteArrayLiteral("/");
    return uriEncode(path, true);
}

QByteArray canonicalQueryString(const QList<std::pair<QString, QString>> &query)
{
    QList<std::pair<QByteArray, QByteArray>> encoded;
    encoded.reserve(query.size());
    for (const auto &[name, value] : query)
        encoded.append({uriEncode(name), uriEncode(value)});
    std::sort(encoded.begin(), encoded.end()); // by encoded name, then encoded value: byte order
    QByteArray out;
    for (const auto &[name, value] : std::as_const(encoded)) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

std::pair<QByteArray, QByteArray> canonicalHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    std::map<QByteArray, QByteArray> byName; // sorted by lower-cased name
    for (const auto &[name, value] : headers) {
        QByteArray &joined = byName[name.trimmed().toLower()];
        if (!joined.isEmpty())
            joined += ',';
        joined += trimmedHeaderValue(value);
    }
    QByteArray block;
    QByteArray names;
    for (const auto &[name, value] : byName) {
        block += name + ':' + value + '\n';
        if (!names.isEmpty())
            names += ';';
        names += name;
    }
    return {block, names};
}

QByteArray canonicalRequest(QByteArrayView method, const QString &path, const QList<std::pair<QString, QString>> &query,
                            const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView payloadHash)
{
    const auto [block, names] = canonicalHeaders(headers);
    return method.toByteArray() + '\n' + canonicalUri(path) + '\n' + canonicalQueryString(query) + '\n' + block + '\n' +
           names + '\n' + payloadHash.toByteArray();
}

QByteArray credentialScope(const SigV4Scope &scope)
{
    return amzDate(scope.timeMs).left(8) + '/' + scope.region + '/' + scope.service +
           QByteArrayLiteral("/aws4_request");
}

QByteArray stringToSign(const SigV4Scope &scope, QByteArrayView canonicalRequest)
{
    return kAlgorithm.toByteArray() + '\n' + amzDate(scope.timeMs) + '\n' + credentialScope(scope) + '\n' +
           sha256Hex(canonicalRequest);
}

QByteArray signingKey(const QString &secretAccessKey, const SigV4Scope &scope)
{
    const QByteArray secret = QByteArrayLiteral("AWS4") + secretAccessKey.toUtf8();
    const QByteArray dateKey = hmacSha256(secret, amzDate(scope.timeMs).left(8));
    const QByteArray regionKey = hmacSha256(dateKey, scope.region);
    const QByteArray serviceKey = hmacSha256(regionKey, scope.service);
    return hmacSha256(serviceKey, "aws4_request");
}

SigV4SignedHeaders signHeaders(const SigV4Request &request, const AwsCredentials &credentials, const SigV4Scope &scope)
{
    SigV4SignedHeaders out;
    const QByteArray date = amzDate(scope.timeMs);
    out.headers.append({QByteArrayLiteral("X-Amz-Date"), date});
    if (!credentials.sessionToken.isEmpty())
        out.headers.append({QByteArrayLiteral("X-Amz-Security-Token"), credentials.sessionToken.toUtf8()});

    QList<std::pair<QByteArray, QByteArray>> headers{{QByteArrayLiteral("Host"), request.host}};
    for (const auto &header : request.headers) {
        if (!isSignerHeader(header.first))
            headers.append(header);
    }
    headers.append(out.headers);
    out.signature = sign(request, request.query, headers, credentials, scope);
    out.headers.append({QByteArrayLiteral("Authorization"), out.authorization()});
    return out;
}

SigV4PresignedUrl presign(const SigV4Request &request, const AwsCredentials &credentials, const SigV4Scope &scope,
                          int expiresSeconds)
{
    QList<std::pair<QByteArray, QByteArray>> headers{{QByteArrayLiteral("Host"), request.host}};
    for (const auto &header : request.headers) {
        if (!isSignerHeader(header.first))
            headers.append(header);
    }

    QList<std::pair<QString, QString>> query = request.query;
    query.append({QStringLiteral("X-Amz-Algorithm"), QString::fromLatin1(kAlgorithm)});
    query.append({QStringLiteral("X-Amz-Credential"),
                  credentials.accessKeyId + u'/' + QString::fromLatin1(credentialScope(scope))});
    query.append({QStringLiteral("X-Amz-Date"), QString::fromLatin1(amzDate(scope.timeMs))});
    query.append({QStringLiteral("X-Amz-Expires"), QString::number(std::clamp(expiresSeconds, 1, 604800))});
    query.append({QStringLiteral("X-Amz-SignedHeaders"), QString::fromLatin1(canonicalHeaders(headers).second)});
    if (!credentials.sessionToken.isEmpty())
        query.append({QStringLiteral("X-Amz-Security-Token"), credentials.sessionToken});

    SigV4PresignedUrl out;
    out.signature = sign(request, query, headers, credentials, scope);
    for (const auto &[name, value] : std::as_const(query))
        out.query += uriEncode(name) + '=' + uriEncode(value) + '&';
    out.query += QByteArrayLiteral("X-Amz-Signature=") + out.signature.signature;
    out.url = QByteArrayLiteral("https://") + request.host + canonicalUri(request.path) + '?' + out.query;
    return out;
}

} // namespace sigv4

QByteArray SigV4SignedHeaders::authorization() const
{
    return sigv4::kAlgorithm.toByteArray() + QByteArrayLiteral(" Credential=") + signature.accessKeyId + '/' +
           signature.credentialScope + QByteArrayLiteral(", SignedHeaders=") + signature.signedHeaders +
           QByteArrayLiteral(", Signature=") + signature.signature;
}

} // namespace peakwatch
