#pragma once

#include <QString>

namespace gw {

// A block on an API key (table key_blocks): one key by id, or every key whose
// plaintext starts with a prefix; for one provider's channels or for all
// ("*").
struct KeyBlock
{
    QString id;
    QString keyId;      // empty for a prefix block
    QString keyPrefix;  // empty for an id block; "sk-" and at least three more characters
    QString provider = QStringLiteral("*");
    QString reason;
    QString createdBy;
    qint64 createdAtMs = 0;

    bool appliesEverywhere() const { return provider == QLatin1String("*"); }
};

} // namespace gw
