#include "access/tokenformat.h"
#include "common/idgenerator.h"
#include "crypto/keyderivation.h"
#include "crypto/keyedhasher.h"
#include "crypto/masterkey.h"
#include "crypto/secretbox.h"
#include "crypto/secretresolver.h"
#include "crypto/securerandom.h"
#include "observability/redaction.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <thread>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace gw;

class TestCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Entity ids: prefix, 8 time digits, 4 sequence digits, 8 random
    // characters; unique and in creation order, across threads too.
    void idsAreUniqueOrderedAndWellFormed()
    {
        const QRegularExpression shape(QStringLiteral("^hold_[0-9A-Za-z]{20}$"));
        QStringList ids;
        for (int i = 0; i < 5000; ++i)
            ids << IdGenerator::make("hold");
        for (const QString &id : ids)
            QVERIFY2(shape.match(id).hasMatch(), qPrintable(id));
        QStringList sorted = ids;
        sorted.sort();
        QCOMPARE(sorted, ids);
        QStringList other;
        std::thread t([&other] {
            for (int i = 0; i < 5000; ++i)
                other << IdGenerator::make("hold");
        });
        t.join();
        QSet<QString> all(ids.cbegin(), ids.cend());
        all.unite(QSet<QString>(other.cbegin(), other.cend()));
        QCOMPARE(all.size(), 10000);
        // The random tails differ: two threads do not share one pool state.
        QVERIFY(ids.last().right(8) != other.last().right(8));
    }

    void hkdfMatchesRfc5869()
    {
        // RFC 5869, A.1 (test case 1).
        const QByteArray ikm(22, char(0x0b));
        const QByteArray salt = QByteArray::fromHex("000102030405060708090a0b0c");
        const QByteArray info = QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9");
        QCOMPARE(KeyDerivation::hkdfSha256(ikm, salt, info, 42).toHex(),
                 QByteArray("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
    }

    void hmacMatchesRfc4231()
    {
        // RFC 4231, test case 2.
        KeyedHasher hasher(QByteArray("Jefe"));
        QCOMPARE(hasher.hashHex("what do ya want for nothing?"),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // RFC 4231 case 6: a key longer than a block is hashed first.
        KeyedHasher longKey(QByteArray(131, '\xaa'));
        QCOMPARE(longKey.hashHex("Test Using Larger Than Block-Size Key - Hash Key First"),
                 QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
        // RFC 4231 case 2 again, hashed from another thread and after a copy.
        const KeyedHasher copy(hasher);
        QByteArray fromThread;
        std::thread([&] { fromThread = copy.hashHex("what do ya want for nothing?"); }).join();
        QCOMPARE(fromThread, QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // Every length around the block boundaries agrees with OpenSSL's one-shot HMAC.
        const QByteArray key = SecureRandom::bytes(32);
        const KeyedHasher keyed(key);
        for (int n = 0; n <= 200; ++n) {
            const QByteArray data = SecureRandom::bytes(n);
            unsigned char mac[32];
            unsigned int macLen = 0;
            HMAC(EVP_sha256(), key.constData(), int(key.size()), reinterpret_cast<const unsigned char *>(data.constData()),
                 size_t(data.size()), mac, &macLen);
            QCOMPARE(keyed.hashHex(data), QByteArray(reinterpret_cast<const char *>(mac), int(macLen)).toHex());
        }
        QVERIFY(KeyedHasher::constantTimeEquals("abc", "abc"));
        QVERIFY(!KeyedHasher::constantTimeEquals("abc", "abd"));
        QVERIFY(!KeyedHasher::constantTimeEquals("abc", "abcd"));
    }

    void secretBoxRoundTripsAndRejectsTampering()
    {
        SecretBox box(SecureRandom::bytes(32));
        const QByteArray sealed = box.seal("sk-upstream-secret", "channel-secret:ch_1");
        QVERIFY(sealed.startsWith("v1:"));
        QVERIFY(!sealed.contains("upstream"));
        QCOMPARE(*box.open(sealed, "channel-secret:ch_1"), QByteArray("sk-upstream-secret"));
        // Another owner, another key, or one flipped bit: nothing comes out.
        QVERIFY(!box.open(sealed, "channel-secret:ch_2"));
        QVERIFY(!SecretBox(SecureRandom::bytes(32)).open(sealed, "channel-secret:ch_1"));
        QByteArray raw = QByteArray::fromBase64(sealed.mid(3));
        raw[raw.size() / 2] = char(raw[raw.size() / 2] ^ 1);
        QVERIFY(!box.open("v1:" + raw.toBase64(), "channel-secret:ch_1"));
        QVERIFY(!box.open("garbage", "channel-secret:ch_1"));
        // Two seals of the same secret differ (random nonce).
        QVERIFY(box.seal("x", "a") != box.seal("x", "a"));
    }

    void masterKeyIsCreatedPrivateAndReloadsTheSame()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("master.key"));
        QString error;
        const auto created = MasterKey::loadOrCreate(path, true, &error);
        QVERIFY2(created, qPrintable(error));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        const auto loaded = MasterKey::loadOrCreate(path, false, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->checkValue(), created->checkValue());
        QCOMPARE(loaded->secretEncryptionKey(), created->secretEncryptionKey());
        QVERIFY(created->secretEncryptionKey() != created->tokenHashingKey());

        QVERIFY(!MasterKey::loadOrCreate(dir.filePath(QStringLiteral("absent.key")), false, &error));
        ::chmod(QFile::encodeName(path).constData(), 0644);
        QVERIFY(!MasterKey::loadOrCreate(path, false, &error));
        QVERIFY(error.contains(QStringLiteral("chmod 600")));
    }

    void apiKeysHaveTheAdvertisedShape()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 200; ++i) {
            const QByteArray key = TokenFormat::newApiKey();
            QVERIFY(key.startsWith("sk-"));
            QCOMPARE(key.size(), 3 + TokenFormat::kApiKeyRandomChars);
            for (char c : key.mid(3))
                QVERIFY((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
            QVERIFY(!seen.contains(key));
            seen.insert(key);
            QCOMPARE(TokenFormat::displayPrefix(key), key.left(9));
        }
        const QByteArray admin = TokenFormat::newAdminToken();
        QVERIFY(admin.startsWith("gwa_"));
        QCOMPARE(TokenFormat::displayPrefix(admin).size(), 4 + TokenFormat::kPrefixRandomChars);
    }

    void base62IsRoughlyUniform()
    {
        const QByteArray sample = SecureRandom::base62(62 * 400);
        QHash<char, int> counts;
        for (char c : sample)
            ++counts[c];
        QCOMPARE(counts.size(), 62);
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            QVERIFY2(it.value() > 250 && it.value() < 560, qPrintable(QStringLiteral("%1: %2").arg(QChar::fromLatin1(it.key())).arg(it.value())));
    }

    void secretReferencesResolve()
    {
        QString error;
        qputenv("GW_TEST_SECRET", "from-env");
        QCOMPARE(*SecretResolver::resolve(QStringLiteral("env:GW_TEST_SECRET"), &error), QByteArray("from-env"));
        QVERIFY(!SecretResolver::resolve(QStringLiteral("env:GW_TEST_SECRET_ABSENT"), &error));
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("s")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from-file\n");
        f.close();
        QCOMPARE(*SecretResolver::resolve(QStringLiteral("file:") + f.fileName(), &error), QByteArray("from-file"));
        QVERIFY(!SecretResolver::resolve(QStringLiteral("file:/nonexistent/x"), &error));
    }

    void redactionMasksEveryCredentialShape()
    {
        const QByteArray key = TokenFormat::newApiKey();
        const QByteArray token = TokenFormat::newAdminToken();
        const QByteArray text = "key " + key + " token " + token + " header Authorization: Bearer abc.def-ghi url /x?key=AIzaSyABC&alt=sse";
        const QByteArray out = Redaction::redactText(text);
        QVERIFY(!out.contains(key.mid(3)));
        QVERIFY(!out.contains(token.mid(4)));
        QVERIFY(!out.contains("abc.def-ghi"));
        QVERIFY(!out.contains("AIzaSyABC"));
        QVERIFY(out.contains("alt=sse"));
        QCOMPARE(Redaction::redactUrl("/v1beta/models/m:generateContent?alt=sse&key=SECRETSECRET"),
                 QByteArray("/v1beta/models/m:generateContent?alt=sse&key=***"));
        QCOMPARE(Redaction::redactUrl("/p?API_KEY=x1&a=b"), QByteArray("/p?API_KEY=***&a=b"));
        QCOMPARE(Redaction::redactText(QByteArray("nothing to see")), QByteArray("nothing to see"));
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
