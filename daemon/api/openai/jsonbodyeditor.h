#pragma once

#include "jsonobjectlayout.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringList>
#include <QStringView>
#include <QVarLengthArray>

#include <optional>

namespace gw {

// Edits the top-level members of a JSON object in place: everything it was
// not asked to touch (numbers, key order, whitespace, unknown members) is
// copied byte for byte. Edits are recorded first and applied together by
// result(), so their order among different keys does not matter; for one key
// the last edit wins. An edited key appears once in the result: setting a
// duplicated key replaces its last occurrence and drops the others, so
// parsers that keep the first and those that keep the last read the same.
//
// `body` (and `layout`, from OpenAiRequestView::layout or
// JsonObjectLayout::scan of the same bytes) must outlive the editor.
class JsonBodyEditor
{
public:
    JsonBodyEditor(QByteArrayView body, const JsonObjectLayout &layout);
    // Scans `body` itself (values skipped, not validated: for bodies the
    // inspector has already checked). When it is not a JSON object, every
    // edit is ignored and result() is the body as it was.
    explicit JsonBodyEditor(QByteArrayView body);
    JsonBodyEditor(const JsonBodyEditor &) = delete;
    JsonBodyEditor &operator=(const JsonBodyEditor &) = delete;

    bool isValid() const { return m_layout != nullptr; }

    void setString(QByteArrayView key, QStringView value);
    // `json` must be one valid JSON value; it is inserted as given.
    void setRaw(QByteArrayView key, QByteArrayView json);
    void remove(QByteArrayView key);
    void remove(const QStringList &keys);
    // Makes stream_options.include_usage true, keeping stream_options' other
    // members; adds stream_options when absent or null. False (and nothing
    // recorded) when stream_options is not an object.
    bool requestStreamUsage();

    bool hasEdits() const { return !m_ops.isEmpty(); }
    QByteArray result() const;

    // A JSON string literal, quotes included.
    static QByteArray quote(QStringView text);
    static QByteArray quoteUtf8(QByteArrayView utf8);

private:
    struct Op
    {
        QByteArray key;
        QByteArray json;
        bool remove = false;
    };

    QByteArrayView m_body;
    std::optional<JsonObjectLayout> m_ownLayout;
    const JsonObjectLayout *m_layout = nullptr;
    QVarLengthArray<Op, 4> m_ops;
};

} // namespace gw
