#pragma once

#include "chatcodec.h"

namespace gw {

// Anthropic's Messages shape (/v1/messages).
class AnthropicChatCodec final : public ChatCodec
{
public:
    std::optional<ir::ChatRequest> decodeRequest(QByteArrayView body, Error *error) const override;
    std::optional<QByteArray> encodeRequest(const ir::ChatRequest &request, const QString &upstreamModel,
                                            Error *error) const override;
    std::optional<ir::ChatResponse> decodeResponse(QByteArrayView body) const override;
    QString decodeErrorMessage(QByteArrayView body) const override;
    QByteArray encodeResponse(const ir::ChatResponse &response, const QString &publicModel) const override;
    std::unique_ptr<StreamDecoder> streamDecoder() const override;
    std::unique_ptr<StreamEncoder> streamEncoder(const QString &publicModel, bool includeUsage, bool sse) const override;
};

} // namespace gw
