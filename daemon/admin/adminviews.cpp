#include "adminviews.h"

#include "common/timeformat.h"
#include "credits.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

namespace {

QJsonValue optionalInt(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

QJsonObject AdminViews::channel(const ChannelInfo &c)
{
    return QJsonObject{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("object"), QStringLiteral("channel")},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("provider"), c.provider},
        {QStringLiteral("base_url"), c.baseUrl},
        {QStringLiteral("secret_set"), c.hasSecret()},
        {QStringLiteral("secret_ref"), textOrNull(c.secretRef)},
        {QStringLiteral("secret_problem"), textOrNull(c.secretProblem)},
        {QStringLiteral("types"), QJsonArray::fromStringList(c.types)},
        {QStringLiteral("priority"), c.priority},
        {QStringLiteral("weight"), c.weight},
        {QStringLiteral("timeout_ms"), c.timeoutMs ? QJsonValue(*c.timeoutMs) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("enabled"), c.enabled},
        {QStringLiteral("config"), c.config},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(c.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(c.updatedAtMs)},
    };
}

QJsonObject AdminViews::model(const ModelInfo &m)
{
    QJsonArray routes;
    for (const ModelRoute &r : m.routes) {
        QJsonObject o{{QStringLiteral("channel"), r.channelId}, {QStringLiteral("upstream_model"), r.upstreamModel}};
        if (r.priority)
            o.insert(QStringLiteral("priority"), *r.priority);
        if (r.weight)
            o.insert(QStringLiteral("weight"), *r.weight);
        routes.append(o);
    }
    return QJsonObject{
        {QStringLiteral("id"), m.id},
        {QStringLiteral("object"), QStringLiteral("model")},
        {QStringLiteral("type"), m.type},
        {QStringLiteral("pricing"), m.pricing.toJson()},
        {QStringLiteral("routes"), routes},
        {QStringLiteral("fallback"), m.fallback.toJson()},
        {QStringLiteral("max_output_tokens"), optionalInt(m.maxOutputTokens)},
        {QStringLiteral("enabled"), m.enabled},
        {QStringLiteral("display_name"), m.displayName},
        {QStringLiteral("description"), m.description},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(m.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(m.updatedAtMs)},
    };
}

QJsonObject AdminViews::user(const UserRecord &u, const AccountBalance &b)
{
    return QJsonObject{
        {QStringLiteral("id"), u.id},
        {QStringLiteral("object"), QStringLiteral("user")},
        {QStringLiteral("email"), u.email},
        {QStringLiteral("name"), u.name},
        {QStringLiteral("status"), u.status},
        {QStringLiteral("plan"), textOrNull(u.plan)},
        {QStringLiteral("balance"), Credits::toJson(b.balance)},
        {QStringLiteral("held"), Credits::toJson(b.held)},
        {QStringLiteral("available"), Credits::toJson(b.available())},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(u.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(u.updatedAtMs)},
    };
}

