// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "message_view.h"
#include "result.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace peakwatch {

// The filters a search or a consume applies, all of which a message must pass: each in jq's language (JqProgram),
// the simple comparisons among them evaluated on simdjson first (FastFilter) and left to jq only where that cannot
// decide as jq would. Not to be shared between threads: each thread compiles its own.
class MessageFilter final {
public:
    MessageFilter(); // passes every message
    ~MessageFilter();
    MessageFilter(MessageFilter &&) noexcept;
    MessageFilter &operator=(MessageFilter &&) noexcept;

    // The error names the filter that does not compile (by its place when there are several) and what jq says.
    static Result<MessageFilter> compile(const QStringList &expressions);

    QStringList expressions() const;
    bool isEmpty() const;
    bool matches(const MessageView &message);

    // Messages on which a filter raised an error (they did not pass), and the first such error, with the message's
    // place ("partition 2 offset 41: Cannot index string with \"id\"").
    qint64 errorCount() const;
    QString firstError() const;
    // How many filter evaluations each way took, for the tests and the benchmark.
    qint64 fastEvaluations() const;
    qint64 jqEvaluations() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace peakwatch
