#include "billing/pricecalculator.h"

#include <QTest>

using namespace gw;

class TestPricing : public QObject
{
    Q_OBJECT

    static ModelPricing prices(qint64 in, qint64 out)
    {
        ModelPricing p;
        p.inputPerMtok = in;
        p.outputPerMtok = out;
        return p;
    }

private Q_SLOTS:
    void tokensCostTheirExactPrice()
    {
        // 0.15 credits / Mtok in, 0.6 out: 1M in + 1M out = 0.75 credits.
        UsageQuantities u;
        u.inputTokens = 1'000'000;
        u.outputTokens = 1'000'000;
        QCOMPARE(PriceCalculator::cost(prices(150'000, 600'000), u), qint64(750'000));
    }

    void roundsUpOnceAtTheEnd()
    {
        // 10 input tokens at 0.15/Mtok = 1.5 micro; 10 output at 0.6 = 6 micro: 7.5 -> 8.
        UsageQuantities u;
        u.inputTokens = 10;
        u.outputTokens = 10;
        QCOMPARE(PriceCalculator::cost(prices(150'000, 600'000), u), qint64(8));
        // Rounding each part first would give 2 + 6 = 8 here but differ below:
        // 3 in (0.45 micro) + 3 out (1.8 micro) = 2.25 -> 3, where per-part rounding gives 1 + 2 = 3...
        u.inputTokens = 3;
        u.outputTokens = 3;
        QCOMPARE(PriceCalculator::cost(prices(150'000, 600'000), u), qint64(3));
        // ... and 1 in + 1 out at 0.4/Mtok each = 0.8 micro -> 1, where per-part rounding gives 2.
        u.inputTokens = 1;
        u.outputTokens = 1;
        QCOMPARE(PriceCalculator::cost(prices(400'000, 400'000), u), qint64(1));
        // An exact whole number is not rounded up.
        u.inputTokens = 5;
        u.outputTokens = 0;
        QCOMPARE(PriceCalculator::cost(prices(200'000, 0), u), qint64(1));
        // Nothing used, nothing charged.
        u.inputTokens = 0;
        u.requests = 0;
        QCOMPARE(PriceCalculator::cost(prices(200'000, 1), u), qint64(0));
    }

    void cachedReasoningAndFixedParts()
    {
        ModelPricing p = prices(1'000'000, 4'000'000);   // 1 and 4 credits / Mtok
        p.cacheReadPerMtok = 100'000;                      // 0.1
        p.cacheWritePerMtok = 1'250'000;                   // 1.25
        p.perRequest = 2'000;                              // 0.002 per call
        UsageQuantities u;
        u.inputTokens = 1000;       // 1000 micro
        u.cacheReadTokens = 10'000; // 1000 micro
        u.cacheWriteTokens = 800;   // 1000 micro
        u.outputTokens = 500;       // 2000 micro (reasoning counted in)
        QCOMPARE(PriceCalculator::cost(p, u), qint64(1000 + 1000 + 1000 + 2000 + 2000));
    }

    void imagesAndSeconds()
    {
        ModelPricing p;
        p.perImage = 40'000;   // 0.04 per image
        p.perSecond = 7'000;   // 0.007 per second
        UsageQuantities u;
        u.requests = 0;
        u.images = 3;
        QCOMPARE(PriceCalculator::cost(p, u), qint64(120'000));
        u.images = 0;
        u.mediaMilliseconds = 1500; // 1.5 s -> 10500 micro
        QCOMPARE(PriceCalculator::cost(p, u), qint64(10'500));
        u.mediaMilliseconds = 1;    // 7 micro
        QCOMPARE(PriceCalculator::cost(p, u), qint64(7));
        p.perSecond = 7;            // 0.000007 credits per second: 1 ms is 0.007 micro -> 1
        QCOMPARE(PriceCalculator::cost(p, u), qint64(1));
    }

    void hugeQuantitiesDoNotOverflow()
    {
        UsageQuantities u;
        u.inputTokens = std::numeric_limits<qint64>::max() / 2;
        u.outputTokens = std::numeric_limits<qint64>::max() / 2;
        const qint64 c = PriceCalculator::cost(prices(1'000'000'000'000LL, 1'000'000'000'000LL), u);
        QCOMPARE(c, std::numeric_limits<qint64>::max()); // saturates instead of wrapping
        QVERIFY(PriceCalculator::cost(prices(150'000, 600'000), UsageQuantities{-5, -1, -1, -7, -1, -1, -1}) == 0);
    }

    void estimateCoversTheOutputCap()
    {
        ModelPricing p = prices(150'000, 600'000);
        p.perRequest = 1'000;
        QCOMPARE(PriceCalculator::estimate(p, 1'000, 4'096), qint64(150 + 2458 + 1'000)); // 150 + 2457.6 -> 2608 + 1000
    }
};

QTEST_GUILESS_MAIN(TestPricing)
#include "tst_pricing.moc"
