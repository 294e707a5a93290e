#include "consolepage.h"

namespace gw::console {

ConsolePage::ConsolePage(QWidget *parent)
    : QWidget(parent)
{
}

} // namespace gw::console
