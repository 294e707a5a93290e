#pragma once

#include <QByteArray>
#include <QString>

#include <initializer_list>
#include <optional>

namespace gw {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// One key=value pair of a log line. Values are redacted (see Redaction)
// before they are written, whatever the caller passes.
struct LogField
{
    LogField(const char *k, const QByteArray &v) : key(k), value(v) {}
    LogField(const char *k, const QString &v) : key(k), value(v.toUtf8()) {}
    LogField(const char *k, const char *v) : key(k), value(v) {}
    LogField(const char *k, qint64 v) : key(k), value(QByteArray::number(v)) {}
    LogField(const char *k, int v) : key(k), value(QByteArray::number(v)) {}
    LogField(const char *k, quint16 v) : key(k), value(QByteArray::number(v)) {}
    LogField(const char *k, bool v) : key(k), value(v ? "true" : "false") {}

    const char *key;
    QByteArray value;
};

// Structured log lines on standard error, one write(2) each so that threads
// never interleave: logfmt (ts=... level=... msg="..." key=value) by default,
// or one JSON object a line.
class Logger
{
public:
    enum class Format { KeyValue, Json };

    static void setLevel(LogLevel level);
    static void setFormat(Format format);
    static bool enabled(LogLevel level);
    static void write(LogLevel level, const char *message, std::initializer_list<LogField> fields = {});
    static void write(LogLevel level, const char *message, const QList<LogField> &fields);

    static void debug(const char *message, std::initializer_list<LogField> fields = {});
    static void info(const char *message, std::initializer_list<LogField> fields = {});
    static void warning(const char *message, std::initializer_list<LogField> fields = {});
    static void error(const char *message, std::initializer_list<LogField> fields = {});

    // Routes qDebug/qWarning/... (Qt's own messages included) through write().
    static void installQtMessageHandler();
    static std::optional<LogLevel> levelFromName(const QString &name);
};

} // namespace gw
