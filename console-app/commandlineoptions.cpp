#include "commandlineoptions.h"

#include <QCommandLineParser>

#include <memory>

namespace gw::console {

const QString CommandLineOptions::TokenVariable = QStringLiteral("GATEWAY_ADMIN_TOKEN");

namespace {

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption url;
    QCommandLineOption token;
    QCommandLineOption language;
    QCommandLineOption help;
    QCommandLineOption version;
};

std::unique_ptr<Parser> makeParser()
{
    auto p = std::unique_ptr<Parser>(new Parser{
        {},
        QCommandLineOption(QStringLiteral("url"),
                           CommandLineOptions::tr("The daemon's address, e.g. http://127.0.0.1:8080."),
                           QStringLiteral("URL")),
        QCommandLineOption(QStringLiteral("token"),
                           CommandLineOptions::tr("The admin token (or set %1).").arg(CommandLineOptions::TokenVariable),
                           QStringLiteral("TOKEN")),
        QCommandLineOption(QStringLiteral("lang"),
                           CommandLineOptions::tr("The user interface language, e.g. de."),
                           QStringLiteral("CODE")),
        QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")},
                           CommandLineOptions::tr("Shows this help.")),
        QCommandLineOption({QStringLiteral("v"), QStringLiteral("version")},
                           CommandLineOptions::tr("Shows the version.")),
    });
    p->parser.setApplicationDescription(CommandLineOptions::tr("Operator console of the AI API gateway."));
    p->parser.addOption(p->url);
    p->parser.addOption(p->token);
    p->parser.addOption(p->language);
    p->parser.addOption(p->help);
    p->parser.addOption(p->version);
    return p;
}

} // namespace

CommandLineOptions CommandLineOptions::parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    CommandLineOptions options;
    const auto p = makeParser();
    if (!p->parser.parse(arguments)) {
        options.errorText = p->parser.errorText();
        return options;
    }
    if (!p->parser.positionalArguments().isEmpty()) {
        options.errorText = tr("Unexpected argument: %1").arg(p->parser.positionalArguments().constFirst());
        return options;
    }
    options.helpRequested = p->parser.isSet(p->help);
    options.versionRequested = p->parser.isSet(p->version);
    options.url = p->parser.value(p->url).trimmed();
    options.language = p->parser.value(p->language).trimmed();
    options.token = p->parser.isSet(p->token) ? p->parser.value(p->token).trimmed()
                                              : environment.value(TokenVariable).trimmed();
    return options;
}

QString CommandLineOptions::helpText()
{
    return makeParser()->parser.helpText();
}

} // namespace gw::console
