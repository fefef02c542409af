#pragma once

#include <QObject>
#include <QPersistentModelIndex>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace mx {
class Document;

/**
 * The tree's edit actions (Add parameter…, Register buffer…, Set plain attribute…, Add
 * submodule…, Rename…, Delete). Each writes the Python statement PyTorch users would type,
 * validated as PyTorch would before it can run, and hands it to the console to run, so the
 * console's history shows the code for every click.
 */
class EditActions : public QObject {
    Q_OBJECT
public:
    using RunStatement = std::function<void(const QString& statement)>;

    EditActions(Document* document, QWidget* dialogParent, RunStatement run);

    QAction* addParameter() const { return addParameter_; }
    QAction* registerBuffer() const { return registerBuffer_; }
    QAction* setAttribute() const { return setAttribute_; }
    QAction* addSubmodule() const { return addSubmodule_; }
    QAction* rename() const { return rename_; }
    QAction* remove() const { return remove_; }
    void addTo(QMenu* menu) const;

    /** The tree row the actions act on (a ModuleTreeModel index). */
    void setCurrent(const QModelIndex& index);
    /** Disabled while a statement or forward runs (the model cannot be edited then). */
    void setEnabled(bool enabled);

    /** "model.conv1[0]" for the dotted path "conv1.0" ("model" for ""). */
    static QString pythonPath(const QString& dottedPath);
    /** `parent.name`, or getattr-style access when `name` is not an identifier. */
    static QString member(const QString& parentPath, const QString& name);

    /** The statements the actions would run (without dialogs), for tests and tooltips. */
    QString deleteStatement() const;
    QString renameStatement(const QString& newName) const;

private:
    QAction* make(const QString& text, const QString& tip, void (EditActions::*slot)());
    void runDialog(const QString& title, const QString& intro,
                   const std::function<void(class StatementDialog&)>& setup);
    void onAddParameter();
    void onRegisterBuffer();
    void onSetAttribute();
    void onAddSubmodule();
    void onRename();
    void onRemove();
    QString moduleExpr() const;  // the module the add actions target

    Document* document_;
    QWidget* dialogParent_;
    RunStatement run_;
    QPersistentModelIndex current_;
    bool enabled_ = true;
    QAction* addParameter_;
    QAction* registerBuffer_;
    QAction* setAttribute_;
    QAction* addSubmodule_;
    QAction* rename_;
    QAction* remove_;
};

}  // namespace mx
