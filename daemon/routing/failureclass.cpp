#include "failureclass.h"

namespace gw {

QString failureClassName(FailureClass c)
{
    switch (c) {
    case FailureClass::None: return QStringLiteral("ok");
    case FailureClass::Connect: return QStringLiteral("connect");
    case FailureClass::Timeout: return QStringLiteral("timeout");
    case FailureClass::Server: return QStringLiteral("5xx");
    case FailureClass::RateLimit: return QStringLiteral("429");
    case FailureClass::Auth: return QStringLiteral("auth");
    case FailureClass::Protocol: return QStringLiteral("protocol");
    case FailureClass::Client: return QStringLiteral("client");
    }
    return QStringLiteral("unknown");
}

QString fallbackTriggerFor(FailureClass c)
{
    switch (c) {
    case FailureClass::Connect: return QStringLiteral("connect");
    case FailureClass::Timeout: return QStringLiteral("timeout");
    // A cut or garbled answer is the upstream failing, like a 5xx.
    case FailureClass::Server:
    case FailureClass::Protocol: return QStringLiteral("5xx");
    case FailureClass::RateLimit: return QStringLiteral("429");
    case FailureClass::Auth: return QStringLiteral("auth");
    case FailureClass::None:
    case FailureClass::Client: return {};
    }
    return {};
}

bool countsAgainstChannel(FailureClass c)
{
    switch (c) {
    case FailureClass::Connect:
    case FailureClass::Timeout:
    case FailureClass::Server:
    case FailureClass::Auth:
    case FailureClass::Protocol:
        return true;
    // A 429 is the channel being busy, handled by its Retry-After instead.
    case FailureClass::RateLimit:
    case FailureClass::None:
    case FailureClass::Client:
        return false;
    }
    return false;
}

} // namespace gw
