#pragma once

namespace gw {

class GatewayCore;
class HttpRouter;

// The OpenAI-compatible routes, under /v1, /openai/v1 and /api/v1:
// chat completions (JSON and SSE), embeddings, and the model list. Each
// handler authenticates the key, reads the body once, checks the model
// against the key's scope, and hands the call to a RelaySession.
class OpenAiController
{
public:
    static void registerRoutes(HttpRouter &router, GatewayCore &core);
};

} // namespace gw
