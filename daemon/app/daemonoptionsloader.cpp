#include "daemonoptionsloader.h"

#include "version.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace gw {

namespace {

struct OptionSpec
{
    const char *name;
    const char *valueName; // nullptr: a switch
    const char *help;
    const char *laterIssue; // non-null: accepted but not used yet
};

const OptionSpec kOptions[] = {
    {"listen", "HOST:PORT", "where the public API listens (and the admin API, unless --admin-listen) [127.0.0.1:8080]", nullptr},
    {"admin-listen", "HOST:PORT", "serve the admin API on its own address instead", nullptr},
    {"data", "DIR", "data directory: embedded database, secrets, artifacts [./data]", nullptr},
    {"database", "URL", "sqlite:PATH or postgres://user:pass@host:port/dbname [sqlite:DATA/gateway.db]", nullptr},
    {"redis", "URL", "redis://host:port for limits shared by several daemons", "scale-out"},
    {"config", "FILE", "JSON config file: these options plus a catalog to import at start", nullptr},
    {"admin-token", "TOKEN", "bootstrap admin token (prefer GATEWAY_ADMIN_TOKEN or --admin-token-file)", nullptr},
    {"admin-token-file", "FILE", "read the bootstrap admin token from FILE", nullptr},
    {"workers", "N", "HTTP event-loop threads [number of cores]", nullptr},
    {"master-key-file", "FILE", "key the secret-encryption and token-hashing keys derive from [DATA/master.key]", nullptr},
    {"trusted-proxies", "CIDRS", "proxies whose X-Forwarded-For gives the client address", nullptr},
    {"callback-allow", "CIDRS", "private ranges that callback and webhook URLs may reach", "async tasks"},
    {"max-body-bytes", "N", "largest request body accepted [33554432]", nullptr},
    {"drain-timeout", "SECONDS", "how long SIGTERM waits for in-flight requests [30]", nullptr},
    {"breaker-failures", "N", "consecutive failures that open a channel's circuit breaker [5]", nullptr},
    {"breaker-cooldown", "SECONDS", "how long an open breaker waits before a probe; doubles while probes fail [15]", nullptr},
    {"store-payloads", "on|off", "keep capped request and response bodies with usage rows [on]", nullptr},
    {"payload-cap-bytes", "N", "how much of each body is kept [65536]", nullptr},
    {"ledger", "local|shared", "who decides on credits: this daemon in memory with a journal, or the database (several daemons) [local with SQLite, shared with PostgreSQL]", nullptr},
    {"routing-seed", "N", "seed the weighted routing choice (reproducible runs) [random]", nullptr},
    {"log-level", "LEVEL", "debug, info, warn or error [info]", nullptr},
    {"log-format", "FORMAT", "logfmt or json [logfmt]", nullptr},
    {"version", nullptr, "print the version and exit", nullptr},
    {"help", nullptr, "print this help and exit", nullptr},
};

const OptionSpec *findOption(const QString &name)
{
    for (const OptionSpec &o : kOptions) {
        if (name == QLatin1String(o.name))
            return &o;
    }
    return nullptr;
}

QString envName(const char *option)
{
    return QStringLiteral("GATEWAY_") + QString::fromLatin1(option).toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

// Applies one option's text value; returns an error naming it, or empty.
QString apply(DaemonOptions &o, const QString &name, const QString &value, const QString &source)
{
    auto bad = [&](const QString &why) {
        return (source == QLatin1String("--") ? QStringLiteral("--%1: %2").arg(name, why) : QStringLiteral("%1 %2: %3").arg(source, name, why));
    };
    if (name == QLatin1String("listen") || name == QLatin1String("admin-listen")) {
        const auto addr = ListenAddress::parse(value);
        if (!addr)
            return bad(QStringLiteral("'%1' is not HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)").arg(value));
        if (name == QLatin1String("listen"))
            o.listen = *addr;
        else
            o.adminListen = *addr;
    } else if (name == QLatin1String("data")) {
        if (value.isEmpty())
            return bad(QStringLiteral("must not be empty"));
        o.dataDir = value;
    } else if (name == QLatin1String("database")) {
        o.databaseUrl = value;
    } else if (name == QLatin1String("redis")) {
        if (!value.startsWith(QLatin1String("redis://")))
            return bad(QStringLiteral("must be redis://host:port"));
        o.redisUrl = value;
    } else if (name == QLatin1String("config")) {
        o.configFile = value;
    } else if (name == QLatin1String("admin-token")) {
        if (value.trimmed().size() < 16)
            return bad(QStringLiteral("must be at least 16 characters"));
        o.adminToken = value.trimmed().toUtf8();
    } else if (name == QLatin1String("admin-token-file")) {
        QFile file(value);
        if (!file.open(QIODevice::ReadOnly))
            return bad(QStringLiteral("cannot read %1: %2").arg(value, file.errorString()));
        const QByteArray token = file.read(4096).trimmed();
        if (token.size() < 16)
            return bad(QStringLiteral("the token in %1 must be at least 16 characters").arg(value));
        o.adminToken = token;
    } else if (name == QLatin1String("workers")) {
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 1 || n > 256)
            return bad(QStringLiteral("must be a number from 1 to 256"));
        o.workers = n;
    } else if (name == QLatin1String("master-key-file")) {
        o.masterKeyFile = value;
    } else if (name == QLatin1String("trusted-proxies") || name == QLatin1String("callback-allow")) {
        QStringList ranges;
        for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString range = part.trimmed();
            if (QHostAddress::parseSubnet(range).first.isNull() && QHostAddress(range).isNull())
                return bad(QStringLiteral("'%1' is not an address or CIDR range").arg(range));
            ranges.append(range);
        }
        (name == QLatin1String("trusted-proxies") ? o.trustedProxies : o.callbackAllow) = ranges;
    } else if (name == QLatin1String("max-body-bytes")) {
        bool ok = false;
        const qint64 n = value.toLongLong(&ok);
        if (!ok || n < 1024 || n > 8LL * 1024 * 1024 * 1024)
            return bad(QStringLiteral("must be a byte count from 1024 to 8589934592"));
        o.maxBodyBytes = n;
    } else if (name == QLatin1String("drain-timeout")) {
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 0 || n > 3600)
            return bad(QStringLiteral("must be seconds from 0 to 3600"));
        o.drainTimeoutMs = n * 1000;
    } else if (name == QLatin1String("breaker-failures")) {
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 1 || n > 1000)
            return bad(QStringLiteral("must be a number from 1 to 1000"));
        o.breakerFailures = n;
    } else if (name == QLatin1String("breaker-cooldown")) {
        bool ok = false;
        const double seconds = value.toDouble(&ok);
        if (!ok || seconds < 0.05 || seconds > 3600)
            return bad(QStringLiteral("must be seconds from 0.05 to 3600"));
        o.breakerCooldownMs = int(seconds * 1000);
    } else if (name == QLatin1String("ledger")) {
        if (value != QLatin1String("local") && value != QLatin1String("shared"))
            return bad(QStringLiteral("must be local or shared"));
        o.ledger = value;
    } else if (name == QLatin1String("store-payloads")) {
        if (value != QLatin1String("on") && value != QLatin1String("off"))
            return bad(QStringLiteral("must be on or off"));
        o.storePayloads = value == QLatin1String("on");
    } else if (name == QLatin1String("payload-cap-bytes")) {
        bool ok = false;
        const qint64 n = value.toLongLong(&ok);
        if (!ok || n < 0 || n > 16 * 1024 * 1024)
            return bad(QStringLiteral("must be a byte count from 0 to 16777216"));
        o.payloadCapBytes = n;
    } else if (name == QLatin1String("routing-seed")) {
        bool ok = false;
        const quint64 n = value.toULongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("must be a non-negative integer"));
        o.routingSeed = n;
    } else if (name == QLatin1String("log-level")) {
        const auto level = Logger::levelFromName(value);
        if (!level)
            return bad(QStringLiteral("must be debug, info, warn or error"));
        o.logLevel = *level;
    } else if (name == QLatin1String("log-format")) {
        if (value == QLatin1String("logfmt"))
            o.logFormat = Logger::Format::KeyValue;
        else if (value == QLatin1String("json"))
            o.logFormat = Logger::Format::Json;
        else
            return bad(QStringLiteral("must be logfmt or json"));
    } else {
        return bad(QStringLiteral("unknown option"));
    }
    return {};
}

