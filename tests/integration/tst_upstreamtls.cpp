#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"
#include "harness/parallelclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gw::test;

namespace {

QByteArray chatBody(const QString &model, bool stream)
{
    return QJsonDocument(obj({{QStringLiteral("model"), model},
                              {QStringLiteral("stream"), stream},
                              {QStringLiteral("messages"), QJsonArray{obj({{QStringLiteral("role"), QStringLiteral("user")},
                                                                           {QStringLiteral("content"), QStringLiteral("Hello?")}})}}}))
        .toJson(QJsonDocument::Compact);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool run(const QString &program, const QStringList &arguments, const QString &dir, QString *error)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, arguments);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = program + QLatin1Char(' ') + arguments.join(QLatin1Char(' ')) + QStringLiteral(": ")
                 + QString::fromLocal8Bit(p.readAllStandardError()) + p.errorString();
        return false;
    }
    return true;
}

} // namespace

// HTTPS upstreams: certificate verification (a channel's own CA file for a
// private upstream; nothing else trusted) and HTTP/2 with multiplexing, which
// libcurl negotiates over TLS. nginx terminates TLS and HTTP/2 in front of
// the fake upstream and logs the protocol and the connection of each request.
class TestUpstreamTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeUpstream m_upstream;
    QProcess m_nginx;
    quint16 m_tlsPort = 0;
    std::unique_ptr<DaemonProcess> m_daemon;
    QByteArray m_key;

    DaemonProcess &d() { return *m_daemon; }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString tlsBaseUrl() const { return QStringLiteral("https://127.0.0.1:%1/v1").arg(m_tlsPort); }

    bool makeCertificates(QString *error)
    {
        const QString dir = m_dir.path();
        QFile ext(path(QStringLiteral("server.ext")));
        if (!ext.open(QIODevice::WriteOnly))
            return false;
        ext.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        ext.close();
        const QString openssl = QStringLiteral("openssl");
        return run(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                             QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                             QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"), QStringLiteral("ca.pem"),
                             QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=gateway test CA")},
                   dir, error)
            && run(openssl, {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                             QStringLiteral("server.key"), QStringLiteral("-out"), QStringLiteral("server.csr"),
                             QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")},
                   dir, error)
            && run(openssl, {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
                             QStringLiteral("-CA"), QStringLiteral("ca.pem"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                             QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), QStringLiteral("server.pem"),
                             QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), QStringLiteral("server.ext")},
                   dir, error);
    }

    bool startNginx(QString *error)
    {
        m_tlsPort = freePort();
        QDir(m_dir.path()).mkpath(QStringLiteral("tmp"));
        // One process as the test's own user (no worker dropping to nobody,
        // which could not read the temporary directory). $connection tells
        // the client connections apart.
        const QStringList lines = {
            QStringLiteral("daemon off;"),
            QStringLiteral("master_process off;"),
            QStringLiteral("worker_processes 1;"),
            QStringLiteral("pid %1/nginx.pid;"),
            QStringLiteral("error_log %1/error.log;"),
            QStringLiteral("events { worker_connections 1024; }"),
            QStringLiteral("http {"),
            QStringLiteral("  log_format proto '$server_protocol $connection $status $request_uri';"),
            QStringLiteral("  access_log %1/access.log proto;"),
            QStringLiteral("  client_body_temp_path %1/tmp/body;"),
            QStringLiteral("  proxy_temp_path %1/tmp/proxy;"),
            QStringLiteral("  fastcgi_temp_path %1/tmp/fastcgi;"),
            QStringLiteral("  uwsgi_temp_path %1/tmp/uwsgi;"),
            QStringLiteral("  scgi_temp_path %1/tmp/scgi;"),
            QStringLiteral("  server {"),
            QStringLiteral("    listen 127.0.0.1:%2 ssl http2;"),
            QStringLiteral("    ssl_certificate %1/server.pem;"),
            QStringLiteral("    ssl_certificate_key %1/server.key;"),
            QStringLiteral("    location / {"),
            QStringLiteral("      proxy_pass http://127.0.0.1:%3;"),
            QStringLiteral("      proxy_http_version 1.1;"),
            QStringLiteral("      proxy_set_header Connection \"\";"),
            QStringLiteral("      proxy_buffering off;"),
            QStringLiteral("      proxy_request_buffering off;"),
            QStringLiteral("    }"),
            QStringLiteral("  }"),
            QStringLiteral("}"),
        };
        const QString conf = lines.join(QLatin1Char('\n')).arg(m_dir.path()).arg(m_tlsPort).arg(m_upstream.port());
        QFile f(path(QStringLiteral("nginx.conf")));
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(conf.toUtf8());
        f.close();
        m_nginx.setProcessChannelMode(QProcess::ForwardedChannels);
        // Debian puts nginx in /usr/sbin, which a user's PATH may lack.
        QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"));
        if (nginx.isEmpty())
            nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
        if (nginx.isEmpty()) {
            *error = QStringLiteral("nginx is not installed (packaging/dev/install-deps.sh --tests installs it)");
            return false;
        }
        m_nginx.start(nginx, {QStringLiteral("-p"), m_dir.path(), QStringLiteral("-e"),
                                               path(QStringLiteral("error.log")), QStringLiteral("-c"), path(QStringLiteral("nginx.conf"))});
        if (!m_nginx.waitForStarted(10000)) {
            *error = QStringLiteral("nginx did not start: ") + m_nginx.errorString();
            return false;
        }
        for (int i = 0; i < 100; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_tlsPort);
            if (probe.waitForConnected(100))
                return true;
            if (m_nginx.state() == QProcess::NotRunning)
                break;
            QTest::qWait(50);
        }
        QFile log(path(QStringLiteral("error.log")));
        log.open(QIODevice::ReadOnly);
        *error = QStringLiteral("nginx is not listening: ") + QString::fromLocal8Bit(log.readAll());
        return false;
    }

    // The access log's lines since the last call: "protocol connection status uri".
    QList<QList<QByteArray>> takeAccessLog()
    {
        QFile log(path(QStringLiteral("access.log")));
        QList<QList<QByteArray>> lines;
        if (!log.open(QIODevice::ReadWrite))
            return lines;
        for (const QByteArray &line : log.readAll().split('\n')) {
            if (!line.isEmpty())
                lines.append(line.split(' '));
        }
        log.resize(0);
        return lines;
    }

    QString channel(const QString &name, const QJsonObject &config)
    {
        QJsonObject body{{QStringLiteral("name"), name}, {QStringLiteral("provider"), QStringLiteral("openai")},
                         {QStringLiteral("base_url"), tlsBaseUrl()}, {QStringLiteral("secret"), QStringLiteral("sk-upstream")}};
        if (!config.isEmpty())
            body.insert(QStringLiteral("config"), config);
        const auto r = d().admin("POST", QStringLiteral("/channels"), body);
        return r.status == 201 ? r.json().value(QStringLiteral("id")).toString() : QString();
    }

    bool model(const QString &id, const QString &channelId, const QString &upstreamModel)
    {
        return d().admin("POST", QStringLiteral("/models"),
                         obj({{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("chat")},
                              {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), channelId},
                                                                          {QStringLiteral("upstream_model"), upstreamModel}})}}}))
                   .status
            == 201;
    }

    HttpResult chat(const QString &model, bool stream)
    {
        return httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions")), chatBody(model, stream),
                           {{"Authorization", "Bearer " + m_key}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(makeCertificates(&error), qPrintable(error));
        QVERIFY(m_upstream.startInThread());
        QVERIFY2(startNginx(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_nginx.terminate();
        m_nginx.waitForFinished(5000);
    }

    void init()
    {
        m_upstream.reset();
        DaemonProcess::Options options;
        // One worker: every call shares one libcurl multi handle and its connections.
        options.arguments = {QStringLiteral("--workers"), QStringLiteral("1")};
        m_daemon = std::make_unique<DaemonProcess>(options);
        QString error;
        QVERIFY2(m_daemon->start(&error), qPrintable(error));
        const QString user = d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("tls@example.com")},
                                                                               {QStringLiteral("credits"), 1000}}))
                                 .json().value(QStringLiteral("id")).toString();
        m_key = d().admin("POST", QStringLiteral("/users/%1/keys").arg(user), obj({{QStringLiteral("name"), QStringLiteral("k")}}))
                    .json().value(QStringLiteral("key")).toString().toLatin1();
        QVERIFY(!m_key.isEmpty());
        takeAccessLog();
    }

    void cleanup()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->stop(), 0);
        m_daemon.reset();
    }

    void aPrivateUpstreamIsTrustedThroughItsChannelsCaFileAndSpokenToInHttp2()
    {
        const QString ch = channel(QStringLiteral("private"), obj({{QStringLiteral("ca_file"), path(QStringLiteral("ca.pem"))}}));
        QVERIFY(!ch.isEmpty());
        QVERIFY(model(QStringLiteral("private-chat"), ch, QStringLiteral("fake:text=hello over tls")));

        const auto plain = chat(QStringLiteral("private-chat"), false);
        QCOMPARE(plain.status, 200);
        QCOMPARE(plain.json().value(QStringLiteral("choices")).toArray().first().toObject().value(QStringLiteral("message"))
                     .toObject().value(QStringLiteral("content")).toString(),
                 QStringLiteral("hello over tls"));
        const auto streamed = chat(QStringLiteral("private-chat"), true);
        QCOMPARE(streamed.status, 200);
        QVERIFY(streamed.body.contains("over"));
        QVERIFY(streamed.body.trimmed().endsWith("data: [DONE]"));

        const auto lines = takeAccessLog();
        QCOMPARE(lines.size(), 2);
        for (const auto &line : lines) {
            QCOMPARE(line.value(0), QByteArray("HTTP/2.0"));
            QCOMPARE(line.value(2), QByteArray("200"));
            QCOMPARE(line.value(3), QByteArray("/v1/chat/completions"));
        }
        // The same connection served both.
        QCOMPARE(lines.at(0).value(1), lines.at(1).value(1));
        QCOMPARE(m_upstream.requestCount(), 2);
    }

    void concurrentStreamsShareOneHttp2Connection()
    {
        const QString ch = channel(QStringLiteral("private"), obj({{QStringLiteral("ca_file"), path(QStringLiteral("ca.pem"))}}));
        QVERIFY(model(QStringLiteral("slow-chat"), ch, QStringLiteral("fake:interval=100,text=one two three")));
        QCOMPARE(chat(QStringLiteral("slow-chat"), false).status, 200); // the connection is up
        const auto answers = ParallelClient::post(d().port(), "/v1/chat/completions", {{"Authorization", "Bearer " + m_key}},
                                                  chatBody(QStringLiteral("slow-chat"), true), 8, 30000);
        QCOMPARE(answers.size(), 8);
        for (const auto &a : answers)
            QCOMPARE(a.status, 200);
        const auto lines = takeAccessLog();
        QCOMPARE(lines.size(), 9);
        QSet<QByteArray> connections;
        for (const auto &line : lines) {
            QCOMPARE(line.value(0), QByteArray("HTTP/2.0"));
            connections.insert(line.value(1));
        }
        // Eight streams at once, each 300 ms long, multiplexed on the one connection.
        QCOMPARE(connections.size(), 1);
    }

    void anUntrustedCertificateFailsTheChannelNotTheCaller()
    {
        // Without the channel's CA, the system's store does not know the test CA.
        const QString ch = channel(QStringLiteral("public"), {});
        QVERIFY(model(QStringLiteral("public-chat"), ch, QStringLiteral("fake:text=never")));
        const auto r = chat(QStringLiteral("public-chat"), false);
        QCOMPARE(r.status, 502);
        QCOMPARE(m_upstream.requestCount(), 0);
        QVERIFY(takeAccessLog().isEmpty()); // refused in the handshake, before any request
    }

    void aCaFileMustBeAnAbsolutePathTheGatewayCanRead()
    {
        const auto relative = d().admin("POST", QStringLiteral("/channels"),
                                        obj({{QStringLiteral("name"), QStringLiteral("a")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                             {QStringLiteral("base_url"), tlsBaseUrl()},
                                             {QStringLiteral("config"), obj({{QStringLiteral("ca_file"), QStringLiteral("ca.pem")}})}}));
        QCOMPARE(relative.status, 400);
        QCOMPARE(relative.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(),
                 QStringLiteral("config.ca_file"));
        const auto missing = d().admin("POST", QStringLiteral("/channels"),
                                       obj({{QStringLiteral("name"), QStringLiteral("b")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                            {QStringLiteral("base_url"), tlsBaseUrl()},
                                            {QStringLiteral("config"), obj({{QStringLiteral("ca_file"), path(QStringLiteral("nope.pem"))}})}}));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(),
                 QStringLiteral("config.ca_file"));
        // A channel's CA applies to that channel only: a pooled handle gets the default back.
        const QString priv = channel(QStringLiteral("private"), obj({{QStringLiteral("ca_file"), path(QStringLiteral("ca.pem"))}}));
        const QString pub = channel(QStringLiteral("public"), {});
        QVERIFY(model(QStringLiteral("private-chat"), priv, QStringLiteral("fake:text=ok")));
        QVERIFY(model(QStringLiteral("public-chat"), pub, QStringLiteral("fake:text=never")));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(chat(QStringLiteral("private-chat"), false).status, 200);
            QCOMPARE(chat(QStringLiteral("public-chat"), false).status, 502);
        }
    }
};

QTEST_GUILESS_MAIN(TestUpstreamTls)
#include "tst_upstreamtls.moc"
