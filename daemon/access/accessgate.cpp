#include "accessgate.h"

#include "apikeyauthenticator.h"
#include "http/httprequest.h"
#include "limits/concurrencylimiter.h"
#include "limits/keyblocklist.h"
#include "limits/ratelimiter.h"
#include "limits/ratelimitrules.h"

namespace gw {

namespace {

ApiError refusal(int status, const QString &message, const QString &code)
{
    ApiError e;
    e.status = status;
    e.message = message;
    e.code = code;
    return e;
}

// "12s", "0.5s": how OpenAI writes the x-ratelimit-reset-* durations.
QByteArray duration(qint64 ms)
{
    if (ms % 1000 == 0)
        return QByteArray::number(ms / 1000) + 's';
    return QByteArray::number(double(ms) / 1000.0, 'f', 3) + 's';
}

QList<QPair<QByteArray, QByteArray>> limitHeaders(const RateDecision &d)
{
    QList<QPair<QByteArray, QByteArray>> out;
    if (d.limitsRequests()) {
        out.append({"x-ratelimit-limit-requests", QByteArray::number(d.requestLimit)});
        out.append({"x-ratelimit-remaining-requests", QByteArray::number(qMax<qint64>(0, d.requestRemaining))});
        out.append({"x-ratelimit-reset-requests", duration(d.requestResetMs)});
    }
    if (d.limitsTokens()) {
        out.append({"x-ratelimit-limit-tokens", QByteArray::number(d.tokenLimit)});
        out.append({"x-ratelimit-remaining-tokens", QByteArray::number(qMax<qint64>(0, d.tokenRemaining))});
        out.append({"x-ratelimit-reset-tokens", duration(d.tokenResetMs)});
    }
    return out;
}

} // namespace

AccessGate::AccessGate(const UserDirectory &users, const PlanBook &plans, const ProjectDirectory &projects,
                       const KeyBlockList &blocks, const RateLimitRules &rules, RateLimiter &limiter,
                       ConcurrencyLimiter &concurrency)
    : m_users(users)
    , m_plans(plans)
    , m_projects(projects)
    , m_blocks(blocks)
    , m_rules(rules)
    , m_limiter(limiter)
    , m_concurrency(concurrency)
{
}

bool AccessGate::planAllows(const PlanRecord &plan, const QString &modelId)
{
    ApiKeyRecord asKey;
    asKey.models = plan.models;
    return ApiKeyAuthenticator::allowsModel(asKey, modelId);
}

Admission AccessGate::admit(const HttpRequest &request, const ApiKeyRecord &key, const QString &modelId,
                            qint64 estimatedTokens, qint64 nowMs)
{
    Admission a;
    a.estimatedTokens = estimatedTokens;
    a.user = m_users.find(key.userId);
    if (a.user && a.user->status != QLatin1String("active")) {
        a.error = refusal(403, QStringLiteral("This account is disabled."), QStringLiteral("account_disabled"));
        return a;
    }
    if (a.user && !a.user->planId.isEmpty()) {
        a.plan = m_plans.find(a.user->planId);
        if (a.plan && !modelId.isEmpty() && !planAllows(*a.plan, modelId)) {
            a.error = refusal(403, QStringLiteral("Your plan does not include the model '%1'.").arg(modelId),
                              QStringLiteral("model_not_in_plan"));
            return a;
        }
    }
    if (!key.projectId.isEmpty()) {
        a.project = m_projects.find(key.projectId);
        if (a.project && a.project->status != QLatin1String("active")) {
            a.error = refusal(403, QStringLiteral("This key's project is disabled."), QStringLiteral("project_disabled"));
            return a;
        }
    }
    if (!key.ipAllow.isEmpty()) {
        const QHostAddress client = ClientAddress::resolve(request, m_trustedProxies);
        if (!ClientAddress::inRanges(client, ClientAddress::parseRanges(key.ipAllow))) {
            a.error = refusal(403, QStringLiteral("This API key may not be used from %1.").arg(client.toString()),
                              QStringLiteral("ip_not_allowed"));
            return a;
        }
    }
    if (!m_blocks.isEmpty()) {
        if (const auto block = m_blocks.find(key.id, ApiKeyAuthenticator::presentedKey(request))) {
            a.error = refusal(403, QStringLiteral("This API key is blocked%1.")
                                       .arg(block->reason.isEmpty() ? QString() : QStringLiteral(": ") + block->reason),
                              QStringLiteral("api_key_blocked"));
            return a;
        }
    }
    if (key.maxConcurrency && *key.maxConcurrency > 0) {
        a.ticket = m_concurrency.tryAcquire(key.id, *key.maxConcurrency);
        if (!a.ticket) {
            a.error = refusal(429, QStringLiteral("Too many concurrent requests for this API key (at most %1).")
                                       .arg(*key.maxConcurrency),
                              QStringLiteral("concurrency_limit_exceeded"));
            return a;
        }
    }
    m_rules.appendSubject(a.subjects, LimitScope::Key, key.id, key.rpm.value_or(0), key.tpm.value_or(0));
    m_rules.appendSubject(a.subjects, LimitScope::User, key.userId);
    if (!key.projectId.isEmpty())
        m_rules.appendSubject(a.subjects, LimitScope::Project, key.projectId);
    m_rules.appendSubject(a.subjects, LimitScope::Global, QString());
    if (a.subjects.isEmpty())
        return a;
    const RateDecision d = m_limiter.admit(a.subjects, estimatedTokens, nowMs);
    a.headers = limitHeaders(d);
    if (!d.allowed) {
        const bool tokens = d.refusedMeasure == RateDecision::Measure::Tokens;
        ApiError e = refusal(429, QStringLiteral("Rate limit reached for %1 (%2 per minute); retry in %3 s.")
                                      .arg(limitScopeName(d.refusedScope), tokens ? QStringLiteral("tokens") : QStringLiteral("requests"))
                                      .arg((d.retryAfterMs + 999) / 1000),
                             tokens ? QStringLiteral("rate_limit_tokens") : QStringLiteral("rate_limit_requests"));
        a.error = e;
        a.headers.append({"retry-after", QByteArray::number(qMax<qint64>(1, (d.retryAfterMs + 999) / 1000))});
        a.subjects.clear(); // nothing was consumed
    }
    return a;
}

void AccessGate::settleTokens(const Admission &admission, qint64 actualTokens, qint64 nowMs)
{
    if (!admission.subjects.isEmpty())
        m_limiter.settleTokens(admission.subjects, admission.estimatedTokens, actualTokens, nowMs);
}

bool AccessGate::channelAllowed(const ApiKeyRecord &key, QByteArrayView presentedKey, const QString &channelId,
                                const QString &provider, qint64 estimatedTokens, qint64 nowMs)
{
    if (!m_blocks.isEmpty() && m_blocks.blocksProvider(key.id, presentedKey, provider))
        return false;
    QList<LimitSubject> subjects;
    m_rules.appendSubject(subjects, LimitScope::Channel, channelId);
    m_rules.appendSubject(subjects, LimitScope::Provider, provider);
    if (subjects.isEmpty())
        return true;
    return m_limiter.admit(subjects, estimatedTokens, nowMs).allowed;
}

} // namespace gw
