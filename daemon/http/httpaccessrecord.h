#pragma once

#include "apifamily.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

#include <functional>

namespace gw {

// What the front tells observers (access log, metrics) about each answered
// or refused request. `rawTarget` is the target as the client sent it (a
// Gemini caller's ?key= included): an observer that writes it anywhere
// redacts it first (Redaction::redactUrl). Redacting only then spares the
// work on every call whose log line is not written.
struct HttpAccessRecord
{
    QByteArray method;
    QByteArray rawTarget;
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
