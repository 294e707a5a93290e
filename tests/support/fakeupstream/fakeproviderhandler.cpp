#include "fakeproviderhandler.h"

namespace gw::test {

QString FakeProviderHandler::requestedModel(const FakeRecordedRequest &request) const
{
    return request.jsonBody().value(QLatin1String("model")).toString();
}

} // namespace gw::test
