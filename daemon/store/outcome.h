#pragma once

#include "common/serviceerror.h"

#include <optional>
#include <utility>

namespace gw {

// The value store work produced, or the error it failed with.
template <typename T>
class Outcome
{
public:
    Outcome(T value) : m_value(std::move(value)) {}
    Outcome(StoreError error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    T take() { return std::move(*m_value); }
    const StoreError &error() const { return *m_error; }

private:
    std::optional<T> m_value;
    std::optional<StoreError> m_error;
};

} // namespace gw
