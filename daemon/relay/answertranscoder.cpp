#include "answertranscoder.h"

#include "anthropicpassthrough.h"
#include "embeddingpassthrough.h"
#include "mediapassthrough.h"
#include "geminipassthrough.h"
#include "openaipassthrough.h"
#include "translatingtranscoder.h"

namespace gw {

std::unique_ptr<AnswerTranscoder> AnswerTranscoder::create(RelayRequest &request, ApiFamily upstreamFamily,
                                                           qint64 defaultMaxTokens, QString *refusal)
{
    if (request.operation == RelayOperation::Images || request.operation == RelayOperation::Speech) {
        if (upstreamFamily != ApiFamily::OpenAI) {
            *refusal = QStringLiteral("The model '%1' is served here by a %2-compatible upstream; images and speech are "
                                      "relayed only to OpenAI-compatible upstreams.")
                           .arg(request.modelId, TranslatingTranscoder::familyLabel(upstreamFamily));
            return nullptr;
        }
        return std::make_unique<MediaPassthrough>(request);
    }
    if (request.operation == RelayOperation::Embeddings) {
        if (upstreamFamily != request.family) {
            *refusal = QStringLiteral("The model '%1' is served here by a %2-compatible upstream; embeddings are relayed only "
                                      "within one API family.")
                           .arg(request.modelId, TranslatingTranscoder::familyLabel(upstreamFamily));
            return nullptr;
        }
        if (upstreamFamily == ApiFamily::OpenAI)
            return std::make_unique<OpenAiPassthrough>(request);
        return std::make_unique<EmbeddingPassthrough>(request);
    }
    if (upstreamFamily == request.family) {
        switch (upstreamFamily) {
        case ApiFamily::Anthropic: return std::make_unique<AnthropicPassthrough>(request);
        case ApiFamily::Gemini: return std::make_unique<GeminiPassthrough>(request);
        case ApiFamily::OpenAI:
        case ApiFamily::Tasks:
        case ApiFamily::Admin:
        case ApiFamily::Operations:
            break;
        }
        return std::make_unique<OpenAiPassthrough>(request);
    }
    return std::make_unique<TranslatingTranscoder>(request, upstreamFamily, defaultMaxTokens);
}

} // namespace gw
