#pragma once

#include <QByteArray>
#include <QString>

namespace gw {

// Masks what must never reach a log line or a stored URL: API keys (sk-...),
// admin tokens (gwa_...), bearer credentials and secret-carrying query
// parameters (?key=, ?api_key=, ?token=, ...).
class Redaction
{
public:
    static QByteArray redactUrl(const QByteArray &target);
    static QByteArray redactText(const QByteArray &text);
    static QString redactText(const QString &text);
    static bool isSecretQueryParameter(QByteArrayView name);
};

} // namespace gw
