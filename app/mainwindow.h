#pragma once

#include <QMainWindow>
#include <QPersistentModelIndex>

#include "core/tensorref.h"

#include <functional>
#include <vector>

class QAction;
class QDockWidget;
class QDragEnterEvent;
class QDropEvent;
class QImage;
class QMenu;
class QProgressDialog;
class QLabel;
class QUndoView;
class QModelIndex;

namespace mx {
class ConsoleController;
struct LoadOutcome;
class ConsoleWidget;
class Document;
class EditActions;
class EntryDetails;
class ForwardPanel;
class GraphModel;
class GraphPanel;
class InspectorPanel;
struct ForwardReport;
struct TrainReport;
class TrainPanel;
class TutorialPanel;
class TutorialPlayer;
class ListingModel;
class ListingPanel;
class ModuleTreeModel;
class ModuleNode;
class ModuleTreeView;
struct PreparedView;
struct ViewExportOptions;

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
    TrainPanel* trainPanel() const { return trainPanel_; }
    InspectorPanel* inspectorPanel() const { return inspectorPanel_; }
    GraphPanel* graphPanel() const { return graphPanel_; }
    ConsoleWidget* console() const { return console_; }
    EditActions* editActions() const { return editActions_; }
    /**
     * File → Export Session as Python… without the dialogs: writes atomically (a failed write
     * leaves the old file). False with "cannot write 'PATH': REASON" in `error` on failure.
     */
    bool exportSessionTo(const QString& path, QString* error = nullptr);
    /** Opens an example, first asking about unsaved edits (Save / Discard / Cancel). */
    void openExampleAsked(const QString& name);
    /** Opens a file off the GUI thread (progress and Cancel), first asking about unsaved edits;
     *  a failure is shown in a dialog and the open model stays. */
    void openFileAsked(const QString& path);
    /** The files opened lately, newest first (File → Open Recent). */
    QStringList recentFiles() const;
    /** How a load_state_dict report is shown (tests replace the dialog); returns true to load
     *  again with strict=False. */
    using LoadReporter = std::function<bool(const QString& path, const LoadOutcome& outcome)>;
    void setLoadReporter(LoadReporter reporter) { loadReporter_ = std::move(reporter); }
    /** How failures are shown (tests replace the dialog): title and one-line message. */
    using ErrorReporter = std::function<void(const QString&, const QString&)>;
    void setErrorReporter(ErrorReporter reporter) { errorReporter_ = std::move(reporter); }
    /** How unsaved edits are asked about (tests replace the dialog). Returns Save, Discard or
     *  Cancel. */
    using UnsavedPrompt = std::function<int()>;
    void setUnsavedPrompt(UnsavedPrompt prompt) { unsavedPrompt_ = std::move(prompt); }

    // --- export (mainwindow_export.cpp): public members for File → Export View… go here ---
    /** The views Export View… offers: "tree", the listings ("state_dict", "named_parameters",
     *  ...), "diff", "console", "latency", "plot" (while the Inspector shows one), "graph"
     *  (once the Graph dock has drawn one), "window". */
    QStringList exportableViews() const;
    /** What the Export View dialog shows for a view's name. */
    QString exportViewLabel(const QString& view) const;
    /** Exports the view named `view` to `path` (.png, .svg or .pdf; atomic: a failed write keeps
     *  the old file). False with one line in `error` (unknown view, size past the budget, ...). */
    bool exportViewTo(const QString& view, const QString& path, const ViewExportOptions& options,
                      QString* error = nullptr);
    /** The view as an image (Edit → Copy as Image); null with `error` on failure. */
    QImage exportViewImage(const QString& view, const ViewExportOptions& options, QString* error = nullptr);
    /** The view Copy as Image takes: the focused one, else "tree". */
    QString focusedViewName() const;
    /** Runs `source` as if typed in the console: the transcript and the diff show it. */
    void runInConsole(const QString& source);

    // --- filter (mainwindow_filter.cpp): public members go here ---
    /** The filter box over the tree and the listings (Edit → Find…). */
    class RowFilter* rowFilter() const { return rowFilter_; }

