#include "channelendpoint.h"

#include "http/httprequest.h"

#include <QJsonArray>
#include <QUrl>

namespace gw {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// Whether `base` ends in a version: /v\d+(beta\d*|alpha\d*)?$ (ASCII digits),
// by hand rather than by a regular expression on every call.
bool endsWithVersion(QStringView base)
{
    qsizetype end = base.size();
    qsizetype at = end;
    while (at > 0 && isAsciiDigit(base[at - 1]))
        --at;
    for (const QLatin1String suffix : {QLatin1String("beta"), QLatin1String("alpha")}) {
        if (base.first(at).endsWith(suffix)) {
            end = at - suffix.size();
            at = end;
            while (at > 0 && isAsciiDigit(base[at - 1]))
                --at;
            break;
        }
    }
    // At least one digit, right after "/v".
    return at < end && base.first(at).endsWith(QLatin1String("/v"));
}

QString versionedBase(const ChannelInfo &channel, QLatin1String version)
{
    QStringView base = channel.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (endsWithVersion(base))
        return base.toString();
    QString out;
    out.reserve(base.size() + version.size() + 24); // room for the endpoint the caller appends
    out += base;
    out += version;
    return out;
}

} // namespace

std::optional<ApiFamily> ChannelEndpoint::familyOf(const ChannelInfo &channel)
{
    if (channel.provider == QLatin1String("openai"))
        return ApiFamily::OpenAI;
    if (channel.provider == QLatin1String("anthropic"))
        return ApiFamily::Anthropic;
    if (channel.provider == QLatin1String("gemini"))
        return ApiFamily::Gemini;
    return std::nullopt;
}

QByteArray ChannelEndpoint::url(const ChannelInfo &channel, ApiFamily family, const RelayRequest &request,
                                const QString &upstreamModel)
{
    const bool chat = request.operation == RelayOperation::Chat;
    switch (family) {
    case ApiFamily::Anthropic:
        return (versionedBase(channel, QLatin1String("/v1")) + QStringLiteral("/messages")).toUtf8();
    case ApiFamily::Gemini: {
        // Gemini names models "models/ID"; a channel may be configured either way.
        QString model = upstreamModel;
        if (model.startsWith(QLatin1String("models/")))
            model = model.mid(7);
        const QByteArray method = !chat ? (request.batchEmbeddings ? QByteArrayLiteral(":batchEmbedContents")
                                                                   : QByteArrayLiteral(":embedContent"))
                                  : request.stream ? QByteArrayLiteral(":streamGenerateContent?alt=sse")
                                                   : QByteArrayLiteral(":generateContent");
        return versionedBase(channel, QLatin1String("/v1beta")).toUtf8() + "/models/" + QUrl::toPercentEncoding(model) + method;
    }
    case ApiFamily::OpenAI:
    case ApiFamily::Tasks:
    case ApiFamily::Admin:
    case ApiFamily::Operations:
        break;
    }
    QString path;
    switch (request.operation) {
    case RelayOperation::Chat: path = QStringLiteral("/chat/completions"); break;
    case RelayOperation::Embeddings: path = QStringLiteral("/embeddings"); break;
    case RelayOperation::Images: path = QStringLiteral("/images/generations"); break;
    case RelayOperation::Speech: path = QStringLiteral("/audio/speech"); break;
    }
    return (versionedBase(channel, QLatin1String("/v1")) + path).toUtf8();
}

QList<QPair<QByteArray, QByteArray>> ChannelEndpoint::headers(const ChannelInfo &channel, ApiFamily family, bool stream,
                                                             const QByteArray &requestId, const HttpRequest &caller,
                                                             ApiFamily callerFamily)
{
    QList<QPair<QByteArray, QByteArray>> out;
    out.reserve(8);
    using Header = QPair<QByteArray, QByteArray>;
    out.append(Header(QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")));
    out.append(Header(QByteArrayLiteral("accept"),
                      stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("application/json")));
    switch (family) {
    case ApiFamily::Anthropic: {
        if (!channel.secret.isEmpty())
            out.append(Header(QByteArrayLiteral("x-api-key"), channel.secret));
        // The caller's SDK knows which API version and betas its request is
        // written for; anyone else's request is translated to the stable one.
        QByteArray version = callerFamily == ApiFamily::Anthropic ? caller.header("anthropic-version") : QByteArray();
        if (version.isEmpty())
            version = channel.config.value(QStringLiteral("anthropic_version")).toString().toUtf8();
        out.append(Header(QByteArrayLiteral("anthropic-version"), version.isEmpty() ? QByteArray(DefaultAnthropicVersion) : version));
        if (callerFamily == ApiFamily::Anthropic) {
            const QByteArray beta = caller.header("anthropic-beta");
            if (!beta.isEmpty())
                out.append(Header(QByteArrayLiteral("anthropic-beta"), beta));
        }
        break;
    }
    case ApiFamily::Gemini:
        if (!channel.secret.isEmpty())
            out.append(Header(QByteArrayLiteral("x-goog-api-key"), channel.secret));
        break;
    case ApiFamily::OpenAI:
    case ApiFamily::Tasks:
    case ApiFamily::Admin:
    case ApiFamily::Operations:
        if (!channel.secret.isEmpty())
            out.append(Header(QByteArrayLiteral("authorization"), "Bearer " + channel.secret));
        break;
    }
    out.append(Header(QByteArrayLiteral("x-gateway-request-id"), requestId));
    const QJsonObject extra = channel.config.value(QStringLiteral("headers")).toObject();
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        const QByteArray name = it.key().toLower().toLatin1();
        out.removeIf([&name](const Header &h) { return h.first == name; });
        out.append(Header(name, it.value().toString().toUtf8()));
    }
    return out;
}

QStringList ChannelEndpoint::stripList(const ChannelInfo &channel)
{
    QStringList out;
    for (const QJsonValue &v : channel.config.value(QStringLiteral("strip")).toArray())
        out.append(v.toString());
    return out;
}

} // namespace gw
