#include "channelspec.h"

#include "jsonreader.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace gw {

const QStringList &ChannelSpec::knownTypes()
{
    static const QStringList types = {
        QStringLiteral("chat"), QStringLiteral("embeddings"), QStringLiteral("image"),
        QStringLiteral("video"), QStringLiteral("music"), QStringLiteral("tts"),
    };
    return types;
}

namespace {

void validateConfig(const QJsonObject &config, JsonReader &r)
{
    FieldErrors &errors = r.errors();
    const QString base = r.path(QStringLiteral("config"));
    JsonReader c(config, errors, base);
    if (auto headers = c.object(QStringLiteral("headers"), JsonReader::Optional)) {
        for (auto it = headers->constBegin(); it != headers->constEnd(); ++it) {
            static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
            if (!token.match(it.key()).hasMatch())
                errors.add(base + QStringLiteral(".headers.") + it.key(), QStringLiteral("is not a valid header name"));
            else if (!it.value().isString() || it.value().toString().contains(QLatin1Char('\n'))
                     || it.value().toString().contains(QLatin1Char('\r')))
                errors.add(base + QStringLiteral(".headers.") + it.key(), QStringLiteral("must be a single-line string"));
        }
    }
    c.stringList(QStringLiteral("strip"), JsonReader::Optional);
    if (const auto ca = c.string(QStringLiteral("ca_file"), JsonReader::Optional, 4096); ca && !QDir::isAbsolutePath(*ca))
        errors.add(base + QStringLiteral(".ca_file"), QStringLiteral("must be an absolute path"));
    c.object(QStringLiteral("mapping"), JsonReader::Optional);
}

} // namespace

ChannelSpec ChannelSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    const auto need = mode == Mode::Create ? JsonReader::Required : JsonReader::Optional;
    JsonReader r(body, errors);
    ChannelSpec s;

    s.name = r.string(QStringLiteral("name"), need, 100);
    if (s.name && s.name->trimmed().isEmpty()) {
        r.fail(QStringLiteral("name"), QStringLiteral("must not be empty"));
        s.name.reset();
    }

    s.provider = r.string(QStringLiteral("provider"), need, 64);
    if (s.provider) {
        static const QRegularExpression ident(QStringLiteral("^[a-z][a-z0-9_-]*$"));
        if (!ident.match(*s.provider).hasMatch()) {
            r.fail(QStringLiteral("provider"), QStringLiteral("must be a lower-case identifier such as openai, anthropic, gemini, kie or wavespeed"));
            s.provider.reset();
        }
    }

    s.baseUrl = r.string(QStringLiteral("base_url"), need, 2048);
    if (s.baseUrl) {
        const QUrl url(*s.baseUrl, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || url.host().isEmpty())
            r.fail(QStringLiteral("base_url"), QStringLiteral("must be an absolute http:// or https:// URL"));
        else if (!url.userInfo().isEmpty())
            r.fail(QStringLiteral("base_url"), QStringLiteral("must not carry credentials; use secret or secret_ref"));
        else if (url.hasQuery() || url.hasFragment())
            r.fail(QStringLiteral("base_url"), QStringLiteral("must not have a query or fragment"));
    }

    if (mode == Mode::Patch && r.isNull(QStringLiteral("secret")))
        s.clearSecret = true;
    s.secret = r.string(QStringLiteral("secret"), JsonReader::Optional, 16384);
    s.secretRef = r.string(QStringLiteral("secret_ref"), JsonReader::Optional, 1024);
    if (s.secret && s.secretRef)
        r.fail(QStringLiteral("secret_ref"), QStringLiteral("give either secret or secret_ref, not both"));
    if (s.secret && s.secret->isEmpty())
        r.fail(QStringLiteral("secret"), QStringLiteral("must not be empty (send null to remove it)"));
    if (s.secretRef) {
        const bool env = s.secretRef->startsWith(QLatin1String("env:")) && s.secretRef->size() > 4;
        const bool file = s.secretRef->startsWith(QLatin1String("file:/")) && s.secretRef->size() > 6;
        if (!env && !file)
            r.fail(QStringLiteral("secret_ref"), QStringLiteral("must be env:NAME or file:/absolute/path"));
    }

    s.types = r.stringList(QStringLiteral("types"), JsonReader::Optional, 16);
    if (s.types) {
        for (qsizetype i = 0; i < s.types->size(); ++i) {
            if (!knownTypes().contains(s.types->at(i)))
                errors.add(QStringLiteral("types[%1]").arg(i),
                           QStringLiteral("must be one of: %1").arg(knownTypes().join(QStringLiteral(", "))));
        }
    }
    s.priority = r.integer(QStringLiteral("priority"), -1000000, 1000000, JsonReader::Optional);
    s.weight = r.integer(QStringLiteral("weight"), 0, 1000000, JsonReader::Optional);
    s.timeoutMs = r.integer(QStringLiteral("timeout_ms"), 100, 3600000, JsonReader::Optional);
    s.enabled = r.boolean(QStringLiteral("enabled"), JsonReader::Optional);
    s.config = r.object(QStringLiteral("config"), JsonReader::Optional);
    if (s.config)
        validateConfig(*s.config, r);
    return s;
}

QJsonObject ChannelSpec::toJson() const
{
    QJsonObject o;
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (provider)
        o.insert(QStringLiteral("provider"), *provider);
    if (baseUrl)
        o.insert(QStringLiteral("base_url"), *baseUrl);
    if (secret)
        o.insert(QStringLiteral("secret"), *secret);
    else if (clearSecret)
        o.insert(QStringLiteral("secret"), QJsonValue::Null);
    if (secretRef)
        o.insert(QStringLiteral("secret_ref"), *secretRef);
    if (types)
        o.insert(QStringLiteral("types"), QJsonArray::fromStringList(*types));
    if (priority)
        o.insert(QStringLiteral("priority"), double(*priority));
    if (weight)
        o.insert(QStringLiteral("weight"), double(*weight));
    if (timeoutMs)
        o.insert(QStringLiteral("timeout_ms"), double(*timeoutMs));
    if (enabled)
        o.insert(QStringLiteral("enabled"), *enabled);
    if (config)
        o.insert(QStringLiteral("config"), *config);
    return o;
}

} // namespace gw
