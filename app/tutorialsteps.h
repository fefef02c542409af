#pragma once

#include <QString>

#include <vector>

namespace mx {

/**
 * One step of File → Tutorial…: the tutorial's experiments (the blog post the app grew from),
 * one console statement at a time. The English texts are Qt translation sources in the
 * "Tutorial" context; heading() and explanation() return them in the installed language.
 */
struct TutorialStep {
    const char* example;      // the example the step's experiment starts from ("state-dict-demo")
    const char* headingText;  // the experiment's title (QT_TRANSLATE_NOOP source)
    const char* statement;    // console text, as typed; "" for a step that only explains
    const char* explanationText;  // the tutorial's explanation line (QT_TRANSLATE_NOOP source)
    const char* focus;        // the dotted path the tree selects ("" for the model), or nullptr
    int listing;              // the listing tab to show (0 state_dict … 5 named_modules), -1 keep

    QString heading() const;
    QString explanation() const;
    QString statementText() const { return QString::fromUtf8(statement); }
    QString exampleName() const { return QString::fromLatin1(example); }
};

/** Every step, in order: Model A (state_dict's 16 keys), then Model B (attribute vs buffer). */
const std::vector<TutorialStep>& tutorialSteps();

/** The first step of `step`'s experiment (the step that opens its example). */
int experimentStart(int step);

}  // namespace mx
