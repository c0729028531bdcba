// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "kafka_properties.h"

#include <QByteArray>
#include <QString>

namespace peakwatch {

// How a Kafka configuration asks for Amazon MSK's IAM sign-in: sasl.mechanisms=OAUTHBEARER with a
// sasl.oauthbearer.config naming an AWS region ("aws_region=us-east-1", optionally " aws_profile=shop").
// The token refresh that answers it is the Kafka clients' (core/kafka/msk_iam_auth.h).

// The sasl.oauthbearer.config value that asks for MSK IAM.
QByteArray mskIamOauthbearerConfig(const QString &region, const QString &awsProfile = {});
// Whether these properties ask for MSK IAM (and so need installMskIam()).
bool wantsMskIam(const KafkaProperties &properties);

} // namespace peakwatch
