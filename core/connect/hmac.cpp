// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace peakwatch {

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    constexpr qsizetype kSha256Bytes = 32;
    QByteArray out(kSha256Bytes, Qt::Uninitialized);
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
         size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()), &length);
    out.resize(qsizetype(length));
    return out;
}

} // namespace peakwatch
