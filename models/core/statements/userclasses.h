#pragma once
// Private to models/core/statements: functions and classes defined by `def` and `class`.

#include "core/statements/value.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mx::stmt {

struct ParseResult;
struct Stmt;
struct UserClass;

/** A `def` the console ran: its defaults (evaluated when the def ran), body and text. */
struct UserFunction {
    std::string name;      // "helper"
    std::string qualName;  // "Model.helper"
    const Stmt* def = nullptr;
    std::shared_ptr<const ParseResult> program;  // owns `def`
    /** The def's lines as written, dedented (TorchScript compiles forward from them). */
    std::vector<std::string> lines;
    std::vector<ValuePtr> defaults;              // one per parameter; nullptr: required
    std::set<std::string> localNames;            // the names its body binds (its local scope)
    std::weak_ptr<UserClass> owner;              // the class whose body defined it
};

/** A `class Name(nn.Module)` the console ran: its base and the names its body bound. */
struct UserClass {
    std::string name;
    std::shared_ptr<UserClass> base;  // nullptr: torch.nn.Module itself
    std::vector<std::pair<std::string, ValuePtr>> members;  // methods and class attributes

    /** The member `name` of this class or a base (nullptr when none defines it). */
    ValuePtr find(const std::string& name) const;
    /** The class in this chain that defines `name` (nullptr when none). */
    const UserClass* definer(const std::string& name) const;
};

/** The names a function body binds (assignment, for and import targets, del): Python's locals. */
std::set<std::string> boundNames(const std::vector<std::unique_ptr<Stmt>>& body);

}  // namespace mx::stmt
