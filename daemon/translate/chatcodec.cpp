#include "chatcodec.h"

#include "anthropicchatcodec.h"
#include "geminichatcodec.h"
#include "openaichatcodec.h"

namespace gw {

const ChatCodec *ChatCodec::forFamily(ApiFamily family)
{
    // Codecs are stateless: one static instance each, built on first use
    // (thread-safe), shared by every worker.
    switch (family) {
    case ApiFamily::OpenAI: {
        static const OpenAiChatCodec codec;
        return &codec;
    }
    case ApiFamily::Anthropic: {
        static const AnthropicChatCodec codec;
        return &codec;
    }
    case ApiFamily::Gemini: {
        static const GeminiChatCodec codec;
        return &codec;
    }
    default:
        return nullptr;
    }
}

} // namespace gw
