#pragma once

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QStringList>

namespace gw::console {

// gateway-console [--url URL] [--token TOKEN] [--lang CODE]; the token may
// also come from GATEWAY_ADMIN_TOKEN, which keeps it out of `ps` output.
class CommandLineOptions
{
    Q_DECLARE_TR_FUNCTIONS(gw::console::CommandLineOptions)

public:
    static const QString TokenVariable;

    QString url;
    QString token;        // --token wins over the environment
    QString language;     // empty: the system's
    bool helpRequested = false;
    bool versionRequested = false;
    QString errorText;    // set when the arguments could not be used

    bool isValid() const { return errorText.isEmpty(); }

    // `arguments` includes the program name, as QCoreApplication::arguments().
    static CommandLineOptions parse(const QStringList &arguments, const QProcessEnvironment &environment);
    // Built on demand so that it comes out in the language loaded by then.
    static QString helpText();
};

} // namespace gw::console
