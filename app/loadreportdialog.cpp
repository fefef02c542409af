#include "app/loadreportdialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mx {

namespace {

void addRows(QTableWidget* table, const QStringList& keys, const QString& status,
             const QString& meaning, const QColor& tint)
{
    for (const QString& key : keys) {
        const int row = table->rowCount();
        table->insertRow(row);
        auto* k = new QTableWidgetItem(key);
        auto* s = new QTableWidgetItem(status);
        k->setBackground(tint);
        s->setBackground(tint);
        s->setToolTip(meaning);
        table->setItem(row, 0, k);
        table->setItem(row, 1, s);
    }
}

}  // namespace

LoadReportDialog::LoadReportDialog(const QString& path, const LoadOutcome& outcome, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Load state_dict: %1").arg(QFileInfo(path).fileName()));
    auto* layout = new QVBoxLayout(this);
    const bool failed = !outcome.error.isEmpty();
    auto* headline = new QLabel(
        failed ? tr("<b>Nothing was loaded.</b> PyTorch raises this error (it would have copied the "
                    "entries before it; Module Explorer keeps the model unchanged):")
               : tr("<b>Loaded %n tensor(s)</b> in place, as one step you can undo. "
                    "load_state_dict returned:", nullptr, static_cast<int>(outcome.loaded.size())));
    headline->setWordWrap(true);
    layout->addWidget(headline);
    auto* python = new QPlainTextEdit(failed ? outcome.error : outcome.result);
    python->setReadOnly(true);
    python->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    python->setMaximumHeight(python->fontMetrics().lineSpacing() * 7);
    layout->addWidget(python);
    if (!outcome.statement.isEmpty()) {
        auto* statement = new QLabel(tr("As Python: <code>%1</code>").arg(outcome.statement.toHtmlEscaped()));
        statement->setTextInteractionFlags(Qt::TextSelectableByMouse);
        statement->setWordWrap(true);
        layout->addWidget(statement);
    }

    auto* table = new QTableWidget(0, 2, this);
    table->setHorizontalHeaderLabels({tr("key"), tr("result")});
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    addRows(table, outcome.missing, tr("missing"), tr("in the model, not in the file"),
            QColor(0xf8, 0xd7, 0xd3));
    addRows(table, outcome.unexpected, tr("unexpected"), tr("in the file, not in the model"),
            QColor(0xe4, 0xe4, 0xf4));
    addRows(table, outcome.mismatched, tr("size mismatch"),
            tr("the file's tensor has another shape than the model's"), QColor(0xfb, 0xe7, 0xc0));
    addRows(table, outcome.loaded, tr("loaded"), tr("copied into the model's tensor in place"),
            QColor(0xdc, 0xf2, 0xdc));
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->resizeRowsToContents();
    layout->addWidget(table, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    if (failed && outcome.strict && outcome.mismatched.isEmpty() &&
        (!outcome.missing.isEmpty() || !outcome.unexpected.isEmpty())) {
        QPushButton* retry = buttons->addButton(tr("Load with strict=False"), QDialogButtonBox::ActionRole);
        connect(retry, &QPushButton::clicked, this, [this] {
            retry_ = true;
            accept();
        });
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 480);
}

}  // namespace mx
