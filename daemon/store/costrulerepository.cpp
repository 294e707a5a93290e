#include "costrulerepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "id, channel_id, model_pattern, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok, "
    "per_request, per_image, per_second, created_at, updated_at");

CostRule fromQuery(const QSqlQuery &q)
{
    CostRule r;
    r.id = q.value(0).toString();
    r.channelId = q.value(1).toString();
    r.modelPattern = q.value(2).toString();
    r.pricing.inputPerMtok = q.value(3).toLongLong();
    r.pricing.outputPerMtok = q.value(4).toLongLong();
    r.pricing.cacheReadPerMtok = q.value(5).toLongLong();
    r.pricing.cacheWritePerMtok = q.value(6).toLongLong();
    r.pricing.perRequest = q.value(7).toLongLong();
    r.pricing.perImage = q.value(8).toLongLong();
    r.pricing.perSecond = q.value(9).toLongLong();
    r.createdAtMs = q.value(10).toLongLong();
    r.updatedAtMs = q.value(11).toLongLong();
    return r;
}

} // namespace

void CostRuleRepository::insert(SqlSession &s, const CostRule &r)
{
    const ModelPricing &p = r.pricing;
    s.run(QStringLiteral("INSERT INTO cost_rules (") + kColumns
               + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {r.id, r.channelId, r.modelPattern, p.inputPerMtok, p.outputPerMtok, p.cacheReadPerMtok, p.cacheWritePerMtok,
            p.perRequest, p.perImage, p.perSecond, r.createdAtMs, r.updatedAtMs});
}

void CostRuleRepository::update(SqlSession &s, const CostRule &r)
{
    const ModelPricing &p = r.pricing;
    s.run(QStringLiteral("UPDATE cost_rules SET channel_id = ?, model_pattern = ?, input_per_mtok = ?, output_per_mtok = ?, "
                          "cache_read_per_mtok = ?, cache_write_per_mtok = ?, per_request = ?, per_image = ?, "
                          "per_second = ?, updated_at = ? WHERE id = ?"),
           {r.channelId, r.modelPattern, p.inputPerMtok, p.outputPerMtok, p.cacheReadPerMtok, p.cacheWritePerMtok,
            p.perRequest, p.perImage, p.perSecond, r.updatedAtMs, r.id});
}

void CostRuleRepository::remove(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM cost_rules WHERE id = ?"), {id});
}

std::optional<CostRule> CostRuleRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM cost_rules WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<CostRule> CostRuleRepository::findByPattern(SqlSession &s, const QString &channelId,
                                                          const QString &modelPattern)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM cost_rules WHERE channel_id = ? AND model_pattern = ? ORDER BY id LIMIT 1"),
                          {channelId, modelPattern});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<CostRule> CostRuleRepository::list(SqlSession &s, const QString &channelId, const QString &cursor, int limit)
{
    QList<CostRule> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM cost_rules WHERE id > ? AND (? = '' OR channel_id = ?) ORDER BY id LIMIT ?"),
                          {cursor, channelId, channelId, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const CostRule &r) { return r.id; });
}

QList<CostRule> CostRuleRepository::loadAll(SqlSession &s)
{
    QList<CostRule> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM cost_rules ORDER BY id"));
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

} // namespace gw
