#pragma once

#include <QObject>
#include <QString>
#include <QVector>

#include <memory>

namespace mx {
class ForwardRunner;
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
    /** For jobs that run the model (forward); views use root(). */
    ModuleNode* mutableRoot() { return root_.get(); }
    /** Runs forward passes of this document's model off the GUI thread. */
    ForwardRunner* forwardRunner() const { return forwardRunner_; }
    /** The example's input shape, e.g. 64x1x28x28 for Model A as the tutorial's comments say. */
    QVector<qint64> defaultInputShape() const;
    const QString& exampleName() const { return exampleName_; }

Q_SIGNALS:
    /** The model is about to be replaced: views must drop their pointers into it. */
    void aboutToReplaceModel();
    void modelReplaced();

private:
    ForwardRunner* forwardRunner_;
    std::unique_ptr<ModuleNode> root_;
    QString exampleName_;
};

}  // namespace mx
