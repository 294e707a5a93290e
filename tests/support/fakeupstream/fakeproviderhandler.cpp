#include "fakeproviderhandler.h"

namespace gw::test {

QString FakeProviderHandler::requestedModel(const FakeRecordedRequest &request) const
{
    return request.jsonBody().value(QLatin1String("model")).toString();
}

bool FakeProviderHandler::recognizes(const FakeRecordedRequest &request) const
{
    Q_UNUSED(request)
    return false;
}

FakeReply FakeProviderHandler::behaviorError(const FakeBehavior &behavior) const
{
    return errorReply(behavior.status, behavior.errorMessage, behavior.errorType, behavior.errorCode);
}

FakeHeaders FakeProviderHandler::replyHeaders(const FakeReplyContext &context) const
{
    Q_UNUSED(context)
    return {};
}

} // namespace gw::test
