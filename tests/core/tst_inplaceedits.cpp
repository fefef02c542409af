// In-place changes of the model's tensors through the console (t.add_(1), t += 1, t[0] = v,
// p.data = u, p.data.fill_(0), requires_grad = False) are undoable edits: undo puts the old
// values, shape and flag back into the same tensor object, redo changes it again, a failing
// statement changes nothing, and only the changed tensors are copied (once per statement). The
// printed answers are checked against PyTorch in tst_objectmodel (objectmodel/cases_inplace.py).

#include "core/examples.h"
#include "core/formatting.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "core/statements/statementsession.h"

#include <QTest>

#include <memory>
#include <string>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// The document's answer to `source` (its output, or its error line).
QString answer(ModelDocument& document, const std::string& source)
{
    const StatementResult r = document.run(source);
    return q(r.ok ? r.output : r.error);
}

std::unique_ptr<ModelDocument> openExample(const char* name)
{
    auto document = std::make_unique<ModelDocument>();
    document->replaceModel(buildExample(name), name);
    return document;
}

}  // namespace

class InPlaceEditsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { mx::setMemoryBudgetBytes(uint64_t(1) << 30); }
    void valueChange_undoesAndRedoesInTheSameObject_data();
    void valueChange_undoesAndRedoesInTheSameObject();
    void dataAssignment_undoRestoresShape();
    void freezingLoop_isOneUndoableStep();
    void failingStatement_putsValuesBack();
    void repeatedChanges_keepOneCopyPerTensor();
    void undoCopyPastBudget_raisesMemoryErrorAndChangesNothing();
    void localTensors_makeNoHistory();
};

void InPlaceEditsTest::valueChange_undoesAndRedoesInTheSameObject_data()
{
    QTest::addColumn<QString>("statement");
    QTest::newRow("add_ under no_grad") << "with torch.no_grad():\n    model.conv1[0].bias.add_(1)\n";
    QTest::newRow("augmented assignment") << "with torch.no_grad():\n    model.conv1[0].bias += 1\n";
    QTest::newRow("through .data") << "model.conv1[0].bias.data.fill_(0.5)";
    QTest::newRow("a view of .data") << "model.conv1[0].bias.data[:10].zero_()";
    QTest::newRow("held in a variable") << "b = model.conv1[0].bias.data\nb.mul_(3)";
    QTest::newRow("item assignment") << "with torch.no_grad():\n    model.conv1[0].bias[0] = 5\n";
    QTest::newRow("item augmented assignment") << "with torch.no_grad():\n    model.conv1[0].bias[1:3] += 1\n";
    QTest::newRow("reset_parameters") << "model.conv1[0].reset_parameters()";
}

void InPlaceEditsTest::valueChange_undoesAndRedoesInTheSameObject()
{
    QFETCH(QString, statement);
    auto document = openExample("buffer-demo");
    QVERIFY(document->run("p = model.conv1[0].bias").ok);
    const QString before = answer(*document, "print(p.sum().item(), p.requires_grad)");
    const size_t history = document->historySize();
    const StatementResult r = document->run(statement.toStdString());
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(document->historySize(), history + 1);
    const QString after = answer(*document, "print(p.sum().item(), p.requires_grad)");
    QVERIFY(after != before);
    document->undo();
    QCOMPARE(answer(*document, "print(p.sum().item(), p.requires_grad)"), before);
    QCOMPARE(answer(*document, "print(p is model.conv1[0].bias)"), QStringLiteral("True\n"));
    document->redo();
    QCOMPARE(answer(*document, "print(p.sum().item(), p.requires_grad)"), after);
}

void InPlaceEditsTest::dataAssignment_undoRestoresShape()
{
    auto document = openExample("buffer-demo");
    QVERIFY(document->run("p = model.conv1[0].bias").ok);
    QVERIFY(document->run("p.data = torch.ones(3)").ok);
    QCOMPARE(answer(*document, "print(model.conv1[0].bias.shape, p is model.conv1[0].bias)"),
             QStringLiteral("torch.Size([3]) True\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(p.shape, p.requires_grad, type(p).__name__)"),
             QStringLiteral("torch.Size([64]) True Parameter\n"));
    document->redo();
    QCOMPARE(answer(*document, "print(p.sum().item())"), QStringLiteral("3.0\n"));
    // A buffer whose dtype changes comes back with its dtype.
    QVERIFY(document->run("model.register_buffer_in.data = torch.ones(2, dtype=torch.long)").ok);
    QCOMPARE(answer(*document, "print(model.register_buffer_in)"), QStringLiteral("tensor([1, 1])\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(model.register_buffer_in.shape, model.register_buffer_in.dtype)"),
             QStringLiteral("torch.Size([4, 6]) torch.float32\n"));
}

