#pragma once

#include "store/outcome.h"

#include <functional>

namespace gw {

// How asynchronous services answer: once, on the thread of the context
// object the caller passed.
template <typename T>
using Callback = std::function<void(Outcome<T>)>;

} // namespace gw
