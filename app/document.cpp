#include "app/document.h"

#include "core/examples.h"
#include "core/modulenode.h"

namespace mx {

Document::Document(QObject* parent) : QObject(parent) {}

Document::~Document() = default;

bool Document::openExample(const QString& name, QString* error)
{
    if (!findExample(name.toStdString())) {
        if (error)
            *error = tr("unknown example '%1'").arg(name);
        return false;
    }
    std::unique_ptr<ModuleNode> built = buildExample(name.toStdString());
    Q_EMIT aboutToReplaceModel();
    root_ = std::move(built);
    exampleName_ = name;
    Q_EMIT modelReplaced();
    return true;
}

}  // namespace mx
