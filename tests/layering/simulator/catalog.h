// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
// A tree for the layering check's own test: allowed: the simulator on the core.
#pragma once
#include "event_parser.h"
