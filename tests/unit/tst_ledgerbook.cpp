#include "billing/holdbook.h"
#include "billing/ledgerbook.h"
#include "common/serviceerror.h"
#include "harness/testdatabase.h"
#include "store/migrator.h"
#include "store/sqlsession.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTest>

using namespace gw;
using gw::test::TestDatabase;

class TestLedgerBook : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SqlSession> m_s;

    LedgerPosting draft(const QString &type, qint64 amount, const QString &idem = {})
    {
        LedgerPosting p;
        p.userId = QStringLiteral("usr_1");
        p.type = type;
        p.amount = amount;
        p.idempotencyKey = idem;
        p.createdAtMs = 1700000000000;
        return p;
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
        m_s.reset();
        m_db = std::make_unique<TestDatabase>(dialect);
        QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
        m_s = std::make_unique<SqlSession>(m_db->parsed(), QStringLiteral("ledger"));
        Migrator::migrate(*m_s);
        m_s->exec(QStringLiteral("INSERT INTO users (id, email, name, status, created_at, updated_at) VALUES ('usr_1', 'u@x', '', 'active', 0, 0)"));
        LedgerBook::openAccount(*m_s, QStringLiteral("usr_1"), 0);
    }

    void cleanup()
    {
        m_s.reset();
        m_db.reset();
    }

    // monthOf keeps its last answer for the month it names: each edge of a
    // month, and going back in time, must still give the right month.
    void monthOfNamesTheUtcMonthAtEveryEdge()
    {
        const auto at = [](int y, int m, int d, int h, int min, int sec, int msec) {
            return QDateTime(QDate(y, m, d), QTime(h, min, sec, msec), Qt::UTC).toMSecsSinceEpoch();
        };
        QCOMPARE(HoldBook::monthOf(at(2026, 1, 31, 23, 59, 59, 999)), QStringLiteral("2026-01"));
        QCOMPARE(HoldBook::monthOf(at(2026, 2, 1, 0, 0, 0, 0)), QStringLiteral("2026-02"));
        QCOMPARE(HoldBook::monthOf(at(2026, 1, 31, 23, 59, 59, 999)), QStringLiteral("2026-01"));
        QCOMPARE(HoldBook::monthOf(at(2026, 1, 1, 0, 0, 0, 0)), QStringLiteral("2026-01"));
        QCOMPARE(HoldBook::monthOf(at(2025, 12, 31, 23, 59, 59, 999)), QStringLiteral("2025-12"));
        QCOMPARE(HoldBook::monthOf(at(2028, 2, 29, 12, 0, 0, 0)), QStringLiteral("2028-02"));
        QCOMPARE(HoldBook::monthOf(at(2028, 3, 1, 0, 0, 0, 0)), QStringLiteral("2028-03"));
        QCOMPARE(HoldBook::monthOf(0), QStringLiteral("1970-01"));
        QCOMPARE(HoldBook::monthOf(-1), QStringLiteral("1969-12"));
    }

    void postingsCarryTheRunningBalance()
    {
        const auto a = LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 10'000'000), false);
        const auto b = LedgerBook::post(*m_s, draft(QStringLiteral("adjustment"), -2'500'000), false);
        QCOMPARE(a.posting.balanceAfter, qint64(10'000'000));
        QCOMPARE(b.posting.balanceAfter, qint64(7'500'000));
        QVERIFY(b.posting.id > a.posting.id);
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(7'500'000));
        const auto page = LedgerBook::list(*m_s, QStringLiteral("usr_1"), QString(), 10);
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(page.items.first().id, b.posting.id); // newest first
    }

    void refusesToGoBelowZero()
    {
        LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 1'000'000), false);
        try {
            LedgerBook::post(*m_s, draft(QStringLiteral("adjustment"), -1'000'001), false);
            QFAIL("an adjustment below zero was accepted");
        } catch (const ServiceError &e) {
            QCOMPARE(e.kind(), ServiceError::Kind::Invalid);
            QCOMPARE(e.field(), QStringLiteral("amount"));
        }
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(1'000'000));
        // A charge may go below zero when allowed (the overage of a settled call).
        const auto charge = LedgerBook::post(*m_s, draft(QStringLiteral("charge"), -1'500'000), true);
        QCOMPARE(charge.posting.balanceAfter, qint64(-500'000));
    }

    void idempotencyKeysPostOnce()
    {
        const auto first = LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 5'000'000, QStringLiteral("k1")), false);
        const auto again = LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 5'000'000, QStringLiteral("k1")), false);
        QVERIFY(!first.replayed);
        QVERIFY(again.replayed);
        QCOMPARE(again.posting.id, first.posting.id);
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(5'000'000));
        QVERIFY_THROWS_EXCEPTION(ServiceError, LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 6'000'000, QStringLiteral("k1")), false));
    }

    void holdsReserveSettleAndRelease()
    {
        LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 10'000'000), false);
        HoldRequest r;
        r.userId = QStringLiteral("usr_1");
        r.amount = 4'000'000;
        const HoldRecord a = HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), 1000);
        const HoldRecord b = HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), 1000);
        AccountBalance bal = LedgerBook::balance(*m_s, QStringLiteral("usr_1"));
        QCOMPARE(bal.held, qint64(8'000'000));
        QCOMPARE(bal.available(), qint64(2'000'000));
        // A third would overdraw what is available: refused, nothing changes.
        try {
            HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), 1000);
            QFAIL("a hold beyond the available credits was opened");
        } catch (const ServiceError &e) {
            QCOMPARE(e.kind(), ServiceError::Kind::PaymentRequired);
        }
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).held, qint64(8'000'000));

        SettleRequest charge;
        charge.charge = 1'500'000;
        const SettleResult settled = HoldBook::settle(*m_s, a.id, charge, 2000);
        QCOMPARE(settled.charged, qint64(1'500'000));
        QCOMPARE(settled.overage, qint64(0));
        // Settling again posts nothing more.
        QVERIFY(HoldBook::settle(*m_s, a.id, charge, 2001).alreadyClosed);
        QVERIFY(HoldBook::release(*m_s, b.id, 2002));
        QVERIFY(!HoldBook::release(*m_s, b.id, 2003));
        bal = LedgerBook::balance(*m_s, QStringLiteral("usr_1"));
        QCOMPARE(bal.balance, qint64(8'500'000));
        QCOMPARE(bal.held, qint64(0));
        QCOMPARE(LedgerBook::sumOfPostings(*m_s, QStringLiteral("usr_1")), bal.balance);
    }

    void aChargeAboveTheHoldIsTakenAnyway()
    {
        LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 1'000'000), false);
        HoldRequest r;
        r.userId = QStringLiteral("usr_1");
        r.amount = 1'000'000;
        const HoldRecord h = HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), 1000);
        SettleRequest charge;
        charge.charge = 1'300'000;
        const SettleResult s = HoldBook::settle(*m_s, h.id, charge, 1001);
        QCOMPARE(s.overage, qint64(300'000));
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(-300'000));
        r.amount = 1;
        QVERIFY_THROWS_EXCEPTION(ServiceError, HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), 1002));
    }

    void aRestartReleasesOnlyItsOwnHolds()
    {
        LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 10'000'000), false);
        HoldRequest r;
        r.userId = QStringLiteral("usr_1");
        r.amount = 1'000'000;
        HoldBook::open(*m_s, r, QStringLiteral("gwd_dead"), 1000);
        HoldBook::open(*m_s, r, QStringLiteral("gwd_dead"), 1000);
        HoldBook::open(*m_s, r, QStringLiteral("gwd_alive"), 1000);
        QCOMPARE(HoldBook::releaseAllOf(*m_s, QStringLiteral("gwd_dead"), 2000), 2);
        QCOMPARE(HoldBook::openCount(*m_s), 1);
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).held, qint64(1'000'000));
    }

    void projectBudgetsCountHoldsAndCharges()
    {
        LedgerBook::post(*m_s, draft(QStringLiteral("grant"), 100'000'000), false);
        m_s->exec(QStringLiteral("INSERT INTO projects (id, user_id, name, monthly_budget, status, created_at, updated_at) "
                                 "VALUES ('prj_1', 'usr_1', 'p', 3000000, 'active', 0, 0)"));
        HoldRequest r;
        r.userId = QStringLiteral("usr_1");
        r.projectId = QStringLiteral("prj_1");
        r.projectBudget = 3'000'000;
        r.teamProject = true;
        r.amount = 2'000'000;
        const qint64 now = 1'700'000'000'000;
        const HoldRecord first = HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), now);
        // 2 held + 2 more > 3: refused, and (as in the writer, which runs each
        // job in a savepoint) the balance reservation is undone with it.
        m_s->begin();
        m_s->execRaw(QStringLiteral("SAVEPOINT t"));
        QVERIFY_THROWS_EXCEPTION(ServiceError, HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), now));
        m_s->finishAll();
        m_s->execRaw(QStringLiteral("ROLLBACK TO SAVEPOINT t"));
        m_s->commit();
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).held, qint64(2'000'000));
        SettleRequest charge;
        charge.charge = 500'000;
        HoldBook::settle(*m_s, first.id, charge, now + 1);
        r.amount = 2'500'000; // 0.5 charged + 2.5 = 3: fits exactly
        HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), now + 2);
        QSqlQuery &q = m_s->exec(QStringLiteral("SELECT paid_by FROM ledger_postings WHERE type = 'charge'"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("team"));
    }

    void subscriptionsRollOverMonthly()
    {
        const qint64 november = 1'763'000'000'000; // 2025-11-13
        const qint64 december = november + 30LL * 86'400'000;
        HoldBook::rollSubscription(*m_s, QStringLiteral("usr_1"), 5'000'000, november);
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(5'000'000));
        HoldBook::rollSubscription(*m_s, QStringLiteral("usr_1"), 5'000'000, november + 1000); // same month: nothing
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(5'000'000));
        HoldRequest r;
        r.userId = QStringLiteral("usr_1");
        r.amount = 2'000'000;
        r.monthlyAllowance = 5'000'000;
        const HoldRecord h = HoldBook::open(*m_s, r, QStringLiteral("gwd_a"), november + 2000);
        SettleRequest charge;
        charge.charge = 2'000'000;
        charge.monthlyAllowance = 5'000'000;
        HoldBook::settle(*m_s, h.id, charge, november + 3000);
        // A new month: the 3 left expire, 5 new are granted.
        HoldBook::rollSubscription(*m_s, QStringLiteral("usr_1"), 5'000'000, december);
        QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, qint64(5'000'000));
        QCOMPARE(LedgerBook::sumOfPostings(*m_s, QStringLiteral("usr_1")), qint64(5'000'000));
    }

    void balanceAlwaysEqualsTheSumOfPostings()
    {
        QRandomGenerator rng(42);
        for (int i = 0; i < 300; ++i) {
            const qint64 amount = qint64(rng.bounded(2'000'000)) - 900'000;
            try {
                LedgerBook::post(*m_s, draft(amount >= 0 ? QStringLiteral("grant") : QStringLiteral("adjustment"), amount == 0 ? 1 : amount), false);
            } catch (const ServiceError &) {
                // refused adjustments leave no trace
            }
            if (i % 50 == 0)
                QCOMPARE(LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance, LedgerBook::sumOfPostings(*m_s, QStringLiteral("usr_1")));
        }
        const qint64 balance = LedgerBook::balance(*m_s, QStringLiteral("usr_1")).balance;
        QCOMPARE(balance, LedgerBook::sumOfPostings(*m_s, QStringLiteral("usr_1")));
        QVERIFY(balance >= 0);
        // Paging walks every posting once.
        QString cursor;
        int seen = 0;
        do {
            const auto page = LedgerBook::list(*m_s, QStringLiteral("usr_1"), cursor, 37);
            seen += int(page.items.size());
            cursor = page.nextCursor;
        } while (!cursor.isEmpty());
        QSqlQuery &q = m_s->exec(QStringLiteral("SELECT COUNT(*) FROM ledger_postings"));
        QVERIFY(q.next());
        QCOMPARE(seen, q.value(0).toInt());
    }
};

QTEST_GUILESS_MAIN(TestLedgerBook)
#include "tst_ledgerbook.moc"
