#include "upstreamcurlerror.h"

#include <curl/curl.h>

namespace gw {

UpstreamFailure upstreamFailureForCurl(int code, bool responseStarted)
{
    switch (static_cast<CURLcode>(code)) {
    case CURLE_OK:
        return UpstreamFailure::None;

    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_INTERFACE_FAILED:
    case CURLE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_QUIC_CONNECT_ERROR:
        return UpstreamFailure::Connect;

    case CURLE_OPERATION_TIMEDOUT:
        return UpstreamFailure::Timeout;

    // The same error means different things before and after the answer
    // began: a reset or close before any byte is the upstream refusing the
    // request (a connection failure for fallback purposes), after it the
    // response is cut.
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
        return responseStarted ? UpstreamFailure::Protocol : UpstreamFailure::Connect;

    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_RANGE_ERROR:
    case CURLE_UNSUPPORTED_PROTOCOL: // an upstream answering HTTP/0.9 or a foreign protocol
        return UpstreamFailure::Protocol;

    default:
        return UpstreamFailure::Other;
    }
}

} // namespace gw
