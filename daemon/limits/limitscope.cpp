#include "limitscope.h"

namespace gw {

QString limitScopeName(LimitScope scope)
{
    switch (scope) {
    case LimitScope::Key: return QStringLiteral("key");
    case LimitScope::User: return QStringLiteral("user");
    case LimitScope::Project: return QStringLiteral("project");
    case LimitScope::Channel: return QStringLiteral("channel");
    case LimitScope::Provider: return QStringLiteral("provider");
    case LimitScope::Global: return QStringLiteral("global");
    }
    return QStringLiteral("global");
}

std::optional<LimitScope> limitScopeFromName(QStringView name)
{
    for (LimitScope s : {LimitScope::Key, LimitScope::User, LimitScope::Project, LimitScope::Channel,
                         LimitScope::Provider, LimitScope::Global}) {
        if (name == limitScopeName(s))
            return s;
    }
    return std::nullopt;
}

} // namespace gw
