#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace gw {

// A complete response: status, headers and a body of known length.
struct HttpResponse
{
    using Header = QPair<QByteArray, QByteArray>;

    int status = 200;
    QList<Header> headers;
    QByteArray body;

    HttpResponse &setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QByteArray &compactJson);
    static HttpResponse text(int status, const QByteArray &body, const QByteArray &contentType = "text/plain; charset=utf-8");
};

// "OK", "Not Found", ... for a status line.
QByteArray httpReasonPhrase(int status);

} // namespace gw
