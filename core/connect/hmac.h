// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace peakwatch {

// HMAC-SHA256 of `data` with `key`, the 32 raw bytes (OpenSSL's: about eight times faster than Qt 6.4's
// QMessageAuthenticationCode on a 2.6 KB body). Signs and checks Shopify's webhooks, AWS SigV4 requests and the
// generic alert webhook's bodies.
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);

} // namespace peakwatch
