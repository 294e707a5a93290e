#include "daemonapp.h"

#include "databasebootstrap.h"
#include "daemonoptionsloader.h"
#include "access/clientaddress.h"
#include "gatewaycore.h"
#include "instanceid.h"
#include "memorytrimmer.h"
#include "http/httpserver.h"
#include "observability/logger.h"
#include "observability/monotonicclock.h"
#include "observability/redaction.h"
#include "common/timeformat.h"
#include "routetable.h"
#include "routing/routingrandom.h"
#include "signalwatcher.h"
#include "store/databaseurl.h"
#include "store/sqliteprocesssettings.h"
#include "version.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gw {

namespace {

void raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
        Logger::debug("raised the open-file limit", {{"from", qint64(before)}, {"to", qint64(limit.rlim_max)}});
}

bool writePrivateFile(const QString &path, const QByteArray &content, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, content.constData(), size_t(content.size())) == content.size();
    ::close(fd);
    if (!ok)
        *error = QStringLiteral("short write");
    return ok;
}

void printLine(const QString &line)
{
    const QByteArray text = line.toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

} // namespace

DaemonApp::DaemonApp(const DaemonOptions &options)
    : m_options(options)
{
}

DaemonApp::~DaemonApp()
{
    if (m_http)
        m_http->stop();
    m_http.reset();
    m_core.reset();
}

int DaemonApp::run(int argc, char **argv)
{
    // The glib dispatcher costs more per wake-up than Qt's own poll-based
    // one, and the daemon has no use for glib sources.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatewayd"));
    QCoreApplication::setApplicationVersion(productVersion());
    Logger::installQtMessageHandler();
    ::signal(SIGPIPE, SIG_IGN);
    SqliteProcessSettings::apply(); // before any connection opens

    const auto loaded = DaemonOptionsLoader::load(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (!loaded.printAndExit.isEmpty()) {
        std::fputs(loaded.printAndExit.toUtf8().constData(), stdout);
        return CleanExit;
    }
    if (!loaded.options) {
        std::fprintf(stderr, "gatewayd: %s\n", loaded.error.toUtf8().constData());
        return BadOptions;
    }
    Logger::setLevel(loaded.options->logLevel);
    Logger::setFormat(loaded.options->logFormat);
    for (const QString &warning : loaded.options->warnings)
        Logger::warning(warning.toUtf8().constData());

    DaemonApp daemon(*loaded.options);
    // Watch for SIGTERM before anything is announced: a supervisor that reads
    // "listening" may stop the daemon at once, and that must be a clean stop.
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &daemon, &DaemonApp::beginShutdown);
    const int startCode = daemon.start();
    if (startCode != CleanExit)
        return startCode;
    return app.exec();
}

