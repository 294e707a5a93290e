#include "masterkey.h"

#include "keyderivation.h"
#include "securerandom.h"

#include <QStringBuilder>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gw {

namespace {

const QByteArray kSalt = QByteArrayLiteral("gatewayd master key v1");

} // namespace

MasterKey::MasterKey(const QByteArray &raw)
    : m_secretKey(KeyDerivation::hkdfSha256(raw, kSalt, QByteArrayLiteral("channel secret encryption"), 32))
    , m_hashKey(KeyDerivation::hkdfSha256(raw, kSalt, QByteArrayLiteral("token hashing"), 32))
    , m_check(KeyDerivation::hkdfSha256(raw, kSalt, QByteArrayLiteral("key check"), 16).toHex())
{
}

MasterKey MasterKey::fromBytes(const QByteArray &key)
{
    return MasterKey(key);
}

std::optional<MasterKey> MasterKey::loadOrCreate(const QString &path, bool create, QString *error)
{
    const QByteArray nativePath = QFile::encodeName(path);
    if (!QFileInfo::exists(path)) {
        if (!create) {
            *error = QStringLiteral("master key file %1 does not exist").arg(path);
            return std::nullopt;
        }
        const QByteArray raw = SecureRandom::bytes(32);
        const int fd = ::open(nativePath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            *error = QStringLiteral("cannot create master key file %1: %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            return std::nullopt;
        }
        const QByteArray text = raw.toHex() + '\n';
        const bool written = ::write(fd, text.constData(), size_t(text.size())) == text.size() && ::fsync(fd) == 0;
        ::close(fd);
        if (!written) {
            *error = QStringLiteral("cannot write master key file %1").arg(path);
            ::unlink(nativePath.constData());
            return std::nullopt;
        }
        return MasterKey(raw);
    }
    struct stat st {};
    if (::stat(nativePath.constData(), &st) == 0 && (st.st_mode & 077) != 0) {
        *error = QStringLiteral("master key file %1 is readable by other users (mode %2); chmod 600 it")
                     .arg(path)
                     .arg(st.st_mode & 0777, 3, 8, QLatin1Char('0'));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read master key file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray text = file.readAll().trimmed();
    const QByteArray raw = QByteArray::fromHex(text);
    if (text.size() != 64 || raw.size() != 32 || raw.toHex() != text.toLower()) {
        *error = QStringLiteral("master key file %1 must hold 64 hex digits (32 bytes)").arg(path);
        return std::nullopt;
    }
    return MasterKey(raw);
}

} // namespace gw
