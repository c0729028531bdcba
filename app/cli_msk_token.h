#pragma once

#include <QStringList>

namespace peakwatch::cli {

// peakwatch-cli msk-token: the SASL/OAUTHBEARER token for an MSK cluster's IAM listener.
int runMskToken(const QStringList &arguments);

} // namespace peakwatch::cli
