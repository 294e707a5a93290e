#pragma once

#include "fakerecordedrequest.h"
#include "fakereply.h"

#include <functional>
#include <memory>

namespace gw::test {

class FakeUpstreamState;

// /_fake/...: scripting for tests that drive the fake from another process.
// Its requests are neither recorded nor subject to behaviours.
//   POST /_fake/enqueue         behaviour object or array -> {"queued": n}
//   POST /_fake/default         behaviour object ({} = normal answers)
//   GET  /_fake/default         the default behaviour
//   GET  /_fake/requests        recorded requests, oldest first
//   POST /_fake/clear_requests
//   POST /_fake/reset           as FakeUpstream::reset()
//   GET  /_fake/stats           {"requests", "client_aborts", "open_connections", "queued"}
//   POST /_fake/api_key         {"key": "..."} ("" = any Bearer key)
class FakeControlApi
{
public:
    FakeControlApi(std::shared_ptr<FakeUpstreamState> state, std::function<void()> reset);

    static bool isControlPath(const QString &path);
    FakeReply handle(const FakeRecordedRequest &request) const;

private:
    std::shared_ptr<FakeUpstreamState> m_state;
    std::function<void()> m_reset;
};

} // namespace gw::test
