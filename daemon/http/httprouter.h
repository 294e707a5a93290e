#pragma once

#include "apifamily.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>

#include <functional>
#include <memory>
#include <vector>

namespace gw {

class HttpExchange;
using HttpExchangePtr = std::shared_ptr<HttpExchange>;

// Which listener serves a route: with --admin-listen, the admin API moves to
// its own address and the public address stops serving it.
enum RouteScope : unsigned {
    PublicScope = 1u,
    AdminScope = 2u,
    AnyScope = PublicScope | AdminScope,
};

// The one table of routes. A pattern is split on '/'; a segment is a literal,
// "{name}", "{name}:verb" (Gemini's models/{model}:generateContent, where the
// verb is split off a single segment), or a final "{name...}" that takes the
// rest of the path. Parameters are percent-decoded.
class HttpRouter
{
public:
    using Handler = std::function<void(const HttpExchangePtr &)>;
    using Params = QList<QPair<QByteArray, QByteArray>>;

    struct Route
    {
        QByteArray method;
        QByteArray pattern;
        ApiFamily family = ApiFamily::OpenAI;
        unsigned scope = PublicScope;
        Handler handler;
        qint64 maxBodyBytes = 0; // 0: the server's limit; admin routes take far less
    };

    struct Match
    {
        enum Kind { Found, NotFound, MethodNotAllowed } kind = NotFound;
        const Route *route = nullptr;
        Params params;
        QList<QByteArray> allowedMethods; // for 405
    };

    void add(const QByteArray &method, const QByteArray &pattern, ApiFamily family, unsigned scope, Handler handler,
             qint64 maxBodyBytes = 0);
    Match match(QByteArrayView method, QByteArrayView path, unsigned scope) const;
    const std::vector<std::unique_ptr<Route>> &routes() const { return m_routes; }

private:
    struct Segment
    {
        enum Kind { Literal, Param, ParamWithVerb, Rest } kind = Literal;
        QByteArray text;  // literal text, or parameter name
        QByteArray verb;  // for ParamWithVerb: the part after ':'
    };
    struct Compiled
    {
        const Route *route;
        std::vector<Segment> segments;
    };

    static bool matchSegments(const std::vector<Segment> &segments, const QList<QByteArrayView> &parts, Params *params);

    std::vector<std::unique_ptr<Route>> m_routes;
    QHash<QByteArray, std::vector<const Route *>> m_exact; // literal-only patterns, by path
    std::vector<Compiled> m_patterns;                      // the rest, in table order
};

} // namespace gw
