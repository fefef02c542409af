// The filter box over the tree and the listings (issue 13), on a real window: rows hidden and
// shown as a student typing into it would see them, the keyboard, live edits, a large model.
#include "app/document.h"
#include "app/mainwindow.h"
#include "core/modulenode.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/rowfilter.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace mx;

namespace {

/** A row the user can see: neither it nor an ancestor hidden, every ancestor expanded. */
bool userSees(const QTreeView* view, const QModelIndex& index)
{
    for (QModelIndex i = index; i.isValid(); i = i.parent()) {
        if (view->isRowHidden(i.row(), i.parent()))
            return false;
        if (i != index && !view->isExpanded(i))
            return false;
    }
    return true;
}

/** Every tree row, depth first (the tree's order). */
QModelIndexList allRows(const QAbstractItemModel* model, const QModelIndex& parent = {})
{
    QModelIndexList rows;
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex child = model->index(r, 0, parent);
        rows << child;
        rows << allRows(model, child);
    }
    return rows;
}

QString pathOf(const QModelIndex& row)
{
    const QString path = row.data(ModuleTreeModel::PathRole).toString();
    return path.isEmpty() ? QStringLiteral("model") : path;
}

/** Rows of a listing the user can see, by their first column. */
QStringList shownListingRows(const QTableView* view)
{
    QStringList rows;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        if (!view->isRowHidden(r))
            rows << view->model()->index(r, 0).data().toString();
    return rows;
}

/** A .safetensors file of `blocks` x `perBlock` float32 tensors of shape [4]: "blockB.pP". */
bool writeSafetensors(const QString& path, int blocks, int perBlock)
{
    QByteArray header = "{";
    qint64 offset = 0;
    for (int b = 0; b < blocks; ++b)
        for (int p = 0; p < perBlock; ++p) {
            header += QStringLiteral("%1\"block%2.p%3\":{\"dtype\":\"F32\",\"shape\":[4],"
                                     "\"data_offsets\":[%4,%5]}")
                          .arg(offset ? QStringLiteral(",") : QString())
                          .arg(b).arg(p).arg(offset).arg(offset + 16).toUtf8();
            offset += 16;
        }
    header += "}";
    while (header.size() % 8)
        header += ' ';
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const quint64 n = quint64(header.size());
    char len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = char((n >> (8 * i)) & 0xff);
    f.write(len, 8);
    f.write(header);
    f.write(QByteArray(int(offset), '\0'));
    return f.error() == QFile::NoError;
}

}  // namespace

class FilterTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR");
        if (window && !dir.isEmpty())
            window->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') +
                                QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".png"));
        window.reset();
    }

    void bias_hidesOtherRows_keepsTheirModulesVisible()
    {
        open("state-dict-demo");
        filter()->setText(QStringLiteral("bias"));
        QStringList seen;
        for (const QModelIndex& row : allRows(tree()))
            if (userSees(view(), row))
                seen << pathOf(row);
        QCOMPARE(seen, QStringList({"model", "conv1", "conv1.0", "conv1.0.bias", "conv1.2",
                                    "conv1.2.bias", "dense", "dense.0", "dense.0.bias", "dense.3",
                                    "dense.3.bias", "layer4cxq1", "layer4cxq1.bias", "layer4cxq4",
                                    "layer4cxq4.bias"}));
        QCOMPARE(filter()->countLabel()->text(), QStringLiteral("6 of %1 match").arg(allRows(tree()).size()));
        // The listings hide the same entries.
        QCOMPARE(shownListingRows(listing(0)),
                 QStringList({"conv1.0.bias", "conv1.2.bias", "dense.0.bias", "dense.3.bias",
                              "layer4cxq1.bias", "layer4cxq4.bias"}));
        QCOMPARE(shownListingRows(listing(1)), shownListingRows(listing(0)));  // named_parameters
        QVERIFY(shownListingRows(listing(2)).isEmpty());                      // named_buffers
    }

    void buffer_showsOnlyBuffers_andTheirModules()
    {
        open("batchnorm-demo");
        filter()->setText(QStringLiteral("BUFFER"));  // case does not matter
        QStringList tensors, modules;
        for (const QModelIndex& row : allRows(tree())) {
            if (!userSees(view(), row))
                continue;
            const int kind = row.data(ModuleTreeModel::EntryKindRole).toInt();
            if (kind == -1)
                modules << pathOf(row);
            else
                tensors << pathOf(row) + QLatin1Char(' ') +
                               row.siblingAtColumn(ModuleTreeModel::Kind).data().toString();
        }
        QCOMPARE(tensors, QStringList({"features.1.running_mean buffer", "features.1.running_var buffer",
                                       "features.1.num_batches_tracked buffer"}));
        QCOMPARE(modules, QStringList({"model", "features", "features.1"}));
        // The rows the filter opened fit their columns (names are not elided to "...").
        const QModelIndex tracked = find(QStringLiteral("features.1.num_batches_tracked"));
        QVERIFY(view()->visualRect(tracked).width() >=
                view()->fontMetrics().horizontalAdvance(QStringLiteral("num_batches_tracked")));
        QCOMPARE(shownListingRows(listing(0)),
                 QStringList({"features.1.running_mean", "features.1.running_var",
                              "features.1.num_batches_tracked"}));
        QCOMPARE(listing(4)->model()->rowCount(), 3);  // buffers(): every row is a buffer
        QCOMPARE(shownListingRows(listing(4)).size(), 3);
    }

    void shapeSubstring_matches_inTreeAndListings()
    {
        open("state-dict-demo");
        filter()->setText(QStringLiteral("[1024, 25088]"));
        QStringList leaves;
        for (const QModelIndex& row : allRows(tree()))
            if (userSees(view(), row) && row.data(ModuleTreeModel::EntryKindRole).toInt() != -1)
                leaves << pathOf(row);
        QCOMPARE(leaves, QStringList({"dense.0.weight", "layer4cxq4.weight"}));
        QCOMPARE(shownListingRows(listing(0)), leaves);
        // parameters() has no names: its shape column matches.
        QCOMPARE(shownListingRows(listing(3)).size(), 2);
    }

    void matchingModule_showsItsSubtreeCollapsed()
    {
        open("state-dict-demo");
        filter()->setText(QStringLiteral("dense"));
        const QModelIndex dense = find(QStringLiteral("dense"));
        QVERIFY(userSees(view(), dense));
        QVERIFY(!view()->isExpanded(dense));  // collapsed: its rows are there when opened
        for (const QModelIndex& row : allRows(tree(), dense))
            QVERIFY(!view()->isRowHidden(row.row(), row.parent()));
        QVERIFY(!userSees(view(), find(QStringLiteral("conv1"))));
        // A dotted text finds the entry by its path.
        filter()->setText(QStringLiteral("dense.3.w"));
        QVERIFY(userSees(view(), find(QStringLiteral("dense.3.weight"))));
        QVERIFY(!userSees(view(), find(QStringLiteral("dense.3.bias"))));
        QCOMPARE(shownListingRows(listing(0)), QStringList({"dense.3.weight"}));
        // A module found by its kind shows alone: its tensors do not match "conv2d".
        filter()->setText(QStringLiteral("conv2d"));
        QVERIFY(userSees(view(), find(QStringLiteral("conv1.0"))));
        QVERIFY(userSees(view(), find(QStringLiteral("conv1.2"))));
        QVERIFY(!userSees(view(), find(QStringLiteral("dense"))));
        for (const QModelIndex& row : allRows(tree()))
            QVERIFY2(row.data(ModuleTreeModel::EntryKindRole).toInt() == -1 ||
                         view()->isRowHidden(row.row(), row.parent()),
                     qPrintable(pathOf(row)));
        filter()->setText(QStringLiteral("no such thing"));
        QCOMPARE(filter()->countLabel()->text(), QStringLiteral("no match"));
        QVERIFY(!userSees(view(), tree()->index(0, 0)));
    }

    void clearing_showsEveryRowAgain_andRestoresExpansion()
    {
        open("state-dict-demo");
        const QModelIndex conv1 = find(QStringLiteral("conv1"));
        view()->collapse(conv1);
        QModelIndexList expandedBefore;
        for (const QModelIndex& row : allRows(tree()))
            if (view()->isExpanded(row))
                expandedBefore << row;
        filter()->setText(QStringLiteral("conv1.0.bias"));
        QVERIFY(view()->isExpanded(conv1));  // an ancestor of the match
        filter()->setText(QString());
        for (const QModelIndex& row : allRows(tree()))
            QVERIFY2(!view()->isRowHidden(row.row(), row.parent()), qPrintable(pathOf(row)));
        QModelIndexList expandedAfter;
        for (const QModelIndex& row : allRows(tree()))
            if (view()->isExpanded(row))
                expandedAfter << row;
        QCOMPARE(expandedAfter, expandedBefore);
        QCOMPARE(shownListingRows(listing(0)).size(), 16);
        QVERIFY(filter()->countLabel()->isHidden());
    }

    void consoleEdit_whileFiltered_showsNewMatchesOnly()
    {
        open("state-dict-demo");
        filter()->setText(QStringLiteral("bias"));
        run("model.register_parameter('extra_bias', nn.Parameter(torch.zeros(3)))");
        run("model.register_buffer('running', torch.zeros(2))");
        QTRY_VERIFY(find(QStringLiteral("extra_bias")).isValid());
        QTRY_VERIFY(find(QStringLiteral("running")).isValid());
        QTRY_VERIFY(userSees(view(), find(QStringLiteral("extra_bias"))));
        QVERIFY(!userSees(view(), find(QStringLiteral("running"))));
        QTRY_VERIFY(shownListingRows(listing(0)).contains(QStringLiteral("extra_bias")));
        QVERIFY(!shownListingRows(listing(0)).contains(QStringLiteral("running")));
        QCOMPARE(shownListingRows(listing(0)).size(), 7);
        QTRY_COMPARE(filter()->countLabel()->text(), QStringLiteral("7 of %1 match").arg(allRows(tree()).size()));
    }

    void openingAnotherModel_whileFiltered_filtersItToo()
    {
        open("state-dict-demo");
        filter()->setText(QStringLiteral("running"));
        QCOMPARE(filter()->countLabel()->text(), QStringLiteral("no match"));
        window->findChild<QAction*>(QStringLiteral("batchnorm-demo"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(document.exampleName(), QStringLiteral("batchnorm-demo"), 30000);
        QTRY_COMPARE(filter()->countLabel()->text(),
                     QStringLiteral("2 of %1 match").arg(allRows(tree()).size()));
        QTRY_COMPARE(shownListingRows(listing(0)),
                     QStringList({"features.1.running_mean", "features.1.running_var"}));
        QVERIFY(userSees(view(), find(QStringLiteral("features.1.running_var"))));
        QVERIFY(!userSees(view(), find(QStringLiteral("features.0.weight"))));
        // Cleared: the new model as it opens (the model and its direct submodules expanded).
        filter()->setText(QString());
        QVERIFY(userSees(view(), find(QStringLiteral("features.0"))));
        QVERIFY(userSees(view(), find(QStringLiteral("classifier.1"))));
        QCOMPARE(shownListingRows(listing(0)).size(), listing(0)->model()->rowCount());
    }

    void keyboard_ctrlF_enter_f3_esc()
    {
        open("state-dict-demo");
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        view()->setFocus();
        QTest::keyClick(view(), Qt::Key_F, Qt::ControlModifier);
        QLineEdit* box = filter()->lineEdit();
        QVERIFY(box->hasFocus());
        QCOMPARE(box->placeholderText(), QStringLiteral("Filter by name, kind or shape (Ctrl+F)"));
        QTest::keyClicks(box, QStringLiteral("bias"));
        QCOMPARE(filter()->treeMatches(), 6);
        QTest::keyClick(box, Qt::Key_Return);  // the first match, in the tree
        QVERIFY(view()->hasFocus());
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("conv1.0.bias"));
        QTest::keyClick(view(), Qt::Key_F3);
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("conv1.2.bias"));
        QTest::keyClick(view(), Qt::Key_F3);
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("dense.0.bias"));
        QTest::keyClick(view(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("conv1.2.bias"));
        QTest::keyClick(view(), Qt::Key_F3, Qt::ShiftModifier);
        QTest::keyClick(view(), Qt::Key_F3, Qt::ShiftModifier);  // wraps to the last
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("layer4cxq4.bias"));
        // The listings follow the tree's current entry, as without the filter.
        QCOMPARE(listing(0)->currentIndex().data().toString(), QStringLiteral("layer4cxq4.bias"));
        // Down from the box also goes to the first match; Esc clears and returns to the tree.
        QTest::keyClick(view(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(box->hasFocus());
        QCOMPARE(box->selectedText(), QStringLiteral("bias"));
        QTest::keyClick(box, Qt::Key_Down);
        QCOMPARE(pathOf(view()->currentIndex()), QStringLiteral("conv1.0.bias"));
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Escape);
        QVERIFY(box->text().isEmpty());
        QVERIFY(view()->hasFocus());
        for (const QModelIndex& row : allRows(tree()))
            QVERIFY(!view()->isRowHidden(row.row(), row.parent()));
        QVERIFY(userSees(view(), view()->currentIndex()));  // where the filter led stays shown
    }

    // 10,000 state_dict entries (100 groups of 100): how long one keystroke's filtering takes.
    void largeModel_keystrokeStaysFast()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("large.safetensors"));
        QVERIFY(writeSafetensors(path, 100, 100));
        open("state-dict-demo");
        QSignalSpy opened(&document, &Document::fileOpened);
        document.requestFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        QCOMPARE(listing(0)->model()->rowCount(), 10000);
        QStringList timings;
        double worst = 0;
        for (const char* text : {"p", "p7", "p77", "block42.p", "block42.p7", "[4]", ""}) {
            QElapsedTimer keystroke;
            keystroke.start();
            filter()->setText(QString::fromLatin1(text));
            const double applyMs = filter()->lastApplyMs();
            window->repaint();  // the views lay out and paint what changed, as between keys
            const double totalMs = double(keystroke.nsecsElapsed()) / 1e6;
            worst = qMax(worst, totalMs);
            timings << QStringLiteral("'%1' %2 ms (+paint %3 ms)")
                           .arg(QLatin1String(text))
                           .arg(applyMs, 0, 'f', 1)
                           .arg(totalMs - applyMs, 0, 'f', 1);
            if (QByteArray(text) == "block42.p7") {
                QCOMPARE(filter()->treeMatches(), 11);  // p7, p70..p79
                QCOMPARE(shownListingRows(listing(0)).size(), 11);
            }
        }
        qInfo("filter over 10,000 entries: %s", qPrintable(timings.join(QStringLiteral(", "))));
        // Typed key by key (debounced when one pass takes longer than a frame): the end result.
        QTest::keyClicks(filter()->lineEdit(), QStringLiteral("block42.p7"));
        QTRY_COMPARE(filter()->treeMatches(), 11);
        QTRY_COMPARE(shownListingRows(listing(0)).size(), 11);
        QVERIFY2(worst < 1000, qPrintable(timings.join(QStringLiteral(", "))));
    }

private:
    void open(const char* example)
    {
        QVERIFY(document.openExample(QString::fromLatin1(example)));
        window = std::make_unique<MainWindow>(&document);
        window->resize(1280, 720);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void run(const char* statement)
    {
        QVERIFY(document.runStatement(QString::fromLatin1(statement)));
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
    }
    QModelIndex find(const QString& path) const
    {
        for (const QModelIndex& row : allRows(tree()))
            if (row.data(ModuleTreeModel::PathRole).toString() == path)
                return row;
        return {};
    }
    RowFilter* filter() const { return window->rowFilter(); }
    ModuleTreeModel* tree() const { return window->treeModel(); }
    ModuleTreeView* view() const { return window->treeView(); }
    QTableView* listing(int tab) const { return window->listingPanel()->view(tab); }

    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(FilterTest)
#include "tst_filter.moc"
