// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "aws_credentials.h"
#include "kafka_config.h"
#include "msk_iam_config.h"

#include <QString>

typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_s rd_kafka_t;

namespace peakwatch {

// Amazon MSK's IAM listener for every Kafka client Peakwatch makes: when a configuration has
// sasl.mechanisms=OAUTHBEARER and sasl.oauthbearer.config naming an AWS region ("aws_region=us-east-1",
// optionally " aws_profile=shop"), librdkafka gets a token refresh callback that makes an MSK IAM token
// (core/connect/msk_iam_token.h) from the usual AWS credentials chain, and librdkafka refreshes it before it
// expires (at 80 % of its 15 minutes). The callback runs on librdkafka's background thread, so a client
// can connect before anything polls it.

// AWS keys kept outside the credentials chain (the desktop reads them from the system keychain), for the
// token refresh of this process's clients. Returns the reference that names them in sasl.oauthbearer.config
// (" aws_keys=k…", derived from the keys but revealing nothing of them); the keys stay in memory only.
// Thread-safe.
QByteArray registerMskIamKeys(const AwsCredentials &keys);
// Makes the MSK IAM configuration among `properties` sign with the keys registered under `reference`.
void useMskIamKeys(KafkaProperties &properties, const QByteArray &reference);
// On a configuration that wantsMskIam(): the token refresh callback and the SASL background queue.
void installMskIam(rd_kafka_conf_t *conf);
// After rd_kafka_new(): serves SASL callbacks on the background thread. Harmless for other clients.
void startSaslBackground(rd_kafka_t *rk);

// The last token refresh of this process, for the doctor and for tests: "" before any, else what happened
// ("token for AKIA… valid until 05:15:00 UTC", or the error). Thread-safe.
QString lastMskIamRefresh();

} // namespace peakwatch
