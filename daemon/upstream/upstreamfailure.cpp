#include "upstreamfailure.h"

namespace gw {

QString upstreamFailureName(UpstreamFailure failure)
{
    switch (failure) {
    case UpstreamFailure::None: return QStringLiteral("none");
    case UpstreamFailure::Connect: return QStringLiteral("connect");
    case UpstreamFailure::Timeout: return QStringLiteral("timeout");
    case UpstreamFailure::Protocol: return QStringLiteral("protocol");
    case UpstreamFailure::Cancelled: return QStringLiteral("cancelled");
    case UpstreamFailure::Other: return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

} // namespace gw
