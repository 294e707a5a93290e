#include "app/daemonapp.h"

int main(int argc, char **argv)
{
    return gw::DaemonApp::run(argc, argv);
}
