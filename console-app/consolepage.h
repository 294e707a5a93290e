#pragma once

#include <QWidget>

namespace gw::console {

// One operator area in the main window (Channels now; Models, Users, Usage,
// Tasks, Statistics and Gallery later). The window only knows this
// interface, so a new page is one addPage() call.
class ConsolePage : public QWidget
{
    Q_OBJECT

public:
    explicit ConsolePage(QWidget *parent = nullptr);

    // Loads the page's data again from the daemon; called when the
    // connection changes and the page is (or becomes) visible, and on F5.
    virtual void reload() = 0;
    // Forgets what the page shows; called when the console switches to
    // another daemon, whose data must not appear under the old one's.
    virtual void reset() = 0;
};

} // namespace gw::console