QString jsonValueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &item : v.toArray())
            parts.append(jsonValueText(item));
        return parts.join(QLatin1Char(','));
    }
    return {};
}

} // namespace

QString DaemonOptionsLoader::helpText()
{
    QString text = QStringLiteral("Usage: gatewayd [options]\n\ngatewayd %1: an AI API gateway.\n\nOptions:\n")
                       .arg(productVersion());
    for (const OptionSpec &o : kOptions) {
        QString left = QStringLiteral("  --") + QString::fromLatin1(o.name);
        if (o.valueName)
            left += QLatin1Char(' ') + QString::fromLatin1(o.valueName);
        text += left.leftJustified(30) + QLatin1Char(' ') + QString::fromLatin1(o.help) + QLatin1Char('\n');
    }
    text += QStringLiteral("\nEvery option may also come from the environment as GATEWAY_<OPTION> (e.g. GATEWAY_ADMIN_TOKEN)\n"
                           "or from the config file; the command line wins over the environment, which wins over the file.\n"
                           "\nExit codes: 0 clean stop, 2 bad option or config, 3 database unreachable or migration failed.\n");
    return text;
}

DaemonOptionsLoader::Result DaemonOptionsLoader::load(const QStringList &arguments, const QProcessEnvironment &environment)
{
    Result result;
    // 1. The command line, collected first because it may name the config file.
    QList<QPair<QString, QString>> cli;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString arg = arguments.at(i);
        if (!arg.startsWith(QLatin1String("--"))) {
            result.error = QStringLiteral("unexpected argument '%1' (options start with --; see --help)").arg(arg);
            return result;
        }
        arg = arg.mid(2);
        QString value;
        bool hasValue = false;
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (eq >= 0) {
            value = arg.mid(eq + 1);
            arg = arg.left(eq);
            hasValue = true;
        }
        const OptionSpec *spec = findOption(arg);
        if (!spec) {
            result.error = QStringLiteral("unknown option --%1 (see --help)").arg(arg);
            return result;
        }
        if (!spec->valueName) {
            if (arg == QLatin1String("help"))
                result.printAndExit = helpText();
            else
                result.printAndExit = QStringLiteral("gatewayd %1\n").arg(productVersion());
            return result;
        }
        if (!hasValue) {
            if (i + 1 >= arguments.size()) {
                result.error = QStringLiteral("option --%1 needs a value (%2)").arg(arg, QString::fromLatin1(spec->valueName));
                return result;
            }
            value = arguments.at(++i);
        }
        cli.append({arg, value});
    }

    DaemonOptions o;
    o.workers = qBound(1, QThread::idealThreadCount(), 256);

    QString configPath = environment.value(QStringLiteral("GATEWAY_CONFIG"));
    for (const auto &[name, value] : cli) {
        if (name == QLatin1String("config"))
            configPath = value;
    }

    // 2. The config file, lowest precedence.
    if (!configPath.isEmpty()) {
        QFile file(configPath);
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = QStringLiteral("--config %1: %2").arg(configPath, file.errorString());
            return result;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            result.error = QStringLiteral("--config %1: not a JSON object (%2 at offset %3)")
                               .arg(configPath, parseError.errorString())
                               .arg(parseError.offset);
            return result;
        }
        const QJsonObject config = doc.object();
        for (auto it = config.constBegin(); it != config.constEnd(); ++it) {
            QString name = it.key();
            name.replace(QLatin1Char('_'), QLatin1Char('-'));
            if (name == QLatin1String("catalog")) {
                if (!it.value().isObject()) {
                    result.error = QStringLiteral("config %1: catalog must be an object with channels and models").arg(configPath);
                    return result;
                }
                o.catalog = it.value().toObject();
                continue;
            }
            const OptionSpec *spec = findOption(name);
            if (!spec || !spec->valueName || name == QLatin1String("config")) {
                result.error = QStringLiteral("config %1: unknown option '%2'").arg(configPath, it.key());
                return result;
            }
            const QString error = apply(o, name, jsonValueText(it.value()), QStringLiteral("config"));
            if (!error.isEmpty()) {
                result.error = error;
                return result;
            }
        }
        o.configFile = configPath;
    }

    // 3. The environment.
    for (const OptionSpec &spec : kOptions) {
        if (!spec.valueName || QLatin1String(spec.name) == QLatin1String("config"))
            continue;
        const QString env = envName(spec.name);
        if (environment.contains(env)) {
            const QString error = apply(o, QString::fromLatin1(spec.name), environment.value(env), env);
            if (!error.isEmpty()) {
                result.error = error;
                return result;
            }
        }
    }

    // 4. The command line, highest precedence.
    for (const auto &[name, value] : cli) {
        if (name == QLatin1String("config"))
            continue;
        const QString error = apply(o, name, value, QStringLiteral("--"));
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
    }

    for (const OptionSpec &spec : kOptions) {
        if (!spec.laterIssue)
            continue;
        const bool given = (QLatin1String(spec.name) == QLatin1String("redis") && !o.redisUrl.isEmpty())
                           || (QLatin1String(spec.name) == QLatin1String("callback-allow") && !o.callbackAllow.isEmpty());
        if (given)
            o.warnings.append(QStringLiteral("--%1 is accepted but not used yet (it arrives with %2)")
                                  .arg(QString::fromLatin1(spec.name), QString::fromLatin1(spec.laterIssue)));
    }
    if (o.adminListen && o.adminListen->port == o.listen.port && o.adminListen->port != 0
        && o.adminListen->address == o.listen.address) {
        result.error = QStringLiteral("--admin-listen must differ from --listen");
        return result;
    }
    result.options = o;
    return result;
}

} // namespace gw
