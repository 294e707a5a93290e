#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gw {

// An image inline in a "data:" URL, as OpenAI's image_url carries it
// ("data:image/png;base64,iVBOR..."), split into what Anthropic's and
// Gemini's inline image sources want: a media type and the base64 text.
// Only base64 data URLs are images in practice; a percent-encoded one is not
// accepted (nullopt), nor one with no media type or no data.
class DataUrl
{
public:
    static bool isDataUrl(const QString &url);
    static std::optional<DataUrl> parse(const QString &url);
    static QString make(const QString &mediaType, const QByteArray &base64);

    QString mediaType;   // "image/png"; parameters such as ";charset=" are dropped
    QByteArray base64;   // as it was in the URL (not decoded)
};

} // namespace gw
