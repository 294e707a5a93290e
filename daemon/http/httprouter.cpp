#include "httprouter.h"

namespace gw {

namespace {

QList<QByteArrayView> splitPath(QByteArrayView path)
{
    QList<QByteArrayView> parts;
    if (path.startsWith('/'))
        path = path.sliced(1);
    // One trailing slash is forgiven: "/v1/models/" is "/v1/models".
    if (path.endsWith('/'))
        path.chop(1);
    qsizetype start = 0;
    while (start <= path.size()) {
        qsizetype end = path.indexOf('/', start);
        if (end < 0)
            end = path.size();
        parts.append(path.sliced(start, end - start));
        start = end + 1;
    }
    return parts;
}

QByteArray decode(QByteArrayView v)
{
    if (!v.contains('%'))
        return v.toByteArray();
    return QByteArray::fromPercentEncoding(v.toByteArray());
}

QByteArray normalisedPath(QByteArrayView path)
{
    if (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    return path.toByteArray();
}

} // namespace

void HttpRouter::add(const QByteArray &method, const QByteArray &pattern, ApiFamily family, unsigned scope,
                     Handler handler, qint64 maxBodyBytes)
{
    auto route = std::make_unique<Route>(Route{method, pattern, family, scope, std::move(handler), maxBodyBytes});
    const Route *r = route.get();
    m_routes.push_back(std::move(route));

    if (!pattern.contains('{')) {
        m_exact[normalisedPath(pattern)].push_back(r);
        return;
    }
    Compiled compiled{r, {}};
    for (QByteArrayView part : splitPath(pattern)) {
        Segment s;
        if (part.startsWith('{')) {
            const qsizetype close = part.indexOf('}');
            Q_ASSERT(close > 1);
            s.text = part.sliced(1, close - 1).toByteArray();
            if (s.text.endsWith("...")) {
                s.kind = Segment::Rest;
                s.text.chop(3);
            } else if (close + 1 < part.size()) {
                Q_ASSERT(part[close + 1] == ':');
                s.kind = Segment::ParamWithVerb;
                s.verb = part.sliced(close + 2).toByteArray();
            } else {
                s.kind = Segment::Param;
            }
        } else {
            s.kind = Segment::Literal;
            s.text = part.toByteArray();
        }
        compiled.segments.push_back(std::move(s));
    }
    m_patterns.push_back(std::move(compiled));
}

bool HttpRouter::matchSegments(const std::vector<Segment> &segments, const QList<QByteArrayView> &parts,
                               Params *params)
{
    params->clear();
    qsizetype i = 0;
    for (const Segment &s : segments) {
        if (s.kind == Segment::Rest) {
            if (i >= parts.size())
                return false;
            QByteArray rest;
            for (qsizetype j = i; j < parts.size(); ++j) {
                if (j > i)
                    rest.append('/');
                rest.append(parts[j].data(), parts[j].size());
            }
            params->append({s.text, rest});
            return true;
        }
        if (i >= parts.size())
            return false;
        const QByteArrayView part = parts[i++];
        switch (s.kind) {
        case Segment::Literal:
            if (part != s.text)
                return false;
            break;
        case Segment::Param:
            if (part.isEmpty())
                return false;
            params->append({s.text, decode(part)});
            break;
        case Segment::ParamWithVerb: {
            // The verb is after the last ':' of the raw segment; model ids may hold ':' too.
            const qsizetype colon = part.lastIndexOf(':');
            if (colon <= 0 || part.sliced(colon + 1) != s.verb)
                return false;
            params->append({s.text, decode(part.first(colon))});
            break;
        }
        case Segment::Rest:
            break;
        }
    }
    return i == parts.size();
}

HttpRouter::Match HttpRouter::match(QByteArrayView method, QByteArrayView path, unsigned scope) const
{
    Match m;
    auto consider = [&](const Route *r, Params &&params) -> bool {
        if (!(r->scope & scope))
            return false;
        const bool methodOk = r->method == method || (method == "HEAD" && r->method == "GET");
        if (methodOk) {
            m.kind = Match::Found;
            m.route = r;
            m.params = std::move(params);
            return true;
        }
        if (!m.allowedMethods.contains(r->method))
            m.allowedMethods.append(r->method);
        return false;
    };

    const auto exact = m_exact.constFind(normalisedPath(path));
    if (exact != m_exact.constEnd()) {
        for (const Route *r : *exact) {
            if (consider(r, {}))
                return m;
        }
    }
    const QList<QByteArrayView> parts = splitPath(path);
    Params params;
    for (const Compiled &c : m_patterns) {
        if (matchSegments(c.segments, parts, &params) && consider(c.route, std::move(params)))
            return m;
    }
    m.kind = m.allowedMethods.isEmpty() ? Match::NotFound : Match::MethodNotAllowed;
    if (m.kind == Match::MethodNotAllowed && m.allowedMethods.contains("GET") && !m.allowedMethods.contains("HEAD"))
        m.allowedMethods.append("HEAD");
    return m;
}

} // namespace gw
