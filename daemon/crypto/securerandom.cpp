#include "securerandom.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace gw {

QByteArray SecureRandom::bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        throw std::runtime_error("the system random number generator failed");
    return out;
}

QByteArray SecureRandom::base62(int count)
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray out;
    out.reserve(count);
    while (out.size() < count) {
        const QByteArray pool = bytes(count * 2);
        for (char c : pool) {
            const auto v = static_cast<unsigned char>(c);
            if (v >= 248) // 248 = 4 * 62: values above would favour the first letters
                continue;
            out.append(alphabet[v % 62]);
            if (out.size() == count)
                break;
        }
    }
    return out;
}

} // namespace gw