QJsonObject AdminViews::apiKey(const ApiKeyRecord &k)
{
    return QJsonObject{
        {QStringLiteral("id"), k.id},
        {QStringLiteral("object"), QStringLiteral("api_key")},
        {QStringLiteral("user"), k.userId},
        {QStringLiteral("project"), textOrNull(k.projectId)},
        {QStringLiteral("name"), k.name},
        {QStringLiteral("prefix"), QString::fromLatin1(k.prefix)},
        {QStringLiteral("status"), k.status},
        {QStringLiteral("models"), QJsonArray::fromStringList(k.models)},
        {QStringLiteral("families"), QJsonArray::fromStringList(k.families)},
        {QStringLiteral("scopes"), QJsonArray::fromStringList(k.scopes)},
        {QStringLiteral("ip_allow"), QJsonArray::fromStringList(k.ipAllow)},
        {QStringLiteral("rpm"), optionalInt(k.rpm)},
        {QStringLiteral("tpm"), optionalInt(k.tpm)},
        {QStringLiteral("max_concurrency"), optionalInt(k.maxConcurrency)},
        {QStringLiteral("store_payloads"), k.storePayloads ? QJsonValue(*k.storePayloads) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("expires_at"), TimeFormat::json(k.expiresAtMs)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(k.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(k.updatedAtMs)},
    };
}

QJsonObject AdminViews::adminToken(const AdminTokenRecord &t)
{
    return QJsonObject{
        {QStringLiteral("id"), t.id},
        {QStringLiteral("object"), QStringLiteral("admin_token")},
        {QStringLiteral("name"), t.name},
        {QStringLiteral("role"), adminRoleName(t.role)},
        {QStringLiteral("prefix"), QString::fromLatin1(t.prefix)},
        {QStringLiteral("created_by"), textOrNull(t.createdBy)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(t.createdAtMs)},
    };
}

QJsonObject AdminViews::posting(const LedgerPosting &p)
{
    QJsonObject o{
        {QStringLiteral("id"), QString::number(p.id)},
        {QStringLiteral("object"), QStringLiteral("ledger_posting")},
        {QStringLiteral("user"), p.userId},
        {QStringLiteral("type"), p.type},
        {QStringLiteral("amount"), Credits::toJson(p.amount)},
        {QStringLiteral("balance_after"), Credits::toJson(p.balanceAfter)},
        {QStringLiteral("paid_by"), p.paidBy},
        {QStringLiteral("reason"), p.reason},
        {QStringLiteral("project"), textOrNull(p.projectId)},
        {QStringLiteral("key"), textOrNull(p.keyId)},
        {QStringLiteral("request_id"), textOrNull(p.requestId)},
        {QStringLiteral("task_id"), textOrNull(p.taskId)},
        {QStringLiteral("idempotency_key"), textOrNull(p.idempotencyKey)},
        {QStringLiteral("created_by"), textOrNull(p.createdBy)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(p.createdAtMs)},
    };
    return o;
}

QJsonObject AdminViews::auditEntry(const AuditEntry &e)
{
    return QJsonObject{
        {QStringLiteral("id"), QString::number(e.id)},
        {QStringLiteral("object"), QStringLiteral("audit_entry")},
        {QStringLiteral("actor_token"), textOrNull(e.actorTokenId)},
        {QStringLiteral("actor_role"), e.actorRole},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("resource"), e.resource},
        {QStringLiteral("resource_id"), textOrNull(e.resourceId)},
        {QStringLiteral("request_id"), textOrNull(e.requestId)},
        {QStringLiteral("before"), e.before ? QJsonValue(*e.before) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("after"), e.after ? QJsonValue(*e.after) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(e.createdAtMs)},
    };
}

QJsonObject AdminViews::usage(const UsageRecord &r)
{
    return QJsonObject{
        {QStringLiteral("request_id"), QString::fromLatin1(r.requestId)},
        {QStringLiteral("object"), QStringLiteral("usage")},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(r.createdAtMs)},
        {QStringLiteral("user"), textOrNull(r.userId)},
        {QStringLiteral("key"), textOrNull(r.keyId)},
        {QStringLiteral("project"), textOrNull(r.projectId)},
        {QStringLiteral("family"), r.family},
        {QStringLiteral("endpoint"), r.endpoint},
        {QStringLiteral("model"), textOrNull(r.model)},
        {QStringLiteral("upstream_model"), textOrNull(r.upstreamModel)},
        {QStringLiteral("channel"), textOrNull(r.channelId)},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("error_code"), textOrNull(r.errorCode)},
        {QStringLiteral("error_message"), textOrNull(r.errorMessage)},
        {QStringLiteral("stream"), r.stream},
        {QStringLiteral("prompt_tokens"), double(r.promptTokens)},
        {QStringLiteral("completion_tokens"), double(r.completionTokens)},
        {QStringLiteral("cached_tokens"), double(r.cachedTokens)},
        {QStringLiteral("cache_write_tokens"), double(r.cacheWriteTokens)},
        {QStringLiteral("reasoning_tokens"), double(r.reasoningTokens)},
        {QStringLiteral("images"), double(r.images)},
        {QStringLiteral("estimated"), r.estimated},
        {QStringLiteral("latency_ms"), double(r.latencyMs)},
        {QStringLiteral("ttfb_ms"), optionalInt(r.ttfbMs)},
        {QStringLiteral("finish_reason"), textOrNull(r.finishReason)},
        {QStringLiteral("cut_reason"), textOrNull(r.cutReason)},
        {QStringLiteral("delivered_bytes"), double(r.deliveredBytes)},
        {QStringLiteral("delivered_chars"), double(r.deliveredChars)},
        {QStringLiteral("credits"), Credits::toJson(r.credits)},
        {QStringLiteral("upstream_cost"), Credits::toJson(r.upstreamCost)},
        {QStringLiteral("prices"), r.prices.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QJsonDocument::fromJson(r.prices).object())},
        {QStringLiteral("upstream_request_id"), textOrNull(r.upstreamRequestId)},
        {QStringLiteral("client_ip"), textOrNull(r.clientIp)},
        {QStringLiteral("user_agent"), textOrNull(r.userAgent)},
    };
}

