#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

// A channel as the catalog snapshot holds it. `secret` is the resolved
// plaintext credential and lives in memory only; nothing that formats a
// channel for the outside reads it.
struct ChannelInfo
{
    QString id;
    QString name;
    QString provider;
    QString baseUrl;
    QStringList types;
    int priority = 0;
    int weight = 1;
    std::optional<int> timeoutMs;
    bool enabled = true;
    QJsonObject config;
    bool secretStored = false;   // an encrypted secret is in the database
    QString secretRef;           // or a reference: env:NAME, file:/path
    QByteArray secret;
    QString secretProblem;       // why the secret could not be resolved, if it could not
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    bool hasSecret() const { return secretStored || !secretRef.isEmpty(); }
};

} // namespace gw
