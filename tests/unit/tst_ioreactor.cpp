#include "io/ioreactor.h"

#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace gw;

class TestIoReactor : public QObject
{
    Q_OBJECT

    struct Pair
    {
        int a = -1;
        int b = -1;
        Pair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, &a); }
        ~Pair()
        {
            ::close(a);
            ::close(b);
        }
    };

private Q_SLOTS:
    void reportsReadinessLikeANotifier()
    {
        IoReactor reactor;
        QVERIFY(reactor.isValid());
        Pair p;
        int reads = 0;
        int writes = 0;
        QVERIFY(reactor.watch(p.a, IoReactor::Read, [&](uint32_t ready) {
            if (ready & IoReactor::Read) {
                ++reads;
                char buf[16];
                while (::read(p.a, buf, sizeof buf) > 0) {
                }
            }
            if (ready & IoReactor::Write)
                ++writes;
        }));
        QTest::qWait(20);
        QCOMPARE(reads, 0); // nothing to read yet
        QCOMPARE(::write(p.b, "x", 1), ssize_t(1));
        QTRY_COMPARE(reads, 1);
        QTest::qWait(20);
        QCOMPARE(reads, 1); // drained: level-triggered, not repeated
        reactor.setInterest(p.a, IoReactor::Write);
        QTRY_VERIFY(writes > 0); // a socket with room is writable
        reactor.setInterest(p.a, IoReactor::None);
        const int writesSoFar = writes;
        QTest::qWait(20);
        QCOMPARE(writes, writesSoFar);
        QCOMPARE(reactor.interest(p.a), uint32_t(IoReactor::None));
    }

    void aHandlerMayForgetItselfAndOthers()
    {
        IoReactor reactor;
        Pair first;
        Pair second;
        int firstCalls = 0;
        int secondCalls = 0;
        // Both become readable in the same round; the first handler forgets
        // both descriptors, so the second must not run with a stale entry.
        QVERIFY(reactor.watch(first.a, IoReactor::Read, [&](uint32_t) {
            ++firstCalls;
            reactor.unwatch(first.a);
            reactor.unwatch(second.a);
        }));
        QVERIFY(reactor.watch(second.a, IoReactor::Read, [&](uint32_t) {
            ++secondCalls;
            reactor.unwatch(second.a);
            reactor.unwatch(first.a);
        }));
        QCOMPARE(::write(first.b, "x", 1), ssize_t(1));
        QCOMPARE(::write(second.b, "x", 1), ssize_t(1));
        QTRY_COMPARE(firstCalls + secondCalls, 1);
        QTest::qWait(30);
        QCOMPARE(firstCalls + secondCalls, 1);
        QCOMPARE(reactor.watched(), size_t(0));
    }

    void aHangUpReadsAsBoth()
    {
        IoReactor reactor;
        Pair p;
        uint32_t seen = 0;
        QVERIFY(reactor.watch(p.a, IoReactor::Read | IoReactor::Write, [&](uint32_t ready) {
            seen |= ready;
            if (ready & IoReactor::Read)
                reactor.unwatch(p.a);
        }));
        ::close(p.b);
        p.b = -1;
        QTRY_VERIFY(seen & IoReactor::Read);
    }

    void manyQuietSocketsDoNotDelayABusyOne()
    {
        IoReactor reactor;
        std::vector<std::unique_ptr<Pair>> quiet;
        for (int i = 0; i < 400; ++i) { // stays under a soft limit of 1024 descriptors
            quiet.push_back(std::make_unique<Pair>());
            QVERIFY(reactor.watch(quiet.back()->a, IoReactor::Read, [](uint32_t) {}));
        }
        QCOMPARE(reactor.watched(), size_t(400));
        Pair busy;
        int calls = 0;
        QVERIFY(reactor.watch(busy.a, IoReactor::Read, [&](uint32_t) {
            char c;
            while (::read(busy.a, &c, 1) > 0)
                ++calls;
        }));
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(::write(busy.b, "x", 1), ssize_t(1));
            QTRY_COMPARE(calls, i + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestIoReactor)
#include "tst_ioreactor.moc"
