#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <curl/curl.h>

#include <chrono>
#include <vector>

namespace gw {

// A libcurl easy handle kept by UpstreamClient between calls, with the
// memory of the request header list it was last given. Reusing both spares
// every call curl_easy_init()/curl_easy_cleanup(), the options that never
// change and the allocations of the header list; libcurl keeps an easy
// handle's options from one transfer to the next, so each call sets every
// option that differs between calls (UpstreamCall::prepare()).
// Internal to daemon/upstream.
struct UpstreamEasy
{
    UpstreamEasy() = default;
    ~UpstreamEasy()
    {
        if (curl)
            curl_easy_cleanup(curl);
    }
    UpstreamEasy(const UpstreamEasy &) = delete;
    UpstreamEasy &operator=(const UpstreamEasy &) = delete;

    CURL *curl = nullptr;
    // The request headers as NUL-terminated lines, and the list libcurl
    // reads them through (nodes point into `headerText`). libcurl only reads
    // a CURLOPT_HTTPHEADER list, so it need not come from curl_slist_append().
    std::vector<char> headerText;
    std::vector<curl_slist> headerNodes;
    // The CURLOPT_PROXY value last set (one of the client's strings).
    const char *proxy = nullptr;
    // The CURLOPT_CAINFO last set; empty means libcurl's default.
    QByteArray caFile;
};

// The clock of the client's deadlines, in nanoseconds (never jumps).
inline qint64 upstreamSteadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace gw
