// The tutorial's two experiments as steps: each statement is what the console runs on Next.
#include "app/tutorialsteps.h"

#include <QCoreApplication>

namespace mx {

namespace {

constexpr const char* kModelA = "state-dict-demo";
constexpr const char* kModelB = "buffer-demo";
constexpr int kStateDict = 0, kNamedParameters = 1, kNamedBuffers = 2, kNamedModules = 5;

const char* const kHeadingA = QT_TRANSLATE_NOOP("Tutorial", "Experiment 1 · Model A: state_dict()");
const char* const kHeadingBefore =
    QT_TRANSLATE_NOOP("Tutorial", "Experiment 2 · Model B: after initialisation, before the model is modified");
const char* const kHeadingAfter =
    QT_TRANSLATE_NOOP("Tutorial", "Experiment 2 · Model B: after initialisation and modification");

}  // namespace

QString TutorialStep::heading() const { return QCoreApplication::translate("Tutorial", headingText); }

QString TutorialStep::explanation() const
{
    return QCoreApplication::translate("Tutorial", explanationText);
}

const std::vector<TutorialStep>& tutorialSteps()
{
    static const std::vector<TutorialStep> steps = {
        // ---- Experiment 1: the tutorial's Model, its 16 state_dict keys --------------------
        {kModelA, kHeadingA, "",
         QT_TRANSLATE_NOOP("Tutorial",
                           "Returns a dictionary containing a whole state of the module. Both "
                           "parameters and persistent buffers (e.g. running averages) are included. "
                           "Keys are corresponding parameter and buffer names."),
         "", kStateDict},
        {kModelA, kHeadingA, "print(type(model))",
         QT_TRANSLATE_NOOP("Tutorial",
                           "The tutorial's Model is open as `model`. forward() uses conv1 and dense; "
                           "layer4cxq1 to layer4cxq5 are never called; attribute4cxq, attribute4lzq, "
                           "attribute4hh and attribute4wyf are nn.Parameter attributes."),
         "", kNamedModules},
        {kModelA, kHeadingA, "type(model.state_dict())",
         QT_TRANSLATE_NOOP("Tutorial",
                           "state_dict() returns an OrderedDict: its keys keep the order in which the "
                           "module registered its parameters and buffers."),
         nullptr, kStateDict},
        {kModelA, kHeadingA,
         "for key, value in model.state_dict().items():\n    print(key, '-->', value.shape)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "16 keys, in this order: the model's own parameters first (attribute4cxq, "
                           "attribute4lzq, attribute4hh, attribute4wyf, as registered), then each "
                           "child's keys, child by child: conv1, dense, layer4cxq1, layer4cxq4."),
         "attribute4cxq", kStateDict},
        {kModelA, kHeadingA, "list(model.layer4cxq1.state_dict().keys())",
         QT_TRANSLATE_NOOP("Tutorial",
                           "layer4cxq1 is never called by forward(), yet its weight and bias are in "
                           "state_dict: state_dict() lists what is registered, not what forward() "
                           "uses. The same holds for layer4cxq4."),
         "layer4cxq1.weight", kStateDict},
        {kModelA, kHeadingA,
         "print(len(model.layer4cxq2.state_dict()), len(model.layer4cxq3.state_dict()), "
         "len(model.layer4cxq5.state_dict()))",
         QT_TRANSLATE_NOOP("Tutorial",
                           "ReLU, MaxPool2d and Dropout have no parameters and no buffers: "
                           "layer4cxq2, layer4cxq3 and layer4cxq5 add no key, and neither do conv1.1, "
                           "conv1.3, conv1.4, dense.1 and dense.2."),
         "layer4cxq2", kStateDict},
        {kModelA, kHeadingA, "model.attribute4cxq",
         QT_TRANSLATE_NOOP("Tutorial",
                           "An nn.Parameter assigned to a module attribute is registered as a "
                           "parameter: attribute4cxq is a 0-dimensional tensor holding the seed "
                           "20200910, so its key has shape torch.Size([])."),
         "attribute4cxq", kNamedParameters},
        {kModelA, kHeadingA, "len(model.state_dict())",
         QT_TRANSLATE_NOOP("Tutorial",
                           "4 parameter attributes + conv1 (4) + dense (4) + layer4cxq1 (2) + "
                           "layer4cxq4 (2) = 16 keys: exactly the tutorial's output."),
         "", kStateDict},

        // ---- Experiment 2: a plain tensor attribute vs register_buffer -------------------
        {kModelB, kHeadingBefore, "",
         QT_TRANSLATE_NOOP("Tutorial",
                           "Model B's __init__ assigns attribute_buffer_in = torch.randn(3,5) as a "
                           "plain attribute and registers register_buffer_in with register_buffer()."),
         "", kStateDict},
        {kModelB, kHeadingBefore,
         "for name, buf in model.named_buffers():\n    print(name, '-->', buf.shape)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "Only register_buffer_in is a buffer. attribute_buffer_in was merely "
                           "assigned, so named_buffers() does not see it."),
         "register_buffer_in", kNamedBuffers},
        {kModelB, kHeadingBefore,
         "for k, v in model.state_dict().items():\n    print(k, '-->', v.shape)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "state_dict() holds the buffer, then conv1's parameters: 3 keys. The plain "
                           "attribute attribute_buffer_in is not among them."),
         "attribute_buffer_in", kStateDict},
        {kModelB, kHeadingAfter, "model.attribute_buffer_out = torch.randn(10, 10)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "After the model was built, a tensor assigned as an attribute is still "
                           "a plain attribute: the tree shows attribute_buffer_out, state_dict() "
                           "does not change."),
         "attribute_buffer_out", kStateDict},
        {kModelB, kHeadingAfter, "'attribute_buffer_out' in model.state_dict()",
         QT_TRANSLATE_NOOP("Tutorial",
                           "A buffer must be registered to take effect: a tensor merely assigned to "
                           "a Module's attribute is not turned into a buffer automatically, so "
                           "state_dict(), buffers() and named_buffers() cannot reach it."),
         "attribute_buffer_out", kStateDict},
        {kModelB, kHeadingAfter,
         "register_buffer_out_temp = torch.randn(15, 15)\n"
         "model.register_buffer('register_buffer_out', register_buffer_out_temp)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "register_buffer() works after the model was built too: "
                           "register_buffer_out is a buffer and a new state_dict key, after "
                           "register_buffer_in and before conv1's parameters."),
         "register_buffer_out", kStateDict},
        {kModelB, kHeadingAfter,
         "for k, v in model.state_dict().items():\n    print(k, '-->', v.shape)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "Besides, state_dict() walks both buffers and Parameters: 4 keys now."),
         "register_buffer_out", kStateDict},
        {kModelB, kHeadingAfter,
         "for name, param in model.named_parameters():\n    print(name, '-->', param.shape)",
         QT_TRANSLATE_NOOP("Tutorial",
                           "The difference between a buffer and a Parameter: the former is not "
                           "optimized by training, the latter is. named_parameters() still lists "
                           "conv1's two parameters only."),
         "conv1.0.weight", kNamedParameters},
        {kModelB, kHeadingAfter, "",
         QT_TRANSLATE_NOOP("Tutorial",
                           "They are also created differently: a buffer must be registered with "
                           "register_buffer(); a Parameter is more flexible: assign it to a module "
                           "attribute directly, or register it with register_parameter()."),
         nullptr, -1},
    };
    return steps;
}

int experimentStart(int step)
{
    const auto& steps = tutorialSteps();
    while (step > 0 && QLatin1String(steps[step - 1].example) == QLatin1String(steps[step].example))
        --step;
    return step;
}

}  // namespace mx
