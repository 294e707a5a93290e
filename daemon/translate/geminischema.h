#pragma once

#include <QJsonObject>

namespace gw {

// Gemini takes schemas (function parameters, structured output) in two
// dialects: the older `parameters` / `responseSchema` fields hold an OpenAPI
// 3.0 subset (upper-case type names, `nullable`, `propertyOrdering`), the
// newer `parametersJsonSchema` / `responseJsonSchema` hold JSON Schema.
class GeminiSchema
{
public:
    // An OpenAPI-subset schema as the JSON Schema the other families take.
    static QJsonObject fromOpenApi(const QJsonObject &schema);
    // A JSON Schema for parametersJsonSchema / responseJsonSchema: as it is,
    // less the keywords the endpoint refuses outright ("$schema").
    static QJsonObject forJsonSchemaField(const QJsonObject &schema);
};

} // namespace gw
