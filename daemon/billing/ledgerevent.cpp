#include "ledgerevent.h"

#include <QList>

namespace gw {

namespace {

constexpr int kFields = 20;

void appendText(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        switch (c) {
        case '\\': out.append("\\\\"); break;
        case '\t': out.append("\\t"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        default: out.append(c);
        }
    }
}

QString readText(const QByteArray &field)
{
    if (!field.contains('\\'))
        return QString::fromUtf8(field);
    QByteArray raw;
    raw.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        const char c = field.at(i);
        if (c != '\\' || i + 1 == field.size()) {
            raw.append(c);
            continue;
        }
        const char next = field.at(++i);
        raw.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
    }
    return QString::fromUtf8(raw);
}

} // namespace

QByteArray LedgerEvent::encode() const
{
    QByteArray out;
    out.reserve(256);
    out.append(char(kind));
    auto text = [&out](const QString &s) {
        out.append('\t');
        appendText(out, s);
    };
    auto number = [&out](qint64 n) {
        out.append('\t');
        out.append(QByteArray::number(n));
    };
    text(holdId);
    text(userId);
    text(projectId);
    text(keyId);
    text(requestId);
    text(taskId);
    text(model);
    text(owner);
    text(paidBy);
    number(holdAmount);
    number(openedAtMs);
    number(atMs);
    number(fromAllowance);
    number(fromBalance);
    text(reason);
    text(month);
    text(previousMonth);
    number(expired);
    number(granted);
    out.append('\n');
    return out;
}

std::optional<LedgerEvent> LedgerEvent::decode(const QByteArray &line)
{
    const QList<QByteArray> f = line.split('\t');
    if (f.size() != kFields || f.at(0).size() != 1)
        return std::nullopt;
    LedgerEvent e;
    const char k = f.at(0).at(0);
    if (k != char(Kind::HoldOpened) && k != char(Kind::HoldCharged) && k != char(Kind::HoldReleased)
        && k != char(Kind::SubscriptionRolled))
        return std::nullopt;
    e.kind = Kind(k);
    bool ok = true;
    auto number = [&ok](const QByteArray &b) {
        bool one = false;
        const qint64 n = b.toLongLong(&one);
        ok = ok && one;
        return n;
    };
    int i = 1;
    e.holdId = readText(f.at(i++));
    e.userId = readText(f.at(i++));
    e.projectId = readText(f.at(i++));
    e.keyId = readText(f.at(i++));
    e.requestId = readText(f.at(i++));
    e.taskId = readText(f.at(i++));
    e.model = readText(f.at(i++));
    e.owner = readText(f.at(i++));
    e.paidBy = readText(f.at(i++));
    e.holdAmount = number(f.at(i++));
    e.openedAtMs = number(f.at(i++));
    e.atMs = number(f.at(i++));
    e.fromAllowance = number(f.at(i++));
    e.fromBalance = number(f.at(i++));
    e.reason = readText(f.at(i++));
    e.month = readText(f.at(i++));
    e.previousMonth = readText(f.at(i++));
    e.expired = number(f.at(i++));
    e.granted = number(f.at(i++));
    if (!ok || e.userId.isEmpty())
        return std::nullopt;
    return e;
}

} // namespace gw
