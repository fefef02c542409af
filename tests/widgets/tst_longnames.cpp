// A 3,000-character name (buffer, submodule, plain attribute) never widens the window: the
// details line, the tree and the listings elide it and show it whole in a tooltip.
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/statementdialog.h"

#include <QLabel>
#include <QTableView>
#include <QToolTip>
#include <QtTest>

using namespace mx;

namespace {

const QString kLongName = QStringLiteral("b") + QString(2999, QLatin1Char('x'));

QModelIndex findRow(const QAbstractItemModel* model, const QString& name, const QModelIndex& parent = {})
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex i = model->index(r, 0, parent);
        if (i.data().toString() == name)
            return i;
        if (const QModelIndex found = findRow(model, name, i); found.isValid())
            return found;
    }
    return {};
}

}  // namespace

class LongNamesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void cleanup()
    {
        const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            window->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/long-name-") +
                                QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".png"));
        window.reset();
    }

    void longName_keepsTheWindowItsSize_andElidesWithTooltip_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::newRow("buffer") << QStringLiteral("model.register_buffer('%1', torch.zeros(1))").arg(kLongName);
        QTest::newRow("submodule") << QStringLiteral("model.add_module('%1', nn.ReLU())").arg(kLongName);
        QTest::newRow("attribute") << QStringLiteral("setattr(model, '%1', torch.ones(2))").arg(kLongName);
    }

    void longName_keepsTheWindowItsSize_andElidesWithTooltip()
    {
        QFETCH(QString, statement);
        const QSize before = window->size();
        ConsoleInput* input = window->console()->input();
        input->setPlainText(statement);
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_VERIFY(findRow(window->treeModel(), kLongName).isValid());
        const QModelIndex row = findRow(window->treeModel(), kLongName);
        window->treeView()->setCurrentIndex(row);
        QCoreApplication::processEvents();

        QCOMPARE(window->size(), before);
        QVERIFY2(window->minimumSizeHint().width() < 2000, qPrintable(QString::number(window->minimumSizeHint().width())));
        QVERIFY2(window->sizeHint().width() < 2000, qPrintable(QString::number(window->sizeHint().width())));

        auto* details = window->findChild<QLabel*>(QStringLiteral("entryDetails"));
        QVERIFY(details->text().contains(QStringLiteral("…")));
        QVERIFY(!details->text().contains(kLongName));
        QVERIFY(details->toolTip().remove(QLatin1Char('\n')).contains(kLongName));
        QVERIFY(details->width() <= window->width());

        QVERIFY(window->treeView()->columnWidth(ModuleTreeModel::Name) < 1000);
        // The elided cell's tooltip has the whole name.
        QWidget* viewport = window->treeView()->viewport();
        const QPoint cell = window->treeView()->visualRect(row).center();
        QHelpEvent help(QEvent::ToolTip, cell, viewport->mapToGlobal(cell));
        QCoreApplication::sendEvent(viewport, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().remove(QLatin1Char('\n')).contains(kLongName));
        QToolTip::hideText();
        QVERIFY(window->treeView()->columnWidth(ModuleTreeModel::Summary) < 1000);
        for (int tab = 0; tab < window->listingPanel()->listingCount(); ++tab) {
            QTableView* view = window->listingPanel()->view(tab);
            for (int c = 0; c < view->model()->columnCount(); ++c)
                QVERIFY2(view->columnWidth(c) < 1000, qPrintable(view->objectName()));
        }
    }

    void shortName_isShownWhole_withoutTooltip()
    {
        const QModelIndex row = findRow(window->treeModel(), QStringLiteral("register_buffer_in"));
        QVERIFY(row.isValid());
        window->treeView()->setCurrentIndex(row);
        auto* details = window->findChild<QLabel*>(QStringLiteral("entryDetails"));
        QVERIFY(details->text().contains(QStringLiteral("<code>register_buffer_in</code>")));
        QVERIFY(details->toolTip().isEmpty());
    }

    void statementDialog_longLine_staysNarrow()
    {
        StatementDialog dialog(QStringLiteral("Register Buffer"), QStringLiteral("A buffer."));
        dialog.addLine(QStringLiteral("name"), QStringLiteral("Name"), kLongName);
        dialog.setBuilder([](const StatementDialog& d) {
            return QStringLiteral("model.register_buffer('%1', torch.zeros(1))").arg(d.text(QStringLiteral("name")));
        });
        dialog.setValidator([](const QString&, std::function<void(const QString&)> done) {
            done(QStringLiteral("KeyError: \"attribute '%1' already exists\"").arg(kLongName));
        });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.isValidated());
        QVERIFY2(dialog.sizeHint().width() < 2000, qPrintable(QString::number(dialog.sizeHint().width())));
        QVERIFY2(dialog.minimumSizeHint().width() < 2000, qPrintable(QString::number(dialog.minimumSizeHint().width())));
        QVERIFY(dialog.error().contains(kLongName));  // the whole message, though shown elided
        QVERIFY(dialog.statement().contains(kLongName));
    }

private:
    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(LongNamesTest)
#include "tst_longnames.moc"
