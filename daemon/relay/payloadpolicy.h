#pragma once

#include <QtGlobal>

namespace gw {

// Whether request and response bodies are kept with usage rows, and how
// much of each. A key's own setting (store_payloads) wins over the default.
struct PayloadPolicy
{
    bool storeByDefault = true;
    qsizetype capBytes = 64 * 1024;
};

} // namespace gw
