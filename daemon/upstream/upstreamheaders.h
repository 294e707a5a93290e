#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace gw {

// Header fields in order, as name/value pairs; a name may repeat.
using UpstreamHeaders = QList<QPair<QByteArray, QByteArray>>;

} // namespace gw
