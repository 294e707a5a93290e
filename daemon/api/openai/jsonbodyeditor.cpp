#include "jsonbodyeditor.h"

#include <QString>

namespace gw {

namespace {

enum class Action : quint8 { Keep, Remove, Replace };

struct Edit
{
    qsizetype begin;
    qsizetype end;
    QByteArrayView text;  // a replacement the editor's ops own
    QByteArray owned;     // or text assembled here
};

} // namespace

JsonBodyEditor::JsonBodyEditor(QByteArrayView body, const JsonObjectLayout &layout)
    : m_body(body), m_layout(&layout)
{
}

JsonBodyEditor::JsonBodyEditor(QByteArrayView body)
    : m_body(body), m_ownLayout(JsonObjectLayout::scan(body, false))
{
    if (m_ownLayout)
        m_layout = &*m_ownLayout;
}

void JsonBodyEditor::setString(QByteArrayView key, QStringView value)
{
    m_ops.append(Op{key.toByteArray(), quote(value), false});
}

void JsonBodyEditor::setRaw(QByteArrayView key, QByteArrayView json)
{
    m_ops.append(Op{key.toByteArray(), json.toByteArray(), false});
}

void JsonBodyEditor::remove(QByteArrayView key)
{
    m_ops.append(Op{key.toByteArray(), QByteArray(), true});
}

void JsonBodyEditor::remove(const QStringList &keys)
{
    for (const QString &key : keys)
        remove(key.toUtf8());
}

bool JsonBodyEditor::requestStreamUsage()
{
    static constexpr QByteArrayView fresh = "{\"include_usage\":true}";
    if (!m_layout)
        return false;
    const int index = m_layout->lastIndexOf(m_body, "stream_options");
    if (index < 0) {
        setRaw("stream_options", fresh);
        return true;
    }
    const QByteArrayView current = m_layout->rawValue(m_body, index);
    if (current == "null") {
        setRaw("stream_options", fresh);
        return true;
    }
    if (!current.startsWith('{'))
        return false;
    // The same surgery one level down, so that whatever else the caller put
    // in stream_options reaches the upstream untouched.
    const std::optional<JsonObjectLayout> inner = JsonObjectLayout::scan(current, false);
    if (!inner)
        return false;
    JsonBodyEditor innerEditor(current, *inner);
    innerEditor.setRaw("include_usage", "true");
    setRaw("stream_options", innerEditor.result());
    return true;
}

QByteArray JsonBodyEditor::result() const
{
    if (!m_layout || m_ops.isEmpty())
        return m_body.toByteArray();
    const auto &members = m_layout->members;
    const qsizetype n = members.size();
    QVarLengthArray<Action, 32> actions;
    QVarLengthArray<const Op *, 32> replacements;
    for (qsizetype i = 0; i < n; ++i) {
        actions.append(Action::Keep);
        replacements.append(nullptr);
    }
    QVarLengthArray<const Op *, 4> inserts;

    for (const Op &op : m_ops) {
        for (qsizetype i = 0; i < inserts.size(); ++i) {
            if (inserts[i]->key == op.key) {
                inserts.remove(i);
                break;
            }
        }
        int last = -1;
        for (int i = 0; i < n; ++i) {
            if (!m_layout->keyEquals(m_body, i, op.key))
                continue;
            actions[i] = Action::Remove;
            last = i;
        }
        if (op.remove)
            continue;
        if (last >= 0) {
            actions[last] = Action::Replace;
            replacements[last] = &op;
        } else {
            inserts.append(&op);
        }
    }

    qsizetype lastKept = -1;
    for (qsizetype i = 0; i < n; ++i) {
        if (actions[i] != Action::Remove)
            lastKept = i;
    }

    QVarLengthArray<Edit, 8> edits;
    qsizetype growth = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto &m = members[i];
        if (actions[i] == Action::Replace) {
            edits.append(Edit{m.valueBegin, m.valueEnd, replacements[i]->json, {}});
            growth += replacements[i]->json.size();
        } else if (actions[i] == Action::Remove && i < lastKept) {
            // The member and the separator after it: the next key keeps its
            // own indentation.
            edits.append(Edit{m.keyBegin, members[i + 1].keyBegin, {}, {}});
        }
    }

    QByteArray inserted;
    for (const Op *op : inserts) {
        if (!inserted.isEmpty())
            inserted += ',';
        inserted += quoteUtf8(op->key);
        inserted += ':';
        inserted += op->json;
    }
    growth += inserted.size() + 1;
    if (lastKept >= 0) {
        // Members removed after the last kept one go with the comma before
        // them; new members follow the last kept one.
        const qsizetype at = members[lastKept].valueEnd;
        const qsizetype end = lastKept < n - 1 ? members[n - 1].valueEnd : at;
        if (end > at || !inserted.isEmpty()) {
            QByteArray text;
            if (!inserted.isEmpty()) {
                text.reserve(inserted.size() + 1);
                text += ',';
                text += inserted;
            }
            edits.append(Edit{at, end, {}, std::move(text)});
        }
    } else if (n > 0) {
        edits.append(Edit{members[0].keyBegin, members[n - 1].valueEnd, {}, inserted});
    } else if (!inserted.isEmpty()) {
        const qsizetype at = m_layout->openBrace + 1;
        edits.append(Edit{at, at, {}, inserted});
    }

    QByteArray out;
    out.reserve(m_body.size() + growth);
    qsizetype from = 0;
    for (const Edit &edit : edits) {
        out.append(m_body.sliced(from, edit.begin - from));
        out.append(edit.owned.isNull() ? edit.text : QByteArrayView(edit.owned));
        from = edit.end;
    }
    out.append(m_body.sliced(from));
    return out;
}

QByteArray JsonBodyEditor::quote(QStringView text)
{
    return quoteUtf8(text.toUtf8());
}

QByteArray JsonBodyEditor::quoteUtf8(QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (uchar(c) < 0x20) {
                out += "\\u00";
                out += hex[uchar(c) >> 4];
                out += hex[uchar(c) & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

} // namespace gw
