#include "redaction.h"

namespace gw {

namespace {

bool isKeyChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool isTokenChar68(char c)
{
    return isKeyChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

qsizetype indexOf(const QByteArray &text, QByteArrayView marker, qsizetype from, Qt::CaseSensitivity cs)
{
    if (cs == Qt::CaseSensitive)
        return text.indexOf(marker, from);
    for (qsizetype i = from; i + marker.size() <= text.size(); ++i) {
        if (QByteArrayView(text).sliced(i, marker.size()).compare(marker, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

// Replaces the run of credential characters after each `marker` with ***.
void maskAfter(QByteArray &text, QByteArrayView marker, bool (*isCredentialChar)(char), qsizetype minRun,
               Qt::CaseSensitivity cs)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype at = indexOf(text, marker, from, cs);
        if (at < 0)
            return;
        const qsizetype start = at + marker.size();
        qsizetype end = start;
        while (end < text.size() && isCredentialChar(text.at(end)))
            ++end;
        if (end - start >= minRun) {
            text.replace(start, end - start, "***");
            from = start + 3;
        } else {
            from = start;
        }
    }
}

} // namespace

bool Redaction::isSecretQueryParameter(QByteArrayView name)
{
    static const char *const names[] = {"key", "api_key", "apikey", "token", "access_token", "secret",
                                        "password", "sig", "signature", "x-goog-api-key"};
    for (const char *n : names) {
        if (name.compare(QByteArrayView(n), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray Redaction::redactUrl(const QByteArray &target)
{
    const qsizetype q = target.indexOf('?');
    if (q < 0)
        return redactText(target);
    QByteArray out = target.left(q + 1);
    const QByteArray query = target.mid(q + 1);
    qsizetype start = 0;
    bool first = true;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArray pair = query.mid(start, end - start);
        const qsizetype eq = pair.indexOf('=');
        const QByteArray name = eq < 0 ? pair : pair.left(eq);
        if (!first)
            out += '&';
        first = false;
        if (eq >= 0 && isSecretQueryParameter(QByteArray::fromPercentEncoding(name)))
            out += name + "=***";
        else
            out += pair;
        start = end + 1;
    }
    return redactText(out);
}

QByteArray Redaction::redactText(const QByteArray &text)
{
    // Cheap test first: most log values carry no credential at all.
    if (!text.contains("sk-") && !text.contains("gwa_") && !text.contains("earer ") && !text.contains("EARER ")
        && !text.contains("key=") && !text.contains("KEY="))
        return text;
    QByteArray out = text;
    maskAfter(out, "sk-", isKeyChar, 8, Qt::CaseSensitive);
    maskAfter(out, "gwa_", isKeyChar, 8, Qt::CaseSensitive);
    maskAfter(out, "bearer ", isTokenChar68, 4, Qt::CaseInsensitive);
    maskAfter(out, "key=", isTokenChar68, 4, Qt::CaseInsensitive);
    return out;
}

QString Redaction::redactText(const QString &text)
{
    return QString::fromUtf8(redactText(text.toUtf8()));
}

} // namespace gw
