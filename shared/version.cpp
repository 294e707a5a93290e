#include "version.h"

namespace gw {

QString productVersion()
{
    return QStringLiteral(GATEWAY_VERSION);
}

QString apiVersion()
{
    return QStringLiteral("2026-11-21");
}

} // namespace gw
