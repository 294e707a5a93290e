#pragma once

namespace gw {

class GatewayCore;
class HttpRouter;

// The Anthropic-compatible routes, under /v1 and /anthropic/v1: messages
// (JSON and the event stream), count_tokens, and (under /anthropic/v1) the
// model list. Each handler authenticates the key, decodes the body once,
// checks the model, and hands the call to a RelaySession, which passes it
// through to Anthropic channels and translates it for the others.
class AnthropicController
{
public:
    static void registerRoutes(HttpRouter &router, GatewayCore &core);
};

} // namespace gw
