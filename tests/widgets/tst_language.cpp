// English and 简体中文: switching at run time retranslates the open window in place (menus, docks,
// the details line) and keeps the model, the console transcript and the selection; the choice is
// remembered; the shipped .ts has no unfinished entry.
#include "app/document.h"
#include "app/language.h"
#include "app/mainwindow.h"
#include "app/settingskeys.h"
#include "items/moduletreemodel.h"
#include "widgets/consoleinput.h"
#include "widgets/consolewidget.h"
#include "widgets/forwardpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/trainpanel.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace mx;

namespace {

const char* const kTsFile = MX_FIXTURES_DIR "/../../resources/translations/module-explorer_zh_CN.ts";

QStringList menuTitles(MainWindow* w)
{
    QStringList titles;
    for (QAction* a : w->menuBar()->actions())
        titles << a->text();
    return titles;
}

QString detailsText(MainWindow* w) { return w->findChild<QLabel*>(QStringLiteral("entryDetails"))->text(); }

QModelIndex findPath(ModuleTreeModel* tree, const QString& path, const QModelIndex& parent = {})
{
    for (int r = 0; r < tree->rowCount(parent); ++r) {
        const QModelIndex i = tree->index(r, 0, parent);
        if (i.data(ModuleTreeModel::PathRole).toString() == path)
            return i;
        const QModelIndex below = findPath(tree, path, i);
        if (below.isValid())
            return below;
    }
    return {};
}

/** Switches through View → Language, as a user would. */
void pickLanguage(MainWindow* w, const QString& code)
{
    auto* action = w->findChild<QAction*>(QStringLiteral("language_") + code);
    QVERIFY2(action, qPrintable(code));
    action->trigger();
    QCoreApplication::processEvents();  // QEvent::LanguageChange is posted to the windows
}

}  // namespace

class LanguageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void init()
    {
        QVERIFY(installLanguage(QStringLiteral("en")));
        QCoreApplication::processEvents();
    }

    void switchToChinese_retranslatesMenusDocksAndDetails_keepsModelTranscriptAndSelection()
    {
        Document document;
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        MainWindow window(&document);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(menuTitles(&window).first(), QStringLiteral("&File"));

        // Some history the switch must keep: a statement in the console, a selected buffer.
        ConsoleInput* input = window.console()->input();
        input->setPlainText(QStringLiteral("model.register_buffer('running', torch.zeros(3))"));
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        const QModelIndex buffer = findPath(window.treeModel(), QStringLiteral("running"));
        QVERIFY(buffer.isValid());
        window.treeView()->setCurrentIndex(buffer);
        QVERIFY(detailsText(&window).contains(QStringLiteral("Persistent buffer: registered with register_buffer")));
        const QString transcript = window.console()->transcript();
        QVERIFY(transcript.contains(QStringLiteral("register_buffer('running'")));
        const ModuleNode* root = document.root();
        auto* consoleDock = window.findChild<QDockWidget*>(QStringLiteral("consoleDock"));
        QCOMPARE(consoleDock->windowTitle(), QStringLiteral("Console"));

        pickLanguage(&window, QStringLiteral("zh_CN"));
        QCOMPARE(currentLanguage(), QStringLiteral("zh_CN"));
        const QStringList zh = menuTitles(&window);
        QVERIFY2(zh.first().startsWith(QStringLiteral("文件")), qPrintable(zh.join(QLatin1Char('|'))));
        QVERIFY2(zh.contains(QStringLiteral("编辑(&E)")), qPrintable(zh.join(QLatin1Char('|'))));
        QCOMPARE(consoleDock->windowTitle(), QStringLiteral("控制台"));
        QCOMPARE(consoleDock->toggleViewAction()->text(), QStringLiteral("控制台"));
        // The teaching line is Chinese; PyTorch's names in it are not.
        const QString details = detailsText(&window);
        QVERIFY2(details.contains(QStringLiteral("持久缓冲")) && details.contains(QStringLiteral("register_buffer")),
                 qPrintable(details));
        QVERIFY(!details.contains(QStringLiteral("Persistent buffer")));
        QCOMPARE(window.treeModel()->headerData(ModuleTreeModel::Name, Qt::Horizontal).toString(),
                 QStringLiteral("名字"));
        // Chart axes (QCustomPlot keeps their labels outside the widgets' texts) follow too.
        QStringList axisLabels;
        for (QObject* o : window.findChildren<QObject*>())
            if (o->property("label").typeId() == QMetaType::QString)
                axisLabels << o->property("label").toString();
        QVERIFY2(axisLabels.contains(QStringLiteral("批量大小")) && !axisLabels.contains(QStringLiteral("batch size")),
                 qPrintable(axisLabels.join(QLatin1Char('|'))));
        if (const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR"); !dir.isEmpty())
        {
            window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/language_zh_CN.png"));
            window.forwardPanel()->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/language_zh_CN_forward.png"));
            window.trainPanel()->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/language_zh_CN_train.png"));
            int i = 0;
            for (QAction* a : window.menuBar()->actions()) {
                a->menu()->adjustSize();
                a->menu()->grab().save(QStringLiteral("%1/language_zh_CN_menu%2.png").arg(QString::fromLocal8Bit(dir)).arg(i++));
            }
        }
        // Nothing of the session was lost or rebuilt.
        QCOMPARE(window.console()->transcript(), transcript);
        QCOMPARE(document.root(), root);
        QCOMPARE(window.treeView()->currentIndex(), QModelIndex(buffer));
        // The language menu shows the choice, each name in its own language.
        QVERIFY(window.findChild<QAction*>(QStringLiteral("language_zh_CN"))->isChecked());
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("language_en"))->text(), QStringLiteral("English"));

        // A statement's output is PyTorch's, in whatever language the window speaks.
        input->setPlainText(QStringLiteral("model.register_buffer('a.b', torch.zeros(1))"));
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        QVERIFY(window.console()->transcript().contains(QStringLiteral("KeyError: 'buffer name can\\'t contain \".\"'")));

        pickLanguage(&window, QStringLiteral("en"));
        QCOMPARE(menuTitles(&window).first(), QStringLiteral("&File"));
        QVERIFY(menuTitles(&window).contains(QStringLiteral("&Edit")));
        QCOMPARE(consoleDock->windowTitle(), QStringLiteral("Console"));
        QVERIFY(detailsText(&window).contains(QStringLiteral("Persistent buffer: registered with register_buffer")));
        QCOMPARE(window.treeView()->currentIndex(), QModelIndex(buffer));
        QCOMPARE(document.root(), root);
    }

    void chosenLanguage_survivesANewWindow()
    {
        Document document;
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        {
            MainWindow window(&document);
            pickLanguage(&window, QStringLiteral("zh_CN"));
        }
        QCOMPARE(QSettings().value(QString::fromLatin1(settingskeys::kLanguage)).toString(),
                 QStringLiteral("zh_CN"));
        // A restart: English until the stored choice is applied, as main() does.
        QVERIFY(installLanguage(QStringLiteral("en")));
        applyStoredLanguage();
        QCOMPARE(currentLanguage(), QStringLiteral("zh_CN"));
        MainWindow again(&document);
        QVERIFY(menuTitles(&again).first().startsWith(QStringLiteral("文件")));
        QVERIFY(again.findChild<QAction*>(QStringLiteral("language_zh_CN"))->isChecked());
        pickLanguage(&again, QStringLiteral("en"));
        QCOMPARE(QSettings().value(QString::fromLatin1(settingskeys::kLanguage)).toString(), QStringLiteral("en"));
    }

    void unknownCode_isRefusedWithAMessage_andChangesNothing()
    {
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        QString error;
        QVERIFY(!installLanguage(QStringLiteral("klingon"), &error));
        QVERIFY2(error.contains(QStringLiteral("klingon")) && error.contains(QStringLiteral("zh_CN")),
                 qPrintable(error));
        QCOMPARE(currentLanguage(), QStringLiteral("zh_CN"));
        QVERIFY(!chooseLanguage(QString(), &error));
        QVERIFY(!error.isEmpty());
    }

    void qtsOwnButtons_followTheLanguage()
    {
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        QDialogButtonBox box(QDialogButtonBox::Cancel);
        const QString cancel = box.button(QDialogButtonBox::Cancel)->text();
        if (cancel.contains(QStringLiteral("Cancel")))
            QSKIP("qtbase_zh_CN.qm is not installed (Debian: qt6-translations-l10n)");
        QVERIFY2(cancel.contains(QStringLiteral("取消")), qPrintable(cancel));
    }

    void tsFile_everyStringIsTranslated_withItsPlaceholders()
    {
        QFile file(QString::fromUtf8(kTsFile));
        QVERIFY2(file.open(QIODevice::ReadOnly), kTsFile);
        QXmlStreamReader xml(&file);
        int messages = 0;
        QStringList problems;
        QString context, source;
        static const QRegularExpression placeholder(QStringLiteral("%(\\d+|n)"));
        auto placeholders = [](const QString& text) {
            QStringList found;
            for (auto it = placeholder.globalMatch(text); it.hasNext();)
                found << it.next().captured(0);
            found.sort();
            found.removeDuplicates();
            return found;
        };
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
                ++messages;
            } else if (xml.name() == QLatin1String("translation")) {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (!type.isEmpty() || text.trimmed().isEmpty())
                    problems << QStringLiteral("%1: unfinished: %2").arg(context, source);
                else if (placeholders(text) != placeholders(source))
                    problems << QStringLiteral("%1: placeholders differ: %2").arg(context, source);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(messages > 300, qPrintable(QString::number(messages)));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(LanguageTest)
#include "tst_language.moc"
