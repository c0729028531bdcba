// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace peakwatch {

// Shopify signs every webhook: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(raw body, app secret)).

// The signature Shopify would send for `body`, base64-encoded (as the header carries it).
QByteArray shopifyHmac(QByteArrayView secret, QByteArrayView body);

// True if `headerValue` is the signature of `body` with `secret`. The comparison takes the same time
// wherever the first difference is, so an attacker cannot guess a signature byte by byte. An empty
// secret verifies nothing.
bool verifyShopifyHmac(QByteArrayView secret, QByteArrayView body, QByteArrayView headerValue);

} // namespace peakwatch
