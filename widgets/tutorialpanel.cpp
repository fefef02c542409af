#include "widgets/tutorialpanel.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QTextEdit>
#include <QVBoxLayout>
#include <QtMath>

namespace mx {

namespace {

/** Clicks `button` for a key, when the button can be clicked and its panel is on screen. */
void bindKey(QWidget* panel, QPushButton* button, const QKeySequence& key, Qt::ShortcutContext context)
{
    auto* shortcut = new QShortcut(key, panel);
    shortcut->setContext(context);
    QObject::connect(shortcut, &QShortcut::activated, button, [panel, button] {
        if (panel->isVisible() && button->isEnabled())
            button->click();
    });
}

}  // namespace

TutorialPanel::TutorialPanel(QWidget* parent)
    : QWidget(parent),
      counter_(new QLabel),
      heading_(new QLabel),
      statement_(new QTextEdit),
      explanation_(new QLabel),
      status_(new QLabel),
      back_(new QPushButton),
      next_(new QPushButton),
      restart_(new QPushButton)
{
    setObjectName(QStringLiteral("tutorialPanel"));
    counter_->setObjectName(QStringLiteral("tutorialCounter"));
    QFont bold;
    bold.setBold(true);  // only the weight: the size follows the window's zoom
    counter_->setFont(bold);
    heading_->setWordWrap(true);
    heading_->setFont(bold);

    statement_->setObjectName(QStringLiteral("tutorialStatement"));
    statement_->setReadOnly(true);
    statement_->setAcceptRichText(false);
    statement_->setLineWrapMode(QTextEdit::WidgetWidth);
    statement_->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    statement_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    statement_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    statement_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QFont mono;  // only the family: the size follows the window's zoom
    mono.setFamilies({QFontDatabase::systemFont(QFontDatabase::FixedFont).family()});
    mono.setStyleHint(QFont::Monospace);
    statement_->setFont(mono);
    statement_->setFocusPolicy(Qt::ClickFocus);
    connect(statement_->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, [this] { fitStatement(); });

    explanation_->setObjectName(QStringLiteral("tutorialExplanation"));
    explanation_->setWordWrap(true);
    explanation_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    explanation_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    status_->setWordWrap(true);
    status_->hide();

    back_->setObjectName(QStringLiteral("tutorialBack"));
    next_->setObjectName(QStringLiteral("tutorialNext"));
    restart_->setObjectName(QStringLiteral("tutorialRestart"));
    next_->setDefault(true);
    connect(back_, &QPushButton::clicked, this, &TutorialPanel::backRequested);
    connect(next_, &QPushButton::clicked, this, &TutorialPanel::nextRequested);
    connect(restart_, &QPushButton::clicked, this, &TutorialPanel::restartRequested);
    bindKey(this, next_, QKeySequence(Qt::Key_Right), Qt::WidgetWithChildrenShortcut);
    bindKey(this, back_, QKeySequence(Qt::Key_Left), Qt::WidgetWithChildrenShortcut);
    bindKey(this, next_, QKeySequence(Qt::Key_PageDown), Qt::WindowShortcut);
    bindKey(this, back_, QKeySequence(Qt::Key_PageUp), Qt::WindowShortcut);

    auto* top = new QHBoxLayout;
    top->addWidget(counter_, 1);
    top->addWidget(restart_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(back_);
    buttons->addWidget(next_, 1);

    // The texts scroll when the dock is short; the counter and the buttons always show.
    auto* body = new QWidget;
    auto* bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(heading_);
    bodyLayout->addWidget(statement_);
    bodyLayout->addWidget(explanation_);
    bodyLayout->addWidget(status_);
    bodyLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    setFocusPolicy(Qt::StrongFocus);  // Left/Right work once the panel is clicked
    retranslate();
    setNavigation(false, false, false);
    fitFonts();
}

void TutorialPanel::fitFonts()
{
    // The explanation is the teaching: a little larger than the window's text, at any zoom.
    QFont larger = font();
    if (larger.pointSizeF() > 0)
        larger.setPointSizeF(larger.pointSizeF() * 1.15);
    else if (larger.pixelSize() > 0)
        larger.setPixelSize(qRound(larger.pixelSize() * 1.15));
    explanation_->setFont(larger);
}

void TutorialPanel::setSteps(int count, StepSource source)
{
    count_ = count;
    source_ = std::move(source);
    showStep(step_ < count_ ? step_ : -1);
}

void TutorialPanel::showStep(int step)
{
    step_ = step;
    counter_->setText(step < 0 ? tr("Tutorial") : tr("Step %1 of %2").arg(step + 1).arg(count_));
    const StepText text = step >= 0 && source_ ? source_(step) : StepText();
    heading_->setText(text.heading);
    heading_->setVisible(!text.heading.isEmpty());
    statement_->setPlainText(text.statement.isEmpty() && step >= 0 ? tr("(no statement: read and press Next)")
                                                                     : text.statement);
    statement_->setEnabled(!text.statement.isEmpty());
    explanation_->setText(text.explanation);
    fitStatement();
}

void TutorialPanel::setNavigation(bool canBack, bool canNext, bool canRestart)
{
    back_->setEnabled(canBack);
    next_->setEnabled(canNext);
    restart_->setEnabled(canRestart);
}

void TutorialPanel::setStatus(const QString& text, bool isError)
{
    status_->setText(text);
    status_->setStyleSheet(isError ? QStringLiteral("color: #c62828;") : QString());
    status_->setVisible(!text.isEmpty());
}

QString TutorialPanel::statementText() const
{
    return statement_->isEnabled() ? statement_->toPlainText() : QString();
}
QString TutorialPanel::explanationText() const { return explanation_->text(); }
QString TutorialPanel::counterText() const { return counter_->text(); }

void TutorialPanel::retranslate()
{
    back_->setText(tr("◀ Back"));
    back_->setToolTip(tr("Undo this step (Left, Page Up)"));
    next_->setText(tr("Next ▶"));
    next_->setToolTip(tr("Run the next statement (Right, Page Down)"));
    restart_->setText(tr("Restart"));
    restart_->setToolTip(tr("Open the first experiment's model afresh"));
    showStep(step_);
}

void TutorialPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::FontChange) {
        fitFonts();
        fitStatement();
    }
}

void TutorialPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitStatement();
}

void TutorialPanel::fitStatement()
{
    // As tall as its wrapped lines (the editor wraps them at its width): read whole, never scrolled.
    const QMargins margins = statement_->contentsMargins();
    const int height = qCeil(statement_->document()->size().height()) + margins.top() +
                       margins.bottom() + 2;
    if (statement_->height() != height)
        statement_->setFixedHeight(height);
}

}  // namespace mx
