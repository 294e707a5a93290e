#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gw {

// The one key a deployment keeps safe (--master-key-file, by default
// DATA/master.key). Two working keys are derived from it with HKDF: one
// encrypts channel secrets, one keys the hashes of API keys and admin tokens.
// The database stores a check value so that a daemon started with another
// key refuses to run instead of failing every lookup.
class MasterKey
{
public:
    // Reads the key file, or creates it (mode 0600, 32 random bytes as hex)
    // when it does not exist and `create` is true.
    static std::optional<MasterKey> loadOrCreate(const QString &path, bool create, QString *error);
    static MasterKey fromBytes(const QByteArray &key);

    QByteArray secretEncryptionKey() const { return m_secretKey; }
    QByteArray tokenHashingKey() const { return m_hashKey; }
    // A value derived from the key that reveals nothing about it.
    QByteArray checkValue() const { return m_check; }

private:
    explicit MasterKey(const QByteArray &raw);

    QByteArray m_secretKey;
    QByteArray m_hashKey;
    QByteArray m_check;
};

} // namespace gw
