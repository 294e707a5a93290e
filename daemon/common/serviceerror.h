#pragma once

#include <QString>

#include <stdexcept>

namespace gw {

// A failure the daemon's services report: a kind that maps to one HTTP
// status in one place, a message for the caller and, for invalid input, the
// field at fault. Store work throws it (it runs on store threads only); the
// store hands it to the caller's completion as a value.
class ServiceError : public std::runtime_error
{
public:
    enum class Kind {
        Invalid,         // 400
        Unauthorized,    // 401
        PaymentRequired, // 402
        Forbidden,       // 403
        NotFound,        // 404
        Conflict,        // 409
        Unavailable,     // 503: the database or a dependency is down
        Failed,          // 500: a bug or an unexpected database answer
    };

    explicit ServiceError(const QString &message, Kind kind = Kind::Failed, const QString &field = {})
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_kind(kind)
        , m_field(field)
    {
    }

    const QString &message() const { return m_message; }
    Kind kind() const { return m_kind; }
    const QString &field() const { return m_field; }
    int httpStatus() const;

    static ServiceError notFound(const QString &what) { return ServiceError(what, Kind::NotFound); }
    static ServiceError invalid(const QString &field, const QString &message)
    {
        return ServiceError(field + QStringLiteral(": ") + message, Kind::Invalid, field);
    }
    static ServiceError conflict(const QString &message) { return ServiceError(message, Kind::Conflict); }

private:
    QString m_message;
    Kind m_kind;
    QString m_field;
};

// Store code names it by what it usually is there.
using StoreError = ServiceError;

} // namespace gw
