#include "serviceerror.h"

namespace gw {

int ServiceError::httpStatus() const
{
    switch (m_kind) {
    case Kind::Invalid: return 400;
    case Kind::Unauthorized: return 401;
    case Kind::PaymentRequired: return 402;
    case Kind::Forbidden: return 403;
    case Kind::NotFound: return 404;
    case Kind::Conflict: return 409;
    case Kind::Unavailable: return 503;
    case Kind::Failed: return 500;
    }
    return 500;
}

} // namespace gw
