// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

namespace peakwatch {

// Where a window is open, the threads that are not on the way from Kafka to the screen (the simulator and
// its producer, alert delivery, the topic browser's reader, producers' pollers) yield to the UI thread:
// they run at a lower scheduling priority (nice +5 on Linux), so that at the peak, with every core busy,
// the window and the analysis are served first. The reader and the analysis keep the window's priority: at
// 50,000 events/s they must keep up. Off by default (command-line tools keep every thread equal); the
// desktop turns it on before it starts any thread.
void setBackgroundThreadsYield(bool yield);
bool backgroundThreadsYield();

// Lowers the calling thread's priority when background threads yield; threads it starts afterwards (such
// as a Kafka client's own) inherit it. Call it first thing in a background thread.
void yieldToTheWindow();

} // namespace peakwatch
