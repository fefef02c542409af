#include "core/forwardplan.h"

#include "core/formatting.h"

#include <cctype>

namespace mx {

std::shared_ptr<const ForwardPlan> ForwardPlan::sequential()
{
    auto plan = std::make_shared<ForwardPlan>();
    plan->callsEveryChild = true;
    return plan;
}

ForwardPlan& ForwardPlan::call(const std::string& child)
{
    steps.push_back({Step::Kind::CallChild, child, {}});
    return *this;
}

ForwardPlan& ForwardPlan::view(std::vector<int64_t> shape)
{
    steps.push_back({Step::Kind::View, {}, std::move(shape)});
    return *this;
}

ForwardPlan& ForwardPlan::returnNone()
{
    steps.push_back({Step::Kind::ReturnNone, {}, {}});
    return *this;
}

std::string ForwardPlan::torchScript() const
{
    std::string source = "def forward(self, x):\n";
    for (const Step& s : steps) {
        switch (s.kind) {
        case Step::Kind::CallChild: {
            const bool identifier =
                !s.child.empty() && !std::isdigit(static_cast<unsigned char>(s.child[0]));
            source += identifier ? "    x = self." + s.child + ".forward(x)\n"
                                 : "    x = getattr(self, '" + s.child + "').forward(x)\n";
            break;
        }
        case Step::Kind::View: source += "    x = x.view(" + bracketList(s.shape) + ")\n"; break;
        case Step::Kind::ReturnNone: return source + "    return None\n";
        }
    }
    return source + "    return x\n";
}

}  // namespace mx