int DaemonApp::start()
{
    raiseOpenFileLimit();
    // Everything the daemon writes (database, key, token) is for its user alone.
    ::umask(077);

    const QString dataDir = QDir(m_options.dataDir).absolutePath();
    if (!QDir().mkpath(dataDir)) {
        Logger::error("cannot create the data directory", {{"path", dataDir}});
        return BadOptions;
    }
    ::chmod(QFile::encodeName(dataDir).constData(), 0700);

    QString error;
    const auto masterKey = MasterKey::loadOrCreate(m_options.effectiveMasterKeyFile(), m_options.masterKeyFile.isEmpty(), &error);
    if (!masterKey) {
        Logger::error("master key unusable", {{"error", error}});
        return BadOptions;
    }

    auto url = DatabaseUrl::parse(m_options.effectiveDatabaseUrl(), &error);
    if (!url) {
        Logger::error("bad --database", {{"error", error}});
        return BadOptions;
    }
    switch (DatabaseBootstrap::prepare(*url, *masterKey, &error)) {
    case DatabaseBootstrap::Result::Ready:
        break;
    case DatabaseBootstrap::Result::Unreachable:
        Logger::error("database unreachable", {{"database", url->display()}, {"error", error}});
        return DatabaseFailure;
    case DatabaseBootstrap::Result::MigrationFailed:
        Logger::error("database migration failed", {{"database", url->display()}, {"error", error}});
        return DatabaseFailure;
    case DatabaseBootstrap::Result::WrongMasterKey:
        Logger::error("wrong master key", {{"error", error}, {"master_key_file", m_options.effectiveMasterKeyFile()}});
        return BadOptions;
    }

    PayloadPolicy payloads;
    payloads.storeByDefault = m_options.storePayloads;
    payloads.capBytes = m_options.payloadCapBytes;
    BreakerPolicy breakers;
    breakers.consecutiveFailures = m_options.breakerFailures;
    breakers.cooldownMs = m_options.breakerCooldownMs;
    breakers.maxCooldownMs = qMax(breakers.maxCooldownMs, breakers.cooldownMs);
    if (m_options.routingSeed)
        RoutingRandom::setSeed(*m_options.routingSeed);
    const QString instanceId = InstanceId::loadOrCreate(dataDir, &error);
    if (instanceId.isEmpty()) {
        Logger::error("cannot name this daemon", {{"error", error}});
        return BadOptions;
    }
    GatewayCore::LedgerSettings ledger;
    ledger.mode = !m_options.ledger.isEmpty() ? m_options.ledger
                  : url->dialect == SqlDialect::Postgres ? QStringLiteral("shared") : QStringLiteral("local");
    ledger.journalDirectory = dataDir;
    m_core = std::make_unique<GatewayCore>(std::make_unique<Store>(*url, 2), *masterKey, instanceId, payloads, breakers, ledger);
    m_core->gate().setTrustedProxies(ClientAddress::parseRanges(m_options.trustedProxies));
    if (!m_core->loadState(&error)) {
        Logger::error("cannot load state from the database", {{"error", error}});
        return DatabaseFailure;
    }
    // Calls in flight when the last run died never got a complete answer:
    // their holds go back before anything new is held.
    if (m_core->ledger().recover(&error) < 0) {
        Logger::error("cannot release the holds of the previous run", {{"error", error}});
        return DatabaseFailure;
    }

    if (!m_options.catalog.isEmpty()) {
        if (!m_core->catalogService().importCatalog(m_options.catalog, &error)) {
            Logger::error("cannot import the config file's catalog", {{"config", m_options.configFile}, {"error", error}});
            return BadOptions;
        }
        Logger::info("imported the config file's catalog", {{"config", m_options.configFile},
                                                            {"channels", qint64(m_core->catalog().current()->channels().size())},
                                                            {"models", qint64(m_core->catalog().current()->models().size())}});
    }

    const QString tokenFile = QDir(dataDir).filePath(QStringLiteral("admin-token"));
    if (!m_options.adminToken.isEmpty()) {
        m_core->adminTokens().addBootstrap(m_options.adminToken);
    } else {
        const auto issued = m_core->adminTokenService().issueInitialTokenIfNone(&error);
        if (!error.isEmpty()) {
            Logger::error("cannot issue the first admin token", {{"error", error}});
            return DatabaseFailure;
        }
        if (issued) {
            if (!writePrivateFile(tokenFile, issued->plaintext + '\n', &error)) {
                Logger::error("cannot write the admin token file", {{"path", tokenFile}, {"error", error}});
                return BadOptions;
            }
            printLine(QStringLiteral("gatewayd: generated an admin token in %1 (mode 0600)").arg(tokenFile));
        } else if (QFile::exists(tokenFile)) {
            printLine(QStringLiteral("gatewayd: the admin token is in %1").arg(tokenFile));
        }
    }

    const bool separateAdmin = m_options.adminListen.has_value();
    QList<HttpEndpoint> endpoints{{m_options.listen.address, m_options.listen.port, separateAdmin ? unsigned(PublicScope) : unsigned(AnyScope)}};
    if (separateAdmin)
        endpoints.append({m_options.adminListen->address, m_options.adminListen->port, unsigned(AdminScope)});

    HttpLimits limits;
    limits.maxBodyBytes = m_options.maxBodyBytes;
    GatewayCore *core = m_core.get();
    m_http = std::make_unique<HttpServer>(RouteTable::build(*m_core), limits, m_options.workers,
                                          [core](const HttpAccessRecord &r) {
                                              core->metrics().recordAccess(r);
                                              const LogLevel level = r.status >= 500 ? LogLevel::Warning : LogLevel::Debug;
                                              if (!Logger::enabled(level) && !r.refusedByGuard)
                                                  return;
                                              QList<LogField> fields{{"request_id", r.requestId},
                                                                     {"method", r.method},
                                                                     {"path", Redaction::redactUrl(r.rawTarget)},
                                                                     {"status", r.status},
                                                                     {"duration_us", r.durationUs},
                                                                     {"peer", r.peer.toString()}};
                                              for (const auto &f : r.fields)
                                                  fields.append(LogField(f.first.constData(), f.second));
                                              if (r.refusedByGuard)
                                                  fields.append(LogField("refused", r.refusal));
                                              Logger::write(r.refusedByGuard ? LogLevel::Info : level, "request", fields);
                                          });
    m_trimmer = std::make_unique<MemoryTrimmer>([this] { return m_http ? qint64(m_http->openConnections()) : 0; }, 5000);
    // Rate-limit entries are dropped as they refill when their shard is in
    // use; this catches the shards nobody touches after a burst of
    // short-lived subjects (many keys or addresses) has passed.
    auto *limitSweep = new QTimer(this);
    connect(limitSweep, &QTimer::timeout, this, [core] { core->rateLimiter().sweep(TimeFormat::nowMs()); });
    limitSweep->start(60000);
    m_core->metrics().addGauge("gateway_rate_limit_entries", "Rate-limit subjects with a bucket that is not full.",
                               [core] { return double(core->rateLimiter().size()); });
    m_core->metrics().addGauge("gateway_http_open_connections", "Client connections open now.", [this] {
        return m_http ? double(m_http->openConnections()) : 0.0;
    });
    m_core->metrics().addGauge("gateway_store_write_backlog", "Store writes queued and not yet committed.",
                               [core] { return double(core->store().writeBacklog()); });
    m_core->metrics().addGauge("gateway_billing_overages", "Calls that cost more than their hold (charged anyway).",
                               [core] { return double(core->ledger().overages()); });
    m_core->metrics().addGauge("gateway_billing_refusals", "Calls refused for lack of credits or budget.",
                               [core] { return double(core->ledger().refusals()); });
    m_core->metrics().addGauge("gateway_usage_backlog", "Usage rows recorded, not yet in the database.",
                               [core] { return double(core->usageRecorder().pending()); });
    m_core->metrics().addGauge("gateway_usage_dropped", "Usage rows dropped because the backlog was full (the database was down too long).",
                               [core] { return double(core->usageRecorder().dropped()); });
    m_core->metrics().addGauge("gateway_ledger_backlog", "Ledger decisions made and journaled, not yet in the database.",
                               [core] { return double(core->ledger().backlog()); });
    m_core->metrics().addSection([core] {
        QByteArray out = "# HELP gateway_channel_breaker_state Each channel's circuit breaker: 0 closed, 1 half-open, 2 open.\n"
                         "# TYPE gateway_channel_breaker_state gauge\n";
        auto states = core->channelHealth().states(TimeFormat::nowMs());
        std::sort(states.begin(), states.end());
        for (const auto &[channel, state] : std::as_const(states)) {
            const int value = state == ChannelHealth::State::Open ? 2 : state == ChannelHealth::State::HalfOpen ? 1 : 0;
            out += "gateway_channel_breaker_state{channel=" + RelayMetrics::escapeLabel(channel) + "} " + QByteArray::number(value) + '\n';
        }
        return out;
    });
    m_core->metrics().addGauge("gateway_catalog_version", "Version of the catalog snapshot in use.",
                               [core] { return double(core->catalog().current()->version()); });
    if (!m_http->listen(endpoints, &error)) {
        Logger::error("cannot listen", {{"error", error}});
        return BadOptions;
    }
    const QList<quint16> ports = m_http->ports();
    Logger::info("gatewayd started", {{"version", productVersion()},
                                      {"listen", QStringLiteral("%1:%2").arg(m_options.listen.address.toString()).arg(ports.at(0))},
                                      {"admin_listen", separateAdmin ? QStringLiteral("%1:%2").arg(m_options.adminListen->address.toString()).arg(ports.at(1)) : QStringLiteral("same")},
                                      {"workers", m_options.workers},
                                      {"database", url->display()},
                                      {"data", dataDir}});
    printLine(QStringLiteral("gatewayd: listening on http://%1:%2").arg(m_options.listen.address.toString()).arg(ports.at(0)));
    if (separateAdmin)
        printLine(QStringLiteral("gatewayd: admin API on http://%1:%2").arg(m_options.adminListen->address.toString()).arg(ports.at(1)));
    return CleanExit;
}

void DaemonApp::beginShutdown(int signal)
{
    if (m_shuttingDown) {
        Logger::warning("second termination signal: stopping without waiting");
        m_drainDeadlineMs = 0;
        return;
    }
    m_shuttingDown = true;
    Logger::info("draining", {{"signal", signal}, {"open_connections", m_http->openConnections()}});
    m_core->setDraining();
    m_http->beginDrain();
    m_drainDeadlineMs = monotonicMs() + m_options.drainTimeoutMs;
    checkDrained();
}

void DaemonApp::checkDrained()
{
    const int open = m_http->openConnections();
    if (open > 0 && monotonicMs() < m_drainDeadlineMs) {
        QTimer::singleShot(20, this, &DaemonApp::checkDrained);
        return;
    }
    if (open > 0)
        Logger::warning("drain timeout: cutting connections", {{"open_connections", open}});
    // Stop accepting work first, then let the store commit what is queued.
    m_http->stop();
    m_core->closeStore();
    Logger::info("stopped");
    QCoreApplication::exit(CleanExit);
}

} // namespace gw
