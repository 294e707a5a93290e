#pragma once

namespace gw {

class GatewayCore;
class HttpRouter;

// The Gemini-compatible routes, under /v1beta and /gemini/v1beta:
// models/{model}:generateContent, :streamGenerateContent (server-sent events
// with alt=sse, else a streamed JSON array), :countTokens, :embedContent,
// :batchEmbedContents, and the model list. The model is in the path; the key
// may come as x-goog-api-key or ?key= as well as the other ways.
class GeminiController
{
public:
    static void registerRoutes(HttpRouter &router, GatewayCore &core);
};

} // namespace gw
