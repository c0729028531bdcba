// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "jq_program.h"

#include <QRegularExpression>
#include <QStringList>

extern "C" {
#include <jq.h>
#include <jv.h>
}

namespace peakwatch {
namespace {

jv bytesOrNull(const BytesView &bytes)
{
    return bytes.isNull ? jv_null() : jv_string_sized(bytes.bytes.data(), int(bytes.bytes.size()));
}

// The value parsed when it is JSON, else the bytes as a string (jq replaces what is not UTF-8).
jv valueOf(const BytesView &value)
{
    if (value.isNull)
        return jv_null();
    jv parsed = jv_parse_sized(value.bytes.data(), int(value.bytes.size()));
    if (jv_is_valid(parsed))
        return parsed;
    jv_free(parsed);
    return jv_string_sized(value.bytes.data(), int(value.bytes.size()));
}

jv inputOf(const MessageView &m)
{
    jv headers = jv_object();
    for (const HeaderView &h : m.headers)
        headers = jv_object_set(headers, jv_string_sized(h.name.data(), int(h.name.size())), bytesOrNull(h.value));
    jv o = jv_object();
    o = jv_object_set(o, jv_string("topic"), jv_string_sized(m.topic.data(), int(m.topic.size())));
    o = jv_object_set(o, jv_string("partition"), jv_number(m.partition));
    o = jv_object_set(o, jv_string("offset"), jv_number(double(m.offset)));
    o = jv_object_set(o, jv_string("timestamp"), m.timestampMs >= 0 ? jv_number(double(m.timestampMs)) : jv_null());
    o = jv_object_set(o, jv_string("key"), bytesOrNull(m.key));
    o = jv_object_set(o, jv_string("value"), valueOf(m.value));
    o = jv_object_set(o, jv_string("headers"), headers);
    return o;
}

QString messageText(jv message)
{
    QString text;
    if (jv_get_kind(message) == JV_KIND_STRING) {
        text = QString::fromUtf8(jv_string_value(message));
    } else {
        jv dumped = jv_dump_string(jv_copy(message), 0);
        text = QString::fromUtf8(jv_string_value(dumped)) + QStringLiteral(" (not a string)");
        jv_free(dumped);
    }
    jv_free(message);
    return text;
}

} // namespace

JqProgram::JqProgram()
    : m_jq(jq_init())
{}

JqProgram::~JqProgram()
{
    if (m_jq)
        jq_teardown(&m_jq);
}

namespace {

// jq's error callback while compiling: each message, without jq's prefix and its quote of the program, into the
// QStringList `data`; the count of errors jq adds at the end is left out.
void collectError(void *data, jv message)
{
    QString text = messageText(message);
    if (text.startsWith(QLatin1String("jq: error: ")))
        text.remove(0, 11);
    // jq quotes the program after the location; the expression is shown beside the error already.
    if (const qsizetype cut = text.indexOf(QLatin1String(":\n")); cut > 0)
        text.truncate(cut);
    text = text.trimmed();
    if (!text.endsWith(QLatin1String("compile error")) && !text.endsWith(QLatin1String("compile errors")))
        static_cast<QStringList *>(data)->append(text);
}

// jq's errors for compiling `expression`, empty when it compiles.
QStringList compileErrors(const QByteArray &expression)
{
    jq_state *jq = jq_init();
    if (!jq)
        return {QStringLiteral("cannot start jq")};
    QStringList errors;
    jq_set_error_cb(jq, collectError, &errors);
    if (jq_compile(jq, expression.constData()) && errors.isEmpty())
        errors.clear();
    else if (errors.isEmpty())
        errors << QStringLiteral("not a jq filter");
    jq_teardown(&jq);
    return errors;
}

} // namespace

int JqProgram::errorColumn(const QString &expression)
{
    return locateError(expression, compileErrors(expression.toUtf8()));
}

int JqProgram::locateError(const QString &expression, const QStringList &whole)
{
    if (whole.isEmpty())
        return 0;
    // "nosuch/0 is not defined": where that name is.
    static const QRegularExpression undefined(QStringLiteral("^(\\$?[A-Za-z_][A-Za-z0-9_:]*)(/\\d+)? is not defined"));
    if (const QRegularExpressionMatch m = undefined.match(whole.first()); m.hasMatch()) {
        const qsizetype at = expression.indexOf(m.captured(1));
        return at >= 0 ? int(at) + 1 : 0;
    }
    if (!whole.first().startsWith(QLatin1String("syntax error")))
        return 0;
    // The filter ends too soon (an unclosed bracket or string): the mistake shows at its end.
    const QLatin1String tooShort("unexpected $end");
    if (whole.first().contains(tooShort))
        return int(expression.size());
    for (qsizetype length = 1; length <= expression.size(); ++length) {
        const QStringList errors = compileErrors(expression.left(length).toUtf8());
        if (!errors.isEmpty() && errors.first().startsWith(QLatin1String("syntax error")) &&
            !errors.first().contains(tooShort))
            return int(length);
    }
    return 0;
}

Result<std::unique_ptr<JqProgram>> JqProgram::compile(const QString &expression, int *errorColumn)
{
    if (errorColumn)
        *errorColumn = 0;
    std::unique_ptr<JqProgram> program(new JqProgram);
    if (!program->m_jq)
        return Error{QStringLiteral("cannot start jq")};
    QStringList errors;
    jq_set_error_cb(program->m_jq, collectError, &errors);
    const QByteArray utf8 = expression.toUtf8();
    if (!jq_compile(program->m_jq, utf8.constData())) {
        QString message = errors.isEmpty() ? QStringLiteral("not a jq filter") : errors.join(QStringLiteral("; "));
        const int column = locateError(expression, errors);
        if (column > 0)
            message += QStringLiteral("; at column %1").arg(column);
        if (errorColumn)
            *errorColumn = column;
        return Error{message};
    }
    // Errors while running are read from jq_next's answers, not printed.
    jq_set_error_cb(
        program->m_jq, [](void *, jv message) { jv_free(message); }, nullptr);
    return program;
}

JqProgram::Verdict JqProgram::evaluate(const MessageView &message, QString *error)
{
    jq_start(m_jq, inputOf(message), 0);
    bool passes = false;
    int outputs = 0;
    for (;;) {
        jv out = jq_next(m_jq);
        if (!jv_is_valid(out)) {
            if (jv_invalid_has_msg(jv_copy(out))) {
                if (error)
                    *error = messageText(jv_invalid_get_msg(out));
                else
                    jv_free(out);
                return Verdict::Error;
            }
            jv_free(out);
            break;
        }
        const jv_kind kind = jv_get_kind(out);
        passes = kind != JV_KIND_NULL && kind != JV_KIND_FALSE;
        jv_free(out);
        if (++outputs > kMaxOutputs) {
            if (error)
                *error = QStringLiteral("the filter gave more than %1 results for one message").arg(kMaxOutputs);
            return Verdict::Error;
        }
    }
    return passes ? Verdict::Pass : Verdict::Fail;
}

} // namespace peakwatch
