#include "dataurl.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace gw {

bool DataUrl::isDataUrl(const QString &url)
{
    return url.startsWith("data:"_L1, Qt::CaseInsensitive);
}

std::optional<DataUrl> DataUrl::parse(const QString &url)
{
    if (!isDataUrl(url))
        return std::nullopt;
    const qsizetype comma = url.indexOf(u',');
    if (comma < 0)
        return std::nullopt;
    const QStringList params = QStringView(url).sliced(5, comma - 5).toString().split(u';');
    if (params.size() < 2 || params.last().compare("base64"_L1, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    DataUrl out;
    out.mediaType = params.first().trimmed().toLower();
    out.base64 = QStringView(url).sliced(comma + 1).trimmed().toLatin1();
    if (out.mediaType.isEmpty() || out.base64.isEmpty())
        return std::nullopt;
    return out;
}

QString DataUrl::make(const QString &mediaType, const QByteArray &base64)
{
    return "data:"_L1 + mediaType + ";base64,"_L1 + QLatin1String(base64);
}

} // namespace gw
