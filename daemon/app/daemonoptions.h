#pragma once

#include "observability/logger.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0;

    static std::optional<ListenAddress> parse(const QString &text);
    QString display() const;
};

// Everything gatewayd is told at start, after the command line, the
// environment (GATEWAY_<OPTION>) and the config file have been merged, in
// that order of precedence.
struct DaemonOptions
{
    ListenAddress listen{QHostAddress(QHostAddress::LocalHost), 8080};
    std::optional<ListenAddress> adminListen;
    QString dataDir = QStringLiteral("data");
    QString databaseUrl;    // empty: sqlite:DATA/gateway.db
    QString redisUrl;
    QString configFile;
    QByteArray adminToken;  // from --admin-token, GATEWAY_ADMIN_TOKEN or --admin-token-file
    int workers = 1;
    QString masterKeyFile;  // empty: DATA/master.key
    QStringList trustedProxies;
    QStringList callbackAllow;
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    int drainTimeoutMs = 30000;
    LogLevel logLevel = LogLevel::Info;
    Logger::Format logFormat = Logger::Format::KeyValue;
    int breakerFailures = 5;      // consecutive failures that open a channel's breaker
    int breakerCooldownMs = 15000; // how long an open breaker stays open (doubles on failed probes)
    bool storePayloads = true;    // keep capped request/response bodies with usage rows
    QString ledger;               // local | shared; empty: local with SQLite, shared with PostgreSQL
    qint64 payloadCapBytes = 64 * 1024;
    std::optional<quint64> routingSeed; // fixed seed for weighted routing (tests, reproductions)
    QJsonObject catalog;    // the config file's "catalog", imported at start
    QStringList warnings;   // accepted options that do nothing yet

    QString effectiveDatabaseUrl() const;
    QString effectiveMasterKeyFile() const;
};

} // namespace gw
