#include "translationloader.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace gw::console {

TranslationLoader::TranslationLoader(QObject *parent)
    : QObject(parent)
    , m_console(new QTranslator(this))
    , m_qt(new QTranslator(this))
{
}

QStringList TranslationLoader::searchPaths()
{
    const QString binaryDir = QCoreApplication::applicationDirPath();
    return {
        QStringLiteral(":/i18n"),
        binaryDir,
        binaryDir + QStringLiteral("/../share/gateway-console/translations"),
    };
}

bool TranslationLoader::install(const QString &code)
{
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    if (!code.isEmpty())
        QLocale::setDefault(locale);

    QCoreApplication::removeTranslator(m_console);
    QCoreApplication::removeTranslator(m_qt);

    bool found = false;
    for (const QString &dir : searchPaths()) {
        if (m_console->load(locale, QStringLiteral("gateway-console"), QStringLiteral("_"), dir)) {
            found = true;
            break;
        }
    }
    if (found)
        QCoreApplication::installTranslator(m_console);
    if (m_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(m_qt);

    // The source strings are English.
    return found || code.isEmpty() || locale.language() == QLocale::English;
}

} // namespace gw::console
