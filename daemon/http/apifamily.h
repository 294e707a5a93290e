#pragma once

#include <QByteArrayView>

namespace gw {

// The API family a route belongs to: it decides the shape of error bodies.
enum class ApiFamily {
    OpenAI,
    Anthropic,
    Gemini,
    Tasks,      // the gateway's task API; errors shaped like OpenAI's
    Admin,      // /admin/v1; errors shaped like OpenAI's
    Operations, // /healthz, /metrics, ...; errors shaped like OpenAI's
};

// The family a path belongs to when no route matched it, so that even a 404
// reaches an SDK in the shape it parses.
ApiFamily apiFamilyForPath(QByteArrayView path);

} // namespace gw
