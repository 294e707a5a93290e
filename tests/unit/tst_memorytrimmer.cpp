#include "app/memorytrimmer.h"

#include <QTest>

using namespace gw;

class TestMemoryTrimmer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // It trims once load has fallen to a quarter of its peak since the last
    // trim, then measures the next burst from there; small bursts are left be.
    void trimsOnceWhenABurstHasPassed()
    {
        qint64 load = 0;
        int trimmed = 0;
        MemoryTrimmer trimmer([&load] { return load; }, 60'000, nullptr, [&trimmed] { ++trimmed; });
        const auto at = [&](qint64 value) {
            load = value;
            trimmer.check();
            return trimmed;
        };
        QCOMPARE(at(10), 0);
        QCOMPARE(at(0), 0);     // a peak of 10: too small to matter
        QCOMPARE(at(1000), 0);
        QCOMPARE(at(400), 0);   // still more than a quarter of 1,000
        QCOMPARE(at(250), 1);
        QCOMPARE(at(250), 1);   // the peak starts again at 250
        QCOMPARE(at(60), 2);
        QCOMPARE(at(0), 2);     // a peak of 60: too small
        QCOMPARE(trimmer.trims(), 2);
    }

    // The real trim (malloc_trim) runs and returns.
    void theDefaultTrimRuns()
    {
        qint64 load = 5000;
        MemoryTrimmer trimmer([&load] { return load; }, 60'000);
        trimmer.check();
        std::vector<QByteArray> blocks;
        for (int i = 0; i < 2000; ++i)
            blocks.emplace_back(64 * 1024, 'x');
        blocks.clear();
        load = 0;
        trimmer.check();
        QCOMPARE(trimmer.trims(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMemoryTrimmer)
#include "tst_memorytrimmer.moc"
