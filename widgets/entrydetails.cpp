#include "widgets/entrydetails.h"

#include "items/moduletreemodel.h"
#include "widgets/consoleinput.h"
#include "widgets/elision.h"

#include <QFontDatabase>
#include <QResizeEvent>

namespace mx {

EntryDetails::EntryDetails(QWidget* parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("entryDetails"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setMargin(6);
    setMinimumHeight(fontMetrics().height() * 4 + 12);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // The layout decides the width; the text's widest word never does.
    QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    showEntry({});
}

void EntryDetails::showEntry(const QModelIndex& index)
{
    hasEntry_ = index.isValid();
    if (hasEntry_) {
        path_ = index.data(ModuleTreeModel::PathRole).toString();
        if (path_.isEmpty())
            path_ = QStringLiteral("model");
        const bool isModule = index.data(ModuleTreeModel::EntryKindRole).toInt() < 0;
        inStateDict_ = index.data(ModuleTreeModel::InStateDictRole).toBool();
        verdict_ = isModule ? QString() : inStateDict_ ? tr("✔ in state_dict") : tr("✘ not in state_dict");
        explanation_ = index.data(ModuleTreeModel::ExplanationRole).toString();
        values_ = isModule ? QString() : index.data(ModuleTreeModel::ValuePreviewRole).toString();
    }
    render();
}

void EntryDetails::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    if (contentsRect().width() != renderedWidth_)
        render();
}

void EntryDetails::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        // A zoom: room for four lines of the new font; three once the font is large (zoomed
        // far, the tree needs the height more than a steady details line does).
        const bool large = fontMetrics().height() > 24;
        setMinimumHeight(fontMetrics().height() * (large ? 2 : 4) + 12);
        const int most = fontMetrics().height() > 36 ? 2 : 3;
        setMaximumHeight(large ? fontMetrics().height() * most + 12 : QWIDGETSIZE_MAX);
    }
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        render();
}

void EntryDetails::render()
{
    renderedWidth_ = contentsRect().width();
    if (!hasEntry_) {
        setText(tr("Select an entry to see why it is, or is not, in <code>state_dict()</code>."));
        setToolTip(QString());
        return;
    }
    // Elide with some slack: rich text lays out a little differently from QFontMetrics.
    const int room = (renderedWidth_ - 2 * margin()) * 9 / 10;
    QFont code = codeFont().resolve(font());
    code.setBold(true);
    const QString path = elideLongWords(path_, QFontMetrics(code), room);
    const QString explanation = elideLongWords(explanation_, fontMetrics(), room);
    const QString values = elideLongWords(values_, fontMetrics(), room);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString verdict =
        verdict_.isEmpty() ? QString()
                           : QStringLiteral(" <span style='color:%1'>%2</span>")
                                 .arg(inStateDict_ ? (dark ? QStringLiteral("#7fd88f") : QStringLiteral("#2e8b3e"))
                                                   : (dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b03a2e")),
                                      verdict_);
    setText(QStringLiteral("<b><code>%1</code></b>%2<br>%3%4")
                .arg(path.toHtmlEscaped(), verdict, explanation.toHtmlEscaped(),
                     values.isEmpty() ? QString()
                                      : QStringLiteral("<br><span style='color:%1'>%2</span>")
                                            .arg(dark ? QStringLiteral("#b8b8b8") : QStringLiteral("#555555"),
                                                 values.toHtmlEscaped())));
    // Zoomed far, the line may be cut at three lines (maximumHeight): the tooltip has it all.
    const bool elided = path != path_ || explanation != explanation_ || values != values_ ||
                        maximumHeight() < QWIDGETSIZE_MAX;
    setToolTip(elided ? wrapLongWordsForToolTip(path_ + QLatin1Char(' ') + verdict_ + QLatin1Char('\n') +
                                               explanation_ + QLatin1Char('\n') + values_)
                      : QString());
}

}  // namespace mx
