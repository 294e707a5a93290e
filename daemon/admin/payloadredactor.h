#pragma once

#include <QByteArray>

namespace gw {

// What the support role sees of stored bodies: the structure (fields,
// parameters, models, sizes) with the people's words taken out. JSON keeps
// its shape with every string under content-bearing keys replaced by
// "[redacted: N chars]"; anything else (an assembled stream) is replaced whole.
class PayloadRedactor
{
public:
    static QByteArray redact(const QByteArray &payload);
};

} // namespace gw