    // --- tutorial (mainwindow_tutorial.cpp): public members go here ---
    /** File → Tutorial…: shows the step-through dock and plays the tutorial from its start
     *  (asking about unsaved edits first), or where it was when the model is still its own. */
    void openTutorial();
    TutorialPanel* tutorialPanel() const { return tutorialPanel_; }
    TutorialPlayer* tutorialPlayer() const { return tutorialPlayer_; }

    // --- appearance (mainwindow_view.cpp): public members go here ---
    /** View → Zoom: steps from the desktop size (kMinZoomStep..kMaxZoomStep), remembered. */
    int zoomSteps() const { return zoomSteps_; }
    void setZoomSteps(int steps);
    /** View → Presentation (F11): ×1.5 on the zoom, high contrast, no toolbars or status bar. */
    bool isPresentation() const { return presentation_; }
    void setPresentation(bool on);
    /** The factor every font, row, badge and chart text of the window is scaled by. */
    double zoomScale() const;

    // --- language (mainwindow_language.cpp): public members go here ---

    // --- desktop (mainwindow_desktop.cpp): public members go here ---
    /** saveState()'s version for the remembered dock layout: bump it when the docks change so
     *  much that an older layout would mislead (restoreState() then refuses it, defaults stay). */
    static constexpr int kLayoutVersion = 1;

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;  // mainwindow_language.cpp
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildFileMenu(QMenu* file);  // mainwindow_files.cpp
    void openFileWithDialog();
    void loadStateDictWithDialog();
    void onLoadFinished(const QString& path, const LoadOutcome& outcome);
    bool saveAsWithDialog();
    bool saveToCurrentFile();
    void rememberRecentFile(const QString& path);
    void rebuildRecentMenu();
    void closeOpenProgress();
    void onFileOpenFailed(const QString& path, const QString& error, bool cancelled);
    void onSaveFinished(const QString& path, const QString& error);
    void reportError(const QString& title, const QString& message);
    void updateTitle();
    void buildEditing();  // console, history, edit actions (mainwindow_editing.cpp)
    void onModelEdited();
    void onBusyChanged(bool busy);
    /** Unsaved edits: asks; true when the model may be replaced (saved or discarded). */
    bool settleUnsavedEdits();
    bool exportSessionWithDialog();
    void updateSummary();
    void buildForwardDock();
    // The Graph dock (mainwindow_graph.cpp): the forward's dataflow graph.
    void buildGraphDock();
    /** The worker prepared the model's forward for the Graph dock (mainwindow_graph.cpp). */
    void graphForwardPrepared(bool sameModel);
    // The Train dock (mainwindow_training.cpp).
    void buildTrainDock();
    void showTrainReport(const TrainReport& report);
    void clearTrainingMarks();
    /** A movable, floatable, closable dock named `objectName` in the bottom area. */
    QDockWidget* addBottomDock(const QString& title, const QString& objectName, QWidget* widget);
    void showForwardReport(const ForwardReport& report);
    void showModel();
    void onTreeCurrentChanged(const QModelIndex& current);
    void onListingRowSelected(int tab, int row);
    // File → Export View…, Edit → Copy as Image (mainwindow_export.cpp).
    void buildExportActions(QMenu* file, QMenu* edit);
    // The filter box over the tree and listings, Edit → Find (mainwindow_filter.cpp).
    void buildFilter(QMenu* edit);
    // File → Tutorial… (mainwindow_tutorial.cpp).
    void buildTutorialAction(QMenu* file);
    // View → zoom, presentation mode, theme (mainwindow_view.cpp).
    void buildViewMenu(QMenu* view);
    // View → Language, and retranslating the window (mainwindow_language.cpp).
    void buildLanguageMenu(QMenu* view);
    void retranslate();
    // Help menu, remembered geometry and dock layout (mainwindow_desktop.cpp).
    void buildHelpMenu(QMenu* help);
    void restoreWindowSettings();
    void saveWindowSettings();
    /** No saved geometry: a default size larger than the screen opens maximized instead. */
    void fitDefaultSizeToScreen();
    // The Inspector dock (mainwindow_inspector.cpp): follows the tree's current entry.
    void buildInspectorDock();
    /** Shows the tree's current entry (or the last console result) in the Inspector again:
     *  after a selection, an edit, a forward or a job's end. */
    void inspectCurrent();

