#include "app/editactions.h"

#include "app/document.h"
#include "core/modulenode.h"
#include "items/moduletreemodel.h"
#include "widgets/statementdialog.h"

#include <QAction>
#include <QMenu>
#include <QRegularExpression>

namespace mx {

namespace {

bool isIdentifier(const QString& name)
{
    static const QRegularExpression id(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return id.match(name).hasMatch();
}

QString quoted(const QString& s)
{
    QString escaped = s;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

bool isModuleRow(const QModelIndex& index)
{
    return index.data(ModuleTreeModel::EntryKindRole).toInt() < 0;
}

QString parentPath(const QString& dotted)
{
    const int dot = dotted.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : dotted.left(dot);
}

QString leafName(const QString& dotted) { return dotted.mid(dotted.lastIndexOf(QLatin1Char('.')) + 1); }

}  // namespace

EditActions::EditActions(Document* document, QWidget* dialogParent, RunStatement run)
    : QObject(dialogParent), document_(document), dialogParent_(dialogParent), run_(std::move(run))
{
    addParameter_ = make(tr("Add &Parameter…"), tr("register_parameter on the selected module"),
                         &EditActions::onAddParameter);
    registerBuffer_ = make(tr("Register &Buffer…"), tr("register_buffer on the selected module"),
                           &EditActions::onRegisterBuffer);
    setAttribute_ = make(tr("Set Plain &Attribute…"),
                         tr("Assign a plain attribute (module.name = value)"),
                         &EditActions::onSetAttribute);
    addSubmodule_ = make(tr("Add &Submodule…"), tr("add_module on the selected module"),
                         &EditActions::onAddSubmodule);
    rename_ = make(tr("&Rename…"), tr("Register under a new name, then del the old one"),
                   &EditActions::onRename);
    remove_ = make(tr("&Delete"), tr("del module.name"), &EditActions::onRemove);
    remove_->setShortcut(QKeySequence::Delete);
    setCurrent({});
}

QAction* EditActions::make(const QString& text, const QString& tip, void (EditActions::*slot)())
{
    auto* a = new QAction(text, this);
    a->setToolTip(tip);
    a->setStatusTip(tip);
    connect(a, &QAction::triggered, this, slot);
    return a;
}

void EditActions::addTo(QMenu* menu) const
{
    menu->addAction(addParameter_);
    menu->addAction(registerBuffer_);
    menu->addAction(setAttribute_);
    menu->addAction(addSubmodule_);
    menu->addSeparator();
    menu->addAction(rename_);
    menu->addAction(remove_);
}

QString EditActions::pythonPath(const QString& dottedPath)
{
    QString expr = QStringLiteral("model");
    if (dottedPath.isEmpty())
        return expr;
    for (const QString& part : dottedPath.split(QLatin1Char('.')))
        expr += part.front().isDigit() && part.toInt() >= 0 && QString::number(part.toInt()) == part
                    ? QLatin1Char('[') + part + QLatin1Char(']')
                    : QLatin1Char('.') + part;
    return expr;
}

QString EditActions::member(const QString& parentExpr, const QString& name)
{
    return isIdentifier(name) ? parentExpr + QLatin1Char('.') + name
                              : QStringLiteral("getattr(%1, %2)").arg(parentExpr, quoted(name));
}

void EditActions::setCurrent(const QModelIndex& index)
{
    current_ = index.siblingAtColumn(0);
    const bool valid = current_.isValid() && enabled_;
    for (QAction* a : {addParameter_, registerBuffer_, setAttribute_, addSubmodule_})
        a->setEnabled(valid);
    const bool isRoot = valid && current_.data(ModuleTreeModel::PathRole).toString().isEmpty();
    remove_->setEnabled(valid && !isRoot);
    rename_->setEnabled(valid && !isRoot);
}

void EditActions::setEnabled(bool enabled)
{
    enabled_ = enabled;
    setCurrent(current_);
}

QString EditActions::moduleExpr() const
{
    const QString path = current_.data(ModuleTreeModel::PathRole).toString();
    return pythonPath(isModuleRow(current_) ? path : parentPath(path));
}

QString EditActions::deleteStatement() const
{
    const QString path = current_.data(ModuleTreeModel::PathRole).toString();
    const QString name = leafName(path);
    const QString parent = pythonPath(parentPath(path));
    return isIdentifier(name) ? QStringLiteral("del %1.%2").arg(parent, name)
                              : QStringLiteral("delattr(%1, %2)").arg(parent, quoted(name));
}

QString EditActions::renameStatement(const QString& newName) const
{
    const QString path = current_.data(ModuleTreeModel::PathRole).toString();
    const QString old = leafName(path);
    const QString m = pythonPath(parentPath(path));
    const QString value = member(m, old);
    QString first;
    if (isModuleRow(current_))  // shared under both names for a moment, then the old one goes
        return QStringLiteral("%1.add_module(%2, %3)\n").arg(m, quoted(newName), value) + deleteStatement();
    switch (static_cast<EntryKind>(current_.data(ModuleTreeModel::EntryKindRole).toInt())) {
    case EntryKind::Parameter:
        first = QStringLiteral("%1.register_parameter(%2, %3)").arg(m, quoted(newName), value);
        break;
    case EntryKind::Buffer:
        first = QStringLiteral("%1.register_buffer(%2, %3)").arg(m, quoted(newName), value);
        break;
    case EntryKind::NonPersistentBuffer:
        first = QStringLiteral("%1.register_buffer(%2, %3, persistent=False)")
                    .arg(m, quoted(newName), value);
        break;
    case EntryKind::Attribute:
        first = isIdentifier(newName) ? QStringLiteral("%1.%2 = %3").arg(m, newName, value)
                                      : QStringLiteral("setattr(%1, %2, %3)").arg(m, quoted(newName), value);
        break;
    }
    return first + QLatin1Char('\n') + deleteStatement();
}

void EditActions::runDialog(const QString& title, const QString& intro,
                            const std::function<void(StatementDialog&)>& setup)
{
    StatementDialog dialog(title, intro, dialogParent_);
    setup(dialog);
    dialog.setValidator([this](const QString& s, std::function<void(const QString&)> done) {
        document_->checkStatement(s, std::move(done));
    });
    if (dialog.exec() == QDialog::Accepted)
        run_(dialog.statement());
}

void EditActions::onAddParameter()
{
    const QString m = moduleExpr();
    runDialog(tr("Add parameter"),
              tr("A parameter is registered: it is in state_dict(), parameters() and "
                 "named_parameters(), and an optimizer trains it."),
              [m](StatementDialog& d) {
                  d.addLine(QStringLiteral("name"), tr("Name"), QStringLiteral("weight2"));
                  d.addLine(QStringLiteral("value"), tr("Initial value"), QStringLiteral("torch.randn(3, 4)"));
                  d.addCheck(QStringLiteral("grad"), QStringLiteral("requires_grad"), true);
                  d.setBuilder([m](const StatementDialog& f) {
                      if (f.text(QStringLiteral("value")).isEmpty())
                          return QString();
                      const QString grad = f.isChecked(QStringLiteral("grad"))
                                               ? QString()
                                               : QStringLiteral(", requires_grad=False");
                      return QStringLiteral("%1.register_parameter(%2, nn.Parameter(%3%4))")
                          .arg(m, quoted(f.text(QStringLiteral("name"))),
                               f.text(QStringLiteral("value")), grad);
                  });
              });
}

void EditActions::onRegisterBuffer()
{
    const QString m = moduleExpr();
    runDialog(tr("Register buffer"),
              tr("A buffer is state that is not trained (like BatchNorm's running_mean). "
                 "Persistent buffers are in state_dict(); non-persistent ones only in buffers()."),
              [m](StatementDialog& d) {
                  d.addLine(QStringLiteral("name"), tr("Name"), QStringLiteral("register_buffer_out"));
                  d.addLine(QStringLiteral("value"), tr("Tensor"), QStringLiteral("torch.randn(15, 15)"));
                  d.addCheck(QStringLiteral("persistent"), tr("persistent (saved in state_dict)"), true);
                  d.setBuilder([m](const StatementDialog& f) {
                      if (f.text(QStringLiteral("value")).isEmpty())
                          return QString();
                      const QString persistent = f.isChecked(QStringLiteral("persistent"))
                                                     ? QString()
                                                     : QStringLiteral(", persistent=False");
                      return QStringLiteral("%1.register_buffer(%2, %3%4)")
                          .arg(m, quoted(f.text(QStringLiteral("name"))),
                               f.text(QStringLiteral("value")), persistent);
                  });
              });
}

void EditActions::onSetAttribute()
{
    const QString m = moduleExpr();
    runDialog(tr("Set plain attribute"),
              tr("A plain attribute is not registered: a tensor assigned this way is not a "
                 "buffer, so state_dict(), buffers() and .to() ignore it."),
              [m](StatementDialog& d) {
                  d.addLine(QStringLiteral("name"), tr("Name"), QStringLiteral("attribute_buffer_out"));
                  d.addLine(QStringLiteral("value"), tr("Value"), QStringLiteral("torch.randn(10, 10)"));
                  d.setBuilder([m](const StatementDialog& f) {
                      const QString name = f.text(QStringLiteral("name"));
                      const QString value = f.text(QStringLiteral("value"));
                      if (value.isEmpty())
                          return QString();
                      return isIdentifier(name)
                                 ? QStringLiteral("%1.%2 = %3").arg(m, name, value)
                                 : QStringLiteral("setattr(%1, %2, %3)").arg(m, quoted(name), value);
                  });
              });
}

void EditActions::onAddSubmodule()
{
    const QString m = moduleExpr();
    runDialog(tr("Add submodule"),
              tr("A submodule's parameters and buffers join state_dict() under its name as a "
                 "prefix. A module already in the model (model.conv1) is shared: one module "
                 "under both names."),
              [m](StatementDialog& d) {
                  d.addLine(QStringLiteral("name"), tr("Name"), QStringLiteral("head"));
                  d.addLine(QStringLiteral("module"), tr("Module"), QStringLiteral("nn.Linear(10, 2)"));
                  d.setBuilder([m](const StatementDialog& f) {
                      if (f.text(QStringLiteral("module")).isEmpty())
                          return QString();
                      return QStringLiteral("%1.add_module(%2, %3)")
                          .arg(m, quoted(f.text(QStringLiteral("name"))), f.text(QStringLiteral("module")));
                  });
              });
}

void EditActions::onRename()
{
    const QString old = leafName(current_.data(ModuleTreeModel::PathRole).toString());
    runDialog(tr("Rename %1").arg(old),
              tr("Python has no rename: this registers the same tensor or module under the new "
                 "name (at the end of its section, as PyTorch would) and deletes the old name."),
              [this, old](StatementDialog& d) {
                  d.addLine(QStringLiteral("name"), tr("New name"), old + QStringLiteral("_renamed"));
                  d.setBuilder([this](const StatementDialog& f) {
                      return renameStatement(f.text(QStringLiteral("name")));
                  });
              });
}

void EditActions::onRemove() { run_(deleteStatement()); }

}  // namespace mx
