#pragma once

#include "apifamily.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

#include <functional>

namespace gw {

// What the front tells observers (access log, metrics) about each answered
// or refused request. `target` is already redacted.
struct HttpAccessRecord
{
    QByteArray method;
    QByteArray target;
    QByteArray requestId;
    QHostAddress peer;
    ApiFamily family = ApiFamily::OpenAI;
    int status = 0;
    qint64 durationUs = 0;
    qint64 bodyBytesOut = 0;
    bool refusedByGuard = false;
    QString refusal;
    QList<QPair<QByteArray, QByteArray>> fields;
};

// Called on the worker thread that served the request; must be thread-safe.
using HttpAccessObserver = std::function<void(const HttpAccessRecord &)>;

} // namespace gw
