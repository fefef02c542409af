#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace mx {
class ModuleNode;

/** The open model and the example it came from; views hear about replacements through signals. */
class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /** Replaces the model with a freshly built example. False (model kept) for an unknown name. */
    bool openExample(const QString& name, QString* error = nullptr);
    const ModuleNode* root() const { return root_.get(); }
    const QString& exampleName() const { return exampleName_; }

Q_SIGNALS:
    /** The model is about to be replaced: views must drop their pointers into it. */
    void aboutToReplaceModel();
    void modelReplaced();

private:
    std::unique_ptr<ModuleNode> root_;
    QString exampleName_;
};

}  // namespace mx
