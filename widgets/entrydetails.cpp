#include "widgets/entrydetails.h"

#include "items/moduletreemodel.h"

namespace mx {

EntryDetails::EntryDetails(QWidget* parent) : QLabel(parent)
{
    setObjectName(QStringLiteral("entryDetails"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setMargin(6);
    setMinimumHeight(fontMetrics().height() * 4 + 12);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    showEntry({});
}

void EntryDetails::showEntry(const QModelIndex& index)
{
    if (!index.isValid()) {
        setText(tr("Select an entry to see why it is, or is not, in <code>state_dict()</code>."));
        return;
    }
    QString path = index.data(ModuleTreeModel::PathRole).toString();
    if (path.isEmpty())
        path = QStringLiteral("model");
    const bool inStateDict = index.data(ModuleTreeModel::InStateDictRole).toBool();
    const bool isModule = index.data(ModuleTreeModel::EntryKindRole).toInt() < 0;
    QString verdict;
    if (!isModule)
        verdict = inStateDict ? tr(" <span style='color:#2e8b3e'>✔ in state_dict</span>")
                              : tr(" <span style='color:#b03a2e'>✘ not in state_dict</span>");
    const QString values = isModule ? QString()
                                    : QStringLiteral("<br><span style='color:#555'>%1</span>")
                                          .arg(index.data(ModuleTreeModel::ValuePreviewRole)
                                                   .toString()
                                                   .toHtmlEscaped());
    setText(QStringLiteral("<b><code>%1</code></b>%2<br>%3%4")
                .arg(path.toHtmlEscaped(), verdict,
                     index.data(ModuleTreeModel::ExplanationRole).toString().toHtmlEscaped(),
                     values));
}

}  // namespace mx
