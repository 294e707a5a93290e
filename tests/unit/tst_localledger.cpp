#include "billing/holdbook.h"
#include "billing/ledgerbook.h"
#include "billing/ledgerevent.h"
#include "billing/ledgereventbook.h"
#include "billing/ledgerjournal.h"
#include "billing/localledger.h"
#include "harness/testdatabase.h"
#include "store/migrator.h"
#include "store/sqlsession.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace gw;
using gw::test::TestDatabase;

namespace {

const QString kUser = QStringLiteral("usr_1");
const QString kOwner = QStringLiteral("gwd_test");

// What the database says about the test user: enough to compare two states.
struct Snapshot
{
    qint64 balance = 0;
    qint64 held = 0;
    qint64 subscriptionRemaining = 0;
    qint64 postingSum = 0;
    int postings = 0;
    qint64 openHoldSum = 0;
    int holds = 0;
    QStringList lines; // every posting and hold, for an exact comparison

    bool operator==(const Snapshot &o) const
    {
        return balance == o.balance && held == o.held && subscriptionRemaining == o.subscriptionRemaining
            && postingSum == o.postingSum && postings == o.postings && openHoldSum == o.openHoldSum && holds == o.holds
            && lines == o.lines;
    }
};

Snapshot snapshot(SqlSession &s)
{
    Snapshot snap;
    QSqlQuery &b = s.exec(QStringLiteral("SELECT balance, held, subscription_remaining FROM balances WHERE user_id = ?"), {kUser});
    if (b.next()) {
        snap.balance = b.value(0).toLongLong();
        snap.held = b.value(1).toLongLong();
        snap.subscriptionRemaining = b.value(2).toLongLong();
    }
    b.finish();
    QSqlQuery &p = s.exec(QStringLiteral("SELECT type, amount, balance_after, paid_by, request_id FROM ledger_postings "
                                         "WHERE user_id = ? ORDER BY id"),
                          {kUser});
    while (p.next()) {
        snap.postingSum += p.value(1).toLongLong();
        ++snap.postings;
        snap.lines << QStringLiteral("P %1 %2 %3 %4 %5").arg(p.value(0).toString(), p.value(1).toString(), p.value(2).toString(),
                                                             p.value(3).toString(), p.value(4).toString());
    }
    p.finish();
    QSqlQuery &h = s.exec(QStringLiteral("SELECT id, amount, closed_at, outcome, charged FROM holds WHERE user_id = ? ORDER BY id"), {kUser});
    while (h.next()) {
        ++snap.holds;
        if (h.value(2).isNull())
            snap.openHoldSum += h.value(1).toLongLong();
        snap.lines << QStringLiteral("H %1 %2 %3 %4").arg(h.value(0).toString(), h.value(1).toString(), h.value(3).toString(),
                                                          h.value(4).toString());
    }
    h.finish();
    return snap;
}

LedgerEvent opened(const QString &hold, qint64 amount, qint64 at)
{
    LedgerEvent e;
    e.kind = LedgerEvent::Kind::HoldOpened;
    e.holdId = hold;
    e.userId = kUser;
    e.requestId = QStringLiteral("req_") + hold;
    e.owner = kOwner;
    e.paidBy = QStringLiteral("subscription");
    e.holdAmount = amount;
    e.openedAtMs = at;
    return e;
}

LedgerEvent closed(const LedgerEvent &open, LedgerEvent::Kind kind, qint64 fromAllowance, qint64 fromBalance, qint64 at)
{
    LedgerEvent e = open;
    e.kind = kind;
    e.atMs = at;
    e.fromAllowance = fromAllowance;
    e.fromBalance = fromBalance;
    e.reason = QStringLiteral("/v1/chat/completions m");
    return e;
}

// A month's allowance, two charged calls (one partly from the allowance),
// one released, one left open (and on disk: the release after it wrote it).
std::vector<LedgerEvent> story()
{
    const qint64 t = 1'790'000'000'000; // 2026-09
    LedgerEvent roll;
    roll.kind = LedgerEvent::Kind::SubscriptionRolled;
    roll.userId = kUser;
    roll.atMs = t;
    roll.month = HoldBook::monthOf(t);
    roll.granted = 3'000'000;
    const LedgerEvent a = opened(QStringLiteral("hold_a"), 2'000'000, t + 1);
    const LedgerEvent b = opened(QStringLiteral("hold_b"), 2'000'000, t + 2);
    const LedgerEvent c = opened(QStringLiteral("hold_c"), 1'000'000, t + 3);
    const LedgerEvent d = opened(QStringLiteral("hold_d"), 500'000, t + 4);
    return {roll,
            a,
            b,
            closed(a, LedgerEvent::Kind::HoldCharged, 1'500'000, 0, t + 5),
            closed(b, LedgerEvent::Kind::HoldCharged, 1'500'000, 1'000'000, t + 6), // beyond its hold: an overage
            c,
            d,
            closed(c, LedgerEvent::Kind::HoldReleased, 0, 0, t + 7)};
}

} // namespace

class TestLocalLedger : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;

