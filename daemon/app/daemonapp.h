#pragma once

namespace gw {

class DaemonApp
{
public:
    static int run(int argc, char **argv);
};

} // namespace gw
