#include "httprequest.h"

#include "observability/redaction.h"

namespace gw {

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const Header &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView lowerName) const
{
    for (const Header &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

QByteArray HttpRequest::queryValue(QByteArrayView name, bool *found) const
{
    if (found)
        *found = false;
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArrayView pair = QByteArrayView(query).sliced(start, end - start);
        const qsizetype eq = pair.indexOf('=');
        const QByteArrayView key = eq < 0 ? pair : pair.first(eq);
        if (key == name) {
            if (found)
                *found = true;
            if (eq < 0)
                return {};
            QByteArray value = pair.sliced(eq + 1).toByteArray();
            value.replace('+', ' ');
            return QByteArray::fromPercentEncoding(value);
        }
        start = end + 1;
    }
    return {};
}

QByteArray HttpRequest::redactedTarget() const
{
    return Redaction::redactUrl(target);
}

} // namespace gw
