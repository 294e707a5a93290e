#pragma once

#include "access/admintokenrecord.h"
#include "access/apikeyrecord.h"
#include "access/projectrecord.h"
#include "billing/holdrecord.h"
#include "billing/planrecord.h"
#include "access/userrecord.h"
#include "billing/costrule.h"
#include "billing/ledgerposting.h"
#include "limits/keyblock.h"
#include "limits/ratelimitrule.h"
#include "relay/usagerecord.h"
#include "routing/channelinfo.h"
#include "routing/modelinfo.h"
#include "store/auditlog.h"

#include <QJsonObject>

namespace gw {

// The public JSON form of each admin resource. Nothing here ever reads a
// secret: channels say only whether one is set, keys and tokens show their
// display prefix. The audit log stores these same views.
class AdminViews
{
public:
    static QJsonObject channel(const ChannelInfo &c);
    static QJsonObject model(const ModelInfo &m);
    static QJsonObject user(const UserRecord &u, const AccountBalance &b);
    static QJsonObject apiKey(const ApiKeyRecord &k);
    static QJsonObject adminToken(const AdminTokenRecord &t);
    static QJsonObject posting(const LedgerPosting &p);
    static QJsonObject auditEntry(const AuditEntry &e);
    static QJsonObject usage(const UsageRecord &r);
    static QJsonObject plan(const PlanRecord &p);
    static QJsonObject project(const ProjectRecord &p);
    static QJsonObject hold(const HoldRecord &h);
    static QJsonObject attempt(const AttemptRecord &a);
    static QJsonObject rateLimit(const RateLimitRule &r);
    static QJsonObject keyBlock(const KeyBlock &b);
    static QJsonObject costRule(const CostRule &r);
};

} // namespace gw
