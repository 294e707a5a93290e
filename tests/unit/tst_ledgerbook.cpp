#include "billing/ledgerbook.h"
#include "common/serviceerror.h"
#include "harness/testdatabase.h"
#include "store/migrator.h"
#include "store/sqlsession.h"

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
