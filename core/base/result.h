// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace peakwatch {

// An error as a value: what went wrong, in words a person can act on.
struct Error {
    QString message;
};

// A value or an Error. core/ returns these instead of throwing; callers decide how to show the error.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_data(std::move(value))
    {}
    Result(Error error)
        : m_data(std::move(error))
    {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_data); }
    const T &value() const & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    // The error's words; empty when there is none (so it can be passed along unconditionally).
    const QString &error() const
    {
        static const QString none;
        return ok() ? none : std::get<Error>(m_data).message;
    }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but may fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error.message))
    {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const
    {
        static const QString none;
        return m_error ? *m_error : none;
    }

private:
    std::optional<QString> m_error;
};

} // namespace peakwatch
