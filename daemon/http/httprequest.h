#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace gw {

// One parsed HTTP/1.x request. Header names are stored in lower case; the
// path and query are kept exactly as sent (percent-encoded).
class HttpRequest
{
public:
    using Header = QPair<QByteArray, QByteArray>;

    QByteArray method;        // as sent, e.g. "POST"
    QByteArray target;        // request-target as sent
    QByteArray path;          // target up to '?'
    QByteArray query;         // after '?', without it
    int versionMinor = 1;     // HTTP/1.<minor>
    QList<Header> headers;
    QByteArray body;
    QHostAddress peer;
    quint16 peerPort = 0;
    QByteArray requestId;
    qint64 receivedAtMs = 0;  // steady clock, when the headers were complete

    // The first value of a header (name in lower case), or an empty array.
    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const;
    // A query parameter, percent-decoded; `found` tells empty from absent.
    QByteArray queryValue(QByteArrayView name, bool *found = nullptr) const;
    bool isHead() const { return method == "HEAD"; }
    // The path with `?key=` and similar secrets masked: safe to log or store.
    QByteArray redactedTarget() const;
};

} // namespace gw