QJsonObject AdminViews::attempt(const AttemptRecord &a)
{
    return QJsonObject{
        {QStringLiteral("attempt"), a.attempt},
        {QStringLiteral("started_at"), TimeFormat::rfc3339(a.startedAtMs)},
        {QStringLiteral("channel"), a.channelId},
        {QStringLiteral("model"), textOrNull(a.model)},
        {QStringLiteral("upstream_model"), textOrNull(a.upstreamModel)},
        {QStringLiteral("status"), a.status},
        {QStringLiteral("error_class"), a.errorClass},
        {QStringLiteral("error_message"), textOrNull(a.errorMessage)},
        {QStringLiteral("latency_ms"), double(a.latencyMs)},
        {QStringLiteral("ttfb_ms"), optionalInt(a.ttfbMs)},
        {QStringLiteral("upstream_request_id"), textOrNull(a.upstreamRequestId)},
    };
}

QJsonObject AdminViews::plan(const PlanRecord &p)
{
    return QJsonObject{
        {QStringLiteral("id"), p.id},
        {QStringLiteral("object"), QStringLiteral("plan")},
        {QStringLiteral("name"), p.name},
        {QStringLiteral("models"), QJsonArray::fromStringList(p.models)},
        {QStringLiteral("billing_mode"), p.billingMode},
        {QStringLiteral("monthly_allowance"), Credits::toJson(p.monthlyAllowance)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(p.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(p.updatedAtMs)},
    };
}

QJsonObject AdminViews::project(const ProjectRecord &p)
{
    return QJsonObject{
        {QStringLiteral("id"), p.id},
        {QStringLiteral("object"), QStringLiteral("project")},
        {QStringLiteral("user"), p.userId},
        {QStringLiteral("name"), p.name},
        {QStringLiteral("monthly_budget"), p.monthlyBudget ? Credits::toJson(*p.monthlyBudget) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("status"), p.status},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(p.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(p.updatedAtMs)},
    };
}

QJsonObject AdminViews::hold(const HoldRecord &h)
{
    return QJsonObject{
        {QStringLiteral("id"), h.id},
        {QStringLiteral("object"), QStringLiteral("hold")},
        {QStringLiteral("user"), h.userId},
        {QStringLiteral("project"), textOrNull(h.projectId)},
        {QStringLiteral("key"), textOrNull(h.keyId)},
        {QStringLiteral("request_id"), textOrNull(h.requestId)},
        {QStringLiteral("task_id"), textOrNull(h.taskId)},
        {QStringLiteral("model"), textOrNull(h.model)},
        {QStringLiteral("amount"), Credits::toJson(h.amount)},
        {QStringLiteral("paid_by"), h.paidBy},
        {QStringLiteral("opened_at"), TimeFormat::rfc3339(h.openedAtMs)},
        {QStringLiteral("closed_at"), TimeFormat::json(h.closedAtMs)},
        {QStringLiteral("outcome"), textOrNull(h.outcome)},
        {QStringLiteral("charged"), h.charged ? Credits::toJson(*h.charged) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject AdminViews::rateLimit(const RateLimitRule &r)
{
    return QJsonObject{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("object"), QStringLiteral("rate_limit")},
        {QStringLiteral("scope"), limitScopeName(r.scope)},
        {QStringLiteral("target"), textOrNull(r.target)},
        {QStringLiteral("rpm"), optionalInt(r.rpm)},
        {QStringLiteral("tpm"), optionalInt(r.tpm)},
        {QStringLiteral("created_by"), textOrNull(r.createdBy)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(r.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(r.updatedAtMs)},
    };
}

QJsonObject AdminViews::keyBlock(const KeyBlock &b)
{
    return QJsonObject{
        {QStringLiteral("id"), b.id},
        {QStringLiteral("object"), QStringLiteral("key_block")},
        {QStringLiteral("key_id"), textOrNull(b.keyId)},
        {QStringLiteral("key_prefix"), textOrNull(b.keyPrefix)},
        {QStringLiteral("provider"), b.provider},
        {QStringLiteral("reason"), b.reason},
        {QStringLiteral("created_by"), textOrNull(b.createdBy)},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(b.createdAtMs)},
    };
}

QJsonObject AdminViews::costRule(const CostRule &r)
{
    QJsonObject o{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("object"), QStringLiteral("cost_rule")},
        {QStringLiteral("channel"), r.channelId},
        {QStringLiteral("model_pattern"), r.modelPattern},
        {QStringLiteral("created_at"), TimeFormat::rfc3339(r.createdAtMs)},
        {QStringLiteral("updated_at"), TimeFormat::rfc3339(r.updatedAtMs)},
    };
    // The prices at the top level, as the request body has them.
    const QJsonObject prices = r.pricing.toJson();
    for (auto it = prices.constBegin(); it != prices.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

} // namespace gw
