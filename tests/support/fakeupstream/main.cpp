// fake-upstream: the fake AI provider as a process, for tests that drive the
// gateway from outside (scripts, other languages). Script it through
// /_fake/... or "fake:" model names; see fakeupstream.h.

#include "fakeupstream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

// Only async-signal-safe work here; the event loop reads the pipe.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fake-upstream"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A fake AI provider (OpenAI, Anthropic and Gemini shapes) for gateway tests."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to listen on; 0 picks one."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption hostOption(QStringLiteral("host"), QStringLiteral("Address to listen on."),
                                        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    parser.addOption(portOption);
    parser.addOption(hostOption);
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const QHostAddress host(parser.value(hostOption));
    if (!portOk || port > 65535 || host.isNull()) {
        std::fprintf(stderr, "fake-upstream: bad --port or --host\n");
        return 2;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        std::perror("fake-upstream: socketpair");
        return 1;
    }
    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);

    gw::test::FakeUpstream fake;
    if (!fake.start(quint16(port), host)) {
        std::fprintf(stderr, "fake-upstream: cannot listen on %s:%u: %s\n", qPrintable(host.toString()), port,
                     qPrintable(fake.errorString()));
        return 1;
    }
    // Parents wait for this line to learn the port; flush so a pipe delivers it now.
    std::printf("listening on %s:%u\n", qPrintable(host.toString()), unsigned(fake.port()));
    std::fflush(stdout);

    const int status = app.exec();
    fake.stop();
    return status;
}