void InPlaceEditsTest::freezingLoop_isOneUndoableStep()
{
    auto document = openExample("state-dict-demo");
    const size_t history = document->historySize();
    QVERIFY(document->run("for p in model.parameters():\n    p.requires_grad = False\n").ok);
    QCOMPARE(document->historySize(), history + 1);
    QCOMPARE(answer(*document, "print(any(p.requires_grad for p in model.parameters()))"),
             QStringLiteral("False\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(all(p.requires_grad for p in model.parameters()))"),
             QStringLiteral("True\n"));
    document->redo();
    QCOMPARE(answer(*document, "print(any(p.requires_grad for p in model.parameters()))"),
             QStringLiteral("False\n"));
    // Module.requires_grad_ too.
    document->undo();
    QVERIFY(document->run("model.dense.requires_grad_(False)").ok);
    QCOMPARE(answer(*document, "print(model.dense[0].weight.requires_grad, model.conv1[0].bias.requires_grad)"),
             QStringLiteral("False True\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(model.dense[0].weight.requires_grad)"), QStringLiteral("True\n"));
}

void InPlaceEditsTest::failingStatement_putsValuesBack()
{
    auto document = openExample("batchnorm-demo");
    const QString before = answer(*document, "print(model.features[1].num_batches_tracked.item(), "
                                             "model.features[1].running_mean.sum().item())");
    const StatementResult r = document->run(
        "model.features[1].num_batches_tracked += 5\nmodel.features[1].running_mean.fill_(2)\n"
        "model.features[1].running_mean.add_(torch.ones(3))\n");
    QVERIFY(!r.ok);
    QVERIFY(q(r.error).startsWith("RuntimeError: The size of tensor a (8)"));
    // Statements before the failing one stand, as in Python's REPL: undo takes them back.
    QCOMPARE(answer(*document, "print(model.features[1].num_batches_tracked.item())"), QStringLiteral("5\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(model.features[1].num_batches_tracked.item(), "
                               "model.features[1].running_mean.sum().item())"),
             before);
    // Within one statement, a failure puts back what the statement already changed.
    const StatementResult loop = document->run(
        "for k in range(3):\n    model.features[1].running_var.mul_(2)\n    if k == 2:\n        1/0\n");
    QVERIFY(!loop.ok);
    QCOMPARE(answer(*document, "print(model.features[1].running_var.sum().item())"), QStringLiteral("8.0\n"));
}

void InPlaceEditsTest::repeatedChanges_keepOneCopyPerTensor()
{
    // A 4 MiB buffer changed 200 times in one statement, under a 64 MiB budget: one copy is kept.
    mx::setMemoryBudgetBytes(uint64_t(64) << 20);
    auto document = openExample("buffer-demo");
    QVERIFY(document->run("model.register_buffer('big', torch.zeros(1024, 1024))").ok);
    const StatementResult r = document->run("for k in range(200):\n    model.big.add_(1)\n");
    mx::setMemoryBudgetBytes(uint64_t(1) << 30);
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(answer(*document, "print(model.big[0, 0].item())"), QStringLiteral("200.0\n"));
    document->undo();
    QCOMPARE(answer(*document, "print(model.big.sum().item())"), QStringLiteral("0.0\n"));
}

void InPlaceEditsTest::undoCopyPastBudget_raisesMemoryErrorAndChangesNothing()
{
    // A 40 MiB buffer under a 64 MiB budget: its undo copy would not fit, so nothing is changed.
    mx::setMemoryBudgetBytes(uint64_t(64) << 20);
    auto document = openExample("buffer-demo");
    QVERIFY(document->run("model.register_buffer('big', torch.zeros(10, 1024, 1024))").ok);
    const StatementResult r = document->run("model.big.add_(1)");
    mx::setMemoryBudgetBytes(uint64_t(1) << 30);
    QVERIFY(!r.ok);
    QVERIFY2(q(r.error).startsWith("MemoryError: the undo copy of a tensor of 40 MiB"), r.error.c_str());
    QCOMPARE(answer(*document, "print(model.big.sum().item())"), QStringLiteral("0.0\n"));
}

void InPlaceEditsTest::localTensors_makeNoHistory()
{
    auto document = openExample("buffer-demo");
    const size_t history = document->historySize();
    QVERIFY(document->run("t = torch.zeros(3)\nt += 1\nt.fill_(2)\nt.data = torch.ones(2)").ok);
    QCOMPARE(document->historySize(), history);
}

QTEST_GUILESS_MAIN(InPlaceEditsTest)
#include "tst_inplaceedits.moc"
