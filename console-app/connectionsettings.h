#pragma once

#include <QString>
#include <QUrl>

namespace gw::console {

// The last connection, kept with QSettings (organization "gateway",
// application "gateway-console"). The token is stored only when the operator
// asks for it, and then the file is made readable by its owner alone.
class ConnectionSettings
{
public:
    struct Stored
    {
        QUrl url;
        QString token;            // empty unless "Remember token" was ticked
        bool rememberToken = false;
    };

    // An empty `fileName` means the per-user default location; tests pass a
    // file of their own.
    explicit ConnectionSettings(const QString &fileName = {});

    Stored load() const;
    // Returns false when the token could not be protected (then it is not kept).
    bool save(const QUrl &url, const QString &token, bool rememberToken);

    QString fileName() const;

private:
    bool restrictToOwner() const;

    QString m_fileName;
};

} // namespace gw::console
