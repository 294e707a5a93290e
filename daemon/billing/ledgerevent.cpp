#include "ledgerevent.h"

#include <QList>

#include <charconv>

namespace gw {

namespace {

constexpr int kFields = 20;

// Writes `text` as escaped UTF-8 at `p`: at most 3 bytes per UTF-16 unit
// (an escape is 2; a BMP character 3; a surrogate pair 4 for two units).
char *writeText(char *p, const QString &text)
{
    const char16_t *u = reinterpret_cast<const char16_t *>(text.utf16());
    const char16_t *end = u + text.size();
    while (u != end) {
        const char32_t c = *u++;
        if (c >= 0x20 && c < 0x80 && c != '\\') { // ids, names, numbers: almost every character
            *p++ = char(c);
        } else if (c < 0x80) {
            switch (c) {
            case '\\': *p++ = '\\'; *p++ = '\\'; break;
            case '\t': *p++ = '\\'; *p++ = 't'; break;
            case '\n': *p++ = '\\'; *p++ = 'n'; break;
            case '\r': *p++ = '\\'; *p++ = 'r'; break;
            default: *p++ = char(c);
            }
        } else if (c < 0x800) {
            *p++ = char(0xc0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3f));
        } else if (c >= 0xd800 && c < 0xdc00 && u != end && *u >= 0xdc00 && *u < 0xe000) {
            const char32_t full = 0x10000 + ((c - 0xd800) << 10) + (char32_t(*u++) - 0xdc00);
            *p++ = char(0xf0 | (full >> 18));
            *p++ = char(0x80 | ((full >> 12) & 0x3f));
            *p++ = char(0x80 | ((full >> 6) & 0x3f));
            *p++ = char(0x80 | (full & 0x3f));
        } else {
            const char32_t bmp = (c >= 0xd800 && c < 0xe000) ? 0xfffd : c; // a lone surrogate, as toUtf8 writes it
            *p++ = char(0xe0 | (bmp >> 12));
            *p++ = char(0x80 | ((bmp >> 6) & 0x3f));
            *p++ = char(0x80 | (bmp & 0x3f));
        }
    }
    return p;
}

char *writeNumber(char *p, qint64 n)
{
    return std::to_chars(p, p + 20, n).ptr;
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

LedgerEvent LedgerEvent::ofHold(Kind kind, const HoldRecord &hold)
{
    LedgerEvent e;
    e.kind = kind;
    e.holdId = hold.id;
    e.userId = hold.userId;
    e.projectId = hold.projectId;
    e.keyId = hold.keyId;
    e.requestId = hold.requestId;
    e.taskId = hold.taskId;
    e.model = hold.model;
    e.owner = hold.owner;
    e.paidBy = hold.paidBy;
    e.holdAmount = hold.amount;
    e.openedAtMs = hold.openedAtMs;
    return e;
}

// Journaled twice per call on the call's thread: one allocation, no
// intermediate strings.
QByteArray LedgerEvent::encode() const
{
    const QString *const head[] = {&holdId, &userId, &projectId, &keyId, &requestId, &taskId, &model, &owner, &paidBy};
    const QString *const tail[] = {&reason, &month, &previousMonth};
    qsizetype bound = 2 + 7 * 21; // kind, '\n', seven tab-led numbers
    for (const QString *t : head)
        bound += 1 + t->size() * 3;
    for (const QString *t : tail)
        bound += 1 + t->size() * 3;
    QByteArray out(bound, Qt::Uninitialized);
    char *p = out.data();
    *p++ = char(kind);
    for (const QString *t : head) {
        *p++ = '\t';
        p = writeText(p, *t);
    }
    for (qint64 n : {holdAmount, openedAtMs, atMs, fromAllowance, fromBalance}) {
        *p++ = '\t';
        p = writeNumber(p, n);
    }
    for (const QString *t : tail) {
        *p++ = '\t';
        p = writeText(p, *t);
    }
    for (qint64 n : {expired, granted}) {
        *p++ = '\t';
        p = writeNumber(p, n);
    }
    *p++ = '\n';
    out.truncate(p - out.constData());
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
