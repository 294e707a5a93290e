#pragma once

#include "fakebehavior.h"
#include "fakerecordedrequest.h"
#include "fakereply.h"
#include "fakereplycontext.h"

#include <QString>

#include <optional>

namespace gw::test {

// One provider's API surface (OpenAI today; Anthropic, Gemini, KIE and
// WaveSpeed later). The server owns delays, faults, recording and the choice
// of behaviour; a handler only knows routes, credentials and body shapes, so a
// new provider is one subclass registered in FakeUpstreamServer's constructor.
class FakeProviderHandler
{
public:
    virtual ~FakeProviderHandler() = default;

    virtual QString name() const = 0;
    // Whether the method and path belong to this provider.
    virtual bool handles(const FakeRecordedRequest &request) const = 0;
    // The model a request names; a "fake:" model selects a behaviour. Gemini
    // names it in the path, hence virtual. Default: "model" of a JSON body.
    virtual QString requestedModel(const FakeRecordedRequest &request) const;
    // An error reply when credentials are missing, or differ from requiredKey
    // when that is not empty; nullopt to go on.
    virtual std::optional<FakeReply> checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const = 0;
    // An error in this provider's shape; empty type/code/message get defaults
    // that suit the status.
    virtual FakeReply errorReply(int status, const QString &message, const QString &type, const QString &code) const = 0;
    // The normal answer. Handlers honour behaviour.omitUsage and behaviour.text;
    // everything else about the behaviour is applied by the server. Not const:
    // async task APIs (KIE, WaveSpeed) keep the tasks they were given. Handlers
    // only run on the server's thread, so their state needs no lock.
    virtual FakeReply reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                            const FakeReplyContext &context) = 0;
};

} // namespace gw::test
