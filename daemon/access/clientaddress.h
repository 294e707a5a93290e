#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>

namespace gw {

class HttpRequest;

// The address a request came from, for IP allow lists and limits. The
// peer's own address, unless the peer is one of the trusted proxies: then
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
class ClientAddress
{
public:
    using Subnet = QPair<QHostAddress, int>;

    static QList<Subnet> parseRanges(const QStringList &ranges);
    static QHostAddress resolve(const HttpRequest &request, const QList<Subnet> &trustedProxies);
    static bool inRanges(const QHostAddress &address, const QList<Subnet> &ranges);
};

} // namespace gw
