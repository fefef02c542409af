#pragma once

#include <QString>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QShortcut;
class QTextEdit;

namespace mx {

/**
 * The tutorial's step-through panel: "Step k of N", the experiment's heading, the step's
 * statement (monospace) and its explanation, with Back / Next / Restart buttons and keys
 * (Left/Right inside the panel, PageUp/PageDown — a presenter's clicker — in the whole window).
 * It knows no model: the window hands it each step's texts and plays the steps.
 */
class TutorialPanel : public QWidget {
    Q_OBJECT
public:
    /** What one step shows, in the current language. */
    struct StepText {
        QString heading;
        QString statement;  // "" for a step that only explains
        QString explanation;
    };
    using StepSource = std::function<StepText(int step)>;

    explicit TutorialPanel(QWidget* parent = nullptr);

    /** `count` steps whose texts `source` gives; asked again when the language changes. */
    void setSteps(int count, StepSource source);
    /** Shows step `step` (0-based; -1: none yet). */
    void showStep(int step);
    int shownStep() const { return step_; }
    /** Which buttons work now (both off while a statement runs). */
    void setNavigation(bool canBack, bool canNext, bool canRestart);
    /** A line under the explanation: what is happening ("Opening Model B…") or what failed. */
    void setStatus(const QString& text, bool isError = false);

    QPushButton* backButton() const { return back_; }
    QPushButton* nextButton() const { return next_; }
    QPushButton* restartButton() const { return restart_; }
    QString statementText() const;
    QString explanationText() const;
    QString counterText() const;

Q_SIGNALS:
    void nextRequested();
    void backRequested();
    void restartRequested();

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void retranslate();
    void fitStatement();
    void fitFonts();

    int count_ = 0;
    int step_ = -1;
    StepSource source_;
    QLabel* counter_;
    QLabel* heading_;
    QTextEdit* statement_;
    QLabel* explanation_;
    QLabel* status_;
    QPushButton* back_;
    QPushButton* next_;
    QPushButton* restart_;
};

}  // namespace mx
