// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "message_view.h"
#include "result.h"

#include <QString>
#include <QStringList>

#include <memory>

struct jq_state;

namespace peakwatch {

// One filter in jq's language, compiled by Debian's libjq, run on the object a message is read as:
//   {"topic":…, "partition":…, "offset":…, "timestamp": ms or null, "key": string or null,
//    "value": the value parsed when it is JSON, else the value as a string, or null,
//    "headers": {name: value, …} (the last value where a name repeats)}
// A message passes when the filter's last output is neither false nor null, as `jq -e` decides; no output, or an
// error, is no pass. A jq state is not shared between threads: one program per thread.
class JqProgram final {
public:
    ~JqProgram();
    Q_DISABLE_COPY_MOVE(JqProgram)

    // The error is jq's own message ("syntax error, unexpected INVALID_CHARACTER … at <top-level>, line 1"), with
    // the column where the expression goes wrong when that can be found ("; at column 9").
    // `errorColumn`, when given, gets that column (0 when it compiles, or when jq's message does not tell).
    static Result<std::unique_ptr<JqProgram>> compile(const QString &expression, int *errorColumn = nullptr);
    // Where a filter that does not compile goes wrong: the 1-based column (in characters) of the first character
    // that jq cannot take, or of an undefined name, or the last when the filter ends too soon (an unclosed bracket);
    // 0 when jq's message does not tell. jq 1.6 names lines only: the column is that of the shortest beginning of
    // the expression that jq refuses for anything but its end.
    static int errorColumn(const QString &expression);

    enum class Verdict { Pass, Fail, Error };
    // `error` (when given) says what went wrong on an Error: jq's message, such as `Cannot index string with "id"`.
    Verdict evaluate(const MessageView &message, QString *error = nullptr);

    // At most this many outputs are read for one message; a filter that yields more is an error.
    static constexpr int kMaxOutputs = 100000;

private:
    JqProgram();
    // errorColumn() of an expression jq refused with `errors`.
    static int locateError(const QString &expression, const QStringList &errors);
    jq_state *m_jq = nullptr;
};

} // namespace peakwatch
