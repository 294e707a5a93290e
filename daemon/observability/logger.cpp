#include "logger.h"

#include "redaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <atomic>
#include <optional>
#include <unistd.h>

namespace gw {

namespace {

std::atomic<int> g_level{int(LogLevel::Info)};
std::atomic<int> g_format{int(Logger::Format::KeyValue)};

const char *levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warn";
    case LogLevel::Error: return "error";
    }
    return "info";
}

bool needsQuotes(const QByteArray &v)
{
    if (v.isEmpty())
        return true;
    for (char c : v) {
        if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return true;
    }
    return false;
}

void appendValue(QByteArray &line, const QByteArray &v)
{
    if (!needsQuotes(v)) {
        line += v;
        return;
    }
    line += '"';
    for (char c : v) {
        switch (c) {
        case '"': line += "\\\""; break;
        case '\\': line += "\\\\"; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        case '\t': line += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                line += "\\x" + QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
            else
                line += c;
        }
    }
    line += '"';
}

template <typename Fields>
void emitLine(LogLevel level, const char *message, const Fields &fields)
{
    if (!Logger::enabled(level))
        return;
    const QByteArray ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8();
    QByteArray line;
    line.reserve(160);
    if (Logger::Format(g_format.load(std::memory_order_relaxed)) == Logger::Format::Json) {
        QJsonObject o{{QStringLiteral("ts"), QString::fromUtf8(ts)},
                      {QStringLiteral("level"), QString::fromUtf8(levelName(level))},
                      {QStringLiteral("msg"), QString::fromUtf8(Redaction::redactText(QByteArray(message)))}};
        for (const LogField &f : fields)
            o.insert(QString::fromUtf8(f.key), QString::fromUtf8(Redaction::redactText(f.value)));
        line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    } else {
        line += "ts=";
        line += ts;
        line += " level=";
        line += levelName(level);
        line += " msg=";
        appendValue(line, Redaction::redactText(QByteArray(message)));
        for (const LogField &f : fields) {
            line += ' ';
            line += f.key;
            line += '=';
            appendValue(line, Redaction::redactText(f.value));
        }
    }
    line += '\n';
    qsizetype off = 0;
    while (off < line.size()) {
        const ssize_t n = ::write(STDERR_FILENO, line.constData() + off, size_t(line.size() - off));
        if (n <= 0)
            break;
        off += n;
    }
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    LogLevel level = LogLevel::Info;
    switch (type) {
    case QtDebugMsg: level = LogLevel::Debug; break;
    case QtInfoMsg: level = LogLevel::Info; break;
    case QtWarningMsg: level = LogLevel::Warning; break;
    case QtCriticalMsg:
    case QtFatalMsg: level = LogLevel::Error; break;
    }
    const QByteArray text = message.toUtf8();
    QList<LogField> fields;
    if (context.category && qstrcmp(context.category, "default") != 0)
        fields.append(LogField("category", context.category));
    Logger::write(level, text.constData(), fields);
    if (type == QtFatalMsg)
        abort();
}

} // namespace

void Logger::setLevel(LogLevel level)
{
    g_level.store(int(level));
}

void Logger::setFormat(Format format)
{
    g_format.store(int(format));
}

bool Logger::enabled(LogLevel level)
{
    return int(level) >= g_level.load(std::memory_order_relaxed);
}

void Logger::write(LogLevel level, const char *message, std::initializer_list<LogField> fields)
{
    emitLine(level, message, fields);
}

void Logger::write(LogLevel level, const char *message, const QList<LogField> &fields)
{
    emitLine(level, message, fields);
}

void Logger::debug(const char *message, std::initializer_list<LogField> fields)
{
    emitLine(LogLevel::Debug, message, fields);
}

void Logger::info(const char *message, std::initializer_list<LogField> fields)
{
    emitLine(LogLevel::Info, message, fields);
}

void Logger::warning(const char *message, std::initializer_list<LogField> fields)
{
    emitLine(LogLevel::Warning, message, fields);
}

void Logger::error(const char *message, std::initializer_list<LogField> fields)
{
    emitLine(LogLevel::Error, message, fields);
}

void Logger::installQtMessageHandler()
{
    qInstallMessageHandler(qtMessageHandler);
}

std::optional<LogLevel> Logger::levelFromName(const QString &name)
{
    if (name == QLatin1String("debug"))
        return LogLevel::Debug;
    if (name == QLatin1String("info"))
        return LogLevel::Info;
    if (name == QLatin1String("warn") || name == QLatin1String("warning"))
        return LogLevel::Warning;
    if (name == QLatin1String("error"))
        return LogLevel::Error;
    return std::nullopt;
}

} // namespace gw
