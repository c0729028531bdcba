// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "message_filter.h"

#include "fast_filter.h"
#include "jq_program.h"

#include <QStringBuilder>

#include <optional>
#include <vector>

namespace peakwatch {

struct MessageFilter::Impl {
    struct Compiled {
        QString expression;
        std::unique_ptr<JqProgram> jq;
        std::optional<FastFilter> fast;
    };
    std::vector<Compiled> filters;
    ParsedValue parsed;
    qint64 errors = 0;
    QString firstError;
    qint64 fast = 0;
    qint64 slow = 0;
};

MessageFilter::MessageFilter()
    : d(std::make_unique<Impl>())
{}

MessageFilter::~MessageFilter() = default;
MessageFilter::MessageFilter(MessageFilter &&) noexcept = default;
MessageFilter &MessageFilter::operator=(MessageFilter &&) noexcept = default;

Result<MessageFilter> MessageFilter::compile(const QStringList &expressions)
{
    MessageFilter filter;
    for (qsizetype i = 0; i < expressions.size(); ++i) {
        const QString expression = expressions[i].trimmed();
        const QString which = expressions.size() > 1 ? QStringLiteral("filter %1 (%2)").arg(i + 1).arg(expression)
                                                     : QStringLiteral("filter %1").arg(expression);
        if (expression.isEmpty())
            return Error{QStringLiteral("filter %1 is empty").arg(i + 1)};
        auto jq = JqProgram::compile(expression);
        if (!jq)
            return Error{which % QStringLiteral(": ") % jq.error()};
        const QByteArray utf8 = expression.toUtf8();
        filter.d->filters.push_back(
            {expression, std::move(*jq), FastFilter::parse(std::string_view(utf8.constData(), size_t(utf8.size())))});
    }
    return filter;
}

QStringList MessageFilter::expressions() const
{
    QStringList out;
    for (const Impl::Compiled &f : d->filters)
        out << f.expression;
    return out;
}

bool MessageFilter::isEmpty() const
{
    return d->filters.empty();
}

bool MessageFilter::matches(const MessageView &message)
{
    if (d->filters.empty())
        return true;
    d->parsed.reset(message.value);
    for (Impl::Compiled &f : d->filters) {
        if (f.fast) {
            ++d->fast;
            const FastFilter::Verdict verdict = f.fast->evaluate(message, d->parsed);
            if (verdict == FastFilter::Verdict::Fail)
                return false;
            if (verdict == FastFilter::Verdict::Pass)
                continue;
        }
        ++d->slow;
        QString error;
        const JqProgram::Verdict verdict = f.jq->evaluate(message, d->errors == 0 ? &error : nullptr);
        if (verdict == JqProgram::Verdict::Pass)
            continue;
        if (verdict == JqProgram::Verdict::Error) {
            if (d->errors++ == 0)
                d->firstError =
                    QStringLiteral("partition %1 offset %2: ").arg(message.partition).arg(message.offset) % error;
        }
        return false;
    }
    return true;
}

qint64 MessageFilter::errorCount() const
{
    return d->errors;
}

QString MessageFilter::firstError() const
{
    return d->firstError;
}

qint64 MessageFilter::fastEvaluations() const
{
    return d->fast;
}

qint64 MessageFilter::jqEvaluations() const
{
    return d->slow;
}

} // namespace peakwatch
