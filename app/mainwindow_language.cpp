// MainWindow's View → Language, and retranslating the open window when the language changes.
//
// The window is retranslated in place rather than rebuilt: every builder (File, Edit, View, the
// docks, other helpers' actions) keeps its objects, pointers and connections, so the open model,
// the console transcript, the docks' layout and the selections stay as they are. Each text a
// tr() call handed out is put again in the new language (mx::retranslatedText knows its source);
// texts composed at run time (the details line, the summary, Undo's "Undo %1") are rebuilt by
// the code that composes them.
#include "app/mainwindow.h"

#include "app/document.h"
#include "app/language.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/elidinglabel.h"
#include "widgets/entrydetails.h"
#include "widgets/moduletreeview.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDockWidget>
#include <QEvent>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTabBar>
#include <QTextEdit>

#include <functional>

namespace mx {

namespace {

template <typename Get, typename Set>
void again(Get get, Set set)
{
    const QString old = get();
    if (old.isEmpty())
        return;
    const QString now = retranslatedText(old);
    if (now != old)
        set(now);
}

void retranslateWidget(QWidget* w)
{
    again([w] { return w->toolTip(); }, [w](const QString& t) { w->setToolTip(t); });
    again([w] { return w->statusTip(); }, [w](const QString& t) { w->setStatusTip(t); });
    again([w] { return w->whatsThis(); }, [w](const QString& t) { w->setWhatsThis(t); });
    if (w->isWindow() || qobject_cast<QDockWidget*>(w))
        again([w] { return w->windowTitle(); }, [w](const QString& t) { w->setWindowTitle(t); });
    if (auto* e = qobject_cast<ElidingLabel*>(w))  // shows an elided copy of its full text
        again([e] { return e->fullText(); }, [e](const QString& t) { e->setFullText(t); });
    else if (auto* l = qobject_cast<QLabel*>(w))
        again([l] { return l->text(); }, [l](const QString& t) { l->setText(t); });
    else if (auto* b = qobject_cast<QAbstractButton*>(w))
        again([b] { return b->text(); }, [b](const QString& t) { b->setText(t); });
    else if (auto* g = qobject_cast<QGroupBox*>(w))
        again([g] { return g->title(); }, [g](const QString& t) { g->setTitle(t); });
    else if (auto* e = qobject_cast<QLineEdit*>(w))
        again([e] { return e->placeholderText(); }, [e](const QString& t) { e->setPlaceholderText(t); });
    else if (auto* e = qobject_cast<QPlainTextEdit*>(w))
        again([e] { return e->placeholderText(); }, [e](const QString& t) { e->setPlaceholderText(t); });
    else if (auto* e = qobject_cast<QTextEdit*>(w))
        again([e] { return e->placeholderText(); }, [e](const QString& t) { e->setPlaceholderText(t); });
    else if (auto* c = qobject_cast<QComboBox*>(w)) {
        for (int i = 0; i < c->count(); ++i)
            again([c, i] { return c->itemText(i); }, [c, i](const QString& t) { c->setItemText(i, t); });
    } else if (auto* bar = qobject_cast<QTabBar*>(w)) {
        for (int i = 0; i < bar->count(); ++i) {
            again([bar, i] { return bar->tabText(i); }, [bar, i](const QString& t) { bar->setTabText(i, t); });
            again([bar, i] { return bar->tabToolTip(i); }, [bar, i](const QString& t) { bar->setTabToolTip(i, t); });
        }
    }
    for (const char* property : {"prefix", "suffix", "specialValueText"}) {  // spin boxes
        if (w->property(property).typeId() == QMetaType::QString)
            again([w, property] { return w->property(property).toString(); },
                  [w, property](const QString& t) { w->setProperty(property, t); });
    }
    // Plots (QCustomPlot: widgets/ only) keep axis labels and titles in QObjects with a `label`
    // or `text` property: put them again, then let the plot draw itself anew.
    bool relabelled = false;
    std::function<void(QObject*)> relabel = [&](QObject* parent) {
        for (QObject* o : parent->children()) {
            if (o->isWidgetType() || qobject_cast<QAction*>(o))
                continue;  // widgets and actions have their own pass
            for (const char* property : {"label", "text"}) {
                if (o->property(property).typeId() == QMetaType::QString)
                    again([o, property] { return o->property(property).toString(); },
                          [o, property, &relabelled](const QString& t) {
                              o->setProperty(property, t);
                              relabelled = true;
                          });
            }
            relabel(o);  // an axis belongs to its axis rect, not to the plot
        }
    };
    relabel(w);
    if (relabelled && w->metaObject()->indexOfMethod("replot()") >= 0)
        QMetaObject::invokeMethod(w, "replot");
    if (auto* view = qobject_cast<QAbstractItemView*>(w)) {
        // Item models call tr() when asked: ask again (headers, badges, tooltips).
        if (QAbstractItemModel* m = view->model()) {
            if (m->columnCount() > 0)
                Q_EMIT m->headerDataChanged(Qt::Horizontal, 0, m->columnCount() - 1);
        }
        view->viewport()->update();
    }
    w->update();
}

void retranslateAction(QAction* a)
{
    again([a] { return a->text(); }, [a](const QString& t) { a->setText(t); });
    again([a] { return a->iconText(); }, [a](const QString& t) { a->setIconText(t); });
    again([a] { return a->toolTip(); }, [a](const QString& t) { a->setToolTip(t); });
    again([a] { return a->statusTip(); }, [a](const QString& t) { a->setStatusTip(t); });
    again([a] { return a->whatsThis(); }, [a](const QString& t) { a->setWhatsThis(t); });
}

}  // namespace

void MainWindow::buildLanguageMenu(QMenu* view)
{
    QMenu* menu = view->addMenu(tr("&Language"));
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    group->setExclusive(true);
    for (const QString& code : availableLanguages()) {
        // Each language in its own words, so whoever reads only one of them finds it.
        QAction* a = menu->addAction(languageDisplayName(code));
        a->setObjectName(QStringLiteral("language_") + code);
        a->setData(code);
        a->setCheckable(true);
        a->setChecked(code == currentLanguage());
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code] {
            QString error;
            if (code != currentLanguage() && !chooseLanguage(code, &error))
                reportError(tr("Language"), error);
        });
    }
}

void MainWindow::retranslate()
{
    for (QAction* a : findChildren<QAction*>())
        retranslateAction(a);
    for (QWidget* w : findChildren<QWidget*>())
        retranslateWidget(w);
    if (auto* menu = findChild<QMenu*>(QStringLiteral("languageMenu")))
        for (QAction* a : menu->actions())
            a->setChecked(a->data().toString() == currentLanguage());
    // Texts composed at run time: built again by the code that composes them.
    if (document_) {
        Q_EMIT document_->historyChanged();  // "Undo %1"
        updateTitle();
        updateSummary();
        details_->showEntry(treeView_->currentIndex());
        inspectCurrent();  // the Inspector's caption and statistics rows
    }
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

}  // namespace mx
