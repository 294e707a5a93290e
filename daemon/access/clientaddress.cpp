#include "clientaddress.h"

#include "http/httprequest.h"

namespace gw {

namespace {

QHostAddress normalised(const QHostAddress &a)
{
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = a.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : a;
}

} // namespace

QList<ClientAddress::Subnet> ClientAddress::parseRanges(const QStringList &ranges)
{
    QList<Subnet> out;
    for (const QString &r : ranges) {
        if (r.contains(QLatin1Char('/'))) {
            const auto subnet = QHostAddress::parseSubnet(r);
            if (!subnet.first.isNull())
                out.append(subnet);
        } else {
            const QHostAddress a(r);
            if (!a.isNull())
                out.append({a, a.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32});
        }
    }
    return out;
}

bool ClientAddress::inRanges(const QHostAddress &address, const QList<Subnet> &ranges)
{
    const QHostAddress a = normalised(address);
    for (const Subnet &s : ranges) {
        if (a.isInSubnet(s))
            return true;
    }
    return false;
}

QHostAddress ClientAddress::resolve(const HttpRequest &request, const QList<Subnet> &trustedProxies)
{
    const QHostAddress peer = normalised(request.peer);
    if (trustedProxies.isEmpty() || !inRanges(peer, trustedProxies))
        return peer;
    const QList<QByteArray> hops = request.header("x-forwarded-for").split(',');
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        const QHostAddress hop(QString::fromLatin1(hops.at(i).trimmed()));
        if (hop.isNull())
            break; // garbage: trust nothing further left
        if (!inRanges(hop, trustedProxies))
            return normalised(hop);
    }
    return peer;
}

} // namespace gw
