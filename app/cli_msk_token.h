// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QStringList>

namespace peakwatch::cli {

// peakwatch-cli msk-token: the SASL/OAUTHBEARER token for an MSK cluster's IAM listener.
int runMskToken(const QStringList &arguments);

} // namespace peakwatch::cli
