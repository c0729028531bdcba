// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "msk_iam_config.h"

namespace peakwatch {

QByteArray mskIamOauthbearerConfig(const QString &region, const QString &awsProfile)
{
    QByteArray config = "aws_region=" + region.toUtf8();
    if (!awsProfile.isEmpty())
        config += " aws_profile=" + awsProfile.toUtf8();
    return config;
}

bool wantsMskIam(const KafkaProperties &properties)
{
    QByteArray mechanism, config;
    for (const auto &[key, value] : properties) {
        if (key == "sasl.mechanisms" || key == "sasl.mechanism")
            mechanism = value.trimmed().toUpper();
        else if (key == "sasl.oauthbearer.config")
            config = value;
    }
    return mechanism == "OAUTHBEARER" && config.contains("aws_region=");
}

} // namespace peakwatch
