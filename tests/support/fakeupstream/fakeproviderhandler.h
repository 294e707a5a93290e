#pragma once

#include "fakebehavior.h"
#include "fakerecordedrequest.h"
#include "fakereply.h"
#include "fakereplycontext.h"

#include <QString>

#include <optional>

namespace gw::test {

// One provider's API surface (OpenAI, Anthropic and Gemini today; KIE and
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
    // Whether a request that no route matched still looks meant for this
    // provider (its path prefix, its credential header), so that the 404
    // comes in its error shape. The server's fallback takes the rest.
    virtual bool recognizes(const FakeRecordedRequest &request) const;
    // The model a request names; a "fake:" model selects a behaviour. Gemini
    // names it in the path, hence virtual. Default: "model" of a JSON body.
    virtual QString requestedModel(const FakeRecordedRequest &request) const;
    // An error reply when credentials are missing, or differ from requiredKey
    // when that is not empty; nullopt to go on.
    virtual std::optional<FakeReply> checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const = 0;
    // An error in this provider's shape; empty type/code/message get defaults
    // that suit the status.
    virtual FakeReply errorReply(int status, const QString &message, const QString &type, const QString &code) const = 0;
    // The error a behaviour with status >= 400 (and no body) scripts. Default:
    // errorReply with the behaviour's error fields; a provider that reports
    // more in its error body (Gemini's RetryInfo) reads the rest here.
    virtual FakeReply behaviorError(const FakeBehavior &behavior) const;
    // Headers every reply of this provider carries, errors and scripted
    // bodies included (Anthropic's request-id). The server adds x-request-id
    // itself, and a behaviour's headers still replace these.
    virtual FakeHeaders replyHeaders(const FakeReplyContext &context) const;
    // The normal answer. Handlers honour behaviour.omitUsage and behaviour.text;
    // everything else about the behaviour is applied by the server. Not const:
    // async task APIs (KIE, WaveSpeed) keep the tasks they were given. Handlers
    // only run on the server's thread, so their state needs no lock.
    virtual FakeReply reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                            const FakeReplyContext &context) = 0;
};

} // namespace gw::test