    Document* document_;
    ModuleTreeModel* treeModel_;
    std::vector<ListingModel*> listingModels_;
    ModuleTreeView* treeView_;
    ListingPanel* listingPanel_;
    EntryDetails* details_;
    ForwardPanel* forwardPanel_;
    TrainPanel* trainPanel_ = nullptr;
    bool training_ = false;  // the runner's job is a training run (its progress is the Train dock's)
    ConsoleWidget* console_ = nullptr;
    InspectorPanel* inspectorPanel_ = nullptr;
    GraphModel* graphModel_ = nullptr;
    GraphPanel* graphPanel_ = nullptr;
    const ModuleNode* graphReadyFor_ = nullptr;  // the model whose forward the worker prepared
    bool graphPreparing_ = false;
    QPersistentModelIndex inspected_;  // the tree row the Inspector shows
    QString inspectedName_;
    QString deletedNote_;                      // "'x' was deleted." while shown
    QPersistentModelIndex currentAtDeletion_;  // the row current when it was shown
    TensorRef consoleResult_;          // a console result shown instead, until the tree's
    QString consoleResultName_;        // current entry changes
    ConsoleController* consoleController_ = nullptr;
    EditActions* editActions_ = nullptr;
    UnsavedPrompt unsavedPrompt_;
    ErrorReporter errorReporter_;
    LoadReporter loadReporter_;
    QAction* loadAction_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QAction* saveAction_ = nullptr;
    QAction* saveAsAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QProgressDialog* openProgress_ = nullptr;
    QString savePath_;  // where File → Save writes ("" until a file is opened or saved as)
    int saveFormat_ = 0;  // a SaveFormat
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    QUndoView* historyView_ = nullptr;
    QLabel* summary_;
    bool syncing_ = false;

    // --- export (mainwindow_export.cpp): private members go here ---
    PreparedView prepareView(const QString& view, const ViewExportOptions& options, QString* error);
    void exportViewWithDialog();
    void copyViewAsImage();
    /** Sets the export actions' texts (again after a language change). */
    void retranslateExportActions();
    QAction* exportViewAction_ = nullptr;
    QAction* copyImageAction_ = nullptr;

    // --- filter (mainwindow_filter.cpp): private members go here ---
    class RowFilter* rowFilter_ = nullptr;

    // --- tutorial (mainwindow_tutorial.cpp): private members go here ---
    void showTutorialStep(int step);
    void updateTutorialNavigation();
    TutorialPanel* tutorialPanel_ = nullptr;
    TutorialPlayer* tutorialPlayer_ = nullptr;
    QDockWidget* tutorialDock_ = nullptr;

    // --- appearance (mainwindow_view.cpp): private members go here ---
    /** Sets every font to the zoom; `resizeDocks`: the bottom docks take their zoomed height. */
    void applyZoom(bool resizeDocks);
    /** Keeps the bottom docks to a share of the window, so the tree and listing stay readable. */
    void fitBottomDocks(bool zoomed);
    void resizeEvent(QResizeEvent* event) override;
    int zoomSteps_ = 0;
    bool presentation_ = false;
    bool restoringPresentation_ = false;  // set from the settings at start-up
    QAction* presentationAction_ = nullptr;
    QList<QWidget*> hiddenForPresentation_;  // toolbars and status bar to show again

    // --- language (mainwindow_language.cpp): private members go here ---

    // --- script (mainwindow_script.cpp): private members go here ---
    /** .py files: the chooser for a script's several models, the running-script status line. */
    void buildScriptSupport();
    /** Runs a .py file (no modal progress: the console's Stop and Esc interrupt it). */
    void openScriptAsked(const QString& path);
    /** After a script opened: the Forward dock says why forward is unavailable, if it is. */
    void showForwardAvailability();

    // --- desktop (mainwindow_desktop.cpp): private members go here ---
    /** View → Reset Layout: the docks and toolbars as a first start shows them. */
    void addResetLayoutAction(QMenu* view);
    QByteArray defaultLayout_;  // saveState() before the remembered layout was restored
};

}  // namespace mx
