#include "routetable.h"

#include "admin/admintokenscontroller.h"
#include "admin/adminroutetable.h"
#include "admin/apikeyscontroller.h"
#include "admin/auditcontroller.h"
#include "admin/channelscontroller.h"
#include "admin/costrulescontroller.h"
#include "admin/keyblockscontroller.h"
#include "admin/modelscontroller.h"
#include "admin/planscontroller.h"
#include "admin/projectscontroller.h"
#include "admin/ratelimitscontroller.h"
#include "admin/usagecontroller.h"
#include "admin/userscontroller.h"
#include "api/account/accountcontroller.h"
#include "api/anthropic/anthropiccontroller.h"
#include "api/gemini/geminicontroller.h"
#include "api/openai/openaicontroller.h"
#include "api/operations/operationscontroller.h"
#include "gatewaycore.h"
#include "http/httprouter.h"

namespace gw {

std::shared_ptr<HttpRouter> RouteTable::build(GatewayCore &core)
{
    auto router = std::make_shared<HttpRouter>();
    OperationsController::registerRoutes(*router, core);
    OpenAiController::registerRoutes(*router, core);
    AnthropicController::registerRoutes(*router, core);
    GeminiController::registerRoutes(*router, core);
    AccountController::registerRoutes(*router, core);

    AdminRouteTable admin(*router, core.adminTokens(), AdminScope);
    ChannelsController::registerRoutes(admin, core.catalogService(), core.channelHealth());
    ModelsController::registerRoutes(admin, core.catalogService());
    UsersController::registerRoutes(admin, core.userService(), core.creditService(), core.ledger());
    PlansController::registerRoutes(admin, core.planService(), core.plans());
    ProjectsController::registerRoutes(admin, core.projectService());
    ApiKeysController::registerRoutes(admin, core.apiKeyService());
    AdminTokensController::registerRoutes(admin, core.adminTokenService());
    AuditController::registerRoutes(admin, core.store());
    UsageController::registerRoutes(admin, core.store());
    RateLimitsController::registerRoutes(admin, core.rateLimitService());
    KeyBlocksController::registerRoutes(admin, core.keyBlockService());
    CostRulesController::registerRoutes(admin, core.costRuleService());
    return router;
}

} // namespace gw
