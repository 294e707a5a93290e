#pragma once

#include <QLocale>
#include <QObject>
#include <QString>

class QTranslator;

namespace gw::console {

// Installs the console's translation and Qt's own (for standard dialogs and
// context menus) for one language.
class TranslationLoader : public QObject
{
    Q_OBJECT

public:
    explicit TranslationLoader(QObject *parent = nullptr);

    // `code` such as "de" or "de_AT"; empty means the system's language.
    // Returns false when the console has no translation for an explicitly
    // requested language other than English (which needs none).
    bool install(const QString &code);

    // Where gateway-console_<lang>.qm is looked for, in order: the resources
    // that qt_add_translations() embeds, then next to the binary.
    static QStringList searchPaths();

private:
    QTranslator *m_console;
    QTranslator *m_qt;
};

} // namespace gw::console
