#pragma once

#include "daemonoptions.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace gw {

// Reads gatewayd's options from the command line, the environment and the
// config file. Bad input yields an error that names the option at fault
// (gatewayd then exits with code 2); --help and --version yield text to print.
class DaemonOptionsLoader
{
public:
    struct Result
    {
        std::optional<DaemonOptions> options;
        QString error;       // set when the options are unusable
        QString printAndExit; // --help or --version text
    };

    static Result load(const QStringList &arguments, const QProcessEnvironment &environment);
    static QString helpText();
};

} // namespace gw
