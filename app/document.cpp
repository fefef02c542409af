#include "app/document.h"

#include "core/examples.h"
#include "core/modulenode.h"
#include "items/forwardrunner.h"

namespace mx {

Document::Document(QObject* parent) : QObject(parent), forwardRunner_(new ForwardRunner(this)) {}

Document::~Document() { forwardRunner_->stopAndWait(); }

QVector<qint64> Document::defaultInputShape() const
{
    const ExampleInfo* info = findExample(exampleName_.toStdString());
    return info ? QVector<qint64>(info->inputShape.begin(), info->inputShape.end())
                : QVector<qint64>();
}

bool Document::openExample(const QString& name, QString* error)
{
    if (!findExample(name.toStdString())) {
        if (error)
            *error = tr("unknown example '%1'").arg(name);
        return false;
    }
    forwardRunner_->stopAndWait();  // a running forward holds the old model
    std::unique_ptr<ModuleNode> built = buildExample(name.toStdString());
    Q_EMIT aboutToReplaceModel();
    root_ = std::move(built);
    exampleName_ = name;
    Q_EMIT modelReplaced();
    return true;
}

}  // namespace mx
