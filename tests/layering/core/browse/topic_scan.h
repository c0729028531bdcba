// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// A tree for the layering check's own test: allowed: topic search on kafka.
#pragma once
#include "kafka_consumer.h"
