// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// A tree for the layering check's own test: the engine includes a Kafka client's header, which it must not.
#pragma once
#include "result.h"
#include "kafka_consumer.h"
