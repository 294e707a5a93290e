#include "connectionbar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace gw::console {

ConnectionBar::ConnectionBar(QWidget *parent)
    : QWidget(parent)
    , m_url(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember token"), this))
    , m_connect(new QPushButton(tr("Connect"), this))
{
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    m_url->setToolTip(tr("Address of the gateway daemon; the admin API is under /admin/v1."));
    m_url->setClearButtonEnabled(true);
    m_url->setMinimumWidth(260);

    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("Admin token"));
    m_token->setToolTip(tr("Sent as \"Authorization: Bearer …\"; it can also come from GATEWAY_ADMIN_TOKEN."));
    // A password field must not leak through the clipboard or input methods.
    m_token->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    m_token->setMinimumWidth(200);

    m_remember->setToolTip(tr("Store the token in the settings file (readable only by you)."));
    m_connect->setDefault(true);

    auto *urlLabel = new QLabel(tr("&Daemon:"), this);
    urlLabel->setBuddy(m_url);
    auto *tokenLabel = new QLabel(tr("&Token:"), this);
    tokenLabel->setBuddy(m_token);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(urlLabel);
    layout->addWidget(m_url, 3);
    layout->addSpacing(8);
    layout->addWidget(tokenLabel);
    layout->addWidget(m_token, 2);
    layout->addWidget(m_remember);
    layout->addWidget(m_connect);

    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::requestConnect);
    connect(m_url, &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
    connect(m_token, &QLineEdit::returnPressed, this, &ConnectionBar::requestConnect);
}

void ConnectionBar::setUrl(const QString &url)
{
    m_url->setText(url);
}

QString ConnectionBar::url() const
{
    return m_url->text();
}

void ConnectionBar::setToken(const QString &token)
{
    m_token->setText(token);
}

QString ConnectionBar::token() const
{
    return m_token->text();
}

void ConnectionBar::setRememberToken(bool remember)
{
    m_remember->setChecked(remember);
}

bool ConnectionBar::rememberToken() const
{
    return m_remember->isChecked();
}

void ConnectionBar::requestConnect()
{
    Q_EMIT connectRequested(m_url->text(), m_token->text(), m_remember->isChecked());
}

} // namespace gw::console
