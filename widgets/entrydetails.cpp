#include "widgets/entrydetails.h"

#include "items/moduletreemodel.h"
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
    if (event->type() == QEvent::FontChange)
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
    QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    code.setPointSizeF(font().pointSizeF());
    code.setBold(true);
    const QString path = elideLongWords(path_, QFontMetrics(code), room);
    const QString explanation = elideLongWords(explanation_, fontMetrics(), room);
    const QString values = elideLongWords(values_, fontMetrics(), room);
    const QString verdict =
        verdict_.isEmpty() ? QString()
                           : QStringLiteral(" <span style='color:%1'>%2</span>")
                                 .arg(inStateDict_ ? QStringLiteral("#2e8b3e") : QStringLiteral("#b03a2e"),
                                      verdict_);
    setText(QStringLiteral("<b><code>%1</code></b>%2<br>%3%4")
                .arg(path.toHtmlEscaped(), verdict, explanation.toHtmlEscaped(),
                     values.isEmpty() ? QString()
                                      : QStringLiteral("<br><span style='color:#555'>%1</span>")
                                            .arg(values.toHtmlEscaped())));
    const bool elided = path != path_ || explanation != explanation_ || values != values_;
    setToolTip(elided ? wrapLongWordsForToolTip(path_ + QLatin1Char(' ') + verdict_ + QLatin1Char('\n') +
                                               explanation_ + QLatin1Char('\n') + values_)
                      : QString());
}

}  // namespace mx