    void seedUser(SqlSession &s, qint64 credits)
    {
        s.exec(QStringLiteral("INSERT INTO users (id, email, name, status, created_at, updated_at) VALUES (?, 'u@x', '', 'active', 0, 0)"),
               {kUser});
        LedgerBook::openAccount(s, kUser, 0);
        if (credits > 0) {
            LedgerPosting grant;
            grant.userId = kUser;
            grant.type = QStringLiteral("grant");
            grant.amount = credits;
            grant.createdAtMs = 1;
            LedgerBook::post(s, grant, false);
        }
    }

    std::unique_ptr<SqlSession> session()
    {
        auto s = std::make_unique<SqlSession>(m_db->parsed(), QStringLiteral("ledger-test-%1").arg(quintptr(QThread::currentThreadId())));
        return s;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &d : TestDatabase::dialects())
            QTest::newRow(qPrintable(d)) << d;
    }

    void init()
    {
        QFETCH_GLOBAL(QString, dialect);
        m_db = std::make_unique<TestDatabase>(dialect);
        QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
        auto s = session();
        Migrator::migrate(*s);
        seedUser(*s, 10'000'000);
    }

    void cleanup() { m_db.reset(); }

    void eventsSurviveTheirJournalLine()
    {
        LedgerEvent e = closed(opened(QStringLiteral("hold_x"), 42, 7), LedgerEvent::Kind::HoldCharged, 1, 41, 9);
        e.reason = QStringLiteral("tab\there, newline\nthere, back\\slash, ünïcödé");
        e.projectId = QStringLiteral("prj_1");
        const QByteArray line = e.encode();
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        const auto back = LedgerEvent::decode(line.chopped(1));
        QVERIFY(back);
        QCOMPARE(back->encode(), line);
        QCOMPARE(back->reason, e.reason);
        QCOMPARE(back->charge(), qint64(42));
        // Every UTF-8 length, a carriage return, a negative number; a lone
        // surrogate comes back as U+FFFD, as QString::toUtf8 writes it.
        LedgerEvent wide = e;
        wide.reason = QStringLiteral("\u00e9 \u4e2d\u6587 \U0001F600\r!");
        wide.model = QStringLiteral("m") + QChar(0xd800) + QStringLiteral("x");
        wide.expired = -5;
        const QByteArray wideLine = wide.encode();
        QVERIFY(wideLine.contains(QStringLiteral("\u00e9 \u4e2d\u6587 \U0001F600\\r!").toUtf8()));
        const auto wideBack = LedgerEvent::decode(wideLine.chopped(1));
        QVERIFY(wideBack);
        QCOMPARE(wideBack->reason, wide.reason);
        QCOMPARE(wideBack->model, QStringLiteral("m\ufffdx"));
        QCOMPARE(wideBack->expired, qint64(-5));
        QVERIFY(!LedgerEvent::decode("O\tnot enough fields"));
        QVERIFY(!LedgerEvent::decode(QByteArray(line).replace("\t42\t", "\tforty-two\t").chopped(1)));
        QVERIFY(!LedgerEvent::decode(QByteArray(line).replace(0, 1, "Z").chopped(1)));
    }

    void applyingTwiceChangesNothing()
    {
        const auto events = story();
        auto s = session();
        s->begin();
        LedgerEventBook::apply(*s, events);
        s->commit();
        const Snapshot once = snapshot(*s);
        // 10 + 3 (allowance) - 1.5 - 2.5 = 9 credits; hold_d still open.
        QCOMPARE(once.balance, qint64(9'000'000));
        QCOMPARE(once.postingSum, once.balance);
        QCOMPARE(once.held, qint64(500'000));
        QCOMPARE(once.openHoldSum, once.held);
        QCOMPARE(once.subscriptionRemaining, qint64(0));
        QCOMPARE(once.holds, 4);
        QCOMPARE(once.postings, 1 + 1 + 1 + 2); // initial grant, allowance, charge a, charge b in two parts

        // Replayed whole, and again event by event (a journal replayed after
        // a crash that came before, between or after the batches).
        s->begin();
        LedgerEventBook::apply(*s, events);
        s->commit();
        QCOMPARE(snapshot(*s), once);
        for (const LedgerEvent &e : events) {
            s->begin();
            LedgerEventBook::apply(*s, {e});
            s->commit();
        }
        QCOMPARE(snapshot(*s), once);
    }

    void batchesAndSingleEventsAgree()
    {
        const auto events = story();
        auto s = session();
        for (const LedgerEvent &e : events) {
            s->begin();
            LedgerEventBook::apply(*s, {e});
            s->commit();
        }
        const Snapshot single = snapshot(*s);
        QCOMPARE(single.postingSum, single.balance);
        QCOMPARE(single.openHoldSum, single.held);
        QCOMPARE(single.balance, qint64(9'000'000));
    }

    // An opened hold moves no money, so its line waits for the next write;
    // the charge that closes it is never on disk without it.
    void anOpenedHoldReachesTheFileWithTheNextWrite()
    {
        QTemporaryDir dir;
        LedgerJournal journal(dir.path());
        QString error;
        QVERIFY2(journal.open(&error), qPrintable(error));
        QFile file(QDir(dir.path()).filePath(QStringLiteral("ledger-0000000001.journal")));
        LedgerEvent x = opened(QStringLiteral("hold_x"), 10, 1);
        QVERIFY2(journal.append(x, &error), qPrintable(error));
        QCOMPARE(QFileInfo(file.fileName()).size(), qint64(0));
        LedgerEvent y = opened(QStringLiteral("hold_y"), 20, 2);
        QVERIFY2(journal.append(y, &error), qPrintable(error));
        LedgerEvent closeY = closed(y, LedgerEvent::Kind::HoldCharged, 0, 20, 3);
        QVERIFY2(journal.append(closeY, &error), qPrintable(error));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 4); // three lines and what follows the last newline
        QVERIFY(lines.at(0).startsWith("O\thold_x\t"));
        QVERIFY(lines.at(1).startsWith("O\thold_y\t"));
        QVERIFY(lines.at(2).startsWith("C\thold_y\t"));
        // Every event counts towards its segment until the database has it.
        QCOMPARE(x.segment, journal.currentSegment());
        QCOMPARE(closeY.segment, journal.currentSegment());
    }

    // Under steady load some open is always waiting when a close is written;
    // segments must rotate anyway, each open landing in the segment it was
    // counted in.
    void segmentsRotateWhileOpensWait()
    {
        QTemporaryDir dir;
        LedgerJournal journal(dir.path(), 2000);
        QString error;
        QVERIFY2(journal.open(&error), qPrintable(error));
        std::vector<LedgerEvent> appended;
        std::vector<LedgerEvent> opens;
        for (int i = 0; i < 200; ++i) {
            // Each call's close is written while the next call's open waits.
            LedgerEvent o = opened(QStringLiteral("hold_%1").arg(i), 10, i);
            QVERIFY2(journal.append(o, &error), qPrintable(error));
            appended.push_back(o);
            opens.push_back(o);
            if (i == 0)
                continue;
            LedgerEvent c = closed(opens[size_t(i - 1)], LedgerEvent::Kind::HoldReleased, 0, 0, i);
            QVERIFY2(journal.append(c, &error), qPrintable(error));
            appended.push_back(c);
        }
        QVERIFY2(journal.segmentFiles() > 5, qPrintable(QString::number(journal.segmentFiles())));
        int damaged = 0;
        const std::vector<LedgerEvent> lines = journal.readLeftovers(&damaged, &error);
        QCOMPARE(damaged, 0);
        QCOMPARE(lines.size(), appended.size()); // the last close carried the last open
        QSet<QString> openedSoFar;
        for (const LedgerEvent &e : lines) {
            if (e.kind == LedgerEvent::Kind::HoldOpened)
                openedSoFar.insert(e.holdId);
            else
                QVERIFY2(openedSoFar.contains(e.holdId), qPrintable(e.holdId)); // never a close before its open
        }
        // Once the database has everything, only the current segment is left.
        journal.committed(appended);
        QCOMPARE(journal.segmentFiles(), size_t(1));
    }

    void recoveryReplaysTheJournalAndReleasesWhatWasOpen()
    {
        QTemporaryDir dir;
        {
            // A previous run's journal: its batches never reached the database.
            LedgerJournal journal(dir.path());
            QString error;
            QVERIFY2(journal.open(&error), qPrintable(error));
            for (LedgerEvent e : story())
                QVERIFY2(journal.append(e, &error), qPrintable(error));
            QFile torn(QDir(dir.path()).filePath(QStringLiteral("ledger-0000000001.journal")));
            QVERIFY(torn.open(QIODevice::Append));
            torn.write("C\thold_d\tusr_1\tcut short by the cr"); // the last write of a killed process
        }
        Store store(m_db->parsed(), 1);
        LocalLedger ledger(store, kOwner, dir.path());
        QString error;
        QCOMPARE(ledger.recover(&error), 1); // hold_d was still open: released
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto o = store.readAndWait<Snapshot>([](SqlSession &s) { return snapshot(s); });
        QVERIFY(o.ok());
        QCOMPARE(o.value().balance, qint64(9'000'000));
        QCOMPARE(o.value().postingSum, o.value().balance);
        QCOMPARE(o.value().held, qint64(0));
        QCOMPARE(o.value().openHoldSum, qint64(0));
        // Only this run's (empty) segment is left.
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.journal")}, QDir::Files).size(), 1);
    }

    void decidesInMemoryAndTheDatabaseFollows()
    {
        QTemporaryDir dir;
        Store store(m_db->parsed(), 1);
        LocalLedger ledger(store, kOwner, dir.path());
        QString error;
        QCOMPARE(ledger.recover(&error), 0);
        QObject context;

        HoldRequest r;
        r.userId = kUser;
        r.amount = 4'000'000;
        std::vector<Outcome<HoldRecord>> holds;
        for (int i = 0; i < 3; ++i)
            ledger.openHold(r, &context, [&holds](Outcome<HoldRecord> o) { holds.push_back(std::move(o)); });
        QTRY_COMPARE(int(holds.size()), 3); // the first ones wait for the account to load
        int granted = 0;
        int refused = 0;
        for (const auto &h : holds) {
            if (h.ok())
                ++granted;
            else if (h.error().kind() == ServiceError::Kind::PaymentRequired)
                ++refused;
        }
        QCOMPARE(granted, 2);
        QCOMPARE(refused, 1);
        QCOMPARE(ledger.balanceOf(kUser)->held, qint64(8'000'000));

        std::optional<SettleResult> settled;
        SettleRequest charge;
        charge.charge = 5'000'000; // more than held: charged anyway
        QString first;
        QString second;
        for (const auto &h : holds) {
            if (h.ok())
                (first.isEmpty() ? first : second) = h.value().id;
        }
        ledger.settle(first, charge, &context, [&settled](Outcome<SettleResult> o) { settled = o.value(); });
        QVERIFY(settled);
        QCOMPARE(settled->overage, qint64(1'000'000));
        QCOMPARE(ledger.overages(), quint64(1));
        ledger.release(second);
        bool missing = false;
        ledger.settle(second, charge, &context, [&missing](Outcome<SettleResult> o) { missing = !o.ok(); });
        QVERIFY(missing); // closed once: a second close is refused, not charged

        // An operator's grant reaches the memory in the database's order.
        {
            auto posted = store.writeAndWait<qint64>([](SqlSession &s) {
                LedgerPosting grant;
                grant.userId = kUser;
                grant.type = QStringLiteral("grant");
                grant.amount = 2'000'000;
                grant.createdAtMs = 2;
                return LedgerBook::post(s, grant, false).posting.amount;
            });
            QVERIFY(posted.ok());
            ledger.grantCommitted(kUser, posted.value());
        }
        QCOMPARE(ledger.balanceOf(kUser)->balance, qint64(7'000'000));

        ledger.flush();
        auto o = store.writeAndWait<Snapshot>([](SqlSession &s) { return snapshot(s); });
        QVERIFY(o.ok());
        QCOMPARE(o.value().balance, qint64(7'000'000));
        QCOMPARE(o.value().postingSum, o.value().balance);
        QCOMPARE(o.value().held, qint64(0));
        QCOMPARE(o.value().openHoldSum, qint64(0));
        QCOMPARE(o.value().holds, 2);
        QCOMPARE(ledger.backlog(), size_t(0));
    }

    void concurrentCallsNeverOverspend()
    {
        QTemporaryDir dir;
        Store store(m_db->parsed(), 1);
        LocalLedger ledger(store, kOwner, dir.path());
        QString error;
        QCOMPARE(ledger.recover(&error), 0);
        QObject context;
        // Load the account once, then hammer it from several threads.
        HoldRequest r;
        r.userId = kUser;
        r.amount = 100'000;
        bool loaded = false;
        ledger.openHold(r, &context, [&](Outcome<HoldRecord> o) {
            loaded = true;
            ledger.release(o.value().id);
        });
        QTRY_VERIFY(loaded);
        std::atomic<int> charged{0};
        std::atomic<int> refused{0};
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([&] {
                for (int i = 0; i < 100; ++i) {
                    ledger.openHold(r, nullptr, [&](Outcome<HoldRecord> o) {
                        if (!o.ok()) {
                            ++refused;
                            return;
                        }
                        SettleRequest s;
                        s.charge = i % 2 ? 100'000 : 0; // some calls cost nothing
                        ledger.settle(o.value().id, s, nullptr, [&](Outcome<SettleResult> settled) {
                            if (settled.ok() && settled.value().charged > 0)
                                ++charged;
                        });
                    });
                }
            }));
            threads.back()->start();
        }
        for (auto &t : threads)
            QVERIFY(t->wait(30000));
        // 10 credits at 0.1 per charged call: exactly 100 charged, none beyond.
        QCOMPARE(charged.load(), 100);
        QVERIFY(refused.load() > 0);
        QCOMPARE(ledger.balanceOf(kUser)->balance, qint64(0));
        QCOMPARE(ledger.balanceOf(kUser)->held, qint64(0));
        ledger.flush();
        auto o = store.writeAndWait<Snapshot>([](SqlSession &s) { return snapshot(s); });
        QVERIFY(o.ok());
        QCOMPARE(o.value().balance, qint64(0));
        QCOMPARE(o.value().postingSum, qint64(0));
        QCOMPARE(o.value().held, qint64(0));
        QCOMPARE(o.value().postings, 101);
    }
};

QTEST_GUILESS_MAIN(TestLocalLedger)
#include "tst_localledger.moc"
