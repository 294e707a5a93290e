#include "apifamily.h"

namespace gw {

ApiFamily apiFamilyForPath(QByteArrayView path)
{
    if (path.startsWith("/admin/"))
        return ApiFamily::Admin;
    if (path.startsWith("/anthropic/") || path.startsWith("/v1/messages"))
        return ApiFamily::Anthropic;
    if (path.startsWith("/v1beta/") || path.startsWith("/gemini/") || path == "/v1beta")
        return ApiFamily::Gemini;
    if (path.startsWith("/v1/tasks"))
        return ApiFamily::Tasks;
    return ApiFamily::OpenAI;
}

} // namespace gw
