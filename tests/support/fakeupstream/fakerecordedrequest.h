#pragma once

#include "fakeheaders.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace gw::test {

// A request as the fake upstream received it. Handlers read it too, so there
// is one description of a request, not a parsed one and a recorded one.
struct FakeRecordedRequest
{
    QByteArray method;   // as sent: "POST"
    QString path;        // percent-decoded, without the query: "/v1/chat/completions"
    QString query;       // raw, without '?'
    FakeHeaders headers; // names lower-cased, arrival order
    QByteArray body;     // de-chunked
    QDateTime received;  // UTC, when the last body byte arrived

    QByteArray header(QByteArrayView name) const { return fakeHeaderValue(headers, name); }
    // The body as a JSON object; empty when it is not one.
    QJsonObject jsonBody() const;
    // The shape GET /_fake/requests returns.
    QJsonObject toJson() const;
};

} // namespace gw::test
