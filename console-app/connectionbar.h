#pragma once

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace gw::console {

// URL, token, "Remember token" and Connect. Only collects input; what a
// connection means is ConnectionController's business.
class ConnectionBar : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    void setUrl(const QString &url);
    QString url() const;
    void setToken(const QString &token);
    QString token() const;
    void setRememberToken(bool remember);
    bool rememberToken() const;

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QCheckBox *rememberBox() const { return m_remember; }
    QPushButton *connectButton() const { return m_connect; }

Q_SIGNALS:
    void connectRequested(const QString &url, const QString &token, bool rememberToken);

private:
    void requestConnect();

    QLineEdit *m_url;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QPushButton *m_connect;
};

} // namespace gw::console
