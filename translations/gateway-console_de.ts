<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>gw::console::ChannelListModel</name>
    <message>
        <location filename="../console-app/channellistmodel.cpp" line="+73"/>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set</source>
        <translation>Gesetzt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Channel id: %1</source>
        <translation>Kanal-ID: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An upstream secret is stored for this channel.</source>
        <translation>Für diesen Kanal ist ein Upstream-Geheimnis hinterlegt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No upstream secret is stored for this channel.</source>
        <translation>Für diesen Kanal ist kein Upstream-Geheimnis hinterlegt.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Types</source>
        <translation>Typen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
</context>
<context>
    <name>gw::console::ChannelsController</name>
    <message>
        <location filename="../console-app/channelscontroller.cpp" line="+65"/>
        <source>Unreadable channel entries skipped: %1 — %2</source>
        <translation>Unlesbare Kanaleinträge übersprungen: %1 — %2</translation>
    </message>
</context>
<context>
    <name>gw::console::ChannelsPage</name>
    <message>
        <location filename="../console-app/channelspage.cpp" line="+24"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Filter by name, provider, URL or type</source>
        <translation>Nach Name, Anbieter, URL oder Typ filtern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load the channel list from the daemon again (F5)</source>
        <translation>Kanalliste erneut vom Daemon laden (F5)</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Could not load the channels. %1</source>
        <translation>Die Kanäle konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Loading channels…</source>
        <translation>Kanäle werden geladen …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not loaded yet</source>
        <translation>Noch nicht geladen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channels: %1</source>
        <translation>Kanäle: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Showing %1 of %2 channels</source>
        <translation>%1 von %2 Kanälen angezeigt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 · updated %2</source>
        <translation>%1 · aktualisiert %2</translation>
    </message>
</context>
<context>
    <name>gw::console::CommandLineOptions</name>
    <message>
        <location filename="../console-app/commandlineoptions.cpp" line="+28"/>
        <source>The daemon&apos;s address, e.g. http://127.0.0.1:8080.</source>
        <translation>Adresse des Daemons, z. B. http://127.0.0.1:8080.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The admin token (or set %1).</source>
        <translation>Das Admin-Token (oder %1 setzen).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The user interface language, e.g. de.</source>
        <translation>Sprache der Benutzeroberfläche, z. B. de.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shows this help.</source>
        <translation>Zeigt diese Hilfe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows the version.</source>
        <translation>Zeigt die Version.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Operator console of the AI API gateway.</source>
        <translation>Betriebskonsole des KI-API-Gateways.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Unexpected argument: %1</source>
        <translation>Unerwartetes Argument: %1</translation>
    </message>
</context>
<context>
    <name>gw::console::ConnectionBar</name>
    <message>
        <location filename="../console-app/connectionbar.cpp" line="+15"/>
        <source>Remember token</source>
        <translation>Token merken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address of the gateway daemon; the admin API is under /admin/v1.</source>
        <translation>Adresse des Gateway-Daemons; die Admin-API liegt unter /admin/v1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Admin token</source>
        <translation>Admin-Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent as &quot;Authorization: Bearer …&quot;; it can also come from GATEWAY_ADMIN_TOKEN.</source>
        <translation>Wird als „Authorization: Bearer …“ gesendet; kann auch aus GATEWAY_ADMIN_TOKEN kommen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Store the token in the settings file (readable only by you).</source>
        <translation>Token in der Einstellungsdatei speichern (nur für Sie lesbar).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Daemon:</source>
        <translation>&amp;Daemon:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
</context>
<context>
    <name>gw::console::ConnectionController</name>
    <message>
        <location filename="../console-app/connectioncontroller.cpp" line="+41"/>
        <source>enter the daemon&apos;s address, such as http://127.0.0.1:8080</source>
        <translation>Adresse des Daemons eingeben, z. B. http://127.0.0.1:8080</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>enter an admin token</source>
        <translation>Admin-Token eingeben</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection to %1 failed — %2</source>
        <translation>Verbindung zu %1 fehlgeschlagen — %2</translation>
    </message>
</context>
<context>
    <name>gw::console::CursorPager</name>
    <message>
        <location filename="../console-app/cursorpager.cpp" line="+64"/>
        <source>the daemon&apos;s answer is not a list</source>
        <translation>die Antwort des Daemons ist keine Liste</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>the daemon&apos;s list does not end (page %1)</source>
        <translation>die Liste des Daemons endet nicht (Seite %1)</translation>
    </message>
</context>
<context>
    <name>gw::console::MainWindow</name>
    <message>
        <location filename="../console-app/mainwindow.cpp" line="+39"/>
        <source>Gateway Console</source>
        <translation>Gateway-Konsole</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not available in this version yet</source>
        <translation>In dieser Version noch nicht verfügbar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Areas</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not save the connection settings to %1</source>
        <translation>Die Verbindungseinstellungen konnten nicht in %1 gespeichert werden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usage</source>
        <translation>Verbrauch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gallery</source>
        <translation>Galerie</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Gateway Console</source>
        <translation>Ü&amp;ber Gateway-Konsole</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>About Gateway Console</source>
        <translation>Über Gateway-Konsole</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Gateway Console %1&lt;/h3&gt;&lt;p&gt;Operator console of the AI API gateway. It talks to gatewayd over the admin API.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Gateway-Konsole %1&lt;/h3&gt;&lt;p&gt;Betriebskonsole des KI-API-Gateways. Sie spricht über die Admin-API mit gatewayd.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>gw::console::RequestError</name>
    <message>
        <location filename="../console-app/requesterror.cpp" line="+22"/>
        <source>Cannot reach the daemon</source>
        <translation>Daemon nicht erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot reach the daemon: %1</source>
        <translation>Daemon nicht erreichbar: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../console-app/main.cpp" line="+43"/>
        <source>gateway-console: no translation for &quot;%1&quot;; using English.</source>
        <translation>gateway-console: keine Übersetzung für „%1“; Englisch wird verwendet.</translation>
    </message>
</context>
</TS>
