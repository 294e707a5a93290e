#include "userspec.h"

#include "credits.h"
#include "jsonreader.h"

#include <QRegularExpression>

namespace gw {

UserSpec UserSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    JsonReader r(body, errors);
    UserSpec s;
    s.email = r.string(QStringLiteral("email"), mode == Mode::Create ? JsonReader::Required : JsonReader::Optional, 320);
    if (s.email) {
        static const QRegularExpression shape(QStringLiteral("^[^@\\s]+@[^@\\s]+$"));
        s.email = s.email->trimmed().toLower();
        if (!shape.match(*s.email).hasMatch()) {
            r.fail(QStringLiteral("email"), QStringLiteral("must be an email address"));
            s.email.reset();
        }
    }
    s.name = r.string(QStringLiteral("name"), JsonReader::Optional, 200);
    s.status = r.choice(QStringLiteral("status"), {QStringLiteral("active"), QStringLiteral("disabled")}, JsonReader::Optional);
    if (mode == Mode::Create)
        s.initialCredits = r.credits(QStringLiteral("credits"), JsonReader::Optional);
    else if (r.has(QStringLiteral("credits")))
        r.fail(QStringLiteral("credits"), QStringLiteral("cannot be patched; use POST /admin/v1/users/{id}/credits"));
    s.plan = r.string(QStringLiteral("plan"), JsonReader::Optional, 100);
    return s;
}

QJsonObject UserSpec::toJson() const
{
    QJsonObject o;
    if (email)
        o.insert(QStringLiteral("email"), *email);
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (status)
        o.insert(QStringLiteral("status"), *status);
    if (initialCredits)
        o.insert(QStringLiteral("credits"), Credits::toJson(*initialCredits));
    if (plan)
        o.insert(QStringLiteral("plan"), *plan);
    return o;
}

} // namespace gw
