#include "adminapi.h"

namespace gw::console {

// Out of line so that the vtable has one home.
AdminApi::~AdminApi() = default;

} // namespace gw::console
