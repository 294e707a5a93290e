#include "daemonapp.h"

namespace gw {

int DaemonApp::run(int, char **)
{
    return 0;
}

} // namespace gw
