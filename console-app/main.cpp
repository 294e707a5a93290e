#include "adminclientapi.h"
#include "commandlineoptions.h"
#include "connectionsettings.h"
#include "console.h"
#include "mainwindow.h"
#include "translationloader.h"

#include <version.h>

#include <QApplication>
#include <QProcessEnvironment>

#include <cstdio>

using namespace gw::console;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("gateway"));
    QCoreApplication::setApplicationName(QStringLiteral("gateway-console"));
    QCoreApplication::setApplicationVersion(gw::productVersion());

    const CommandLineOptions options =
        CommandLineOptions::parse(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());

    TranslationLoader translations;
    const bool translated = translations.install(options.language);

    if (!options.isValid()) {
        std::fprintf(stderr, "%s\n\n%s", qPrintable(options.errorText), qPrintable(CommandLineOptions::helpText()));
        return 2;
    }
    if (options.helpRequested) {
        std::fputs(qPrintable(CommandLineOptions::helpText()), stdout);
        return 0;
    }
    if (options.versionRequested) {
        std::printf("gateway-console %s\n", qPrintable(gw::productVersion()));
        return 0;
    }
    if (!translated) {
        const QString warning = QCoreApplication::translate("main", "gateway-console: no translation for \"%1\"; using English.")
                                    .arg(options.language);
        std::fprintf(stderr, "%s\n", qPrintable(warning));
    }

    AdminClientApi network;
    ConnectionSettings settings;
    Console console(&network, &settings);
    console.start(options);
    console.window()->show();
    return app.exec();
}
