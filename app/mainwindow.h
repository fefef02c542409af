#pragma once

#include <QMainWindow>

#include <functional>
#include <vector>

class QAction;
class QLabel;
class QUndoView;
class QModelIndex;

namespace mx {
class ConsoleController;
class ConsoleWidget;
class Document;
class EditActions;
class EntryDetails;
class ForwardPanel;
struct ForwardReport;
class ListingModel;
class ListingPanel;
class ModuleTreeModel;
class ModuleNode;
class ModuleTreeView;

/** The main window: wires the document's model to the tree, the listings and the details line. */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Document* document, QWidget* parent = nullptr);
    ~MainWindow() override;

    ModuleTreeView* treeView() const { return treeView_; }
    ListingPanel* listingPanel() const { return listingPanel_; }
    ModuleTreeModel* treeModel() const { return treeModel_; }
    ListingModel* listingModel(int tab) const { return listingModels_[tab]; }
    ForwardPanel* forwardPanel() const { return forwardPanel_; }
    ConsoleWidget* console() const { return console_; }
    EditActions* editActions() const { return editActions_; }
    /**
     * File → Export Session as Python… without the dialogs: writes atomically (a failed write
     * leaves the old file). False with "cannot write 'PATH': REASON" in `error` on failure.
     */
    bool exportSessionTo(const QString& path, QString* error = nullptr);
    /** Opens an example, first asking about unsaved edits (Save / Discard / Cancel). */
    void openExampleAsked(const QString& name);
    /** How unsaved edits are asked about (tests replace the dialog). Returns Save, Discard or
     *  Cancel. */
    using UnsavedPrompt = std::function<int()>;
    void setUnsavedPrompt(UnsavedPrompt prompt) { unsavedPrompt_ = std::move(prompt); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildEditing();  // console, history, edit actions (mainwindow_editing.cpp)
    void onModelEdited();
    void onBusyChanged(bool busy);
    /** Unsaved edits: asks; true when the model may be replaced (saved or discarded). */
    bool settleUnsavedEdits();
    bool exportSessionWithDialog();
    void updateSummary();
    void buildForwardDock();
    void showForwardReport(const ForwardReport& report);
    void showModel();
    void onTreeCurrentChanged(const QModelIndex& current);
    void onListingRowSelected(int tab, int row);
    void zoomBy(int steps);

    Document* document_;
    ModuleTreeModel* treeModel_;
    std::vector<ListingModel*> listingModels_;
    ModuleTreeView* treeView_;
    ListingPanel* listingPanel_;
    EntryDetails* details_;
    ForwardPanel* forwardPanel_;
    ConsoleWidget* console_ = nullptr;
    ConsoleController* consoleController_ = nullptr;
    EditActions* editActions_ = nullptr;
    UnsavedPrompt unsavedPrompt_;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    QUndoView* historyView_ = nullptr;
    QLabel* summary_;
    int basePointSize_ = 0;
    bool syncing_ = false;
};

}  // namespace mx
