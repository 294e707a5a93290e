#pragma once

#include "upstreamheaders.h"

#include <QByteArrayView>

namespace gw {

// Builds the final response head from the header lines libcurl hands over
// one at a time (status line, fields, the empty line). Interim 1xx heads are
// dropped; lines after the final head (chunked trailers) are ignored.
class UpstreamResponseHead
{
public:
    // Returns true when `line` completed the final head.
    bool addLine(QByteArrayView line);

    bool started() const { return m_started; }
    bool complete() const { return m_complete; }
    int status() const { return m_status; }
    const UpstreamHeaders &headers() const { return m_headers; }

private:
    bool m_started = false;
    bool m_complete = false;
    int m_status = 0;
    UpstreamHeaders m_headers;
};

} // namespace gw
