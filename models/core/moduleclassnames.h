#pragma once

#include <string>

namespace mx {

/** A generated list of names, sorted. */
struct NameList {
    const char* const* begin = nullptr;
    const char* const* end = nullptr;
    bool contains(const std::string& name) const;
};

/** sorted(dir(nn.Module)) in PyTorch 1.13: nn.Module's methods and class attributes. */
NameList nnModuleMembers();

/** A method's __qualname__ where a class does not take it from nn.Module ("_ConvNd.extra_repr"). */
struct MethodQualName {
    const char* method;
    const char* qualName;
};

/**
 * What one torch.nn module class of PyTorch 1.13 adds to nn.Module: the names dir(cls) lists
 * beyond dir(nn.Module) (sorted), and its methods' qualified names (sorted by method). Generated
 * into moduleclassnames.cpp by tests/fixtures/make_statements_reference.py --names.
 */
struct ModuleClassNames {
    const char* name;  // "Conv2d"
    NameList extras;
    struct {
        const MethodQualName* begin = nullptr;
        const MethodQualName* end = nullptr;
    } methods;

    /** Whether `member` is among the names the class adds (`Sequential.append`, `__constants__`). */
    bool adds(const std::string& member) const;
    /** The __qualname__ of the class's `method` when nn.Module does not define it, or nullptr. */
    const char* qualNameOf(const std::string& method) const;
};

/** The torch.nn module class called `className`, or nullptr. */
const ModuleClassNames* moduleClassNames(const std::string& className);

}  // namespace mx
