// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "shopify_hmac.h"

#include "hmac.h"

#include <openssl/crypto.h>

namespace peakwatch {
namespace {

constexpr qsizetype kSha256Bytes = 32;

// Compares two equally long byte strings in time that depends only on their length.
bool equalInConstantTime(const char *a, const char *b, qsizetype size)
{
    return CRYPTO_memcmp(a, b, size_t(size)) == 0;
}

} // namespace

QByteArray shopifyHmac(QByteArrayView secret, QByteArrayView body)
{
    return hmacSha256(secret, body).toBase64();
}

bool verifyShopifyHmac(QByteArrayView secret, QByteArrayView body, QByteArrayView headerValue)
{
    if (secret.isEmpty())
        return false;
    // Shopify sends standard base64 with padding: 44 characters for 32 bytes. Anything that does not
    // decode strictly to 32 bytes is not a signature; that says nothing about the secret.
    const auto decoded =
        QByteArray::fromBase64Encoding(headerValue.trimmed().toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kSha256Bytes)
        return false;
    const QByteArray expected = hmacSha256(secret, body);
    return equalInConstantTime(expected.constData(), decoded.decoded.constData(), kSha256Bytes);
}

} // namespace peakwatch
